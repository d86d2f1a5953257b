//! Safety under faults, with real Terraform: never take over what is not
//! ours, never report a revoke that did not happen, never print a password,
//! never let a path be steered, never claim what the API did not confirm.

use crate::support::*;
use reqwest::Method;
use serde_json::{Value, json};

fn trunk<'a>(trunks: &'a [Value], sid: &str) -> &'a Value {
    trunks.iter().find(|t| t["trunk_sid"] == sid).expect("trunk still there")
}

fn count(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

/// Rule 1: a 500 on the POST of a trunk whose name another team already
/// uses is never "adopted": the create fails with the import command, and a
/// later destroy leaves the other team's trunk and everything on it alone.
/// Same for a whitelisted IP that was on the trunk before.
#[test]
fn a_failed_create_never_takes_over_an_existing_trunk_or_item() {
    let sim = Sim::start(&[]);
    let sid = sim.new_trunk("prod_trunk");
    sim.api(Method::POST, &format!("/trunks/{sid}/whitelisted-ips"), Some(json!({"ip": "198.51.100.7", "mask": 32})));
    sim.api(Method::POST, &format!("/trunks/{sid}/phone-numbers"), Some(json!({"phone_number": "+919812345678"})));
    let wd = Workdir::new(&sim);
    wd.write("main.tf", "resource \"exotel_trunk\" \"mine\" {\n  trunk_name = \"prod_trunk\"\n}\n");
    sim.set_faults(json!({"fail_next_posts": 1}));
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]));
    assert!(out.contains("Trunk already exists"), "{out}");
    assert!(out.contains(&format!("terraform import exotel_trunk.<name> {sid}")), "{out}");
    assert!(!out.contains("Creation complete"), "{out}");
    assert!(wd.state_addresses().is_empty(), "{:?}", wd.state_addresses());
    wd.destroy();
    let trunks = sim.trunks();
    assert_eq!(trunks.len(), 1);
    let t = trunk(&trunks, &sid);
    assert_eq!((count(&t["whitelisted_ips"]), count(&t["phone_numbers"])), (1, 1));

    // An item that was on the trunk before: refused, never adopted or doubled.
    sim.set_faults(json!({"fail_next_posts": 1}));
    wd.write(
        "main.tf",
        &format!(
            "resource \"exotel_trunk_whitelisted_ip\" \"pbx\" {{\n  trunk_sid = \"{sid}\"\n  ip        = \"198.51.100.7\"\n}}\n"
        ),
    );
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]));
    assert!(out.contains("Whitelisted IP already exists"), "{out}");
    assert!(out.contains(&format!("terraform import exotel_trunk_whitelisted_ip.<name> {sid}/")), "{out}");
    assert!(wd.state_addresses().is_empty());
    assert_eq!(count(&trunk(&sim.trunks(), &sid)["whitelisted_ips"]), 1);

    // Our own create whose answer is a 500 before anything was stored: it is
    // created exactly once.
    sim.set_faults(json!({"fail_next_posts": 1}));
    wd.write(
        "main.tf",
        &format!(
            "resource \"exotel_trunk_whitelisted_ip\" \"pbx\" {{\n  trunk_sid = \"{sid}\"\n  ip        = \"198.51.100.8\"\n}}\n"
        ),
    );
    wd.apply();
    assert_eq!(count(&trunk(&sim.trunks(), &sid)["whitelisted_ips"]), 2);
    wd.assert_no_diff();
}

const EIGHT_IPS: &str = r#"
resource "exotel_trunk" "t" {
  trunk_name = "acl_trunk"
}
resource "exotel_trunk_whitelisted_ip" "ip" {
  count     = 8
  trunk_sid = exotel_trunk.t.trunk_sid
  ip        = "203.0.113.${count.index + 10}"
}
"#;

/// Rule 2: one proxy's HTML 404 on one DELETE is a failed attempt, retried,
/// never "this API has no DELETE route": all eight removed IPs are gone.
#[test]
fn one_html_404_on_a_delete_does_not_leave_revoked_ips_active() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", EIGHT_IPS);
    wd.apply();
    assert_eq!(count(&sim.trunks()[0]["whitelisted_ips"]), 8);
    sim.set_faults(json!({"html_404_deletes": 1}));
    wd.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"acl_trunk\"\n}\n");
    let out = wd.apply();
    assert!(out.contains("8 destroyed"), "{out}");
    assert!(!out.contains("left in Exotel"), "{out}");
    assert_eq!(count(&sim.trunks()[0]["whitelisted_ips"]), 0, "revoked IPs still whitelisted");
    wd.assert_no_diff();
}

