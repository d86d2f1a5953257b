//! The release check: the cross-built release folder, verified as far as a
//! Linux x86-64 machine allows. The full check, before publishing (what
//! `release.yml` runs; 1-1.5 hours on 2 cores):
//!
//!     .ci/release-check
//!
//! which is `cargo run --release --example dist -- --all` then
//! `EXOTEL_REBUILD=all cargo test --release --test release`. `.ci/run` checks
//! every submission with the smoke build instead (`dist -- --all --smoke`,
//! no LTO) and the tests that hold for it, [`artifacts`] and [`emulated`]:
//!
//!     EXOTEL_RELEASE_DIR=target/dist-smoke/<version> \
//!       cargo test --release --test release -- artifacts:: emulated::
//!
//! It is not part of `cargo test --release` (it needs the whole release, a
//! half hour of cross builds) and it fails, never skips, when the folder or a
//! tool is missing. `EXOTEL_RELEASE_DIR` names another folder (default
//! `target/dist/<version>`). Tools: `qemu-aarch64` (Debian `qemu-user`) and
//! `wine` (Debian `wine` and `wine64`); `.ci/run` installs them.
//!
//! * [`artifacts`]: each zip (one executable, its name, mode 0755), the
//!   checksums, and each executable's headers: static ELF for Linux, Mach-O
//!   with only system libraries for macOS, a console PE importing only
//!   Windows' own DLLs, FreeBSD ELF needing only base-system libraries, an
//!   intact ad hoc signature on darwin_arm64.
//! * [`emulated`]: real Terraform drives the linux_arm64 build under qemu
//!   user-mode emulation and the windows_amd64 build under wine (over
//!   go-plugin's TCP transport, as on Windows).
//! * [`mirror`] (full check only): the release served as an HTTPS network
//!   mirror; `terraform providers lock` for five platforms, a clean `init`
//!   with that lock file (which installs and runs the static linux_amd64
//!   build), and a tampered zip refused.
//! * [`rebuild`] (full check only): every zip rebuilt from scratch to the
//!   same bytes (`EXOTEL_REBUILD=<os_arch>,...` rebuilds only those).

#[path = "../support/mod.rs"]
mod support;

mod artifacts;
mod emulated;
mod mirror;
mod rebuild;

use std::io::Read;
use std::path::{Path, PathBuf};

pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Every platform the release command builds.
pub(crate) const PLATFORMS: &[&str] =
    &["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "freebsd_amd64"];

/// The release folder; panics with what to run when it is not there.
pub(crate) fn release_dir() -> PathBuf {
    let dir = std::env::var_os("EXOTEL_RELEASE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("dist").join(VERSION));
    let sums = dir.join(format!("terraform-provider-exotel_{VERSION}_SHA256SUMS"));
    assert!(
        sums.is_file(),
        "no release in {}: run `cargo run --release --example dist -- --all` first (or set EXOTEL_RELEASE_DIR, e.g. to the smoke build's target/dist-smoke/<version>)",
        dir.display()
    );
    dir
}

pub(crate) fn zip_name(platform: &str) -> String {
    format!("terraform-provider-exotel_{VERSION}_{platform}.zip")
}

/// One zip member: its name, Unix mode and bytes.
pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) mode: Option<u32>,
    pub(crate) bytes: Vec<u8>,
}

/// The members of a platform's zip.
pub(crate) fn members(platform: &str) -> Vec<Member> {
    let path = release_dir().join(zip_name(platform));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).expect("zip member");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("unzip");
            Member { name: f.name().expect("member name").to_string(), mode: f.unix_mode(), bytes }
        })
        .collect()
}

/// The one executable of a platform's zip.
pub(crate) fn executable(platform: &str) -> Vec<u8> {
    let mut m = members(platform);
    assert_eq!(m.len(), 1, "{platform}: one member");
    m.remove(0).bytes
}

/// Unpacks a platform's executable into `dir` (mode 0755); returns its path.
pub(crate) fn unpack(platform: &str, dir: &Path) -> PathBuf {
    let name = if platform.starts_with("windows") {
        format!("terraform-provider-exotel_v{VERSION}.exe")
    } else {
        format!("terraform-provider-exotel_v{VERSION}")
    };
    let path = dir.join(name);
    std::fs::write(&path, executable(platform)).expect("unpack");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

/// A tool this check needs; panics with the package that provides it.
pub(crate) fn tool(name: &str, package: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|p| p.is_file()))
        .unwrap_or_else(|| panic!("`{name}` is not installed: `apt-get install {package}` (Debian)"))
}
