//! The registry: every resource, data source, ephemeral resource and
//! function this provider serves, by type name, and the provider's
//! configured state (the API client once ConfigureProvider ran).

use super::config;
use super::resource::{self, Ctx, DataSource, Ephemeral, PlanCtx, Resource};
use super::wire::{decode, encode};
use crate::api::Client;
use crate::api::client::{AccessCheck, Probe};
use crate::proto::tfplugin6 as pb;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::value::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use tokio_util::sync::CancellationToken;

/// Where provider settings come from when the configuration leaves them out.
pub type EnvLookup = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The state of ConfigureProvider.
#[derive(Clone)]
pub(super) enum Configured {
    Ready(Arc<Client>),
    Unknown { account_sid: Option<String> },
}

pub(super) struct Inner {
    pub(super) functions: std::collections::HashMap<&'static str, crate::functions::Function>,
    pub(super) resources: BTreeMap<&'static str, Box<dyn Resource>>,
    pub(super) data_sources: BTreeMap<&'static str, Box<dyn DataSource>>,
    pub(super) ephemerals: BTreeMap<&'static str, Box<dyn Ephemeral>>,
    pub(super) provider_schema: crate::tf::schema::Schema,
    pub(super) configured: RwLock<Option<Configured>>,
    /// Cancelled by StopProvider: every API request and backoff ends at once.
    pub(super) stop: CancellationToken,
    pub(super) env: EnvLookup,
}

/// The tfplugin6 `Provider` service.
#[derive(Clone)]
pub struct ProviderService {
    pub(super) inner: Arc<Inner>,
}

impl ProviderService {
    /// A provider reading its environment from the process environment.
    pub fn new() -> Self {
        Self::with_env(Box::new(|k| std::env::var(k).ok()))
    }

    /// A provider reading its environment through `env` (tests).
    pub fn with_env(env: EnvLookup) -> Self {
        let mut resources: BTreeMap<&'static str, Box<dyn Resource>> = BTreeMap::new();
        for r in crate::resources::all() {
            resources.insert(r.type_name(), r);
        }
        let mut data_sources: BTreeMap<&'static str, Box<dyn DataSource>> = BTreeMap::new();
        for d in crate::resources::all_data_sources() {
            data_sources.insert(d.type_name(), d);
        }
        let ephemerals = crate::resources::all_ephemerals().into_iter().map(|e| (e.type_name(), e)).collect();
        ProviderService {
            inner: Arc::new(Inner {
                functions: crate::functions::registry(),
                resources,
                data_sources,
                ephemerals,
                provider_schema: config::schema(),
                configured: RwLock::new(None),
                stop: CancellationToken::new(),
                env,
            }),
        }
    }

    /// Resource type names and schemas (for docs and tests).
    pub fn resource_schemas(&self) -> Vec<(&'static str, crate::tf::schema::Schema)> {
        self.inner.resources.iter().map(|(k, r)| (*k, r.schema().clone())).collect()
    }

