//! Release artifacts in the layout the Terraform Registry, the OpenTofu
//! Registry and goreleaser-built providers use.
//!
//! The whole release, every platform, cross-built from Linux (Cargo profile
//! `dist`: fat LTO, one codegen unit, `opt-level = "s"`):
//!
//!     cargo run --release --example dist -- --all
//!
//! CI's smoke build of the same six platforms (profile `smoke`: no LTO,
//! `opt-level = 1`), all in one Cargo run and one target folder so that
//! build scripts and proc-macros build once, into `target/dist-smoke/`;
//! compiled and linked for each target as the release is, but not for
//! publishing (features are unified across the six, and it is not
//! reproducible):
//!
//!     cargo run --release --example dist -- --all --smoke
//!
//! One platform, or an executable built elsewhere:
//!
//!     cargo run --release --example dist -- [--platform OS_ARCH | --target TRIPLE]... [--binary PATH]
//!
//! Or only the checksums, manifest and mirrors of the zips already in `--out`:
//!
//!     cargo run --release --example dist -- --package-only [--net-mirror DIR]
//!
//! Options: `--version V`, `--out DIR` (default `target/dist/<version>`,
//! with `--smoke` `target/dist-smoke/<version>`), `--mirror DIR`
//! (filesystem mirror), `--net-mirror DIR` (network mirror), `--target-dir
//! DIR` (default `target/dist-build`, with `--smoke` `target/smoke-build`),
//! `--jobs N` (platforms built at once, default 2). `--platform linux_arm64`
//! picks that platform's release target.
//!
//! Writes to `--out`:
//! * `terraform-provider-exotel_<version>_<os>_<arch>.zip`, holding
//!   `terraform-provider-exotel_v<version>` (`.exe` on Windows; mode 0755,
//!   fixed timestamp);
//! * `terraform-provider-exotel_<version>_manifest.json` (protocol 6.0);
//! * `terraform-provider-exotel_<version>_SHA256SUMS`, and its detached
//!   signature `..._SHA256SUMS.sig` when `GPG_FINGERPRINT` names a key in the
//!   local keyring (skipped with a message otherwise).
//!
//! `--mirror DIR` lays the zips out as a filesystem mirror
//! (`DIR/registry.terraform.io/exotel/exotel/<zip>`); `--net-mirror DIR` as
//! the static files of a provider network mirror (`index.json`,
//! `<version>.json` with each zip's `zh:` and `h1:` hashes, the zips), to be
//! served over HTTPS by any web server.
//!
//! Cross builds use `cargo-zigbuild` with Zig as the C compiler and linker
//! (aws-lc-sys is C and assembly). The toolchain installs itself on first
//! use: `rustup target add` for the targets, and the PyPI wheels
//! [`ZIGLANG`] and [`CARGO_ZIGBUILD`] into `target/cross/venv`.
//!
//! Each platform is one Cargo run in its own folder,
//! `<target-dir>/<os_arch>/`, with its log beside it (`<os_arch>.log`); two
//! run at once, so one build's single-threaded fat LTO leaves no core idle
//! (measured on 2 cores: 1,813 s for all six, 2,218 s one after another).
//!
//! The build is reproducible: the source, Cargo home and target paths are
//! remapped (rustc `--remap-path-prefix`, C `-ffile-prefix-map`), Mach-O
//! links carry no debug map (whose object paths would change the UUID that
//! Zig's linker derives from the file's bytes), and the zip has fixed
//! timestamps and order.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const NAME: &str = "terraform-provider-exotel";

/// What `--all` builds, one per Terraform platform, longest build first (so
/// two at a time end together: windows_amd64 also builds Zig's mingw-w64).
/// Linux builds are static (musl): no glibc version floor, any distribution.
const RELEASE_TARGETS: &[&str] = &[
    "x86_64-pc-windows-gnu",
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
    "x86_64-unknown-freebsd",
];

/// The oldest macOS the darwin builds support: Big Sur, the first release
/// for Apple silicon, and the oldest Terraform itself (Go 1.23+) runs on.
const MACOS_MIN: &str = "11.0";

