//! Every vSIP route this client serves, as methods on typed handles:
//!
//! ```text
//! client.trunks()                          GET/POST /trunks, DELETE /trunks?trunk_sid=
//! client.trunk(sid).phone_numbers()        /trunks/<sid>/phone-numbers[/<id>]
//! client.trunk(sid).whitelisted_ips()      /trunks/<sid>/whitelisted-ips
//! client.trunk(sid).destinations()         /trunks/<sid>/destination-uris[/<id>]
//! client.trunk(sid).settings()             /trunks/<sid>/settings (keyed by name; the alias)
//! client.trunk(sid).credentials()          GET /trunks/<sid>/credentials (the contract's shape)
//! client.trunk(sid).digest_credentials()   /trunks/<sid>/credentials[/<id>] (the digest API)
//! ```
//!
//! Paths, query strings, JSON bodies, pagination, caching and what this API
//! turned out to support live here and nowhere else. Routes outside the
//! contract (the field notes' `GET /trunks`, item DELETEs, settings GET and
//! DELETE) answer [`Routed::NoRoute`] when the API provably lacks them
//! (every attempt answered 404/405, [`ApiError::is_route_missing`]); that is
//! learned once per process and per route ([`super::client::Caps`]): a
//! collection whose DELETE is missing says nothing about another's.

use super::client::{Capability, Client, Indexed, Keyed, PostAnswer, Retry};
use super::delete::{Deletion, Presence, delete_confirmed};
use super::error::{ApiError, ErrorKind};
use super::secret::Secret;
use super::types::{Credential, Credentials, Destination, PhoneNumber, Setting, Trunk, WhitelistedIp};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use std::marker::PhantomData;
use std::sync::Arc;

/// The outcome of a route this API may lack.
#[derive(Debug)]
pub enum Routed<T> {
    /// The API has the route and answered.
    Done(T),
    /// The API has no such route (decided once, from its own answers).
    NoRoute,
}

impl<T> Routed<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Routed<U> {
        match self {
            Routed::Done(v) => Routed::Done(f(v)),
            Routed::NoRoute => Routed::NoRoute,
        }
    }
}

/// Sends a request on a route outside the contract: without sending,
/// `NoRoute` once this API proved it lacks the route; otherwise the answer,
/// from which the route's existence is learned.
async fn probed<T>(
    cap: &Capability,
    request: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<Routed<T>, ApiError> {
    if cap.unsupported() {
        return Ok(Routed::NoRoute);
    }
    match request.await {
        Ok(v) => {
            cap.set(true);
            Ok(Routed::Done(v))
        }
        Err(e) if e.is_route_missing() => {
            cap.set(false);
            Ok(Routed::NoRoute)
        }
        Err(e) => Err(e),
    }
}

/// The setting that holds a trunk's caller-ID alias.
pub const ALIAS_SETTING: &str = "trunk_external_alias";

fn seg(s: &str) -> String {
    crate::ids::encode_segment(s)
}

fn query(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn decode_all<T: DeserializeOwned>(records: &[Json], op: &str) -> Result<Vec<T>, ApiError> {
    records
        .iter()
        .map(|r| super::decode::<T>(r, None))
        .collect::<Result<Vec<T>, ErrorKind>>()
        .map_err(|k| ApiError::new(op, 1, k))
}

impl Client {
    /// The account's trunks.
    pub fn trunks(&self) -> Trunks<'_> {
        Trunks { c: self }
    }

    /// One trunk's routes.
    pub fn trunk<'a>(&'a self, sid: &'a str) -> TrunkRoutes<'a> {
        TrunkRoutes { c: self, sid }
    }
}

// ------------------------------------------------------------------ trunks

/// `POST /trunks` body.
#[derive(Debug, Clone, Serialize)]
pub struct NewTrunk {
    /// 1 to 16 characters of `[A-Za-z0-9_]`.
    pub trunk_name: String,
    /// The network service operator code, e.g. `ANY-ANY`.
    pub nso_code: String,
    /// The trunk's SIP domain.
    pub domain_name: String,
}

/// What is known about one trunk.
#[derive(Debug, Clone, PartialEq)]
pub enum TrunkLookup {
    /// The API returned its fields.
    Found(Trunk),
    /// It exists, but this API cannot return its fields.
    Exists,
    /// It does not exist.
    Gone,
}

impl Keyed for Trunk {
    fn key(&self) -> &str {
        &self.trunk_sid
    }
}

/// Handle for `/trunks`.
#[derive(Clone, Copy)]
pub struct Trunks<'a> {
    c: &'a Client,
}

