//! One generic resource for the items of a trunk's collections: phone
//! numbers, whitelisted IPs, destinations, SIP digest credentials (items
//! with an id the API assigns), and the caller-ID alias (one setting under a
//! fixed name, [`Keying::Fixed`]).
//!
//! A collection resource is a small [`ItemKind`]: its model and schema, the
//! API record it manages ([`ItemRecord`]), and what differs (the create
//! request, how a record matches it, how a record becomes state, the in-place
//! change, the import key). [`CollectionResource`] writes the rest once:
//! read (from the per-run listing, indexed by id; kept while the trunk exists
//! where the API cannot list the collection), safe create (see
//! [`super::create`]; an upsert for a fixed key), in-place update, delete by
//! the one confirmed-delete algorithm ([`crate::api::delete`]), import, and
//! `list` blocks. The authoritative set resources build on the same handles
//! ([`crate::api::routes::Items`]).

use super::common::{api_diag, capitalise, deletion_diags};
use super::create::{Creation, Lookup, Snapshot};
use crate::api::client::{Keyed, operation};
use crate::api::routes::{ItemRecord, Items, Routed};
use crate::api::{ApiError, Client};
use crate::exotel::{Ctx, PlanCtx};
use crate::provider::resource::{Context, Ready, Refreshed, TypedResource, missing_ids};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Model;
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use crate::tf::value::Value;
use async_trait::async_trait;
use std::marker::PhantomData;

/// What one per-item collection resource states; everything else is
/// [`CollectionResource`]'s.
pub(crate) trait ItemKind: Sized + Send + Sync + 'static {
    type Model: Model + Default + Send + Sync + Clone + std::fmt::Debug + 'static;
    type Record: ItemRecord;
    const TYPE_NAME: &'static str;
    /// How a state names its record: an id the API assigns (the default), or
    /// one fixed key per trunk (a setting).
    const KEYING: Keying = Keying::Assigned;
    /// What one item is called in messages (by default the record's noun).
    const NOUN: &'static str = <Self::Record as ItemRecord>::NOUN;
    /// The import ID forms, for errors: e.g. `"<trunk_sid>/<id>"`.
    const IMPORT_FORMS: &'static str;
    /// What the `list` block lists, e.g. "Lists every whitelisted IP of a trunk."
    const LIST_DESCRIPTION: &'static str;

    fn schema() -> Schema;
    /// Checks a configuration beyond what the schema states (`trunk_sid` is
    /// checked for every kind).
    fn validate(config: &Self::Model, diags: &mut Diagnostics);
    /// Warnings about a plan (no API calls); `prior` is None on create.
    fn plan(_prior: Option<&Self::Model>, _planned: &Self::Model, _diags: &mut Diagnostics) {}
    /// The item in words, e.g. `203.0.113.10/32`.
    fn describe(m: &Self::Model) -> String;
    /// The create request for a planned item (`None` while a value is unknown).
    fn new_item(planned: &Self::Model) -> Option<<Self::Record as ItemRecord>::New>;
    /// Whether a listed record is exactly the item being created.
    fn matches(new: &<Self::Record as ItemRecord>::New, r: &Self::Record) -> bool;
    /// A record as state. `current` is the state a read started from, the
    /// planned state after a create, or the schema's defaults (an import or
    /// a listing): it supplies what the API does not say, and the configured
    /// spelling of values the API may spell differently.
    fn state(trunk_sid: &str, r: &Self::Record, current: &Self::Model) -> Self::Model;
    /// After a create: `Some(what the API holds)` when an in-place field
    /// differs from `state` and needs the update route (warnings go to
    /// `diags`). By default: the record read against the schema's defaults.
    fn held_after_create(state: &Self::Model, r: &Self::Record, _diags: &mut Diagnostics) -> Option<Self::Model> {
        let sid = state.str_attr("trunk_sid").unwrap_or_default();
        let held = Self::state(sid, r, &with_defaults::<Self>(state.clone(), true));
        Self::change(&held, state).is_some().then_some(held)
    }
    /// The in-place change from `prior` to `planned`; `None` when there is
    /// nothing to send (only a spelling changed).
    fn change(_prior: &Self::Model, _planned: &Self::Model) -> Option<<Self::Record as ItemRecord>::Change> {
        None
    }
    /// What an in-place update does, for errors: e.g. `change the mode`.
    const UPDATE: &'static str = "update";
    /// What kind of key an import key is (for errors), e.g. `id`.
    fn key_kind(_key: &str) -> &'static str {
        "id"
    }
    /// Whether an import key names this record.
    fn import_key(key: &str, r: &Self::Record) -> bool {
        r.key() == key
    }
    /// Whether a listed record holds anything (a setting with an empty value
    /// is not set).
    fn present(_r: &Self::Record) -> bool {
        true
    }
    /// The value an import key looks for, for errors (without a prefix
    /// such as `username:`).
    fn import_value(key: &str) -> &str {
        key
    }
    /// The error detail when the API has no create route for this kind.
    fn no_create_route(sid: &str) -> String {
        format!(
            "This Exotel API has no POST /trunks/{sid}/{} route (every attempt answered 404/405).",
            Self::Record::SEGMENT
        )
    }
}

