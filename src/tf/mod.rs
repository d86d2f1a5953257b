//! The tfplugin6 layer: value codec, types, schemas, diagnostics, typed
//! models and the schema-driven planner. The gRPC service lives in `crate::provider`.

pub(crate) mod diag;
pub(crate) mod model;
pub(crate) mod plan;
pub mod schema;
pub mod types;
pub mod value;
