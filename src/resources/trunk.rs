//! `exotel_trunk`: a vSIP trunk.
//!
//! Create `POST /trunks`; read `GET /trunks?trunk_sid=` where the API has it,
//! else existence through the contract's `GET /trunks/<sid>/phone-numbers`;
//! delete `DELETE /trunks?trunk_sid=`. No in-place API update: every
//! configurable attribute forces replacement, except that values missing from
//! state (an import from an API that cannot return them) are recorded in place.

use super::common::{api_diag, check, deletion_diags};
use super::create::{Lookup, Snapshot};
use crate::api;
use crate::api::delete::{Presence, delete_confirmed};
use crate::api::routes::{NewTrunk as NewTrunkRequest, Routed, TrunkLookup};
use crate::exotel::{Ctx, PlanCtx};
use crate::provider::resource::{Ready, Refreshed, TypedResource, missing_ids};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use crate::validate;
use async_trait::async_trait;

// ------------------------------------------------------------------ model

crate::tf::model::tf_model! {
    pub struct Trunk {
        id: String,
        trunk_sid: String,
        trunk_name: String,
        nso_code: String,
        domain_name: String,
        date_created: String,
        date_updated: String,
    }
}

pub(crate) const DEFAULT_NSO_CODE: &str = "ANY-ANY";

/// `<account_sid>.pstn.exotel.com`
pub(crate) fn default_domain(account_sid: &str) -> String {
    format!("{account_sid}.pstn.exotel.com")
}

impl Trunk {
    pub(crate) fn from_api(t: &api::types::Trunk) -> Trunk {
        Trunk {
            id: t.trunk_sid.clone().into(),
            trunk_sid: t.trunk_sid.clone().into(),
            trunk_name: t.trunk_name.clone().into(),
            nso_code: t.nso_code.clone().into(),
            domain_name: t.domain_name.clone().into(),
            date_created: t.date_created.clone().into(),
            date_updated: t.date_updated.clone().into(),
        }
    }
}

pub(crate) struct TrunkResource;

