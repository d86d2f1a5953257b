//! Authoritative sets: one resource owns a whole collection of a trunk (its
//! whitelisted IPs, phone numbers or destinations), so that nothing added
//! outside Terraform goes unnoticed.
//!
//! A kind of set is a small [`SetKind`]: its model and schema, how a
//! configured element and an API record are keyed, and the requests that add
//! or change one. [`SetResource`] writes the rest once:
//!
//! - **Read** puts everything the API holds into state (an item added outside
//!   Terraform shows as a removal in the next plan), keeping the configured
//!   spelling of each element and, where the API holds a default, what state
//!   had (null or the explicit default).
//! - **Apply** lists, computes the differences and sends only those: adds
//!   first (one POST where the API takes a list), then in-place changes, then
//!   removals; then lists again to confirm, and repeats (bounded) after an
//!   ambiguous failure. The resource owns its collection, so nothing is
//!   "adopted": a new listing simply re-computes the differences.
//! - **Delete** removes every item the state holds, confirmed by a listing.
//! - Where the API has no DELETE route, a removal cannot happen: an update
//!   fails naming what is still active (state records what the API holds, so
//!   the next plan shows the removal again); a destroy warns.

use super::common::{api_diag, capitalise, deletion_diags};
use crate::api::client::{Indexed, Keyed, Unreadable, operation};
use crate::api::routes::{ItemRecord, Items, Routed};
use crate::api::{ApiError, Client};
use crate::exotel::{Ctx, PlanCtx};
use crate::provider::resource::{Refreshed, TypedResource, missing_ids};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Model;
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use crate::tf::value::Value;
use async_trait::async_trait;
use std::collections::{BTreeMap, HashSet};
use std::marker::PhantomData;
use std::sync::Arc;

/// What one authoritative set resource states.
pub(crate) trait SetKind: Sized + Send + Sync + 'static {
    type Model: Model + Default + Send + Sync + Clone + std::fmt::Debug + 'static;
    type Record: ItemRecord;
    /// One element as configured.
    type Elem: Clone + PartialEq + Send + Sync + std::fmt::Debug;
    const TYPE_NAME: &'static str;
    /// Whether one POST takes several new items.
    const BATCH_CREATE: bool = false;

    fn schema() -> Schema;
    /// Checks a configuration beyond the schema (`trunk_sid` and duplicate
    /// keys are checked for every kind).
    fn validate(config: &Self::Model, diags: &mut Diagnostics);
    /// The configured elements; `None` while any of them is unknown.
    fn elems(m: &Self::Model) -> Option<Vec<Self::Elem>>;
    /// A state holding `elems` on trunk `sid`.
    fn model(sid: &str, elems: Vec<Self::Elem>) -> Self::Model;
    /// The identity of an element (equal keys = the same item in Exotel).
    fn key(e: &Self::Elem) -> String;
    /// The element in words, for messages.
    fn describe(e: &Self::Elem) -> String;
    /// A held record as an element; `like` is the state's element of the
    /// same key (its spelling and null defaults are kept).
    fn elem(r: &Self::Record, like: Option<&Self::Elem>) -> Self::Elem;
    /// The create request for an element.
    fn new_item(e: &Self::Elem) -> <Self::Record as ItemRecord>::New;
    /// A listed record this provider cannot model, as an element of state
    /// (its raw text): never configured, so the plan removes it.
    fn unreadable_elem(u: &Unreadable) -> Self::Elem;
    /// The in-place change from what is held to what is wanted.
    fn change(_held: &Self::Elem, _want: &Self::Elem) -> Option<<Self::Record as ItemRecord>::Change> {
        None
    }
}

/// The resource for one [`SetKind`].
pub(crate) struct SetResource<K>(PhantomData<fn() -> K>);

impl<K> Default for SetResource<K> {
    fn default() -> Self {
        SetResource(PhantomData)
    }
}

fn items<'a, K: SetKind>(client: &'a Client, sid: &'a str) -> Items<'a, K::Record> {
    client.trunk(sid).items::<K::Record>()
}

