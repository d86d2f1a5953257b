//! Terraform ≥ 1.8 features: provider functions, the ephemeral credentials
//! resource, resource identity, and `terraform query` list resources.

use crate::support::*;
use reqwest::Method;
use serde_json::{Value, json};

fn id_of(v: &Value) -> String {
    match &v["response"]["data"]["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn provider_functions_from_real_terraform() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        r#"
output "uri" {
  value = provider::exotel::destination_uri("sip.example.com", 5061, "tls")
}
output "parsed" {
  value = provider::exotel::parse_destination("sip:198.51.100.20:5060;transport=tcp")
}
output "number" {
  value = provider::exotel::normalize_e164("+91 (98765) 43-210")
}
"#,
    );
    wd.apply();
    let out: Value = serde_json::from_str(&wd.ok(&["output", "-json"])).unwrap();
    assert_eq!(out["uri"]["value"], "sip.example.com:5061;transport=tls");
    assert_eq!(out["parsed"]["value"], json!({"host": "198.51.100.20", "port": 5060, "transport": "tcp"}));
    assert_eq!(out["number"]["value"], "+919876543210");

    for (call, expect) in [
        (r#"provider::exotel::destination_uri("1.2.3.4", 5061, "udp")"#, "transport must be \"tls\" or \"tcp\""),
        (r#"provider::exotel::destination_uri("1.2.3.4", 0, "tls")"#, "port must be between 1 and 65535"),
        (r#"provider::exotel::parse_destination("nonsense")"#, "is not valid"),
        (r#"provider::exotel::normalize_e164("98765 43210")"#, "E.164"),
    ] {
        wd.write("main.tf", &format!("output \"x\" {{\n  value = {call}\n}}\n"));
        let out = squash(&wd.fails(&["plan", "-input=false", "-no-color"]));
        assert!(out.contains(expect), "{call}: expected {expect:?} in {out}");
    }
    // a bad transport names the argument
    wd.write("main.tf", "output \"x\" {\n  value = provider::exotel::destination_uri(\"1.2.3.4\", 5061, \"udp\")\n}\n");
    let out = squash(&wd.fails(&["plan", "-input=false", "-no-color"]));
    assert!(
        out.contains("Invalid value for \"transport\" parameter: transport must be \"tls\" or \"tcp\", got \"udp\"."),
        "{out}"
    );
    assert!(!out.contains("\".."), "{out}");
}

#[test]
fn ephemeral_credentials_never_reach_plan_or_state() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        r#"
resource "exotel_trunk" "t" {
  trunk_name = "eph"
}
ephemeral "exotel_trunk_credentials" "sip" {
  trunk_sid = exotel_trunk.t.trunk_sid
}
"#,
    );
    let (_, plan) = wd.plan(&[]);
    let applied = wd.apply();
    assert!(applied.contains("ephemeral.exotel_trunk_credentials.sip: Opening complete"), "{applied}");
    let sid = wd.attrs("exotel_trunk.t")["trunk_sid"].as_str().unwrap().to_string();
    let creds = sim.api(Method::GET, &format!("/trunks/{sid}/credentials"), None);
    let password = creds["response"]["data"]["password"].as_str().unwrap().to_string();
    assert!(!wd.state_file().contains(&password), "password in state");
    assert!(!plan.contains(&password) && !applied.contains(&password));
    let stats = sim.stats();
    assert!(stats["by_route"]["GET trunks/*/credentials"].as_u64().unwrap_or(0) >= 1, "the API was not read: {stats}");
}

#[test]
fn identity_import_of_a_phone_number_mapping() {
    let sim = Sim::start(&["--mode", "field-notes"]);
    let sid = sim.new_trunk("ident");
    let pid = id_of(&sim.api(
        Method::POST,
        &format!("/trunks/{sid}/phone-numbers"),
        Some(json!({"phone_number": "+919811100001"})),
    ));
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        &format!(
            "resource \"exotel_trunk_phone_number\" \"p\" {{\n  trunk_sid    = \"{sid}\"\n  phone_number = \"+919811100001\"\n}}\nimport {{\n  to = exotel_trunk_phone_number.p\n  identity = {{\n    trunk_sid = \"{sid}\"\n    id        = \"{pid}\"\n  }}\n}}\n"
        ),
    );
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    wd.apply();
    assert_eq!(wd.attrs("exotel_trunk_phone_number.p")["id"], pid);
    wd.assert_no_diff();
    // the state records the identity
    let state: Value = serde_json::from_str(&wd.state_file()).unwrap();
    let inst = &state["resources"][0]["instances"][0];
    assert_eq!(inst["identity"], json!({"trunk_sid": sid, "id": pid}), "{inst}");
}

#[test]
fn query_lists_and_generates_imports_that_plan_empty() {
    let sim = Sim::start(&["--mode", "field-notes"]);
    let sid = sim.new_trunk("queried");
    for n in 1..=3 {
        sim.api(
            Method::POST,
            &format!("/trunks/{sid}/phone-numbers"),
            Some(json!({"phone_number": format!("+91980000000{n}")})),
        );
    }
    let wd = Workdir::new(&sim);
    wd.write(
        "q.tfquery.hcl",
        &format!(
            "list \"exotel_trunk_phone_number\" \"all\" {{\n  provider = exotel\n  config {{\n    trunk_sid = \"{sid}\"\n  }}\n  include_resource = true\n}}\n"
        ),
    );
    let out = wd.ok(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    for n in 1..=3 {
        assert!(out.contains(&format!("+91980000000{n}")), "{out}");
    }
    let generated = std::fs::read_to_string(wd.path().join("generated.tf")).unwrap();
    assert_eq!(generated.matches("import {").count(), 3, "{generated}");
    assert_eq!(generated.matches("resource \"exotel_trunk_phone_number\"").count(), 3, "{generated}");
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("3 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    wd.apply();
    wd.assert_no_diff();
    assert_eq!(wd.state_addresses().len(), 3);

    // trunks are listed where the API can list them, and a clear error where not
    let contract = Sim::start(&["--mode", "contract"]);
    let wd = Workdir::new(&contract);
    wd.write("q.tfquery.hcl", "list \"exotel_trunk\" \"all\" {\n  provider = exotel\n}\n");
    let out = squash(&wd.fails(&["query", "-no-color"]));
    assert!(out.contains("cannot list trunks"), "{out}");
    let wd = Workdir::new(&sim);
    wd.write("q.tfquery.hcl", "list \"exotel_trunk\" \"all\" {\n  provider = exotel\n}\n");
    let out = wd.ok(&["query", "-no-color"]);
    assert!(out.contains("queried"), "{out}");
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/state").join(name)
}

#[test]
fn state_from_the_previous_release_plans_empty() {
    // Written by 0.1.0 before `mode`, `priority` and `weight` existed.
    let sim = Sim::start(&["--seed", fixture("v0.1.0-api.json").to_str().unwrap()]);
    let wd = Workdir::new(&sim);
    wd.remove("versions.tf");
    wd.write("main.tf", &std::fs::read_to_string(fixture("v0.1.0.tf")).unwrap());
    std::fs::copy(fixture("v0.1.0.tfstate"), wd.path().join("terraform.tfstate")).unwrap();
    wd.assert_no_diff();
    wd.ok(&["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"]);
    assert_eq!(wd.attrs("exotel_trunk_phone_number.p")["mode"], "pstn");
    let d = wd.attrs("exotel_trunk_destination.d");
    assert_eq!((d["priority"].clone(), d["weight"].clone()), (json!(0), json!(1)));
    // an explicit default is not a diff either
    let tf = std::fs::read_to_string(fixture("v0.1.0.tf"))
        .unwrap()
        .replace("phone_number = \"+919812300001\"", "phone_number = \"+919812300001\"\n  mode         = \"pstn\"");
    wd.write("main.tf", &tf);
    wd.assert_no_diff();
}

const MODE_CONFIG: &str = r#"
resource "exotel_trunk" "t" {
  trunk_name = "modes"
}
resource "exotel_trunk_phone_number" "p" {
  trunk_sid    = exotel_trunk.t.trunk_sid
  phone_number = "+919812300002"
}
resource "exotel_trunk_destination" "d" {
  trunk_sid   = exotel_trunk.t.trunk_sid
  destination = "sip.example.com:5061;transport=tls"
  priority    = 10
  weight      = 5
}
"#;

#[test]
fn mode_priority_and_weight_update_in_place() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", MODE_CONFIG);
    wd.apply();
    let t = &sim.trunks()[0];
    assert_eq!(
        (t["destinations"][0]["priority"].clone(), t["destinations"][0]["weight"].clone()),
        (json!(10), json!(5))
    );
    assert_eq!(t["phone_numbers"][0]["mode"], Value::Null, "pstn reads as null");
    assert_eq!(wd.attrs("exotel_trunk_phone_number.p")["mode"], "pstn");
    wd.assert_no_diff();

    let flow = MODE_CONFIG
        .replace("phone_number = \"+919812300002\"", "phone_number = \"+919812300002\"\n  mode         = \"flow\"")
        .replace("weight      = 5", "weight      = 7");
    wd.write("main.tf", &flow);
    let (_, plan) = wd.plan(&[]);
    assert_eq!(plan_counts(&plan), (0, 2, 0), "{plan}");
    wd.apply();
    let t = &sim.trunks()[0];
    assert_eq!(t["phone_numbers"][0]["mode"], "flow");
    assert_eq!(t["destinations"][0]["weight"], 7);
    wd.assert_no_diff();
}

#[test]
fn without_put_routes_updates_fail_clearly() {
    let sim = Sim::start(&["--mode", "contract"]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", &MODE_CONFIG.replace("  priority    = 10\n  weight      = 5\n", ""));
    wd.apply();
    wd.write(
        "main.tf",
        &MODE_CONFIG
            .replace("phone_number = \"+919812300002\"", "phone_number = \"+919812300002\"\n  mode         = \"flow\""),
    );
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]));
    assert!(out.contains("Cannot change the mode of a phone number") && out.contains("no PUT"), "{out}");
    assert!(out.contains("Cannot set the priority and weight of a destination"), "{out}");
    assert_eq!(wd.attrs("exotel_trunk_phone_number.p")["mode"], "pstn", "state keeps what the API holds");
    assert_eq!(wd.attrs("exotel_trunk_destination.d")["priority"], 0);
}

