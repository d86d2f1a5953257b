//! How resources and data sources plug in.
//!
//! A resource implements [`TypedResource`] on its own model struct; the
//! [`Typed`] adapter turns that into the value-level [`Resource`] the gRPC
//! layer dispatches to, doing every conversion and turning every conversion
//! failure into a diagnostic. What a resource gets to work with is the
//! provider's own [`Context`] (the Exotel provider's holds its API client):
//! nothing here knows what it is.

use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Model;
use crate::tf::schema::Schema;
use crate::tf::types::Type;
use crate::tf::value::{self, Value};
use async_trait::async_trait;

/// What a configured provider hands its resources, data sources and
/// ephemeral resources (for the Exotel provider, its API client). The
/// framework only clones it and asks it these questions.
#[async_trait]
pub(crate) trait Context: Clone + Send + Sync + 'static {
    /// What planning may know of the provider configuration without
    /// reaching the API (also when the configuration is not known yet).
    type Plan: Clone + Default + Send + Sync + 'static;
    /// The planning view of this configured provider.
    fn plan_view(&self) -> Self::Plan;
    /// Whether an operation that reaches the API may go on. Called before
    /// every read, import, list and ephemeral open, and (through
    /// [`TypedResource::ready_to_create`]) before a planned create, so that
    /// a provider can fail `plan` early (wrong credentials).
    async fn ready(&self) -> Ready {
        Ready::Go
    }
    /// Warnings to add to the next answer (taken: each is shown once).
    fn notices(&self) -> Diagnostics {
        Diagnostics::default()
    }
}

/// What [`Context::ready`] found.
#[derive(Debug)]
pub(crate) enum Ready {
    /// Go on.
    Go,
    /// Stop, and report this (the first caller to see a failure).
    Report(Diagnostics),
    /// Stop quietly: the failure was reported by another call, the run has
    /// failed already.
    Quiet,
}

/// What a read found.
#[derive(Debug)]
pub(crate) enum Refreshed<M> {
    /// It exists; the state to record.
    Present(M),
    /// It no longer exists: Terraform removes it from state and plans to create it.
    Gone,
    /// The read could not tell; `diags` says why, and the state is kept.
    Failed,
}

/// The error for a state that lacks the ids a read needs: never a silent removal.
pub(crate) fn missing_ids(type_name: &str, ids: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Cannot read {type_name}"),
        format!(
            "The state of this {type_name} has no {ids}, so it cannot be looked up. Remove it from state (terraform state rm) and import it again."
        ),
    )
}

