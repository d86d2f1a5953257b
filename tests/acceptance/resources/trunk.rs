//! `exotel_trunk`: the trunk itself. (`tests/acceptance/trunk.rs` keeps the
//! trunk's cross-cutting checks: a changed `account_sid`, attributes
//! removed from the file.)

use super::{no_trunks, trunk_id};
use crate::support::Sim;
use crate::support::steps::{Scenario, Step};
use reqwest::Method;

const ADDR: &str = "exotel_trunk.t";

fn config(name: &str) -> String {
    format!("resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{name}\"\n}}\n")
}

#[test]
fn trunk() {
    let sim = Sim::start(&[]);
    Scenario::new(&sim)
        .step(
            Step::new(&config("acc_one"))
                .plans(1, 0, 0)
                .check(ADDR, "trunk_name", "acc_one")
                .check(ADDR, "nso_code", "ANY-ANY")
                .check_set(ADDR, "trunk_sid")
                .check_set(ADDR, "date_created")
                .api(|api| assert_eq!(api["trunks"][0]["trunk_name"], "acc_one", "{api}"))
                .import_verify(ADDR, trunk_id, &[]),
        )
        // A new name replaces the trunk.
        .step(Step::new(&config("acc_two")).plans(1, 0, 1).api(|api| {
            let t = api["trunks"].as_array().cloned().unwrap_or_default();
            assert!(t.len() == 1 && t[0]["trunk_name"] == "acc_two", "{api}");
        }))
        // Deleted outside Terraform: planned for creation again.
        .step(
            Step::new(&config("acc_two"))
                .outside(|sim, wd| {
                    let sid = trunk_id(&wd.attrs(ADDR));
                    sim.api(Method::DELETE, &format!("/trunks?trunk_sid={sid}"), None);
                })
                .plans(1, 0, 0)
                .api(|api| assert_eq!(api["trunks"].as_array().map(Vec::len), Some(1), "{api}")),
        )
        .destroyed(no_trunks)
        .run();
}
