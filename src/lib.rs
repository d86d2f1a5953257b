//! # terraform-provider-exotel
//!
//! A Terraform/OpenTofu provider for Exotel vSIP trunks, speaking the plugin
//! protocol 6 over gRPC. A map of the crate, from the process edge inwards:
//!
//! | module | what it holds |
//! |---|---|
//! | [`cli`] | the binary's entry: flags (`--version`, `-debug`), logging, the runtime |
//! | `plugin` | go-plugin serving: magic cookie, protocol negotiation, 0700 Unix socket (TCP on 127.0.0.1 on Windows), handshake line, mutual TLS that admits only Terraform's certificate, Shutdown/stdio/broker/health services |
//! | [`provider`] | the tfplugin6 `Provider` gRPC service ([`provider::ProviderService`]): `registry.rs` (everything served, by type name), `handlers.rs` (one handler per RPC), `wire.rs` (codec helpers, the one guard every RPC runs in: log span, diagnostics, caught panics); provider configuration ([`provider::config`]); `resource.rs`, the traits resources, data sources and ephemeral resources implement |
//! | [`tf`] | protocol-level building blocks with no resource knowledge: the value codec ([`tf::value`], msgpack/JSON, null, unknown, refinements), types, schemas (defaults, replacement, ranges, nested set blocks), diagnostics, typed models (`Attr<T>` = value / null / unknown), the schema-driven planner (`tf/plan.rs`) |
//! | `resources` | one file per resource and data source. `collection.rs` is the generic per-item resource (read, safe create, update, confirmed delete, import, list written once); `phone_number.rs`, `whitelisted_ip.rs`, `destination.rs` only say what differs; `create.rs` never creates twice; `tests.rs` is the fast tier (planning, and apply against a scripted fake API) |
//! | [`api`] | the vSIP HTTP client: `routes.rs` (every route as a typed handle: `client.trunk(sid).destinations().update(id, &change)`; paths, bodies and "no such route" live only there), `client.rs` (retries, limits, pagination, the per-run typed cache), one error type with a retry classifier, the tolerant envelope parser, typed records, secrets that never print |
//! | `validate` | validators for user input, each stating its rule; domain values parsed once (`Transport`, `NumberMode`) |
//! | [`dist`] | where the provider is installed: platform names, the local mirror layout |
//! | [`docs`] | Registry docs rendered from the schemas and `examples/` |
//! | [`functions`] | provider functions (`provider::exotel::...`) |
//! | `logging` | `tracing` events as hclog JSON lines on stderr |
//! | [`proto`] | code generated from `proto/` by `build.rs` |
//!
//! The simulator (`exotel-vsip-sim`, the workspace member `sim/`) is separate and
//! shares no types with the client on purpose.

/// The vSIP API client: the workspace crate `exotel-vsip` (`crates/exotel-vsip`).
pub use exotel_vsip as api;
pub mod cli;
pub mod dist;
pub mod docs;
pub mod exotel;
pub mod functions;
pub(crate) mod logging;
pub(crate) mod plugin;
pub mod proto;
pub mod provider;
pub(crate) mod resources;
pub mod tf;
pub(crate) mod validate;

/// The provider's registry address.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/exotel/exotel";
/// The crate version, carried by `--version` and the User-Agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
