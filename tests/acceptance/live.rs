//! Scenarios that make sense against a real Exotel account: create,
//! import-verify, update, empty re-plan, destroy. They run against the
//! simulator unless live mode is on:
//!
//! ```sh
//! TF_ACC=1 EXOTEL_API_KEY=... EXOTEL_API_TOKEN=... EXOTEL_ACCOUNT_SID=... \
//!   [EXOTEL_REGION=mumbai] [EXOTEL_TEST_PHONE_NUMBERS=+91...,+91...] \
//!   cargo test --release --test acceptance live::
//! ```
//!
//! Live, they create only trunks named `tfacc_<random>` and destroy them;
//! every trunk SID is also recorded in `target/tfacc-trunks.txt` (or
//! `TFACC_SWEEP_FILE`) so that `cargo run --release --example sweep` can
//! delete what an interrupted run left. Phone numbers cannot be invented
//! against a real account: the number scenarios use
//! `EXOTEL_TEST_PHONE_NUMBERS` (numbers the account owns) and say so when it
//! is unset. Everything else in this suite (faults, out-of-band changes, API
//! shapes, request counts) needs the simulator's hooks and is
//! simulator-only: it always starts its own simulator, live mode or not.

use crate::support::{Account, Workdir, squash};

/// Import-verify: `config` (a resource and an `import {}` block for
/// `address`) plans exactly one import and applies; the imported state is
/// returned, then dropped from that second state so that only the first
/// one destroys.
fn import_verify(acct: &Account, config: &str, address: &str) -> serde_json::Value {
    let wd: Workdir = acct.workdir();
    wd.write("main.tf", config);
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{plan}");
    wd.apply();
    let imported = wd.attrs(address);
    wd.ok(&["state", "rm", address]);
    imported
}

#[test]
fn trunk_create_import_update_replan_destroy() {
    let acct = Account::from_env();
    let name = acct.name();
    let wd = acct.workdir();
    wd.write("main.tf", &format!("resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{name}\"\n}}\n"));
    wd.apply();
    let sid = acct.record(&wd, "exotel_trunk.t", "trunk_sid");
    wd.assert_no_diff();
    // Import-verify: a second state, from the trunk SID alone.
    let imported = import_verify(
        &acct,
        &format!(
            "resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{name}\"\n}}\nimport {{\n  to = exotel_trunk.t\n  id = \"{sid}\"\n}}\n"
        ),
        "exotel_trunk.t",
    );
    assert_eq!(imported, wd.attrs("exotel_trunk.t"), "imported state differs");
    // Update: a new name.
    let renamed = acct.name();
    wd.write("main.tf", &format!("resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{renamed}\"\n}}\n"));
    wd.apply();
    acct.record(&wd, "exotel_trunk.t", "trunk_sid");
    assert_eq!(wd.attrs("exotel_trunk.t")["trunk_name"], renamed.as_str());
    wd.assert_no_diff();
    wd.destroy();
    assert!(wd.state_addresses().is_empty());
}

#[test]
fn termination_ips_and_caller_id() {
    let acct = Account::from_env();
    let name = acct.name();
    let wd = acct.workdir();
    let numbers = acct.phone_numbers(1);
    let config = |ips: &[&str]| {
        let mut c = format!(
            "resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{name}\"\n}}\nresource \"exotel_trunk_whitelisted_ip\" \"pbx\" {{\n  for_each  = toset({ips:?})\n  trunk_sid = exotel_trunk.t.trunk_sid\n  ip        = each.value\n}}\n"
        );
        if let Some(n) = &numbers {
            c.push_str(&format!(
                "resource \"exotel_trunk_phone_number\" \"cid\" {{\n  trunk_sid    = exotel_trunk.t.trunk_sid\n  phone_number = \"{}\"\n}}\nresource \"exotel_trunk_alias\" \"cid\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n  alias     = exotel_trunk_phone_number.cid.phone_number\n}}\n",
                n[0]
            ));
        }
        c
    };
    wd.write("main.tf", &config(&["203.0.113.10", "203.0.113.11"]));
    wd.apply();
    let sid = acct.record(&wd, "exotel_trunk.t", "trunk_sid");
    wd.assert_no_diff();
    // Import-verify one IP by address.
    let id = wd.attrs("exotel_trunk_whitelisted_ip.pbx[\"203.0.113.10\"]")["id"].as_str().expect("ip id").to_string();
    let imported = import_verify(
        &acct,
        &format!(
            "resource \"exotel_trunk_whitelisted_ip\" \"one\" {{\n  trunk_sid = \"{sid}\"\n  ip        = \"203.0.113.10\"\n}}\nimport {{\n  to = exotel_trunk_whitelisted_ip.one\n  id = \"{sid}/203.0.113.10\"\n}}\n"
        ),
        "exotel_trunk_whitelisted_ip.one",
    );
    assert_eq!(imported["id"], id.as_str());
    // Update: one IP replaced.
    wd.write("main.tf", &config(&["203.0.113.10", "203.0.113.12"]));
    let out = wd.apply();
    assert!(squash(&out).contains("1 added, 0 changed, 1 destroyed"), "{out}");
    wd.assert_no_diff();
    wd.destroy();
}

