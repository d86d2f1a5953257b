//! `exotel_trunk_phone_number`: a phone number (DID / ExoPhone) mapped to a trunk.
//!
//! Create `POST /trunks/<sid>/phone-numbers`; read by listing (cached per
//! run); delete `DELETE ...?id=` then confirm by listing. Both arguments
//! force replacement.

use super::collection::{self, Coll, Found};
use super::common::{api_diag, check};
use crate::api::types::PhoneNumber;
use crate::provider::resource::{Ctx, Refreshed, TypedResource, missing_ids};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use crate::validate;
use async_trait::async_trait;
use serde_json::json;

// ------------------------------------------------------------------ model

crate::tf_model! {
    pub struct PhoneNumberMapping {
        id: String,
        trunk_sid: String,
        phone_number: String,
        mode: String,
        date_created: String,
    }
}

/// `pstn` (the API's null) or `flow` (Voice AI / StreamKit).
pub const MODES: &[&str] = &["pstn", "flow"];
pub const DEFAULT_MODE: &str = "pstn";

fn api_mode(p: &PhoneNumber) -> String {
    p.mode.clone().filter(|m| !m.is_empty()).unwrap_or_else(|| DEFAULT_MODE.to_string())
}

impl PhoneNumberMapping {
    fn from_api(trunk_sid: &str, p: &PhoneNumber) -> Self {
        PhoneNumberMapping {
            id: p.id.clone().into(),
            trunk_sid: trunk_sid.to_string().into(),
            phone_number: p.phone_number.clone().into(),
            mode: api_mode(p).into(),
            date_created: p.date_created.clone().into(),
        }
    }
}

pub struct PhoneNumberResource;

