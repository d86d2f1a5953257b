//! Acceptance tests as declarative steps, in the manner of
//! terraform-plugin-testing's `resource.Test`: a scenario is a list of
//! [`Step`]s run in order in one working directory against one simulator,
//! then a destroy whose result is checked too.
//!
//! A step has a configuration and says what must hold:
//! - [`Step::outside`]: a change made outside Terraform first (drift);
//! - [`Step::plans`]: the plan of the step before it is applied, as
//!   (add, change, destroy);
//! - [`Step::check`] / [`Step::check_set`] / [`Step::check_null`]: attributes
//!   in state after the apply; [`Step::api`]: the simulated API afterwards;
//! - [`Step::import_verify`]: the resource removed from state and imported
//!   again by its import ID gives the same attributes (except those named);
//! - an empty re-plan after the apply, refreshed and not (on by default;
//!   [`Step::no_empty_plan`] turns it off).
//!
//! ```ignore
//! Scenario::new(&sim)
//!     .step(Step::new(CONFIG).plans(2, 0, 0).check("exotel_trunk_phone_number.n", "mode", "pstn"))
//!     .step(Step::new(&CONFIG.replace("pstn", "flow")).plans(0, 1, 0).import_verify(ADDR, id_of, &[]))
//!     .destroyed(|api| assert!(api["trunks"].as_array().unwrap().is_empty()))
//!     .run();
//! ```

use super::{Sim, Workdir, plan_counts};
use serde_json::Value;

type SimFn<'a> = Box<dyn Fn(&Sim, &Workdir) + 'a>;
type ApiFn<'a> = Box<dyn Fn(&Value) + 'a>;
type IdFn<'a> = Box<dyn Fn(&Value) -> String + 'a>;

/// What an attribute must be.
enum Expect {
    Equals(Value),
    Set,
    Null,
}

/// One step: a configuration, applied, and what must hold.
pub(crate) struct Step<'a> {
    config: String,
    outside: Option<SimFn<'a>>,
    plan: Option<(u32, u32, u32)>,
    checks: Vec<(String, String, Expect)>,
    api: Vec<ApiFn<'a>>,
    import: Option<(String, IdFn<'a>, Vec<String>)>,
    empty_plan: bool,
}

impl<'a> Step<'a> {
    /// A step applying `config` (the provider block comes from the
    /// environment the workdir sets).
    pub(crate) fn new(config: &str) -> Step<'a> {
        Step {
            config: config.to_string(),
            outside: None,
            plan: None,
            checks: vec![],
            api: vec![],
            import: None,
            empty_plan: true,
        }
    }

    /// Runs `f` before the step: a change made outside Terraform.
    pub(crate) fn outside(mut self, f: impl Fn(&Sim, &Workdir) + 'a) -> Self {
        self.outside = Some(Box::new(f));
        self
    }

    /// The step's plan must be `add` to add, `change` to change, `destroy`
    /// to destroy (a replacement counts as one add and one destroy).
    pub(crate) fn plans(mut self, add: u32, change: u32, destroy: u32) -> Self {
        self.plan = Some((add, change, destroy));
        self
    }

    /// After the apply, `attr` of `address` equals `value`.
    pub(crate) fn check(mut self, address: &str, attr: &str, value: impl Into<Value>) -> Self {
        self.checks.push((address.into(), attr.into(), Expect::Equals(value.into())));
        self
    }

    /// After the apply, `attr` of `address` is set (not null).
    pub(crate) fn check_set(mut self, address: &str, attr: &str) -> Self {
        self.checks.push((address.into(), attr.into(), Expect::Set));
        self
    }

    /// After the apply, `attr` of `address` is null.
    pub(crate) fn check_null(mut self, address: &str, attr: &str) -> Self {
        self.checks.push((address.into(), attr.into(), Expect::Null));
        self
    }

    /// After the apply, `f` holds for the simulator's state (`GET /_sim/state`).
    pub(crate) fn api(mut self, f: impl Fn(&Value) + 'a) -> Self {
        self.api.push(Box::new(f));
        self
    }

    /// After the apply, `terraform state rm <address>` then `terraform
    /// import <address> <id_of(its state)>` gives the same attributes, except
    /// `ignore` (and the step's empty re-plan runs after it).
    pub(crate) fn import_verify(
        mut self,
        address: &str,
        id_of: impl Fn(&Value) -> String + 'a,
        ignore: &[&str],
    ) -> Self {
        self.import = Some((address.into(), Box::new(id_of), ignore.iter().map(|s| s.to_string()).collect()));
        self
    }

    /// No empty re-plan after this step (it is expected to differ).
    pub(crate) fn no_empty_plan(mut self) -> Self {
        self.empty_plan = false;
        self
    }
}

/// Steps run in order in one workdir against one simulator, then a destroy.
pub(crate) struct Scenario<'a> {
    sim: &'a Sim,
    steps: Vec<Step<'a>>,
    destroyed: Vec<ApiFn<'a>>,
}

impl<'a> Scenario<'a> {
    /// A scenario against `sim`.
    pub(crate) fn new(sim: &'a Sim) -> Scenario<'a> {
        Scenario { sim, steps: vec![], destroyed: vec![] }
    }

    /// Adds a step.
    pub(crate) fn step(mut self, s: Step<'a>) -> Self {
        self.steps.push(s);
        self
    }

    /// After the final destroy, `f` holds for the simulator's state.
    pub(crate) fn destroyed(mut self, f: impl Fn(&Value) + 'a) -> Self {
        self.destroyed.push(Box::new(f));
        self
    }

    /// Runs every step, then destroys; panics naming the step that failed.
    pub(crate) fn run(self) {
        let wd = Workdir::new(self.sim);
        for (i, step) in self.steps.iter().enumerate() {
            let n = i + 1;
            if let Some(f) = &step.outside {
                f(self.sim, &wd);
            }
            wd.write("main.tf", &step.config);
            if let Some(want) = step.plan {
                let (_, t) = wd.plan(&[]);
                assert_eq!(plan_counts(&t), want, "step {n}: the plan (add, change, destroy):\n{t}");
            }
            wd.apply();
            if !step.checks.is_empty() {
                let mut shown: std::collections::HashMap<&str, Value> = Default::default();
                for (address, attr, expect) in &step.checks {
                    let values = shown.entry(address.as_str()).or_insert_with(|| wd.attrs(address));
                    let got = &values[attr.as_str()];
                    match expect {
                        Expect::Equals(v) => assert_eq!(got, v, "step {n}: {address}.{attr}"),
                        Expect::Set => assert!(!got.is_null(), "step {n}: {address}.{attr} is null"),
                        Expect::Null => assert!(got.is_null(), "step {n}: {address}.{attr} is {got}, not null"),
                    }
                }
            }
            if !step.api.is_empty() {
                let state = self.sim.state();
                for f in &step.api {
                    f(&state);
                }
            }
            if let Some((address, id_of, ignore)) = &step.import {
                let before = wd.attrs(address);
                let id = id_of(&before);
                wd.ok(&["state", "rm", "-no-color", address]);
                wd.ok(&["import", "-input=false", "-no-color", address, &id]);
                let after = wd.attrs(address);
                for (k, v) in before.as_object().into_iter().flatten() {
                    if !ignore.contains(k) {
                        assert_eq!(&after[k.as_str()], v, "step {n}: import {id:?} of {address}: attribute {k}");
                    }
                }
            }
            if step.empty_plan {
                wd.assert_no_diff();
            }
        }
        wd.destroy();
        let state = self.sim.state();
        for f in &self.destroyed {
            f(&state);
        }
    }
}
