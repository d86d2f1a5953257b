//! # terraform-provider-exotel
//!
//! A Terraform/OpenTofu provider for Exotel vSIP trunks, speaking the plugin
//! protocol 6 over gRPC. A map of the crate, from the process edge inwards:
//!
//! | module | what it holds |
//! |---|---|
//! | [`cli`] | the binary's entry: flags (`--version`, `-debug`), logging, the runtime |
//! | **the plugin framework** (knows no Exotel; `tests/layers.rs` checks) | |
//! | `plugin` | go-plugin serving: magic cookie, protocol negotiation, 0700 Unix socket (TCP on 127.0.0.1 on Windows), handshake line, mutual TLS that admits only Terraform's certificate, Shutdown/stdio/broker/health services |
//! | [`provider`] | the tfplugin6 `Provider` gRPC service, generic over a provider (`ProviderDef`: its schema, configuration and what it serves) and its `Context`: `registry.rs`, `handlers.rs` (one handler per RPC), `wire.rs` (codec helpers, the one guard every RPC runs in: log span, diagnostics, caught panics), `resource.rs` (the traits resources, data sources and ephemeral resources implement, typed and value-level), `function.rs` |
//! | [`tf`] | protocol-level building blocks: the value codec ([`tf::value`], msgpack/JSON, null, unknown, refinements), types, schemas (defaults, replacement, ranges, nested set blocks), diagnostics, typed models (`Attr<T>` = value / null / unknown), the schema-driven planner (`tf/plan.rs`) |
//! | **the Exotel provider** | |
//! | [`exotel`] | the provider as the framework sees it: `Exotel` (its `ProviderDef`), `Ctx` (the configured API client), the plan-time credentials check, the provider block ([`exotel::config`]) |
//! | `resources` | one file per resource and data source. `collection.rs` is the generic per-item resource (read, safe create, update, confirmed delete, import, list written once); `phone_number.rs`, `whitelisted_ip.rs`, `destination.rs`, `credential.rs` and `alias.rs` (a setting under a fixed name) only say what differs; `authoritative.rs` the generic set resource; `create.rs` never creates twice; `tests.rs` is the fast tier (planning, and apply against a scripted fake API) |
//! | [`api`] | the vSIP client: the workspace crate `exotel-vsip` (`crates/exotel-vsip`), which knows no Terraform: typed routes, records, the envelope parser, one error type with classifier predicates, retries, the one confirmed-delete algorithm, the shared rate limit, secrets |
//! | `validate` | validators for user input, each stating its rule; domain values parsed once (`Transport`, `NumberMode`) |
//! | [`functions`] | provider functions (`provider::exotel::...`) |
//! | [`dist`] | where the provider is installed: platform names, the local mirror layout |
//! | [`docs`] | Registry docs rendered from the schemas and `examples/` |
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