/// How the state of a [`ItemKind`] names its record.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keying {
    /// By the id the API assigned on create: identity `(trunk_sid, id)`,
    /// import `<trunk_sid>/<key>`, created once (never twice), changed by PUT.
    Assigned,
    /// By this fixed key, one per trunk (a setting's name): identity
    /// `(trunk_sid)`, `id` is the trunk SID, import `<trunk_sid>`; setting
    /// it is an upsert (`POST`, harmless twice), for create and update alike.
    /// Where the API cannot list the collection, a read keeps the state.
    Fixed(&'static str),
}

impl Keying {
    const fn identity(self) -> &'static [&'static str] {
        match self {
            Keying::Assigned => &["trunk_sid", "id"],
            Keying::Fixed(_) => &["trunk_sid"],
        }
    }
}

/// What sending an in-place change did.
enum Sent {
    Done,
    /// This API has no update route (the error is in the diagnostics).
    NoRoute,
    /// It failed (the error is in the diagnostics).
    Failed,
}

/// The resource for one [`ItemKind`].
pub(crate) struct CollectionResource<K>(PhantomData<fn() -> K>);

impl<K> Default for CollectionResource<K> {
    fn default() -> Self {
        CollectionResource(PhantomData)
    }
}

fn handle<'a, K: ItemKind>(client: &'a Client, sid: &'a str) -> Items<'a, K::Record> {
    client.trunk(sid).items::<K::Record>()
}

/// The state after a create: every configurable value Terraform planned as
/// known is what the configuration said (Terraform requires it); computed
/// ones come from the API's answer.
fn keep_planned<K: ItemKind>(planned: &K::Model, state: K::Model) -> K::Model {
    let (p, mut s) = (planned.to_value(), state.to_value());
    if let Value::Map(m) = &mut s {
        for a in K::schema().attributes.iter().filter(|a| a.mode != Mode::Computed) {
            let v = p.get(a.name);
            if !v.is_unknown() {
                m.insert(a.name.to_string(), v.clone());
            }
        }
    }
    K::Model::from_value(&s).unwrap_or(state)
}

/// `(trunk_sid, key of its record)` of a state, or the error that names
/// what is missing.
fn ids_of<K: ItemKind>(m: &K::Model) -> Result<(String, String), Diagnostic> {
    match (K::KEYING, m.str_attr("trunk_sid"), m.str_attr("id")) {
        (Keying::Fixed(key), Some(sid), _) => Ok((sid.to_string(), key.to_string())),
        (Keying::Assigned, Some(sid), Some(id)) => Ok((sid.to_string(), id.to_string())),
        _ => Err(missing_ids(K::TYPE_NAME, "trunk_sid or id")),
    }
}

/// `m` with attribute `name` set to `v`.
fn with_attr<K: ItemKind>(m: K::Model, name: &str, v: Value) -> K::Model {
    let mut value = m.to_value();
    if let Value::Map(map) = &mut value {
        map.insert(name.to_string(), v);
    }
    K::Model::from_value(&value).unwrap_or(m)
}

/// The state of a fixed-key item whose record this API cannot read: the
/// ids, and what `base` holds (the plan then records the configuration).
fn fixed_state<K: ItemKind>(sid: &str, base: K::Model) -> K::Model {
    let m = with_attr::<K>(base, "trunk_sid", Value::String(sid.to_string()));
    with_attr::<K>(m, "id", Value::String(sid.to_string()))
}