/// A resource on its own typed model: what it says beyond its schema.
#[async_trait]
pub(crate) trait TypedResource: Send + Sync + 'static {
    /// What its operations get from the configured provider.
    type Ctx: Context;
    /// Its state and configuration, typed ([`crate::tf::model::tf_model`]).
    type Model: Model + Send + Sync + Clone + std::fmt::Debug + 'static;
    /// The resource type name, e.g. `exotel_trunk`.
    const TYPE_NAME: &'static str;
    /// Identity attributes (Terraform ≥ 1.12), in import-ID order: the import
    /// ID is their values joined with `/`.
    const IDENTITY: &'static [&'static str];

    /// Its schema: attributes, descriptions, defaults, replacement rules.
    fn schema(&self) -> Schema;
    /// Checks a configuration (values may be unknown). No API calls.
    fn validate(&self, config: &Self::Model, diags: &mut Diagnostics);
    /// What the schema cannot say about a plan (a default that depends on the
    /// provider configuration, a warning), applied to what the schema-driven
    /// planner ([`crate::tf::plan`]) planned. `prior` is None on create. No
    /// API calls.
    fn plan(
        &self,
        _ctx: &<Self::Ctx as Context>::Plan,
        _prior: Option<&Self::Model>,
        planned: Self::Model,
        _config: &Self::Model,
        _diags: &mut Diagnostics,
    ) -> Self::Model {
        planned
    }
    /// Whether a create of `planned` may go on (see [`Context::ready`]):
    /// by default the context's own check; a resource may make that check
    /// the request its create sends first anyway.
    async fn ready_to_create(&self, ctx: &Self::Ctx, _planned: Self::Model) -> Ready {
        ctx.ready().await
    }
    /// Creates; `None` when it failed (the reason is in `diags`).
    async fn create(&self, ctx: &Self::Ctx, planned: Self::Model, diags: &mut Diagnostics) -> Option<Self::Model>;
    /// Applies an in-place update; `None` when it failed.
    async fn update(
        &self,
        ctx: &Self::Ctx,
        prior: Self::Model,
        planned: Self::Model,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model>;
    /// Deletes; on failure the reason is in `diags` and the state is kept.
    async fn delete(&self, ctx: &Self::Ctx, prior: Self::Model, diags: &mut Diagnostics);
    /// Refreshes: present (with what the API holds), gone, or failed (the
    /// reason is in `diags`; state is kept).
    async fn read(&self, ctx: &Self::Ctx, current: Self::Model, diags: &mut Diagnostics) -> Refreshed<Self::Model>;
    /// Imports by the user's import ID; `None` when it failed.
    async fn import(&self, ctx: &Self::Ctx, id: &str, diags: &mut Diagnostics) -> Option<Self::Model>;

    /// Brings state stored at an older schema version up to date (called after
    /// decoding, which already dropped removed attributes and nulled new ones).
    fn upgrade(&self, _from_version: i64, state: Self::Model) -> Self::Model {
        state
    }

    /// The `config` block of `list` blocks (`terraform query`, Terraform ≥ 1.14);
    /// `None` when the resource cannot be listed.
    fn list_schema(&self) -> Option<Schema> {
        None
    }
    /// Every existing instance, as `(display name, state)`.
    async fn list(&self, _ctx: &Self::Ctx, _config: &Value, diags: &mut Diagnostics) -> Vec<(String, Self::Model)> {
        diags.push(Diagnostic::error("Listing not supported", format!("{} cannot be listed.", Self::TYPE_NAME)));
        vec![]
    }
}

/// The identity schema for a set of string attributes.
pub(crate) fn identity_type(attrs: &[&str]) -> Type {
    Type::Object(attrs.iter().map(|a| (a.to_string(), Type::String)).collect())
}

/// The value-level interface the gRPC layer uses ([`Typed`] implements it
/// for every [`TypedResource`]).
#[async_trait]
pub(crate) trait Resource<C: Context>: Send + Sync {
    /// The resource type name.
    fn type_name(&self) -> &'static str;
    /// The typed model's attributes and types (must equal the schema's).
    #[cfg(test)]
    fn model_attributes(&self) -> Vec<(&'static str, Type)>;
    /// Its schema.
    fn schema(&self) -> &Schema;
    /// Its schema's object type.
    fn object_type(&self) -> &Type;
    /// ValidateResourceConfig; `write_only_allowed` is what the client
    /// announced (Terraform 1.11 and later).
    fn validate(&self, config: &Value, write_only_allowed: bool) -> Diagnostics;
    /// Returns the planned value and the attributes that force replacement.
    fn plan(&self, ctx: &C::Plan, prior: &Value, proposed: &Value, config: &Value)
    -> (Value, Vec<String>, Diagnostics);
    /// ApplyResourceChange: create, update or delete. `config` supplies the
    /// write-only values (null on delete).
    async fn apply(&self, ctx: &C, prior: &Value, planned: &Value, config: &Value) -> (Value, Diagnostics);
    /// See [`TypedResource::ready_to_create`].
    async fn ready_to_create(&self, ctx: &C, planned: &Value) -> Ready;
    /// ReadResource.
    async fn read(&self, ctx: &C, current: &Value) -> (Value, Diagnostics);
    /// ImportResourceState.
    async fn import(&self, ctx: &C, id: &str) -> (Value, Diagnostics);
    /// Stored JSON (any older schema version) to a current value.
    fn upgrade(&self, version: i64, json: &[u8]) -> Result<Value, Diagnostics>;
    /// Identity attribute names (all strings).
    fn identity_attributes(&self) -> &'static [&'static str];
    /// The identity of a state value, when all of it is known.
    fn identity_of(&self, state: &Value) -> Option<Value> {
        let attrs = self.identity_attributes();
        let mut m = std::collections::BTreeMap::new();
        for a in attrs {
            match state.get(a) {
                v @ Value::String(_) => {
                    m.insert(a.to_string(), v.clone());
                }
                _ => return None,
            }
        }
        Some(Value::Map(m))
    }
    /// The import ID an identity stands for.
    fn import_id_of(&self, identity: &Value) -> Result<String, Diagnostics> {
        let mut parts = vec![];
        for a in self.identity_attributes() {
            match identity.get(a).as_str() {
                Some(v) if !v.is_empty() => parts.push(v.to_string()),
                _ => {
                    return Err(Diagnostic::error(
                        "Incomplete identity",
                        format!("{} needs identity attribute {a:?}.", self.type_name()),
                    )
                    .into());
                }
            }
        }
        Ok(parts.join("/"))
    }
    /// The `config` schema of its list resource, if it can be listed.
    fn list_schema(&self) -> Option<Schema>;
    /// ListResource: every instance, as `(display name, state)`.
    async fn list(&self, ctx: &C, config: &Value) -> (Vec<(String, Value)>, Diagnostics);
}

