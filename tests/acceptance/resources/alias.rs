//! `exotel_trunk_alias`: the trunk's caller-ID alias (a setting).

use super::{no_trunks, trunk_id, with_trunk};
use crate::support::Sim;
use crate::support::steps::{Scenario, Step};
use reqwest::Method;
use serde_json::{Value, json};

const ADDR: &str = "exotel_trunk_alias.caller_id";

fn config(alias: &str) -> String {
    with_trunk(
        "acc_alias",
        &format!(
            "resource \"exotel_trunk_alias\" \"caller_id\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n  alias     = \"{alias}\"\n}}\n"
        ),
    )
}

fn alias(api: &Value) -> Value {
    api["trunks"][0]["settings"]["trunk_external_alias"].clone()
}

#[test]
fn alias_lifecycle() {
    let sim = Sim::start(&[]);
    let second = config("+919876543211");
    Scenario::new(&sim)
        .step(
            Step::new(&config("+919876543210"))
                .plans(2, 0, 0)
                .check(ADDR, "alias", "+919876543210")
                .api(|api| assert_eq!(alias(api), "+919876543210", "{api}"))
                .import_verify(ADDR, trunk_id, &[]),
        )
        .step(Step::new(&second).plans(0, 1, 0).api(|api| assert_eq!(alias(api), "+919876543211", "{api}")))
        // Changed outside Terraform: planned back.
        .step(
            Step::new(&second)
                .outside(|sim, wd| {
                    let sid = wd.attrs(ADDR)["trunk_sid"].as_str().unwrap_or_default().to_string();
                    let body = json!({"settings": [{"name": "trunk_external_alias", "value": "+919999999999"}]});
                    sim.api(Method::POST, &format!("/trunks/{sid}/settings"), Some(body));
                })
                .plans(0, 1, 0)
                .api(|api| assert_eq!(alias(api), "+919876543211", "{api}")),
        )
        // Cleared outside Terraform: planned for creation again.
        .step(
            Step::new(&second)
                .outside(|sim, wd| {
                    let sid = wd.attrs(ADDR)["trunk_sid"].as_str().unwrap_or_default().to_string();
                    sim.api(Method::DELETE, &format!("/trunks/{sid}/settings?name=trunk_external_alias"), None);
                })
                .plans(1, 0, 0),
        )
        .destroyed(no_trunks)
        .run();
}