impl Trunks<'_> {
    /// `GET /trunks`, optionally filtered by `trunk_sid` (field notes, not the
    /// contract). A record that cannot be read is an error, never skipped.
    pub async fn list(&self, trunk_sid: Option<&str>) -> Result<Routed<Vec<Trunk>>, ApiError> {
        let path = match trunk_sid {
            Some(sid) => format!("/trunks?trunk_sid={}", query(sid)),
            None => "/trunks".to_string(),
        };
        match probed(&self.c.caps.trunk_listing, self.c.get_all(&path)).await? {
            Routed::Done(records) => decode_all(&records, "GET /trunks").map(Routed::Done),
            Routed::NoRoute => Ok(Routed::NoRoute),
        }
    }

    /// One authenticated, read-only request that tells whether the API takes
    /// these credentials: the first page of `GET /trunks`, nothing decoded.
    /// `NoRoute` (an API with only the contract's routes) means "cannot check".
    pub async fn check_access(&self) -> Result<Routed<()>, ApiError> {
        probed(&self.c.caps.trunk_listing, async { self.c.get("/trunks").await.map(drop) }).await
    }

    /// What `/trunks` held before this process's first trunk create (see
    /// [`Client::snapshot_indexed`]).
    pub async fn snapshot(&self) -> Result<Routed<Arc<Indexed<Trunk>>>, ApiError> {
        probed(&self.c.caps.trunk_listing, self.c.snapshot_indexed::<Trunk>("/trunks", "GET /trunks")).await
    }

    /// `POST /trunks` (never repeated blindly); `Ok(None)` when the success
    /// answer carried no readable trunk.
    pub async fn create(&self, new: &NewTrunk) -> Result<Option<Trunk>, ApiError> {
        let body = serde_json::to_value(new).unwrap_or_default();
        let r = self.c.post("/trunks", body, Retry::Create).await;
        let created: Option<Trunk> = PostAnswer::read(r, "POST /trunks")?;
        self.c.invalidate("/trunks");
        if let Some(t) = &created {
            // A trunk this process created holds nothing yet.
            let routes = self.c.trunk(&t.trunk_sid);
            let items = [
                routes.phone_numbers().path(),
                routes.whitelisted_ips().path(),
                routes.destinations().path(),
                routes.digest_credentials().path(),
            ];
            for path in items {
                self.c.snapshot_is_empty(&path);
            }
        }
        Ok(created)
    }

    /// `DELETE /trunks?trunk_sid=` (the contract's form). Forgets every
    /// cached list of that trunk whatever the answer.
    pub async fn delete(&self, sid: &str) -> Result<(), ApiError> {
        let r = self.c.delete(&format!("/trunks?trunk_sid={}", query(sid))).await;
        self.c.invalidate_prefix(&format!("/trunks/{}/", seg(sid)));
        self.c.invalidate("/trunks");
        r.map(drop)
    }

    /// Finds a trunk. `GET /trunks?trunk_sid=` is used where the API has it;
    /// its 404/405 says nothing about the trunk. The contract's
    /// `GET /trunks/<sid>/phone-numbers` answering 404 is the authority on
    /// whether the trunk exists.
    pub async fn lookup(&self, sid: &str) -> Result<TrunkLookup, ApiError> {
        match self.list(Some(sid)).await {
            Ok(Routed::Done(trunks)) => {
                if let Some(t) = trunks.into_iter().find(|t| t.trunk_sid == sid) {
                    return Ok(TrunkLookup::Found(t));
                }
            }
            Ok(Routed::NoRoute) => {}
            Err(e) if e.kind.is_not_found() => {}
            Err(e) => return Err(e),
        }
        let exists = self.c.trunk(sid).exists().await?;
        Ok(if exists { TrunkLookup::Exists } else { TrunkLookup::Gone })
    }
}

// ------------------------------------------------------------------ one trunk

/// Handle for `/trunks/<sid>/...`.
#[derive(Clone, Copy)]
pub struct TrunkRoutes<'a> {
    c: &'a Client,
    sid: &'a str,
}

