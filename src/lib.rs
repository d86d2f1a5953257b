//! # terraform-provider-exotel
//!
//! A Terraform/OpenTofu provider for Exotel vSIP trunks, speaking the plugin
//! protocol 6 over gRPC. A map of the crate, from the process edge inwards:
//!
//! | module | what it holds |
//! |---|---|
//! | [`cli`] | the binary's entry: flags (`--version`, `-debug`), logging, the runtime |
//! | [`plugin`] | go-plugin serving: magic cookie, protocol negotiation, 0700 Unix socket, handshake line, mutual TLS that admits only Terraform's certificate, Shutdown/stdio/broker/health services |
//! | [`provider`] | the tfplugin6 `Provider` gRPC service ([`provider::ProviderService`]): decodes requests, dispatches to resources, catches panics, answers with diagnostics; provider configuration ([`provider::config`]); the resource traits ([`provider::resource`]) |
//! | [`tf`] | protocol-level building blocks with no resource knowledge: the value codec ([`tf::value`], msgpack/JSON, null, unknown, refinements), types, schemas, diagnostics, typed models (`Attr<T>` = value / null / unknown) |
//! | [`resources`] | one file per resource and data source, each in the same order: model, schema, validation, plan, CRUD, import |
//! | [`api`] | the vSIP HTTP client: one error type with a retry classifier, the tolerant envelope parser, typed records, secrets that never print |
//! | [`validate`] | validators for user input, each stating its rule |
//! | [`dist`] | where the provider is installed: platform names, the local mirror layout |
//! | [`docs`] | Registry docs rendered from the schemas and `examples/` |
//! | [`functions`] | provider functions (`provider::exotel::...`) |
//! | [`logging`] | `tracing` events as hclog JSON lines on stderr |
//! | [`proto`] | code generated from `proto/` by `build.rs` |
//!
//! The simulator (`exotel-vsip-sim`, the workspace member `sim/`) is separate and
//! shares no types with the client on purpose.

pub mod api;
pub mod cli;
pub mod dist;
pub mod docs;
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
