//! The vSIP API client: typed records, the envelope parser, one error type
//! with a transient/fatal classifier, and the retrying HTTP client.

pub(crate) mod client;
pub mod envelope;
pub mod error;
pub(crate) mod limiter;
pub(crate) mod routes;
mod secret;
pub mod types;

pub use client::tls_config;
pub(crate) use client::{Client, ClientConfig};
pub use error::{ApiError, ErrorKind};
pub(crate) use limiter::Sharing;
pub use secret::Secret;

use serde::de::DeserializeOwned;

/// Decodes one record into a typed struct; a shape we cannot read is a
/// [`ErrorKind::Decode`] naming the field and quoting the record with its
/// secret fields masked. serde's own words (which quote the offending value)
/// are left out when that field is a secret.
pub fn decode<T: DeserializeOwned>(record: &serde_json::Value, request_id: Option<&str>) -> Result<T, ErrorKind> {
    serde_path_to_error::deserialize(record).map_err(|e| {
        let path = e.path().to_string();
        let secret = e
            .path()
            .iter()
            .any(|seg| matches!(seg, serde_path_to_error::Segment::Map { key } if envelope::is_sensitive_key(key)));
        let reason = if secret {
            format!("unexpected record shape at `{path}` (the value is not shown: it is a secret)")
        } else {
            format!("unexpected record shape at `{path}`: {}", e.inner())
        };
        ErrorKind::Decode {
            status: 200,
            request_id: request_id.map(str::to_owned),
            excerpt: envelope::excerpt(envelope::redact_json(record).to_string().as_bytes()),
            reason,
        }
    })
}

/// Like [`decode`], for records that hold a secret (credentials): the error
/// names the field only, and quotes neither the record nor any value of it.
pub fn decode_secret<T: DeserializeOwned>(
    record: &serde_json::Value,
    request_id: Option<&str>,
) -> Result<T, ErrorKind> {
    serde_path_to_error::deserialize(record).map_err(|e| ErrorKind::Decode {
        status: 200,
        request_id: request_id.map(str::to_owned),
        excerpt: String::new(),
        reason: format!("unexpected record shape at `{}` (the answer is not shown: it holds a secret)", e.path()),
    })
}

#[cfg(test)]
mod tests;