#[test]
fn origination_destinations_and_credentials() {
    let acct = Account::from_env();
    let name = acct.name();
    let wd = acct.workdir();
    let config = |weight: u32| {
        format!(
            "resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{name}\"\n}}\nresource \"exotel_trunk_destination\" \"d\" {{\n  trunk_sid   = exotel_trunk.t.trunk_sid\n  destination = \"sip.example.com:5061;transport=tls\"\n  weight      = {weight}\n}}\ndata \"exotel_trunk_credentials\" \"sip\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n}}\noutput \"user\" {{\n  value = data.exotel_trunk_credentials.sip.username\n}}\n"
        )
    };
    wd.write("main.tf", &config(1));
    let out = wd.apply();
    let sid = acct.record(&wd, "exotel_trunk.t", "trunk_sid");
    assert!(out.contains("user = \""), "{out}");
    wd.assert_no_diff();
    let id = wd.attrs("exotel_trunk_destination.d")["id"].as_str().expect("destination id").to_string();
    let imported = import_verify(
        &acct,
        &format!(
            "resource \"exotel_trunk_destination\" \"d\" {{\n  trunk_sid   = \"{sid}\"\n  destination = \"sip.example.com:5061;transport=tls\"\n}}\nimport {{\n  to = exotel_trunk_destination.d\n  identity = {{ trunk_sid = \"{sid}\", id = \"{id}\" }}\n}}\n"
        ),
        "exotel_trunk_destination.d",
    );
    assert_eq!(imported["uri"], wd.attrs("exotel_trunk_destination.d")["uri"]);
    // Update: the weight, in place where the API can, else replaced.
    wd.write("main.tf", &config(5));
    wd.apply();
    assert_eq!(wd.attrs("exotel_trunk_destination.d")["weight"], 5);
    wd.assert_no_diff();
    wd.destroy();
}

#[test]
fn authoritative_sets() {
    let acct = Account::from_env();
    let name = acct.name();
    let wd = acct.workdir();
    let numbers = acct.phone_numbers(2);
    let config = |cidrs: &[&str], n: usize| {
        let mut c = format!(
            "resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{name}\"\n}}\nresource \"exotel_trunk_whitelisted_ips\" \"acl\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n  cidrs     = {cidrs:?}\n}}\nresource \"exotel_trunk_destinations\" \"sbc\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n  destination {{\n    uri = \"198.51.100.20:5060;transport=tcp\"\n  }}\n}}\n"
        );
        if let Some(all) = &numbers {
            c.push_str(&format!(
                "resource \"exotel_trunk_phone_numbers\" \"dids\" {{\n  trunk_sid     = exotel_trunk.t.trunk_sid\n  phone_numbers = {:?}\n}}\n",
                &all[..n]
            ));
        }
        c
    };
    wd.write("main.tf", &config(&["203.0.113.0/28", "198.51.100.7/32"], 1));
    wd.apply();
    let sid = acct.record(&wd, "exotel_trunk.t", "trunk_sid");
    wd.assert_no_diff();
    let imported = import_verify(
        &acct,
        &format!(
            "resource \"exotel_trunk_whitelisted_ips\" \"acl\" {{\n  trunk_sid = \"{sid}\"\n  cidrs     = [\"203.0.113.0/28\", \"198.51.100.7/32\"]\n}}\nimport {{\n  to = exotel_trunk_whitelisted_ips.acl\n  id = \"{sid}\"\n}}\n"
        ),
        "exotel_trunk_whitelisted_ips.acl",
    );
    assert_eq!(imported["cidrs"], wd.attrs("exotel_trunk_whitelisted_ips.acl")["cidrs"]);
    wd.write("main.tf", &config(&["203.0.113.0/28"], 2));
    wd.apply();
    wd.assert_no_diff();
    wd.destroy();
}

