//! The registry: every resource, data source, ephemeral resource and
//! function a provider ([`ProviderDef`]) serves, by type name, and its
//! configured state (its [`Context`] once ConfigureProvider ran).

use super::function::Function;
use super::resource::{self, Context, DataSource, Ephemeral, Ready, Resource};
use super::wire::{decode, encode};
use crate::proto::tfplugin6 as pb;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::schema::Schema;
use crate::tf::value::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use tokio_util::sync::CancellationToken;

/// Where provider settings come from when the configuration leaves them out.
pub type EnvLookup = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// A provider: its configuration block, what it serves, and how it turns a
/// configuration into the [`Context`] its resources work with. The one
/// thing a provider implements for the framework to serve it.
pub(crate) trait ProviderDef: Send + Sync + 'static {
    /// What its resources get once configured.
    type Ctx: Context;
    /// Its local name in HCL (`provider "exotel"`), for messages.
    const NAME: &'static str;
    /// The provider block's schema.
    fn schema(&self) -> Schema;
    /// ValidateProviderConfig (values may be unknown; no API access).
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    /// ConfigureProvider: the context, or what planning may know when the
    /// configuration is not known yet. `stop` is cancelled by StopProvider.
    fn configure(
        &self,
        config: &Value,
        terraform_version: &str,
        env: &EnvLookup,
        stop: CancellationToken,
    ) -> Result<Configured<Self::Ctx>, Diagnostics>;
    /// Every resource type.
    fn resources(&self) -> Vec<Box<dyn Resource<Self::Ctx>>>;
    /// Every data source.
    fn data_sources(&self) -> Vec<Box<dyn DataSource<Self::Ctx>>>;
    /// Every ephemeral resource.
    fn ephemerals(&self) -> Vec<Box<dyn Ephemeral<Self::Ctx>>>;
    /// Every provider function.
    fn functions(&self) -> Vec<Function>;
}

/// The state of ConfigureProvider.
pub(crate) enum Configured<C: Context> {
    /// Configured: the context to work with.
    Ready(C),
    /// The configuration depends on values not known yet: only planning works.
    Unknown(C::Plan),
}

impl<C: Context> Clone for Configured<C> {
    fn clone(&self) -> Self {
        match self {
            Configured::Ready(c) => Configured::Ready(c.clone()),
            Configured::Unknown(p) => Configured::Unknown(p.clone()),
        }
    }
}

pub(super) struct Inner<P: ProviderDef> {
    pub(super) def: P,
    pub(super) functions: std::collections::HashMap<&'static str, Function>,
    pub(super) resources: BTreeMap<&'static str, Box<dyn Resource<P::Ctx>>>,
    pub(super) data_sources: BTreeMap<&'static str, Box<dyn DataSource<P::Ctx>>>,
    pub(super) ephemerals: BTreeMap<&'static str, Box<dyn Ephemeral<P::Ctx>>>,
    pub(super) provider_schema: Schema,
    pub(super) configured: RwLock<Option<Configured<P::Ctx>>>,
    /// Cancelled by StopProvider: every API request and backoff ends at once.
    pub(super) stop: CancellationToken,
    pub(super) env: EnvLookup,
}

/// The tfplugin6 `Provider` service of provider `P`.
pub(crate) struct ProviderService<P: ProviderDef> {
    pub(super) inner: Arc<Inner<P>>,
}

impl<P: ProviderDef> Clone for ProviderService<P> {
    fn clone(&self) -> Self {
        ProviderService { inner: self.inner.clone() }
    }
}

impl<P: ProviderDef> ProviderService<P> {
    /// Serves `def`, reading its environment from the process environment.
    pub(crate) fn new(def: P) -> Self {
        Self::with_env(def, Box::new(|k| std::env::var(k).ok()))
    }

    /// Serves `def`, reading its environment through `env` (tests).
    pub(crate) fn with_env(def: P, env: EnvLookup) -> Self {
        let resources = def.resources().into_iter().map(|r| (r.type_name(), r)).collect();
        let data_sources = def.data_sources().into_iter().map(|d| (d.type_name(), d)).collect();
        let ephemerals = def.ephemerals().into_iter().map(|e| (e.type_name(), e)).collect();
        let functions = def.functions().into_iter().map(|f| (f.name, f)).collect();
        let provider_schema = def.schema();
        ProviderService {
            inner: Arc::new(Inner {
                def,
                functions,
                resources,
                data_sources,
                ephemerals,
                provider_schema,
                configured: RwLock::new(None),
                stop: CancellationToken::new(),
                env,
            }),
        }
    }