/// The held records as elements, keyed, with the state's spelling kept;
/// records this provider cannot model (with an id) as their raw text, so
/// that they are shown, and removed, like anything else not configured.
fn held_elems<K: SetKind>(held: &Indexed<K::Record>, like: &[K::Elem]) -> Vec<(K::Elem, String)> {
    let by_key: BTreeMap<String, &K::Elem> = like.iter().map(|e| (K::key(e), e)).collect();
    let readable = held.items().iter().map(|r| {
        let plain = K::elem(r, None);
        (K::elem(r, by_key.get(&K::key(&plain)).copied()), r.key().to_string())
    });
    let unreadable = held.unreadable().iter().filter_map(|u| Some((K::unreadable_elem(u), u.id.clone()?)));
    readable.chain(unreadable).collect()
}

/// The state: what the API holds, in the configuration's spelling.
fn state_of<K: SetKind>(sid: &str, held: &Indexed<K::Record>, like: &[K::Elem]) -> K::Model {
    K::model(sid, held_elems::<K>(held, like).into_iter().map(|(e, _)| e).collect())
}

fn list_error<K: SetKind>(sid: &str, e: &ApiError) -> Diagnostic {
    api_diag(format!("Cannot list the {}s of trunk {sid}", K::Record::NOUN), e)
}

fn trunk_gone(sid: &str) -> Diagnostic {
    Diagnostic::error("Trunk not found", format!("Trunk {sid:?} does not exist."))
}

async fn fresh<K: SetKind>(client: &Client, sid: &str) -> Result<Arc<Indexed<K::Record>>, Diagnostic> {
    match items::<K>(client, sid).list(true).await {
        Ok(Some(held)) => Ok(held),
        Ok(None) => Err(trunk_gone(sid)),
        Err(e) => Err(list_error::<K>(sid, &e)),
    }
}

