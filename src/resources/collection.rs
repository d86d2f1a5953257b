//! What the three list-based sub-resources (phone numbers, whitelisted IPs,
//! destinations) share: listing (paginated, cached per run), delete with
//! confirmation, and create with conflict handling and adoption.

use super::common::{api_diag, capitalise, path_seg, route_missing};
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
    fn what(&self) -> String {
        format!("{} {} on trunk {}", self.coll.noun(), self.what, self.trunk_sid)
    }
    async fn post(&self) -> Result<Option<T>, ApiError> {
        let path = self.coll.path(self.trunk_sid);
        let r = self.client.post(&path, self.body.clone(), Retry::Create).await;
        self.client.invalidate(&path);
        r.map(|env| api::client::PostAnswer(env).record::<T>())
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
    let items = items_or_diag(client, &sid, coll, true, &format!("Cannot list {}s", coll.noun()), diags).await?;
    Some((sid, items))
}
