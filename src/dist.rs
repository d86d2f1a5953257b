//! Where the provider goes on a user's machine: the platform name Terraform
//! uses and the implicit local mirror layout.

use std::path::{Path, PathBuf};

/// Terraform's `<os>_<arch>` for this build, e.g. `linux_amd64`.
pub fn os_arch() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "arm" => "arm",
        other => other,
    };
    format!("{os}_{arch}")
}

/// `~/.terraform.d/plugins/registry.terraform.io/exotel/exotel/<version>/<os_arch>/`,
/// the implicit local mirror plain `terraform init` searches.
pub fn local_mirror_dir(home: &Path, version: &str) -> PathBuf {
    home.join(".terraform.d/plugins").join(crate::PROVIDER_ADDRESS).join(version).join(os_arch())
}

/// The executable name inside a release or mirror: `terraform-provider-exotel_v<version>`.
pub fn executable_name(version: &str) -> String {
    format!("terraform-provider-exotel_v{version}")
}

/// Copies `binary` into the implicit local mirror under `home`; returns the path written.
pub fn install_local(binary: &Path, home: &Path, version: &str) -> std::io::Result<PathBuf> {
    let dir = local_mirror_dir(home, version);
    std::fs::create_dir_all(&dir)?;
    let dest = dir.join(executable_name(version));
    let tmp = dir.join(format!(".{}.tmp", executable_name(version)));
    std::fs::copy(binary, &tmp)?;
    std::fs::rename(&tmp, &dest)?;
    Ok(dest)
}