/// The cross toolchain, pinned (PyPI wheels).
const ZIGLANG: &str = "ziglang==0.17.1";
const CARGO_ZIGBUILD: &str = "cargo-zigbuild==0.24.1";

fn usage() -> ! {
    eprintln!(
        "usage: dist [--all | --platform OS_ARCH... | --target TRIPLE... | --package-only] [--smoke] [--version V] [--out DIR]\n            [--mirror DIR] [--net-mirror DIR] [--binary PATH] [--target-dir DIR] [--jobs N]"
    );
    std::process::exit(2)
}

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("dist: {msg}");
    std::process::exit(1)
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
    let out = Command::new("rustc").arg("-vV").output().unwrap_or_else(|e| fail(format!("rustc -vV: {e}")));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap_or_else(|| fail("rustc -vV printed no host triple"))
        .trim()
        .to_string()
}

fn run(cmd: &mut Command, what: &str) {
    let st = cmd.status().unwrap_or_else(|e| fail(format!("{what}: {e}")));
    if !st.success() {
        fail(format!("{what} failed ({st})"));
    }
}

/// Installs what cross builds need; returns the folder holding `cargo-zigbuild`.
fn cross_toolchain(target_root: &Path, targets: &[String]) -> PathBuf {
    let mut add = Command::new("rustup");
    add.args(["target", "add"]).args(targets);
    run(&mut add, "rustup target add");
    let venv = target_root.join("cross").join("venv");
    let bin = venv.join("bin");
    let stamp = venv.join("dist-toolchain");
    let wanted = format!("{ZIGLANG} {CARGO_ZIGBUILD}\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        let _ = std::fs::remove_dir_all(&venv);
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv), "python3 -m venv");
        run(
            Command::new(bin.join("pip")).args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                ZIGLANG,
                CARGO_ZIGBUILD,
            ]),
            "pip install the cross toolchain",
        );
        std::fs::write(&stamp, wanted).unwrap_or_else(|e| fail(format!("write {}: {e}", stamp.display())));
    }
    bin
}

/// How the executables are built.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Profile `dist`, one Cargo run per target, reproducible.
    Release,
    /// Profile `smoke`, every target in one Cargo run (CI's link check).
    Smoke,
}

impl Mode {
    fn profile(self) -> &'static str {
        match self {
            Mode::Release => "dist",
            Mode::Smoke => "smoke",
        }
    }
}

/// Builds the provider for `targets` in one Cargo run in the folder `dir`,
/// its output in `<dir>.log`; returns the executables in the order of
/// `targets`, or what failed with the log's end.
///
/// A release builds one target per run: Cargo unifies features across every
/// target of one run, so building several together would give each binary
/// the other platforms' features (measured: 57 KB more in linux_amd64) and
/// bytes that a one-platform rebuild could not reproduce. The smoke build
/// accepts that, for one shared build of the host tools.
fn build(
    root: &Path,
    dir: &Path,
    targets: &[&str],
    mode: Mode,
    zig_bin: Option<&Path>,
) -> Result<Vec<PathBuf>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(&cargo);
    match zig_bin {
        Some(bin) => {
            // cargo-zigbuild finds Zig as the `ziglang` module of the venv's python3.
            let path = std::env::join_paths(
                std::iter::once(bin.to_path_buf())
                    .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
            )
            .map_err(|e| format!("PATH: {e}"))?;
            cmd.arg("zigbuild").env("PATH", path);
        }
        None => {
            cmd.arg("build");
        }
    }
    cmd.args(["--profile", mode.profile(), "--locked", "--bin", NAME]);
    for t in targets {
        cmd.args(["--target", t]);
    }
    cmd.arg("--target-dir").arg(dir).current_dir(root);
    if mode == Mode::Release {
        let [target] = targets else { return Err("a release builds one target per Cargo run".into()) };
        let cargo_home = std::env::var("CARGO_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"));
        let maps = [(root, format!("/build/{NAME}")), (cargo_home.as_path(), "/cargo".into()), (dir, "/target".into())];
        let mut rustflags =
            maps.iter().map(|(from, to)| format!("--remap-path-prefix={}={to}", from.display())).collect::<Vec<_>>();
        let cflags =
            maps.iter().map(|(from, to)| format!("-ffile-prefix-map={}={to}", from.display())).collect::<Vec<_>>();
        if target.contains("apple") {
            // Without a debug map (N_OSO entries naming the object files' real
            // paths) in the linked file: Zig's linker derives LC_UUID from the
            // file's bytes before rustc strips it, and two checkouts gave two UUIDs.
            rustflags.push("-Clink-arg=-Wl,-S".into());
        }
        cmd.env(format!("CFLAGS_{}", target.replace('-', "_")), cflags.join(" "))
            .env("RUSTFLAGS", rustflags.join(" "))
            .env("SOURCE_DATE_EPOCH", "0");
    }
    // The oldest macOS the darwin builds run on (rustc's own default for
    // arm64; Zig's linker would otherwise write its newest known version).
    cmd.env("MACOSX_DEPLOYMENT_TARGET", MACOS_MIN);
    let log_path = dir.with_extension("log");
    let log = std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let log_err = log.try_clone().map_err(|e| format!("{}: {e}", log_path.display()))?;
    cmd.stdout(log).stderr(log_err);
    let started = Instant::now();
    let what = targets.join(", ");
    let status = cmd.status().map_err(|e| format!("building {what}: {cargo}: {e}"))?;
    if !status.success() {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("building {what} failed ({status}); {}:\n{}", log_path.display(), tail.join("\n")));
    }
    eprintln!("dist: built {what} ({}) in {} s", mode.profile(), started.elapsed().as_secs());
    Ok(targets
        .iter()
        .map(|t| {
            let exe = if t.contains("windows") { format!("{NAME}.exe") } else { NAME.to_string() };
            dir.join(t).join(mode.profile()).join(exe)
        })
        .collect())
}

