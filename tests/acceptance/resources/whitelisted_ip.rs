//! `exotel_trunk_whitelisted_ip`: one IP or network allowed to send calls.

use super::{item_id, no_trunks, records, s, with_trunk};
use crate::support::Sim;
use crate::support::steps::{Scenario, Step};
use reqwest::Method;

const ADDR: &str = "exotel_trunk_whitelisted_ip.pbx";

fn config(ip: &str, mask: &str) -> String {
    with_trunk(
        "acc_ip",
        &format!(
            "resource \"exotel_trunk_whitelisted_ip\" \"pbx\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n  ip        = \"{ip}\"\n{mask}}}\n"
        ),
    )
}

#[test]
fn whitelisted_ip() {
    let sim = Sim::start(&[]);
    let network = config("198.51.100.0", "  mask      = 28\n");
    Scenario::new(&sim)
        .step(
            Step::new(&config("203.0.113.10", ""))
                .plans(2, 0, 0)
                .check(ADDR, "ip", "203.0.113.10")
                .check(ADDR, "mask", 32)
                .check_set(ADDR, "id")
                .api(|api| assert_eq!(records(api, "whitelisted_ips")[0]["ip"], "203.0.113.10", "{api}"))
                .import_verify(ADDR, item_id, &[]),
        )
        // The address or mask of an entry cannot change in place: replaced.
        .step(Step::new(&network).plans(1, 0, 1).check(ADDR, "ip", "198.51.100.0").check(ADDR, "mask", 28).api(|api| {
            let ips = records(api, "whitelisted_ips");
            assert!(ips.len() == 1 && ips[0]["mask"] == 28, "{api}");
        }))
        // Deleted outside Terraform: planned for creation again.
        .step(
            Step::new(&network)
                .outside(|sim, wd| {
                    let a = wd.attrs(ADDR);
                    sim.api(
                        Method::DELETE,
                        &format!("/trunks/{}/whitelisted-ips?id={}", s(&a, "trunk_sid"), s(&a, "id")),
                        None,
                    );
                })
                .plans(1, 0, 0)
                .api(|api| assert_eq!(records(api, "whitelisted_ips").len(), 1, "{api}")),
        )
        .destroyed(no_trunks)
        .run();
}
