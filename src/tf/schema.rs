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
    /// A string's length in characters: at least 1 (`not_empty`), at most
    /// `max_chars`; checked at validate time.
    pub not_empty: bool,
    /// See `not_empty`.
    pub max_chars: Option<usize>,
    /// Exactly one of this attribute and the named one must be set (set
    /// includes unknown), checked at validate time.
    pub exactly_one_with: Option<&'static str>,
    /// This attribute may be set only when the named one is.
    pub requires: Option<&'static str>,
    /// Write-only (Terraform 1.11+): the value exists only in the
    /// configuration; every state the provider returns holds null for it.
    /// The text names what to use instead on a Terraform without write-only
    /// arguments.
    pub write_only: Option<&'static str>,
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
            not_empty: false,
            max_chars: None,
            exactly_one_with: None,
            requires: None,
            write_only: None,
        }
    }
    /// A string that must not be empty.
    pub fn not_empty(mut self) -> Self {
        self.not_empty = true;
        self
    }
    /// A string of at most `n` characters.
    pub fn max_chars(mut self, n: usize) -> Self {
        self.max_chars = Some(n);
        self
    }
    /// Exactly one of this attribute and `other` must be set.
    pub fn exactly_one_with(mut self, other: &'static str) -> Self {
        self.exactly_one_with = Some(other);
        self
    }
    /// Set only together with `other`.
    pub fn requires(mut self, other: &'static str) -> Self {
        self.requires = Some(other);
        self
    }
    /// Write-only and sensitive (Terraform 1.11+); `instead` names the
    /// alternative for older Terraform, e.g. "`password`".
    pub fn write_only(mut self, instead: &'static str) -> Self {
        self.write_only = Some(instead);
        self.sensitive = true;
        self
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
            write_only: self.write_only.is_some(),
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
        if let Value::String(text) = v {
            let n = text.chars().count();
            let problem = if a.not_empty && text.is_empty() {
                Some(format!("{} must not be empty.", a.name))
            } else {
                a.max_chars
                    .filter(|max| n > *max)
                    .map(|max| format!("{} must be at most {max} characters, got {n}.", a.name))
            };
            if let Some(p) = problem {
                diags.push(super::diag::Diagnostic::error(format!("Invalid {}", a.name), p).at_path(at.clone()));
            }
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
    /// their range, strings among their values and within their length
    /// (unknown and null pass), in attributes and in every block; then the
    /// rules between attributes.
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
        self.check_together(config, diags);
    }

    /// The rules between attributes: exactly one of two, one only with another.
    fn check_together(&self, config: &Value, diags: &mut super::diag::Diagnostics) {
        use super::diag::Diagnostic;
        let set = |name: &str| !config.get(name).is_null();
        for a in &self.attributes {
            if let Some(b) = a.exactly_one_with {
                match (set(a.name), set(b)) {
                    (true, true) => diags.push(
                        Diagnostic::error(
                            "Conflicting arguments",
                            format!("Set exactly one of {} and {b}, not both.", a.name),
                        )
                        .at(b),
                    ),
                    (false, false) => diags.push(Diagnostic::error(
                        format!("Missing {} or {b}", a.name),
                        format!("Set exactly one of {} and {b}.", a.name),
                    )),
                    _ => {}
                }
            }
            if let Some(b) = a.requires
                && set(a.name)
                && !set(b)
            {
                diags.push(
                    Diagnostic::error(
                        format!("{} without {b}", a.name),
                        format!("{} is only used with {b}: set {b} too, or remove {}.", a.name, a.name),
                    )
                    .at(a.name),
                );
            }
        }
    }

    /// `v` with every write-only attribute null: what every state returned
    /// to Terraform holds (it rejects anything else).
    pub fn without_write_only(&self, mut v: Value) -> Value {
        if let Value::Map(m) = &mut v {
            for a in self.attributes.iter().filter(|a| a.write_only.is_some()) {
                m.insert(a.name.to_string(), Value::Null);
            }
        }
        v
    }

    /// `planned` with the write-only values of `config` (the only place
    /// they exist): what create and update are handed.
    pub fn with_write_only(&self, mut planned: Value, config: &Value) -> Value {
        if let Value::Map(m) = &mut planned {
            for a in self.attributes.iter().filter(|a| a.write_only.is_some()) {
                m.insert(a.name.to_string(), config.get(a.name).clone());
            }
        }
        planned
    }

    /// Errors for write-only attributes set in `config` when the client
    /// (Terraform before 1.11) did not announce support for them: such a
    /// Terraform would store the value in state like any other.
    pub(crate) fn refuse_write_only(&self, config: &Value, diags: &mut super::diag::Diagnostics) {
        for a in self.attributes.iter().filter(|a| !config.get(a.name).is_null()) {
            let Some(instead) = a.write_only else { continue };
            diags.push(
                super::diag::Diagnostic::error(
                    "Write-only argument not supported by this Terraform",
                    format!(
                        "{} is a write-only argument: Terraform 1.11 and later keep its value out of plan and state. This Terraform did not announce support for write-only arguments, so it would store the value. Use {instead} instead, or upgrade Terraform to 1.11 or later.",
                        a.name
                    ),
                )
                .at(a.name),
            );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::diag::Diagnostics;

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut m: BTreeMap<String, Value> =
            ["a", "b", "v", "label"].iter().map(|n| (n.to_string(), Value::Null)).collect();
        for (k, v) in pairs {
            m.insert(k.to_string(), v.clone());
        }
        Value::Map(m)
    }

    fn errors(schema: &Schema, pairs: &[(&str, Value)]) -> Vec<String> {
        let mut d = Diagnostics::default();
        schema.check(&config(pairs), &mut d);
        d.0.into_iter().map(|d| format!("{}: {}", d.summary, d.detail)).collect()
    }

    #[test]
    fn rules_between_attributes_and_string_lengths() {
        let schema = Schema {
            version: 0,
            description: "t",
            attributes: vec![
                Attribute::new("a", Type::String, Mode::Optional, "a").exactly_one_with("b").not_empty(),
                Attribute::new("b", Type::String, Mode::Optional, "b"),
                Attribute::new("v", Type::Number, Mode::Optional, "v").requires("b"),
                Attribute::new("label", Type::String, Mode::Optional, "l").max_chars(3),
            ],
            blocks: vec![],
        };
        let s = |v: &str| Value::String(v.into());
        assert_eq!(errors(&schema, &[("a", s("x"))]), Vec::<String>::new());
        assert_eq!(errors(&schema, &[("b", Value::UNKNOWN), ("v", Value::UNKNOWN)]), Vec::<String>::new());
        assert_eq!(
            errors(&schema, &[("a", s("x")), ("b", s("y"))]),
            ["Conflicting arguments: Set exactly one of a and b, not both."]
        );
        assert_eq!(errors(&schema, &[]), ["Missing a or b: Set exactly one of a and b."]);
        assert_eq!(
            errors(&schema, &[("a", s("x")), ("v", Value::UNKNOWN)]),
            ["v without b: v is only used with b: set b too, or remove v."]
        );
        assert_eq!(errors(&schema, &[("a", s(""))]), ["Invalid a: a must not be empty."]);
        assert_eq!(
            errors(&schema, &[("a", s("x")), ("label", s("ünïc"))]),
            ["Invalid label: label must be at most 3 characters, got 4."]
        );
        assert_eq!(errors(&schema, &[("a", s("x")), ("label", s("ünï"))]), Vec::<String>::new());
    }
}
