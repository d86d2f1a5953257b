//! `exotel_trunk_phone_number`: one number mapped to a trunk.

use super::{item_id, no_trunks, records, s, with_trunk};
use crate::support::Sim;
use crate::support::steps::{Scenario, Step};
use reqwest::Method;
use serde_json::json;

const ADDR: &str = "exotel_trunk_phone_number.n";

fn config(mode: &str) -> String {
    with_trunk(
        "acc_number",
        &format!(
            "resource \"exotel_trunk_phone_number\" \"n\" {{\n  trunk_sid    = exotel_trunk.t.trunk_sid\n  phone_number = \"+919876543210\"\n{mode}}}\n"
        ),
    )
}

#[test]
fn phone_number() {
    let sim = Sim::start(&[]);
    let flow = config("  mode         = \"flow\"\n");
    Scenario::new(&sim)
        .step(
            Step::new(&config(""))
                .plans(2, 0, 0)
                .check(ADDR, "phone_number", "+919876543210")
                .check(ADDR, "mode", "pstn")
                .check_set(ADDR, "id")
                .check_set(ADDR, "date_created")
                .api(|api| assert_eq!(records(api, "phone_numbers").len(), 1, "{api}"))
                .import_verify(ADDR, item_id, &[]),
        )
        .step(
            Step::new(&flow)
                .plans(0, 1, 0)
                .check(ADDR, "mode", "flow")
                .api(|api| assert_eq!(records(api, "phone_numbers")[0]["mode"], "flow", "{api}")),
        )
        // Deleted outside Terraform: planned for creation again.
        .step(
            Step::new(&flow)
                .outside(|sim, wd| {
                    let a = wd.attrs(ADDR);
                    sim.api(
                        Method::DELETE,
                        &format!("/trunks/{}/phone-numbers?id={}", s(&a, "trunk_sid"), s(&a, "id")),
                        None,
                    );
                })
                .plans(1, 0, 0)
                .check(ADDR, "mode", "flow"),
        )
        // Its mode changed outside Terraform: planned back.
        .step(
            Step::new(&flow)
                .outside(|sim, wd| {
                    let a = wd.attrs(ADDR);
                    let path = format!("/trunks/{}/phone-numbers/{}", s(&a, "trunk_sid"), s(&a, "id"));
                    sim.api(Method::PUT, &path, Some(json!({"phone_number": "+919876543210", "mode": "pstn"})));
                })
                .plans(0, 1, 0)
                .api(|api| assert_eq!(records(api, "phone_numbers")[0]["mode"], "flow", "{api}")),
        )
        .destroyed(no_trunks)
        .run();
}
