//! Provider functions (Terraform >= 1.8), `provider::<name>::<function>(...)`:
//! a name, typed parameters, a return type and a plain Rust function.

use crate::proto::tfplugin6 as pb;
use crate::tf::types::Type;
use crate::tf::value::Value;

/// A function failure: the message and the 0-based argument at fault.
#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    /// What is wrong.
    pub text: String,
    /// The 0-based argument at fault, if one is.
    pub argument: Option<i64>,
}

/// One parameter.
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
    /// Its description (Markdown).
    pub description: &'static str,
}

/// A provider function.
pub struct Function {
    /// Its name, as called from HCL.
    pub name: &'static str,
    /// One line.
    pub summary: &'static str,
    /// The full description (Markdown).
    pub description: &'static str,
    /// Its parameters, in order.
    pub params: Vec<Param>,
    /// Its return type.
    pub ret: Type,
    /// The function itself (called with as many arguments as `params`).
    pub call: fn(&[Value]) -> Result<Value, CallError>,
}

impl Function {
    pub(crate) fn signature(&self) -> String {
        let params: Vec<String> = self.params.iter().map(|p| format!("{} {}", p.name, type_word(&p.ty))).collect();
        format!("{}({}) {}", self.name, params.join(", "), type_word(&self.ret))
    }
    pub(crate) fn summary(&self) -> &'static str {
        self.summary
    }
    pub(crate) fn description(&self) -> &'static str {
        self.description
    }
    pub(crate) fn params(&self) -> Vec<(&'static str, String, &'static str)> {
        self.params.iter().map(|p| (p.name, type_word(&p.ty), p.description)).collect()
    }
    pub(crate) fn to_proto(&self) -> pb::Function {
        pb::Function {
            parameters: self
                .params
                .iter()
                .map(|p| pb::function::Parameter {
                    name: p.name.to_string(),
                    r#type: p.ty.to_json_bytes(),
                    allow_null_value: false,
                    allow_unknown_values: false,
                    description: p.description.to_string(),
                    description_kind: pb::StringKind::Markdown as i32,
                })
                .collect(),
            variadic_parameter: None,
            r#return: Some(pb::function::Return { r#type: self.ret.to_json_bytes() }),
            summary: self.summary.to_string(),
            description: self.description.to_string(),
            description_kind: pb::StringKind::Markdown as i32,
            deprecation_message: String::new(),
        }
    }
    pub(crate) fn param_types(&self) -> Vec<Type> {
        self.params.iter().map(|p| p.ty.clone()).collect()
    }
    pub(crate) fn return_type(&self) -> &Type {
        &self.ret
    }
    pub(crate) fn call(&self, args: &[Value]) -> Result<Value, CallError> {
        if args.len() != self.params.len() {
            return Err(CallError {
                text: format!("{} takes {} arguments, got {}", self.name, self.params.len(), args.len()),
                argument: None,
            });
        }
        (self.call)(args)
    }
}

fn type_word(t: &Type) -> String {
    match t {
        Type::Object(m) => {
            let inner: Vec<String> = m.iter().map(|(k, v)| format!("{k}={}", type_word(v))).collect();
            format!("object({{{}}})", inner.join(", "))
        }
        other => other.friendly().to_string(),
    }
}
