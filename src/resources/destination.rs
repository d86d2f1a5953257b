//! `exotel_trunk_destination`: a SIP destination that receives a trunk's
//! inbound calls (origination).
//!
//! The user writes `<host>:<port>;transport=<tls|tcp>` (a leading `sip:` is
//! accepted); the API answers `sip:<...>`. `destination` always keeps the
//! user's spelling; the API's form is the computed `uri`. Equivalent
//! spellings are never a diff.

use super::collection::{self, Coll, Found};
use super::common::{api_diag, check};
use crate::api::types::Destination;
use crate::provider::resource::{Ctx, PlanCtx, Refreshed, TypedResource, missing_ids};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use crate::validate;
use async_trait::async_trait;
use serde_json::json;

// ------------------------------------------------------------------ model

crate::tf_model! {
    pub struct DestinationUri {
        id: String,
        trunk_sid: String,
        destination: String,
        uri: String,
        priority: i64,
        weight: i64,
        date_created: String,
    }
}

pub const DEFAULT_PRIORITY: i64 = 0;
pub const DEFAULT_WEIGHT: i64 = 1;

/// The API's `sip:` form of whatever it returned.
fn api_uri(d: &Destination) -> String {
    if d.destination.starts_with("sip:") { d.destination.clone() } else { format!("sip:{}", d.destination) }
}

/// Two destination values that name the same place.
fn same_destination_value(a: &crate::tf::value::Value, b: &crate::tf::value::Value) -> bool {
    matches!((a.as_str(), b.as_str()), (Some(x), Some(y)) if validate::same_destination(x, y))
}

/// The contract's request form: no `sip:`.
fn bare(s: &str) -> &str {
    s.strip_prefix("sip:").unwrap_or(s)
}

impl DestinationUri {
    fn from_api(trunk_sid: &str, d: &Destination) -> Self {
        DestinationUri {
            id: d.id.clone().into(),
            trunk_sid: trunk_sid.to_string().into(),
            destination: bare(&d.destination).to_string().into(),
            uri: api_uri(d).into(),
            priority: d.priority.unwrap_or(DEFAULT_PRIORITY).into(),
            weight: d.weight.unwrap_or(DEFAULT_WEIGHT).into(),
            date_created: d.date_created.clone().into(),
        }
    }
}

pub struct DestinationResource;

