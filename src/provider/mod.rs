//! The provider: its configuration, the registry of resources and data
//! sources, and [`ProviderService`], the tfplugin6 gRPC service that decodes
//! requests, dispatches to resources and encodes answers.
//!
//! Every failure is a diagnostic inside an Ok response; a panic in a handler
//! is caught and reported as an internal error, and the process keeps serving.

pub mod config;
pub mod resource;

use crate::api::Client;
use crate::proto::tfplugin6 as pb;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Model;
use crate::tf::types::Type;
use crate::tf::value::{self, Value};
use futures::FutureExt;
use resource::{Ctx, DataSource, PlanCtx, Resource};
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, RwLock};
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

/// Where provider settings come from when the configuration leaves them out.
pub type EnvLookup = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The state of ConfigureProvider.
#[derive(Clone)]
enum Configured {
    Ready(Arc<Client>),
    Unknown { account_sid: Option<String> },
}

struct Inner {
    functions: std::collections::HashMap<&'static str, crate::functions::Function>,
    resources: BTreeMap<&'static str, Box<dyn Resource>>,
    data_sources: BTreeMap<&'static str, Box<dyn DataSource>>,
    provider_schema: crate::tf::schema::Schema,
    configured: RwLock<Option<Configured>>,
    /// Cancelled by StopProvider: every API request and backoff ends at once.
    stop: CancellationToken,
    env: EnvLookup,
}

/// The tfplugin6 `Provider` service.
#[derive(Clone)]
pub struct ProviderService {
    inner: Arc<Inner>,
}

impl ProviderService {
    /// A provider reading its environment from the process environment.
    pub fn new() -> Self {
        Self::with_env(Box::new(|k| std::env::var(k).ok()))
    }