impl<'a> TrunkRoutes<'a> {
    /// The phone numbers mapped to the trunk (`/phone-numbers`).
    pub fn phone_numbers(&self) -> Items<'a, PhoneNumber> {
        self.items()
    }
    /// The IPs allowed to send calls into the trunk (`/whitelisted-ips`).
    pub fn whitelisted_ips(&self) -> Items<'a, WhitelistedIp> {
        self.items()
    }
    /// The SIP URIs the trunk delivers calls to (`/destination-uris`).
    pub fn destinations(&self) -> Items<'a, Destination> {
        self.items()
    }
    /// The trunk's SIP digest credentials (`/credentials` on the digest API:
    /// POST, list, PUT `/<id>`, DELETE `?id=`).
    pub fn digest_credentials(&self) -> Items<'a, Credential> {
        self.items()
    }
    /// The collection of record type `T`.
    pub fn items<T: ItemRecord>(&self) -> Items<'a, T> {
        Items { c: self.c, sid: self.sid, _t: PhantomData }
    }

    /// Whether the trunk exists: the contract's `GET .../phone-numbers`
    /// (the list shared with phone-number reads of the same run).
    pub async fn exists(&self) -> Result<bool, ApiError> {
        match self.c.get_all_cached(&self.phone_numbers().path()).await {
            Ok(_) => Ok(true),
            Err(e) if e.kind.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The trunk's settings, keyed by name (`?name=`); setting one is an
    /// upsert (`POST`), and `GET` and `DELETE` are outside the contract. The
    /// caller-ID alias is the setting [`ALIAS_SETTING`].
    pub fn settings(&self) -> Items<'a, Setting> {
        self.items()
    }

    /// `GET .../credentials`: the first record, decoded without ever quoting
    /// it. `Ok(None)` when the answer holds no record.
    pub async fn credentials(&self) -> Result<Option<Credentials>, ApiError> {
        let env = self.c.get(&format!("/trunks/{}/credentials", seg(self.sid))).await?;
        let Some(rec) = env.records().into_iter().next() else { return Ok(None) };
        super::decode_secret(rec, env.request_id.as_deref())
            .map(Some)
            .map_err(|k| ApiError::new("GET credentials", 1, k))
    }
}

// ------------------------------------------------------------------ collections

/// A record of one of a trunk's collections, and the typed requests that
/// change it.
pub trait ItemRecord: DeserializeOwned + Keyed + Clone + std::fmt::Debug + Send + Sync + 'static {
    /// The collection's path segment, e.g. `whitelisted-ips`.
    const SEGMENT: &'static str;
    /// What one item is called, e.g. `whitelisted IP`.
    const NOUN: &'static str;
    /// A new item (the POST body for one).
    type New: Serialize + Send + Sync;
    /// An in-place change (the PUT body); `()` where there is no PUT.
    type Change: Serialize + Send + Sync;
    /// The query parameter naming one item in a DELETE: `id`, or `name`
    /// (settings).
    const KEY_PARAM: &'static str = "id";
    /// Whether a POST may be repeated blindly: a create is not; setting a
    /// value twice is harmless.
    const POST_RETRY: Retry = Retry::Create;
    /// The secrets a create or change carries (masked in every answer's
    /// text from then on: [`Client::mask_also`]).
    fn secrets<'s>(_new: Option<&'s Self::New>, _change: Option<&'s Self::Change>) -> Vec<&'s Secret> {
        vec![]
    }
    /// The POST body for several new items (one item's body, or a list where
    /// the API takes one).
    fn create_body(new: &[Self::New]) -> Json {
        match new {
            [one] => serde_json::to_value(one).unwrap_or_default(),
            many => serde_json::to_value(many).unwrap_or_default(),
        }
    }
}

/// `POST .../phone-numbers` body.
#[derive(Debug, Clone, Serialize)]
pub struct NewPhoneNumber {
    /// E.164, e.g. `+919876543210`.
    pub phone_number: String,
    /// Left out for the API's default (`pstn`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
}

/// `PUT .../phone-numbers/<id>` body.
#[derive(Debug, Clone, Serialize)]
pub struct PhoneNumberChange {
    /// The number the record keeps (E.164).
    pub phone_number: String,
    /// `pstn` or `flow`.
    pub mode: String,
}

/// `POST .../whitelisted-ips` body.
#[derive(Debug, Clone, Serialize)]
pub struct NewWhitelistedIp {
    /// An IPv4 address.
    pub ip: String,
    /// The prefix length, 0 to 32.
    pub mask: i64,
}

/// One element of the `POST .../destination-uris` list; the contract's form
/// has no `sip:` prefix.
#[derive(Debug, Clone, Serialize)]
pub struct NewDestination {
    /// `host[:port][;transport=udp|tcp|tls]`.
    pub destination: String,
}

