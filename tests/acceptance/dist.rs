//! Release artifacts: the dist command's zip, checksums and manifest; a
//! real `terraform init` from a filesystem mirror that has only them; and a
//! tampered zip caught against the lock file.

use crate::support::*;
use std::path::Path;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn package(out: &Path, mirror: &Path) -> String {
    run_dist(&[
        "--binary".as_ref(),
        provider_bin().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--mirror".as_ref(),
        mirror.as_os_str(),
    ])
}

#[test]
fn dist_artifacts_install_from_a_filesystem_mirror_and_tampering_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mirror = tmp.path().join("mirror");
    let said = package(&out, &mirror);
    assert!(said.contains("not signing"), "{said}");

    let platform = terraform_provider_exotel::dist::os_arch();
    let zip_name = format!("terraform-provider-exotel_{VERSION}_{platform}.zip");
    let zip_bytes = std::fs::read(out.join(&zip_name)).expect("zip");
    let manifest =
        std::fs::read_to_string(out.join(format!("terraform-provider-exotel_{VERSION}_manifest.json"))).unwrap();
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(m["metadata"]["protocol_versions"], serde_json::json!(["6.0"]));
    let sums = std::fs::read_to_string(out.join(format!("terraform-provider-exotel_{VERSION}_SHA256SUMS"))).unwrap();
    use sha2::Digest;
    let zip_sum = hex::encode(sha2::Sha256::digest(&zip_bytes));
    assert!(sums.contains(&format!("{zip_sum}  {zip_name}\n")), "{sums}");
    let archive = zip::ZipArchive::new(std::io::Cursor::new(&zip_bytes)).unwrap();
    let names: Vec<String> = archive.file_names().map(|n| n.unwrap().to_string()).collect();
    assert_eq!(names, vec![format!("terraform-provider-exotel_v{VERSION}")]);

    // the same input gives the same bytes
    let out2 = tmp.path().join("out2");
    package(&out2, &tmp.path().join("mirror2"));
    assert_eq!(std::fs::read(out2.join(&zip_name)).unwrap(), zip_bytes, "zip not reproducible");

    // terraform init with only that filesystem mirror
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    std::fs::write(
        wd.path().join("cli.tfrc"),
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"exotel/exotel\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .unwrap();
    wd.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"mirrored\"\n}\n");
    let init = wd.ok(&["init", "-input=false", "-no-color"]);
    assert!(init.contains(&format!("Installed exotel/exotel v{VERSION}")), "{init}");
    let lock = std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).unwrap();
    assert!(lock.contains("provider \"registry.terraform.io/exotel/exotel\"") && lock.contains("\"h1:"), "{lock}");
    let (code, plan) = wd.plan(&[]);
    assert_eq!(code, 2, "{plan}");
    assert_eq!(plan_counts(&plan), (1, 0, 0), "{plan}");

    // a tampered zip, with the lock file kept, fails init with a checksum mismatch
    let mirrored = mirror.join("registry.terraform.io/exotel/exotel").join(&zip_name);
    let tampered = {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file(
            format!("terraform-provider-exotel_v{VERSION}"),
            zip::write::SimpleFileOptions::default().unix_permissions(0o755),
        )
        .unwrap();
        std::io::Write::write_all(&mut w, b"#!/bin/sh\necho not the provider\n").unwrap();
        w.finish().unwrap().into_inner()
    };
    std::fs::write(&mirrored, tampered).unwrap();
    std::fs::remove_dir_all(wd.path().join(".terraform")).unwrap();
    let failed = squash(&wd.fails(&["init", "-input=false", "-no-color"]));
    assert!(failed.contains("doesn't match any of the checksums") || failed.contains("checksum"), "{failed}");
}

/// The host platform's zip, installed as a user of a network mirror would:
/// `index.json` and `<version>.json` (with `zh:` and `h1:` hashes) and the
/// zip served over HTTPS by a server with a test CA, found through the CLI
/// configuration's `network_mirror`; then plan, apply and destroy with it.
#[test]
fn dist_artifacts_install_from_an_https_network_mirror() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, net) = (tmp.path().join("out"), tmp.path().join("net"));
    run_dist(&[
        "--binary".as_ref(),
        provider_bin().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--net-mirror".as_ref(),
        net.as_os_str(),
    ]);
    let platform = terraform_provider_exotel::dist::os_arch();
    let zip_name = format!("terraform-provider-exotel_{VERSION}_{platform}.zip");
    let dir = net.join("registry.terraform.io/exotel/exotel");
    let index: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    assert_eq!(index, serde_json::json!({ "versions": { VERSION: {} } }));
    let listing: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{VERSION}.json"))).unwrap()).unwrap();
    let archive = &listing["archives"][&platform];
    assert_eq!(archive["url"], zip_name.as_str(), "{listing}");
    use sha2::Digest;
    let zh = format!("zh:{}", hex::encode(sha2::Sha256::digest(std::fs::read(dir.join(&zip_name)).unwrap())));
    let hashes: Vec<&str> = archive["hashes"].as_array().unwrap().iter().filter_map(|h| h.as_str()).collect();
    assert!(hashes.contains(&zh.as_str()), "{listing}");
    let h1 = *hashes.iter().find(|h| h.starts_with("h1:")).expect("an h1: hash");

    let server = HttpsFiles::start(&net);
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    wd.write("cli.tfrc", &network_mirror_cli_config(&server.url));

    // Without the CA, Terraform refuses the mirror's certificate: the TLS is real.
    wd.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"from_the_mirror\"\n}\n");
    let untrusted = squash(&wd.fails(&["init", "-input=false", "-no-color"]));
    assert!(untrusted.contains("certificate"), "{untrusted}");

    wd.set_env("SSL_CERT_FILE", &server.ca_file.display().to_string());
    let init = wd.ok(&["init", "-input=false", "-no-color"]);
    assert!(init.contains(&format!("Installed exotel/exotel v{VERSION}")), "{init}");
    let served = server.served();
    for p in ["index.json".to_string(), format!("{VERSION}.json"), zip_name.clone()] {
        assert!(
            served.iter().any(|s| s.ends_with(&format!("/registry.terraform.io/exotel/exotel/{p}"))),
            "{p}: {served:?}"
        );
    }
    // Terraform checked the zip against the mirror's hashes and locked them.
    let lock = std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).unwrap();
    assert!(lock.contains(&format!("\"{h1}\"")), "{lock}");

    let applied = wd.apply();
    assert!(applied.contains("1 added"), "{applied}");
    assert_eq!(sim.trunks()[0]["trunk_name"], "from_the_mirror");
    wd.assert_no_diff();
    wd.destroy();
    assert!(sim.trunks().is_empty());
}
