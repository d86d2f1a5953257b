//! Where the provider goes on a user's machine: the platform name Terraform
//! uses and the implicit local mirror layout, for the host or for any
//! platform (so that the Windows paths are tested on every platform).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Terraform's `<os>_<arch>` for this build, e.g. `linux_amd64`.
pub fn os_arch() -> String {
    os_arch_of(std::env::consts::OS, std::env::consts::ARCH)
}

/// Terraform's `<os>_<arch>` for Rust's `std::env::consts::{OS, ARCH}` names.
pub fn os_arch_of(os: &str, arch: &str) -> String {
    let os = match os {
        "macos" => "darwin",
        other => other,
    };
    let arch = match arch {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "arm" => "arm",
        other => other,
    };
    format!("{os}_{arch}")
}

/// The implicit local mirror a plain `terraform init` searches first, for
/// the operating system `os` (Rust's `std::env::consts::OS` name), reading
/// the environment through `var`:
/// - Windows: `%APPDATA%\terraform.d\plugins`;
/// - every other system: `$HOME/.terraform.d/plugins`.
///
/// An error names the variable that is not set.
pub fn implicit_mirror_of(os: &str, var: impl Fn(&str) -> Option<OsString>) -> Result<PathBuf, String> {
    let (name, sub) = if os == "windows" { ("APPDATA", "terraform.d") } else { ("HOME", ".terraform.d") };
    match var(name).filter(|v| !v.is_empty()) {
        Some(base) => Ok(PathBuf::from(base).join(sub).join("plugins")),
        None => Err(format!(
            "{name} is not set: Terraform on {os} looks for locally installed providers under {}",
            if os == "windows" { r"%APPDATA%\terraform.d\plugins" } else { "$HOME/.terraform.d/plugins" }
        )),
    }
}

/// [`implicit_mirror_of`] for this machine.
pub fn implicit_mirror() -> Result<PathBuf, String> {
    implicit_mirror_of(std::env::consts::OS, |k| std::env::var_os(k))
}

/// `<mirror>/registry.terraform.io/exotel/exotel/<version>/<os_arch>/`: where
/// one version's executable goes in an implicit local mirror.
pub fn local_mirror_dir(mirror: &Path, version: &str, os_arch: &str) -> PathBuf {
    mirror.join(crate::PROVIDER_ADDRESS).join(version).join(os_arch)
}

/// The executable name inside a release or mirror:
/// `terraform-provider-exotel_v<version>`, with `.exe` on Windows.
pub fn executable_name(version: &str, os: &str) -> String {
    let exe = if os == "windows" { ".exe" } else { "" };
    format!("terraform-provider-exotel_v{version}{exe}")
}

/// Copies `binary` into the implicit local mirror `mirror` (for this
/// machine's platform); returns the path written.
pub fn install_local(binary: &Path, mirror: &Path, version: &str) -> std::io::Result<PathBuf> {
    let dir = local_mirror_dir(mirror, version, &os_arch());
    std::fs::create_dir_all(&dir)?;
    let name = executable_name(version, std::env::consts::OS);
    let dest = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::copy(binary, &tmp)?;
    // Windows' rename does not replace an existing file.
    if cfg!(windows) && dest.exists() {
        std::fs::remove_file(&dest)?;
    }
    std::fs::rename(&tmp, &dest)?;
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn windows_installs_under_appdata_with_an_exe() {
        let appdata = r"C:\Users\op\AppData\Roaming";
        let mirror = implicit_mirror_of("windows", env(&[("APPDATA", appdata), ("HOME", "/home/op")])).unwrap();
        let dir = local_mirror_dir(&mirror, "0.1.0", &os_arch_of("windows", "x86_64"));
        let rest = dir.strip_prefix(appdata).unwrap_or_else(|_| panic!("{dir:?} is not under {appdata}"));
        let parts: Vec<String> = rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        assert_eq!(
            parts,
            ["terraform.d", "plugins", "registry.terraform.io", "exotel", "exotel", "0.1.0", "windows_amd64"]
        );
        assert_eq!(executable_name("0.1.0", "windows"), "terraform-provider-exotel_v0.1.0.exe");
        // HOME alone does not do on Windows: Terraform does not look there.
        let e = implicit_mirror_of("windows", env(&[("HOME", "/home/op")])).unwrap_err();
        assert!(e.contains("APPDATA is not set") && e.contains(r"%APPDATA%\terraform.d\plugins"), "{e}");
    }

    #[test]
    fn unix_installs_under_home_without_an_extension() {
        for (os, arch, platform) in [
            ("linux", "x86_64", "linux_amd64"),
            ("macos", "aarch64", "darwin_arm64"),
            ("freebsd", "x86_64", "freebsd_amd64"),
        ] {
            let mirror = implicit_mirror_of(os, env(&[("HOME", "/home/op"), ("APPDATA", "/nope")])).unwrap();
            assert_eq!(
                local_mirror_dir(&mirror, "0.1.0", &os_arch_of(os, arch)),
                Path::new("/home/op/.terraform.d/plugins/registry.terraform.io/exotel/exotel/0.1.0").join(platform)
            );
            assert_eq!(executable_name("0.1.0", os), "terraform-provider-exotel_v0.1.0");
        }
        let e = implicit_mirror_of("linux", env(&[])).unwrap_err();
        assert!(e.contains("HOME is not set"), "{e}");
    }
}
