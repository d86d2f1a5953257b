//! What the three list-based sub-resources (phone numbers, whitelisted IPs,
//! destinations) share: listing (paginated, cached per run), delete with
//! confirmation, and create with conflict handling and adoption.

use super::common::{api_diag, path_seg, route_missing};
use crate::api::{self, ApiError, Client, ErrorKind, Retry};
use crate::tf::diag::{Diagnostic, Diagnostics};
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

/// A trunk's sub-collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coll {
    PhoneNumbers,
    WhitelistedIps,
    Destinations,
}

impl Coll {
    pub fn segment(self) -> &'static str {
        match self {
            Coll::PhoneNumbers => "phone-numbers",
            Coll::WhitelistedIps => "whitelisted-ips",
            Coll::Destinations => "destination-uris",
        }
    }
    pub fn noun(self) -> &'static str {
        match self {
            Coll::PhoneNumbers => "phone number mapping",
            Coll::WhitelistedIps => "whitelisted IP",
            Coll::Destinations => "destination",
        }
    }
    pub fn type_name(self) -> &'static str {
        match self {
            Coll::PhoneNumbers => "exotel_trunk_phone_number",
            Coll::WhitelistedIps => "exotel_trunk_whitelisted_ip",
            Coll::Destinations => "exotel_trunk_destination",
        }
    }
    pub fn path(self, trunk_sid: &str) -> String {
        format!("/trunks/{}/{}", path_seg(trunk_sid), self.segment())
    }
}

/// A record with an id.
pub trait Item: DeserializeOwned + Clone {
    fn id(&self) -> &str;
}

impl Item for api::types::PhoneNumber {
    fn id(&self) -> &str {
        &self.id
    }
}
impl Item for api::types::WhitelistedIp {
    fn id(&self) -> &str {
        &self.id
    }
}
impl Item for api::types::Destination {
    fn id(&self) -> &str {
        &self.id
    }
}

fn decode_all<T: Item>(coll: Coll, records: &[Json]) -> Result<Vec<T>, ApiError> {
    records.iter().map(|r| api::decode::<T>(r, None)).collect::<Result<Vec<T>, ErrorKind>>().map_err(|kind| ApiError {
        op: format!("GET {}", coll.segment()),
        attempts: 1,
        kind: Box::new(kind),
    })
}

