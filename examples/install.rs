//! Builds the release provider and installs it into Terraform's implicit
//! local mirror, so a plain `terraform init` finds `exotel/exotel`:
//!
//!     cargo run --release --example install
//!
//! It lands in Terraform's implicit local mirror: on Windows
//! `%APPDATA%\terraform.d\plugins\registry.terraform.io\exotel\exotel\<version>\windows_<arch>\`
//! (the executable ending in `.exe`), elsewhere
//! `~/.terraform.d/plugins/registry.terraform.io/exotel/exotel/<version>/<os_arch>/`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "terraform-provider-exotel"])
        .current_dir(root)
        .status()
        .expect("run cargo build");
    assert!(st.success(), "cargo build failed");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let bin = target.join("release").join(format!("terraform-provider-exotel{}", std::env::consts::EXE_SUFFIX));
    let mirror = terraform_provider_exotel::dist::implicit_mirror().unwrap_or_else(|e| {
        eprintln!("install: {e}");
        std::process::exit(1)
    });
    let dest = terraform_provider_exotel::dist::install_local(&bin, &mirror, terraform_provider_exotel::VERSION)
        .unwrap_or_else(|e| {
            eprintln!("install: cannot install into {}: {e}", mirror.display());
            std::process::exit(1)
        });
    println!("installed {}", dest.display());
    println!(
        "use it with:\n  terraform {{\n    required_providers {{\n      exotel = {{\n        source  = \"exotel/exotel\"\n        version = \"{}\"\n      }}\n    }}\n  }}",
        terraform_provider_exotel::VERSION
    );
}
