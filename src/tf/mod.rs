//! The tfplugin6 layer: value codec, schemas, diagnostics, typed models, and
//! typed models. The gRPC service lives in `crate::provider`.

pub mod diag;
pub mod model;
pub mod plan;
pub mod schema;
pub mod types;
pub mod value;
