//! The termination and origination setups, import of every type, drift,
//! alias updates and validation, in each simulator mode: `full` (contract +
//! later endpoints), `contract` (exactly the contract: no sub-resource
//! DELETE, no settings GET/DELETE, no trunk listing) and `field-notes`
//! (integer ids, pages of 2, in-envelope 409, not-found code 1000).

use crate::support::*;
use reqwest::Method;
use serde_json::{Value, json};

const TERMINATION: &str = r#"
resource "exotel_trunk" "out" {
  trunk_name = "pbx_out"
}

resource "exotel_trunk_phone_number" "cid" {
  trunk_sid    = exotel_trunk.out.trunk_sid
  phone_number = "+919876543210"
}

resource "exotel_trunk_whitelisted_ip" "pbx" {
  for_each  = toset(["203.0.113.10", "203.0.113.11", "203.0.113.12"])
  trunk_sid = exotel_trunk.out.trunk_sid
  ip        = each.value
}

resource "exotel_trunk_whitelisted_ip" "net" {
  trunk_sid = exotel_trunk.out.trunk_sid
  ip        = "198.51.100.0"
  mask      = 28
}

resource "exotel_trunk_alias" "cid" {
  trunk_sid = exotel_trunk.out.trunk_sid
  alias     = "+919876543210"
}
"#;

const ORIGINATION: &str = r#"
resource "exotel_trunk" "in" {
  trunk_name = "support_in"
}

resource "exotel_trunk_phone_number" "line" {
  trunk_sid    = exotel_trunk.in.trunk_sid
  phone_number = "+918045678901"
}

resource "exotel_trunk_destination" "tls" {
  trunk_sid   = exotel_trunk.in.trunk_sid
  destination = "sip.example.com:5061;transport=tls"
}

resource "exotel_trunk_destination" "tcp" {
  trunk_sid   = exotel_trunk.in.trunk_sid
  destination = "sip:198.51.100.20:5060;transport=tcp"
}

data "exotel_trunk_credentials" "sip" {
  trunk_sid = exotel_trunk.in.trunk_sid
}

output "sip_username" {
  value = data.exotel_trunk_credentials.sip.username
}
"#;

fn only_trunk(sim: &Sim) -> Value {
    let t = sim.trunks();
    assert_eq!(t.len(), 1, "{t:?}");
    t[0].clone()
}