#[async_trait]
impl TypedResource for DestinationResource {
    type Model = DestinationUri;
    const TYPE_NAME: &'static str = "exotel_trunk_destination";
    const IDENTITY: &'static [&'static str] = &["trunk_sid", "id"];

    // ------------------------------------------------------------------ schema

    fn schema(&self) -> Schema {
        use Mode::*;
        Schema {
            version: 1,
            description: "A SIP destination that receives the trunk's inbound calls (origination). Use `transport=tls` in production; `tcp` is unencrypted.",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The destination id Exotel assigned."),
                Attribute::new("trunk_sid", Type::String, Required, "SID of the trunk.").forces_replacement(),
                Attribute::new("destination", Type::String, Required, "Where to send calls: `<IPv4 or DNS name>:<port>;transport=<tls|tcp>`, e.g. `203.0.113.10:5061;transport=tls`. A leading `sip:` is accepted and kept as written; spellings that mean the same (with or without `sip:`) are not a change.").forces_replacement().same_when(same_destination_value),
                Attribute::new("uri", Type::String, Computed, "The destination as Exotel reports it (`sip:<host>:<port>;transport=<...>`)."),
                Attribute::new("priority", Type::Number, OptionalComputed, "Order in which destinations are tried; lower first. Changing it, or removing it (back to the default), is an in-place update.").default_int(DEFAULT_PRIORITY),
                Attribute::new("weight", Type::Number, OptionalComputed, "Share of calls among destinations of the same priority. Changing it, or removing it (back to the default), is an in-place update.").default_int(DEFAULT_WEIGHT),
                Attribute::new("date_created", Type::String, Computed, "When the destination was created (as reported by Exotel)."),
            ],
        }
    }

    // ------------------------------------------------------------------ validation

    fn validate(&self, c: &DestinationUri, diags: &mut Diagnostics) {
        check(diags, "trunk_sid", &c.trunk_sid, |v| validate::trunk_sid("trunk_sid", v));
        check(diags, "destination", &c.destination, |v| validate::destination(v).map(drop));
        for (name, v) in [("priority", &c.priority), ("weight", &c.weight)] {
            if let Some(n) = v.known()
                && !(0..=65535).contains(n)
            {
                diags.push(
                    Diagnostic::error(
                        format!("Invalid {name}"),
                        format!("{name} must be between 0 and 65535, got {n}."),
                    )
                    .at(name),
                );
            }
        }
    }

    // ------------------------------------------------------------------ plan

    fn plan(
        &self,
        _ctx: &PlanCtx,
        prior: Option<&DestinationUri>,
        planned: DestinationUri,
        _config: &DestinationUri,
        diags: &mut Diagnostics,
    ) -> DestinationUri {
        if prior.is_none()
            && let Some(d) = planned.destination.as_deref().and_then(|d| validate::destination(d).ok())
            && d.transport == "tcp"
        {
            diags.push(
                Diagnostic::warning(
                    "Unencrypted SIP destination",
                    format!(
                        "{} uses transport=tcp: calls and their signalling travel unencrypted. TLS (transport=tls, usually port 5061) is recommended for production.",
                        d.bare()
                    ),
                )
                .at("destination"),
            );
        }
        planned
    }

    // ------------------------------------------------------------------ CRUD

    async fn create(&self, ctx: &Ctx, planned: DestinationUri, diags: &mut Diagnostics) -> Option<DestinationUri> {
        let (Some(sid), Some(dest)) = (planned.trunk_sid.known().cloned(), planned.destination.known().cloned()) else {
            diags.push(Diagnostic::error(
                "Cannot add destination",
                "trunk_sid and destination must be known at apply time.",
            ));
            return None;
        };
        let d2 = dest.clone();
        let matches = move |d: &Destination| validate::same_destination(&d.destination, &d2);
        let created = collection::create::<Destination>(
            collection::NewItem {
                client: &ctx.client,
                trunk_sid: &sid,
                coll: Coll::Destinations,
                body: json!({ "destinations": [ { "destination": bare(&dest) } ] }),
                what: bare(&dest).to_string(),
                matches: &matches,
            },
            diags,
        )
        .await?;
        let state = DestinationUri {
            id: created.id.clone().into(),
            uri: api_uri(&created).into(),
            date_created: created.date_created.clone().into(),
            ..planned
        };
        let held = DestinationUri {
            priority: created.priority.unwrap_or(DEFAULT_PRIORITY).into(),
            weight: created.weight.unwrap_or(DEFAULT_WEIGHT).into(),
            ..state.clone()
        };
        if held.priority == state.priority && held.weight == state.weight {
            return Some(state);
        }
        // A non-default priority or weight is set by a PUT right after the POST;
        // if that fails, state records what the API holds.
        self.update(ctx, held, state, diags).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: DestinationUri,
        planned: DestinationUri,
        diags: &mut Diagnostics,
    ) -> Option<DestinationUri> {
        if prior.priority == planned.priority && prior.weight == planned.weight {
            // Only the spelling of `destination` changed (e.g. a `sip:` prefix): nothing to send.
            return Some(planned);
        }
        let (Some(sid), Some(id), Some(priority), Some(weight)) =
            (planned.trunk_sid.as_deref(), planned.id.as_deref(), planned.priority.known(), planned.weight.known())
        else {
            diags.push(Diagnostic::error(
                "Cannot update destination",
                "trunk_sid, id, priority and weight must be known.",
            ));
            return Some(prior);
        };
        let path = format!("/trunks/{}/destination-uris/{}", super::common::path_seg(sid), super::common::path_seg(id));
        let what = planned.destination.as_deref().map(bare).unwrap_or("").to_string();
        match ctx.client.put(&path, json!({ "priority": priority, "weight": weight })).await {
            Ok(_) => {
                ctx.client.invalidate(&Coll::Destinations.path(sid));
                Some(planned)
            }
            Err(e) if e.is_route_missing() => {
                diags.push(Diagnostic::error(
                    "Cannot set the priority and weight of a destination",
                    format!(
                        "This Exotel API has no PUT /trunks/<sid>/destination-uris/<id> route ({e}), so destination {what} keeps priority {} and weight {}.",
                        prior.priority.known().copied().unwrap_or(DEFAULT_PRIORITY),
                        prior.weight.known().copied().unwrap_or(DEFAULT_WEIGHT)
                    ),
                ));
                Some(prior)
            }
            Err(e) => {
                diags.push(api_diag(format!("Cannot set the priority and weight of destination {what}"), &e));
                Some(prior)
            }
        }
    }

    async fn delete(&self, ctx: &Ctx, prior: DestinationUri, diags: &mut Diagnostics) {
        let (Some(sid), Some(id)) = (prior.trunk_sid.as_deref(), prior.id.as_deref()) else { return };
        let what = prior.destination.as_deref().map(bare).unwrap_or("");
        collection::delete::<Destination>(&ctx.client, sid, Coll::Destinations, id, what, diags).await;
    }

    async fn read(&self, ctx: &Ctx, current: DestinationUri, diags: &mut Diagnostics) -> Refreshed<DestinationUri> {
        let (Some(sid), Some(id)) =
            (current.trunk_sid.as_deref().map(str::to_owned), current.id.as_deref().map(str::to_owned))
        else {
            diags.push(missing_ids(Self::TYPE_NAME, "trunk_sid or id"));
            return Refreshed::Failed;
        };
        match collection::find::<Destination>(&ctx.client, &sid, Coll::Destinations, &id).await {
            Ok(Found::Item(d)) => {
                let destination = match current.destination.as_deref() {
                    Some(cur) if validate::same_destination(cur, &d.destination) => current.destination.clone(),
                    // Changed outside Terraform: show the API's value in the user's style.
                    Some(cur) if cur.starts_with("sip:") => api_uri(&d).into(),
                    _ => bare(&d.destination).to_string().into(),
                };
                Refreshed::Present(DestinationUri {
                    destination,
                    uri: api_uri(&d).into(),
                    priority: d.priority.map(Attr::Known).unwrap_or(current.priority),
                    weight: d.weight.map(Attr::Known).unwrap_or(current.weight),
                    date_created: d.date_created.clone().map(Attr::Known).unwrap_or(current.date_created),
                    ..current
                })
            }
            Ok(Found::Gone) => Refreshed::Gone,
            Err(e) => {
                diags.push(api_diag(format!("Cannot read destination {id} of trunk {sid}"), &e));
                Refreshed::Failed
            }
        }
    }

    fn upgrade(&self, from: i64, mut state: DestinationUri) -> DestinationUri {
        // v0 had no `priority` / `weight`: the API's defaults applied.
        if from < 1 {
            if state.priority.is_null() {
                state.priority = DEFAULT_PRIORITY.into();
            }
            if state.weight.is_null() {
                state.weight = DEFAULT_WEIGHT.into();
            }
        }
        state
    }

    // ------------------------------------------------------------------ list

    fn list_schema(&self) -> Option<Schema> {
        Some(collection::list_schema(Coll::Destinations))
    }

    async fn list(
        &self,
        ctx: &Ctx,
        config: &crate::tf::value::Value,
        diags: &mut Diagnostics,
    ) -> Vec<(String, DestinationUri)> {
        let Some((sid, items)) =
            collection::list_for_query::<Destination>(&ctx.client, config, Coll::Destinations, diags).await
        else {
            return vec![];
        };
        items.iter().map(|d| (bare(&d.destination).to_string(), DestinationUri::from_api(&sid, d))).collect()
    }

    // ------------------------------------------------------------------ import

    async fn import(&self, ctx: &Ctx, id: &str, diags: &mut Diagnostics) -> Option<DestinationUri> {
        let (sid, key) = super::common::split_import(Self::TYPE_NAME, id, "\"<trunk_sid>/<id>\"", diags)?;
        let items = collection::items_or_diag::<Destination>(
            &ctx.client,
            sid,
            Coll::Destinations,
            false,
            "Cannot import destination",
            diags,
        )
        .await?;
        match items.iter().find(|d| d.id == key) {
            Some(d) => Some(DestinationUri::from_api(sid, d)),
            None => {
                diags.push(Diagnostic::error(
                    "Cannot import destination",
                    format!("Trunk {sid} has no destination with id {key:?}."),
                ));
                None
            }
        }
    }
}
