use crate::support::*;
use reqwest::Method;

const CONFIG: &str = r#"
resource "exotel_trunk" "main" {
  trunk_name = "acc_trunk"
}
"#;

fn trunk_named<'a>(trunks: &'a [serde_json::Value], name: &str) -> Vec<&'a serde_json::Value> {
    trunks.iter().filter(|t| t["trunk_name"] == name).collect()
}

#[test]
fn trunk_lifecycle() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", CONFIG);

    // create
    wd.apply();
    let trunks = sim.trunks();
    assert_eq!(trunk_named(&trunks, "acc_trunk").len(), 1, "{trunks:?}");
    let a = wd.attrs("exotel_trunk.main");
    let sid = a["trunk_sid"].as_str().expect("sid").to_string();
    assert_eq!(a["id"], sid);
    assert_eq!(a["nso_code"], "ANY-ANY");
    assert_eq!(a["domain_name"], format!("{ACCOUNT_SID}.pstn.exotel.com"));
    assert!(a["date_created"].is_string());
    assert_eq!(trunks[0]["trunk_sid"], sid);

    // empty re-plans, with and without refresh
    wd.assert_no_diff();

    // import into fresh state reproduces the attributes; no replacement
    let wd2 = Workdir::new(&sim);
    wd2.write("main.tf", CONFIG);
    wd2.ok(&["import", "-input=false", "-no-color", "exotel_trunk.main", &sid]);
    assert_eq!(wd2.attrs("exotel_trunk.main"), a);
    wd2.assert_no_diff();

    // removing an optional+computed attribute from the file, or changing the
    // provider's account_sid, never plans a replacement
    wd.write(
        "main.tf",
        &CONFIG.replace("trunk_name = \"acc_trunk\"", "trunk_name = \"acc_trunk\"\n  nso_code = \"ANY-ANY\""),
    );
    wd.assert_no_diff();
    let mut wd_other_sid = Workdir::new(&sim);
    std::fs::copy(wd.path().join("terraform.tfstate"), wd_other_sid.path().join("terraform.tfstate")).unwrap();
    wd_other_sid.write("main.tf", CONFIG);
    wd_other_sid.set_env("EXOTEL_ACCOUNT_SID", "someoneelse");
    // (The simulator serves one account: the credentials check would refuse
    // this one, which is not what is tested here.)
    wd_other_sid.set_env("EXOTEL_SKIP_CREDENTIALS_VALIDATION", "true");
    let (c, t) = wd_other_sid.plan(&["-refresh=false"]);
    assert_eq!(c, 0, "changing account_sid must not plan anything:\n{t}");

    // update: a new name replaces the trunk
    wd.write("main.tf", &CONFIG.replace("acc_trunk", "acc_trunk2"));
    let (c, t) = wd.plan(&[]);
    assert_eq!(c, 2);
    assert!(t.contains("must be replaced"), "{t}");
    assert_eq!(plan_counts(&t), (1, 0, 1));
    wd.apply();
    let trunks = sim.trunks();
    assert_eq!(trunks.len(), 1, "{trunks:?}");
    assert_eq!(trunks[0]["trunk_name"], "acc_trunk2");
    wd.assert_no_diff();

    // out-of-band delete: the next plan re-creates it
    let sid2 = wd.attrs("exotel_trunk.main")["trunk_sid"].as_str().unwrap().to_string();
    sim.api(Method::DELETE, &format!("/trunks?trunk_sid={sid2}"), None);
    let (c, t) = wd.plan(&[]);
    assert_eq!(c, 2, "{t}");
    assert_eq!(plan_counts(&t), (1, 0, 0), "{t}");

    // destroy leaves nothing
    wd.apply();
    assert_eq!(sim.trunks().len(), 1);
    wd.destroy();
    assert!(sim.trunks().is_empty(), "{:?}", sim.trunks());
    assert!(wd.state_addresses().is_empty());
}

#[test]
fn trunk_import_against_contract_only_api() {
    // The contract has no way to read a trunk's fields: import records the
    // configured values with one in-place update (no API call), then nothing.
    let sim = Sim::start(&["--mode", "contract"]);
    let create = |name: &str| {
        let created = sim.api(
            Method::POST,
            "/trunks",
            Some(
                serde_json::json!({"trunk_name": name, "nso_code": "ANY-ANY", "domain_name": "acme1.pstn.exotel.com"}),
            ),
        );
        created["response"]["data"]["trunk_sid"].as_str().expect("sid").to_string()
    };

    // `terraform import`, then plan: one in-place update, never a replacement
    let sid = create("legacy");
    let wd = Workdir::new(&sim);
    wd.write("main.tf", "resource \"exotel_trunk\" \"main\" {\n  trunk_name = \"legacy\"\n}\n");
    wd.ok(&["import", "-input=false", "-no-color", "exotel_trunk.main", &sid]);
    let (c, t) = wd.plan(&[]);
    assert_eq!(c, 2, "the import records trunk_name in place:\n{t}");
    assert_eq!(plan_counts(&t), (0, 1, 0), "{t}");
    assert!(!t.contains("must be replaced"), "{t}");
    sim.reset_stats();
    wd.apply();
    // the in-place update sent nothing but reads
    let stats = sim.stats();
    assert!(stats["by_route"].as_object().unwrap().keys().all(|k| k.starts_with("GET")), "{stats}");
    wd.assert_no_diff();

    // drift is still seen without trunk listing
    sim.api(Method::DELETE, &format!("/trunks?trunk_sid={sid}"), None);
    let (c, t) = wd.plan(&[]);
    assert_eq!(c, 2);
    assert_eq!(plan_counts(&t), (1, 0, 0), "{t}");

    // `import {}` block: import plus in-place update in one apply, then nothing
    let sid = create("legacy2");
    let wd = Workdir::new(&sim);
    wd.write("main.tf", "resource \"exotel_trunk\" \"main\" {\n  trunk_name = \"legacy2\"\n}\n");
    wd.write("import.tf", &format!("import {{\n  to = exotel_trunk.main\n  id = \"{sid}\"\n}}\n"));
    let (c, t) = wd.plan(&[]);
    assert_eq!(c, 2, "{t}");
    assert!(t.contains("1 to import"), "{t}");
    assert!(!t.contains("must be replaced"), "{t}");
    wd.apply();
    wd.remove("import.tf");
    wd.assert_no_diff();
    assert_eq!(wd.attrs("exotel_trunk.main")["trunk_sid"], sid);
}

#[test]
fn trunk_validation_happens_before_any_api_call() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", "resource \"exotel_trunk\" \"bad\" {\n  trunk_name = \"no-dashes-allowed\"\n}\n");
    let out = wd.fails(&["validate", "-no-color"]);
    assert!(out.contains("trunk_name"), "{out}");
    assert!(out.contains("1 to 16") || out.contains("[A-Za-z0-9_]"), "{out}");
    let out = wd.fails(&["plan", "-input=false", "-no-color"]);
    assert!(out.contains("Invalid trunk_name"), "{out}");
    assert_eq!(sim.requests(), 0);
}
