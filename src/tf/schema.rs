//! Schemas as we declare them: every attribute has a description, and carries
//! the facts that drive planning (`tf/plan.rs`) and the docs: its
//! default, whether a change forces replacement, whether an unset value keeps
//! the prior one, and when two spellings mean the same.

use super::types::Type;
use super::value::{Number, Value};
use crate::proto::tfplugin6 as pb;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How an attribute is set.
pub enum Mode {
    /// Set in the configuration.
    Required,
    /// May be set in the configuration; null otherwise.
    Optional,
    /// Optional and computed: the provider fills it when the config leaves it out.
    OptionalComputed,
    /// Set by the provider only.
    Computed,
}

#[derive(Debug, Clone)]
/// One attribute of a schema.
pub struct Attribute {
    /// Its name.
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
    /// How it is set.
    pub mode: Mode,
    /// Markdown description (docs and language servers).
    pub description: &'static str,
    /// Terraform hides it in plan output.
    pub sensitive: bool,
    /// The value planned when the configuration leaves an optional+computed
    /// attribute out (shown in the docs as "Defaults to").
    pub default: Option<Value>,
    /// Whether changing it plans a replacement. A prior value of null (an
    /// import from an API that cannot return it) is recorded in place instead.
    pub forces_replacement: bool,
    /// Optional+computed: when the configuration leaves it out, keep the
    /// prior value (the default applies on create only).
    pub keep_prior_when_unset: bool,
    /// Two known values that mean the same (no replacement between them).
    pub same: Option<fn(&Value, &Value) -> bool>,
    /// A whole number's allowed range, checked at validate time.
    pub range: Option<(i64, i64)>,
    /// A string's allowed values, checked at validate time.
    pub one_of: &'static [&'static str],
}

impl Attribute {
    /// An attribute with nothing but its name, type, mode and description.
    pub fn new(name: &'static str, ty: Type, mode: Mode, description: &'static str) -> Self {
        Attribute {
            name,
            ty,
            mode,
            description,
            sensitive: false,
            default: None,
            forces_replacement: false,
            keep_prior_when_unset: false,
            same: None,
            range: None,
            one_of: &[],
        }
    }
    /// A string among `values` (checked by validation).
    pub fn one_of(mut self, values: &'static [&'static str]) -> Self {
        self.one_of = values;
        self
    }
    /// A whole number in `min..=max` (checked by validation).
    pub fn range(mut self, min: i64, max: i64) -> Self {
        self.range = Some((min, max));
        self
    }
    /// Marks it sensitive.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    /// Default of a string attribute.
    pub fn default_str(mut self, d: &'static str) -> Self {
        self.default = Some(Value::String(d.into()));
        self
    }
    /// Default of a number attribute.
    pub fn default_int(mut self, d: i64) -> Self {
        self.default = Some(Value::Number(Number::Int(d)));
        self
    }
    /// Optional+computed: an unset value keeps the prior one.
    pub fn keep_prior_when_unset(mut self) -> Self {
        self.keep_prior_when_unset = true;
        self
    }
    /// Two known values that `f` says are equal are not a change.
    pub fn same_when(mut self, f: fn(&Value, &Value) -> bool) -> Self {
        self.same = Some(f);
        self
    }
    /// A change plans a replacement.
    pub fn forces_replacement(mut self) -> Self {
        self.forces_replacement = true;
        self
    }
}

#[derive(Debug, Clone)]
/// A resource's, data source's or provider's schema.
pub struct Schema {
    /// State schema version (raised when stored state must be upgraded).
    pub version: i64,
    /// Markdown description.
    pub description: &'static str,
    /// Its attributes.
    pub attributes: Vec<Attribute>,
    /// Its nested blocks.
    pub blocks: Vec<Block>,
}

/// A nested block written any number of times (`destination { ... }`),
/// held as a set of objects: order does not matter, duplicates merge.
#[derive(Debug, Clone)]
pub struct Block {
    /// The block's name in HCL.
    pub name: &'static str,
    /// Markdown description.
    pub description: &'static str,
    /// The attributes of one block (none of them computed: the planner
    /// plans each set of blocks as configured).
    pub attributes: Vec<Attribute>,
}

