//! `exotel_trunk_credential`: one SIP digest credential, against the
//! simulator's digest-credentials API (`--digest-credentials`). The
//! simulator never echoes a password; its `check-password` hook tells which
//! one a credential holds, so that every rotation is proven, not assumed.

use super::{item_id, no_trunks, records, s, with_trunk};
use crate::support::steps::{Scenario, Step};
use crate::support::{Sim, Workdir, plan_counts, squash};
use reqwest::Method;
use serde_json::{Value, json};

const ADDR: &str = "exotel_trunk_credential.bot";

/// The trunk and a credential with `body` (its arguments besides `trunk_sid`).
fn config(body: &str) -> String {
    with_trunk(
        "acc_cred",
        &format!("resource \"exotel_trunk_credential\" \"bot\" {{\n  trunk_sid = exotel_trunk.t.trunk_sid\n{body}}}\n"),
    )
}

/// The simulator's one credential (it must hold exactly one).
fn only(api: &Value) -> Value {
    let all = records(api, "credentials");
    assert_eq!(all.len(), 1, "one credential expected: {api}");
    all[0].clone()
}

/// Asserts the one credential holds `password` (and so not any other).
fn holds(sim: &Sim, password: &str) {
    let c = only(&sim.state());
    let (sid, id) = (c["trunk_sid"].as_str().unwrap(), c["id"].as_str().unwrap());
    assert!(sim.password_is(sid, id, password), "credential {id} does not hold {password:?}");
}

#[test]
fn credential_with_a_write_only_password() {
    let sim = Sim::start(&["--digest-credentials"]);
    let v1 = "  username            = \"voicebot\"\n  friendly_name       = \"Voice AI\"\n  password_wo         = \"pw-one-8c1f\"\n  password_wo_version = 1\n";
    let new_value_same_version = v1.replace("pw-one-8c1f", "pw-two-77aa");
    let rotated = new_value_same_version.replace("version = 1", "version = 2");
    let renamed = rotated.replace("\"voicebot\"", "\"voicebot2\"");
    let unlabelled = renamed.replace("  friendly_name       = \"Voice AI\"\n", "");
    let first_id = std::cell::RefCell::new(String::new());
    Scenario::new(&sim)
        .step(
            Step::new(&config(v1))
                .plans(2, 0, 0)
                .check(ADDR, "username", "voicebot")
                .check(ADDR, "friendly_name", "Voice AI")
                .check(ADDR, "password_wo_version", 1)
                .check_null(ADDR, "password_wo")
                .check_null(ADDR, "password")
                .check_set(ADDR, "id")
                .api(|api| {
                    let c = only(api);
                    assert_eq!(
                        (c["user_name"].as_str(), c["friendly_name"].as_str()),
                        (Some("voicebot"), Some("Voice AI"))
                    );
                    assert!(c.get("password").is_none(), "the API echoed a password: {c}");
                    *first_id.borrow_mut() = c["id"].as_str().unwrap().to_string();
                }),
        )
        // A new write-only value alone is invisible to Terraform: no plan.
        .step(Step::new(&config(&new_value_same_version)).plans(0, 0, 0).api(|_| holds(&sim, "pw-one-8c1f")))
        // A version bump sends it: rotated in place, one credential, same id.
        .step(Step::new(&config(&rotated)).plans(0, 1, 0).check(ADDR, "password_wo_version", 2).api(|api| {
            holds(&sim, "pw-two-77aa");
            assert_eq!(only(api)["id"].as_str(), Some(first_id.borrow().as_str()));
        }))
        // A new username travels with the password (a digest hash covers both).
        .step(Step::new(&config(&renamed)).plans(0, 1, 0).check(ADDR, "username", "voicebot2").api(|api| {
            assert_eq!(only(api)["user_name"], "voicebot2");
            holds(&sim, "pw-two-77aa");
        }))
        // Removing the label clears it.
        .step(
            Step::new(&config(&unlabelled))
                .plans(0, 1, 0)
                .check_null(ADDR, "friendly_name")
                .api(|api| assert!(only(api)["friendly_name"].is_null(), "{api}")),
        )
        // Its username changed outside Terraform: planned back.
        .step(
            Step::new(&config(&unlabelled))
                .outside(|sim, wd| {
                    let a = wd.attrs(ADDR);
                    let path = format!("/trunks/{}/credentials/{}", s(&a, "trunk_sid"), s(&a, "id"));
                    sim.api(Method::PUT, &path, Some(json!({"user_name": "hijacked"})));
                })
                .plans(0, 1, 0)
                .api(|api| assert_eq!(only(api)["user_name"], "voicebot2")),
        )
        // Deleted outside Terraform: planned for creation, with the password.
        .step(
            Step::new(&config(&unlabelled))
                .outside(|sim, wd| {
                    let a = wd.attrs(ADDR);
                    sim.api(
                        Method::DELETE,
                        &format!("/trunks/{}/credentials?id={}", s(&a, "trunk_sid"), s(&a, "id")),
                        None,
                    );
                })
                .plans(1, 0, 0)
                .api(|_| holds(&sim, "pw-two-77aa")),
        )
        .destroyed(no_trunks)
        .run();
}

