//! `exotel_trunk_phone_numbers`: exactly these numbers on a trunk.

use super::{hcl_list, no_trunks, records, s, trunk_id, with_trunk};
use crate::support::Sim;
use crate::support::steps::{Scenario, Step};
use reqwest::Method;
use serde_json::{Value, json};

const ADDR: &str = "exotel_trunk_phone_numbers.dids";

fn config(numbers: &[&str]) -> String {
    with_trunk(
        "acc_numbers",
        &format!(
            "resource \"exotel_trunk_phone_numbers\" \"dids\" {{\n  trunk_sid     = exotel_trunk.t.trunk_sid\n  phone_numbers = {}\n}}\n",
            hcl_list(numbers)
        ),
    )
}

fn held(api: &Value) -> Vec<String> {
    let mut n: Vec<String> =
        records(api, "phone_numbers").iter().filter_map(|r| r["phone_number"].as_str().map(str::to_owned)).collect();
    n.sort();
    n
}

#[test]
fn phone_numbers() {
    let sim = Sim::start(&[]);
    let changed = config(&["+919876543211", "+919876543212"]);
    Scenario::new(&sim)
        .step(
            Step::new(&config(&["+919876543210", "+919876543211"]))
                .plans(2, 0, 0)
                .check(ADDR, "phone_numbers", json!(["+919876543210", "+919876543211"]))
                .api(|api| assert_eq!(held(api), ["+919876543210", "+919876543211"], "{api}"))
                .import_verify(ADDR, trunk_id, &[]),
        )
        // One removed, one added: an in-place update.
        .step(Step::new(&changed).plans(0, 1, 0).api(|api| assert_eq!(held(api), ["+919876543211", "+919876543212"])))
        // One mapped outside Terraform: planned for removal, and removed.
        .step(
            Step::new(&changed)
                .outside(|sim, wd| {
                    let sid = s(&wd.attrs(ADDR), "trunk_sid").to_string();
                    sim.api(
                        Method::POST,
                        &format!("/trunks/{sid}/phone-numbers"),
                        Some(json!({"phone_number": "+919876543219"})),
                    );
                })
                .plans(0, 1, 0)
                .api(|api| assert_eq!(held(api), ["+919876543211", "+919876543212"], "{api}")),
        )
        .destroyed(no_trunks)
        .run();
}