impl Block {
    /// The object type of one block.
    pub fn element_type(&self) -> Type {
        object_of(&self.attributes)
    }

    fn to_proto(&self) -> pb::schema::NestedBlock {
        pb::schema::NestedBlock {
            type_name: self.name.to_string(),
            block: Some(pb::schema::Block {
                version: 0,
                attributes: self.attributes.iter().map(Attribute::to_proto).collect(),
                block_types: vec![],
                description: self.description.to_string(),
                description_kind: pb::StringKind::Markdown as i32,
                deprecated: false,
            }),
            nesting: pb::schema::nested_block::NestingMode::Set as i32,
            min_items: 0,
            max_items: 0,
        }
    }
}

fn object_of(attributes: &[Attribute]) -> Type {
    Type::Object(attributes.iter().map(|a| (a.name.to_string(), a.ty.clone())).collect::<BTreeMap<_, _>>())
}

impl Attribute {
    fn to_proto(&self) -> pb::schema::Attribute {
        pb::schema::Attribute {
            name: self.name.to_string(),
            r#type: self.ty.to_json_bytes(),
            nested_type: None,
            description: self.description.to_string(),
            required: self.mode == Mode::Required,
            optional: matches!(self.mode, Mode::Optional | Mode::OptionalComputed),
            computed: matches!(self.mode, Mode::OptionalComputed | Mode::Computed),
            sensitive: self.sensitive,
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: false,
            write_only: false,
        }
    }

    /// The schema's own rules for one value: a number within its range, a
    /// string among its values (unknown and null pass). `at` is the path.
    fn check(&self, v: &Value, at: Vec<String>, diags: &mut super::diag::Diagnostics) {
        let a = self;
        if let (false, Value::String(v)) = (a.one_of.is_empty(), v)
            && !a.one_of.contains(&v.as_str())
        {
            let allowed: Vec<String> = a.one_of.iter().map(|o| format!("{o:?}")).collect();
            diags.push(
                super::diag::Diagnostic::error(
                    format!("Invalid {}", a.name),
                    format!("{} must be {}, got {v:?}.", a.name, allowed.join(" or ")),
                )
                .at_path(at.clone()),
            );
        }
        if let (Some((min, max)), Value::Number(n)) = (a.range, v)
            && n.as_i64().is_none_or(|v| !(min..=max).contains(&v))
        {
            diags.push(
                super::diag::Diagnostic::error(
                    format!("Invalid {}", a.name),
                    format!("{} must be between {min} and {max}, got {n}.", a.name),
                )
                .at_path(at),
            );
        }
    }
}

impl Schema {
    /// The object type of a value of this schema (a block is a set of objects).
    pub fn object_type(&self) -> Type {
        let mut ty = object_of(&self.attributes);
        if let Type::Object(m) = &mut ty {
            for b in &self.blocks {
                m.insert(b.name.to_string(), Type::Set(Box::new(b.element_type())));
            }
        }
        ty
    }

    /// What the schema itself says about a configuration: numbers within
    /// their range, strings among their values (unknown and null pass), in
    /// attributes and in every block.
    pub(crate) fn check(&self, config: &Value, diags: &mut super::diag::Diagnostics) {
        for b in &self.blocks {
            if let Value::List(elems) = config.get(b.name) {
                for e in elems {
                    for a in &b.attributes {
                        a.check(e.get(a.name), vec![b.name.to_string(), a.name.to_string()], diags);
                    }
                }
            }
        }
        for a in &self.attributes {
            a.check(config.get(a.name), vec![a.name.to_string()], diags);
        }
    }

    /// The attribute of that name.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// As tfplugin6 sends it.
    pub fn to_proto(&self) -> pb::Schema {
        let attributes = self.attributes.iter().map(Attribute::to_proto).collect();
        pb::Schema {
            version: self.version,
            block: Some(pb::schema::Block {
                version: self.version,
                attributes,
                block_types: self.blocks.iter().map(Block::to_proto).collect(),
                description: self.description.to_string(),
                description_kind: pb::StringKind::Markdown as i32,
                deprecated: false,
            }),
        }
    }
}
