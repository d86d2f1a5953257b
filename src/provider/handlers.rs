//! The tfplugin6 RPC handlers: decode the request, dispatch through the
//! registry, encode the answer. Every handler runs in [`guarded`].

use super::registry::{ProviderDef, ProviderService};
use super::resource::{self, Context};
use super::wire::{EventStream, ListEvents, decode, encode, guarded, guarded_for};
use crate::proto::tfplugin6 as pb;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::types::Type;
use crate::tf::value::{self, Value};
use tonic::{Request, Response, Status};

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: false,
    }
}

#[tonic::async_trait]
impl<P: ProviderDef> pb::provider_server::Provider for ProviderService<P> {
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
                ephemeral_resources: self
                    .inner
                    .ephemerals
                    .keys()
                    .map(|k| pb::get_metadata::EphemeralMetadata { type_name: k.to_string() })
                    .collect(),
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
                ephemeral_resource_schemas: self
                    .inner
                    .ephemerals
                    .iter()
                    .map(|(k, e)| (k.to_string(), e.schema().to_proto()))
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
        let events =
            guarded_for("ListResource", &req.type_name.clone(), async { self.list_events(&req).await.map(ListEvents) })
                .await?
                .into_inner();
        let stream = futures::stream::iter(events.0.into_iter().map(Ok));
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
        guarded("CallFunction", async {
            let answer = async {
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
            };
            Ok(answer.await)
        })
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let req = req.into_inner();
        guarded_for("ValidateEphemeralResourceConfig", &req.type_name.clone(), async {
            let e = self.ephemeral(&req.type_name)?;
            let v = decode(req.config.as_ref(), e.object_type(), "ephemeral resource configuration")?;
            Ok(pb::validate_ephemeral_resource_config::Response { diagnostics: e.validate(&v).to_proto() })
        })
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let req = req.into_inner();
        guarded_for("OpenEphemeralResource", &req.type_name.clone(), async {
            let e = self.ephemeral(&req.type_name)?;
            let v = decode(req.config.as_ref(), e.object_type(), "ephemeral resource configuration")?;
            let ctx = self.ctx();
            if let Ok(c) = &ctx {
                Self::proceed(c).await?;
            }
            let (out, diags) = e.open(ctx, &v).await;
            if diags.has_errors() {
                return Err(diags);
            }
            Ok(pb::open_ephemeral_resource::Response {
                result: Some(encode(&out, e.object_type())?),
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
            let mut diags = Diagnostics::default();
            self.inner.def.validate(&v, &mut diags);
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
            let configured =
                self.inner.def.configure(&v, &req.terraform_version, &self.inner.env, self.inner.stop.child_token())?;
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
            let write_only = req.client_capabilities.as_ref().is_some_and(|c| c.write_only_attributes_allowed);
            Ok(pb::validate_resource_config::Response { diagnostics: r.validate(&v, write_only).to_proto() })
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
            if !Self::go(ctx.ready().await)? {
                // The check failed and another call reports it: keep the state.
                return Ok(pb::read_resource::Response {
                    new_state: req.current_state,
                    private: req.private,
                    new_identity: req.current_identity,
                    ..Default::default()
                });
            }
            let (new, mut diags) = r.read(&ctx, &current).await;
            diags.0.extend(self.notices().0);
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
            let (planned, replace, mut diags) = r.plan(&self.plan_ctx(), &prior, &proposed, &config);
            // A create is where a plan must fail on wrong credentials: no
            // other request precedes it. Its probe is the listing the create
            // sends first anyway.
            if prior.is_null()
                && !planned.is_null()
                && !diags.has_errors()
                && let Ok(ctx) = self.ctx()
            {
                if let Err(d) = Self::go(r.ready_to_create(&ctx, &planned).await) {
                    diags.0.extend(d.0);
                }
                diags.0.extend(self.notices().0);
            }
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
            let config = decode(req.config.as_ref(), ty, "resource configuration")?;
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
            let (new, mut diags) = r.apply(&ctx, &prior, &planned, &config).await;
            diags.0.extend(self.notices().0);
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
            Self::proceed(&ctx).await?;
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
            Self::proceed(&ctx).await?;
            let (v, mut diags) = d.read(&ctx, &config).await;
            diags.0.extend(self.notices().0);
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
        guarded("StopProvider", async {
            tracing::info!("StopProvider: cancelling in-flight API requests");
            self.inner.stop.cancel();
            Ok(pb::stop_provider::Response::default())
        })
        .await
    }
}