#[async_trait]
impl TypedResource for PhoneNumberResource {
    type Model = PhoneNumberMapping;
    const TYPE_NAME: &'static str = "exotel_trunk_phone_number";
    const IDENTITY: &'static [&'static str] = &["trunk_sid", "id"];

    // ------------------------------------------------------------------ schema

    fn schema(&self) -> Schema {
        use Mode::*;
        Schema {
            version: 1,
            description: "Maps a phone number (DID / ExoPhone) to a trunk. For termination it is the outbound caller ID; for origination it is the number customers dial.",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The mapping id Exotel assigned (always a string)."),
                Attribute::new("trunk_sid", Type::String, Required, "SID of the trunk to map the number to.")
                    .forces_replacement(),
                Attribute::new(
                    "phone_number",
                    Type::String,
                    Required,
                    "The phone number in E.164 format: `+` and 8 to 15 digits, e.g. `+919876543210`.",
                )
                .forces_replacement(),
                Attribute::new(
                    "mode",
                    Type::String,
                    OptionalComputed,
                    "How calls to the number are handled: `pstn` (the trunk) or `flow` (an Exotel Voice AI / StreamKit flow). Changing it, or removing it (back to the default), is an in-place update.",
                )
                .default_str(DEFAULT_MODE),
                Attribute::new(
                    "date_created",
                    Type::String,
                    Computed,
                    "When the mapping was created (as reported by Exotel).",
                ),
            ],
        }
    }

    // ------------------------------------------------------------------ validation

    fn validate(&self, c: &PhoneNumberMapping, diags: &mut Diagnostics) {
        check(diags, "trunk_sid", &c.trunk_sid, |v| validate::trunk_sid("trunk_sid", v));
        check(diags, "phone_number", &c.phone_number, |v| validate::e164("phone_number", v));
        if let Some(m) = c.mode.as_deref()
            && !MODES.contains(&m)
        {
            diags.push(
                Diagnostic::error("Invalid mode", format!("mode must be \"pstn\" or \"flow\", got {m:?}.")).at("mode"),
            );
        }
    }

    // ------------------------------------------------------------------ CRUD

    async fn create(
        &self,
        ctx: &Ctx,
        planned: PhoneNumberMapping,
        diags: &mut Diagnostics,
    ) -> Option<PhoneNumberMapping> {
        let (Some(sid), Some(number)) = (planned.trunk_sid.known().cloned(), planned.phone_number.known().cloned())
        else {
            diags.push(Diagnostic::error(
                "Cannot map phone number",
                "trunk_sid and phone_number must be known at apply time.",
            ));
            return None;
        };
        let n2 = number.clone();
        let matches = move |p: &PhoneNumber| p.phone_number == n2;
        let mode = planned.mode.as_deref().unwrap_or(DEFAULT_MODE).to_string();
        let mut body = json!({ "phone_number": number });
        if mode != DEFAULT_MODE {
            body["mode"] = json!(mode);
        }
        let created = collection::create::<PhoneNumber>(
            collection::NewItem {
                client: &ctx.client,
                trunk_sid: &sid,
                coll: Coll::PhoneNumbers,
                body,
                what: number.clone(),
                matches: &matches,
            },
            diags,
        )
        .await?;
        let created_mode = api_mode(&created);
        let state = PhoneNumberMapping {
            id: created.id.clone().into(),
            date_created: created.date_created.clone().into(),
            ..planned
        };
        if created.mode.is_none() && mode != DEFAULT_MODE {
            // The answer does not show a mode at all: this API may not know
            // `mode`. Not an error (that would taint the mapping and loop);
            // Read reports what the API holds, so the next plan shows it.
            diags.push(
                Diagnostic::warning(
                    "Exotel did not confirm the mode",
                    format!(
                        "{number} was mapped to trunk {sid}, but Exotel's answer does not show its mode, so mode = {mode:?} is not confirmed. If this API does not support modes, the next plan shows the mapping as {DEFAULT_MODE:?}; then set mode = {DEFAULT_MODE:?} (or remove it) in the configuration."
                    ),
                )
                .at("mode"),
            );
            return Some(state);
        }
        if created_mode != mode {
            // The API ignored the mode in the POST: set it with PUT.
            let prior = PhoneNumberMapping { mode: created_mode.into(), ..state.clone() };
            return self.update(ctx, prior, state, diags).await;
        }
        Some(state)
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: PhoneNumberMapping,
        planned: PhoneNumberMapping,
        diags: &mut Diagnostics,
    ) -> Option<PhoneNumberMapping> {
        if prior.mode == planned.mode {
            return Some(planned);
        }
        let (Some(sid), Some(id), Some(number), Some(mode)) = (
            planned.trunk_sid.as_deref(),
            planned.id.as_deref(),
            planned.phone_number.as_deref(),
            planned.mode.as_deref(),
        ) else {
            diags.push(Diagnostic::error("Cannot change mode", "trunk_sid, id, phone_number and mode must be known."));
            return Some(prior);
        };
        let path = format!("/trunks/{}/phone-numbers/{}", super::common::path_seg(sid), super::common::path_seg(id));
        match ctx.client.put(&path, json!({ "phone_number": number, "mode": mode })).await {
            Ok(_) => {
                ctx.client.invalidate(&Coll::PhoneNumbers.path(sid));
                Some(planned)
            }
            Err(e) if e.is_route_missing() => {
                let held = prior.mode.as_deref().unwrap_or(DEFAULT_MODE);
                diags.push(
                    Diagnostic::error(
                        "Cannot change the mode of a phone number",
                        format!(
                            "This Exotel API has no PUT /trunks/<sid>/phone-numbers/<id> route ({e}), so the mode of {number} stays {held:?}. Set mode = {held:?} in the configuration{}, or change the mode in the Exotel dashboard.",
                            if held == DEFAULT_MODE { " (or remove the mode line)" } else { "" }
                        ),
                    )
                    .at("mode"),
                );
                Some(prior)
            }
            Err(e) => {
                diags.push(api_diag(format!("Cannot change the mode of {number}"), &e).at("mode"));
                Some(prior)
            }
        }
    }

    async fn delete(&self, ctx: &Ctx, prior: PhoneNumberMapping, diags: &mut Diagnostics) {
        let (Some(sid), Some(id)) = (prior.trunk_sid.as_deref(), prior.id.as_deref()) else { return };
        let what = prior.phone_number.as_deref().unwrap_or("");
        collection::delete::<PhoneNumber>(&ctx.client, sid, Coll::PhoneNumbers, id, what, diags).await;
    }

    async fn read(
        &self,
        ctx: &Ctx,
        current: PhoneNumberMapping,
        diags: &mut Diagnostics,
    ) -> Refreshed<PhoneNumberMapping> {
        let (Some(sid), Some(id)) =
            (current.trunk_sid.as_deref().map(str::to_owned), current.id.as_deref().map(str::to_owned))
        else {
            diags.push(missing_ids(Self::TYPE_NAME, "trunk_sid or id"));
            return Refreshed::Failed;
        };
        match collection::find::<PhoneNumber>(&ctx.client, &sid, Coll::PhoneNumbers, &id).await {
            Ok(Found::Item(p)) => Refreshed::Present(PhoneNumberMapping {
                phone_number: p.phone_number.clone().into(),
                mode: api_mode(&p).into(),
                date_created: p.date_created.clone().map(Attr::Known).unwrap_or(current.date_created),
                ..current
            }),
            Ok(Found::Gone) => Refreshed::Gone,
            Err(e) => {
                diags.push(api_diag(format!("Cannot read phone number mapping {id} of trunk {sid}"), &e));
                Refreshed::Failed
            }
        }
    }

    fn upgrade(&self, from: i64, mut state: PhoneNumberMapping) -> PhoneNumberMapping {
        // v0 had no `mode`: every mapping was a PSTN mapping.
        if from < 1 && state.mode.is_null() {
            state.mode = DEFAULT_MODE.to_string().into();
        }
        state
    }

    // ------------------------------------------------------------------ list

    fn list_schema(&self) -> Option<Schema> {
        Some(collection::list_schema(Coll::PhoneNumbers))
    }

    async fn list(
        &self,
        ctx: &Ctx,
        config: &crate::tf::value::Value,
        diags: &mut Diagnostics,
    ) -> Vec<(String, PhoneNumberMapping)> {
        let Some((sid, items)) =
            collection::list_for_query::<PhoneNumber>(&ctx.client, config, Coll::PhoneNumbers, diags).await
        else {
            return vec![];
        };
        items.iter().map(|p| (p.phone_number.clone(), PhoneNumberMapping::from_api(&sid, p))).collect()
    }

    // ------------------------------------------------------------------ import

    async fn import(&self, ctx: &Ctx, id: &str, diags: &mut Diagnostics) -> Option<PhoneNumberMapping> {
        let (sid, key) = super::common::split_import(
            Self::TYPE_NAME,
            id,
            "\"<trunk_sid>/<mapping id>\" or \"<trunk_sid>/<+E.164 number>\"",
            diags,
        )?;
        let items = collection::items_or_diag::<PhoneNumber>(
            &ctx.client,
            sid,
            Coll::PhoneNumbers,
            false,
            "Cannot import phone number mapping",
            diags,
        )
        .await?;
        let by_number = key.starts_with('+');
        match items.iter().find(|p| if by_number { p.phone_number == key } else { p.id == key }) {
            Some(p) => Some(PhoneNumberMapping::from_api(sid, p)),
            None => {
                diags.push(Diagnostic::error(
                    "Cannot import phone number mapping",
                    format!(
                        "Trunk {sid} has no phone number mapping with {} {key:?}.",
                        if by_number { "number" } else { "id" }
                    ),
                ));
                None
            }
        }
    }
}