/// Adapts a [`TypedResource`] to [`Resource`].
pub(crate) struct Typed<R: TypedResource> {
    inner: R,
    schema: Schema,
    ty: Type,
}

impl<R: TypedResource> Typed<R> {
    /// The adapter, with the schema built once.
    pub(crate) fn new(inner: R) -> Self {
        let schema = inner.schema();
        let ty = schema.object_type();
        Typed { inner, schema, ty }
    }

    async fn apply_typed(&self, ctx: &R::Ctx, prior: &Value, planned: &Value, config: &Value) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::default();
        let prior_m = if prior.is_null() { None } else { model_of::<R::Model>(prior, &mut diags) };
        if diags.has_errors() {
            return (prior.clone(), diags);
        }
        if planned.is_null() {
            if let Some(p) = prior_m {
                self.inner.delete(ctx, p, &mut diags).await;
            }
            // On a failed delete Terraform keeps the prior state.
            return (if diags.has_errors() { prior.clone() } else { Value::Null }, diags);
        }
        // Create and update see the write-only values, from the configuration.
        let planned = &self.schema.with_write_only(planned.clone(), config);
        let Some(planned_m) = model_of::<R::Model>(planned, &mut diags) else {
            return (prior.clone(), diags);
        };
        let out = match prior_m {
            None => self.inner.create(ctx, planned_m, &mut diags).await,
            Some(p) => self.inner.update(ctx, p, planned_m, &mut diags).await,
        };
        match out {
            Some(m) => (m.to_value(), diags),
            None => {
                if !diags.has_errors() {
                    diags.push(Diagnostic::error(
                        "Apply produced no object",
                        "The provider returned no state and no error; this is a bug.",
                    ));
                }
                (prior.clone(), diags)
            }
        }
    }

    async fn read_typed(&self, ctx: &R::Ctx, current: &Value) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::default();
        let Some(m) = model_of::<R::Model>(current, &mut diags) else {
            return (current.clone(), diags);
        };
        match self.inner.read(ctx, m, &mut diags).await {
            Refreshed::Present(m) => (m.to_value(), diags),
            Refreshed::Gone => (Value::Null, diags),
            Refreshed::Failed => {
                if !diags.has_errors() {
                    diags.push(Diagnostic::error(
                        format!("Cannot read {}", R::TYPE_NAME),
                        "The read failed without saying why; this is a provider bug.",
                    ));
                }
                (current.clone(), diags)
            }
        }
    }
}

