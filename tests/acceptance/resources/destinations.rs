//! `exotel_trunk_destinations`: exactly these SIP URIs receive the calls.

use super::{no_trunks, records, s, trunk_id, with_trunk};
use crate::support::Sim;
use crate::support::steps::{Scenario, Step};
use reqwest::Method;
use serde_json::{Value, json};

const ADDR: &str = "exotel_trunk_destinations.sbc";

fn config(second_priority: u32) -> String {
    with_trunk(
        "acc_dests",
        &format!(
            "resource \"exotel_trunk_destinations\" \"sbc\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n  destination {{\n    uri = \"sbc1.example.com:5061;transport=tls\"\n  }}\n  destination {{\n    uri      = \"sbc2.example.com:5061;transport=tls\"\n    priority = {second_priority}\n  }}\n}}\n"
        ),
    )
}

fn held(api: &Value) -> Vec<(String, i64)> {
    let mut d: Vec<(String, i64)> = records(api, "destinations")
        .iter()
        .map(|r| (r["destination"].as_str().unwrap_or("?").to_string(), r["priority"].as_i64().unwrap_or(-1)))
        .collect();
    d.sort();
    d
}

#[test]
fn destinations() {
    let sim = Sim::start(&[]);
    let changed = config(3);
    let want = |p: i64| {
        vec![
            ("sip:sbc1.example.com:5061;transport=tls".to_string(), 0),
            ("sip:sbc2.example.com:5061;transport=tls".to_string(), p),
        ]
    };
    Scenario::new(&sim)
        .step(
            Step::new(&config(1)).plans(2, 0, 0).api(move |api| assert_eq!(held(api), want(1), "{api}")).import_verify(
                ADDR,
                trunk_id,
                &[],
            ),
        )
        .step(Step::new(&changed).plans(0, 1, 0).api(move |api| assert_eq!(held(api), want(3), "{api}")))
        // Added outside Terraform: planned for removal, and removed.
        .step(
            Step::new(&changed)
                .outside(|sim, wd| {
                    let sid = s(&wd.attrs(ADDR), "trunk_sid").to_string();
                    let body = json!({"destinations": [{"destination": "rogue.example.com:5061;transport=tls"}]});
                    sim.api(Method::POST, &format!("/trunks/{sid}/destination-uris"), Some(body));
                })
                .plans(0, 1, 0)
                .api(move |api| assert_eq!(held(api), want(3), "{api}")),
        )
        .destroyed(no_trunks)
        .run();
}