fn len(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

fn termination(mode: &str) {
    let sim = Sim::start(&["--mode", mode]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", TERMINATION);
    wd.apply();
    let t = only_trunk(&sim);
    assert_eq!(len(&t["phone_numbers"]), 1);
    assert_eq!(len(&t["whitelisted_ips"]), 4, "{t}");
    assert_eq!(t["settings"]["trunk_external_alias"], "+919876543210");
    assert_eq!(wd.attrs("exotel_trunk_whitelisted_ip.pbx[\"203.0.113.10\"]")["mask"], 32);
    assert_eq!(wd.attrs("exotel_trunk_whitelisted_ip.net")["mask"], 28);
    let id = wd.attrs("exotel_trunk_phone_number.cid")["id"].clone();
    assert!(id.is_string(), "ids are strings in state: {id}");
    wd.assert_no_diff();

    let out = wd.destroy();
    if mode == "contract" {
        // no sub-resource DELETE and no settings DELETE: warnings, then the trunk goes
        assert!(out.contains("Whitelisted IP left in Exotel"), "{out}");
        assert!(out.contains("Phone number mapping left in Exotel"), "{out}");
        assert!(out.contains("Caller-ID alias left in Exotel"), "{out}");
    } else {
        assert!(!out.contains("left in Exotel"), "{out}");
    }
    assert!(sim.trunks().is_empty(), "{:?}", sim.trunks());
    assert!(wd.state_addresses().is_empty());
}

fn origination(mode: &str) {
    let sim = Sim::start(&["--mode", mode]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", ORIGINATION);
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("Unencrypted SIP destination"), "{plan}");
    let applied = wd.apply();
    assert!(applied.contains("Unencrypted SIP destination"), "{applied}");

    let t = only_trunk(&sim);
    assert_eq!(len(&t["destinations"]), 2);
    let sid = t["trunk_sid"].as_str().unwrap().to_string();
    let creds = sim.api(Method::GET, &format!("/trunks/{sid}/credentials"), None);
    let password = creds["response"]["data"]["password"].as_str().expect("password").to_string();
    assert!(!plan.contains(&password) && !applied.contains(&password), "password printed");
    assert!(wd.state_file().contains(&password), "the data source keeps the password in state");
    assert!(applied.contains(&format!("sip_username = \"{sid}\"")), "{applied}");

    // the user's spelling stays; the API's sip: form is `uri`
    let tls = wd.attrs("exotel_trunk_destination.tls");
    assert_eq!(tls["destination"], "sip.example.com:5061;transport=tls");
    assert_eq!(tls["uri"], "sip:sip.example.com:5061;transport=tls");
    let tcp = wd.attrs("exotel_trunk_destination.tcp");
    assert_eq!(tcp["destination"], "sip:198.51.100.20:5060;transport=tcp");
    assert_eq!(tcp["uri"], "sip:198.51.100.20:5060;transport=tcp");

    wd.assert_no_diff();
    let (_, again) = wd.plan(&[]);
    assert!(!again.contains("Unencrypted"), "warning only when planning the creation:\n{again}");

    wd.destroy();
    assert!(sim.trunks().is_empty());
}

fn import_every_type(mode: &str) {
    let sim = Sim::start(&["--mode", mode]);
    let trunk = sim.api(
        Method::POST,
        "/trunks",
        Some(json!({"trunk_name": "existing", "nso_code": "ANY-ANY", "domain_name": "acme1.pstn.exotel.com"})),
    );
    let sid = trunk["response"]["data"]["trunk_sid"].as_str().unwrap().to_string();
    let id_of = |v: Value| -> String {
        let data =
            if v["response"].is_array() { v["response"][0]["data"].clone() } else { v["response"]["data"].clone() };
        match &data["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    };
    let phone = id_of(sim.api(
        Method::POST,
        &format!("/trunks/{sid}/phone-numbers"),
        Some(json!({"phone_number": "+919800000001"})),
    ));
    let _ip = id_of(sim.api(
        Method::POST,
        &format!("/trunks/{sid}/whitelisted-ips"),
        Some(json!({"ip": "192.0.2.0", "mask": 24})),
    ));
    let dest = id_of(sim.api(
        Method::POST,
        &format!("/trunks/{sid}/destination-uris"),
        Some(json!({"destinations": [{"destination": "192.0.2.50:5061;transport=tls"}]})),
    ));
    sim.api(
        Method::POST,
        &format!("/trunks/{sid}/settings"),
        Some(json!({"settings": [{"name": "trunk_external_alias", "value": "+919800000001"}]})),
    );

    let config = r#"
resource "exotel_trunk" "t" {
  trunk_name = "existing"
}
resource "exotel_trunk_phone_number" "p" {
  trunk_sid    = exotel_trunk.t.trunk_sid
  phone_number = "+919800000001"
}
resource "exotel_trunk_whitelisted_ip" "i" {
  trunk_sid = exotel_trunk.t.trunk_sid
  ip        = "192.0.2.0"
  mask      = 24
}
resource "exotel_trunk_destination" "d" {
  trunk_sid   = exotel_trunk.t.trunk_sid
  destination = "192.0.2.50:5061;transport=tls"
}
resource "exotel_trunk_alias" "a" {
  trunk_sid = exotel_trunk.t.trunk_sid
  alias     = "+919800000001"
}
"#;
    // `terraform import` with every ID form, into fresh state
    let wd = Workdir::new(&sim);
    wd.write("main.tf", config);
    for (addr, id) in [
        ("exotel_trunk.t", sid.clone()),
        ("exotel_trunk_phone_number.p", format!("{sid}/+919800000001")),
        ("exotel_trunk_whitelisted_ip.i", format!("{sid}/192.0.2.0")),
        ("exotel_trunk_destination.d", format!("{sid}/{dest}")),
        ("exotel_trunk_alias.a", sid.clone()),
    ] {
        wd.ok(&["import", "-input=false", "-no-color", addr, &id]);
    }
    assert_eq!(wd.attrs("exotel_trunk_phone_number.p")["id"], phone);
    assert_eq!(wd.attrs("exotel_trunk_whitelisted_ip.i")["mask"], 24);
    let (code, plan) = wd.plan(&[]);
    assert!(!plan.contains("must be replaced"), "{plan}");
    if mode == "contract" {
        // the trunk's fields and the alias cannot be read back: recorded in place once
        assert_eq!(plan_counts(&plan), (0, 2, 0), "{plan}");
        wd.apply();
    } else {
        assert_eq!(code, 0, "{plan}");
    }
    wd.assert_no_diff();

    // `import {}` blocks by mapping id
    let wd = Workdir::new(&sim);
    wd.write("main.tf", config);
    wd.write(
        "imports.tf",
        &format!(
            "import {{\n  to = exotel_trunk.t\n  id = \"{sid}\"\n}}\nimport {{\n  to = exotel_trunk_phone_number.p\n  id = \"{sid}/{phone}\"\n}}\nimport {{\n  to = exotel_trunk_whitelisted_ip.i\n  id = \"{sid}/192.0.2.0\"\n}}\nimport {{\n  to = exotel_trunk_destination.d\n  id = \"{sid}/{dest}\"\n}}\nimport {{\n  to = exotel_trunk_alias.a\n  id = \"{sid}\"\n}}\n"
        ),
    );
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("5 to import, 0 to add"), "{plan}");
    assert!(!plan.contains("must be replaced"), "{plan}");
    wd.apply();
    wd.remove("imports.tf");
    wd.assert_no_diff();
    let t = only_trunk(&sim);
    assert_eq!(
        (len(&t["phone_numbers"]), len(&t["whitelisted_ips"]), len(&t["destinations"])),
        (1, 1, 1),
        "nothing duplicated: {t}"
    );
}

fn drift(mode: &str) {
    let sim = Sim::start(&["--mode", mode]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", TERMINATION);
    wd.apply();
    let sid = wd.attrs("exotel_trunk.out")["trunk_sid"].as_str().unwrap().to_string();
    if mode != "contract" {
        // one sub-resource deleted outside Terraform: exactly one to add
        let ip_id = wd.attrs("exotel_trunk_whitelisted_ip.net")["id"].as_str().unwrap().to_string();
        sim.api(Method::DELETE, &format!("/trunks/{sid}/whitelisted-ips?id={ip_id}"), None);
        let (c, plan) = wd.plan(&[]);
        assert_eq!(c, 2);
        assert_eq!(plan_counts(&plan), (1, 0, 0), "{plan}");
        assert!(plan.contains("exotel_trunk_whitelisted_ip.net will be created"), "{plan}");
        wd.apply();
        wd.assert_no_diff();
    }
    // the whole trunk deleted outside Terraform: everything on it is re-created
    sim.api(Method::DELETE, &format!("/trunks?trunk_sid={sid}"), None);
    let (c, plan) = wd.plan(&[]);
    assert_eq!(c, 2);
    assert_eq!(plan_counts(&plan), (7, 0, 0), "{plan}");
    wd.apply();
    let t = only_trunk(&sim);
    assert_eq!((len(&t["phone_numbers"]), len(&t["whitelisted_ips"])), (1, 4));
    wd.assert_no_diff();
}

fn alias_change(mode: &str) {
    let sim = Sim::start(&["--mode", mode]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", TERMINATION);
    wd.apply();
    wd.write("main.tf", &TERMINATION.replace("alias     = \"+919876543210\"", "alias     = \"+919811112222\""));
    let (c, plan) = wd.plan(&[]);
    assert_eq!(c, 2);
    assert_eq!(plan_counts(&plan), (0, 1, 0), "{plan}");
    assert!(plan.contains("exotel_trunk_alias.cid will be updated in-place"), "{plan}");
    wd.apply();
    assert_eq!(only_trunk(&sim)["settings"]["trunk_external_alias"], "+919811112222");
    wd.assert_no_diff();
}

macro_rules! in_every_mode {
    ($($scenario:ident),*) => {
        mod full { $( #[test] fn $scenario() { super::$scenario("full") } )* }
        mod contract { $( #[test] fn $scenario() { super::$scenario("contract") } )* }
        mod field_notes { $( #[test] fn $scenario() { super::$scenario("field-notes") } )* }
    };
}

in_every_mode!(termination, origination, import_every_type, drift, alias_change);

#[test]
fn every_validation_rule_fails_at_validate_time_without_api_calls() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    let cases: &[(&str, &str)] = &[
        (r#"resource "exotel_trunk" "a" { trunk_name = "way_too_long_trunk_name" }"#, "1 to 16 characters"),
        (r#"resource "exotel_trunk" "b" { trunk_name = "has-dash" }"#, "[A-Za-z0-9_]"),
        (
            r#"resource "exotel_trunk" "c" { 
  trunk_name  = "ok"
  domain_name = "not a domain"
}"#,
            "domain_name must be a DNS name",
        ),
        (
            r#"resource "exotel_trunk_phone_number" "a" {
  trunk_sid    = "T"
  phone_number = "09876543210"
}"#,
            "phone_number must be in E.164 format",
        ),
        (
            r#"resource "exotel_trunk_phone_number" "b" {
  trunk_sid    = ""
  phone_number = "+919876543210"
}"#,
            "trunk_sid must not be empty",
        ),
        (
            r#"resource "exotel_trunk_whitelisted_ip" "a" {
  trunk_sid = "T"
  ip        = "2001:db8::1"
}"#,
            "ip must be an IPv4 address",
        ),
        (
            r#"resource "exotel_trunk_whitelisted_ip" "b" {
  trunk_sid = "T"
  ip        = "10.0.0.0"
  mask      = 15
}"#,
            "mask must be between 16 and 32, got 15",
        ),
        (
            r#"resource "exotel_trunk_whitelisted_ip" "c" {
  trunk_sid = "T"
  ip        = "10.0.0.5"
  mask      = 24
}"#,
            "use the network address \"10.0.0.0\"",
        ),
        (
            r#"resource "exotel_trunk_destination" "a" {
  trunk_sid   = "T"
  destination = "203.0.113.10:5061;transport=udp"
}"#,
            "transport must be \"tls\" or \"tcp\"",
        ),
        (
            r#"resource "exotel_trunk_destination" "b" {
  trunk_sid   = "T"
  destination = "203.0.113.10:99999;transport=tls"
}"#,
            "port must be between 1 and 65535",
        ),
        (
            r#"resource "exotel_trunk_destination" "c" {
  trunk_sid   = "T"
  destination = "203.0.113.10"
}"#,
            "transport=",
        ),
        (
            r#"resource "exotel_trunk_alias" "a" {
  trunk_sid = "T"
  alias     = "12345"
}"#,
            "alias must be in E.164 format",
        ),
        (r#"data "exotel_trunk_credentials" "a" { trunk_sid = "" }"#, "trunk_sid must not be empty"),
        // Keys are canonical: another spelling of a mask or port is refused,
        // naming the canonical one (it would otherwise churn on every apply).
        (
            r#"resource "exotel_trunk_whitelisted_ips" "a" {
  trunk_sid = "T"
  cidrs     = ["10.0.0.0/024"]
}"#,
            "the mask \"024\" is not written canonically; write \"10.0.0.0/24\"",
        ),
        (
            r#"resource "exotel_trunk_whitelisted_ips" "b" {
  trunk_sid = "T"
  cidrs     = ["192.168.0.0/+16"]
}"#,
            "write \"192.168.0.0/16\"",
        ),
        (
            r#"resource "exotel_trunk_destination" "d" {
  trunk_sid   = "T"
  destination = "sip.example.com:+5061;transport=tls"
}"#,
            "the port \"+5061\" is not written canonically; write \"sip.example.com:5061;transport=tls\"",
        ),
        (
            r#"resource "exotel_trunk_destinations" "e" {
  trunk_sid = "T"
  destination {
    uri = "sip:203.0.113.10:05061;transport=tls"
  }
}"#,
            "write \"sip:203.0.113.10:5061;transport=tls\"",
        ),
    ];
    for (i, (hcl, expect)) in cases.iter().enumerate() {
        wd.write("main.tf", hcl);
        let out = squash(&wd.fails(&["validate", "-no-color"]));
        assert!(out.contains(expect), "case {i}: expected {expect:?} in:\n{out}");
    }
    // provider settings
    for (hcl, expect) in [
        (r#"provider "exotel" { region = "mars" }"#, "region must be \"singapore\" or \"mumbai\""),
        (r#"provider "exotel" { base_url = "http://api.exotel.com" }"#, "clear text"),
        (r#"provider "exotel" { request_timeout = "soon" }"#, "is not a Go duration"),
        (r#"provider "exotel" { request_timeout = "2 days" }"#, "is not a Go duration"),
        (r#"provider "exotel" { request_timeout = "300us" }"#, "between 1s and 10m"),
        (r#"provider "exotel" { max_retries = -1 }"#, "max_retries must be between 0 and 100"),
    ] {
        wd.write("main.tf", &format!("{hcl}\nresource \"exotel_trunk\" \"t\" {{ trunk_name = \"ok\" }}\n"));
        let out = squash(&wd.fails(&["validate", "-no-color"]));
        assert!(out.contains(expect), "expected {expect:?} in:\n{out}");
    }
    assert_eq!(sim.requests(), 0, "validation must not call the API");
}

#[test]
fn create_of_an_existing_item_says_how_to_import_it() {
    for mode in ["full", "field-notes"] {
        let sim = Sim::start(&["--mode", mode]);
        let t = sim.api(
            Method::POST,
            "/trunks",
            Some(json!({"trunk_name": "busy", "nso_code": "ANY-ANY", "domain_name": "acme1.pstn.exotel.com"})),
        );
        let sid = t["response"]["data"]["trunk_sid"].as_str().unwrap().to_string();
        let p = sim.api(
            Method::POST,
            &format!("/trunks/{sid}/phone-numbers"),
            Some(json!({"phone_number": "+919812345678"})),
        );
        let pid = match &p["response"]["data"]["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let wd = Workdir::new(&sim);
        wd.write(
            "main.tf",
            &format!("resource \"exotel_trunk_phone_number\" \"p\" {{\n  trunk_sid    = \"{sid}\"\n  phone_number = \"+919812345678\"\n}}\n"),
        );
        let out = wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert!(out.contains("already exists"), "{out}");
        assert!(out.contains(&format!("terraform import exotel_trunk_phone_number.<name> {sid}/{pid}")), "{out}");
        assert_eq!(len(&only_trunk(&sim)["phone_numbers"]), 1);
    }
}

#[test]
fn credentials_without_a_password_is_an_error_not_an_empty_string() {
    let sim = Sim::start(&["--digest-credentials"]);
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"digest\"\n}\ndata \"exotel_trunk_credentials\" \"c\" {\n  trunk_sid = exotel_trunk.t.trunk_sid\n}\n",
    );
    let out = wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(out.contains("Trunk password not available"), "{out}");
    assert!(squash(&out).contains("resource exotel_trunk_credential"), "{out}");
}

#[test]
fn examples_are_fmt_and_validate_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    let out = std::process::Command::new(terraform())
        .args(["fmt", "-check", "-recursive", "-diff", "-no-color"])
        .current_dir(&root)
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .unwrap();
    assert!(out.status.success(), "terraform fmt -check failed:\n{}", text(&out));
    let mut dirs = vec![];
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        let mut has_tf = false;
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "tf") {
                has_tf = true;
            }
        }
        if has_tf {
            dirs.push(d);
        }
    }
    assert!(dirs.len() >= 9, "{dirs:?}");
    let mut import_examples = 0;
    for d in dirs {
        // The import examples (import-by-string-id.tf, import-by-identity.tf)
        // are alternatives: each validates with the rest of its folder alone.
        let (mut base, mut imports) = (vec![], vec![]);
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "tf") {
                let name = p.file_name().unwrap().to_str().unwrap().to_string();
                let body = std::fs::read_to_string(&p).unwrap();
                if name.starts_with("import-by-") { imports.push((name, body)) } else { base.push((name, body)) }
            }
        }
        let variants: Vec<Option<&(String, String)>> =
            if imports.is_empty() { vec![None] } else { imports.iter().map(Some).collect() };
        import_examples += imports.len();
        for extra in variants {
            let wd2 = Workdir::new(&sim);
            let own_required_providers = base.iter().any(|(_, b)| b.contains("required_providers"));
            for (name, body) in base.iter().chain(extra) {
                wd2.write(name, body);
            }
            if own_required_providers {
                wd2.remove("versions.tf");
            }
            let out = wd2.run(&["validate", "-no-color"]);
            let which = extra.map(|(n, _)| n.as_str()).unwrap_or("");
            assert!(out.status.success(), "{} {which} does not validate:\n{}", d.display(), text(&out));
        }
    }
    // Every resource documents import by string id and by identity.
    let resources = terraform_provider_exotel::exotel::service().resource_schemas().len();
    assert_eq!(import_examples, 2 * resources, "import examples");
    drop(wd);
    assert_eq!(sim.requests(), 0);
}