/// Builds every target, `jobs` at a time, each in `<target_dir>/<os_arch>`;
/// returns the executables in the order of `targets`, or fails with every
/// build that failed (no new build starts after a failure).
fn build_all(
    root: &Path,
    target_dir: &Path,
    targets: &[String],
    host: &str,
    zig_bin: Option<&Path>,
    jobs: usize,
) -> Vec<PathBuf> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let (next, failed) = (AtomicUsize::new(0), AtomicBool::new(false));
    let results: Mutex<Vec<Option<Result<PathBuf, String>>>> = Mutex::new(vec![None; targets.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, targets.len().max(1)) {
            scope.spawn(|| {
                while !failed.load(Ordering::SeqCst) {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(t) = targets.get(i) else { break };
                    let dir = target_dir.join(os_arch(t).expect("checked in main"));
                    eprintln!("dist: building {t} in {} (log: {})", dir.display(), dir.with_extension("log").display());
                    let zig = zig_bin.filter(|_| t != host);
                    let r = std::fs::create_dir_all(&dir)
                        .map_err(|e| format!("{}: {e}", dir.display()))
                        .and_then(|_| build(root, &dir, &[t.as_str()], Mode::Release, zig))
                        .map(|mut exes| exes.remove(0));
                    if r.is_err() {
                        failed.store(true, Ordering::SeqCst);
                    }
                    results.lock().expect("results")[i] = Some(r);
                }
            });
        }
    });
    let results = results.into_inner().expect("results");
    let errors: Vec<&String> = results.iter().flatten().filter_map(|r| r.as_ref().err()).collect();
    if !errors.is_empty() {
        fail(errors.iter().map(|e| e.as_str()).collect::<Vec<_>>().join("\n"));
    }
    results.into_iter().map(|r| r.expect("every target built").expect("no error")).collect()
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

