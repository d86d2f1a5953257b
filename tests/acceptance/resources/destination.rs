//! `exotel_trunk_destination`: one SIP URI the trunk delivers calls to.

use super::{item_id, no_trunks, records, s, with_trunk};
use crate::support::Sim;
use crate::support::steps::{Scenario, Step};
use reqwest::Method;
use serde_json::json;

const ADDR: &str = "exotel_trunk_destination.primary";

fn config(extra: &str) -> String {
    with_trunk(
        "acc_dest",
        &format!(
            "resource \"exotel_trunk_destination\" \"primary\" {{\n  trunk_sid   = exotel_trunk.t.trunk_sid\n  destination = \"sip.example.com:5061;transport=tls\"\n{extra}}}\n"
        ),
    )
}

#[test]
fn destination() {
    let sim = Sim::start(&[]);
    let weighted = config("  priority    = 2\n  weight      = 5\n");
    Scenario::new(&sim)
        .step(
            Step::new(&config(""))
                .plans(2, 0, 0)
                .check(ADDR, "uri", "sip:sip.example.com:5061;transport=tls")
                .check(ADDR, "priority", 0)
                .check(ADDR, "weight", 1)
                .api(|api| assert_eq!(records(api, "destinations").len(), 1, "{api}"))
                .import_verify(ADDR, item_id, &[]),
        )
        .step(Step::new(&weighted).plans(0, 1, 0).check(ADDR, "priority", 2).check(ADDR, "weight", 5).api(|api| {
            let d = &records(api, "destinations")[0];
            assert!(d["priority"] == 2 && d["weight"] == 5, "{api}");
        }))
        // Its priority changed outside Terraform: planned back.
        .step(
            Step::new(&weighted)
                .outside(|sim, wd| {
                    let a = wd.attrs(ADDR);
                    let path = format!("/trunks/{}/destination-uris/{}", s(&a, "trunk_sid"), s(&a, "id"));
                    sim.api(Method::PUT, &path, Some(json!({"priority": 9, "weight": 5})));
                })
                .plans(0, 1, 0)
                .api(|api| assert_eq!(records(api, "destinations")[0]["priority"], 2, "{api}")),
        )
        // Deleted outside Terraform: planned for creation again.
        .step(
            Step::new(&weighted)
                .outside(|sim, wd| {
                    let a = wd.attrs(ADDR);
                    sim.api(
                        Method::DELETE,
                        &format!("/trunks/{}/destination-uris?id={}", s(&a, "trunk_sid"), s(&a, "id")),
                        None,
                    );
                })
                .plans(1, 0, 0)
                .check(ADDR, "priority", 2),
        )
        .destroyed(no_trunks)
        .run();
}
