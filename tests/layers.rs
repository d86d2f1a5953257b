//! The layers keep to themselves: the vSIP client crate (`crates/exotel-vsip`)
//! knows no Terraform, and the plugin framework (`src/tf`, `src/plugin`,
//! `src/provider`) knows no Exotel: it imports neither the client crate nor
//! the provider's own modules, and names Exotel in no line of code. A
//! source file breaking a rule fails here with its name and line.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every `file:line: text` under `dir` whose lowercased text contains one
/// of `words` (comments included unless `code_only`).
fn offending(dir: &str, words: &[&str], code_only: bool) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    rust_files(&root.join(dir), &mut files);
    assert!(!files.is_empty(), "no Rust files under {dir}");
    let mut hits = vec![];
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for (i, line) in text.lines().enumerate() {
            let l = line.to_lowercase();
            if code_only && l.trim_start().starts_with("//") {
                continue;
            }
            if words.iter().any(|w| l.contains(w)) {
                hits.push(format!("{}:{}: {}", f.strip_prefix(root).unwrap_or(&f).display(), i + 1, line.trim()));
            }
        }
    }
    hits
}

#[test]
fn the_client_crate_knows_no_terraform() {
    let hits = offending("crates/exotel-vsip/src", &["terraform", "tfplugin", "cty"], false);
    assert!(hits.is_empty(), "the vSIP client crate names Terraform:\n{}", hits.join("\n"));
}

#[test]
fn the_plugin_framework_knows_no_exotel() {
    // The provider's own modules, the client crate (also as `crate::api`),
    // and the word itself in code (names, messages, environment variables).
    let banned = [
        "crate::api",
        "exotel_vsip",
        "crate::exotel",
        "crate::resources",
        "crate::validate",
        "crate::functions",
        "crate::docs",
        "crate::provider_address",
        "exotel",
    ];
    let mut hits = vec![];
    for dir in ["src/tf", "src/plugin", "src/provider"] {
        hits.extend(offending(dir, &banned, true));
    }
    assert!(hits.is_empty(), "the plugin framework reaches into the Exotel provider:\n{}", hits.join("\n"));
}