/// Terraform's `h1:` hash of a provider package: SHA-256 over the sorted
/// lines `<hex sha256 of member>  <member name>\n` of the unpacked zip,
/// base64-encoded (Go's `dirhash.Hash1`).
fn h1(zip: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap_or_else(|e| fail(format!("zip: {e}")));
    let mut lines = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap_or_else(|e| fail(format!("zip member: {e}")));
        if f.is_dir() {
            continue;
        }
        let name = f.name().unwrap_or_else(|e| fail(format!("zip member name: {e}"))).to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap_or_else(|e| fail(format!("zip member: {e}")));
        lines.push(format!("{}  {name}\n", hex::encode(Sha256::digest(&data))));
    }
    lines.sort();
    use base64::Engine;
    format!("h1:{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(lines.concat())))
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let target_root = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let mut version = terraform_provider_exotel::VERSION.to_string();
    let (mut targets, mut all, mut package_only, mut jobs) = (Vec::new(), false, false, 2);
    let mut mode = Mode::Release;
    let (mut out, mut mirror, mut net_mirror, mut binary, mut target_dir) = (None, None, None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--all" => all = true,
            "--package-only" => package_only = true,
            "--smoke" => mode = Mode::Smoke,
            "--version" => version = val(),
            "--target" => targets.push(val()),
            "--platform" => {
                let p = val();
                match RELEASE_TARGETS.iter().find(|t| os_arch(t).as_deref() == Some(p.as_str())) {
                    Some(t) => targets.push(t.to_string()),
                    None => fail(format!(
                        "no release platform {p}; the release platforms are {}",
                        RELEASE_TARGETS.iter().filter_map(|t| os_arch(t)).collect::<Vec<_>>().join(", ")
                    )),
                }
            }
            "--jobs" => jobs = val().parse().ok().filter(|n| *n > 0).unwrap_or_else(|| usage()),
            "--out" => out = Some(PathBuf::from(val())),
            "--mirror" => mirror = Some(PathBuf::from(val())),
            "--net-mirror" => net_mirror = Some(PathBuf::from(val())),
            "--binary" => binary = Some(PathBuf::from(val())),
            "--target-dir" => target_dir = Some(PathBuf::from(val())),
            _ => usage(),
        }
    }
    if all {
        if !targets.is_empty() || binary.is_some() {
            usage();
        }
        targets = RELEASE_TARGETS.iter().map(|t| t.to_string()).collect();
    }
    if package_only && (all || !targets.is_empty() || binary.is_some()) {
        usage();
    }
    let mut seen = std::collections::HashSet::new();
    targets.retain(|t| seen.insert(t.clone()));
    let host = host_triple();
    if targets.is_empty() && !package_only {
        targets.push(host.clone());
    }
    if binary.is_some() && targets.len() != 1 {
        usage();
    }
    for t in &targets {
        if os_arch(t).is_none() {
            fail(format!("no Terraform platform name for target {t}"));
        }
    }
    if mode == Mode::Smoke && (binary.is_some() || package_only) {
        usage();
    }
    let (out_default, build_default) = match mode {
        Mode::Release => ("dist", "dist-build"),
        Mode::Smoke => ("dist-smoke", "smoke-build"),
    };
    let out = out.unwrap_or_else(|| target_root.join(out_default).join(&version));
    let target_dir = target_dir.unwrap_or_else(|| target_root.join(build_default));
    std::fs::create_dir_all(&out).unwrap_or_else(|e| fail(format!("{}: {e}", out.display())));
    std::fs::create_dir_all(&target_dir).unwrap_or_else(|e| fail(format!("{}: {e}", target_dir.display())));
    // Canonical paths, so the remapped prefixes match what the compilers see.
    let (out, target_dir) = (out.canonicalize().expect("out dir"), target_dir.canonicalize().expect("target dir"));
    let prefix = format!("{NAME}_{version}_");
    if all {
        // The release folder holds exactly this release.
        for e in std::fs::read_dir(&out).expect("read out").flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    let cross: Vec<String> = targets.iter().filter(|t| **t != host).cloned().collect();
    let zig_bin =
        if binary.is_none() && !cross.is_empty() { Some(cross_toolchain(&target_root, &cross)) } else { None };
    let executables: Vec<(String, PathBuf)> = match &binary {
        Some(b) => vec![(targets[0].clone(), b.clone())],
        None if mode == Mode::Smoke => {
            let names: Vec<&str> = targets.iter().map(String::as_str).collect();
            let zig = zig_bin.as_deref().filter(|_| !cross.is_empty());
            eprintln!("dist: smoke build of {} in {}", names.join(", "), target_dir.display());
            let exes = build(&root, &target_dir.join("all"), &names, mode, zig).unwrap_or_else(|e| fail(e));
            targets.iter().cloned().zip(exes).collect()
        }
        None => targets
            .iter()
            .cloned()
            .zip(build_all(&root, &target_dir, &targets, &host, zig_bin.as_deref(), jobs))
            .collect(),
    };
    for (target, exe) in &executables {
        let exe_bytes = std::fs::read(exe).unwrap_or_else(|e| fail(format!("read {}: {e}", exe.display())));
        let member =
            if target.contains("windows") { format!("{NAME}_v{version}.exe") } else { format!("{NAME}_v{version}") };
        let zip_name = format!("{prefix}{}.zip", os_arch(target).expect("checked above"));
        std::fs::write(out.join(&zip_name), zip_bytes(&member, &exe_bytes)).expect("write zip");
    }

    let manifest_name = format!("{prefix}manifest.json");
    // The registry manifest at the repository root, published as is.
    std::fs::write(out.join(&manifest_name), include_str!("../terraform-registry-manifest.json"))
        .expect("write manifest");

    // SHA256SUMS covers every zip of this version in the directory, plus the manifest.
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("read out")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(&prefix) && (n.ends_with(".zip") || n.ends_with("_manifest.json")))
        .collect();
    files.sort();
    let zips: Vec<&String> = files.iter().filter(|f| f.ends_with(".zip")).collect();
    let mut sums = String::new();
    for f in &files {
        let digest = Sha256::digest(std::fs::read(out.join(f)).expect("read artifact"));
        sums.push_str(&format!("{}  {f}\n", hex::encode(digest)));
    }
    let sums_name = format!("{prefix}SHA256SUMS");
    std::fs::write(out.join(&sums_name), &sums).expect("write sums");

    match std::env::var("GPG_FINGERPRINT").ok().filter(|s| !s.is_empty()) {
        Some(key) => {
            let sig = out.join(format!("{sums_name}.sig"));
            let _ = std::fs::remove_file(&sig);
            run(
                Command::new("gpg")
                    .args(["--batch", "--yes", "--local-user", &key, "--output"])
                    .arg(&sig)
                    .arg("--detach-sign")
                    .arg(out.join(&sums_name)),
                "gpg --detach-sign",
            );
            println!("signed {}", sig.display());
        }
        None => println!("not signing {sums_name}: set GPG_FINGERPRINT to a key in the local keyring to sign it"),
    }

    if let Some(m) = mirror {
        let dir = m.join(terraform_provider_exotel::PROVIDER_ADDRESS);
        std::fs::create_dir_all(&dir).expect("mirror dir");
        for z in &zips {
            std::fs::copy(out.join(z), dir.join(z)).expect("copy into mirror");
        }
        println!("filesystem mirror: {}", dir.display());
    }
    if let Some(m) = net_mirror {
        // https://developer.hashicorp.com/terraform/internals/provider-network-mirror-protocol
        let dir = m.join(terraform_provider_exotel::PROVIDER_ADDRESS);
        std::fs::create_dir_all(&dir).expect("mirror dir");
        let mut archives = serde_json::Map::new();
        for z in &zips {
            let bytes = std::fs::read(out.join(z)).expect("read zip");
            std::fs::write(dir.join(z), &bytes).expect("copy into mirror");
            let platform = z.trim_start_matches(&prefix).trim_end_matches(".zip");
            let zh = format!("zh:{}", hex::encode(Sha256::digest(&bytes)));
            archives.insert(platform.to_string(), serde_json::json!({ "url": z, "hashes": [h1(&bytes), zh] }));
        }
        let index = serde_json::json!({ "versions": { version.clone(): {} } });
        std::fs::write(dir.join("index.json"), serde_json::to_string_pretty(&index).unwrap()).expect("index.json");
        std::fs::write(
            dir.join(format!("{version}.json")),
            serde_json::to_string_pretty(&serde_json::json!({ "archives": archives })).unwrap(),
        )
        .expect("<version>.json");
        println!("network mirror: {}", dir.display());
    }
    for f in files.iter().chain(std::iter::once(&sums_name)) {
        let size = std::fs::metadata(out.join(f)).map(|m| m.len()).unwrap_or(0);
        println!("{}\t{size}", out.join(f).display());
    }
}
