//! `exotel_trunk_alias`: the trunk's external caller-ID alias (the setting
//! `trunk_external_alias`).
//!
//! Create and update `POST /trunks/<sid>/settings` (setting it again is
//! harmless, so it may be retried); read `GET /settings` where the API has
//! it, otherwise keep state but still notice a deleted trunk; delete
//! `DELETE /settings?name=trunk_external_alias` where available.

use super::common::{api_diag, check, deletion_diags};
use crate::api;
use crate::api::delete::{Presence, delete_confirmed};
use crate::api::routes::{ALIAS_SETTING, AliasState as Current};
use crate::exotel::{Ctx, PlanCtx};
use crate::provider::resource::{Refreshed, TypedResource, missing_ids};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use crate::validate;
use async_trait::async_trait;

// ------------------------------------------------------------------ model

crate::tf::model::tf_model! {
    pub struct TrunkAlias {
        id: String,
        trunk_sid: String,
        alias: String,
    }
}

pub(crate) struct AliasResource;

async fn current(ctx: &Ctx, sid: &str) -> Result<Current, api::ApiError> {
    ctx.client.trunk(sid).alias().await
}

#[async_trait]
impl TypedResource for AliasResource {
    type Ctx = Ctx;
    type Model = TrunkAlias;
    const TYPE_NAME: &'static str = "exotel_trunk_alias";
    const IDENTITY: &'static [&'static str] = &["trunk_sid"];

    // ------------------------------------------------------------------ schema

    fn schema(&self) -> Schema {
        use Mode::*;
        Schema {
            version: 0,
            description: "The trunk's external caller-ID alias (Exotel setting `trunk_external_alias`): the one number Exotel presents as caller ID on the trunk's outbound calls, normally one of its mapped numbers (`exotel_trunk_phone_number`). Optional; one per trunk; changing it updates the setting in place.",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The trunk SID (one alias per trunk)."),
                Attribute::new("trunk_sid", Type::String, Required, "SID of the trunk.").forces_replacement(),
                Attribute::new(
                    "alias",
                    Type::String,
                    Required,
                    "Caller ID to present, in E.164 format (e.g. `+919876543210`). Changing it is an in-place update.",
                ),
            ],
            blocks: vec![],
        }
    }

    // ------------------------------------------------------------------ validation

    fn validate(&self, c: &TrunkAlias, diags: &mut Diagnostics) {
        check(diags, "trunk_sid", &c.trunk_sid, |v| validate::trunk_sid("trunk_sid", v));
        check(diags, "alias", &c.alias, |v| validate::e164("alias", v));
    }

    // ------------------------------------------------------------------ plan

    fn plan(
        &self,
        _ctx: &PlanCtx,
        _prior: Option<&TrunkAlias>,
        mut planned: TrunkAlias,
        _c: &TrunkAlias,
        _d: &mut Diagnostics,
    ) -> TrunkAlias {
        // One alias per trunk: its id is the trunk SID, known at plan time.
        if planned.id.is_unknown() {
            planned.id = planned.trunk_sid.clone();
        }
        planned
    }

    // ------------------------------------------------------------------ CRUD

    async fn create(&self, ctx: &Ctx, planned: TrunkAlias, diags: &mut Diagnostics) -> Option<TrunkAlias> {
        let (Some(sid), Some(alias)) = (planned.trunk_sid.as_deref(), planned.alias.as_deref()) else {
            diags.push(Diagnostic::error("Cannot set alias", "trunk_sid and alias must be known at apply time."));
            return None;
        };
        match ctx.client.trunk(sid).set_alias(alias).await {
            Ok(()) => Some(TrunkAlias { id: sid.to_string().into(), ..planned.clone() }),
            Err(e) => {
                diags.push(api_diag(format!("Cannot set the alias of trunk {sid}"), &e));
                None
            }
        }
    }

    async fn update(
        &self,
        ctx: &Ctx,
        _prior: TrunkAlias,
        planned: TrunkAlias,
        diags: &mut Diagnostics,
    ) -> Option<TrunkAlias> {
        self.create(ctx, planned, diags).await
    }

    async fn delete(&self, ctx: &Ctx, prior: TrunkAlias, diags: &mut Diagnostics) {
        let Some(sid) = prior.trunk_sid.as_deref() else { return };
        let client = &ctx.client;
        // The one confirmed-delete algorithm: reading the settings after the
        // DELETE decides; an API that cannot read them leaves it to the
        // DELETE's own answer.
        let look = || async move {
            Ok(match current(ctx, sid).await? {
                Current::Set(_) => Presence::Held([ALIAS_SETTING.to_string()].into()),
                Current::NotSet => Presence::Held(Default::default()),
                Current::TrunkGone => Presence::ParentGone,
                Current::Unreadable => Presence::Unknown,
            })
        };
        let send = |_: String| async move { client.trunk(sid).clear_alias().await };
        let out = delete_confirmed(client, vec![ALIAS_SETTING.to_string()], send, look).await;
        if !out.no_route.is_empty() {
            return diags.push(Diagnostic::warning(
                "Caller-ID alias left in Exotel",
                format!(
                    "The alias {} of trunk {sid} was removed from Terraform state, but this Exotel API has no route to clear it (every attempt answered 404/405), so the trunk keeps presenting it. Clear it in the Exotel dashboard, or destroy the trunk.",
                    prior.alias.as_deref().unwrap_or("?")
                ),
            ));
        }
        let subject = format!("The caller-ID alias of trunk {sid}");
        deletion_diags(&out, "clear", &format!("the caller-ID alias of trunk {sid}"), &subject, diags);
    }

    async fn read(&self, ctx: &Ctx, current_state: TrunkAlias, diags: &mut Diagnostics) -> Refreshed<TrunkAlias> {
        let Some(sid) = current_state.trunk_sid.as_deref().map(str::to_owned) else {
            diags.push(missing_ids(Self::TYPE_NAME, "trunk_sid"));
            return Refreshed::Failed;
        };
        match current(ctx, &sid).await {
            Ok(Current::Set(a)) => Refreshed::Present(TrunkAlias { alias: a.into(), id: sid.into(), ..current_state }),
            Ok(Current::Unreadable) => Refreshed::Present(current_state),
            Ok(Current::NotSet | Current::TrunkGone) => Refreshed::Gone,
            Err(e) => {
                diags.push(api_diag(format!("Cannot read the alias of trunk {sid}"), &e));
                Refreshed::Failed
            }
        }
    }

    // ------------------------------------------------------------------ import

    async fn import(&self, ctx: &Ctx, id: &str, diags: &mut Diagnostics) -> Option<TrunkAlias> {
        if id.is_empty() || id.contains('/') || validate::path_id("trunk_sid", id).is_err() {
            diags.push(Diagnostic::error(
                "Invalid import ID",
                format!("exotel_trunk_alias is imported by its trunk SID; got {id:?}."),
            ));
            return None;
        }
        let base = TrunkAlias { id: id.to_string().into(), trunk_sid: id.to_string().into(), alias: Attr::Null };
        match current(ctx, id).await {
            Ok(Current::Set(a)) => Some(TrunkAlias { alias: a.into(), ..base }),
            Ok(Current::Unreadable) => Some(base),
            Ok(Current::NotSet) => {
                diags.push(Diagnostic::error("Cannot import alias", format!("Trunk {id} has no caller-ID alias set.")));
                None
            }
            Ok(Current::TrunkGone) => {
                diags.push(Diagnostic::error("Cannot import alias", format!("Trunk {id:?} does not exist.")));
                None
            }
            Err(e) => {
                diags.push(api_diag(format!("Cannot import the alias of trunk {id}"), &e));
                None
            }
        }
    }
}
