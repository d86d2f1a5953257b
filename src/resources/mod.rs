//! Resources and data sources, one file each, every file in the same order:
//! model, schema, validation, plan, CRUD, import.

pub mod alias;
pub mod collection;
pub mod common;
pub mod create;
pub mod credentials;
pub mod destination;
pub mod phone_number;
pub mod trunk;
pub mod trunk_data;
pub mod whitelisted_ip;

#[cfg(test)]
mod tests;

use crate::provider::resource::{DataSource, Ephemeral, Resource, Typed, TypedData, TypedEph};
use collection::CollectionResource;

/// Every managed resource type this provider serves.
pub fn all() -> Vec<Box<dyn Resource>> {
    vec![
        Box::new(Typed::new(trunk::TrunkResource)),
        Box::new(Typed::new(CollectionResource::<phone_number::PhoneNumbers>::default())),
        Box::new(Typed::new(CollectionResource::<whitelisted_ip::WhitelistedIps>::default())),
        Box::new(Typed::new(CollectionResource::<destination::Destinations>::default())),
        Box::new(Typed::new(alias::AliasResource)),
    ]
}

/// Every data source this provider serves.
pub fn all_data_sources() -> Vec<Box<dyn DataSource>> {
    vec![
        Box::new(TypedData::new(credentials::CredentialsDataSource)),
        Box::new(TypedData::new(trunk_data::TrunkDataSource)),
    ]
}

/// Every ephemeral resource this provider serves.
pub fn all_ephemerals() -> Vec<Box<dyn Ephemeral>> {
    vec![Box::new(TypedEph::new(credentials::CredentialsEphemeral))]
}