/// A record's name in errors; `base` is [`defaults`].
fn display<K: ItemKind>(r: &K::Record, base: &K::Model) -> String {
    K::describe(&K::state("", r, base))
}

/// A model holding only the schema's defaults.
fn defaults<K: ItemKind>() -> K::Model {
    with_defaults::<K>(K::Model::default(), false)
}

/// `m` with the schema's defaults where it is null, or (`in_place`) in every
/// defaulted attribute that is updated in place.
pub(crate) fn with_defaults<K: ItemKind>(m: K::Model, in_place: bool) -> K::Model {
    let mut v = m.to_value();
    if let Value::Map(map) = &mut v {
        for a in K::schema().attributes {
            let Some(d) = &a.default else { continue };
            if matches!(map.get(a.name), Some(Value::Null)) || (in_place && !a.forces_replacement) {
                map.insert(a.name.to_string(), d.clone());
            }
        }
    }
    K::Model::from_value(&v).unwrap_or(m)
}

/// The in-place attributes as `m` holds them, e.g. `mode = "pstn"`, and
/// whether every one of them holds its default.
fn in_place_values<K: ItemKind>(m: &K::Model) -> (String, bool) {
    let v = m.to_value();
    let mut all_default = true;
    let held: Vec<String> = K::schema()
        .attributes
        .iter()
        .filter(|a| a.mode == Mode::OptionalComputed && !a.forces_replacement)
        .map(|a| {
            let val = v.get(a.name);
            all_default &= a.default.as_ref() == Some(val);
            match val {
                Value::String(s) => format!("{} = {s:?}", a.name),
                Value::Number(n) => {
                    format!("{} = {n}", a.name)
                }
                _ => format!("{} = null", a.name),
            }
        })
        .collect();
    (held.join(" and "), all_default)
}

impl<K: ItemKind> CollectionResource<K> {
    /// Sends the in-place change from `prior` to `planned`, if any.
    async fn send_change(&self, ctx: &Ctx, prior: &K::Model, planned: &K::Model, diags: &mut Diagnostics) -> Sent {
        let Some(change) = K::change(prior, planned) else { return Sent::Done };
        let (sid, id) = match ids_of::<K>(planned) {
            Ok(ids) => ids,
            Err(d) => {
                diags.push(d);
                return Sent::Failed;
            }
        };
        match handle::<K>(&ctx.client, &sid).update(&id, &change).await {
            Ok(Routed::Done(())) => Sent::Done,
            Ok(Routed::NoRoute) => {
                let (noun, what, seg) = (K::NOUN, K::describe(planned), K::Record::SEGMENT);
                let (kept, defaults) = in_place_values::<K>(prior);
                let hint = if defaults { " (or remove those lines: they are the defaults)" } else { "" };
                let advice = if kept.is_empty() {
                    format!(
                        "stays as it is in Exotel. Change it in the Exotel dashboard, or replace it (terraform apply -replace={}.<name>).",
                        K::TYPE_NAME
                    )
                } else {
                    format!(
                        "stays as it is: {kept}. Set {kept} in the configuration{hint}, or change it in the Exotel dashboard."
                    )
                };
                diags.push(Diagnostic::error(
                    format!("Cannot {} of a {noun}", K::UPDATE),
                    format!(
                        "This Exotel API has no PUT /trunks/<sid>/{seg}/<id> route (every attempt answered 404/405), so {noun} {what} {advice}"
                    ),
                ));
                Sent::NoRoute
            }
            Err(e) => {
                diags.push(api_diag(format!("Cannot {} of {} {}", K::UPDATE, K::NOUN, K::describe(planned)), &e));
                Sent::Failed
            }
        }
    }
}

impl<K: ItemKind> CollectionResource<K> {
    /// Sets a fixed-key item (`POST`, an upsert); the state, or `None` with
    /// the error. A success answer without a readable record still set it.
    async fn upsert(
        &self,
        ctx: &Ctx,
        sid: &str,
        new: <K::Record as ItemRecord>::New,
        planned: K::Model,
        diags: &mut Diagnostics,
    ) -> Option<K::Model> {
        match handle::<K>(&ctx.client, sid).create(std::slice::from_ref(&new)).await {
            Ok(Some(r)) => Some(keep_planned::<K>(&planned, K::state(sid, &r, &planned))),
            Ok(None) => Some(planned),
            Err(e) if e.is_unreadable_success() => Some(planned),
            Err(e) => {
                diags.push(api_diag(format!("Cannot set the {} of trunk {sid}", K::NOUN), &e));
                None
            }
        }
    }