#[test]
fn trunk_data_source_by_sid_or_name() {
    let sim = Sim::start(&[]);
    let sid = sim.new_trunk("shared_trunk");
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        &format!(
            "data \"exotel_trunk\" \"by_name\" {{\n  trunk_name = \"shared_trunk\"\n}}\ndata \"exotel_trunk\" \"by_sid\" {{\n  trunk_sid = \"{sid}\"\n}}\noutput \"sid\" {{\n  value = data.exotel_trunk.by_name.trunk_sid\n}}\noutput \"name\" {{\n  value = data.exotel_trunk.by_sid.trunk_name\n}}\n"
        ),
    );
    wd.apply();
    let out: Value = serde_json::from_str(&wd.ok(&["output", "-json"])).unwrap();
    assert_eq!(out["sid"]["value"], sid);
    assert_eq!(out["name"]["value"], "shared_trunk");

    wd.write(
        "main.tf",
        &format!("data \"exotel_trunk\" \"x\" {{\n  trunk_sid  = \"{sid}\"\n  trunk_name = \"shared_trunk\"\n}}\n"),
    );
    assert!(squash(&wd.fails(&["validate", "-no-color"])).contains("exactly one of trunk_sid and trunk_name"));

    let contract = Sim::start(&["--mode", "contract"]);
    let wd = Workdir::new(&contract);
    wd.write("main.tf", "data \"exotel_trunk\" \"x\" {\n  trunk_name = \"shared_trunk\"\n}\n");
    let out = squash(&wd.fails(&["plan", "-input=false", "-no-color"]));
    assert!(out.contains("cannot list trunks"), "{out}");
}

