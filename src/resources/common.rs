//! Helpers shared by resources: API errors as diagnostics, trunk existence,
//! and small plan utilities.

use crate::api::{self, ApiError, Client, ErrorKind};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;

/// An API failure as a diagnostic: what we were doing, then the API's answer
/// (status, Exotel code, message, request id).
pub fn api_diag(summary: impl Into<String>, e: &ApiError) -> Diagnostic {
    let mut detail = e.to_string();
    if let Some(id) = e.kind.request_id()
        && !detail.contains(id)
    {
        detail.push_str(&format!(" (request_id {id})"));
    }
    Diagnostic::error(summary, detail)
}

/// Checks a string attribute when it is known; a failure is an
/// "Invalid <attr>" error at that attribute, stating the rule.
pub fn check(diags: &mut Diagnostics, attr: &str, value: &Attr<String>, rule: impl FnOnce(&str) -> Result<(), String>) {
    if let Some(v) = value.as_deref()
        && let Err(e) = rule(v)
    {
        diags.push(Diagnostic::error(format!("Invalid {attr}"), e).at(attr));
    }
}

/// The first letter in upper case (diagnostic summaries built from nouns).
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// An attribute changes between prior and planned (unknown counts as a change).
pub fn changed<T: PartialEq>(prior: &Attr<T>, planned: &Attr<T>) -> bool {
    prior != planned
}

/// What is known about a trunk.
#[derive(Debug, Clone, PartialEq)]
pub enum TrunkLookup {
    /// The API returned its fields.
    Found(api::types::Trunk),
    /// It exists, but this API cannot return its fields.
    Exists,
    /// It does not exist.
    Gone,
}

/// Finds a trunk. `GET /trunks?trunk_sid=` (field notes) is used where the
/// API has it; its 404/405 says nothing about the trunk. The contract's
/// `GET /trunks/<sid>/phone-numbers` answering 404 is the authority on
/// whether the trunk exists.
pub async fn lookup_trunk(client: &Client, sid: &str) -> Result<TrunkLookup, ApiError> {
    match list_trunks(client, Some(sid)).await {
        Ok(Some(trunks)) => {
            if let Some(t) = trunks.into_iter().find(|t| t.trunk_sid == sid) {
                return Ok(TrunkLookup::Found(t));
            }
        }
        Ok(None) => {}
        Err(e) if e.kind.is_not_found() => {}
        Err(e) => return Err(e),
    }
    trunk_exists(client, sid).await.map(|exists| if exists { TrunkLookup::Exists } else { TrunkLookup::Gone })
}

/// `GET /trunks`, optionally filtered by `trunk_sid` (field notes, not the
/// contract). `Ok(None)` when this API lacks the route, learned once per
/// process. A record that cannot be read is an error, never skipped.
pub async fn list_trunks(client: &Client, trunk_sid: Option<&str>) -> Result<Option<Vec<api::types::Trunk>>, ApiError> {
    if client.caps.trunk_listing.unsupported() {
        return Ok(None);
    }
    let path = match trunk_sid {
        Some(sid) => format!("/trunks?trunk_sid={}", query_val(sid)),
        None => "/trunks".to_string(),
    };
    match client.get_all(&path).await {
        Ok(records) => {
            client.caps.trunk_listing.set(true);
            records
                .iter()
                .map(|r| api::decode(r, None))
                .collect::<Result<Vec<_>, ErrorKind>>()
                .map(Some)
                .map_err(|kind| ApiError::new("GET /trunks", 1, kind))
        }
        Err(e) if e.is_route_missing() => {
            client.caps.trunk_listing.set(false);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The contract's existence check: `GET /trunks/<sid>/phone-numbers` (the
/// list shared with phone-number reads of the same run).
pub async fn trunk_exists(client: &Client, sid: &str) -> Result<bool, ApiError> {
    match client.get_all_cached(&format!("/trunks/{}/phone-numbers", path_seg(sid))).await {
        Ok(_) => Ok(true),
        Err(e) if e.kind.is_not_found() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Percent-encodes one path segment (a space as `%20`). The client refuses
/// a path whose segment is empty, `.` or `..` in any spelling.
pub fn path_seg(s: &str) -> String {
    crate::validate::encode_segment(s)
}

/// Percent-encodes one query value.
pub fn query_val(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Splits an import ID `<trunk_sid>/<key>`; both parts must be plain path
/// segments. On failure, an "Invalid import ID" error showing `forms`.
pub fn split_import<'a>(
    type_name: &str,
    id: &'a str,
    forms: &str,
    diags: &mut Diagnostics,
) -> Option<(&'a str, &'a str)> {
    let parts = id.split_once('/').filter(|(s, k)| !s.is_empty() && !k.is_empty());
    let checked = parts.map(|(s, k)| {
        crate::validate::path_id("the trunk SID", s)
            .and_then(|()| crate::validate::path_id("the key", k))
            .map(|()| (s, k))
    });
    match checked {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            diags.push(Diagnostic::error("Invalid import ID", format!("{type_name} is imported as {forms}: {e}")));
            None
        }
        None => {
            diags.push(Diagnostic::error(
                "Invalid import ID",
                format!("{type_name} is imported as {forms}; got {id:?}."),
            ));
            None
        }
    }
}