    /// Imports a fixed-key item by its trunk SID.
    async fn import_fixed(&self, ctx: &Ctx, sid: &str, key: &str, diags: &mut Diagnostics) -> Option<K::Model> {
        if sid.is_empty() || sid.contains('/') || crate::validate::path_id("trunk_sid", sid).is_err() {
            diags.push(Diagnostic::error(
                "Invalid import ID",
                format!("{} is imported by its trunk SID; got {sid:?}.", K::TYPE_NAME),
            ));
            return None;
        }
        let summary = format!("Cannot import {}", K::NOUN);
        let gone = |diags: &mut Diagnostics| {
            diags.push(Diagnostic::error(&summary, format!("Trunk {sid:?} does not exist.")));
            None
        };
        match handle::<K>(&ctx.client, sid).list_if_served(false).await {
            Ok(Routed::Done(Some(items))) => match items.get(key).filter(|r| K::present(r)) {
                Some(r) => Some(K::state(sid, r, &defaults::<K>())),
                None => {
                    diags.push(Diagnostic::error(&summary, format!("Trunk {sid} has no {} set.", K::NOUN)));
                    None
                }
            },
            Ok(Routed::Done(None)) => gone(diags),
            // The API cannot say what it holds: the ids only; the plan then
            // records the configured values in place.
            Ok(Routed::NoRoute) => match ctx.client.trunk(sid).exists().await {
                Ok(true) => Some(fixed_state::<K>(sid, defaults::<K>())),
                Ok(false) => gone(diags),
                Err(e) => {
                    diags.push(api_diag(format!("{summary} (trunk {sid})"), &e));
                    None
                }
            },
            Err(e) => {
                diags.push(api_diag(format!("{summary} (trunk {sid})"), &e));
                None
            }
        }
    }
}