/// `PUT .../destination-uris/<id>` body.
#[derive(Debug, Clone, Serialize)]
pub struct DestinationChange {
    /// Lower is tried first.
    pub priority: i64,
    /// The share among destinations of one priority.
    pub weight: i64,
}

impl ItemRecord for PhoneNumber {
    const SEGMENT: &'static str = "phone-numbers";
    const NOUN: &'static str = "phone number mapping";
    type New = NewPhoneNumber;
    type Change = PhoneNumberChange;
}

impl ItemRecord for WhitelistedIp {
    const SEGMENT: &'static str = "whitelisted-ips";
    const NOUN: &'static str = "whitelisted IP";
    type New = NewWhitelistedIp;
    type Change = ();
}

impl ItemRecord for Destination {
    const SEGMENT: &'static str = "destination-uris";
    const NOUN: &'static str = "destination";
    type New = NewDestination;
    type Change = DestinationChange;
    /// `{"destinations": [...]}`, one or many.
    fn create_body(new: &[NewDestination]) -> Json {
        serde_json::json!({ "destinations": new })
    }
}

impl ItemRecord for Setting {
    const SEGMENT: &'static str = "settings";
    const NOUN: &'static str = "setting";
    const KEY_PARAM: &'static str = "name";
    const POST_RETRY: Retry = Retry::Idempotent;
    type New = NewSetting;
    type Change = ();
    /// `{"settings": [...]}`, one or many.
    fn create_body(new: &[NewSetting]) -> Json {
        serde_json::json!({ "settings": new })
    }
}

/// `POST .../credentials` body (the digest API).
#[derive(Debug, Clone, Serialize)]
pub struct NewCredential {
    /// The SIP username.
    pub user_name: String,
    /// The SIP password (sent, never returned).
    pub password: Secret,
    /// At most 32 characters; left out when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
}

/// `PUT .../credentials/<id>` body: only the fields that change. A digest
/// hash covers the username, so a new username is sent with a password.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CredentialChange {
    /// A new username.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// A new password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// A new label; `Some("")` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
}

impl ItemRecord for Credential {
    const SEGMENT: &'static str = "credentials";
    const NOUN: &'static str = "SIP credential";
    type New = NewCredential;
    type Change = CredentialChange;
    fn secrets<'s>(new: Option<&'s NewCredential>, change: Option<&'s CredentialChange>) -> Vec<&'s Secret> {
        new.map(|n| &n.password).into_iter().chain(change.and_then(|c| c.password.as_ref())).collect()
    }
}

/// One element of the `POST .../settings` list.
#[derive(Debug, Clone, Serialize)]
pub struct NewSetting {
    /// The setting, e.g. `trunk_external_alias`.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// Handle for one collection of one trunk.
pub struct Items<'a, T> {
    c: &'a Client,
    sid: &'a str,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Items<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Items<'_, T> {}

impl<'a, T: ItemRecord> Items<'a, T> {
    /// The trunk these items belong to.
    pub fn trunk_sid(&self) -> &'a str {
        self.sid
    }

    /// `/trunks/<sid>/<segment>`.
    pub fn path(&self) -> String {
        format!("/trunks/{}/{}", seg(self.sid), T::SEGMENT)
    }

    fn op(&self, method: &str) -> String {
        format!("{method} {}", T::SEGMENT)
    }