#[async_trait]
impl TypedResource for TrunkResource {
    type Ctx = Ctx;
    type Model = Trunk;
    const TYPE_NAME: &'static str = "exotel_trunk";
    const IDENTITY: &'static [&'static str] = &["trunk_sid"];

    // ------------------------------------------------------------------ schema

    fn schema(&self) -> Schema {
        use Mode::*;
        Schema {
            version: 0,
            description: "A vSIP trunk: the virtual connection between your PBX or contact centre and Exotel's PSTN gateway. Phone numbers, whitelisted IPs, destinations and the caller-ID alias hang off it.",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The trunk SID (same as `trunk_sid`)."),
                Attribute::new("trunk_sid", Type::String, Computed, "The trunk SID Exotel assigned; use it in the trunk's sub-resources."),
                Attribute::new("trunk_name", Type::String, Required, "Unique trunk name: 1 to 16 characters of letters, digits and underscore.").forces_replacement(),
                Attribute::new("nso_code", Type::String, OptionalComputed, "Network Service Operator code. Leaving it out keeps the current value (`ANY-ANY` on create); setting a different value replaces the trunk.").default_str(DEFAULT_NSO_CODE).keep_prior_when_unset().forces_replacement(),
                Attribute::new("domain_name", Type::String, OptionalComputed, "SIP domain of the trunk. Leaving it out keeps the current value (`<account_sid>.pstn.exotel.com` on create); setting a different value replaces the trunk.").keep_prior_when_unset().forces_replacement(),
                Attribute::new("date_created", Type::String, Computed, "When the trunk was created (as reported by Exotel)."),
                Attribute::new("date_updated", Type::String, Computed, "When the trunk was last updated (as reported by Exotel)."),
            ],
            blocks: vec![],
        }
    }

    // ------------------------------------------------------------------ validation

    fn validate(&self, c: &Trunk, diags: &mut Diagnostics) {
        check(diags, "trunk_name", &c.trunk_name, validate::trunk_name);
        check(diags, "nso_code", &c.nso_code, |v| validate::non_empty("nso_code", v));
        check(diags, "domain_name", &c.domain_name, |v| validate::dns_name("domain_name", v));
    }

    // ------------------------------------------------------------------ plan

    fn plan(
        &self,
        ctx: &PlanCtx,
        _prior: Option<&Trunk>,
        mut planned: Trunk,
        _config: &Trunk,
        _d: &mut Diagnostics,
    ) -> Trunk {
        // The default domain depends on the account: known when it is.
        if planned.domain_name.is_unknown()
            && let Some(sid) = &ctx.account_sid
        {
            planned.domain_name = default_domain(sid).into();
        }
        planned
    }

    // ------------------------------------------------------------------ CRUD

    /// The check's request is the trunk listing the create sends first anyway.
    async fn ready_to_create(&self, ctx: &Ctx, _planned: Trunk) -> Ready {
        ctx.check(Some(Box::pin(async move { ctx.client.trunks().snapshot().await.map(drop) }))).await
    }

    async fn create(&self, ctx: &Ctx, planned: Trunk, diags: &mut Diagnostics) -> Option<Trunk> {
        let (Some(name), Some(nso), Some(domain)) =
            (planned.trunk_name.as_deref(), planned.nso_code.as_deref(), planned.domain_name.as_deref())
        else {
            diags.push(Diagnostic::error(
                "Cannot create trunk",
                "trunk_name, nso_code and domain_name must be known at apply time.",
            ));
            return None;
        };
        let request = NewTrunkRequest {
            trunk_name: name.to_string(),
            nso_code: nso.to_string(),
            domain_name: domain.to_string(),
        };
        let new = NewTrunk { ctx, request, name };
        let t = super::create::create(&ctx.client, &new, diags).await?;
        Some(merge_created(&planned, &t))
    }

    async fn update(&self, _ctx: &Ctx, _prior: Trunk, planned: Trunk, diags: &mut Diagnostics) -> Option<Trunk> {
        // Only reachable when recording values missing from state: nothing to send.
        if !planned.id.is_known() {
            diags.push(Diagnostic::error("Cannot update trunk", "The trunk SID is not known; this is a provider bug."));
            return None;
        }
        Some(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: Trunk, diags: &mut Diagnostics) {
        let Some(sid) = prior.trunk_sid.as_deref().or(prior.id.as_deref()) else { return };
        let client = &ctx.client;
        // The one confirmed-delete algorithm: a lookup after the DELETE
        // decides, not its answer.
        let look = || async move {
            Ok(match client.trunks().lookup(sid).await? {
                TrunkLookup::Gone => Presence::Held(Default::default()),
                TrunkLookup::Found(_) | TrunkLookup::Exists => Presence::Held([sid.to_string()].into()),
            })
        };
        let send = |sid: String| async move { client.trunks().delete(&sid).await.map(Routed::Done) };
        let out = delete_confirmed(client, vec![sid.to_string()], send, look).await;
        deletion_diags(&out, "delete", &format!("trunk {sid}"), &format!("Trunk {sid}"), diags);
    }

    async fn read(&self, ctx: &Ctx, current: Trunk, diags: &mut Diagnostics) -> Refreshed<Trunk> {
        let Some(sid) = current.trunk_sid.as_deref().or(current.id.as_deref()).map(str::to_owned) else {
            diags.push(missing_ids(Self::TYPE_NAME, "trunk_sid"));
            return Refreshed::Failed;
        };
        match ctx.client.trunks().lookup(&sid).await {
            Ok(TrunkLookup::Found(t)) => Refreshed::Present(refresh(current, &t)),
            Ok(TrunkLookup::Exists) => Refreshed::Present(current),
            Ok(TrunkLookup::Gone) => {
                tracing::info!(trunk_sid = %sid, "trunk is gone; removing it from state");
                Refreshed::Gone
            }
            Err(e) => {
                diags.push(api_diag(format!("Cannot read trunk {sid}"), &e));
                Refreshed::Failed
            }
        }
    }

    // ------------------------------------------------------------------ list

    fn list_schema(&self) -> Option<Schema> {
        Some(Schema {
            version: 0,
            description: "Lists every trunk of the account (needs an API with `GET /trunks`).",
            attributes: vec![],
            blocks: vec![],
        })
    }

    async fn list(
        &self,
        ctx: &Ctx,
        _config: &crate::tf::value::Value,
        diags: &mut Diagnostics,
    ) -> Vec<(String, Trunk)> {
        match list_all(ctx).await {
            Ok(trunks) => trunks
                .iter()
                .map(|t| (t.trunk_name.clone().unwrap_or_else(|| t.trunk_sid.clone()), Trunk::from_api(t)))
                .collect(),
            Err(d) => {
                diags.push(d);
                vec![]
            }
        }
    }

    // ------------------------------------------------------------------ import

    async fn import(&self, ctx: &Ctx, id: &str, diags: &mut Diagnostics) -> Option<Trunk> {
        if id.is_empty()
            || id.contains('/')
            || id.contains(char::is_whitespace)
            || validate::path_id("trunk_sid", id).is_err()
        {
            diags.push(Diagnostic::error(
                "Invalid import ID",
                format!("exotel_trunk is imported by its trunk SID, e.g. `terraform import exotel_trunk.main <trunk_sid>`; got {id:?}."),
            ));
            return None;
        }
        match ctx.client.trunks().lookup(id).await {
            Ok(TrunkLookup::Found(t)) => Some(Trunk::from_api(&t)),
            Ok(TrunkLookup::Exists) => {
                diags.push(Diagnostic::warning(
                    "Trunk imported without its settings",
                    format!(
                        "This Exotel API cannot return a trunk's fields (it has no GET /trunks), so trunk_name, nso_code and domain_name could not be checked against Exotel for trunk {id}. The next apply records the configured values as they are, without changing anything in Exotel; make sure they match the trunk."
                    ),
                ));
                Some(Trunk { id: id.to_string().into(), trunk_sid: id.to_string().into(), ..Default::default() })
            }
            Ok(TrunkLookup::Gone) => {
                diags.push(Diagnostic::error(
                    "Cannot import trunk",
                    format!("No trunk with SID {id:?} exists in this Exotel account."),
                ));
                None
            }
            Err(e) => {
                diags.push(api_diag(format!("Cannot import trunk {id}"), &e));
                None
            }
        }
    }
}

