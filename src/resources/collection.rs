//! What the three list-based sub-resources (phone numbers, whitelisted IPs,
//! destinations) share: listing (paginated, cached per run), delete with
//! confirmation, and create with conflict handling and adoption.

use super::common::{api_diag, capitalise, path_seg, query_val};
use crate::api::{self, ApiError, Client, ErrorKind, Retry};
use crate::tf::diag::{Diagnostic, Diagnostics};
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use std::sync::Arc;

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
pub trait Item: DeserializeOwned + Clone + api::client::Keyed + Send + Sync + 'static {
    fn id(&self) -> &str {
        self.key()
    }
}

impl Item for api::types::PhoneNumber {}
impl Item for api::types::WhitelistedIp {}
impl Item for api::types::Destination {}

fn decode_all<T: Item>(coll: Coll, records: &[Json]) -> Result<Vec<T>, ApiError> {
    records
        .iter()
        .map(|r| api::decode::<T>(r, None))
        .collect::<Result<Vec<T>, ErrorKind>>()
        .map_err(|kind| ApiError::new(format!("GET {}", coll.segment()), 1, kind))
}

/// The items of a trunk's collection, decoded once per fetch and indexed by
/// id; `None` when the trunk is gone. `fresh` bypasses (and refreshes) the
/// per-run cache.
pub async fn list_indexed<T: Item>(
    client: &Client,
    trunk_sid: &str,
    coll: Coll,
    fresh: bool,
) -> Result<Option<Arc<api::client::Indexed<T>>>, ApiError> {
    let path = coll.path(trunk_sid);
    if fresh {
        client.invalidate(&path);
    }
    match client.list_indexed::<T>(&path, &format!("GET {}", coll.segment())).await {
        Ok(items) => Ok(Some(items)),
        Err(e) if e.kind.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// The items of a trunk's collection; `None` when the trunk is gone.
pub async fn list<T: Item>(
    client: &Client,
    trunk_sid: &str,
    coll: Coll,
    fresh: bool,
) -> Result<Option<Vec<T>>, ApiError> {
    Ok(list_indexed::<T>(client, trunk_sid, coll, fresh).await?.map(|i| i.items().to_vec()))
}

/// The items of a trunk's collection, or `None` with a diagnostic under
/// `summary`: the trunk does not exist, or the API failed.
pub async fn items_or_diag<T: Item>(
    client: &Client,
    trunk_sid: &str,
    coll: Coll,
    fresh: bool,
    summary: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<T>> {
    match list::<T>(client, trunk_sid, coll, fresh).await {
        Ok(Some(items)) => Some(items),
        Ok(None) => {
            diags.push(Diagnostic::error(summary, format!("Trunk {trunk_sid:?} does not exist.")));
            None
        }
        Err(e) => {
            diags.push(api_diag(format!("{summary} (trunk {trunk_sid})"), &e));
            None
        }
    }
}

/// What a read found.
pub enum Found<T> {
    Item(T),
    /// The item, or its whole trunk, is gone.
    Gone,
}

pub async fn find<T: Item>(client: &Client, trunk_sid: &str, coll: Coll, id: &str) -> Result<Found<T>, ApiError> {
    Ok(match list_indexed::<T>(client, trunk_sid, coll, false).await? {
        Some(items) => items.get(id).cloned().map_or(Found::Gone, Found::Item),
        None => Found::Gone,
    })
}

/// `DELETE /trunks/<sid>/<collection>?id=<id>`; the outcome is decided by a
/// fresh listing after it: absent = deleted. Still listed:
/// - every attempt of the DELETE answered "no such route" (a 405, or a 404
///   without Exotel's not-found code, on every retry): this API has no
///   DELETE route. Remembered for the rest of the run; the item is removed
///   from state with a warning naming it and how to remove it, since a
///   per-item resource cannot tell a removal from a whole-trunk destroy
///   (whose trunk DELETE removes everything);
/// - any other answer (success, a 404 claiming it is not found, one odd
///   proxy page, a failure): a failed delete, tried again, then an error.
pub async fn delete<T: Item>(
    client: &Client,
    trunk_sid: &str,
    coll: Coll,
    id: &str,
    what: &str,
    diags: &mut Diagnostics,
) {
    let path = coll.path(trunk_sid);
    let rounds = client.max_retries() + 1;
    let mut last = String::new();
    for round in 1..=rounds {
        let sent = if client.caps.sub_delete.unsupported() {
            None
        } else {
            Some(client.delete(&format!("{path}?id={}", query_val(id))).await)
        };
        if let Some(Err(e)) = &sent
            && matches!(*e.kind, ErrorKind::Cancelled)
        {
            diags.push(api_diag(format!("Cannot delete {} {what}", coll.noun()), e));
            return;
        }
        let listing = if client.stopping() {
            api::client::settling(client, list_indexed::<T>(client, trunk_sid, coll, true)).await
        } else {
            Some(list_indexed::<T>(client, trunk_sid, coll, true).await)
        };
        let still_there = match listing {
            Some(Ok(Some(items))) => items.get(id).is_some(),
            Some(Ok(None)) => false,
            Some(Err(e)) => {
                diags.push(api_diag(format!("Cannot confirm deletion of {} {what}", coll.noun()), &e));
                return;
            }
            None => {
                diags.push(Diagnostic::error(
                    format!("Cannot confirm deletion of {} {what}", coll.noun()),
                    "Terraform asked the provider to stop before the listing that confirms it finished.",
                ));
                return;
            }
        };
        if !still_there {
            if matches!(sent, Some(Ok(_))) {
                client.caps.sub_delete.set(true);
            }
            return;
        }
        match sent {
            None => return left_in_exotel(coll, trunk_sid, id, what, diags),
            Some(Err(e)) if e.is_route_missing() => {
                client.caps.sub_delete.set(false);
                return left_in_exotel(coll, trunk_sid, id, what, diags);
            }
            Some(Ok(_)) => last = "Exotel accepted the delete but still lists it".to_string(),
            Some(Err(e)) => last = e.to_string(),
        }
        tracing::warn!(what, round, last = %last, "delete not confirmed; trying again");
        if client.stopping() || (round < rounds && !client.backoff_sleep(round).await) {
            diags.push(Diagnostic::error(
                format!("Cannot delete {} {what}", coll.noun()),
                format!("It is still active in Exotel ({last}), and Terraform asked the provider to stop."),
            ));
            return;
        }
    }
    diags.push(Diagnostic::error(
        format!("Cannot delete {} {what}", coll.noun()),
        format!(
            "The {} {what} (id {id}) on trunk {trunk_sid} is still active in Exotel after {rounds} attempts to delete it; last: {last}. Run apply again, or remove it in the Exotel dashboard.",
            coll.noun()
        ),
    ));
}

/// The warning for an item this API cannot delete.
fn left_in_exotel(coll: Coll, trunk_sid: &str, id: &str, what: &str, diags: &mut Diagnostics) {
    diags.push(Diagnostic::warning(
        format!("{} left in Exotel", capitalise(coll.noun())),
        format!(
            "The {} {what} (id {id}) on trunk {trunk_sid} was removed from Terraform state, but this Exotel API has no route to delete it (every attempt answered 404/405). It stays active in Exotel until removed there: delete it in the Exotel dashboard, or destroy the whole trunk (exotel_trunk), which removes everything on it.",
            coll.noun()
        ),
    ));
}

/// Creating one item of a collection: the POST and how to find the exact
/// item again (see [`super::create`]).
pub struct NewItem<'a, T> {
    pub client: &'a Client,
    pub trunk_sid: &'a str,
    pub coll: Coll,
    pub body: Json,
    /// e.g. `203.0.113.10/32`
    pub what: String,
    pub matches: &'a (dyn Fn(&T) -> bool + Sync),
}

impl<T: Item + Send + Sync> super::create::Creation<T> for NewItem<'_, T> {
    fn noun(&self) -> &'static str {
        self.coll.noun()
    }
    fn what(&self) -> String {
        format!("{} {} on trunk {}", self.coll.noun(), self.what, self.trunk_sid)
    }
    fn id_of(&self, item: &T) -> String {
        item.id().to_string()
    }
    async fn snapshot(&self) -> super::create::Snapshot<T> {
        use super::create::Snapshot;
        match self.client.snapshot(&self.coll.path(self.trunk_sid)).await {
            Ok(records) => match decode_all::<T>(self.coll, &records) {
                Ok(items) => Snapshot::Known {
                    ids: items.iter().map(|i| i.id().to_string()).collect(),
                    same: items.into_iter().find(|i| (self.matches)(i)),
                },
                Err(e) => Snapshot::Unavailable(e.to_string()),
            },
            Err(e) if e.kind.is_not_found() => Snapshot::TrunkGone,
            Err(e) => Snapshot::Unavailable(format!("listing what the trunk held failed: {e}")),
        }
    }
    async fn post(&self) -> Result<Option<T>, ApiError> {
        let path = self.coll.path(self.trunk_sid);
        let r = self.client.post(&path, self.body.clone(), Retry::Create).await;
        self.client.invalidate(&path);
        api::client::PostAnswer::read(r, &format!("POST {}", self.coll.segment()))
    }
    async fn find(&self) -> super::create::Lookup<T> {
        use super::create::Lookup;
        match list::<T>(self.client, self.trunk_sid, self.coll, true).await {
            Ok(Some(items)) => items.into_iter().find(|i| (self.matches)(i)).map_or(Lookup::Absent, Lookup::Found),
            Ok(None) => Lookup::TrunkGone,
            Err(e) => Lookup::Unknown(format!("Listing to check failed too: {e}")),
        }
    }
    fn import_command(&self, existing: Option<&T>) -> String {
        let id = existing.map_or("<id>", |i| i.id());
        format!("terraform import {}.<name> {}/{id}", self.coll.type_name(), self.trunk_sid)
    }
}

