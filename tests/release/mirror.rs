//! The release folder as a team installs it: served as a provider network
//! mirror over HTTPS (a test CA), one lock file for every platform, a clean
//! `init` against that lock file, and a tampered zip refused.

use crate::support::*;
use crate::*;
use std::path::Path;

/// The five platforms a mixed team locks (FreeBSD is built, not locked here).
const TEAM: &[&str] = &["linux_amd64", "linux_arm64", "darwin_arm64", "darwin_amd64", "windows_amd64"];

/// The network-mirror files for the release folder, written by the release
/// command itself (`--package-only`: nothing is rebuilt).
fn network_mirror(into: &Path) -> serde_json::Value {
    let release = release_dir();
    run_dist(&[
        "--package-only".as_ref(),
        "--out".as_ref(),
        release.as_os_str(),
        "--net-mirror".as_ref(),
        into.as_os_str(),
    ]);
    let listing = into.join(terraform_provider_exotel::PROVIDER_ADDRESS).join(format!("{VERSION}.json"));
    serde_json::from_slice(&std::fs::read(listing).expect("<version>.json")).expect("JSON")
}

/// The `h1:` hash the mirror advertises for a platform.
fn h1(listing: &serde_json::Value, platform: &str) -> String {
    listing["archives"][platform]["hashes"]
        .as_array()
        .and_then(|h| h.iter().filter_map(|h| h.as_str()).find(|h| h.starts_with("h1:")))
        .unwrap_or_else(|| panic!("{platform}: no h1: hash in {listing}"))
        .to_string()
}

#[test]
fn one_lock_file_for_five_platforms_from_an_https_network_mirror_and_a_tampered_zip_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let net = tmp.path().join("net");
    let listing = network_mirror(&net);
    for p in PLATFORMS {
        let hashes = listing["archives"][p]["hashes"].as_array().map_or(0, Vec::len);
        assert_eq!(hashes, 2, "{p}: a zh: and an h1: hash in {listing}");
    }
    let server = HttpsFiles::start(&net);
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    wd.write("cli.tfrc", &network_mirror_cli_config(&server.url));
    wd.set_env("SSL_CERT_FILE", &server.ca_file.display().to_string());
    wd.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"team\"\n}\n");

    let mut args = vec!["providers".to_string(), "lock".into(), format!("-net-mirror={}", server.url)];
    args.extend(TEAM.iter().map(|p| format!("-platform={p}")));
    let locked = wd.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let lock = std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).expect("lock file");
    for p in TEAM {
        assert!(
            lock.contains(&format!("\"{}\"", h1(&listing, p))),
            "{p}: its h1: hash is not locked\n{locked}\n{lock}"
        );
    }
    eprintln!("{lock}");

    // A clean init with that lock file installs linux_amd64 (the static
    // release build) from the mirror; plan, apply, destroy run it.
    let init = wd.ok(&["init", "-input=false", "-no-color"]);
    assert!(init.contains(&format!("Installed exotel/exotel v{VERSION}")), "{init}");
    assert_eq!(std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).unwrap(), lock, "init changed the lock");
    let applied = wd.apply();
    assert!(applied.contains("1 added"), "{applied}");
    wd.assert_no_diff();
    wd.destroy();
    assert!(sim.trunks().is_empty());

    // The mirror's linux_amd64 zip replaced by another: init refuses it.
    let zip = net.join(terraform_provider_exotel::PROVIDER_ADDRESS).join(zip_name("linux_amd64"));
    let mut other = members("linux_arm64").remove(0);
    other.name = format!("terraform-provider-exotel_v{VERSION}");
    let tampered = {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file(&other.name, zip::write::SimpleFileOptions::default().unix_permissions(0o755)).unwrap();
        std::io::Write::write_all(&mut w, &other.bytes).unwrap();
        w.finish().unwrap().into_inner()
    };
    std::fs::write(&zip, tampered).unwrap();
    std::fs::remove_dir_all(wd.path().join(".terraform")).unwrap();
    let refused = squash(&wd.fails(&["init", "-input=false", "-no-color"]));
    assert!(refused.contains("checksum"), "{refused}");
    eprintln!("tampered zip: {refused}");
}
