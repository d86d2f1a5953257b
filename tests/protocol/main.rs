//! Protocol-level tests: a tonic client with mutual TLS against the real
//! provider process, as Terraform would connect.

#[path = "../support/mod.rs"]
#[allow(unused)]
mod support;

mod client;
mod robustness;
mod serving;
