//! Reliability under faults: nothing lost, nothing doubled, nothing leaked.
//! Real Terraform against the simulator's fault modes.

use crate::support::*;
use reqwest::Method;
use serde_json::Value;

fn trunk_items(sim: &Sim, key: &str) -> Vec<Value> {
    sim.trunks().iter().flat_map(|t| t[key].as_array().cloned().unwrap_or_default()).collect()
}

/// 1. Twelve phone numbers while every 3rd request answers 429 and every
///    7th answers 500: exactly twelve mappings, and the plan after is empty.
#[test]
fn twelve_numbers_under_429_and_500() {
    let sim = Sim::start(&["--fail-429-every", "3", "--fail-5xx-every", "7"]);
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        r#"
resource "exotel_trunk" "t" {
  trunk_name = "busy_trunk"
}

resource "exotel_trunk_phone_number" "n" {
  count        = 12
  trunk_sid    = exotel_trunk.t.trunk_sid
  phone_number = format("+9198000000%02d", count.index)
}
"#,
    );
    wd.apply();
    let numbers = trunk_items(&sim, "phone_numbers");
    assert_eq!(numbers.len(), 12, "{numbers:?}");
    assert_eq!(sim.trunks().len(), 1);
    wd.assert_no_diff();
    assert_eq!(trunk_items(&sim, "phone_numbers").len(), 12);
}

const BOTH_SETUPS: &str = r#"
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
resource "exotel_trunk_alias" "cid" {
  trunk_sid = exotel_trunk.out.trunk_sid
  alias     = "+919876543210"
}
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
  destination = "198.51.100.20:5060;transport=tcp"
}
data "exotel_trunk_credentials" "sip" {
  trunk_sid = exotel_trunk.in.trunk_sid
}
"#;

fn assert_both_setups_once(sim: &Sim) {
    let trunks = sim.trunks();
    assert_eq!(trunks.len(), 2, "{trunks:?}");
    assert_eq!(trunk_items(sim, "phone_numbers").len(), 2);
    assert_eq!(trunk_items(sim, "whitelisted_ips").len(), 3);
    assert_eq!(trunk_items(sim, "destinations").len(), 2);
}

/// 2. Termination plus origination while every 4th response is an HTML 502
///    page and every 9th a 500: everything exists exactly once; destroy
///    leaves nothing.
///
///    A third of all answers fail here, so one request fails all of the
///    default 5 attempts with a probability of about 1/3^5 = 0.4 %; with a
///    dozen creates and their listings per apply that made this test fail
///    about once in twenty runs (seen in CI) with the correct "gave up after
///    5 attempts" error. The budget is what a user facing this API would set:
///    9 attempts (1/3^9 = 0.005 %). What is asserted is unchanged.
#[test]
fn both_setups_under_html_502_and_500() {
    let sim = Sim::start(&["--html-502-every", "4", "--fail-5xx-every", "9"]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", &format!("provider \"exotel\" {{\n  max_retries = 8\n}}\n{BOTH_SETUPS}"));
    wd.apply();
    assert_both_setups_once(&sim);
    wd.assert_no_diff();
    wd.destroy();
    assert!(sim.trunks().is_empty(), "{:?}", sim.trunks());
}

/// 3. Creates whose responses are lost after the API stored them (the
///    connection drops mid-answer): no duplicates, everything in state.
#[test]
fn lost_create_responses_are_adopted_not_duplicated() {
    let sim = Sim::start(&["--drop-after-commit-every", "2"]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", BOTH_SETUPS);
    wd.apply();
    assert_both_setups_once(&sim);
    for addr in
        ["exotel_trunk.out", "exotel_trunk.in", "exotel_trunk_destination.tcp", "exotel_trunk_phone_number.line"]
    {
        assert!(wd.attrs(addr)["id"].is_string(), "{addr} not in state");
    }
    wd.assert_no_diff();
    wd.destroy();
    assert!(sim.trunks().is_empty());
}

/// 3b. Every create answer lost, against an API without trunk listing: the
///     trunk cannot be adopted, so the error says it may exist and how to import.
#[test]
fn lost_trunk_create_without_listing_says_how_to_import() {
    let sim = Sim::start(&["--mode", "contract", "--drop-after-commit-every", "1"]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"lost_one\"\n}\n");
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]));
    assert!(out.contains("Trunk may have been created"), "{out}");
    assert!(out.contains("\"lost_one\"") && out.contains("terraform import"), "{out}");
    assert_eq!(sim.trunks().len(), 1, "stored once, never twice");
}

/// 4. A wrong token: the error says authorization failed (Exotel 1010) and
///    does not echo the token.
#[test]
fn wrong_token_is_a_clear_error_without_the_token() {
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    let bad = "definitely-wrong-token-value";
    wd.set_env("EXOTEL_API_TOKEN", bad);
    wd.write("main.tf", "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"denied\"\n}\n");
    let out = wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let flat = squash(&out);
    assert!(flat.contains("Authorization failed"), "{out}");
    assert!(flat.contains("1010"), "{out}");
    assert!(!out.contains(bad), "token echoed:\n{out}");
    assert!(!out.contains("panic") && !out.contains("crashed"), "{out}");
}

/// 5. A full apply under TF_LOG=TRACE: neither the API token nor the SIP
///    password is in the log; the provider's own request lines are.
#[test]
fn trace_logs_carry_requests_but_no_secrets() {
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    let log = wd.path().join("trace.log");
    wd.set_env("TF_LOG", "TRACE");
    wd.set_env("TF_LOG_PATH", &log.display().to_string());
    wd.write("main.tf", BOTH_SETUPS);
    // TF_LOG is removed by Workdir::run for quiet tests; pass it explicitly here.
    let out = {
        let mut cmd = std::process::Command::new(terraform());
        cmd.args(["apply", "-auto-approve", "-input=false", "-no-color"]).current_dir(wd.path());
        for (k, v) in &wd.env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    assert!(out.status.success(), "{}", text(&out));
    let sid = wd.attrs("exotel_trunk.in")["trunk_sid"].as_str().unwrap().to_string();
    let creds = sim.api(Method::GET, &format!("/trunks/{sid}/credentials"), None);
    let password = creds["response"]["data"]["password"].as_str().unwrap().to_string();
    let log = std::fs::read_to_string(&log).unwrap();
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{API_KEY}:{API_TOKEN}"));
    assert!(!log.contains(API_TOKEN), "API token in the TRACE log");
    assert!(!log.contains(&basic), "Authorization header in the TRACE log");
    assert!(!log.contains(&password), "SIP password in the TRACE log");
    let request_lines: Vec<&str> =
        log.lines().filter(|l| l.contains("terraform-provider-exotel") && l.contains("vSIP request")).collect();
    assert!(request_lines.len() >= 10, "provider request lines missing from the log");
    let line = request_lines.iter().find(|l| l.contains("POST")).expect("a POST line");
    for field in ["method=POST", "path=", "status=200", "attempt=1", "duration_ms=", "request_id="] {
        assert!(line.contains(field), "{field} missing from {line}");
    }
    // Every request line says which RPC and which resource type caused it.
    let mapping = request_lines
        .iter()
        .find(|l| l.contains("method=POST") && l.contains("phone-numbers"))
        .expect("a phone-number POST line");
    for field in ["tf_rpc=ApplyResourceChange", "tf_resource_type=exotel_trunk_phone_number", "tf_req_id="] {
        assert!(mapping.contains(field), "{field} missing from {mapping}");
    }
    assert!(
        request_lines.iter().all(|l| l.contains("tf_rpc=") && l.contains("tf_req_id=")),
        "a request line without its RPC context"
    );
}
