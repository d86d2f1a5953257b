//! The full release check only: a second clean build of every platform
//! gives the same zips, byte for byte (the smoke build of `.ci/run` is not
//! reproducible and is never rebuilt).

use crate::*;
use std::ffi::OsStr;

/// A second clean build of every platform, in another target folder, gives
/// the same zips, byte for byte. `EXOTEL_REBUILD=linux_amd64,darwin_arm64`
/// rebuilds only those (`.ci/run` does, for time); unset or `all`, all six.
#[test]
fn every_zip_rebuilds_to_the_same_bytes() {
    let platforms: Vec<String> = match std::env::var("EXOTEL_REBUILD") {
        Ok(list) if list.trim() != "all" => {
            list.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
        }
        _ => PLATFORMS.iter().map(|p| p.to_string()).collect(),
    };
    for p in &platforms {
        assert!(PLATFORMS.contains(&p.as_str()), "EXOTEL_REBUILD names {p}; the platforms are {PLATFORMS:?}");
    }
    assert!(!platforms.is_empty(), "EXOTEL_REBUILD names no platform");
    let tmp = tempfile::tempdir().unwrap();
    let (build, out) = (tmp.path().join("build"), tmp.path().join("out"));
    let mut args: Vec<&OsStr> = Vec::new();
    for p in &platforms {
        args.extend([OsStr::new("--platform"), OsStr::new(p)]);
    }
    args.extend([OsStr::new("--target-dir"), build.as_os_str(), OsStr::new("--out"), out.as_os_str()]);
    support::run_dist(&args);
    let mut differ = Vec::new();
    for p in &platforms {
        let again = std::fs::read(out.join(zip_name(p))).unwrap();
        let released = std::fs::read(release_dir().join(zip_name(p))).unwrap();
        eprintln!("{p}: released {} bytes, rebuilt {} bytes, same: {}", released.len(), again.len(), again == released);
        if again != released {
            differ.push(p.as_str());
        }
    }
    assert!(differ.is_empty(), "a second clean build gave different bytes for {differ:?}");
}
