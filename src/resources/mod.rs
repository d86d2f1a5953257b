//! Resources and data sources, one file each, every file in the same order:
//! model, schema, validation, plan, CRUD, import.

pub(crate) mod alias;
pub(crate) mod authoritative;
pub(crate) mod collection;
pub(crate) mod common;
pub(crate) mod create;
pub(crate) mod credential;
pub(crate) mod credentials;
pub(crate) mod destination;
pub(crate) mod destinations;
pub(crate) mod phone_number;
pub(crate) mod phone_numbers;
pub(crate) mod trunk;
pub(crate) mod trunk_data;
pub(crate) mod whitelisted_ip;
pub(crate) mod whitelisted_ips;

#[cfg(test)]
mod tests;

use crate::exotel::Ctx;
use crate::provider::resource::{DataSource, Ephemeral, Resource, Typed, TypedData};
use authoritative::SetResource;
use collection::CollectionResource;

/// Every managed resource type this provider serves.
pub(crate) fn all() -> Vec<Box<dyn Resource<Ctx>>> {
    vec![
        Box::new(Typed::new(trunk::TrunkResource)),
        Box::new(Typed::new(CollectionResource::<phone_number::PhoneNumbers>::default())),
        Box::new(Typed::new(CollectionResource::<whitelisted_ip::WhitelistedIps>::default())),
        Box::new(Typed::new(CollectionResource::<destination::Destinations>::default())),
        Box::new(Typed::new(CollectionResource::<alias::Alias>::default())),
        Box::new(Typed::new(SetResource::<whitelisted_ips::WhitelistedIps>::default())),
        Box::new(Typed::new(SetResource::<phone_numbers::PhoneNumbers>::default())),
        Box::new(Typed::new(SetResource::<destinations::Destinations>::default())),
        Box::new(Typed::new(CollectionResource::<credential::Credentials>::default())),
    ]
}

/// Every data source this provider serves.
pub(crate) fn all_data_sources() -> Vec<Box<dyn DataSource<Ctx>>> {
    vec![
        Box::new(TypedData::new(credentials::Credentials { ephemeral: false })),
        Box::new(TypedData::new(trunk_data::TrunkDataSource)),
    ]
}

/// Every ephemeral resource this provider serves.
pub(crate) fn all_ephemerals() -> Vec<Box<dyn Ephemeral<Ctx>>> {
    vec![Box::new(TypedData::new(credentials::Credentials { ephemeral: true }))]
}