#[async_trait]
impl<K: ItemKind> TypedResource for CollectionResource<K> {
    type Ctx = Ctx;
    type Model = K::Model;
    const TYPE_NAME: &'static str = K::TYPE_NAME;
    const IDENTITY: &'static [&'static str] = K::KEYING.identity();

    fn schema(&self) -> Schema {
        K::schema()
    }

    fn validate(&self, config: &K::Model, diags: &mut Diagnostics) {
        if let Some(sid) = config.str_attr("trunk_sid")
            && let Err(e) = crate::validate::trunk_sid("trunk_sid", sid)
        {
            diags.push(Diagnostic::error("Invalid trunk_sid", e).at("trunk_sid"));
        }
        K::validate(config, diags)
    }

    fn plan(
        &self,
        _ctx: &PlanCtx,
        prior: Option<&K::Model>,
        planned: K::Model,
        _config: &K::Model,
        diags: &mut Diagnostics,
    ) -> K::Model {
        K::plan(prior, &planned, diags);
        // A fixed-key item's id is its trunk's SID, known with it.
        match (K::KEYING, planned.str_attr("id"), planned.str_attr("trunk_sid").map(str::to_string)) {
            (Keying::Fixed(_), None, Some(sid)) => with_attr::<K>(planned, "id", Value::String(sid)),
            _ => planned,
        }
    }

    /// The check's request is the listing the create sends first anyway
    /// (its never-twice snapshot), so an apply waits for nothing extra.
    async fn ready_to_create(&self, ctx: &Ctx, planned: K::Model) -> Ready {
        let sid = planned.str_attr("trunk_sid").map(str::to_string);
        let Some(sid) = sid.filter(|_| K::KEYING == Keying::Assigned) else { return ctx.ready().await };
        ctx.check(Some(Box::pin(async move {
            match handle::<K>(&ctx.client, &sid).snapshot().await {
                // A success answer this provider cannot read still proves the
                // credentials; the create reports what it must.
                Err(e) if e.is_unreadable_success() => Ok(()),
                r => r.map(drop),
            }
        })))
        .await
    }

    async fn create(&self, ctx: &Ctx, planned: K::Model, diags: &mut Diagnostics) -> Option<K::Model> {
        let (sid, new) = match (planned.str_attr("trunk_sid"), K::new_item(&planned)) {
            (Some(sid), Some(new)) => (sid.to_string(), new),
            _ => {
                diags.push(Diagnostic::error(
                    format!("Cannot create {}", K::NOUN),
                    "Its arguments must be known at apply time.",
                ));
                return None;
            }
        };
        if let Keying::Fixed(_) = K::KEYING {
            return operation(self.upsert(ctx, &sid, new, planned, diags)).await;
        }
        let what = K::describe(&planned);
        let creation = NewItem::<K> { items: handle::<K>(&ctx.client, &sid), new, what };
        let created = operation(super::create::create(&ctx.client, &creation, diags)).await?;
        let state = keep_planned::<K>(&planned, K::state(&sid, &created, &planned));
        let Some(held) = K::held_after_create(&state, &created, diags) else { return Some(state) };
        // An in-place field the POST does not set: set it now.
        let mut sent = Diagnostics::default();
        match self.send_change(ctx, &held, &state, &mut sent).await {
            Sent::Done => Some(state),
            // Re-creating cannot help (it would only loop): the configured
            // values are recorded with a warning; Read then reports what the
            // API holds, and the next plan shows the honest update.
            Sent::NoRoute => {
                for d in sent.0 {
                    diags.push(Diagnostic {
                        severity: crate::tf::diag::Severity::Warning,
                        summary: format!("{} created, but Exotel could not {}", capitalise(K::NOUN), K::UPDATE),
                        ..d
                    });
                }
                Some(state)
            }
            Sent::Failed => {
                diags.0.extend(sent.0);
                Some(held)
            }
        }
    }

    async fn update(&self, ctx: &Ctx, prior: K::Model, planned: K::Model, diags: &mut Diagnostics) -> Option<K::Model> {
        if let Keying::Fixed(_) = K::KEYING {
            let (Some(sid), Some(new)) = (planned.str_attr("trunk_sid").map(str::to_string), K::new_item(&planned))
            else {
                diags.push(missing_ids(K::TYPE_NAME, "trunk_sid"));
                return Some(prior);
            };
            let set = operation(self.upsert(ctx, &sid, new, planned, diags)).await;
            return Some(set.unwrap_or(prior));
        }
        match operation(self.send_change(ctx, &prior, &planned, diags)).await {
            Sent::Done => Some(planned),
            Sent::NoRoute | Sent::Failed => Some(prior),
        }
    }

    async fn delete(&self, ctx: &Ctx, prior: K::Model, diags: &mut Diagnostics) {
        match ids_of::<K>(&prior) {
            Ok((sid, id)) => operation(delete::<K>(&ctx.client, &sid, &id, &K::describe(&prior), diags)).await,
            Err(d) => diags.push(d),
        }
    }

    async fn read(&self, ctx: &Ctx, current: K::Model, diags: &mut Diagnostics) -> Refreshed<K::Model> {
        let (sid, id) = match ids_of::<K>(&current) {
            Ok(ids) => ids,
            Err(d) => {
                diags.push(d);
                return Refreshed::Failed;
            }
        };
        let cannot = || format!("Cannot read {} {id} of trunk {sid}", K::NOUN);
        match handle::<K>(&ctx.client, &sid).list_if_served(false).await {
            Ok(Routed::Done(Some(items))) => match (items.get(&id).filter(|r| K::present(r)), items.unreadable_id(&id))
            {
                (Some(r), _) => Refreshed::Present(K::state(&sid, r, &current)),
                (None, Some(u)) => {
                    diags.push(unreadable_diag::<K>(&cannot(), u));
                    Refreshed::Failed
                }
                (None, None) => Refreshed::Gone,
            },
            Ok(Routed::Done(None)) => Refreshed::Gone,
            // This API cannot list the collection: the state is kept while
            // the trunk exists.
            Ok(Routed::NoRoute) => match ctx.client.trunk(&sid).exists().await {
                Ok(true) => Refreshed::Present(current),
                Ok(false) => Refreshed::Gone,
                Err(e) => {
                    diags.push(api_diag(cannot(), &e));
                    Refreshed::Failed
                }
            },
            Err(e) => {
                diags.push(api_diag(cannot(), &e));
                Refreshed::Failed
            }
        }
    }

    /// State from an older schema version: an optional attribute added since
    /// (null there) held the API's default, which its schema states.
    fn upgrade(&self, _from: i64, state: K::Model) -> K::Model {
        with_defaults::<K>(state, false)
    }

    fn list_schema(&self) -> Option<Schema> {
        if K::KEYING != Keying::Assigned {
            return None;
        }
        Some(Schema {
            version: 0,
            description: K::LIST_DESCRIPTION,
            attributes: vec![Attribute::new(
                "trunk_sid",
                Type::String,
                Mode::Required,
                "SID of the trunk whose items to list.",
            )],
            blocks: vec![],
        })
    }

    async fn list(&self, ctx: &Ctx, config: &Value, diags: &mut Diagnostics) -> Vec<(String, K::Model)> {
        let Some(sid) = config.get("trunk_sid").as_str().filter(|s| !s.is_empty()).map(str::to_owned) else {
            diags.push(
                Diagnostic::error("Missing trunk_sid", "Set trunk_sid in the list block's config.").at("trunk_sid"),
            );
            return vec![];
        };
        if let Err(e) = crate::validate::path_id("trunk_sid", &sid) {
            diags.push(Diagnostic::error("Invalid trunk_sid", e).at("trunk_sid"));
            return vec![];
        }
        let summary = format!("Cannot list {}s", K::NOUN);
        let Some(items) = listed::<K>(&ctx.client, &sid, true, &summary, diags).await else { return vec![] };
        let base = defaults::<K>();
        items
            .items()
            .iter()
            .map(|r| {
                let m = K::state(&sid, r, &base);
                (K::describe(&m), m)
            })
            .collect()
    }

    async fn import(&self, ctx: &Ctx, id: &str, diags: &mut Diagnostics) -> Option<K::Model> {
        if let Keying::Fixed(key) = K::KEYING {
            return self.import_fixed(ctx, id, key, diags).await;
        }
        let (sid, key) = super::common::split_import(K::TYPE_NAME, id, K::IMPORT_FORMS, diags)?;
        let summary = format!("Cannot import {}", K::NOUN);
        let items = listed::<K>(&ctx.client, sid, false, &summary, diags).await?;
        let kind = K::key_kind(key);
        let hits: Vec<&K::Record> = items.items().iter().filter(|r| K::import_key(key, r)).collect();
        match hits.as_slice() {
            [one] => Some(K::state(sid, one, &defaults::<K>())),
            [] if items.unreadable_id(key).is_some() => {
                let u = items.unreadable_id(key).expect("checked");
                diags.push(unreadable_diag::<K>(&summary, u));
                None
            }
            [] => {
                diags.push(Diagnostic::error(
                    summary,
                    format!("Trunk {sid} has no {} with {kind} {:?}.", K::NOUN, K::import_value(key)),
                ));
                None
            }
            many => {
                let base = defaults::<K>();
                let list: Vec<String> =
                    many.iter().map(|r| format!("id {} ({})", r.key(), display::<K>(r, &base))).collect();
                diags.push(Diagnostic::error(
                    "Ambiguous import ID",
                    format!(
                        "{key} matches several {}s on trunk {sid}: {}. Import one by id, e.g. \"{sid}/{}\".",
                        K::NOUN,
                        list.join(", "),
                        many[0].key()
                    ),
                ));
                None
            }
        }
    }
}

