//! The README's by-hand walkthrough, run exactly as written: the commands
//! are read from the README (the block after the `walkthrough` marker), so
//! the walkthrough cannot rot.

use crate::support::{terraform, text};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MARKER: &str = "<!-- walkthrough:";

/// The shell block after the marker.
fn walkthrough(readme: &str) -> String {
    let start = readme.find(MARKER).expect("README has the walkthrough marker");
    let rest = &readme[start..];
    let body = &rest[rest.find("```sh\n").expect("a sh block after the marker") + 6..];
    body[..body.find("\n```").expect("the block ends")].to_string()
}

/// The output without terminal colour codes (the README's commands keep colour).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_readme_walkthrough_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = walkthrough(&std::fs::read_to_string(root.join("README.md")).expect("README"));
    for step in ["exotel-vsip-sim", "TF_CLI_CONFIG_FILE", "dev_overrides", "examples/termination", "apply"] {
        assert!(script.contains(step), "the walkthrough lost {step:?}:\n{script}");
    }
    // The user's Terraform is the one the tests drive, first on PATH.
    let tf_dir = terraform().parent().expect("terraform dir").to_path_buf();
    let path = format!("{}:{}", tf_dir.display(), std::env::var("PATH").unwrap_or_default());
    let home = tempfile::tempdir().expect("home");
    // The tests' own target folder: `cargo build --release` and `cargo run
    // --release --bin exotel-vsip-sim` resolve the same features as the test
    // build (Cargo.toml, "Feature unification"), so they build nothing and
    // the walkthrough runs the binaries every other test runs.
    let mut cmd = Command::new("bash");
    cmd.args(["-euo", "pipefail", "-c", &script])
        .current_dir(root)
        .env("PATH", path)
        .env("HOME", home.path())
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for k in [
        "TF_CLI_CONFIG_FILE",
        "TF_LOG",
        "TF_LOG_PATH",
        "EXOTEL_BASE_URL",
        "EXOTEL_API_KEY",
        "EXOTEL_API_TOKEN",
        "EXOTEL_ACCOUNT_SID",
        "EXOTEL_REGION",
    ] {
        cmd.env_remove(k);
    }
    // Its own process group, so that the simulator ends with it whatever happens.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let child = cmd.spawn().expect("bash");
    let pgid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let t0 = Instant::now();
    let out = rx.recv_timeout(Duration::from_secs(900));
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pgid}")]).status();
    let state = root.join("examples/termination/terraform.tfstate");
    let held = std::fs::read_to_string(&state).unwrap_or_default();
    for f in ["terraform.tfstate", "terraform.tfstate.backup"] {
        let _ = std::fs::remove_file(root.join("examples/termination").join(f));
    }
    let out = out.expect("the walkthrough did not finish within 15 minutes").expect("bash ran");
    let log = strip_ansi(&text(&out));
    assert!(out.status.success(), "the walkthrough failed after {:?}:\n{log}", t0.elapsed());
    // One build per test run: what the README's cargo commands would compile
    // differs from the tests' build when a dev-dependency turns on a feature
    // of a normal dependency (declare it in Cargo.toml's unification list).
    let compiled: Vec<&str> = log.lines().filter(|l| l.trim_start().starts_with("Compiling ")).collect();
    assert!(compiled.is_empty(), "the README's cargo commands rebuilt what the tests built: {compiled:?}\n{log}");
    assert!(log.contains("Plan: 5 to add"), "{log}");
    assert!(log.contains("Apply complete! Resources: 5 added"), "{log}");
    assert!(log.contains("trunk_sid = \"") && log.contains("sip_domain = \""), "{log}");
    assert!(log.contains("Destroy complete! Resources: 5 destroyed"), "{log}");
    assert!(!held.contains("\"exotel_trunk\""), "the state still holds resources:\n{held}");
}