#[test]
fn credential_with_a_password_in_state() {
    let sim = Sim::start(&["--digest-credentials"]);
    let p1 = "  username = \"pbx\"\n  password = \"state-pw-1\"\n";
    let p2 = p1.replace("state-pw-1", "state-pw-2");
    let to_wo = "  username            = \"pbx\"\n  password_wo         = \"wo-pw-3\"\n  password_wo_version = 1\n";
    Scenario::new(&sim)
        .step(
            Step::new(&config(p1))
                .plans(2, 0, 0)
                .check(ADDR, "password", "state-pw-1")
                .check_null(ADDR, "password_wo")
                .api(|_| holds(&sim, "state-pw-1"))
                // Imported: no password in state; the step's own config then
                // plans the one update that sends it, which the next step applies.
                .import_verify(ADDR, item_id, &["password"])
                .no_empty_plan(),
        )
        .step(Step::new(&config(p1)).plans(0, 1, 0).check(ADDR, "password", "state-pw-1"))
        .step(Step::new(&config(&p2)).plans(0, 1, 0).api(|_| holds(&sim, "state-pw-2")))
        // Switching forms is an in-place update sending the new password.
        .step(
            Step::new(&config(to_wo))
                .plans(0, 1, 0)
                .check_null(ADDR, "password")
                .check_null(ADDR, "password_wo")
                .api(|_| holds(&sim, "wo-pw-3")),
        )
        .destroyed(no_trunks)
        .run();
}

/// The workdir's run of `args`, as text (stdout and stderr, where the
/// provider's trace log goes).
fn traced(wd: &Workdir, args: &[&str]) -> String {
    crate::support::text(&wd.run(args))
}

