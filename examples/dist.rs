//! Release artifacts in the layout the Terraform Registry and
//! goreleaser-built providers use:
//!
//!     cargo run --release --example dist -- [--version V] [--target TRIPLE]
//!         [--out DIR] [--mirror DIR] [--binary PATH]
//!
//! writes to `--out` (default `target/dist/<version>`):
//! * `terraform-provider-exotel_<version>_<os>_<arch>.zip`, holding
//!   `terraform-provider-exotel_v<version>` (mode 0755, fixed timestamp);
//! * `terraform-provider-exotel_<version>_manifest.json` (protocol 6.0);
//! * `terraform-provider-exotel_<version>_SHA256SUMS`, and its detached
//!   signature `..._SHA256SUMS.sig` when `GPG_FINGERPRINT` names a key in the
//!   local keyring (skipped with a message otherwise).
//!
//! `--mirror DIR` also lays the zip out as a filesystem mirror:
//! `DIR/registry.terraform.io/exotel/exotel/<zip>`.
//!
//! The build is reproducible: it runs in `target/dist-build` with build paths
//! remapped (`--remap-path-prefix`), and the zip has fixed timestamps and
//! order. `--binary` packages an already built executable instead.
//!
//! Other platforms are cross builds, e.g. (the target must be installed):
//!     cargo run --release --example dist -- --target aarch64-unknown-linux-gnu
//!     cargo run --release --example dist -- --target x86_64-apple-darwin
//!     cargo run --release --example dist -- --target x86_64-pc-windows-gnu

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const NAME: &str = "terraform-provider-exotel";

fn usage() -> ! {
    eprintln!("usage: dist [--version V] [--target TRIPLE] [--out DIR] [--mirror DIR] [--binary PATH]");
    std::process::exit(2)
}

/// Terraform's `<os>_<arch>` for a Rust target triple.
fn os_arch(triple: &str) -> Option<String> {
    let arch = match triple.split('-').next()? {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "i686" | "i586" => "386",
        "armv7" | "arm" => "arm",
        _ => return None,
    };
    let os = if triple.contains("linux") {
        "linux"
    } else if triple.contains("apple-darwin") {
        "darwin"
    } else if triple.contains("windows") {
        "windows"
    } else if triple.contains("freebsd") {
        "freebsd"
    } else {
        return None;
    };
    Some(format!("{os}_{arch}"))
}

fn host_triple() -> String {
    let out = Command::new("rustc").arg("-vV").output().expect("rustc -vV");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("host triple")
        .trim()
        .to_string()
}

/// Builds the provider reproducibly; returns the executable.
fn build(root: &Path, target: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target_dir = root.join("target").join("dist-build");
    let cargo_home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"));
    let rustflags = format!(
        "--remap-path-prefix={}=/build/{NAME} --remap-path-prefix={}=/cargo",
        root.display(),
        cargo_home.display()
    );
    let st = Command::new(cargo)
        .args(["build", "--release", "--locked", "--bin", NAME, "--target", target])
        .arg("--target-dir")
        .arg(&target_dir)
        .current_dir(root)
        .env("RUSTFLAGS", rustflags)
        .env("SOURCE_DATE_EPOCH", "0")
        .status()
        .expect("cargo build");
    assert!(st.success(), "cargo build failed");
    let exe = if target.contains("windows") { format!("{NAME}.exe") } else { NAME.to_string() };
    target_dir.join(target).join("release").join(exe)
}

/// A zip with one member, byte-for-byte the same for the same executable.
fn zip_bytes(member: &str, exe: &[u8]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o755);
    w.start_file(member, opts).expect("zip entry");
    w.write_all(exe).expect("zip write");
    w.finish().expect("zip finish").into_inner()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let mut version = terraform_provider_exotel::VERSION.to_string();
    let mut target = None;
    let mut out = None;
    let mut mirror = None;
    let mut binary = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--version" => version = val(),
            "--target" => target = Some(val()),
            "--out" => out = Some(PathBuf::from(val())),
            "--mirror" => mirror = Some(PathBuf::from(val())),
            "--binary" => binary = Some(PathBuf::from(val())),
            _ => usage(),
        }
    }
    let target = target.unwrap_or_else(host_triple);
    let Some(platform) = os_arch(&target) else {
        eprintln!("no Terraform platform name for target {target}");
        std::process::exit(2)
    };
    let out = out.unwrap_or_else(|| root.join("target").join("dist").join(&version));
    std::fs::create_dir_all(&out).expect("out dir");
    let exe = binary.unwrap_or_else(|| build(&root, &target));
    let exe_bytes = std::fs::read(&exe).unwrap_or_else(|e| panic!("read {}: {e}", exe.display()));

    let member =
        if target.contains("windows") { format!("{NAME}_v{version}.exe") } else { format!("{NAME}_v{version}") };
    let zip_name = format!("{NAME}_{version}_{platform}.zip");
    std::fs::write(out.join(&zip_name), zip_bytes(&member, &exe_bytes)).expect("write zip");

    let manifest_name = format!("{NAME}_{version}_manifest.json");
    // The registry manifest at the repository root, published as is.
    std::fs::write(out.join(&manifest_name), include_str!("../terraform-registry-manifest.json"))
        .expect("write manifest");

    // SHA256SUMS covers every zip of this version in the directory, plus the manifest.
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("read out")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            n.starts_with(&format!("{NAME}_{version}_")) && (n.ends_with(".zip") || n.ends_with("_manifest.json"))
        })
        .collect();
    files.sort();
    let mut sums = String::new();
    for f in &files {
        let digest = Sha256::digest(std::fs::read(out.join(f)).expect("read artifact"));
        sums.push_str(&format!("{}  {f}\n", hex::encode(digest)));
    }
    let sums_name = format!("{NAME}_{version}_SHA256SUMS");
    std::fs::write(out.join(&sums_name), &sums).expect("write sums");

    match std::env::var("GPG_FINGERPRINT").ok().filter(|s| !s.is_empty()) {
        Some(key) => {
            let sig = out.join(format!("{sums_name}.sig"));
            let _ = std::fs::remove_file(&sig);
            let st = Command::new("gpg")
                .args(["--batch", "--yes", "--local-user", &key, "--output"])
                .arg(&sig)
                .args(["--detach-sign"])
                .arg(out.join(&sums_name))
                .status()
                .expect("run gpg");
            assert!(st.success(), "gpg signing failed");
            println!("signed {}", sig.display());
        }
        None => println!("not signing {sums_name}: set GPG_FINGERPRINT to a key in the local keyring to sign it"),
    }

    if let Some(m) = mirror {
        let dir = m.join("registry.terraform.io/exotel/exotel");
        std::fs::create_dir_all(&dir).expect("mirror dir");
        std::fs::copy(out.join(&zip_name), dir.join(&zip_name)).expect("copy into mirror");
        println!("mirror: {}", dir.join(&zip_name).display());
    }
    for f in files.iter().chain(std::iter::once(&sums_name)) {
        println!("{}", out.join(f).display());
    }
}