/// The trunk's items, or `None` with a diagnostic under `summary`: the trunk
/// does not exist, or the API failed.
async fn listed<K: ItemKind>(
    client: &Client,
    sid: &str,
    fresh: bool,
    summary: &str,
    diags: &mut Diagnostics,
) -> Option<std::sync::Arc<crate::api::client::Indexed<K::Record>>> {
    match handle::<K>(client, sid).list(fresh).await {
        Ok(Some(items)) => Some(items),
        Ok(None) => {
            diags.push(Diagnostic::error(summary, format!("Trunk {sid:?} does not exist.")));
            None
        }
        Err(e) => {
            diags.push(api_diag(format!("{summary} (trunk {sid})"), &e));
            None
        }
    }
}

/// Deletes one item by the one confirmed-delete algorithm
/// ([`crate::api::delete`]): a fresh listing after the DELETE decides,
/// absent = deleted. Still listed:
/// - the API has no DELETE route (every attempt answered 404/405, learned
///   once per run): the item is removed from state with a warning naming it
///   and how to remove it, since a per-item resource cannot tell a removal
///   from a whole-trunk destroy (whose trunk DELETE removes everything);
/// - any other answer (success, a 404 claiming it is not found, one odd
///   proxy page, a failure): a failed delete, tried again, then an error.
pub(crate) async fn delete<K: ItemKind>(client: &Client, sid: &str, id: &str, what: &str, diags: &mut Diagnostics) {
    let items = handle::<K>(client, sid);
    let noun = K::NOUN;
    let out = items.delete_confirmed(vec![id.to_string()]).await;
    if !out.no_route.is_empty() {
        return left_in_exotel(noun, sid, id, what, diags);
    }
    let subject = format!("The {noun} {what} (id {id}) on trunk {sid}");
    deletion_diags(&out, "delete", &format!("{noun} {what}"), &subject, diags);
}

