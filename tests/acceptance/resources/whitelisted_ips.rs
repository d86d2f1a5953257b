//! `exotel_trunk_whitelisted_ips`: exactly these networks may send calls.

use super::{hcl_list, no_trunks, records, s, trunk_id, with_trunk};
use crate::support::Sim;
use crate::support::steps::{Scenario, Step};
use reqwest::Method;
use serde_json::{Value, json};

const ADDR: &str = "exotel_trunk_whitelisted_ips.acl";

fn config(cidrs: &[&str]) -> String {
    with_trunk(
        "acc_ips",
        &format!(
            "resource \"exotel_trunk_whitelisted_ips\" \"acl\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n  cidrs     = {}\n}}\n",
            hcl_list(cidrs)
        ),
    )
}

fn held(api: &Value) -> Vec<String> {
    let mut n: Vec<String> = records(api, "whitelisted_ips")
        .iter()
        .map(|r| format!("{}/{}", r["ip"].as_str().unwrap_or("?"), r["mask"]))
        .collect();
    n.sort();
    n
}

#[test]
fn whitelisted_ips() {
    let sim = Sim::start(&[]);
    let changed = config(&["198.51.100.0/28", "192.0.2.1/32"]);
    Scenario::new(&sim)
        .step(
            Step::new(&config(&["203.0.113.10/32", "198.51.100.0/28"]))
                .plans(2, 0, 0)
                .api(|api| assert_eq!(held(api), ["198.51.100.0/28", "203.0.113.10/32"], "{api}"))
                .import_verify(ADDR, trunk_id, &[]),
        )
        .step(Step::new(&changed).plans(0, 1, 0).api(|api| assert_eq!(held(api), ["192.0.2.1/32", "198.51.100.0/28"])))
        // Whitelisted outside Terraform: planned for removal, and removed.
        .step(
            Step::new(&changed)
                .outside(|sim, wd| {
                    let sid = s(&wd.attrs(ADDR), "trunk_sid").to_string();
                    sim.api(
                        Method::POST,
                        &format!("/trunks/{sid}/whitelisted-ips"),
                        Some(json!({"ip": "10.9.9.9", "mask": 32})),
                    );
                })
                .plans(0, 1, 0)
                .api(|api| assert_eq!(held(api), ["192.0.2.1/32", "198.51.100.0/28"], "{api}")),
        )
        .destroyed(no_trunks)
        .run();
}