    /// Resource type names and schemas (for docs and tests).
    pub(crate) fn resource_schemas(&self) -> Vec<(&'static str, Schema)> {
        self.inner.resources.iter().map(|(k, r)| (*k, r.schema().clone())).collect()
    }

    /// A resource's identity attributes (all strings, all required for import).
    pub(crate) fn identity_attributes(&self, type_name: &str) -> &'static [&'static str] {
        self.inner.resources.get(type_name).map(|r| r.identity_attributes()).unwrap_or(&[])
    }

    /// List resource type names and their `config` schemas.
    pub(crate) fn list_schemas(&self) -> Vec<(&'static str, Schema)> {
        self.inner.resources.iter().filter_map(|(k, r)| r.list_schema().map(|s| (*k, s))).collect()
    }

    /// Data source type names and schemas.
    pub(crate) fn data_source_schemas(&self) -> Vec<(&'static str, Schema)> {
        self.inner.data_sources.iter().map(|(k, r)| (*k, r.schema().clone())).collect()
    }

    /// Ephemeral resource type names and schemas.
    pub(crate) fn ephemeral_schemas(&self) -> Vec<(&'static str, Schema)> {
        self.inner.ephemerals.iter().map(|(k, r)| (*k, r.schema().clone())).collect()
    }

    pub(super) fn configured(&self) -> Option<Configured<P::Ctx>> {
        self.inner.configured.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(super) fn plan_ctx(&self) -> <P::Ctx as Context>::Plan {
        match self.configured() {
            Some(Configured::Ready(c)) => c.plan_view(),
            Some(Configured::Unknown(plan)) => plan,
            None => Default::default(),
        }
    }

    pub(super) fn ctx(&self) -> Result<P::Ctx, Diagnostics> {
        match self.configured() {
            Some(Configured::Ready(c)) => Ok(c),
            Some(Configured::Unknown(_)) => Err(Diagnostic::error(
                "Provider configuration is not known yet",
                format!(
                    "The provider \"{}\" block depends on values that are only known after apply, so the API cannot be reached now. Apply the resources it depends on first (for example with -target).",
                    P::NAME
                ),
            )
            .into()),
            None => Err(Diagnostic::error(
                "Provider not configured",
                "ConfigureProvider was not called before this operation; this is a Terraform or provider bug.",
            )
            .into()),
        }
    }

    /// The context's check before an operation reaches the API (see
    /// [`Context::ready`]): `Ok(true)` to go on; `Ok(false)` when it failed
    /// and another call reports it (this one stays quiet: the run has
    /// failed already); `Err` with the error to report.
    pub(super) fn go(ready: Ready) -> Result<bool, Diagnostics> {
        match ready {
            Ready::Go => Ok(true),
            Ready::Report(d) => Err(d),
            Ready::Quiet => Ok(false),
        }
    }

    /// The context's check before a call that reaches the API and has no
    /// state to fall back on: `Ok` to go on; the error to report, or, when
    /// another call reports it, a short "not sent" error.
    pub(super) async fn proceed(ctx: &P::Ctx) -> Result<(), Diagnostics> {
        if Self::go(ctx.ready().await)? {
            return Ok(());
        }
        Err(Diagnostic::error(
            "Not sent: the provider's check failed",
            "The error above says why; nothing was sent for this one.",
        )
        .into())
    }

    /// The context's warnings, to add to the next answer.
    pub(super) fn notices(&self) -> Diagnostics {
        match self.configured() {
            Some(Configured::Ready(c)) => c.notices(),
            _ => Diagnostics::default(),
        }
    }

    pub(super) fn resource(&self, type_name: &str) -> Result<&dyn Resource<P::Ctx>, Diagnostics> {
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
        r: &dyn Resource<P::Ctx>,
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
        Self::proceed(&ctx).await?;
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

    pub(super) fn ephemeral(&self, type_name: &str) -> Result<&dyn Ephemeral<P::Ctx>, Diagnostics> {
        self.inner.ephemerals.get(type_name).map(|b| b.as_ref()).ok_or_else(|| {
            Diagnostic::error(
                "Unknown ephemeral resource type",
                format!("This provider has no ephemeral resource {type_name:?}."),
            )
            .into()
        })
    }

    pub(super) fn data_source(&self, type_name: &str) -> Result<&dyn DataSource<P::Ctx>, Diagnostics> {
        self.inner.data_sources.get(type_name).map(|b| b.as_ref()).ok_or_else(|| {
            Diagnostic::error("Unknown data source", format!("This provider has no data source {type_name:?}.")).into()
        })
    }
}