    /// A resource's identity attributes (all strings, all required for import).
    pub fn identity_attributes(&self, type_name: &str) -> &'static [&'static str] {
        self.inner.resources.get(type_name).map(|r| r.identity_attributes()).unwrap_or(&[])
    }

    /// List resource type names and their `config` schemas.
    pub fn list_schemas(&self) -> Vec<(&'static str, crate::tf::schema::Schema)> {
        self.inner.resources.iter().filter_map(|(k, r)| r.list_schema().map(|s| (*k, s))).collect()
    }

    /// Data source type names and schemas.
    pub fn data_source_schemas(&self) -> Vec<(&'static str, crate::tf::schema::Schema)> {
        self.inner.data_sources.iter().map(|(k, r)| (*k, r.schema().clone())).collect()
    }

    /// Ephemeral resource type names and schemas.
    pub fn ephemeral_schemas(&self) -> Vec<(&'static str, crate::tf::schema::Schema)> {
        self.inner.ephemerals.iter().map(|(k, r)| (*k, r.schema().clone())).collect()
    }

    pub(super) fn configured(&self) -> Option<Configured> {
        self.inner.configured.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(super) fn plan_ctx(&self) -> PlanCtx {
        match self.configured() {
            Some(Configured::Ready(c)) => PlanCtx { account_sid: Some(c.account_sid().to_string()) },
            Some(Configured::Unknown { account_sid }) => PlanCtx { account_sid },
            None => PlanCtx::default(),
        }
    }

    pub(super) fn ctx(&self) -> Result<Ctx, Diagnostics> {
        match self.configured() {
            Some(Configured::Ready(client)) => Ok(Ctx { client }),
            Some(Configured::Unknown { .. }) => Err(Diagnostic::error(
                "Provider configuration is not known yet",
                "The provider \"exotel\" block depends on values that are only known after apply, so the API cannot be reached now. Apply the resources it depends on first (for example with -target).",
            )
            .into()),
            None => Err(Diagnostic::error(
                "Provider not configured",
                "ConfigureProvider was not called before this operation; this is a Terraform or provider bug.",
            )
            .into()),
        }
    }

    /// The plan-time credentials check, where its error must be reported
    /// (see [`Client::verify_access`]): `Ok(true)` to go on; `Ok(false)` when
    /// it failed and another call reports it (this one stays quiet: the run
    /// has failed already); `Err` with the error to report.
    pub(super) async fn access(&self, client: &Client, probe: Option<Probe<'_>>) -> Result<bool, Diagnostics> {
        match client.verify_access(probe).await {
            AccessCheck::Ok => Ok(true),
            AccessCheck::Failed { error, report: true } => Err(config::access_diagnostic(&error).into()),
            AccessCheck::Failed { report: false, .. } => Ok(false),
        }
    }

    /// The error of a call that cannot go on because the credentials check
    /// failed, reported in full by another call.
    pub(super) fn access_failed_elsewhere() -> Diagnostics {
        Diagnostic::error(
            "Not sent: the credentials check failed",
            "The error above (\"Exotel rejected the credentials\" or \"Cannot check the Exotel credentials\") says why; nothing was sent for this one.",
        )
        .into()
    }

    /// Warnings the API client has for the user (the rate limit could not
    /// be shared), to add to the next answer.
    pub(super) fn notices(&self) -> Diagnostics {
        let mut d = Diagnostics::default();
        if let Some(Configured::Ready(c)) = self.configured() {
            for text in c.take_notices() {
                d.push(Diagnostic::warning(
                    "Rate limit not shared",
                    format!("{text} Set shared_rate_limit = false (EXOTEL_SHARED_RATE_LIMIT=false) to turn sharing off, or rate_limit_dir (EXOTEL_RATE_LIMIT_DIR) to use another folder."),
                ));
            }
        }
        d
    }

    pub(super) fn resource(&self, type_name: &str) -> Result<&dyn Resource, Diagnostics> {
        self.inner.resources.get(type_name).map(|b| b.as_ref()).ok_or_else(|| {
            Diagnostic::error("Unknown resource type", format!("This provider has no resource type {type_name:?}."))
                .into()
        })
    }

    pub(super) fn not_listable(&self, type_name: &str) -> Diagnostics {
        Diagnostic::error("Listing not supported", format!("{type_name} cannot be listed with terraform query.")).into()
    }

    pub(super) fn identity_data(
        &self,
        r: &dyn Resource,
        state: &Value,
    ) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
        match r.identity_of(state) {
            Some(id) => {
                let ty = resource::identity_type(r.identity_attributes());
                Ok(Some(pb::ResourceIdentityData { identity_data: Some(encode(&id, &ty)?) }))
            }
            None => Ok(None),
        }
    }

    pub(super) async fn list_events(
        &self,
        req: &pb::list_resource::Request,
    ) -> Result<Vec<pb::list_resource::Event>, Diagnostics> {
        let r = self.resource(&req.type_name)?;
        let schema = r.list_schema().ok_or_else(|| self.not_listable(&req.type_name))?;
        let config = decode(req.config.as_ref(), &schema.object_type(), "list configuration")?;
        let ctx = self.ctx()?;
        if !self.access(&ctx.client, None).await? {
            return Err(Self::access_failed_elsewhere());
        }
        let (items, diags) = r.list(&ctx, &config).await;
        if diags.has_errors() {
            return Err(diags);
        }
        let limit = if req.limit > 0 { req.limit as usize } else { usize::MAX };
        let mut out = Vec::with_capacity(items.len().min(limit));
        for (name, state) in items.into_iter().take(limit) {
            out.push(pb::list_resource::Event {
                identity: self.identity_data(r, &state)?,
                display_name: name,
                resource_object: if req.include_resource_object {
                    Some(encode(&state, r.object_type())?)
                } else {
                    None
                },
                diagnostic: vec![],
            });
        }
        Ok(out)
    }

    pub(super) fn function_protos(&self) -> std::collections::HashMap<String, pb::Function> {
        self.inner.functions.iter().map(|(k, f)| (k.to_string(), f.to_proto())).collect()
    }

    pub(super) fn ephemeral(&self, type_name: &str) -> Result<&dyn Ephemeral, Diagnostics> {
        self.inner.ephemerals.get(type_name).map(|b| b.as_ref()).ok_or_else(|| {
            Diagnostic::error(
                "Unknown ephemeral resource type",
                format!("This provider has no ephemeral resource {type_name:?}."),
            )
            .into()
        })
    }

    pub(super) fn data_source(&self, type_name: &str) -> Result<&dyn DataSource, Diagnostics> {
        self.inner.data_sources.get(type_name).map(|b| b.as_ref()).ok_or_else(|| {
            Diagnostic::error("Unknown data source", format!("This provider has no data source {type_name:?}.")).into()
        })
    }
}

impl Default for ProviderService {
    fn default() -> Self {
        Self::new()
    }
}
