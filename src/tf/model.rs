//! Typed models: resources work on plain structs whose fields are
//! [`Attr<T>`] (a value, null, or unknown), converted to and from the codec's
//! [`Value`] by the `tf_model!` macro.

use super::diag::Diagnostic;
use super::value::{Number, Value};

/// One attribute's value as a resource sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Attr<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Attr<T> {
    pub(crate) fn known(&self) -> Option<&T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Attr::Null)
    }
    pub(crate) fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }
    pub(crate) fn is_known(&self) -> bool {
        matches!(self, Attr::Known(_))
    }
}

impl<T> From<T> for Attr<T> {
    fn from(v: T) -> Self {
        Attr::Known(v)
    }
}

impl<T> From<Option<T>> for Attr<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Attr::Null, Attr::Known)
    }
}

impl Attr<String> {
    pub(crate) fn as_deref(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }
}

/// A scalar that can live in an [`Attr`].
pub(crate) trait Scalar: Sized + Clone {
    /// The Terraform type of this scalar.
    #[cfg(test)]
    fn ty() -> super::types::Type;
    fn from_value(v: &Value) -> Result<Self, String>;
    fn to_value(&self) -> Value;
    /// The value as a plain string, for strings only (never a secret).
    fn as_str(&self) -> Option<&str> {
        None
    }
}

impl Scalar for String {
    #[cfg(test)]
    fn ty() -> super::types::Type {
        super::types::Type::String
    }
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err("expected a string".into()),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
    fn as_str(&self) -> Option<&str> {
        Some(self)
    }
}

impl Scalar for i64 {
    #[cfg(test)]
    fn ty() -> super::types::Type {
        super::types::Type::Number
    }
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Number(n) => n.as_i64().ok_or_else(|| "expected a whole number".to_string()),
            _ => Err("expected a number".into()),
        }
    }
    fn to_value(&self) -> Value {
        Value::Number(Number::Int(*self))
    }
}

impl Scalar for bool {
    #[cfg(test)]
    fn ty() -> super::types::Type {
        super::types::Type::Bool
    }
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Bool(b) => Ok(*b),
            _ => Err("expected a bool".into()),
        }
    }
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl<T: Scalar> Attr<T> {
    pub(crate) fn from_value(v: &Value, name: &str) -> Result<Self, Diagnostic> {
        match v {
            Value::Null => Ok(Attr::Null),
            Value::Unknown(_) => Ok(Attr::Unknown),
            other => T::from_value(other)
                .map(Attr::Known)
                .map_err(|e| Diagnostic::error(format!("Invalid value for {name}"), format!("{name}: {e}.")).at(name)),
        }
    }
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Attr::Null => Value::Null,
            Attr::Unknown => Value::UNKNOWN,
            Attr::Known(v) => v.to_value(),
        }
    }
}

/// A set (of strings, or of nested block objects); an element may be
/// unknown at plan time.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Set<T>(pub(crate) Vec<Attr<T>>);

impl<T> Set<T> {
    /// Every element, when all of them are known.
    pub(crate) fn known_items(&self) -> Option<Vec<&T>> {
        self.0.iter().map(Attr::known).collect()
    }
}

impl<T: Scalar> Scalar for Set<T> {
    #[cfg(test)]
    fn ty() -> super::types::Type {
        super::types::Type::Set(Box::new(T::ty()))
    }
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::List(items) => items
                .iter()
                .map(|i| match i {
                    Value::Null => Err("a set element is null".to_string()),
                    Value::Unknown(_) => Ok(Attr::Unknown),
                    other => T::from_value(other).map(Attr::Known),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Set),
            _ => Err("expected a set".into()),
        }
    }
    fn to_value(&self) -> Value {
        Value::List(self.0.iter().map(Attr::to_value).collect())
    }
}

/// Conversion between a typed model and an object [`Value`].
pub(crate) trait Model: Sized {
    /// Attribute names and their Terraform types, in declaration order (a
    /// test proves every schema declares the same).
    #[cfg(test)]
    fn attribute_types() -> Vec<(&'static str, super::types::Type)>;
    fn from_value(v: &Value) -> Result<Self, Diagnostic>;
    fn to_value(&self) -> Value;
    /// A known string attribute's value (`None` for null, unknown, or not a string).
    fn str_attr(&self, name: &str) -> Option<&str>;
}

/// Declares a model struct whose fields are all `Attr<T>`, and implements
/// [`Model`] for it.
macro_rules! tf_model {
    ($(#[$m:meta])* pub struct $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub(crate) struct $name {
            $(pub(crate) $field: $crate::tf::model::Attr<$ty>,)*
        }
        impl $crate::tf::model::Model for $name {
            #[cfg(test)]
            fn attribute_types() -> Vec<(&'static str, $crate::tf::types::Type)> {
                vec![$((stringify!($field), <$ty as $crate::tf::model::Scalar>::ty()),)*]
            }
            fn from_value(v: &$crate::tf::value::Value) -> Result<Self, $crate::tf::diag::Diagnostic> {
                Ok($name {
                    $($field: $crate::tf::model::Attr::<$ty>::from_value(v.get(stringify!($field)), stringify!($field))?,)*
                })
            }
            fn to_value(&self) -> $crate::tf::value::Value {
                $crate::tf::value::Value::Map(std::collections::BTreeMap::from([
                    $((stringify!($field).to_string(), self.$field.to_value()),)*
                ]))
            }
            fn str_attr(&self, name: &str) -> Option<&str> {
                match name {
                    $(stringify!($field) => self.$field.known().and_then($crate::tf::model::Scalar::as_str),)*
                    _ => None,
                }
            }
        }
        /// A model is also a value of its own (one element of a block set).
        impl $crate::tf::model::Scalar for $name {
            #[cfg(test)]
            fn ty() -> $crate::tf::types::Type {
                $crate::tf::types::Type::Object(
                    <$name as $crate::tf::model::Model>::attribute_types()
                        .into_iter()
                        .map(|(n, t)| (n.to_string(), t))
                        .collect(),
                )
            }
            fn from_value(v: &$crate::tf::value::Value) -> Result<Self, String> {
                <$name as $crate::tf::model::Model>::from_value(v).map_err(|d| d.detail)
            }
            fn to_value(&self) -> $crate::tf::value::Value {
                <$name as $crate::tf::model::Model>::to_value(self)
            }
        }
    };
}

pub(crate) use tf_model;
