//! The Exotel provider as the framework sees it: `Exotel` (its
//! configuration block, everything it serves, how a configuration becomes
//! an API client) and `Ctx`, what its resources work with. The framework
//! (`tf`, `plugin`, `provider`) knows nothing of either beyond the traits
//! they implement.

pub mod config;

use crate::api::client::{AccessCheck, Probe};
use crate::api::{Client, Secret};
use crate::provider::function::Function;
use crate::provider::resource::{Context, DataSource, Ephemeral, Ready, Resource};
use crate::provider::{Configured, EnvLookup, ProviderDef, ProviderService};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::{Model, Scalar};
use crate::tf::schema::Schema;
use crate::tf::value::Value;
use async_trait::async_trait;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The Exotel provider (`provider "exotel"`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Exotel;

/// The Exotel provider's gRPC service (cheap to clone: one shared state).
#[derive(Clone)]
pub struct Service(pub(crate) ProviderService<Exotel>);

/// The service, reading its environment from the process environment.
pub fn service() -> Service {
    Service(ProviderService::new(Exotel))
}

/// The service, reading its environment through `env` (tests).
pub fn service_with_env(env: EnvLookup) -> Service {
    Service(ProviderService::with_env(Exotel, env))
}

impl Service {
    /// Resource type names and schemas (for docs and tests).
    pub fn resource_schemas(&self) -> Vec<(&'static str, Schema)> {
        self.0.resource_schemas()
    }
    /// A resource's identity attributes (all strings, all required for import).
    pub fn identity_attributes(&self, type_name: &str) -> &'static [&'static str] {
        self.0.identity_attributes(type_name)
    }
    /// List resource type names and their `config` schemas.
    pub fn list_schemas(&self) -> Vec<(&'static str, Schema)> {
        self.0.list_schemas()
    }
    /// Data source type names and schemas.
    pub fn data_source_schemas(&self) -> Vec<(&'static str, Schema)> {
        self.0.data_source_schemas()
    }
    /// Ephemeral resource type names and schemas.
    pub fn ephemeral_schemas(&self) -> Vec<(&'static str, Schema)> {
        self.0.ephemeral_schemas()
    }
}

/// What planning may know about the provider configuration (no API access).
#[derive(Debug, Clone, Default)]
pub(crate) struct PlanCtx {
    /// The account SID, when configured and known.
    pub(crate) account_sid: Option<String>,
}

/// What the Exotel resources work with: the configured API client.
#[derive(Clone)]
pub(crate) struct Ctx {
    /// The client of the configured account.
    pub(crate) client: Arc<Client>,
}

impl Ctx {
    /// The plan-time credentials check with `probe` as its request (see
    /// [`Client::verify_access`]), as a [`Ready`].
    pub(crate) async fn check(&self, probe: Option<Probe<'_>>) -> Ready {
        match self.client.verify_access(probe).await {
            AccessCheck::Ok => Ready::Go,
            AccessCheck::Failed { error, report: true } => Ready::Report(config::access_diagnostic(&error).into()),
            AccessCheck::Failed { report: false, .. } => Ready::Quiet,
        }
    }
}

#[async_trait]
impl Context for Ctx {
    type Plan = PlanCtx;

    fn plan_view(&self) -> PlanCtx {
        PlanCtx { account_sid: Some(self.client.account_sid().to_string()) }
    }

    /// The plan-time credentials check: one `GET /trunks` per process, unless
    /// an answer proved the credentials already.
    async fn ready(&self) -> Ready {
        self.check(None).await
    }

    /// The client's notices: the rate limit could not be shared.
    fn notices(&self) -> Diagnostics {
        let mut d = Diagnostics::default();
        for text in self.client.take_notices() {
            d.push(Diagnostic::warning(
                "Rate limit not shared",
                format!(
                    "{text} Set shared_rate_limit = false (EXOTEL_SHARED_RATE_LIMIT=false) to turn sharing off, or rate_limit_dir (EXOTEL_RATE_LIMIT_DIR) to use another folder."
                ),
            ));
        }
        d
    }
}

impl ProviderDef for Exotel {
    type Ctx = Ctx;
    const NAME: &'static str = "exotel";

    fn schema(&self) -> Schema {
        config::schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        match <config::ProviderModel as Model>::from_value(config) {
            Ok(m) => config::validate(&m, diags),
            Err(d) => diags.push(d),
        }
    }

    fn configure(
        &self,
        config: &Value,
        terraform_version: &str,
        env: &EnvLookup,
        stop: CancellationToken,
    ) -> Result<Configured<Ctx>, Diagnostics> {
        let m = <config::ProviderModel as Model>::from_value(config).map_err(Diagnostics::from)?;
        Ok(match config::resolve(&m, terraform_version, env)? {
            config::Resolved::Ready { config: cfg, check_credentials } => {
                tracing::debug!(base_url = %cfg.base_url, account_sid = %cfg.account_sid, "provider configured");
                let client = Client::new(*cfg, stop)
                    .map_err(|e| Diagnostics::from(Diagnostic::error("Cannot create the API client", e)))?;
                // Nothing is sent here: the credentials are checked where a
                // plan-time error must be reported (`Context::ready`).
                if !check_credentials {
                    client.skip_access_check();
                }
                Configured::Ready(Ctx { client })
            }
            config::Resolved::Unknown { account_sid } => Configured::Unknown(PlanCtx { account_sid }),
        })
    }

    fn resources(&self) -> Vec<Box<dyn Resource<Ctx>>> {
        crate::resources::all()
    }

    fn data_sources(&self) -> Vec<Box<dyn DataSource<Ctx>>> {
        crate::resources::all_data_sources()
    }

    fn ephemerals(&self) -> Vec<Box<dyn Ephemeral<Ctx>>> {
        crate::resources::all_ephemerals()
    }

    fn functions(&self) -> Vec<Function> {
        crate::functions::all()
    }
}

/// A sensitive string attribute as the client's [`Secret`].
impl Scalar for Secret {
    #[cfg(test)]
    fn ty() -> crate::tf::types::Type {
        crate::tf::types::Type::String
    }
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(Secret::new(s.clone())),
            _ => Err("expected a string".into()),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.expose().to_string())
    }
}