/// Creating a trunk: POST, and finding it again by name through `GET /trunks`
/// where the API has it (see [`super::create`]).
struct NewTrunk<'a> {
    ctx: &'a Ctx,
    request: NewTrunkRequest,
    name: &'a str,
}

impl super::create::Creation<api::types::Trunk> for NewTrunk<'_> {
    fn noun(&self) -> &'static str {
        "trunk"
    }
    fn what(&self) -> String {
        format!("trunk {:?}", self.name)
    }
    fn id_of(&self, t: &api::types::Trunk) -> String {
        t.trunk_sid.clone()
    }
    async fn snapshot(&self) -> Snapshot<api::types::Trunk> {
        match self.ctx.client.trunks().snapshot().await {
            Ok(Routed::Done(held)) => Snapshot::Known {
                same: held.items().iter().find(|t| t.trunk_name.as_deref() == Some(self.name)).cloned(),
                held: Box::new(move |sid| held.holds(sid)),
            },
            Ok(Routed::NoRoute) => Snapshot::Unavailable(NO_TRUNK_LISTING.into()),
            Err(e) => Snapshot::Unavailable(format!("listing trunks failed: {e}")),
        }
    }
    async fn post(&self) -> Result<Option<api::types::Trunk>, api::ApiError> {
        self.ctx.client.trunks().create(&self.request).await
    }
    async fn find(&self) -> Lookup<api::types::Trunk> {
        match self.ctx.client.trunks().list(None).await {
            Ok(Routed::Done(trunks)) => trunks
                .into_iter()
                .find(|t| t.trunk_name.as_deref() == Some(self.name))
                .map_or(Lookup::Absent, Lookup::Found),
            Ok(Routed::NoRoute) => Lookup::Unknown(format!(
                "This Exotel API cannot list trunks to check; look for a trunk named {:?} in the Exotel dashboard",
                self.name
            )),
            Err(e) => Lookup::Unknown(format!(
                "Listing trunks to check failed too ({e}); look for a trunk named {:?} in the Exotel dashboard",
                self.name
            )),
        }
    }
    fn import_command(&self, existing: Option<&api::types::Trunk>) -> String {
        let sid = existing.map_or("<trunk_sid>", |t| t.trunk_sid.as_str());
        format!("terraform import exotel_trunk.<name> {sid}")
    }
}

pub(crate) const NO_TRUNK_LISTING: &str = "This Exotel API cannot list trunks (it has no GET /trunks).";

/// Every trunk of the account (`GET /trunks`, field notes), or why not.
pub(crate) async fn list_all(ctx: &Ctx) -> Result<Vec<api::types::Trunk>, Diagnostic> {
    match ctx.client.trunks().list(None).await {
        Ok(Routed::Done(trunks)) => Ok(trunks),
        Ok(Routed::NoRoute) => Err(Diagnostic::error("Cannot list trunks", NO_TRUNK_LISTING)),
        Err(e) => Err(api_diag("Cannot list trunks", &e)),
    }
}