fn model_of<M: Model>(v: &Value, diags: &mut Diagnostics) -> Option<M> {
    match M::from_value(v) {
        Ok(m) => Some(m),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

#[async_trait]
impl<R: TypedResource> Resource<R::Ctx> for Typed<R> {
    fn type_name(&self) -> &'static str {
        R::TYPE_NAME
    }
    #[cfg(test)]
    fn model_attributes(&self) -> Vec<(&'static str, Type)> {
        R::Model::attribute_types()
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn object_type(&self) -> &Type {
        &self.ty
    }

    fn validate(&self, config: &Value, write_only_allowed: bool) -> Diagnostics {
        let mut diags = Diagnostics::default();
        if let Some(m) = model_of::<R::Model>(config, &mut diags) {
            if !write_only_allowed {
                self.schema.refuse_write_only(config, &mut diags);
            }
            self.schema.check(config, &mut diags);
            self.inner.validate(&m, &mut diags);
        }
        diags
    }

    fn plan(
        &self,
        ctx: &<R::Ctx as Context>::Plan,
        prior: &Value,
        proposed: &Value,
        config: &Value,
    ) -> (Value, Vec<String>, Diagnostics) {
        let mut diags = Diagnostics::default();
        // Destroy: the planned state is null.
        if proposed.is_null() {
            return (Value::Null, vec![], diags);
        }
        let prior_m = if prior.is_null() { None } else { model_of::<R::Model>(prior, &mut diags) };
        let Some(config_m) = model_of::<R::Model>(config, &mut diags) else {
            return (proposed.clone(), vec![], diags);
        };
        if diags.has_errors() {
            return (proposed.clone(), vec![], diags);
        }
        self.schema.check(config, &mut diags);
        self.inner.validate(&config_m, &mut diags);
        if diags.has_errors() {
            return (proposed.clone(), vec![], diags);
        }
        let (planned, replace) = crate::tf::plan::plan(&self.schema, prior, config);
        let Some(planned_m) = model_of::<R::Model>(&planned, &mut diags) else {
            return (proposed.clone(), vec![], diags);
        };
        let planned = self.inner.plan(ctx, prior_m.as_ref(), planned_m, &config_m, &mut diags);
        (self.schema.without_write_only(planned.to_value()), replace.into_iter().map(str::to_owned).collect(), diags)
    }

    async fn ready_to_create(&self, ctx: &R::Ctx, planned: &Value) -> Ready {
        match R::Model::from_value(planned) {
            Ok(m) => self.inner.ready_to_create(ctx, m).await,
            Err(_) => ctx.ready().await,
        }
    }

    async fn apply(&self, ctx: &R::Ctx, prior: &Value, planned: &Value, config: &Value) -> (Value, Diagnostics) {
        let (new, diags) = self.apply_typed(ctx, prior, planned, config).await;
        (self.schema.without_write_only(new), diags)
    }

    async fn read(&self, ctx: &R::Ctx, current: &Value) -> (Value, Diagnostics) {
        let (new, diags) = self.read_typed(ctx, current).await;
        (self.schema.without_write_only(new), diags)
    }

    async fn import(&self, ctx: &R::Ctx, id: &str) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::default();
        match self.inner.import(ctx, id, &mut diags).await {
            Some(m) => (self.schema.without_write_only(m.to_value()), diags),
            None => (Value::Null, diags),
        }
    }

    fn identity_attributes(&self) -> &'static [&'static str] {
        R::IDENTITY
    }

    fn list_schema(&self) -> Option<Schema> {
        self.inner.list_schema()
    }

    async fn list(&self, ctx: &R::Ctx, config: &Value) -> (Vec<(String, Value)>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let items = self.inner.list(ctx, config, &mut diags).await;
        (items.into_iter().map(|(n, m)| (n, m.to_value())).collect(), diags)
    }

    fn upgrade(&self, version: i64, json: &[u8]) -> Result<Value, Diagnostics> {
        // Decode leniently (dropping attributes no longer in the schema, nulling
        // new ones), then let the resource fill what older versions lacked.
        let v = value::from_json(json, &self.ty, true).map_err(|e| {
            Diagnostics::from(
                Diagnostic::error(
                    format!("Cannot read stored state of {}", R::TYPE_NAME),
                    format!("The state file holds a value this provider cannot read: {e}"),
                )
                .at_path(e.path.clone()),
            )
        })?;
        if version >= self.schema.version || v.is_null() {
            return Ok(self.schema.without_write_only(v));
        }
        let m = R::Model::from_value(&v).map_err(Diagnostics::from)?;
        Ok(self.schema.without_write_only(self.inner.upgrade(version, m).to_value()))
    }
}