/// Makes the API hold exactly `want`. Returns the state (what the API holds
/// at the end), or `None` when not even that could be learned.
async fn reconcile<K: SetKind>(
    client: &Client,
    sid: &str,
    want: &[K::Elem],
    creating: bool,
    diags: &mut Diagnostics,
) -> Option<K::Model> {
    let handle = items::<K>(client, sid);
    let noun = K::Record::NOUN;
    let wanted: BTreeMap<String, &K::Elem> = want.iter().map(|e| (K::key(e), e)).collect();
    let rounds = client.max_retries() + 1;
    let mut removed: Vec<String> = vec![];
    let mut unremovable: HashSet<String> = HashSet::new();
    let mut last_failure: Option<String> = None;
    let mut held = match fresh::<K>(client, sid).await {
        Ok(h) => h,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    for round in 1..=rounds {
        let current = held_elems::<K>(&held, want);
        let held_keys: HashSet<String> = current.iter().map(|(e, _)| K::key(e)).collect();
        let adds: Vec<&K::Elem> = want.iter().filter(|e| !held_keys.contains(&K::key(e))).collect();
        let changes: Vec<(String, <K::Record as ItemRecord>::Change, String)> = current
            .iter()
            .filter_map(|(e, id)| {
                let w = wanted.get(&K::key(e))?;
                K::change(e, w).map(|c| (id.clone(), c, K::describe(w)))
            })
            .collect();
        let removes: Vec<(String, String)> = current
            .iter()
            .filter(|(e, _)| !wanted.contains_key(&K::key(e)))
            .map(|(e, id)| (id.clone(), K::describe(e)))
            .filter(|(_, what)| !unremovable.contains(what))
            .collect();
        if adds.is_empty() && changes.is_empty() && removes.is_empty() {
            break;
        }
        if round > 1 {
            tracing::warn!(type_name = K::TYPE_NAME, round, "differences remain after the last round; trying again");
            if client.stopping() || !client.backoff_sleep(round - 1).await {
                diags.push(Diagnostic::error(
                    format!("Cannot finish the {noun}s of trunk {sid}"),
                    "Terraform asked the provider to stop; state records what Exotel holds now.",
                ));
                break;
            }
        }
        let mut fatal = false;
        // An operation spent its whole budget on 429s: start no other.
        let mut throttled = false;
        // Adds first: a destination or number that stays is never missing meanwhile.
        let batches: Vec<Vec<&K::Elem>> =
            if K::BATCH_CREATE && !adds.is_empty() { vec![adds] } else { adds.into_iter().map(|a| vec![a]).collect() };
        for batch in batches {
            let news: Vec<_> = batch.iter().map(|e| K::new_item(e)).collect();
            let what: Vec<String> = batch.iter().map(|e| K::describe(e)).collect();
            match operation(handle.create(&news)).await {
                Ok(_) => {}
                // Its budget spent on 429s: no other operation is started.
                Err(e) if e.is_throttled() => {
                    diags.push(api_diag(format!("Cannot add {noun} {} to trunk {sid}", what.join(", ")), &e));
                    (fatal, throttled) = (true, true);
                    break;
                }
                Err(e) if e.is_cancelled() => {
                    diags.push(api_diag(format!("Cannot add {noun} {}", what.join(", ")), &e));
                    fatal = true;
                    break;
                }
                Err(e) if e.is_definite_refusal() && !e.is_conflict() => {
                    diags.push(api_diag(format!("Cannot add {noun} {} to trunk {sid}", what.join(", ")), &e));
                    fatal = true;
                }
                // Ambiguous, or "already exists": the next listing tells.
                Err(e) => last_failure = Some(e.to_string()),
            }
        }
        for (id, change, what) in changes {
            if throttled {
                break;
            }
            match operation(handle.update(&id, &change)).await {
                Ok(Routed::Done(())) => {}
                Ok(Routed::NoRoute) => {
                    diags.push(Diagnostic::error(
                        format!("Cannot change {noun} {what}"),
                        format!(
                            "This Exotel API has no PUT /trunks/<sid>/{}/<id> route (every attempt answered 404/405), so {noun} {what} keeps the settings Exotel holds (state shows them). Configure those values, or change them in the Exotel dashboard.",
                            K::Record::SEGMENT
                        ),
                    ));
                    fatal = true;
                }
                Err(e) => {
                    diags.push(api_diag(format!("Cannot change {noun} {what}"), &e));
                    fatal = true;
                    throttled |= e.is_throttled();
                }
            }
        }
        let mut sent_deletes = vec![];
        for (id, what) in removes {
            if throttled {
                break;
            }
            match operation(handle.delete(&id)).await {
                Ok(Routed::Done(())) => {
                    removed.push(what);
                    sent_deletes.push(id);
                }
                Ok(Routed::NoRoute) => {
                    unremovable.insert(what);
                }
                Err(e) if e.is_cancelled() => {
                    fatal = true;
                    break;
                }
                Err(e) if e.is_throttled() => {
                    diags.push(api_diag(format!("Cannot remove {noun} {what} from trunk {sid}"), &e));
                    fatal = true;
                    break;
                }
                Err(e) => {
                    last_failure = Some(e.to_string());
                    sent_deletes.push(id);
                }
            }
        }
        held = match fresh::<K>(client, sid).await {
            Ok(h) => h,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        for id in sent_deletes.iter().filter(|id| !held.holds(id)) {
            handle.confirmed_deleted(id);
        }
        if fatal {
            break;
        }
    }
    // What the API holds now decides what is left to report.
    let now = held_elems::<K>(&held, want);
    let now_keys: HashSet<String> = now.iter().map(|(e, _)| K::key(e)).collect();
    let extra: Vec<String> =
        now.iter().filter(|(e, _)| !wanted.contains_key(&K::key(e))).map(|(e, _)| K::describe(e)).collect();
    let missing: Vec<String> = want.iter().filter(|e| !now_keys.contains(&K::key(e))).map(K::describe).collect();
    let removed: Vec<String> = removed.into_iter().filter(|w| !extra.contains(w)).collect();
    if creating && !removed.is_empty() {
        diags.push(Diagnostic::warning(
            format!("{}s removed from trunk {sid}", capitalise(noun)),
            format!(
                "{} now holds exactly the configured set, so it removed what was there before: {}. Import the resource first (terraform import {}.<name> {sid}) to see such removals in the plan before they happen.",
                K::TYPE_NAME,
                removed.join(", "),
                K::TYPE_NAME
            ),
        ));
    }
    if !extra.is_empty() && !diags.has_errors() {
        let why = if unremovable.is_empty() {
            format!("the last attempt: {}", last_failure.clone().unwrap_or_else(|| "still listed".into()))
        } else {
            "this Exotel API has no route to delete them (every attempt answered 404/405)".to_string()
        };
        diags.push(Diagnostic::error(
            format!("{}s still active on trunk {sid}", capitalise(noun)),
            format!(
                "These {noun}s are not in the configuration but are still active in Exotel ({why}): {}. Remove them in the Exotel dashboard (or destroy the trunk, which removes everything on it); until then every plan shows their removal again.",
                extra.join(", ")
            ),
        ));
    }
    if !missing.is_empty() && !diags.has_errors() {
        diags.push(Diagnostic::error(
            format!("Cannot add {noun}s to trunk {sid}"),
            format!(
                "After {rounds} attempts Exotel still does not hold: {}{}. Run apply again.",
                missing.join(", "),
                last_failure.map(|l| format!(" (last failure: {l})")).unwrap_or_default()
            ),
        ));
    }
    Some(state_of::<K>(sid, &held, want))
}

#[async_trait]
impl<K: SetKind> TypedResource for SetResource<K> {
    type Ctx = Ctx;
    type Model = K::Model;
    const TYPE_NAME: &'static str = K::TYPE_NAME;
    const IDENTITY: &'static [&'static str] = &["trunk_sid"];

    fn schema(&self) -> Schema {
        K::schema()
    }

    fn validate(&self, config: &K::Model, diags: &mut Diagnostics) {
        if let Some(sid) = config.str_attr("trunk_sid")
            && let Err(e) = crate::validate::trunk_sid("trunk_sid", sid)
        {
            diags.push(Diagnostic::error("Invalid trunk_sid", e).at("trunk_sid"));
        }
        K::validate(config, diags);
        if let Some(elems) = K::elems(config) {
            let mut seen = BTreeMap::new();
            for e in &elems {
                if let Some(first) = seen.insert(K::key(e), K::describe(e)) {
                    diags.push(Diagnostic::error(
                        format!("Duplicate {}", K::Record::NOUN),
                        format!("{first} and {} name the same {} ; keep one of them.", K::describe(e), K::Record::NOUN)
                            .replace(" ;", ";"),
                    ));
                }
            }
        }
    }

    fn plan(
        &self,
        _ctx: &PlanCtx,
        _prior: Option<&K::Model>,
        planned: K::Model,
        _config: &K::Model,
        _diags: &mut Diagnostics,
    ) -> K::Model {
        // The id is the trunk SID, known as soon as the trunk is.
        let mut v = planned.to_value();
        if let (Value::Map(m), Some(sid)) = (&mut v, planned.str_attr("trunk_sid")) {
            m.insert("id".into(), Value::String(sid.to_string()));
        }
        K::Model::from_value(&v).unwrap_or(planned)
    }

    async fn create(&self, ctx: &Ctx, planned: K::Model, diags: &mut Diagnostics) -> Option<K::Model> {
        let (Some(sid), Some(want)) = (planned.str_attr("trunk_sid"), K::elems(&planned)) else {
            diags.push(Diagnostic::error(
                format!("Cannot create {}", K::TYPE_NAME),
                "trunk_sid and every element must be known at apply time.",
            ));
            return None;
        };
        let state = reconcile::<K>(&ctx.client, sid, &want, true, diags).await?;
        Some(state)
    }

    async fn update(&self, ctx: &Ctx, prior: K::Model, planned: K::Model, diags: &mut Diagnostics) -> Option<K::Model> {
        let (Some(sid), Some(want)) = (planned.str_attr("trunk_sid"), K::elems(&planned)) else {
            diags.push(Diagnostic::error(
                format!("Cannot update {}", K::TYPE_NAME),
                "trunk_sid and every element must be known at apply time.",
            ));
            return Some(prior);
        };
        Some(reconcile::<K>(&ctx.client, sid, &want, false, diags).await.unwrap_or(prior))
    }

    async fn delete(&self, ctx: &Ctx, prior: K::Model, diags: &mut Diagnostics) {
        let Some(sid) = prior.str_attr("trunk_sid") else {
            return diags.push(missing_ids(K::TYPE_NAME, "trunk_sid"));
        };
        let ours: HashSet<String> = K::elems(&prior).unwrap_or_default().iter().map(K::key).collect();
        let client = &ctx.client;
        let handle = items::<K>(client, sid);
        let noun = K::Record::NOUN;
        // What of ours the trunk holds now: the targets, by id.
        let held = match handle.list(true).await {
            Ok(Some(h)) => h,
            Ok(None) => return, // the trunk is gone, and everything on it
            Err(e) => return diags.push(list_error::<K>(sid, &e)),
        };
        let targets: BTreeMap<String, String> = held_elems::<K>(&held, &[])
            .into_iter()
            .filter(|(e, _)| ours.contains(&K::key(e)))
            .map(|(e, id)| (id, K::describe(&e)))
            .collect();
        if targets.is_empty() {
            return;
        }
        let out = handle.delete_confirmed(targets.keys().cloned().collect()).await;
        let named =
            |ids: &[String]| ids.iter().filter_map(|id| targets.get(id).cloned()).collect::<Vec<_>>().join(", ");
        if !out.no_route.is_empty() {
            diags.push(Diagnostic::warning(
                format!("{}s left in Exotel", capitalise(noun)),
                format!(
                    "{} was removed from Terraform state, but this Exotel API has no route to delete its items (every attempt answered 404/405), so these stay active on trunk {sid} until removed in the Exotel dashboard (or by destroying the trunk, which removes everything on it): {}.",
                    K::TYPE_NAME,
                    named(&out.no_route)
                ),
            ));
        }
        let subject = format!("Each of these {noun}s of trunk {sid} ({})", named(&out.remaining));
        deletion_diags(&out, "delete", &format!("the {noun}s of trunk {sid}"), &subject, diags);
    }

    async fn read(&self, ctx: &Ctx, current: K::Model, diags: &mut Diagnostics) -> Refreshed<K::Model> {
        let Some(sid) = current.str_attr("trunk_sid") else {
            diags.push(missing_ids(K::TYPE_NAME, "trunk_sid"));
            return Refreshed::Failed;
        };
        match items::<K>(&ctx.client, sid).list(false).await {
            Ok(Some(held)) => Refreshed::Present(state_of::<K>(sid, &held, &K::elems(&current).unwrap_or_default())),
            Ok(None) => Refreshed::Gone,
            Err(e) => {
                diags.push(list_error::<K>(sid, &e));
                Refreshed::Failed
            }
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str, diags: &mut Diagnostics) -> Option<K::Model> {
        if id.is_empty() || id.contains('/') || crate::validate::path_id("trunk_sid", id).is_err() {
            diags.push(Diagnostic::error(
                "Invalid import ID",
                format!("{} is imported by its trunk SID; got {id:?}.", K::TYPE_NAME),
            ));
            return None;
        }
        match fresh::<K>(&ctx.client, id).await {
            Ok(held) => Some(state_of::<K>(id, &held, &[])),
            Err(d) => {
                diags.push(d);
                None
            }
        }
    }

    fn list_schema(&self) -> Option<Schema> {
        Some(Schema {
            version: 0,
            description: "Lists the whole collection of one trunk (one result).",
            attributes: vec![Attribute::new("trunk_sid", Type::String, Mode::Required, "SID of the trunk.")],
            blocks: vec![],
        })
    }

    async fn list(&self, ctx: &Ctx, config: &Value, diags: &mut Diagnostics) -> Vec<(String, K::Model)> {
        let Some(sid) = config.get("trunk_sid").as_str().filter(|s| !s.is_empty()) else {
            diags.push(
                Diagnostic::error("Missing trunk_sid", "Set trunk_sid in the list block's config.").at("trunk_sid"),
            );
            return vec![];
        };
        self.import(ctx, sid, diags).await.map(|m| vec![(sid.to_string(), m)]).unwrap_or_default()
    }
}

/// The `trunk_sid` and `id` attributes every set resource has.
pub(crate) fn trunk_attributes() -> [Attribute; 2] {
    [
        Attribute::new("id", Type::String, Mode::Computed, "The trunk SID (one set per trunk and collection)."),
        Attribute::new(
            "trunk_sid",
            Type::String,
            Mode::Required,
            "SID of the trunk whose collection this resource owns.",
        )
        .forces_replacement(),
    ]
}