/// State after create: configured values as planned (never rewritten by the
/// API's spelling), computed values from the API.
fn merge_created(planned: &Trunk, t: &api::types::Trunk) -> Trunk {
    Trunk {
        id: t.trunk_sid.clone().into(),
        trunk_sid: t.trunk_sid.clone().into(),
        trunk_name: planned.trunk_name.clone(),
        nso_code: planned.nso_code.clone(),
        domain_name: planned.domain_name.clone(),
        date_created: t.date_created.clone().into(),
        date_updated: t.date_updated.clone().into(),
    }
}

/// State after a read that returned fields: the API's values show drift.
fn refresh(current: Trunk, t: &api::types::Trunk) -> Trunk {
    let keep = |api: &Option<String>, cur: Attr<String>| api.clone().map(Attr::Known).unwrap_or(cur);
    Trunk {
        id: t.trunk_sid.clone().into(),
        trunk_sid: t.trunk_sid.clone().into(),
        trunk_name: keep(&t.trunk_name, current.trunk_name),
        nso_code: keep(&t.nso_code, current.nso_code),
        domain_name: keep(&t.domain_name, current.domain_name),
        date_created: keep(&t.date_created, current.date_created),
        date_updated: keep(&t.date_updated, current.date_updated),
    }
}

#[cfg(test)]
mod tests {
    //! The trunk's planning through the same path Terraform takes: the
    //! schema-driven planner, then the trunk's hook.
    use super::*;
    use crate::provider::resource::{Resource, Typed};
    use crate::tf::model::Model;
    use crate::tf::value::Value;

    fn ctx() -> PlanCtx {
        PlanCtx { account_sid: Some("acme1".into()) }
    }

    fn plan(ctx: &PlanCtx, prior: Option<&Trunk>, config: &Trunk) -> (Trunk, Vec<String>) {
        let prior = prior.map_or(Value::Null, Model::to_value);
        let config = config.to_value();
        let (v, rr, d) = Typed::new(TrunkResource).plan(ctx, &prior, &config, &config);
        assert!(!d.has_errors(), "{d:?}");
        (Trunk::from_value(&v).unwrap(), rr)
    }

    #[test]
    fn create_plan_fills_defaults_and_unknowns() {
        let cfg = Trunk { trunk_name: "t1".to_string().into(), ..Default::default() };
        let (p, _) = plan(&ctx(), None, &cfg);
        assert_eq!(p.nso_code, Attr::Known("ANY-ANY".into()));
        assert_eq!(p.domain_name, Attr::Known("acme1.pstn.exotel.com".into()));
        assert!(p.trunk_sid.is_unknown());
        let (p, _) = plan(&PlanCtx::default(), None, &cfg);
        assert!(p.domain_name.is_unknown());
    }

    fn existing() -> Trunk {
        Trunk {
            id: "T1".to_string().into(),
            trunk_sid: "T1".to_string().into(),
            trunk_name: "t1".to_string().into(),
            nso_code: "ANY-ANY".to_string().into(),
            domain_name: "acme1.pstn.exotel.com".to_string().into(),
            date_created: "d".to_string().into(),
            date_updated: "d".to_string().into(),
        }
    }

    #[test]
    fn removed_optional_keeps_prior_and_no_replace() {
        let prior = existing();
        let cfg = Trunk { trunk_name: "t1".to_string().into(), ..Default::default() };
        let (p, rr) = plan(&PlanCtx { account_sid: Some("other".into()) }, Some(&prior), &cfg);
        assert!(rr.is_empty());
        assert_eq!(p, prior);
    }

    #[test]
    fn explicit_change_forces_replacement() {
        let prior = existing();
        let cfg =
            Trunk { trunk_name: "t1".to_string().into(), nso_code: "IN-X".to_string().into(), ..Default::default() };
        let (p, rr) = plan(&ctx(), Some(&prior), &cfg);
        assert_eq!(rr, vec!["nso_code"]);
        assert!(p.trunk_sid.is_unknown());
    }

    #[test]
    fn imported_without_fields_is_in_place() {
        let prior = Trunk { id: "T1".to_string().into(), trunk_sid: "T1".to_string().into(), ..Default::default() };
        let cfg = Trunk { trunk_name: "t1".to_string().into(), ..Default::default() };
        let (p, rr) = plan(&ctx(), Some(&prior), &cfg);
        assert!(rr.is_empty());
        assert_eq!(p, Trunk { trunk_name: "t1".to_string().into(), ..prior });
    }
}
