//! Acceptance tests: real Terraform drives the release-built provider
//! against the simulator. Organised by concern: the trunk and the
//! authoritative sets have their own files; the item resources are covered
//! across `setups` (the example configurations end to end), `planning`,
//! `modern` (identity, `import {}`, `terraform query`, ephemeral), `faults`,
//! `safety`, `operators` (credentials check, User-Agent), `rate_limit`,
//! `compat` (every measured Terraform release), `install`/`dist`/
//! `walkthrough` (what the README tells users to run) and `live` (the same
//! scenarios against a real account).

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
