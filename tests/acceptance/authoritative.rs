//! The authoritative set resources (`exotel_trunk_whitelisted_ips`,
//! `exotel_trunk_phone_numbers`, `exotel_trunk_destinations`) with real
//! Terraform: create, empty re-plan, out-of-band additions planned as
//! removals and removed, out-of-band removals re-added, import-verify,
//! update, destroy; a thousand items converging with only the differences
//! sent; and, against the contract's routes only, the removal that cannot
//! happen.

use crate::support::*;
use reqwest::Method;
use serde_json::{Value, json};

fn held(sim: &Sim, sid: &str, coll: &str) -> Vec<Value> {
    let trunks = sim.trunks();
    let t = trunks.iter().find(|t| t["trunk_sid"] == sid).expect("trunk");
    t[coll].as_array().cloned().unwrap_or_default()
}

fn cidrs(sim: &Sim, sid: &str) -> Vec<String> {
    let mut v: Vec<String> = held(sim, sid, "whitelisted_ips")
        .iter()
        .map(|i| format!("{}/{}", i["ip"].as_str().unwrap(), i["mask"].as_i64().unwrap_or(32)))
        .collect();
    v.sort();
    v
}

fn ips_config(sid: &str, list: &[&str]) -> String {
    let items: Vec<String> = list.iter().map(|c| format!("\"{c}\"")).collect();
    format!(
        "resource \"exotel_trunk_whitelisted_ips\" \"acl\" {{\n  trunk_sid = \"{sid}\"\n  cidrs     = [{}]\n}}\n",
        items.join(", ")
    )
}

#[test]
fn whitelisted_ips_hold_exactly_the_configured_set() {
    whitelisted_ips_scenario("full");
}

#[test]
fn whitelisted_ips_hold_exactly_the_configured_set_with_the_live_apis_quirks() {
    whitelisted_ips_scenario("field-notes");
}

fn whitelisted_ips_scenario(mode: &str) {
    let sim = Sim::start(&["--mode", mode]);
    let sid = sim.new_trunk("acl");
    let wd = Workdir::new(&sim);
    wd.write("main.tf", &ips_config(&sid, &["203.0.113.10/32", "10.20.0.0/24"]));
    wd.apply();
    assert_eq!(cidrs(&sim, &sid), vec!["10.20.0.0/24", "203.0.113.10/32"]);
    wd.assert_no_diff();

    // Added in the dashboard: the next plan removes it.
    sim.api(Method::POST, &format!("/trunks/{sid}/whitelisted-ips"), Some(json!({"ip": "198.51.100.7", "mask": 32})));
    let (code, plan) = wd.plan(&[]);
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("- \"198.51.100.7/32\""), "{plan}");
    assert_eq!(plan_counts(&plan), (0, 1, 0), "{plan}");
    println!("--- plan after an IP was added outside Terraform ---\n{plan}");
    wd.apply();
    assert_eq!(cidrs(&sim, &sid), vec!["10.20.0.0/24", "203.0.113.10/32"]);
    wd.assert_no_diff();

    // Removed in the dashboard: the next plan adds it back.
    let id = held(&sim, &sid, "whitelisted_ips").iter().find(|i| i["ip"] == "10.20.0.0").unwrap()["id"].clone();
    let id = id.as_str().map_or_else(|| id.to_string(), str::to_string);
    sim.api(Method::DELETE, &format!("/trunks/{sid}/whitelisted-ips?id={id}"), None);
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("+ \"10.20.0.0/24\""), "{plan}");
    wd.apply();
    assert_eq!(cidrs(&sim, &sid).len(), 2);

    // Import-verify: a new working directory imports by trunk SID and plans nothing.
    let wd2 = Workdir::new(&sim);
    wd2.write("main.tf", &ips_config(&sid, &["203.0.113.10/32", "10.20.0.0/24"]));
    wd2.ok(&["import", "-no-color", "exotel_trunk_whitelisted_ips.acl", &sid]);
    wd2.assert_no_diff();

    // Update: narrower; then the empty set allows nobody.
    wd.write("main.tf", &ips_config(&sid, &["203.0.113.10/32"]));
    wd.apply();
    assert_eq!(cidrs(&sim, &sid), vec!["203.0.113.10/32"]);
    wd.write("main.tf", &ips_config(&sid, &[]));
    wd.apply();
    assert!(cidrs(&sim, &sid).is_empty());
    wd.assert_no_diff();

    // Destroy removes what it holds.
    wd.write("main.tf", &ips_config(&sid, &["192.0.2.1/32"]));
    wd.apply();
    wd.destroy();
    assert!(cidrs(&sim, &sid).is_empty());

    // Validation at `terraform validate`: not a network address, duplicates.
    wd.write("main.tf", &ips_config(&sid, &["10.0.0.1/24"]));
    let out = squash(&wd.fails(&["validate", "-no-color"]));
    assert!(out.contains("Invalid cidrs"), "{out}");
}

