//! # exotel-vsip
//!
//! A client for the Exotel vSIP (SIP trunk) API: trunks, the phone numbers
//! mapped to them, whitelisted IPs, destination URIs, the caller-ID alias
//! and the SIP credentials, as typed routes on one [`Client`].
//!
//! What it does for its caller:
//! * **typed routes** ([`routes`]): `client.trunk(sid).phone_numbers().create(..)`;
//!   paths, bodies and "this API has no such route" live only there;
//! * **one error type** ([`ApiError`]) whose predicates classify a failure
//!   (transient, a definite refusal, provably not applied, not found, a
//!   conflict, throttled, cancelled); its variants stay private;
//! * **retries** with backoff and jitter, creates never repeated blindly,
//!   every retry of one operation drawn from one budget;
//! * **one confirmed-delete algorithm** ([`delete`]) for every deletable
//!   thing: a DELETE's answer never decides, a fresh look afterwards does;
//! * **a sliding-window rate limit** (at most `max_requests_per_minute` in
//!   any 60 s, 50 in flight), shared by every process of the same account on
//!   the host through a small state file ([`Sharing`]);
//! * **pagination** followed within bounds of pages, records and time, and
//!   never off the configured origin;
//! * **a tolerant envelope parser** ([`envelope`]) for the contract's shape
//!   and the live API's variations (integer ids, per-item envelopes);
//! * **secrets that never print** ([`Secret`]): the API token and SIP
//!   passwords are masked in `Debug`, logs and error excerpts.
//!
//! ## Example
//!
//! Create a trunk, map three numbers, and list them (the listing follows
//! `next_page_uri` across pages). Here it runs against the workspace's
//! simulated API (`exotel-vsip-sim`), which serves pages of two records.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! # let base_url = format!("http://{}", listener.local_addr()?).parse()?;
//! # let sim = exotel_vsip_sim::Config { mode: exotel_vsip_sim::Mode::FieldNotes, ..Default::default() };
//! # tokio::spawn(exotel_vsip_sim::serve(listener, sim, std::future::pending()));
//! use exotel_vsip::routes::{NewPhoneNumber, NewTrunk};
//! use exotel_vsip::{CancellationToken, Client, ClientConfig, Secret, Sharing};
//! use std::time::Duration;
//!
//! let client = Client::new(
//!     ClientConfig {
//!         base_url, // for example https://api.in.exotel.com
//!         account_sid: "acme1".into(),
//!         api_key: "sim-key".into(),
//!         api_token: Secret::new("sim-token"),
//!         max_retries: 3,
//!         max_requests_per_minute: 200,
//!         request_timeout: Duration::from_secs(30),
//!         user_agent: "number-sync/1.0".into(),
//!         // Sharing::UserCache("number-sync".into()) shares the limit
//!         // with every process of this account on the host.
//!         sharing: Sharing::Off,
//!     },
//!     CancellationToken::new(),
//! )?;
//!
//! let new = NewTrunk { trunk_name: "support".into(), nso_code: "ANY-ANY".into(), domain_name: "acme.pstn.exotel.com".into() };
//! let trunk = client.trunks().create(&new).await?.ok_or("the answer carried no trunk")?;
//!
//! let numbers = client.trunk(&trunk.trunk_sid).phone_numbers();
//! for n in ["+919876543210", "+919876543211", "+919876543212"] {
//!     numbers.create(&[NewPhoneNumber { phone_number: n.into(), mode: None }]).await?;
//! }
//!
//! let listed = numbers.list(true).await?.ok_or("the trunk is gone")?;
//! let mut mapped: Vec<&str> = listed.items().iter().map(|p| p.phone_number.as_str()).collect();
//! mapped.sort();
//! assert_eq!(mapped, ["+919876543210", "+919876543211", "+919876543212"]);
//! # Ok(())
//! # }
//! ```
//!
//! ## Errors
//!
//! Every call returns [`ApiError`]: what was attempted, how many attempts,
//! and the last failure, classified by its predicates. Its text never holds
//! the token or a SIP password, even when it quotes the API's answer.

pub mod client;
pub mod delete;
pub mod envelope;
pub mod error;
pub mod ids;
pub mod limiter;
pub mod routes;
mod secret;
pub mod types;

pub use client::tls_config;
pub use client::{Client, ClientConfig};
pub use error::ApiError;
pub(crate) use error::ErrorKind;
pub use limiter::Sharing;
pub use secret::Secret;
/// Cancels a client's requests and waits ([`Client::new`]).
pub use tokio_util::sync::CancellationToken;

use serde::de::DeserializeOwned;

/// Reads one API answer as the client does: the envelope parsed (tolerant of
/// the live API's variations), then checked for a failure in its status or
/// any of its items. For tools that fetch answers themselves, and the fuzzer.
pub fn read_answer(status: u16, body: &[u8]) -> Result<envelope::Envelope, ApiError> {
    let op = format!("read an HTTP {status} answer");
    let env = envelope::parse(status, body).map_err(|k| ApiError::new(op.clone(), 1, k))?;
    envelope::check(status, &env, None).map_err(|k| ApiError::new(op, 1, k))?;
    Ok(env)
}

/// Decodes one record of an answer (see [`envelope::Envelope::records`]) into
/// a typed record of [`types`]; an unreadable shape names the field, and
/// never quotes a secret.
pub fn read_record<T: DeserializeOwned>(record: &serde_json::Value) -> Result<T, ApiError> {
    decode(record, None).map_err(|k| ApiError::new("read a record", 1, k))
}

/// Decodes one record into a typed struct; a shape we cannot read is a
/// [`ErrorKind::Decode`] naming the field and quoting the record with its
/// secret fields masked. serde's own words (which quote the offending value)
/// are left out when that field is a secret.
pub(crate) fn decode<T: DeserializeOwned>(
    record: &serde_json::Value,
    request_id: Option<&str>,
) -> Result<T, ErrorKind> {
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
pub(crate) fn decode_secret<T: DeserializeOwned>(
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
