//! What the people who run the provider see before anything is applied:
//! credentials checked at plan time (so a CI plan job fails, not only its
//! apply job) at no cost to the apply, and the User-Agent.

use crate::support::{Sim, Workdir, squash};

const ONE_TRUNK: &str = "resource \"exotel_trunk\" \"t\" {\n  trunk_name = \"checked\"\n}\n";

fn get_trunks(sim: &Sim) -> u64 {
    sim.stats()["by_route"]["GET trunks"].as_u64().unwrap_or(0)
}

#[test]
fn wrong_credentials_fail_the_plan_with_one_request() {
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    let bad = "definitely-wrong-token-value";
    wd.set_env("EXOTEL_API_TOKEN", bad);
    wd.write("main.tf", ONE_TRUNK);
    let out = wd.fails(&["plan", "-input=false", "-no-color"]);
    let flat = squash(&out);
    assert!(flat.contains("Exotel rejected the credentials"), "{out}");
    assert!(flat.contains("HTTP 401, Exotel error 1010: Authorization failed"), "{out}");
    assert!(flat.contains("EXOTEL_API_TOKEN"), "{out}");
    assert!(!out.contains(bad), "token echoed:\n{out}");
    assert!(!flat.contains("Plan:"), "{out}");
    assert_eq!(sim.requests(), 1, "one request, no retries: {}", sim.stats());
    assert_eq!(get_trunks(&sim), 1);

    // Another account's SID: 403 from Exotel, the same plan-time error.
    wd.set_env("EXOTEL_API_TOKEN", crate::support::API_TOKEN);
    wd.set_env("EXOTEL_ACCOUNT_SID", "someone_else");
    let flat = squash(&wd.fails(&["plan", "-input=false", "-no-color"]));
    assert!(flat.contains("Exotel rejected the credentials") && flat.contains("HTTP 403"), "{flat}");
}

#[test]
fn the_check_costs_the_apply_nothing() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", ONE_TRUNK);
    wd.apply();
    let number = "resource \"exotel_trunk_phone_number\" \"n\" {\n  trunk_sid    = exotel_trunk.t.trunk_sid\n  phone_number = \"+919810000001\"\n}\n";
    wd.write("main.tf", &format!("{ONE_TRUNK}{number}"));
    wd.ok(&["plan", "-input=false", "-no-color", "-out=tfplan"]);
    // The apply of the saved plan sends what the create needs (the listing
    // its never-twice snapshot takes, then the POST) and nothing before it.
    sim.reset_stats();
    let out = wd.ok(&["apply", "-input=false", "-no-color", "tfplan"]);
    assert!(out.contains("1 added"), "{out}");
    let stats = sim.stats();
    let routes = stats["by_route"].as_object().expect("by_route");
    let seen: Vec<(&str, u64)> = routes.iter().map(|(k, v)| (k.as_str(), v.as_u64().unwrap_or(0))).collect();
    assert_eq!(seen, [("GET trunks/*/phone-numbers", 1), ("POST trunks/*/phone-numbers", 1)], "{stats}");
}

#[test]
fn wrong_credentials_with_many_resources_in_state_are_reported_once() {
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    wd.write("main.tf", &crate::support::trunk_and_numbers("checked", 5, 10));
    wd.apply();
    sim.reset_stats();
    wd.set_env("EXOTEL_API_TOKEN", "wrong");
    let out = wd.fails(&["plan", "-input=false", "-no-color"]);
    let flat = squash(&out);
    assert_eq!(flat.matches("Error: Exotel rejected the credentials").count(), 1, "{out}");
    assert!(!flat.contains("Not sent"), "{out}");
    assert_eq!(sim.requests(), 1, "{}", sim.stats());
}

#[test]
fn an_api_without_get_trunks_cannot_check_and_the_plan_goes_on() {
    let sim = Sim::start(&["--mode", "contract"]);
    let mut wd = Workdir::new(&sim);
    wd.write("main.tf", ONE_TRUNK);
    let (code, out) = wd.plan(&[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("1 to add"), "{out}");
    // The route's 404 is an answer, not a failure: one request, no retry.
    assert_eq!(get_trunks(&sim), 1, "{}", sim.stats());
    assert_eq!(sim.requests(), 1);
    // Wrong credentials are still refused before the router: 401.
    wd.set_env("EXOTEL_API_KEY", "nobody");
    let flat = squash(&wd.fails(&["plan", "-input=false", "-no-color"]));
    assert!(flat.contains("Exotel rejected the credentials"), "{flat}");
}

#[test]
fn skipping_the_check_or_unknown_credentials_send_nothing() {
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    wd.set_env("EXOTEL_API_TOKEN", "wrong");
    wd.write("main.tf", &format!("provider \"exotel\" {{\n  skip_credentials_validation = true\n}}\n{ONE_TRUNK}"));
    let (code, out) = wd.plan(&[]);
    assert_eq!(code, 2, "{out}");
    wd.write("main.tf", ONE_TRUNK);
    wd.set_env("EXOTEL_SKIP_CREDENTIALS_VALIDATION", "true");
    let (code, out) = wd.plan(&[]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(sim.requests(), 0, "{}", sim.stats());
    // Credentials unknown until apply: nothing to check at plan time.
    wd.set_env("EXOTEL_SKIP_CREDENTIALS_VALIDATION", "false");
    wd.write(
        "main.tf",
        &format!(
            "resource \"terraform_data\" \"key\" {{\n  input = \"sim-key\"\n}}\nprovider \"exotel\" {{\n  api_key = terraform_data.key.output\n}}\n{ONE_TRUNK}"
        ),
    );
    let (code, out) = wd.plan(&[]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(sim.requests(), 0, "{}", sim.stats());
}

#[test]
fn a_failing_check_follows_the_retry_rules_and_says_how_to_plan_offline() {
    let sim = Sim::start(&["--fail-5xx-every", "1"]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", &format!("provider \"exotel\" {{\n  max_retries = 1\n}}\n{ONE_TRUNK}"));
    let flat = squash(&wd.fails(&["plan", "-input=false", "-no-color"]));
    assert!(flat.contains("Cannot check the Exotel credentials"), "{flat}");
    assert!(flat.contains("after 2 attempts") && flat.contains("HTTP 500"), "{flat}");
    assert!(flat.contains("skip_credentials_validation = true"), "{flat}");
    assert_eq!(sim.requests(), 2);
}

#[test]
fn user_agent_names_terraform_and_appends_tf_append_user_agent() {
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    wd.set_env("TF_APPEND_USER_AGENT", "voice-team/ci-42");
    wd.write("main.tf", ONE_TRUNK);
    wd.apply();
    wd.destroy();
    let (a, b, c) = crate::support::terraform_version(&crate::support::terraform()).expect("terraform version");
    let expected = format!(
        "Terraform/{a}.{b}.{c} terraform-provider-exotel/{} voice-team/ci-42",
        terraform_provider_exotel::VERSION
    );
    let stats = sim.stats();
    let seen: Vec<&str> =
        stats["user_agents"].as_array().expect("user_agents").iter().filter_map(|v| v.as_str()).collect();
    assert_eq!(seen, [expected.as_str()], "{stats}");
}