#[test]
fn a_create_over_existing_items_removes_them_and_names_them() {
    let sim = Sim::start(&[]);
    let sid = sim.new_trunk("nums");
    sim.api(Method::POST, &format!("/trunks/{sid}/phone-numbers"), Some(json!({"phone_number": "+919812300009"})));
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        &format!(
            "resource \"exotel_trunk_phone_numbers\" \"n\" {{\n  trunk_sid     = \"{sid}\"\n  phone_numbers = [\"+919812300001\", \"+919812300002\"]\n}}\n"
        ),
    );
    let out = squash(&wd.apply());
    assert!(out.contains("Phone number mappings removed from trunk") && out.contains("+919812300009"), "{out}");
    let mut numbers: Vec<String> =
        held(&sim, &sid, "phone_numbers").iter().map(|p| p["phone_number"].as_str().unwrap().to_string()).collect();
    numbers.sort();
    assert_eq!(numbers, vec!["+919812300001", "+919812300002"]);
    wd.assert_no_diff();
    wd.destroy();
    assert!(held(&sim, &sid, "phone_numbers").is_empty());
}

#[test]
fn destinations_keep_spelling_and_defaults_and_change_priority_in_place() {
    let sim = Sim::start(&["--mode", "field-notes"]);
    let sid = sim.new_trunk("orig");
    let wd = Workdir::new(&sim);
    let config = |prio: &str| {
        format!(
            r#"resource "exotel_trunk_destinations" "d" {{
  trunk_sid = "{sid}"
  destination {{
    uri = "sip:pbx1.example.com:5061;transport=tls"
  }}
  destination {{
    uri      = "pbx2.example.com:5061;transport=tls"
    priority = {prio}
    weight   = 1
  }}
}}
"#
        )
    };
    wd.write("main.tf", &config("0"));
    wd.apply();
    assert_eq!(held(&sim, &sid, "destinations").len(), 2);
    wd.assert_no_diff();
    let ids: Vec<Value> = held(&sim, &sid, "destinations").iter().map(|d| d["id"].clone()).collect();

    // A priority change is a PUT on the existing destination.
    wd.write("main.tf", &config("5"));
    wd.apply();
    let after = held(&sim, &sid, "destinations");
    assert_eq!(after.iter().map(|d| d["id"].clone()).collect::<Vec<_>>(), ids, "same destinations, not re-created");
    assert!(after.iter().any(|d| d["priority"] == 5), "{after:?}");
    wd.assert_no_diff();

    // Added outside Terraform: removed.
    sim.api(
        Method::POST,
        &format!("/trunks/{sid}/destination-uris"),
        Some(json!({"destinations": [{"destination": "rogue.example.com:5060;transport=tcp"}]})),
    );
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("rogue.example.com"), "{plan}");
    wd.apply();
    assert_eq!(held(&sim, &sid, "destinations").len(), 2);
    wd.assert_no_diff();

    // Two spellings of one destination are rejected at validate time.
    wd.write(
        "main.tf",
        &format!(
            "resource \"exotel_trunk_destinations\" \"d\" {{\n  trunk_sid = \"{sid}\"\n  destination {{\n    uri = \"sip:a.example.com:5061;transport=tls\"\n  }}\n  destination {{\n    uri = \"a.example.com:5061;transport=tls\"\n  }}\n}}\n"
        ),
    );
    let out = squash(&wd.fails(&["validate", "-no-color"]));
    assert!(out.contains("Duplicate destination"), "{out}");
}

