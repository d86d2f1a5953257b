//! The README's install path: the provider in the implicit local mirror is
//! found by a plain `terraform init`.

use crate::support::*;

#[test]
fn plain_init_finds_the_locally_installed_provider() {
    let sim = Sim::start(&[]);
    let wd = Workdir::with_local_mirror(&sim);
    wd.write("main.tf", "resource \"exotel_trunk\" \"main\" {\n  trunk_name = \"mirror_trunk\"\n}\n");
    let out = wd.ok(&["init", "-input=false", "-no-color"]);
    assert!(out.contains(&format!("Installed exotel/exotel v{}", env!("CARGO_PKG_VERSION"))), "{out}");
    let lock = std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).expect("lock file");
    assert!(lock.contains("registry.terraform.io/exotel/exotel"), "{lock}");
    wd.apply();
    assert_eq!(sim.trunks().len(), 1);
    wd.destroy();
    assert!(sim.trunks().is_empty());
}