    /// Every item (all pages), decoded once per fetch and indexed by id,
    /// shared by every reader in this process; `Ok(None)` when the trunk
    /// does not exist. `fresh` bypasses (and refreshes) the cache.
    /// A fresh listing is one started after this call with no DELETE of
    /// this process in flight in the collection (see the client's `Gate`):
    /// the only kind that decides an item is absent.
    pub async fn list(&self, fresh: bool) -> Result<Option<Arc<Indexed<T>>>, ApiError> {
        let path = self.path();
        let listed = if fresh {
            self.c.list_exclusive::<T>(&path, &self.op("GET"), std::time::Instant::now()).await
        } else {
            self.c.list_indexed::<T>(&path, &self.op("GET")).await
        };
        match listed {
            Ok(items) => Ok(Some(items)),
            Err(e) if e.kind.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// [`Items::list`] where the API has the listing: `NoRoute` once it
    /// provably lacks it (every attempt answered 404/405; learned once per
    /// process and collection), as for the settings of an API with only the
    /// contract's routes.
    pub async fn list_if_served(&self, fresh: bool) -> Result<Routed<Option<Arc<Indexed<T>>>>, ApiError> {
        probed(&self.c.caps.item_list(T::SEGMENT), self.list(fresh)).await
    }

    /// What the collection held before this process's first create in it;
    /// `Ok(None)` when the trunk does not exist.
    pub async fn snapshot(&self) -> Result<Option<Arc<Indexed<T>>>, ApiError> {
        match self.c.snapshot_indexed::<T>(&self.path(), &self.op("GET")).await {
            Ok(items) => Ok(Some(items)),
            Err(e) if e.kind.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// One POST creating `new` (never repeated blindly); the first created
    /// record, `Ok(None)` when the success answer carried none.
    pub async fn create(&self, new: &[T::New]) -> Result<Option<T>, ApiError> {
        let path = self.path();
        for n in new {
            T::secrets(Some(n), None).into_iter().for_each(|s| self.c.mask_also(s));
        }
        let r = self.c.post(&path, T::create_body(new), T::POST_RETRY).await;
        self.c.invalidate(&path);
        PostAnswer::read(r, &self.op("POST"))
    }

    /// `PUT .../<id>` where the API has it.
    pub async fn update(&self, id: &str, change: &T::Change) -> Result<Routed<()>, ApiError> {
        let path = self.path();
        T::secrets(None, Some(change)).into_iter().for_each(|s| self.c.mask_also(s));
        let body = serde_json::to_value(change).unwrap_or_default();
        let r = self.c.put(&format!("{path}/{}", seg(id)), body).await;
        self.c.invalidate(&path);
        match r {
            Ok(_) => Ok(Routed::Done(())),
            Err(e) if e.is_route_missing() => Ok(Routed::NoRoute),
            Err(e) => Err(e),
        }
    }

    /// `DELETE ...?id=<id>` (`?name=` for settings) where the API has it
    /// (an item DELETE is outside the contract). Its answer does not decide
    /// whether the item is gone: a look after it does ([`crate::delete`]).
    pub async fn delete(&self, id: &str) -> Result<Routed<()>, ApiError> {
        let path = self.path();
        let cap = self.c.caps.item_delete(T::SEGMENT);
        let r = probed(&cap, self.c.delete_in(&path, &format!("{path}?{}={}", T::KEY_PARAM, query(id)))).await;
        self.c.invalidate(&path);
        Ok(r?.map(drop))
    }

    /// Records that a listing confirmed item `id` deleted by this process
    /// (see [`Client::deleted`]).
    pub fn confirmed_deleted(&self, id: &str) {
        self.c.deleted(&self.path(), id);
    }

    /// Deletes the items `ids` by the one confirmed-delete algorithm
    /// ([`crate::delete`]): their DELETEs, then a fresh listing decides
    /// (the trunk gone: they are too). Each one confirmed gone is recorded
    /// ([`Items::confirmed_deleted`]).
    pub async fn delete_confirmed(&self, ids: Vec<String>) -> Deletion {
        // A collection this API cannot list leaves it to the DELETE's answer.
        let look = || async {
            Ok(match self.list_if_served(true).await? {
                Routed::Done(Some(listed)) => {
                    Presence::Held(ids.iter().filter(|id| listed.holds(id)).cloned().collect())
                }
                Routed::Done(None) => Presence::ParentGone,
                Routed::NoRoute => Presence::Unknown,
            })
        };
        let out = delete_confirmed(self.c, ids.clone(), |id| async move { self.delete(&id).await }, look).await;
        for gone in &out.deleted {
            self.confirmed_deleted(gone);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_bodies_are_the_contracts() {
        let one = NewDestination { destination: "1.2.3.4:5061;transport=tls".into() };
        assert_eq!(
            Destination::create_body(std::slice::from_ref(&one)),
            serde_json::json!({"destinations": [{"destination": "1.2.3.4:5061;transport=tls"}]})
        );
        let p = NewPhoneNumber { phone_number: "+911234567890".into(), mode: None };
        assert_eq!(PhoneNumber::create_body(&[p]), serde_json::json!({"phone_number": "+911234567890"}));
        let ip = NewWhitelistedIp { ip: "10.0.0.0".into(), mask: 24 };
        assert_eq!(WhitelistedIp::create_body(&[ip]), serde_json::json!({"ip": "10.0.0.0", "mask": 24}));
    }
}