#[test]
fn a_thousand_ips_converge_with_only_the_differences_sent() {
    let sim = Sim::start(&[]);
    let sid = sim.new_trunk("big");
    let wd = Workdir::new(&sim);
    let list: Vec<String> = (0..1000).map(|i| format!("10.{}.{}.1/32", i / 250, i % 250)).collect();
    let refs: Vec<&str> = list.iter().map(String::as_str).collect();
    let config = format!("provider \"exotel\" {{\n  max_requests_per_minute = 0\n}}\n{}", ips_config(&sid, &refs));
    wd.write("main.tf", &config);
    sim.reset_stats();
    wd.apply();
    // 1,000 POSTs, the listing before (1 page of an empty collection) and
    // the one after (1,000 items in pages of 50), and the credentials check
    // of each of the two provider processes (plan, apply).
    assert_eq!(sim.requests(), 1000 + 1 + 20 + 2);
    assert_eq!(cidrs(&sim, &sid).len(), 1000);
    wd.assert_no_diff();
}

#[test]
fn without_delete_routes_a_removal_fails_and_is_planned_again() {
    let sim = Sim::start(&["--mode", "contract"]);
    let sid = sim.new_trunk("locked");
    let wd = Workdir::new(&sim);
    wd.write("main.tf", &ips_config(&sid, &["203.0.113.10/32"]));
    wd.apply();
    sim.api(Method::POST, &format!("/trunks/{sid}/whitelisted-ips"), Some(json!({"ip": "198.51.100.7", "mask": 32})));
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("- \"198.51.100.7/32\""), "{plan}");
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]));
    assert!(out.contains("Whitelisted IPs still active on trunk") && out.contains("198.51.100.7/32"), "{out}");
    assert!(out.contains("Exotel dashboard"), "{out}");
    // no silent success: the next plan shows the same removal
    let (code, plan) = wd.plan(&[]);
    assert_eq!(code, 2);
    assert!(plan.contains("- \"198.51.100.7/32\""), "{plan}");
    // destroy: a warning naming what stays
    let out = squash(&wd.destroy());
    assert!(out.contains("Whitelisted IPs left in Exotel") && out.contains("203.0.113.10/32"), "{out}");
}

#[test]
fn the_locked_down_example_applies_re_plans_empty_and_destroys() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.remove("versions.tf"); // the example declares its own required_providers
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/locked-down/main.tf")).unwrap();
    wd.write("main.tf", &example);
    wd.apply();
    let trunks = sim.trunks();
    let t = &trunks[0];
    assert_eq!((t["whitelisted_ips"].as_array().unwrap().len(), t["phone_numbers"].as_array().unwrap().len()), (2, 2));
    assert_eq!(t["destinations"].as_array().unwrap().len(), 2);
    wd.assert_no_diff();
    wd.destroy();
    assert!(sim.trunks().is_empty());
}