/// Real Terraform drives the provider over go-plugin's TCP transport, the
/// one Terraform on Windows uses (selected on Linux for the test).
#[test]
fn terraform_drives_the_provider_over_tcp_as_on_windows() {
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    wd.set_env("TF_PROVIDER_EXOTEL_TRANSPORT", "tcp");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/termination/main.tf");
    wd.remove("versions.tf");
    wd.write("main.tf", &std::fs::read_to_string(root).expect("example"));
    wd.apply();
    wd.assert_no_diff();
    wd.destroy();
    assert!(sim.trunks().is_empty());
    // The provider's log line, relayed by Terraform, names the transport
    // (the only address the handshake offered, so the one Terraform dialled).
    let mut wd2 = Workdir::new(&sim);
    wd2.set_env("TF_PROVIDER_EXOTEL_TRANSPORT", "tcp");
    wd2.set_env("TF_LOG", "DEBUG");
    wd2.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"tcp\"\n}\n");
    let mut cmd = std::process::Command::new(terraform());
    cmd.args(["plan", "-input=false", "-no-color"]).current_dir(wd2.path());
    for (k, v) in &wd2.env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("terraform");
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("network=tcp") || log.contains("\"network\":\"tcp\""),
        "no tcp plugin address in the log:\n{log}"
    );
}