/// Creates one item of a collection, never twice.
pub async fn create<T: Item + Send + Sync>(item: NewItem<'_, T>, diags: &mut Diagnostics) -> Option<T> {
    super::create::create(item.client, &item, diags).await
}

/// The `config` block of a sub-resource's `list` block: `trunk_sid`.
pub fn list_schema(coll: Coll) -> crate::tf::schema::Schema {
    use crate::tf::schema::{Attribute, Mode, Schema};
    Schema {
        version: 0,
        description: match coll {
            Coll::PhoneNumbers => "Lists every phone number mapped to a trunk.",
            Coll::WhitelistedIps => "Lists every whitelisted IP of a trunk.",
            Coll::Destinations => "Lists every destination of a trunk.",
        },
        attributes: vec![Attribute::new(
            "trunk_sid",
            crate::tf::types::Type::String,
            Mode::Required,
            "SID of the trunk whose items to list.",
        )],
    }
}

/// All items of the trunk named in a list config (all pages), or a diagnostic.
pub async fn list_for_query<T: Item>(
    client: &Client,
    config: &crate::tf::value::Value,
    coll: Coll,
    diags: &mut Diagnostics,
) -> Option<(String, Vec<T>)> {
    let Some(sid) = config.get("trunk_sid").as_str().filter(|s| !s.is_empty()).map(str::to_owned) else {
        diags.push(Diagnostic::error("Missing trunk_sid", "Set trunk_sid in the list block's config.").at("trunk_sid"));
        return None;
    };
    if let Err(e) = crate::validate::path_id("trunk_sid", &sid) {
        diags.push(Diagnostic::error("Invalid trunk_sid", e).at("trunk_sid"));
        return None;
    }
    let items = items_or_diag(client, &sid, coll, true, &format!("Cannot list {}s", coll.noun()), diags).await?;
    Some((sid, items))
}