#[test]
fn identity_import_works_for_every_resource_type() {
    let sim = Sim::start(&[]);
    let sid = sim.new_trunk("all_ident");
    let phone = id_of(&sim.api(
        Method::POST,
        &format!("/trunks/{sid}/phone-numbers"),
        Some(json!({"phone_number": "+919811100009"})),
    ));
    let ip = id_of(&sim.api(
        Method::POST,
        &format!("/trunks/{sid}/whitelisted-ips"),
        Some(json!({"ip": "192.0.2.9", "mask": 32})),
    ));
    let dest = sim.api(
        Method::POST,
        &format!("/trunks/{sid}/destination-uris"),
        Some(json!({"destinations": [{"destination": "192.0.2.90:5061;transport=tls"}]})),
    );
    let dest = dest["response"][0]["data"]["id"].as_str().unwrap().to_string();
    sim.api(
        Method::POST,
        &format!("/trunks/{sid}/settings"),
        Some(json!({"settings": [{"name": "trunk_external_alias", "value": "+919811100009"}]})),
    );
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        &format!(
            r#"
resource "exotel_trunk" "t" {{
  trunk_name = "all_ident"
}}
resource "exotel_trunk_phone_number" "p" {{
  trunk_sid    = exotel_trunk.t.trunk_sid
  phone_number = "+919811100009"
}}
resource "exotel_trunk_whitelisted_ip" "i" {{
  trunk_sid = exotel_trunk.t.trunk_sid
  ip        = "192.0.2.9"
}}
resource "exotel_trunk_destination" "d" {{
  trunk_sid   = exotel_trunk.t.trunk_sid
  destination = "192.0.2.90:5061;transport=tls"
}}
resource "exotel_trunk_alias" "a" {{
  trunk_sid = exotel_trunk.t.trunk_sid
  alias     = "+919811100009"
}}
import {{
  to       = exotel_trunk.t
  identity = {{ trunk_sid = "{sid}" }}
}}
import {{
  to       = exotel_trunk_phone_number.p
  identity = {{ trunk_sid = "{sid}", id = "{phone}" }}
}}
import {{
  to       = exotel_trunk_whitelisted_ip.i
  identity = {{ trunk_sid = "{sid}", id = "{ip}" }}
}}
import {{
  to       = exotel_trunk_destination.d
  identity = {{ trunk_sid = "{sid}", id = "{dest}" }}
}}
import {{
  to       = exotel_trunk_alias.a
  identity = {{ trunk_sid = "{sid}" }}
}}
"#
        ),
    );
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("5 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    wd.apply();
    wd.assert_no_diff();
    let state: Value = serde_json::from_str(&wd.state_file()).unwrap();
    for r in state["resources"].as_array().unwrap() {
        assert_eq!(r["instances"][0]["identity"]["trunk_sid"], sid, "{r}");
    }
}

