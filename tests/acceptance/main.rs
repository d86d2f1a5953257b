//! Acceptance tests: real Terraform drives the release-built provider
//! against the simulator.
//!
//! - `resources/`: one file per resource type, one scenario each, written
//!   as declarative steps (`support/steps.rs`: create, import-verify,
//!   update, drift, empty re-plans, destroy). A new resource type gets a
//!   file there.
//! - Cross-cutting concerns: `trunk` (the trunk's own edge cases),
//!   `authoritative` (the sets beside the per-item resources), `setups` (the
//!   example configurations end to end, per API shape), `planning`,
//!   `modern` (identity, `import {}`, `terraform query`, ephemeral),
//!   `faults`, `safety`, `operators` (credentials check, User-Agent),
//!   `rate_limit`, `compat` (every measured Terraform release),
//!   `install`/`dist`/`walkthrough` (what the README tells users to run)
//!   and `live` (the same scenarios against a real account).

#[path = "../support/mod.rs"]
mod support;

mod authoritative;
mod compat;
mod dist;
mod faults;
mod install;
mod live;
mod modern;
mod operators;
mod planning;
mod rate_limit;
mod resources;
mod safety;
mod setups;
mod trunk;
mod walkthrough;
