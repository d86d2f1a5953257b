//! Resources and data sources, one file each, every file in the same order:
//! model, schema, validation, plan, CRUD, import.

pub mod common;
pub mod trunk;

use crate::provider::resource::{DataSource, Resource, Typed};

/// Every managed resource type this provider serves.
pub fn all() -> Vec<Box<dyn Resource>> {
    vec![Box::new(Typed::new(trunk::TrunkResource))]
}

/// Every data source this provider serves.
pub fn all_data_sources() -> Vec<Box<dyn DataSource>> {
    vec![]
}