/// A data source on its own model.
#[async_trait]
pub(crate) trait TypedDataSource: Send + Sync + 'static {
    /// What its read gets from the configured provider.
    type Ctx: Context;
    /// Its configuration and result, typed.
    type Model: Model + Send + Sync + Clone + std::fmt::Debug + 'static;
    /// The data source type name.
    const TYPE_NAME: &'static str;
    /// Its schema.
    fn schema(&self) -> Schema;
    /// Checks a configuration (values may be unknown). No API calls.
    fn validate(&self, config: &Self::Model, diags: &mut Diagnostics);
    /// Reads; `None` when it failed (the reason is in `diags`).
    async fn read(&self, ctx: &Self::Ctx, config: Self::Model, diags: &mut Diagnostics) -> Option<Self::Model>;
}

/// The value-level interface of a data source ([`TypedData`] implements it).
#[async_trait]
pub(crate) trait DataSource<C: Context>: Send + Sync {
    /// The type name.
    fn type_name(&self) -> &'static str;
    /// The typed model's attributes and types (must equal the schema's).
    #[cfg(test)]
    fn model_attributes(&self) -> Vec<(&'static str, Type)>;
    /// Its schema.
    fn schema(&self) -> &Schema;
    /// Its schema's object type.
    fn object_type(&self) -> &Type;
    /// ValidateDataResourceConfig.
    fn validate(&self, config: &Value) -> Diagnostics;
    /// ReadDataSource.
    async fn read(&self, ctx: &C, config: &Value) -> (Value, Diagnostics);
}

/// Adapts a [`TypedDataSource`] to [`DataSource`] and [`Ephemeral`].
pub(crate) struct TypedData<D: TypedDataSource> {
    inner: D,
    schema: Schema,
    ty: Type,
}

impl<D: TypedDataSource> TypedData<D> {
    /// The adapter, with the schema built once.
    pub(crate) fn new(inner: D) -> Self {
        let schema = inner.schema();
        let ty = schema.object_type();
        TypedData { inner, schema, ty }
    }
}

#[async_trait]
impl<D: TypedDataSource> DataSource<D::Ctx> for TypedData<D> {
    fn type_name(&self) -> &'static str {
        D::TYPE_NAME
    }
    #[cfg(test)]
    fn model_attributes(&self) -> Vec<(&'static str, Type)> {
        D::Model::attribute_types()
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn object_type(&self) -> &Type {
        &self.ty
    }
    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::default();
        if let Some(m) = model_of::<D::Model>(config, &mut diags) {
            self.schema.check(config, &mut diags);
            self.inner.validate(&m, &mut diags);
        }
        diags
    }
    async fn read(&self, ctx: &D::Ctx, config: &Value) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::default();
        let Some(m) = model_of::<D::Model>(config, &mut diags) else {
            return (Value::Null, diags);
        };
        self.inner.validate(&m, &mut diags);
        if diags.has_errors() {
            return (Value::Null, diags);
        }
        match self.inner.read(ctx, m, &mut diags).await {
            Some(m) => (m.to_value(), diags),
            None => (Value::Null, diags),
        }
    }
}

/// The value-level interface of an ephemeral resource.
/// Its type name, schema and validation are a data source's.
#[async_trait]
pub(crate) trait Ephemeral<C: Context>: DataSource<C> {
    /// The opened value: unknown while the configuration is not wholly known
    /// (Terraform opens it again once it is).
    async fn open(&self, ctx: Result<C, Diagnostics>, config: &Value) -> (Value, Diagnostics);
}

/// An ephemeral resource (Terraform ≥ 1.10) is a [`TypedDataSource`] read
/// when Terraform opens it, never stored in plan or state.
#[async_trait]
impl<D: TypedDataSource> Ephemeral<D::Ctx> for TypedData<D> {
    async fn open(&self, ctx: Result<D::Ctx, Diagnostics>, config: &Value) -> (Value, Diagnostics) {
        let settable = self.schema.attributes.iter().filter(|a| a.mode != crate::tf::schema::Mode::Computed);
        if settable.into_iter().any(|a| config.get(a.name).is_unknown()) {
            return (Value::UNKNOWN, Diagnostics::default());
        }
        match ctx {
            Ok(ctx) => DataSource::read(self, &ctx, config).await,
            Err(d) => (Value::Null, d),
        }
    }
}