#[test]
fn a_set_is_listed_by_query_and_its_generated_import_plans_empty() {
    let sim = Sim::start(&[]);
    let sid = sim.new_trunk("queried");
    for ip in ["203.0.113.10", "198.51.100.7"] {
        sim.api(Method::POST, &format!("/trunks/{sid}/whitelisted-ips"), Some(json!({"ip": ip, "mask": 32})));
    }
    let wd = Workdir::new(&sim);
    wd.write(
        "q.tfquery.hcl",
        &format!(
            "list \"exotel_trunk_whitelisted_ips\" \"acl\" {{\n  provider = exotel\n  config {{\n    trunk_sid = \"{sid}\"\n  }}\n  include_resource = true\n}}\n"
        ),
    );
    let out = wd.ok(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    assert!(out.contains(&sid), "{out}");
    let generated = std::fs::read_to_string(wd.path().join("generated.tf")).unwrap();
    assert_eq!(generated.matches("import {").count(), 1, "{generated}");
    assert!(generated.contains("198.51.100.7/32") && generated.contains("203.0.113.10/32"), "{generated}");
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    wd.apply();
    wd.assert_no_diff();
}

/// The documented migration, both ways, in one apply each: the new form
/// imported, the old one forgotten (`removed { lifecycle { destroy = false
/// } }`, Terraform 1.7+), then the 1.0-1.6 way (`state rm` + `import`).
/// No DELETE is sent, and the IPs never leave Exotel.
#[test]
fn a_collection_moves_between_the_per_item_resources_and_the_set_without_a_delete() {
    let sim = Sim::start(&[]);
    let sid = sim.new_trunk("move");
    let wd = Workdir::new(&sim);
    let per_item = format!(
        "resource \"exotel_trunk_whitelisted_ip\" \"a\" {{\n  trunk_sid = \"{sid}\"\n  ip        = \"203.0.113.10\"\n}}\nresource \"exotel_trunk_whitelisted_ip\" \"b\" {{\n  trunk_sid = \"{sid}\"\n  ip        = \"10.20.0.0\"\n  mask      = 24\n}}\n"
    );
    let want = vec!["10.20.0.0/24".to_string(), "203.0.113.10/32".to_string()];
    wd.write("main.tf", &per_item);
    wd.apply();
    let (id_a, id_b) = (
        wd.attrs("exotel_trunk_whitelisted_ip.a")["id"].clone(),
        wd.attrs("exotel_trunk_whitelisted_ip.b")["id"].clone(),
    );
    let (id_a, id_b) = (id_a.as_str().unwrap().to_string(), id_b.as_str().unwrap().to_string());
    sim.reset_stats();
    let deletes = |sim: &Sim| -> u64 {
        let stats = sim.stats();
        stats["by_route"].as_object().map_or(0, |m| {
            m.iter().filter(|(k, _)| k.starts_with("DELETE")).map(|(_, v)| v.as_u64().unwrap_or(0)).sum()
        })
    };
    let forget = |from: &str| format!("removed {{\n  from = {from}\n  lifecycle {{\n    destroy = false\n  }}\n}}\n");

    // Per-item -> set.
    wd.write(
        "main.tf",
        &format!(
            "{}import {{\n  to = exotel_trunk_whitelisted_ips.acl\n  id = \"{sid}\"\n}}\n{}{}",
            ips_config(&sid, &["203.0.113.10/32", "10.20.0.0/24"]),
            forget("exotel_trunk_whitelisted_ip.a"),
            forget("exotel_trunk_whitelisted_ip.b")
        ),
    );
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    wd.apply();
    assert_eq!(cidrs(&sim, &sid), want);
    wd.write("main.tf", &ips_config(&sid, &["203.0.113.10/32", "10.20.0.0/24"]));
    wd.assert_no_diff();

    // Set -> per-item.
    wd.write(
        "main.tf",
        &format!(
            "{per_item}import {{\n  to = exotel_trunk_whitelisted_ip.a\n  id = \"{sid}/{id_a}\"\n}}\nimport {{\n  to = exotel_trunk_whitelisted_ip.b\n  id = \"{sid}/{id_b}\"\n}}\n{}",
            forget("exotel_trunk_whitelisted_ips.acl")
        ),
    );
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("2 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    wd.apply();
    assert_eq!(cidrs(&sim, &sid), want);
    wd.write("main.tf", &per_item);
    wd.assert_no_diff();

    // Terraform 1.0-1.6: state rm, then import.
    wd.ok(&["state", "rm", "exotel_trunk_whitelisted_ip.a", "exotel_trunk_whitelisted_ip.b"]);
    wd.write("main.tf", &ips_config(&sid, &["203.0.113.10/32", "10.20.0.0/24"]));
    wd.ok(&["import", "-no-color", "exotel_trunk_whitelisted_ips.acl", &sid]);
    wd.assert_no_diff();
    assert_eq!(cidrs(&sim, &sid), want);
    assert_eq!(deletes(&sim), 0, "no DELETE was sent: {}", sim.stats());
}
