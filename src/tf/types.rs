//! Terraform's type system as far as the wire needs it: the JSON type
//! expressions in schemas (`"string"`, `["list","string"]`, ...).

use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

/// A cty type.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// A string.
    String,
    /// A number.
    Number,
    /// A bool.
    Bool,
    /// Any type (the value carries its type).
    Dynamic,
    /// A list of one element type.
    List(Box<Type>),
    /// A set of one element type.
    Set(Box<Type>),
    /// A map with string keys.
    Map(Box<Type>),
    /// An object with named attributes.
    Object(BTreeMap<String, Type>),
    /// A tuple of element types.
    Tuple(Vec<Type>),
}

impl Type {
    /// The JSON type expression Terraform expects in `Schema.Attribute.type`.
    pub fn to_json(&self) -> Json {
        match self {
            Type::String => json!("string"),
            Type::Number => json!("number"),
            Type::Bool => json!("bool"),
            Type::Dynamic => json!("dynamic"),
            Type::List(t) => json!(["list", t.to_json()]),
            Type::Set(t) => json!(["set", t.to_json()]),
            Type::Map(t) => json!(["map", t.to_json()]),
            Type::Object(attrs) => {
                let m: serde_json::Map<String, Json> = attrs.iter().map(|(k, v)| (k.clone(), v.to_json())).collect();
                json!(["object", m])
            }
            Type::Tuple(ts) => json!(["tuple", ts.iter().map(Type::to_json).collect::<Vec<_>>()]),
        }
    }

    /// The type expression as bytes, as carried in schema messages.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        self.to_json().to_string().into_bytes()
    }

    /// Parses a JSON type expression (used for `dynamic` values on the wire).
    pub fn from_json(j: &Json) -> Result<Type, String> {
        match j {
            Json::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(format!("unknown primitive type {other:?}")),
            },
            Json::Array(a) if a.len() == 2 => {
                let kind = a[0].as_str().ok_or("type kind must be a string")?;
                match kind {
                    "list" => Ok(Type::List(Box::new(Type::from_json(&a[1])?))),
                    "set" => Ok(Type::Set(Box::new(Type::from_json(&a[1])?))),
                    "map" => Ok(Type::Map(Box::new(Type::from_json(&a[1])?))),
                    "object" => {
                        let m = a[1].as_object().ok_or("object type needs a map of attributes")?;
                        let mut attrs = BTreeMap::new();
                        for (k, v) in m {
                            attrs.insert(k.clone(), Type::from_json(v)?);
                        }
                        Ok(Type::Object(attrs))
                    }
                    "tuple" => {
                        let arr = a[1].as_array().ok_or("tuple type needs a list of types")?;
                        Ok(Type::Tuple(arr.iter().map(Type::from_json).collect::<Result<_, _>>()?))
                    }
                    other => Err(format!("unknown type kind {other:?}")),
                }
            }
            // Optional-attribute objects carry a third element; we accept and ignore it.
            Json::Array(a) if a.len() == 3 && a[0] == "object" => Type::from_json(&json!([a[0], a[1]])),
            _ => Err(format!("malformed type expression {j}")),
        }
    }

    /// A short human name for diagnostics.
    pub fn friendly(&self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Number => "number",
            Type::Bool => "bool",
            Type::Dynamic => "any value",
            Type::List(_) => "list",
            Type::Set(_) => "set",
            Type::Map(_) => "map",
            Type::Object(_) => "object",
            Type::Tuple(_) => "tuple",
        }
    }
}