#[test]
fn a_write_only_password_never_reaches_state_plan_output_or_logs() {
    let sim = Sim::start(&["--digest-credentials"]);
    let mut wd = Workdir::new(&sim);
    wd.set_env("TF_LOG_PROVIDER", "trace");
    let secret = "never-shown-5e9d";
    wd.write(
        "main.tf",
        &config(&format!(
            "  username            = \"bot\"\n  password_wo         = \"{secret}\"\n  password_wo_version = 1\n"
        )),
    );
    let plan = traced(&wd, &["plan", "-input=false", "-no-color"]);
    let apply = traced(&wd, &["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(apply.contains("Apply complete"), "{apply}");
    assert!(plan.contains("(write-only attribute)"), "{plan}");
    for (what, text) in [("plan", &plan), ("apply", &apply), ("state", &wd.state_file())] {
        assert!(!text.contains(secret), "the password is in the {what}");
    }
    holds(&sim, secret);
    // Imported, upgraded, refreshed: still no password anywhere.
    let id = item_id(&wd.attrs(ADDR));
    wd.ok(&["state", "rm", "-no-color", ADDR]);
    let import = traced(&wd, &["import", "-input=false", "-no-color", ADDR, &id]);
    assert!(!import.contains(secret) && !wd.state_file().contains(secret), "{import}");
    let refresh = traced(&wd, &["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"]);
    assert!(!refresh.contains(secret) && !wd.state_file().contains(secret));
}

#[test]
fn credentials_import_by_username_then_plan_sends_the_password() {
    let sim = Sim::start(&["--digest-credentials"]);
    let sid = sim.new_trunk("imp_cred");
    let made = sim.api(
        Method::POST,
        &format!("/trunks/{sid}/credentials"),
        Some(json!({"user_name": "4242", "password": "set-by-hand", "friendly_name": "by hand"})),
    );
    let id = made["response"]["data"]["id"].as_str().expect("id").to_string();
    // A numeric username: the prefix keeps it apart from an id.
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        &format!(
            "import {{\n  to = exotel_trunk_credential.c\n  id = \"{sid}/username:4242\"\n}}\nresource \"exotel_trunk_credential\" \"c\" {{\n  trunk_sid           = \"{sid}\"\n  username            = \"4242\"\n  friendly_name       = \"by hand\"\n  password_wo         = \"set-by-terraform\"\n  password_wo_version = 3\n}}\n"
        ),
    );
    let (_, plan) = wd.plan(&[]);
    assert!(plan.contains("1 to import, 0 to add, 1 to change, 0 to destroy"), "{plan}");
    wd.apply();
    assert_eq!(wd.attrs("exotel_trunk_credential.c")["id"], id.as_str());
    assert!(sim.password_is(&sid, &id, "set-by-terraform"));
    wd.assert_no_diff();

    // By id, with the CLI: the same.
    wd.ok(&["state", "rm", "-no-color", "exotel_trunk_credential.c"]);
    wd.write(
        "main.tf",
        &format!(
            "resource \"exotel_trunk_credential\" \"c\" {{\n  trunk_sid     = \"{sid}\"\n  username      = \"4242\"\n  friendly_name = \"by hand\"\n  password      = \"in-state-now\"\n}}\n"
        ),
    );
    wd.ok(&["import", "-input=false", "-no-color", "exotel_trunk_credential.c", &format!("{sid}/{id}")]);
    let (_, plan) = wd.plan(&[]);
    assert_eq!(plan_counts(&plan), (0, 1, 0), "{plan}");
    wd.apply();
    assert!(sim.password_is(&sid, &id, "in-state-now"));
    wd.assert_no_diff();

    // A username it does not have, and a malformed ID, are clear errors.
    wd.ok(&["state", "rm", "-no-color", "exotel_trunk_credential.c"]);
    let out = wd.fails(&[
        "import",
        "-input=false",
        "-no-color",
        "exotel_trunk_credential.c",
        &format!("{sid}/username:nobody"),
    ]);
    assert!(squash(&out).contains("has no SIP credential with username \"nobody\""), "{out}");
    let out = wd.fails(&["import", "-input=false", "-no-color", "exotel_trunk_credential.c", "just-an-id"]);
    assert!(squash(&out).contains("<trunk_sid>/username:<username>"), "{out}");
}

#[test]
fn credential_arguments_are_checked_at_validate_without_a_request() {
    let sim = Sim::start(&["--digest-credentials"]);
    let wd = Workdir::new(&sim);
    let cases = [
        (
            "  username    = \"a\"\n  password    = \"x\"\n  password_wo = \"y\"\n",
            "Set exactly one of password and password_wo, not both.",
        ),
        ("  username = \"a\"\n", "Missing password or password_wo"),
        (
            "  username            = \"a\"\n  password            = \"x\"\n  password_wo_version = 1\n",
            "password_wo_version without password_wo",
        ),
        (
            "  username      = \"a\"\n  password      = \"x\"\n  friendly_name = \"this label is far longer than thirty-two\"\n",
            "friendly_name must be at most 32 characters",
        ),
    ];
    for (body, want) in cases {
        wd.write("main.tf", &config(body));
        for cmd in [&["validate", "-no-color"][..], &["plan", "-input=false", "-no-color"][..]] {
            let out = wd.fails(cmd);
            assert!(squash(&out).contains(want), "{cmd:?} of {body}: {out}");
        }
    }
    assert_eq!(sim.requests(), 0, "validation sent requests");
}

#[test]
fn on_the_contracts_credentials_api_a_credential_cannot_be_created() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", &config("  username = \"bot\"\n  password = \"pw-contract\"\n"));
    let out = wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(squash(&out).contains("This Exotel API cannot manage SIP digest credentials"), "{out}");
    assert!(!out.contains("pw-contract"), "{out}");
    assert_eq!(wd.state_addresses(), vec!["exotel_trunk.t"]);
    // The verdict is the POST's own answer, on every attempt.
    let posts = sim.stats()["by_route"]["POST trunks/*/credentials"].as_u64().unwrap_or(0);
    assert!(posts >= 2, "the POST was not confirmed: {}", sim.stats());

    // On a trunk that exists already, the plan's first listing reads the
    // contract's answer: the plan still succeeds (the listing's shape is no
    // verdict), and the apply's POST decides.
    let sid = sim.new_trunk("existing");
    let wd = Workdir::new(&sim);
    wd.write(
        "main.tf",
        &format!("resource \"exotel_trunk_credential\" \"c\" {{\n  trunk_sid = \"{sid}\"\n  username  = \"bot\"\n  password  = \"pw\"\n}}\n"),
    );
    let (_, plan) = wd.plan(&[]);
    assert_eq!(plan_counts(&plan), (1, 0, 0), "{plan}");
    let out = wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(squash(&out).contains("This Exotel API cannot manage SIP digest credentials"), "{out}");
    assert!(wd.state_addresses().is_empty());
}