/// Rule 2: a DELETE answered "not found" while the item stays listed is a
/// failed delete: apply fails naming it, state keeps it, and a later apply
/// removes it.
#[test]
fn a_delete_that_did_not_happen_is_an_error_and_stays_in_state() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", EIGHT_IPS.replace("count     = 8", "count     = 1").as_str());
    wd.apply();
    sim.set_faults(json!({"not_found_deletes": 1000}));
    wd.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"acl_trunk\"\n}\n");
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]));
    assert!(out.contains("Cannot delete whitelisted IP 203.0.113.10/32"), "{out}");
    assert!(out.contains("still active in Exotel"), "{out}");
    assert!(wd.state_addresses().iter().any(|a| a.starts_with("exotel_trunk_whitelisted_ip.ip")));
    assert_eq!(count(&sim.trunks()[0]["whitelisted_ips"]), 1);
    sim.set_faults(json!({}));
    wd.apply();
    assert_eq!(count(&sim.trunks()[0]["whitelisted_ips"]), 0);
}

/// Rule 3: the credentials answer in an unexpected shape fails without the
/// password anywhere (output, DEBUG log); a numeric username is accepted.
#[test]
fn the_sip_password_never_appears_in_errors_or_logs() {
    let sim = Sim::start(&[]);
    let sid = sim.new_trunk("creds");
    let creds = sim.api(Method::GET, &format!("/trunks/{sid}/credentials"), None);
    let password = creds["response"]["data"]["password"].as_str().expect("password").to_string();
    let mut wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        &format!(
            "data \"exotel_trunk_credentials\" \"c\" {{\n  trunk_sid = \"{sid}\"\n}}\noutput \"user\" {{\n  value = data.exotel_trunk_credentials.c.username\n}}\n"
        ),
    );
    let log = wd.path().join("tf.log");
    wd.set_env("TF_LOG_PROVIDER", "DEBUG");
    wd.set_env("TF_LOG_PATH", &log.display().to_string());
    sim.set_faults(json!({"numeric_username": true}));
    let out = wd.apply();
    let digits: String = sid.chars().filter(char::is_ascii_digit).collect();
    assert!(out.contains(&format!("user = \"{digits}\"")), "{out}");
    sim.set_faults(json!({"bad_credentials": true}));
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color", "-refresh=true"]));
    assert!(out.contains("Cannot read trunk credentials"), "{out}");
    assert!(out.contains("username"), "{out}");
    assert!(!out.contains(&password), "password in the output:\n{out}");
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(logged.contains("vSIP request"), "no provider log lines");
    assert!(!logged.contains(&password), "password in the DEBUG log");
}

/// Rule 6: ids that would steer a path are refused at validate time or
/// import time, before any request; account_sid and base_url likewise.
#[test]
fn paths_cannot_be_steered() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    for bad in ["..", "%2e%2e", "a/b", "."] {
        wd.write(
            "main.tf",
            &format!("resource \"exotel_trunk_whitelisted_ip\" \"x\" {{\n  trunk_sid = \"{bad}\"\n  ip = \"203.0.113.1\"\n}}\n"),
        );
        let out = squash(&wd.fails(&["validate", "-no-color"]));
        assert!(out.contains("Invalid trunk_sid"), "{bad}: {out}");
    }
    wd.write(
        "main.tf",
        "resource \"exotel_trunk_whitelisted_ip\" \"x\" {\n  trunk_sid = \"t\"\n  ip = \"203.0.113.1\"\n}\n",
    );
    for id in ["../x", "%2e%2e/1", "t/.."] {
        let out = squash(&wd.fails(&["import", "-no-color", "-input=false", "exotel_trunk_whitelisted_ip.x", id]));
        assert!(out.contains("Invalid import ID"), "{id}: {out}");
    }
    for (attr, value, summary) in [
        ("account_sid", "../x", "Invalid account_sid"),
        ("base_url", "http://127.0.0.1:9/v2/accounts/other", "Invalid base_url"),
    ] {
        wd.write(
            "main.tf",
            &format!(
                "provider \"exotel\" {{\n  {attr} = \"{value}\"\n}}\nresource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"t\"\n}}\n"
            ),
        );
        let out = squash(&wd.fails(&["validate", "-no-color"]));
        assert!(out.contains(summary), "{attr}: {out}");
    }
    // Only the credentials check each `terraform import` makes when it
    // configures the provider; nothing on the refused paths.
    let stats = sim.stats();
    let routes: Vec<&String> = stats["by_route"].as_object().expect("by_route").keys().collect();
    assert_eq!(routes, ["GET trunks"], "a request was sent: {stats}");
    assert_eq!(sim.requests(), 3, "{stats}");
}