/// The items of a trunk's collection; `None` when the trunk is gone.
/// `fresh` bypasses (and refreshes) the per-run cache.
pub async fn list<T: Item>(
    client: &Client,
    trunk_sid: &str,
    coll: Coll,
    fresh: bool,
) -> Result<Option<Vec<T>>, ApiError> {
    let path = coll.path(trunk_sid);
    if fresh {
        client.invalidate(&path);
    }
    match client.get_all_cached(&path).await {
        Ok(records) => decode_all(coll, &records).map(Some),
        Err(e) if e.kind.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// What a read found.
pub enum Found<T> {
    Item(T),
    /// The item, or its whole trunk, is gone.
    Gone,
}

pub async fn find<T: Item>(client: &Client, trunk_sid: &str, coll: Coll, id: &str) -> Result<Found<T>, ApiError> {
    Ok(match list::<T>(client, trunk_sid, coll, false).await? {
        Some(items) => items.into_iter().find(|i| i.id() == id).map_or(Found::Gone, Found::Item),
        None => Found::Gone,
    })
}

/// `DELETE /trunks/<sid>/<collection>?id=<id>`, then confirm by listing.
/// Still listed (an API without the route) → removed from state with a
/// warning naming what is left in Exotel.
pub async fn delete<T: Item>(
    client: &Client,
    trunk_sid: &str,
    coll: Coll,
    id: &str,
    what: &str,
    diags: &mut Diagnostics,
) {
    let path = coll.path(trunk_sid);
    let mut route_absent = client.caps.sub_delete.unsupported();
    if !route_absent {
        match client.delete(&format!("{path}?id={}", path_seg(id))).await {
            Ok(_) => client.caps.sub_delete.set(true),
            Err(e) if route_missing(&e.kind) => {
                client.caps.sub_delete.set(false);
                route_absent = true;
            }
            Err(e) if e.kind.is_not_found() => {}
            Err(e) => {
                diags.push(api_diag(format!("Cannot delete {} {what}", coll.noun()), &e));
                return;
            }
        }
    }
    let still_there = match list::<T>(client, trunk_sid, coll, true).await {
        Ok(Some(items)) => items.iter().any(|i| i.id() == id),
        Ok(None) => false,
        Err(e) => {
            diags.push(api_diag(format!("Cannot confirm deletion of {} {what}", coll.noun()), &e));
            return;
        }
    };
    if still_there {
        let why = if route_absent {
            "this Exotel API has no route to delete it"
        } else {
            "Exotel accepted the delete but still lists it"
        };
        diags.push(Diagnostic::warning(
            format!("{} left in Exotel", capitalise(coll.noun())),
            format!(
                "The {} {what} (id {id}) on trunk {trunk_sid} was removed from Terraform state, but {why}. It stays active in Exotel until removed there: delete it in the Exotel dashboard, or destroy the whole trunk (exotel_trunk), which removes everything on it.",
                coll.noun()
            ),
        ));
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Creates one item: POST; on "already exists" at the first attempt, an
/// error with the import command; after an ambiguous failure (the request
/// may have been stored), list and adopt the exact match, else POST again
/// (where a conflict then means "adopt").
pub async fn create<T: Item>(
    client: &Client,
    trunk_sid: &str,
    coll: Coll,
    body: Json,
    what: &str,
    matches: &(dyn Fn(&T) -> bool + Sync),
    diags: &mut Diagnostics,
) -> Option<T> {
    let path = coll.path(trunk_sid);
    let first = client.post(&path, body.clone(), Retry::Create).await;
    client.invalidate(&path);
    let ambiguous = match first {
        Ok(env) => match api::client::PostAnswer(env).record::<T>() {
            Some(item) => return Some(item),
            None => ErrorKind::Decode {
                status: 200,
                request_id: None,
                excerpt: String::new(),
                reason: format!("the answer to creating {what} carried no {}", coll.noun()),
            },
        },
        Err(e) if e.kind.is_conflict() => {
            let existing =
                list::<T>(client, trunk_sid, coll, true).await.ok().flatten().and_then(|l| l.into_iter().find(matches));
            let import = match existing {
                Some(i) => format!("terraform import {}.<name> {trunk_sid}/{}", coll.type_name(), i.id()),
                None => format!("terraform import {}.<name> {trunk_sid}/<id>", coll.type_name()),
            };
            diags.push(Diagnostic::error(
                format!("{} already exists", capitalise(coll.noun())),
                format!("{what} already exists on trunk {trunk_sid} ({e}). To manage it with Terraform, import it:\n  {import}"),
            ));
            return None;
        }
        Err(e) if e.kind.is_transient() && !e.kind.provably_not_applied() => *e.kind,
        Err(e) => {
            diags.push(api_diag(format!("Cannot create {} {what}", coll.noun()), &e));
            return None;
        }
    };
    tracing::warn!(what, error = %ambiguous, "create outcome unknown; listing before retrying");
    match list::<T>(client, trunk_sid, coll, true).await {
        Ok(Some(items)) => {
            if let Some(i) = items.into_iter().find(matches) {
                return Some(i);
            }
        }
        Ok(None) => {
            diags.push(Diagnostic::error(
                format!("Cannot create {} {what}", coll.noun()),
                format!("Trunk {trunk_sid} does not exist."),
            ));
            return None;
        }
        Err(e) => {
            diags.push(may_exist(coll, what, trunk_sid, &ambiguous, Some(&e)));
            return None;
        }
    }
    let second = client.post(&path, body, Retry::Create).await;
    client.invalidate(&path);
    match second {
        Ok(env) => {
            if let Some(i) = api::client::PostAnswer(env).record::<T>() {
                return Some(i);
            }
        }
        Err(e) if e.kind.is_conflict() => {}
        Err(e) if e.kind.is_transient() && !e.kind.provably_not_applied() => {}
        Err(e) => {
            diags.push(api_diag(format!("Cannot create {} {what}", coll.noun()), &e));
            return None;
        }
    }
    match list::<T>(client, trunk_sid, coll, true).await {
        Ok(Some(items)) => match items.into_iter().find(matches) {
            Some(i) => Some(i),
            None => {
                diags.push(may_exist(coll, what, trunk_sid, &ambiguous, None));
                None
            }
        },
        Ok(None) => {
            diags.push(Diagnostic::error(
                format!("Cannot create {} {what}", coll.noun()),
                format!("Trunk {trunk_sid} does not exist."),
            ));
            None
        }
        Err(e) => {
            diags.push(may_exist(coll, what, trunk_sid, &ambiguous, Some(&e)));
            None
        }
    }
}

fn may_exist(coll: Coll, what: &str, trunk_sid: &str, first: &ErrorKind, list_err: Option<&ApiError>) -> Diagnostic {
    let listing = list_err.map(|e| format!(" Listing to check failed too: {e}.")).unwrap_or_default();
    Diagnostic::error(
        format!("{} may have been created", capitalise(coll.noun())),
        format!(
            "Creating {what} on trunk {trunk_sid} failed in a way that does not tell whether Exotel stored it ({first}).{listing} If it exists, import it with `terraform import {}.<name> {trunk_sid}/<id>`; otherwise run apply again.",
            coll.type_name()
        ),
    )
}
