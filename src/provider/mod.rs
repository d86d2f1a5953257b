//! The provider: its configuration ([`config`]), how resources plug in
//! (`resource.rs`), the registry of everything it serves, and
//! [`ProviderService`], the tfplugin6 gRPC service:
//!
//! | file | what it holds |
//! |---|---|
//! | `registry.rs` | [`ProviderService`]: resources, data sources, the ephemeral resource and functions by type name; the configured API client |
//! | `handlers.rs` | one handler per RPC: decode, dispatch, encode |
//! | `wire.rs` | DynamicValue codec helpers and the guard every RPC runs in |
//!
//! Every failure is a diagnostic inside an Ok response; a panic in a handler
//! is caught and reported as an internal error, and the process keeps serving.

pub mod config;
mod handlers;
mod registry;
pub(crate) mod resource;
mod wire;

pub use registry::{EnvLookup, ProviderService};
pub use wire::PANIC_HOOK_VAR;