/// Rule 7: against an API that does not show `mode`, a create says so in a
/// warning (no taint), the next plan shows the honest difference, and the
/// update that cannot be made says what to change in the configuration.
#[test]
fn a_mode_the_api_did_not_confirm_is_a_warning_then_an_honest_diff() {
    let sim = Sim::start(&["--mode", "contract"]);
    let sid = sim.new_trunk("flowy");
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        &format!(
            "resource \"exotel_trunk_phone_number\" \"n\" {{\n  trunk_sid    = \"{sid}\"\n  phone_number = \"+919812345600\"\n  mode         = \"flow\"\n}}\n"
        ),
    );
    let out = squash(&wd.apply());
    assert!(out.contains("Exotel did not confirm the mode"), "{out}");
    assert!(!out.contains("tainted"), "{out}");
    let (code, plan) = wd.plan(&[]);
    assert_eq!(code, 2);
    assert!(plan.contains("\"pstn\" -> \"flow\""), "{plan}");
    assert_eq!(plan_counts(&plan), (0, 1, 0), "{plan}");
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]));
    assert!(out.contains("Cannot change the mode of a phone number"), "{out}");
    assert!(out.contains("Set mode = \"pstn\" in the configuration"), "{out}");
    assert_eq!(count(&trunk(&sim.trunks(), &sid)["phone_numbers"]), 1);
}

/// A record the provider cannot model (an IPv6 network, as a dashboard or a
/// newer API might add) does not fail the plan, apply or destroy of a
/// per-item IP that does not own it; the authoritative set shows it as a
/// removal by its text and removes it.
#[test]
fn a_record_the_provider_cannot_model_blocks_nothing_and_the_set_removes_it() {
    let seed_sim = Sim::start(&[]);
    let sid = seed_sim.new_trunk("mixed");
    seed_sim.api(
        Method::POST,
        &format!("/trunks/{sid}/whitelisted-ips"),
        Some(json!({"ip": "198.51.100.7", "mask": 32})),
    );
    let mut dump = seed_sim.state();
    let ips = dump["trunks"][0]["whitelisted_ips"].as_array_mut().expect("ips");
    ips.push(json!({"id": 990001, "ip": "2001:db8::", "mask": 64, "date_created": "2026-12-01 10:00:00"}));
    let seed = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(seed.path(), dump.to_string()).unwrap();
    let sim = Sim::start(&["--seed", seed.path().to_str().unwrap()]);

    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        &format!("resource \"exotel_trunk_whitelisted_ip\" \"office\" {{\n  trunk_sid = \"{sid}\"\n  ip        = \"203.0.113.10\"\n}}\n"),
    );
    wd.apply();
    wd.assert_no_diff();
    wd.destroy();

    let wd = Workdir::new(&sim);
    wd.write("main.tf", &format!("resource \"exotel_trunk_whitelisted_ips\" \"acl\" {{\n  trunk_sid = \"{sid}\"\n  cidrs     = [\"198.51.100.7/32\"]\n}}\n"));
    wd.ok(&["import", "-no-color", "exotel_trunk_whitelisted_ips.acl", &sid]);
    let (code, plan) = wd.plan(&[]);
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("- \"2001:db8::/64\""), "{plan}");
    wd.apply();
    wd.assert_no_diff();
    let left = trunk(&sim.trunks(), &sid)["whitelisted_ips"].clone();
    assert_eq!(count(&left), 1, "{left}");
    assert_eq!(left[0]["ip"], "198.51.100.7");
}

/// `apply -replace` of one IP while another is added: the add lists the
/// trunk's IPs (its snapshot) while the replaced one still exists; the
/// provider's own confirmed delete takes it out of that snapshot, so its
/// re-create is not refused as "already exists ... before this apply".
#[test]
fn replacing_an_ip_while_adding_another_re_creates_it() {
    let sim = Sim::start(&[]);
    let sid = sim.new_trunk("replace");
    let wd = Workdir::new(&sim);
    let ip = |name: &str, addr: &str| {
        format!(
            "resource \"exotel_trunk_whitelisted_ip\" \"{name}\" {{\n  trunk_sid = \"{sid}\"\n  ip        = \"{addr}\"\n}}\n"
        )
    };
    wd.write("main.tf", &ip("a", "203.0.113.10"));
    wd.apply();
    let before = wd.attrs("exotel_trunk_whitelisted_ip.a")["id"].clone();
    wd.write("main.tf", &format!("{}{}", ip("a", "203.0.113.10"), ip("b", "198.51.100.20")));
    let out = wd.ok(&["apply", "-auto-approve", "-input=false", "-no-color", "-replace=exotel_trunk_whitelisted_ip.a"]);
    assert!(out.contains("2 added, 0 changed, 1 destroyed"), "{out}");
    assert_ne!(wd.attrs("exotel_trunk_whitelisted_ip.a")["id"], before, "a new item");
    let ips = trunk(&sim.trunks(), &sid)["whitelisted_ips"].clone();
    assert_eq!(count(&ips), 2, "{ips}");
    wd.assert_no_diff();
}
