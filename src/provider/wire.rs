//! Wire helpers shared by the RPC handlers: DynamicValue decoding and
//! encoding, and the one guard every RPC runs in (its log span, diagnostics
//! as an Ok response, a caught panic as an internal-error diagnostic).

use crate::proto::tfplugin6 as pb;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::types::Type;
use crate::tf::value::{self, Value};
use futures::FutureExt;
use std::panic::AssertUnwindSafe;
use tonic::{Response, Status};

/// Decodes a DynamicValue (msgpack preferred, JSON otherwise) of type `ty`.
pub(super) fn decode(dv: Option<&pb::DynamicValue>, ty: &Type, what: &str) -> Result<Value, Diagnostics> {
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
pub(super) fn encode(v: &Value, ty: &Type) -> Result<pb::DynamicValue, Diagnostics> {
    value::to_msgpack(v, ty).map(|msgpack| pb::DynamicValue { msgpack, json: vec![] }).map_err(|e| {
        Diagnostic::error("Internal error encoding a value", format!("{e} (at {:?}); this is a provider bug.", e.path))
            .into()
    })
}

/// The stream ListResource answers with.
pub(super) type EventStream =
    std::pin::Pin<Box<dyn futures::Stream<Item = Result<pb::list_resource::Event, Status>> + Send + 'static>>;

/// ListResource's events, before they become the stream.
pub(super) struct ListEvents(pub(super) Vec<pb::list_resource::Event>);

/// An RPC's answer, and how it reports a failure (error diagnostics, or a
/// caught panic) to Terraform.
pub(super) trait Answer {
    fn failed(diags: Diagnostics) -> Self;
}

macro_rules! with_diags {
    ($($t:ty => $field:ident),* $(,)?) => {
        $(impl Answer for $t {
            fn failed(diags: Diagnostics) -> Self {
                let mut answer = Self::default();
                answer.$field = diags.to_proto();
                answer
            }
        })*
    };
}

impl Answer for ListEvents {
    /// One event carrying the diagnostics.
    fn failed(diags: Diagnostics) -> Self {
        ListEvents(vec![pb::list_resource::Event { diagnostic: diags.to_proto(), ..Default::default() }])
    }
}

/// The first diagnostic as one line, for answers that carry text, not diagnostics.
fn first_message(diags: &Diagnostics) -> String {
    diags.0.first().map(|d| format!("{}: {}", d.summary, d.detail)).unwrap_or_default()
}

impl Answer for pb::call_function::Response {
    /// A function error (functions answer with text, not diagnostics).
    fn failed(diags: Diagnostics) -> Self {
        let text = first_message(&diags);
        pb::call_function::Response { result: None, error: Some(pb::FunctionError { text, function_argument: None }) }
    }
}

impl Answer for pb::stop_provider::Response {
    fn failed(diags: Diagnostics) -> Self {
        let error = first_message(&diags);
        pb::stop_provider::Response { error }
    }
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
pub const PANIC_HOOK_VAR: &str = "TF_PROVIDER_TEST_PANIC_RPC";

fn panic_hook_rpc() -> Option<&'static str> {
    static HOOK: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    HOOK.get_or_init(|| std::env::var(PANIC_HOOK_VAR).ok().filter(|s| !s.is_empty())).as_deref()
}

/// Runs a handler inside its log span (`tf_rpc`, a per-request `tf_req_id`,
/// and `tf_resource_type` where there is one, so `TF_LOG=DEBUG` ties every
/// API request to the RPC and resource that caused it); its error
/// diagnostics, or a caught panic, become a response with diagnostics.
pub(super) async fn guarded<R, F>(rpc: &'static str, f: F) -> Result<Response<R>, Status>
where
    R: Answer,
    F: std::future::Future<Output = Result<R, Diagnostics>>,
{
    guarded_for(rpc, "", f).await
}

/// [`guarded`] for an RPC about one resource, data source or list type.
pub(super) async fn guarded_for<R, F>(rpc: &'static str, type_name: &str, f: F) -> Result<Response<R>, Status>
where
    R: Answer,
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
    R: Answer,
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
        Ok(Err(diags)) => R::failed(diags),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(rpc, panic = %msg, "internal error in request handler");
            R::failed(
                Diagnostic::error(
                    "Internal provider error",
                    format!("The provider hit a bug while handling {rpc}: {msg}. Nothing further was done for this request; please report this with the TF_LOG=DEBUG output."),
                )
                .into(),
            )
        }
    };
    Ok(Response::new(out))
}