#[test]
fn a_credential_whose_create_answer_is_lost_is_adopted_once_and_a_duplicate_username_is_refused() {
    // The second create (the credential's) is stored, then its connection is cut.
    let sim = Sim::start(&["--digest-credentials", "--drop-after-commit-every", "2"]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", &config("  username    = \"bot\"\n  password_wo = \"lost-answer-pw\"\n"));
    wd.apply();
    // The answer was lost: the provider listed to settle it (a trunk created
    // in the same run needs no listing otherwise).
    assert_eq!(sim.stats()["by_route"]["GET trunks/*/credentials"], 1, "{}", sim.stats());
    let c = only(&sim.state());
    assert_eq!(wd.attrs(ADDR)["id"], c["id"], "the credential it stored was adopted");
    holds(&sim, "lost-answer-pw");
    wd.assert_no_diff();

    // Two credentials with one username: the API refuses the second (409);
    // nothing is taken over, the error says how to import.
    let sim = Sim::start(&["--digest-credentials"]);
    let wd = Workdir::new(&sim);
    let second = "resource \"exotel_trunk_credential\" \"twin\" {\n  trunk_sid = exotel_trunk.t.trunk_sid\n  username  = \"bot\"\n  password  = \"pw-b\"\n}\n";
    wd.write("main.tf", &(config("  username = \"bot\"\n  password = \"pw-a\"\n") + second));
    let out = squash(&wd.fails(&["apply", "-auto-approve", "-input=false", "-no-color"]));
    assert!(out.contains("SIP credential already exists"), "{out}");
    assert!(out.contains("terraform import exotel_trunk_credential.<name>"), "{out}");
    assert_eq!(records(&sim.state(), "credentials").len(), 1);
    assert!(!out.contains("pw-a") && !out.contains("pw-b"), "{out}");

    // `terraform query` finds the trunk's credentials, including unmanaged ones.
    let sid = only(&sim.state())["trunk_sid"].as_str().unwrap().to_string();
    sim.api(Method::POST, &format!("/trunks/{sid}/credentials"), Some(json!({"user_name": "stray", "password": "x1"})));
    wd.write(
        "q.tfquery.hcl",
        &format!("list \"exotel_trunk_credential\" \"all\" {{\n  provider = exotel\n  config {{\n    trunk_sid = \"{sid}\"\n  }}\n}}\n"),
    );
    let listed = wd.ok(&["query", "-no-color"]);
    assert!(listed.contains("\"bot\"") && listed.contains("\"stray\""), "{listed}");
}

/// `examples/voice-ai` as written: applied with its password from the
/// ephemeral variable, rotated by a version bump, destroyed; the password
/// never in the state, the plan or the output.
#[test]
fn the_voice_ai_example_is_applied_rotated_and_destroyed() {
    let sim = Sim::start(&["--digest-credentials"]);
    let mut wd = Workdir::new(&sim);
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/voice-ai/main.tf");
    wd.write("main.tf", &std::fs::read_to_string(example).expect("example"));
    wd.remove("versions.tf");
    wd.set_env("TF_VAR_sip_password", "va-first-31c");
    let applied = wd.apply();
    let c = wd.attrs("exotel_trunk_credential.bot");
    let (sid, id) = (s(&c, "trunk_sid").to_string(), s(&c, "id").to_string());
    assert!(sim.password_is(&sid, &id, "va-first-31c"));
    let number = records(&sim.state(), "phone_numbers");
    assert_eq!(number[0]["mode"], "flow", "{number:?}");
    wd.assert_no_diff();

    wd.set_env("TF_VAR_sip_password", "va-rotated-9e0");
    let rotate = ["-input=false", "-no-color", "-var", "sip_password_version=2"];
    let plan = wd.ok(&[&["plan"][..], &rotate].concat());
    assert_eq!(plan_counts(&plan), (0, 1, 0), "{plan}");
    let rotated = wd.ok(&[&["apply", "-auto-approve"][..], &rotate].concat());
    assert!(sim.password_is(&sid, &id, "va-rotated-9e0") && !sim.password_is(&sid, &id, "va-first-31c"));
    assert_eq!(records(&sim.state(), "credentials").len(), 1);
    for text in [&applied, &plan, &rotated, &wd.state_file()] {
        assert!(!text.contains("va-first") && !text.contains("va-rotated"), "a password was shown: {text}");
    }
    wd.ok(&[&["destroy", "-auto-approve"][..], &rotate].concat());
    no_trunks(&sim.state());
}
