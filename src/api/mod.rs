//! The vSIP API client: typed records, the envelope parser, one error type
//! with a transient/fatal classifier, and the retrying HTTP client.

pub mod client;
pub mod envelope;
pub mod error;
pub mod secret;
pub mod types;

pub use client::{Client, ClientConfig, Retry};
pub use error::{ApiError, ErrorKind};
pub use secret::Secret;

use serde::de::DeserializeOwned;

/// Decodes one record into a typed struct; a shape we cannot read is a
/// [`ErrorKind::Decode`] quoting the record.
pub fn decode<T: DeserializeOwned>(record: &serde_json::Value, request_id: Option<&str>) -> Result<T, ErrorKind> {
    serde_json::from_value(record.clone()).map_err(|e| ErrorKind::Decode {
        status: 200,
        request_id: request_id.map(str::to_owned),
        excerpt: envelope::excerpt(record.to_string().as_bytes()),
        reason: format!("unexpected record shape: {e}"),
    })
}

#[cfg(test)]
mod tests;