/// No dead end: against the contract's routes, a priority at create is a
/// warning (re-creating could not help, so nothing is tainted); the next plan
/// shows the honest update, whose apply says exactly what to configure.
#[test]
fn priority_at_create_without_put_route_warns_then_plans_the_honest_update() {
    let sim = Sim::start(&["--mode", "contract"]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", MODE_CONFIG);
    let out = squash(&wd.apply());
    assert!(out.contains("Destination created, but Exotel could not set the priority and weight"), "{out}");
    assert!(!out.contains("tainted"), "{out}");
    let (code, plan) = wd.plan(&[]);
    assert_eq!(code, 2);
    assert_eq!(plan_counts(&plan), (0, 1, 0), "an update in place, not a replacement: {plan}");
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]));
    assert!(out.contains("Cannot set the priority and weight of a destination"), "{out}");
    assert!(out.contains("Set priority = 0 and weight = 1 in the configuration"), "{out}");
    assert_eq!(sim.trunks()[0]["destinations"].as_array().unwrap().len(), 1, "never re-created");
    let d = wd.attrs("exotel_trunk_destination.d");
    assert_eq!(
        (d["priority"].clone(), d["weight"].clone()),
        (json!(0), json!(1)),
        "state holds what Exotel holds: {d}"
    );
}

/// Importing a trunk from an API that cannot return its fields says so.
#[test]
fn a_trunk_imported_without_its_fields_says_what_was_not_checked() {
    let sim = Sim::start(&["--mode", "contract"]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"pbx\"\n}\n");
    wd.apply();
    let sid = wd.attrs("exotel_trunk.t")["trunk_sid"].as_str().unwrap().to_string();
    let wd2 = Workdir::new(&sim);
    wd2.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"pbx\"\n}\n");
    let out = squash(&wd2.ok(&["import", "-no-color", "exotel_trunk.t", &sid]));
    assert!(out.contains("could not be checked") && out.contains("trunk_name"), "{out}");
}
