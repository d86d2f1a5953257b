//! Acceptance tests: real Terraform drives the release-built provider
//! against the simulator. One scenario per resource: create, empty re-plans,
//! import-verify, update, drift, destroy.

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
mod safety;
mod setups;
mod trunk;
mod walkthrough;
