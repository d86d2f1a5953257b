//! Real Terraform (Linux x86-64) drives release builds for other platforms
//! under emulation: linux_arm64 under qemu user mode, windows_amd64 under
//! wine. Terraform starts a two-line script named `terraform-provider-exotel`
//! from a `dev_overrides` folder, which execs the emulator on the unpacked
//! executable; the handshake, mTLS and every RPC are the real ones.

use crate::support::*;
use crate::*;
use std::path::Path;

/// Writes `dir/terraform-provider-exotel`: `exec <runner...> <exe> "$@"`.
fn launcher(dir: &Path, env: &[(&str, &Path)], runner: &Path, exe: &Path) {
    let exports: String = env.iter().map(|(k, v)| format!("export {k}='{}'\n", v.display())).collect();
    let script = dir.join("terraform-provider-exotel");
    std::fs::write(&script, format!("#!/bin/sh\n{exports}exec '{}' '{}' \"$@\"\n", runner.display(), exe.display()))
        .expect("launcher");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// One example setup from `examples/`, applied, re-planned (empty),
/// destroyed, with the provider in `provider_dir`; returns the apply output.
fn drive_example(sim: &Sim, provider_dir: &Path, example: &str) -> String {
    let wd = Workdir::with_dev_override(&sim.base_url, provider_dir);
    wd.remove("versions.tf");
    let main = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(example).join("main.tf");
    wd.write("main.tf", &std::fs::read_to_string(main).expect("example"));
    let applied = wd.apply();
    assert!(!sim.trunks().is_empty(), "{example}: nothing created\n{applied}");
    wd.assert_no_diff();
    wd.destroy();
    assert!(sim.trunks().is_empty(), "{example}: left {:?}", sim.trunks());
    applied
}

#[test]
fn linux_arm64_under_qemu_drives_both_example_setups() {
    let qemu = tool("qemu-aarch64", "qemu-user");
    let tmp = tempfile::tempdir().unwrap();
    let exe = unpack("linux_arm64", tmp.path());
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    launcher(&bin, &[], &qemu, &exe);
    let sim = Sim::start(&[]);
    let termination = drive_example(&sim, &bin, "termination");
    assert!(termination.contains("Apply complete!"), "{termination}");
    let origination = drive_example(&sim, &bin, "origination");
    assert!(origination.contains("Apply complete!"), "{origination}");
}

#[test]
fn windows_amd64_under_wine_drives_the_termination_setup_over_tcp() {
    let wine = tool("wine", "wine wine64");
    let tmp = tempfile::tempdir().unwrap();
    let exe = unpack("windows_amd64", tmp.path());
    let prefix = tmp.path().join("wineprefix");
    std::fs::create_dir(&prefix).unwrap();
    let wine_cmd = || {
        let mut c = std::process::Command::new(&wine);
        c.env("WINEPREFIX", &prefix).env("WINEDEBUG", "-all");
        c
    };
    let boot = wine_cmd().args(["wineboot", "--init"]).output().expect("wineboot");
    assert!(boot.status.success(), "wineboot: {}", text(&boot));
    // Wine 8 lacks bcryptprimitives.dll (Windows 10+ has it): the shim.
    let zig_python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/cross/venv/bin/python3");
    assert!(zig_python.is_file(), "no Zig: the release command installs it into target/cross/venv");
    let dll = prefix.join("drive_c/windows/system32/bcryptprimitives.dll");
    let shim = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/release/wine-bcryptprimitives.c");
    let cc = std::process::Command::new(zig_python)
        .args(["-m", "ziglang", "cc", "-target", "x86_64-windows-gnu", "-shared", "-O2", "-nostdlib", "-o"])
        .arg(&dll)
        .arg(shim)
        .arg("-ladvapi32")
        .output()
        .expect("zig cc");
    assert!(cc.status.success(), "zig cc: {}", text(&cc));
    // Started by hand, the provider says it is a plugin and exits 1.
    let first = wine_cmd().arg(&exe).output().expect("run wine");
    let said = text(&first);
    assert_eq!(first.status.code(), Some(1), "{said}");
    assert!(said.contains("This binary is a plugin"), "{said}");

    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    launcher(&bin, &[("WINEPREFIX", &prefix), ("WINEDEBUG", Path::new("-all"))], &wine, &exe);
    let sim = Sim::start(&[]);
    let applied = drive_example(&sim, &bin, "termination");
    assert!(applied.contains("Apply complete!"), "{applied}");

    // The Windows build serves over TCP on loopback, the only transport it has.
    let mut wd = Workdir::with_dev_override(&sim.base_url, &bin);
    wd.set_env("TF_LOG", "DEBUG");
    wd.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"wine\"\n}\n");
    let (code, log) = wd.plan(&[]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("network=tcp"), "no tcp plugin address in the log:\n{log}");
}