/// Simulator-only (it needs trunks made outside Terraform): the sweeper
/// deletes `tfacc_` trunks and nothing else, through `GET /trunks` where the
/// API has it, else from the recorded SIDs.
#[test]
fn the_sweeper_deletes_only_tfacc_trunks() {
    let bin = crate::support::sim_bin().parent().expect("profile dir").join("examples").join("sweep");
    for mode in ["full", "contract"] {
        let sim = crate::support::Sim::start(&["--mode", mode]);
        let ours = sim.new_trunk("tfacc_0123456789");
        let theirs = sim.new_trunk("tfacc_notrecord");
        let other = sim.new_trunk("production");
        let record = tempfile::NamedTempFile::new().expect("record file");
        std::fs::write(record.path(), format!("{ours}\n{ours}\n")).expect("record");
        let out = std::process::Command::new(&bin)
            .env("EXOTEL_BASE_URL", &sim.base_url)
            .env("EXOTEL_API_KEY", crate::support::API_KEY)
            .env("EXOTEL_API_TOKEN", crate::support::API_TOKEN)
            .env("EXOTEL_ACCOUNT_SID", crate::support::ACCOUNT_SID)
            .env("TFACC_SWEEP_FILE", record.path())
            .output()
            .expect("run the sweeper");
        let log = crate::support::text(&out);
        assert!(out.status.success(), "{mode}: {log}");
        assert!(!log.contains(crate::support::API_TOKEN), "{log}");
        let left: Vec<String> =
            sim.trunks().iter().filter_map(|t| t["trunk_sid"].as_str().map(str::to_string)).collect();
        let expected: Vec<&str> = if mode == "full" { vec![&other] } else { vec![&theirs, &other] };
        let mut left_sorted = left.clone();
        left_sorted.sort();
        let mut expected_sorted: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected_sorted.sort();
        assert_eq!(left_sorted, expected_sorted, "{mode}: {log}");
        assert!(
            !record.path().exists() || std::fs::read_to_string(record.path()).unwrap_or_default().is_empty(),
            "{mode}: the record file is kept"
        );
    }
}

/// A SIP digest credential with a write-only password: created, imported by
/// username, rotated, destroyed, the password never in state. An account
/// whose API has no digest-credentials routes (the contract's shape, and
/// the simulator this runs against outside live mode) must instead refuse
/// with the provider's clear error and keep nothing but the trunk.
#[test]
fn digest_credential_or_its_clear_refusal() {
    let acct = Account::from_env();
    let name = acct.name();
    let password = format!("{name}-pw");
    let wd = acct.workdir();
    let config = |sid: &str, version: u32, pw: &str| {
        format!(
            "resource \"exotel_trunk_credential\" \"c\" {{\n  trunk_sid           = {sid}\n  username            = \"{name}\"\n  password_wo         = \"{pw}\"\n  password_wo_version = {version}\n}}\n"
        )
    };
    let trunk = format!("resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{name}\"\n}}\n");
    wd.write("main.tf", &(trunk.clone() + &config("exotel_trunk.t.trunk_sid", 1, &password)));
    let out = wd.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let sid = acct.record(&wd, "exotel_trunk.t", "trunk_sid");
    let text = squash(&crate::support::text(&out));
    assert!(!text.contains(&password) && !wd.state_file().contains(&password), "the password was shown");
    if !out.status.success() {
        assert!(text.contains("This Exotel API cannot manage SIP digest credentials"), "{text}");
        assert_eq!(wd.state_addresses(), vec!["exotel_trunk.t"]);
        wd.destroy();
        return;
    }
    wd.assert_no_diff();
    // Import by username: the plan that imports sends the password once.
    let second = acct.workdir();
    let import = format!("import {{\n  to = exotel_trunk_credential.c\n  id = \"{sid}/username:{name}\"\n}}\n");
    second.write("main.tf", &(config(&format!("\"{sid}\""), 1, &password) + &import));
    let (_, plan) = second.plan(&[]);
    assert!(plan.contains("1 to import, 0 to add, 1 to change, 0 to destroy"), "{plan}");
    second.apply();
    assert_eq!(second.attrs("exotel_trunk_credential.c")["id"], wd.attrs("exotel_trunk_credential.c")["id"]);
    second.assert_no_diff();
    second.ok(&["state", "rm", "exotel_trunk_credential.c"]);
    // Rotate: a new password under a new version is one in-place update.
    wd.write("main.tf", &(trunk + &config("exotel_trunk.t.trunk_sid", 2, &format!("{password}-2"))));
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("0 to add, 1 to change, 0 to destroy"), "{plan}");
    wd.apply();
    wd.assert_no_diff();
    assert!(!wd.state_file().contains(&password));
    wd.destroy();
    assert!(wd.state_addresses().is_empty());
}