/// The error for a record this provider cannot model, for the resource that owns it.
fn unreadable_diag<K: ItemKind>(summary: &str, u: &crate::api::client::Unreadable) -> Diagnostic {
    Diagnostic::error(
        summary,
        format!(
            "Exotel holds this {} in a form this provider cannot model ({}): {}. Change or remove it in the Exotel dashboard; an authoritative set resource for the trunk would remove it.",
            K::NOUN,
            u.reason,
            u.text()
        ),
    )
}

/// The warning for an item this API cannot delete.
fn left_in_exotel(noun: &str, sid: &str, id: &str, what: &str, diags: &mut Diagnostics) {
    diags.push(Diagnostic::warning(
        format!("{} left in Exotel", capitalise(noun)),
        format!(
            "The {noun} {what} (id {id}) on trunk {sid} was removed from Terraform state, but this Exotel API has no route to delete it (every attempt answered 404/405). It stays active in Exotel until removed there: delete it in the Exotel dashboard, or destroy the whole trunk (exotel_trunk), which removes everything on it."
        ),
    ));
}

/// Creating one item (see [`super::create`]).
struct NewItem<'a, K: ItemKind> {
    items: Items<'a, K::Record>,
    new: <K::Record as ItemRecord>::New,
    /// e.g. `203.0.113.10/32`
    what: String,
}

impl<K: ItemKind> Creation<K::Record> for NewItem<'_, K> {
    fn noun(&self) -> &'static str {
        K::NOUN
    }
    fn what(&self) -> String {
        format!("{} {} on trunk {}", K::NOUN, self.what, self.items.trunk_sid())
    }
    fn id_of(&self, item: &K::Record) -> String {
        item.key().to_string()
    }
    async fn snapshot(&self) -> Snapshot<K::Record> {
        match self.items.snapshot().await {
            Ok(Some(held)) => Snapshot::Known {
                same: held.items().iter().find(|r| K::matches(&self.new, r)).cloned(),
                held: Box::new(move |id| held.holds(id)),
            },
            Ok(None) => Snapshot::TrunkGone,
            Err(e) => Snapshot::Unavailable(format!("listing what the trunk held failed: {e}")),
        }
    }
    async fn post(&self) -> Result<Option<K::Record>, ApiError> {
        self.items.create(std::slice::from_ref(&self.new)).await
    }
    async fn find(&self) -> Lookup<K::Record> {
        match self.items.list(true).await {
            Ok(Some(items)) => {
                items.items().iter().find(|r| K::matches(&self.new, r)).cloned().map_or(Lookup::Absent, Lookup::Found)
            }
            Ok(None) => Lookup::TrunkGone,
            Err(e) => Lookup::Unknown(format!("Listing to check failed too: {e}")),
        }
    }
    fn no_route(&self) -> String {
        K::no_create_route(self.items.trunk_sid())
    }
    fn import_command(&self, existing: Option<&K::Record>) -> String {
        let id = existing.map_or("<id>", |r| r.key());
        format!("terraform import {}.<name> {}/{id}", K::TYPE_NAME, self.items.trunk_sid())
    }
}
