//! The generic provider service: everything between the tfplugin6 wire and
//! a provider's own resources, for any provider (`ProviderDef`); it knows
//! no Exotel (`tests/layers.rs` checks):
//!
//! | file | what it holds |
//! |---|---|
//! | `registry.rs` | `ProviderDef` (what a provider implements), `ProviderService`: resources, data sources, ephemeral resources and functions by type name; the configured `resource::Context` |
//! | `handlers.rs` | one handler per RPC: decode, dispatch, encode |
//! | `resource.rs` | the traits resources, data sources and ephemeral resources implement, typed (`resource::TypedResource`) and value-level, and the adapters between them |
//! | `function.rs` | provider functions |
//! | `wire.rs` | DynamicValue codec helpers and the guard every RPC runs in |
//!
//! Every failure is a diagnostic inside an Ok response; a panic in a handler
//! is caught and reported as an internal error, and the process keeps serving.

pub mod function;
mod handlers;
mod registry;
pub(crate) mod resource;
mod wire;

pub use registry::EnvLookup;
pub(crate) use registry::{Configured, ProviderDef, ProviderService};
pub use wire::PANIC_HOOK_VAR;
