//! Schemas as we declare them: every attribute has a description, and carries
//! the facts the docs generator needs (default, forces replacement).

use super::types::Type;
use crate::proto::tfplugin6 as pb;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Required,
    Optional,
    /// Optional and computed: the provider fills it when the config leaves it out.
    OptionalComputed,
    Computed,
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: &'static str,
    pub ty: Type,
    pub mode: Mode,
    pub description: &'static str,
    pub sensitive: bool,
    /// Human description of the default, for docs.
    pub default: Option<&'static str>,
    /// Whether changing it plans a replacement.
    pub forces_replacement: bool,
}

impl Attribute {
    pub fn new(name: &'static str, ty: Type, mode: Mode, description: &'static str) -> Self {
        Attribute { name, ty, mode, description, sensitive: false, default: None, forces_replacement: false }
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub fn default(mut self, d: &'static str) -> Self {
        self.default = Some(d);
        self
    }
    pub fn forces_replacement(mut self) -> Self {
        self.forces_replacement = true;
        self
    }
}

#[derive(Debug, Clone)]
pub struct Schema {
    pub version: i64,
    pub description: &'static str,
    pub attributes: Vec<Attribute>,
}

impl Schema {
    /// The object type of a value of this schema.
    pub fn object_type(&self) -> Type {
        Type::Object(self.attributes.iter().map(|a| (a.name.to_string(), a.ty.clone())).collect::<BTreeMap<_, _>>())
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn to_proto(&self) -> pb::Schema {
        let attributes = self
            .attributes
            .iter()
            .map(|a| pb::schema::Attribute {
                name: a.name.to_string(),
                r#type: a.ty.to_json_bytes(),
                nested_type: None,
                description: a.description.to_string(),
                required: a.mode == Mode::Required,
                optional: matches!(a.mode, Mode::Optional | Mode::OptionalComputed),
                computed: matches!(a.mode, Mode::OptionalComputed | Mode::Computed),
                sensitive: a.sensitive,
                description_kind: pb::StringKind::Markdown as i32,
                deprecated: false,
                write_only: false,
            })
            .collect();
        pb::Schema {
            version: self.version,
            block: Some(pb::schema::Block {
                version: self.version,
                attributes,
                block_types: vec![],
                description: self.description.to_string(),
                description_kind: pb::StringKind::Markdown as i32,
                deprecated: false,
            }),
        }
    }
}