    pub fn with_env(env: EnvLookup) -> Self {
        let mut resources: BTreeMap<&'static str, Box<dyn Resource>> = BTreeMap::new();
        for r in crate::resources::all() {
            resources.insert(r.type_name(), r);
        }
        let mut data_sources: BTreeMap<&'static str, Box<dyn DataSource>> = BTreeMap::new();
        for d in crate::resources::all_data_sources() {
            data_sources.insert(d.type_name(), d);
        }
        ProviderService {
            inner: Arc::new(Inner {
                functions: crate::functions::registry(),
                resources,
                data_sources,
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

    /// List resource type names and their `config` schemas.
    pub fn list_schemas(&self) -> Vec<(&'static str, crate::tf::schema::Schema)> {
        self.inner.resources.iter().filter_map(|(k, r)| r.list_schema().map(|s| (*k, s))).collect()
    }

    pub fn data_source_schemas(&self) -> Vec<(&'static str, crate::tf::schema::Schema)> {
        self.inner.data_sources.iter().map(|(k, r)| (*k, r.schema().clone())).collect()
    }

    fn configured(&self) -> Option<Configured> {
        self.inner.configured.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn plan_ctx(&self) -> PlanCtx {
        match self.configured() {
            Some(Configured::Ready(c)) => PlanCtx { account_sid: Some(c.account_sid().to_string()) },
            Some(Configured::Unknown { account_sid }) => PlanCtx { account_sid },
            None => PlanCtx::default(),
        }
    }

    fn ctx(&self) -> Result<Ctx, Diagnostics> {
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

    fn resource(&self, type_name: &str) -> Result<&dyn Resource, Diagnostics> {
        self.inner.resources.get(type_name).map(|b| b.as_ref()).ok_or_else(|| {
            Diagnostic::error("Unknown resource type", format!("This provider has no resource type {type_name:?}."))
                .into()
        })
    }

    fn not_listable(&self, type_name: &str) -> Diagnostics {
        Diagnostic::error("Listing not supported", format!("{type_name} cannot be listed with terraform query.")).into()
    }

    fn identity_data(&self, r: &dyn Resource, state: &Value) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
        match r.identity_of(state) {
            Some(id) => {
                let ty = resource::identity_type(r.identity_attributes());
                Ok(Some(pb::ResourceIdentityData { identity_data: Some(encode(&id, &ty)?) }))
            }
            None => Ok(None),
        }
    }

    async fn list_events(
        &self,
        req: &pb::list_resource::Request,
    ) -> Result<Vec<pb::list_resource::Event>, Diagnostics> {
        let r = self.resource(&req.type_name)?;
        let schema = r.list_schema().ok_or_else(|| self.not_listable(&req.type_name))?;
        let config = decode(req.config.as_ref(), &schema.object_type(), "list configuration")?;
        let ctx = self.ctx()?;
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

    fn function_protos(&self) -> std::collections::HashMap<String, pb::Function> {
        self.inner.functions.iter().map(|(k, f)| (k.to_string(), f.to_proto())).collect()
    }

    fn ephemeral_type(&self, type_name: &str) -> Result<Type, Diagnostics> {
        if type_name == crate::resources::credentials::EPHEMERAL_TYPE {
            Ok(crate::resources::credentials::ephemeral_schema().object_type())
        } else {
            Err(Diagnostic::error(
                "Unknown ephemeral resource type",
                format!("This provider has no ephemeral resource {type_name:?}."),
            )
            .into())
        }
    }

    fn data_source(&self, type_name: &str) -> Result<&dyn DataSource, Diagnostics> {
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

/// Decodes a DynamicValue (msgpack preferred, JSON otherwise) of type `ty`.
pub fn decode(dv: Option<&pb::DynamicValue>, ty: &Type, what: &str) -> Result<Value, Diagnostics> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    let r = if !dv.msgpack.is_empty() {
        value::from_msgpack(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        value::from_json(&dv.json, ty, false)
    } else {
        return Ok(Value::Null);
    };
    r.map_err(|e| {
        Diagnostic::error(format!("Invalid {what}"), format!("Terraform sent a {what} this provider cannot read: {e}."))
            .at_path(e.path)
            .into()
    })
}

/// Encodes a value as a msgpack DynamicValue.
pub fn encode(v: &Value, ty: &Type) -> Result<pb::DynamicValue, Diagnostics> {
    value::to_msgpack(v, ty).map(|msgpack| pb::DynamicValue { msgpack, json: vec![] }).map_err(|e| {
        Diagnostic::error("Internal error encoding a value", format!("{e} (at {:?}); this is a provider bug.", e.path))
            .into()
    })
}

/// The stream ListResource answers with.
type EventStream =
    std::pin::Pin<Box<dyn futures::Stream<Item = Result<pb::list_resource::Event, Status>> + Send + 'static>>;

/// Responses that can carry diagnostics.
trait WithDiags: Default {
    fn set_diags(&mut self, d: Vec<pb::Diagnostic>);
}

macro_rules! with_diags {
    ($($t:ty => $field:ident),* $(,)?) => {
        $(impl WithDiags for $t {
            fn set_diags(&mut self, d: Vec<pb::Diagnostic>) { self.$field = d; }
        })*
    };
}

with_diags! {
    pb::get_provider_schema::Response => diagnostics,
    pb::get_metadata::Response => diagnostics,
    pb::validate_provider_config::Response => diagnostics,
    pb::validate_resource_config::Response => diagnostics,
    pb::validate_data_resource_config::Response => diagnostics,
    pb::upgrade_resource_state::Response => diagnostics,
    pb::get_resource_identity_schemas::Response => diagnostics,
    pb::configure_provider::Response => diagnostics,
    pb::read_resource::Response => diagnostics,
    pb::plan_resource_change::Response => diagnostics,
    pb::apply_resource_change::Response => diagnostics,
    pb::import_resource_state::Response => diagnostics,
    pb::read_data_source::Response => diagnostics,
    pb::get_functions::Response => diagnostics,
    pb::validate_ephemeral_resource_config::Response => diagnostics,
    pb::open_ephemeral_resource::Response => diagnostics,
    pb::renew_ephemeral_resource::Response => diagnostics,
    pb::close_ephemeral_resource::Response => diagnostics,
    pb::upgrade_resource_identity::Response => diagnostics,
    pb::validate_list_resource_config::Response => diagnostics,
}

/// Test hook: naming an RPC here makes its handler panic, so tests can prove
/// on the shipped binary that a panic becomes a diagnostic and the process
/// keeps serving.
pub const PANIC_HOOK_VAR: &str = "EXOTEL_PROVIDER_TEST_PANIC_RPC";

fn panic_hook_rpc() -> Option<&'static str> {
    static HOOK: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    HOOK.get_or_init(|| std::env::var(PANIC_HOOK_VAR).ok().filter(|s| !s.is_empty())).as_deref()
}

/// Runs a handler inside its log span (`tf_rpc`, a per-request `tf_req_id`,
/// and `tf_resource_type` where there is one, so `TF_LOG=DEBUG` ties every
/// API request to the RPC and resource that caused it); its error
/// diagnostics, or a caught panic, become a response with diagnostics.
async fn guarded<R, F>(rpc: &'static str, f: F) -> Result<Response<R>, Status>
where
    R: WithDiags,
    F: std::future::Future<Output = Result<R, Diagnostics>>,
{
    guarded_for(rpc, "", f).await
}

/// [`guarded`] for an RPC about one resource, data source or list type.
async fn guarded_for<R, F>(rpc: &'static str, type_name: &str, f: F) -> Result<Response<R>, Status>
where
    R: WithDiags,
    F: std::future::Future<Output = Result<R, Diagnostics>>,
{
    use tracing::Instrument;
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let req_id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let span = if type_name.is_empty() {
        tracing::info_span!("rpc", tf_rpc = rpc, tf_req_id = req_id)
    } else {
        tracing::info_span!("rpc", tf_rpc = rpc, tf_req_id = req_id, tf_resource_type = type_name)
    };
    guarded_inner(rpc, f).instrument(span).await
}

async fn guarded_inner<R, F>(rpc: &'static str, f: F) -> Result<Response<R>, Status>
where
    R: WithDiags,
    F: std::future::Future<Output = Result<R, Diagnostics>>,
{
    let f = async move {
        if panic_hook_rpc().is_some_and(|r| r == rpc) {
            panic!("{PANIC_HOOK_VAR} asked for a panic in {rpc}");
        }
        f.await
    };
    let out = match AssertUnwindSafe(f).catch_unwind().await {
        Ok(Ok(r)) => r,
        Ok(Err(diags)) => {
            let mut r = R::default();
            r.set_diags(diags.to_proto());
            r
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(rpc, panic = %msg, "internal error in request handler");
            let mut r = R::default();
            r.set_diags(vec![
                Diagnostic::error(
                    "Internal provider error",
                    format!("The provider hit a bug while handling {rpc}: {msg}. Nothing further was done for this request; please report this with the TF_LOG=DEBUG output."),
                )
                .to_proto(),
            ]);
            r
        }
    };
    Ok(Response::new(out))
}

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: false,
    }
}

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _req: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        guarded("GetMetadata", async {
            Ok(pb::get_metadata::Response {
                server_capabilities: Some(capabilities()),
                functions: self
                    .inner
                    .functions
                    .keys()
                    .map(|k| pb::get_metadata::FunctionMetadata { name: k.to_string() })
                    .collect(),
                list_resources: self
                    .inner
                    .resources
                    .iter()
                    .filter(|(_, r)| r.list_schema().is_some())
                    .map(|(k, _)| pb::get_metadata::ListResourceMetadata { type_name: k.to_string() })
                    .collect(),
                ephemeral_resources: vec![pb::get_metadata::EphemeralMetadata {
                    type_name: crate::resources::credentials::EPHEMERAL_TYPE.to_string(),
                }],
                resources: self
                    .inner
                    .resources
                    .keys()
                    .map(|k| pb::get_metadata::ResourceMetadata { type_name: k.to_string() })
                    .collect(),
                data_sources: self
                    .inner
                    .data_sources
                    .keys()
                    .map(|k| pb::get_metadata::DataSourceMetadata { type_name: k.to_string() })
                    .collect(),
                ..Default::default()
            })
        })
        .await
    }

    async fn get_provider_schema(
        &self,
        _req: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        guarded("GetProviderSchema", async {
            Ok(pb::get_provider_schema::Response {
                provider: Some(self.inner.provider_schema.to_proto()),
                resource_schemas: self
                    .inner
                    .resources
                    .iter()
                    .map(|(k, r)| (k.to_string(), r.schema().to_proto()))
                    .collect(),
                data_source_schemas: self
                    .inner
                    .data_sources
                    .iter()
                    .map(|(k, r)| (k.to_string(), r.schema().to_proto()))
                    .collect(),
                functions: self.function_protos(),
                list_resource_schemas: self
                    .inner
                    .resources
                    .iter()
                    .filter_map(|(k, r)| r.list_schema().map(|s| (k.to_string(), s.to_proto())))
                    .collect(),
                ephemeral_resource_schemas: BTreeMap::from([(
                    crate::resources::credentials::EPHEMERAL_TYPE.to_string(),
                    crate::resources::credentials::ephemeral_schema().to_proto(),
                )])
                .into_iter()
                .collect(),
                server_capabilities: Some(capabilities()),
                ..Default::default()
            })
        })
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _req: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        guarded("GetResourceIdentitySchemas", async {
            let identity_schemas = self
                .inner
                .resources
                .iter()
                .map(|(k, r)| {
                    let attrs = r
                        .identity_attributes()
                        .iter()
                        .map(|a| pb::resource_identity_schema::IdentityAttribute {
                            name: a.to_string(),
                            r#type: Type::String.to_json_bytes(),
                            required_for_import: true,
                            optional_for_import: false,
                            description: r.schema().attribute(a).map(|x| x.description.to_string()).unwrap_or_default(),
                        })
                        .collect();
                    (k.to_string(), pb::ResourceIdentitySchema { version: 0, identity_attributes: attrs })
                })
                .collect();
            Ok(pb::get_resource_identity_schemas::Response { identity_schemas, diagnostics: vec![] })
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        req: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let req = req.into_inner();
        guarded_for("UpgradeResourceIdentity", &req.type_name.clone(), async {
            let r = self.resource(&req.type_name)?;
            let ty = resource::identity_type(r.identity_attributes());
            let raw = req.raw_identity.unwrap_or_default();
            let v = value::from_json(&raw.json, &ty, true)
                .map_err(|e| Diagnostics::from(Diagnostic::error("Cannot read stored identity", format!("{e}"))))?;
            Ok(pb::upgrade_resource_identity::Response {
                upgraded_identity: Some(pb::ResourceIdentityData { identity_data: Some(encode(&v, &ty)?) }),
                diagnostics: vec![],
            })
        })
        .await
    }

    async fn validate_list_resource_config(
        &self,
        req: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let req = req.into_inner();
        guarded_for("ValidateListResourceConfig", &req.type_name.clone(), async {
            let r = self.resource(&req.type_name)?;
            let schema = r.list_schema().ok_or_else(|| self.not_listable(&req.type_name))?;
            decode(req.config.as_ref(), &schema.object_type(), "list configuration")?;
            Ok(pb::validate_list_resource_config::Response { diagnostics: vec![] })
        })
        .await
    }

    async fn list_resource(&self, req: Request<pb::list_resource::Request>) -> Result<Response<EventStream>, Status> {
        let req = req.into_inner();
        let error_event = |d: Diagnostics| pb::list_resource::Event { diagnostic: d.to_proto(), ..Default::default() };
        let events: Vec<pb::list_resource::Event> = match AssertUnwindSafe(self.list_events(&req)).catch_unwind().await
        {
            Ok(Ok(ev)) => ev,
            Ok(Err(d)) => vec![error_event(d)],
            Err(_) => vec![error_event(
                Diagnostic::error("Internal provider error", "The provider hit a bug while listing.").into(),
            )],
        };
        let stream = futures::stream::iter(events.into_iter().map(Ok));
        Ok(Response::new(Box::pin(stream)))
    }

    async fn get_functions(
        &self,
        _req: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        guarded("GetFunctions", async {
            Ok(pb::get_functions::Response { functions: self.function_protos(), diagnostics: vec![] })
        })
        .await
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let req = req.into_inner();
        let fail = |text: String, arg: Option<i64>| pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError { text, function_argument: arg }),
        };
        let run = AssertUnwindSafe(async {
            let Some(f) = self.inner.functions.get(req.name.as_str()) else {
                return fail(format!("this provider has no function {:?}", req.name), None);
            };
            let types = f.param_types();
            let mut args = Vec::with_capacity(req.arguments.len());
            for (i, dv) in req.arguments.iter().enumerate() {
                let ty = types.get(i).cloned().unwrap_or(Type::Dynamic);
                match decode(Some(dv), &ty, "function argument") {
                    Ok(v) => args.push(v),
                    Err(d) => {
                        return fail(d.0.first().map(|d| d.detail.clone()).unwrap_or_default(), Some(i as i64));
                    }
                }
            }
            match f.call(&args) {
                Ok(v) => match encode(&v, f.return_type()) {
                    Ok(dv) => pb::call_function::Response { result: Some(dv), error: None },
                    Err(d) => fail(d.0.first().map(|d| d.detail.clone()).unwrap_or_default(), None),
                },
                // Terraform appends its own full stop.
                Err(e) => fail(e.text.trim_end_matches('.').to_string(), e.argument),
            }
        })
        .catch_unwind()
        .await;
        Ok(Response::new(run.unwrap_or_else(|_| fail("internal provider error in the function".into(), None))))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let req = req.into_inner();
        guarded_for("ValidateEphemeralResourceConfig", &req.type_name.clone(), async {
            let ty = self.ephemeral_type(&req.type_name)?;
            let v = decode(req.config.as_ref(), &ty, "ephemeral resource configuration")?;
            let m = crate::resources::credentials::TrunkCredentials::from_value(&v).map_err(Diagnostics::from)?;
            let mut diags = Diagnostics::default();
            crate::resources::credentials::validate_config(&m, &mut diags);
            Ok(pb::validate_ephemeral_resource_config::Response { diagnostics: diags.to_proto() })
        })
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let req = req.into_inner();
        guarded_for("OpenEphemeralResource", &req.type_name.clone(), async {
            let ty = self.ephemeral_type(&req.type_name)?;
            let v = decode(req.config.as_ref(), &ty, "ephemeral resource configuration")?;
            let m = crate::resources::credentials::TrunkCredentials::from_value(&v).map_err(Diagnostics::from)?;
            if !m.trunk_sid.is_known() {
                // Unknown until apply: Terraform opens it again when it is known.
                return Ok(pb::open_ephemeral_resource::Response {
                    result: Some(encode(&Value::UNKNOWN, &ty)?),
                    ..Default::default()
                });
            }
            let ctx = self.ctx()?;
            let mut diags = Diagnostics::default();
            let out = crate::resources::credentials::read_model(&ctx, m, &mut diags).await;
            if diags.has_errors() {
                return Err(diags);
            }
            Ok(pb::open_ephemeral_resource::Response {
                result: Some(encode(&out.map(|m| m.to_value()).unwrap_or(Value::Null), &ty)?),
                diagnostics: diags.to_proto(),
                ..Default::default()
            })
        })
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        _req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        guarded("RenewEphemeralResource", async { Ok(Default::default()) }).await
    }

    async fn close_ephemeral_resource(
        &self,
        _req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        guarded("CloseEphemeralResource", async { Ok(Default::default()) }).await
    }

    async fn validate_provider_config(
        &self,
        req: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let req = req.into_inner();
        guarded("ValidateProviderConfig", async {
            let ty = self.inner.provider_schema.object_type();
            let v = decode(req.config.as_ref(), &ty, "provider configuration")?;
            let m = config::ProviderModel::from_value(&v).map_err(Diagnostics::from)?;
            let mut diags = Diagnostics::default();
            config::validate(&m, &mut diags);
            Ok(pb::validate_provider_config::Response { diagnostics: diags.to_proto() })
        })
        .await
    }

    async fn configure_provider(
        &self,
        req: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let req = req.into_inner();
        guarded("ConfigureProvider", async {
            let ty = self.inner.provider_schema.object_type();
            let v = decode(req.config.as_ref(), &ty, "provider configuration")?;
            let m = config::ProviderModel::from_value(&v).map_err(Diagnostics::from)?;
            let configured = match config::resolve(&m, &*self.inner.env)? {
                config::Resolved::Ready(cfg) => {
                    tracing::debug!(base_url = %cfg.base_url, account_sid = %cfg.account_sid, "provider configured");
                    let client = Client::new(cfg, self.inner.stop.child_token())
                        .map_err(|e| Diagnostics::from(Diagnostic::error("Cannot create the API client", e)))?;
                    Configured::Ready(client)
                }
                config::Resolved::Unknown { account_sid } => Configured::Unknown { account_sid },
            };
            *self.inner.configured.write().unwrap_or_else(|e| e.into_inner()) = Some(configured);
            Ok(pb::configure_provider::Response::default())
        })
        .await
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let req = req.into_inner();
        guarded_for("ValidateResourceConfig", &req.type_name.clone(), async {
            let r = self.resource(&req.type_name)?;
            let v = decode(req.config.as_ref(), r.object_type(), "resource configuration")?;
            Ok(pb::validate_resource_config::Response { diagnostics: r.validate(&v).to_proto() })
        })
        .await
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let req = req.into_inner();
        guarded_for("ValidateDataResourceConfig", &req.type_name.clone(), async {
            let d = self.data_source(&req.type_name)?;
            let v = decode(req.config.as_ref(), d.object_type(), "data source configuration")?;
            Ok(pb::validate_data_resource_config::Response { diagnostics: d.validate(&v).to_proto() })
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let req = req.into_inner();
        guarded_for("UpgradeResourceState", &req.type_name.clone(), async {
            let r = self.resource(&req.type_name)?;
            let raw = req.raw_state.unwrap_or_default();
            if raw.json.is_empty() && !raw.flatmap.is_empty() {
                return Err(Diagnostic::error(
                    "Unsupported state format",
                    "The stored state is in the legacy flatmap format, which this provider never wrote.",
                )
                .into());
            }
            let v = if raw.json.is_empty() { Value::Null } else { r.upgrade(req.version, &raw.json)? };
            Ok(pb::upgrade_resource_state::Response {
                upgraded_state: Some(encode(&v, r.object_type())?),
                diagnostics: vec![],
            })
        })
        .await
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let req = req.into_inner();
        guarded_for("ReadResource", &req.type_name.clone(), async {
            let r = self.resource(&req.type_name)?;
            let current = decode(req.current_state.as_ref(), r.object_type(), "resource state")?;
            let ctx = self.ctx()?;
            let (new, diags) = r.read(&ctx, &current).await;
            let new_identity = if new.is_null() { None } else { self.identity_data(r, &new)?.or(req.current_identity) };
            Ok(pb::read_resource::Response {
                new_state: Some(encode(&new, r.object_type())?),
                diagnostics: diags.to_proto(),
                private: req.private,
                new_identity,
                ..Default::default()
            })
        })
        .await
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let req = req.into_inner();
        guarded_for("PlanResourceChange", &req.type_name.clone(), async {
            let r = self.resource(&req.type_name)?;
            let ty = r.object_type();
            let prior = decode(req.prior_state.as_ref(), ty, "prior state")?;
            let proposed = decode(req.proposed_new_state.as_ref(), ty, "proposed new state")?;
            let config = decode(req.config.as_ref(), ty, "resource configuration")?;
            let (planned, replace, diags) = r.plan(&self.plan_ctx(), &prior, &proposed, &config);
            let planned_identity = if planned.is_null() { None } else { self.identity_data(r, &planned)? };
            Ok(pb::plan_resource_change::Response {
                planned_identity,
                planned_state: Some(encode(&planned, ty)?),
                requires_replace: replace
                    .iter()
                    .map(|a| crate::tf::diag::attribute_path(std::slice::from_ref(a)))
                    .collect(),
                planned_private: req.prior_private,
                diagnostics: diags.to_proto(),
                ..Default::default()
            })
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let req = req.into_inner();
        guarded_for("ApplyResourceChange", &req.type_name.clone(), async {
            let r = self.resource(&req.type_name)?;
            let ty = r.object_type();
            let prior = decode(req.prior_state.as_ref(), ty, "prior state")?;
            let planned = decode(req.planned_state.as_ref(), ty, "planned state")?;
            let ctx = match self.ctx() {
                Ok(c) => c,
                Err(d) => {
                    return Ok(pb::apply_resource_change::Response {
                        new_state: Some(encode(&prior, ty)?),
                        diagnostics: d.to_proto(),
                        ..Default::default()
                    });
                }
            };
            let (new, diags) = r.apply(&ctx, &prior, &planned).await;
            let new_identity = if new.is_null() { None } else { self.identity_data(r, &new)? };
            Ok(pb::apply_resource_change::Response {
                new_identity,
                new_state: Some(encode(&new, ty)?),
                private: req.planned_private,
                diagnostics: diags.to_proto(),
                ..Default::default()
            })
        })
        .await
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let req = req.into_inner();
        guarded_for("ImportResourceState", &req.type_name.clone(), async {
            let r = self.resource(&req.type_name)?;
            let ctx = self.ctx()?;
            let id = match req.identity.as_ref().and_then(|i| i.identity_data.as_ref()) {
                Some(dv) if req.id.trim().is_empty() => {
                    let ity = resource::identity_type(r.identity_attributes());
                    r.import_id_of(&decode(Some(dv), &ity, "resource identity")?)?
                }
                _ => req.id.trim().to_string(),
            };
            let (v, diags) = r.import(&ctx, &id).await;
            let imported = if v.is_null() || diags.has_errors() {
                vec![]
            } else {
                vec![pb::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    state: Some(encode(&v, r.object_type())?),
                    private: vec![],
                    identity: self.identity_data(r, &v)?,
                }]
            };
            Ok(pb::import_resource_state::Response {
                imported_resources: imported,
                diagnostics: diags.to_proto(),
                deferred: None,
            })
        })
        .await
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let req = req.into_inner();
        guarded_for("ReadDataSource", &req.type_name.clone(), async {
            let d = self.data_source(&req.type_name)?;
            let config = decode(req.config.as_ref(), d.object_type(), "data source configuration")?;
            let ctx = self.ctx()?;
            let (v, diags) = d.read(&ctx, &config).await;
            if diags.has_errors() {
                return Err(diags);
            }
            Ok(pb::read_data_source::Response {
                state: Some(encode(&v, d.object_type())?),
                diagnostics: diags.to_proto(),
                deferred: None,
            })
        })
        .await
    }

    async fn stop_provider(
        &self,
        _req: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        tracing::info!("StopProvider: cancelling in-flight API requests");
        self.inner.stop.cancel();
        Ok(Response::new(pb::stop_provider::Response::default()))
    }
}
