//! The value codec: Terraform's `DynamicValue` (msgpack or JSON) to and from a
//! typed tree of [`Value`]s. Knows nothing of resources.
//!
//! * msgpack nil is null; extension type 0 (and any extension with a 0/1-byte
//!   payload) is an unknown; extension 12 is a *refined* unknown whose payload
//!   we keep verbatim so an unknown can be echoed back with its refinements.
//! * Objects are encoded with every attribute of their type, nil when absent.
//! * Numbers: integers as msgpack ints, other numbers as float64.
//! * Decoding checks the value against the expected type; any mismatch or
//!   malformed input is a [`CodecError`], never a panic. (The reserved
//!   marker 0xc1, which no encoder emits, reads as nil, as rmpv defines it.)

use super::types::Type;
use rmpv::Value as Mp;
use std::collections::BTreeMap;

/// A number as Terraform sends it: exact integers stay integers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A whole number.
    Int(i64),
    /// Any other number.
    Float(f64),
}

impl Number {
    /// The number as an i64, when it is one exactly.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::Int(i) => Some(i),
            Number::Float(f) if f.fract() == 0.0 && f >= i64::MIN as f64 && f <= i64::MAX as f64 => Some(f as i64),
            Number::Float(_) => None,
        }
    }
    /// The number as an f64.
    pub fn as_f64(&self) -> f64 {
        match *self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// A whole number without a decimal point; any other as an f64.
impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.as_i64() {
            Some(i) => write!(f, "{i}"),
            None => write!(f, "{}", self.as_f64()),
        }
    }
}

/// A Terraform value. `Unknown` keeps the raw refinement payload (if any).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// null.
    Null,
    /// Unknown until apply, with Terraform's refinements (msgpack) if any.
    Unknown(Option<Vec<u8>>),
    /// A bool.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// list, set or tuple
    List(Vec<Value>),
    /// map or object
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// An unknown value without refinements.
    pub const UNKNOWN: Value = Value::Unknown(None);

    /// Whether it is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    /// Whether it is unknown.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }
    /// Attribute of an object value (null when missing or when self is null).
    pub fn get(&self, name: &str) -> &Value {
        match self {
            Value::Map(m) => m.get(name).unwrap_or(&Value::Null),
            _ => &Value::Null,
        }
    }
    /// The string, when it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Why a value could not be decoded or encoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct CodecError {
    /// Attribute path (names and element keys) where the problem is.
    pub path: Vec<String>,
    /// What is wrong.
    pub message: String,
}

impl CodecError {
    fn new(path: &[String], message: impl Into<String>) -> Self {
        CodecError { path: path.to_vec(), message: message.into() }
    }
}

// ---------------------------------------------------------------- msgpack in

/// Decodes msgpack bytes as a value of type `ty`.
pub fn from_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let mut rd = bytes;
    let mp =
        rmpv::decode::read_value(&mut rd).map_err(|e| CodecError::new(&[], format!("malformed msgpack value: {e}")))?;
    if !rd.is_empty() {
        return Err(CodecError::new(&[], format!("{} trailing bytes after msgpack value", rd.len())));
    }
    from_mp(&mp, ty, &mut Vec::new())
}

fn is_unknown_ext(tag: i8, data: &[u8]) -> bool {
    tag == 12 || (tag == 0 || data.len() <= 1)
}

fn from_mp(mp: &Mp, ty: &Type, path: &mut Vec<String>) -> Result<Value, CodecError> {
    if let Mp::Nil = mp {
        return Ok(Value::Null);
    }
    if let Mp::Ext(tag, data) = mp {
        if is_unknown_ext(*tag, data) {
            return Ok(Value::Unknown(if *tag == 12 { Some(data.clone()) } else { None }));
        }
        return Err(CodecError::new(path, format!("unexpected msgpack extension type {tag}")));
    }
    let mismatch = |got: &str| CodecError::new(path, format!("expected {}, got {got}", ty.friendly()));
    match ty {
        Type::Dynamic => {
            // [type-json, value]
            let Mp::Array(parts) = mp else { return Err(mismatch("a non-dynamic encoding")) };
            if parts.len() != 2 {
                return Err(CodecError::new(path, "dynamic value must be a [type, value] pair"));
            }
            let tj = match &parts[0] {
                Mp::Binary(b) => b.clone(),
                Mp::String(s) => s.as_bytes().to_vec(),
                _ => return Err(CodecError::new(path, "dynamic value type must be bytes")),
            };
            let tj: serde_json::Value = serde_json::from_slice(&tj)
                .map_err(|e| CodecError::new(path, format!("dynamic value type is not JSON: {e}")))?;
            let inner = Type::from_json(&tj).map_err(|e| CodecError::new(path, e))?;
            from_mp(&parts[1], &inner, path)
        }
        Type::String => match mp {
            Mp::String(s) => s
                .as_str()
                .map(|s| Value::String(s.to_owned()))
                .ok_or_else(|| CodecError::new(path, "string is not valid UTF-8")),
            // cty converts primitives to strings; so do we.
            Mp::Integer(i) => Ok(Value::String(i.to_string())),
            Mp::F64(f) => Ok(Value::String(f.to_string())),
            Mp::Boolean(b) => Ok(Value::String(b.to_string())),
            _ => Err(mismatch(mp_kind(mp))),
        },
        Type::Number => match mp {
            Mp::Integer(i) => {
                if let Some(v) = i.as_i64() {
                    Ok(Value::Number(Number::Int(v)))
                } else {
                    Ok(Value::Number(Number::Float(i.as_f64().unwrap_or(f64::NAN))))
                }
            }
            Mp::F64(f) => Ok(Value::Number(Number::Float(*f))),
            Mp::F32(f) => Ok(Value::Number(Number::Float(*f as f64))),
            Mp::String(s) => parse_number(s.as_str().unwrap_or(""), path),
            _ => Err(mismatch(mp_kind(mp))),
        },
        Type::Bool => match mp {
            Mp::Boolean(b) => Ok(Value::Bool(*b)),
            Mp::String(s) if s.as_str() == Some("true") => Ok(Value::Bool(true)),
            Mp::String(s) if s.as_str() == Some("false") => Ok(Value::Bool(false)),
            _ => Err(mismatch(mp_kind(mp))),
        },
        Type::List(et) | Type::Set(et) => {
            let Mp::Array(items) = mp else { return Err(mismatch(mp_kind(mp))) };
            let mut out = Vec::with_capacity(items.len());
            for (i, it) in items.iter().enumerate() {
                path.push(i.to_string());
                out.push(from_mp(it, et, path)?);
                path.pop();
            }
            Ok(Value::List(out))
        }
        Type::Tuple(ets) => {
            let Mp::Array(items) = mp else { return Err(mismatch(mp_kind(mp))) };
            if items.len() != ets.len() {
                return Err(CodecError::new(path, format!("tuple needs {} elements, got {}", ets.len(), items.len())));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (it, et)) in items.iter().zip(ets).enumerate() {
                path.push(i.to_string());
                out.push(from_mp(it, et, path)?);
                path.pop();
            }
            Ok(Value::List(out))
        }
        Type::Map(et) => {
            let Mp::Map(entries) = mp else { return Err(mismatch(mp_kind(mp))) };
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let key = mp_key(k, path)?;
                path.push(key.clone());
                let val = from_mp(v, et, path)?;
                path.pop();
                out.insert(key, val);
            }
            Ok(Value::Map(out))
        }
        Type::Object(attrs) => {
            let Mp::Map(entries) = mp else { return Err(mismatch(mp_kind(mp))) };
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let key = mp_key(k, path)?;
                let Some(at) = attrs.get(&key) else {
                    return Err(CodecError::new(path, format!("unsupported attribute {key:?}")));
                };
                path.push(key.clone());
                let val = from_mp(v, at, path)?;
                path.pop();
                out.insert(key, val);
            }
            for name in attrs.keys() {
                out.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Map(out))
        }
    }
}

fn mp_key(k: &Mp, path: &[String]) -> Result<String, CodecError> {
    match k {
        Mp::String(s) => {
            s.as_str().map(str::to_owned).ok_or_else(|| CodecError::new(path, "map key is not valid UTF-8"))
        }
        _ => Err(CodecError::new(path, format!("map key must be a string, got {}", mp_kind(k)))),
    }
}

fn mp_kind(mp: &Mp) -> &'static str {
    match mp {
        Mp::Nil => "null",
        Mp::Boolean(_) => "bool",
        Mp::Integer(_) | Mp::F32(_) | Mp::F64(_) => "number",
        Mp::String(_) => "string",
        Mp::Binary(_) => "binary data",
        Mp::Array(_) => "list",
        Mp::Map(_) => "map",
        Mp::Ext(..) => "extension",
    }
}

fn parse_number(s: &str, path: &[String]) -> Result<Value, CodecError> {
    if let Ok(i) = s.parse::<i64>() {
        return Ok(Value::Number(Number::Int(i)));
    }
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Value::Number(Number::Float(f))),
        _ => Err(CodecError::new(path, format!("{s:?} is not a number"))),
    }
}

// ---------------------------------------------------------------- msgpack out

/// Encodes a value of type `ty` as msgpack. Objects carry every attribute.
pub fn to_msgpack(v: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let mp = to_mp(v, ty, &mut Vec::new())?;
    let mut out = Vec::with_capacity(64);
    rmpv::encode::write_value(&mut out, &mp)
        .map_err(|e| CodecError::new(&[], format!("msgpack encoding failed: {e}")))?;
    Ok(out)
}

fn to_mp(v: &Value, ty: &Type, path: &mut Vec<String>) -> Result<Mp, CodecError> {
    match v {
        Value::Null => return Ok(Mp::Nil),
        Value::Unknown(None) => return Ok(Mp::Ext(0, vec![0])),
        Value::Unknown(Some(refinements)) => return Ok(Mp::Ext(12, refinements.clone())),
        _ => {}
    }
    let mismatch = || CodecError::new(path, format!("cannot encode {v:?} as {}", ty.friendly()));
    Ok(match (ty, v) {
        (Type::Dynamic, _) => {
            let inner = infer_type(v);
            let tj = inner.to_json_bytes();
            Mp::Array(vec![Mp::Binary(tj), to_mp(v, &inner, path)?])
        }
        (Type::String, Value::String(s)) => Mp::String(s.as_str().into()),
        (Type::Number, Value::Number(Number::Int(i))) => Mp::Integer((*i).into()),
        (Type::Number, Value::Number(Number::Float(f))) => match Number::Float(*f).as_i64() {
            Some(i) => Mp::Integer(i.into()),
            None => Mp::F64(*f),
        },
        (Type::Bool, Value::Bool(b)) => Mp::Boolean(*b),
        (Type::List(et) | Type::Set(et), Value::List(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, it) in items.iter().enumerate() {
                path.push(i.to_string());
                out.push(to_mp(it, et, path)?);
                path.pop();
            }
            Mp::Array(out)
        }
        (Type::Tuple(ets), Value::List(items)) if ets.len() == items.len() => {
            let mut out = Vec::with_capacity(items.len());
            for (i, (it, et)) in items.iter().zip(ets).enumerate() {
                path.push(i.to_string());
                out.push(to_mp(it, et, path)?);
                path.pop();
            }
            Mp::Array(out)
        }
        (Type::Map(et), Value::Map(m)) => {
            let mut out = Vec::with_capacity(m.len());
            for (k, it) in m {
                path.push(k.clone());
                out.push((Mp::String(k.as_str().into()), to_mp(it, et, path)?));
                path.pop();
            }
            Mp::Map(out)
        }
        (Type::Object(attrs), Value::Map(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(CodecError::new(path, format!("value has attribute {extra:?} not in its type")));
            }
            let mut out = Vec::with_capacity(attrs.len());
            for (name, at) in attrs {
                path.push(name.clone());
                let item = m.get(name).unwrap_or(&Value::Null);
                out.push((Mp::String(name.as_str().into()), to_mp(item, at, path)?));
                path.pop();
            }
            Mp::Map(out)
        }
        _ => return Err(mismatch()),
    })
}

/// Best-effort type of a known value, for `dynamic` encoding.
fn infer_type(v: &Value) -> Type {
    match v {
        Value::Bool(_) => Type::Bool,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::List(items) => Type::Tuple(items.iter().map(infer_type).collect()),
        Value::Map(m) => Type::Object(m.iter().map(|(k, v)| (k.clone(), infer_type(v))).collect()),
        Value::Null | Value::Unknown(_) => Type::Dynamic,
    }
}

// ---------------------------------------------------------------- JSON in

/// Decodes JSON bytes (stored state, or a JSON `DynamicValue`) as type `ty`.
/// Object attributes not in `ty` are an error unless `lenient` (state upgrades
/// drop attributes a newer schema no longer has).
pub fn from_json(bytes: &[u8], ty: &Type, lenient: bool) -> Result<Value, CodecError> {
    let j: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| CodecError::new(&[], format!("malformed JSON value: {e}")))?;
    from_json_value(&j, ty, lenient, &mut Vec::new())
}

fn from_json_value(
    j: &serde_json::Value,
    ty: &Type,
    lenient: bool,
    path: &mut Vec<String>,
) -> Result<Value, CodecError> {
    use serde_json::Value as J;
    if j.is_null() {
        return Ok(Value::Null);
    }
    let mismatch = || CodecError::new(path, format!("expected {}, got {}", ty.friendly(), json_kind(j)));
    match ty {
        Type::Dynamic => {
            // JSON dynamic values are {"type": ..., "value": ...}
            let (Some(t), Some(v)) = (j.get("type"), j.get("value")) else {
                return Err(CodecError::new(path, "dynamic JSON value needs \"type\" and \"value\""));
            };
            let inner = Type::from_json(t).map_err(|e| CodecError::new(path, e))?;
            from_json_value(v, &inner, lenient, path)
        }
        Type::String => match j {
            J::String(s) => Ok(Value::String(s.clone())),
            J::Number(n) => Ok(Value::String(n.to_string())),
            J::Bool(b) => Ok(Value::String(b.to_string())),
            _ => Err(mismatch()),
        },
        Type::Number => match j {
            J::Number(n) => Ok(Value::Number(match n.as_i64() {
                Some(i) => Number::Int(i),
                None => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
            })),
            J::String(s) => parse_number(s, path),
            _ => Err(mismatch()),
        },
        Type::Bool => match j {
            J::Bool(b) => Ok(Value::Bool(*b)),
            J::String(s) if s == "true" => Ok(Value::Bool(true)),
            J::String(s) if s == "false" => Ok(Value::Bool(false)),
            _ => Err(mismatch()),
        },
        Type::List(et) | Type::Set(et) => {
            let J::Array(items) = j else { return Err(mismatch()) };
            let mut out = Vec::with_capacity(items.len());
            for (i, it) in items.iter().enumerate() {
                path.push(i.to_string());
                out.push(from_json_value(it, et, lenient, path)?);
                path.pop();
            }
            Ok(Value::List(out))
        }
        Type::Tuple(ets) => {
            let J::Array(items) = j else { return Err(mismatch()) };
            if items.len() != ets.len() {
                return Err(CodecError::new(path, format!("tuple needs {} elements, got {}", ets.len(), items.len())));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (it, et)) in items.iter().zip(ets).enumerate() {
                path.push(i.to_string());
                out.push(from_json_value(it, et, lenient, path)?);
                path.pop();
            }
            Ok(Value::List(out))
        }
        Type::Map(et) => {
            let J::Object(m) = j else { return Err(mismatch()) };
            let mut out = BTreeMap::new();
            for (k, v) in m {
                path.push(k.clone());
                out.insert(k.clone(), from_json_value(v, et, lenient, path)?);
                path.pop();
            }
            Ok(Value::Map(out))
        }
        Type::Object(attrs) => {
            let J::Object(m) = j else { return Err(mismatch()) };
            let mut out = BTreeMap::new();
            for (k, v) in m {
                let Some(at) = attrs.get(k) else {
                    if lenient {
                        continue;
                    }
                    return Err(CodecError::new(path, format!("unsupported attribute {k:?}")));
                };
                path.push(k.clone());
                out.insert(k.clone(), from_json_value(v, at, lenient, path)?);
                path.pop();
            }
            for name in attrs.keys() {
                out.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Map(out))
        }
    }
}

fn json_kind(j: &serde_json::Value) -> &'static str {
    match j {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "list",
        serde_json::Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj_type() -> Type {
        Type::Object(BTreeMap::from([
            ("name".to_string(), Type::String),
            ("mask".to_string(), Type::Number),
            ("on".to_string(), Type::Bool),
            ("tags".to_string(), Type::List(Box::new(Type::String))),
        ]))
    }

    #[test]
    fn round_trip_object_with_null_and_unknown() {
        let v = Value::Map(BTreeMap::from([
            ("name".to_string(), Value::String("t1".into())),
            ("mask".to_string(), Value::Number(Number::Int(24))),
            ("on".to_string(), Value::UNKNOWN),
            ("tags".to_string(), Value::Null),
        ]));
        let bytes = to_msgpack(&v, &obj_type()).unwrap();
        assert_eq!(from_msgpack(&bytes, &obj_type()).unwrap(), v);
    }

    #[test]
    fn objects_always_carry_every_attribute() {
        let v = Value::Map(BTreeMap::from([("name".to_string(), Value::String("x".into()))]));
        let bytes = to_msgpack(&v, &obj_type()).unwrap();
        let Mp::Map(entries) = rmpv::decode::read_value(&mut &bytes[..]).unwrap() else { panic!() };
        assert_eq!(entries.len(), 4);
    }

    #[test]
    fn unknown_is_go_cty_encoding() {
        assert_eq!(to_msgpack(&Value::UNKNOWN, &Type::String).unwrap(), vec![0xd4, 0, 0]);
        assert!(from_msgpack(&[0xd4, 0, 0], &Type::String).unwrap().is_unknown());
        // fixext1 with type 0 and payload 0 is unknown too; so is a zero-length ext 8
        assert!(from_msgpack(&[0xc7, 0, 0], &Type::Number).unwrap().is_unknown());
    }

    #[test]
    fn refined_unknown_is_kept_verbatim() {
        // ext 12 with payload {1: false} (definitely not null), as msgpack map
        let payload = vec![0x81, 0x01, 0xc2];
        let mut bytes = vec![0xc7, payload.len() as u8, 12];
        bytes.extend(&payload);
        let v = from_msgpack(&bytes, &Type::String).unwrap();
        assert_eq!(v, Value::Unknown(Some(payload.clone())));
        assert_eq!(to_msgpack(&v, &Type::String).unwrap(), bytes);
    }

    #[test]
    fn malformed_bytes_are_errors_not_panics() {
        for bad in
            [&[][..], &[0x92, 0x01], &[0xa5, b'a'], &[0xc4], &[0xdb, 0xff, 0xff, 0xff, 0xff], &[0x81, 0xa4, b'n', b'a']]
        {
            assert!(from_msgpack(bad, &obj_type()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn wrong_type_names_the_attribute() {
        let mp = Mp::Map(vec![(Mp::String("mask".into()), Mp::Array(vec![]))]);
        let mut bytes = vec![];
        rmpv::encode::write_value(&mut bytes, &mp).unwrap();
        let err = from_msgpack(&bytes, &obj_type()).unwrap_err();
        assert_eq!(err.path, vec!["mask".to_string()]);
        assert!(err.message.contains("expected number"), "{}", err.message);
    }

    #[test]
    fn unknown_attribute_is_rejected() {
        let mp = Mp::Map(vec![(Mp::String("nope".into()), Mp::Nil)]);
        let mut bytes = vec![];
        rmpv::encode::write_value(&mut bytes, &mp).unwrap();
        assert!(from_msgpack(&bytes, &obj_type()).unwrap_err().message.contains("nope"));
    }

    #[test]
    fn json_in_fills_missing_attributes_and_is_lenient_for_state() {
        let v = from_json(br#"{"name":"a","mask":32,"gone":1}"#, &obj_type(), true).unwrap();
        assert_eq!(v.get("name"), &Value::String("a".into()));
        assert_eq!(v.get("mask"), &Value::Number(Number::Int(32)));
        assert_eq!(v.get("tags"), &Value::Null);
        assert!(from_json(br#"{"gone":1}"#, &obj_type(), false).is_err());
        assert!(from_json(b"{not json", &obj_type(), true).is_err());
    }

    #[test]
    fn numbers_survive_as_ints_or_floats_or_strings() {
        let bytes = to_msgpack(&Value::Number(Number::Float(1.5)), &Type::Number).unwrap();
        assert_eq!(from_msgpack(&bytes, &Type::Number).unwrap(), Value::Number(Number::Float(1.5)));
        let mut s = vec![];
        rmpv::encode::write_value(&mut s, &Mp::String("12345678901234567".into())).unwrap();
        assert_eq!(from_msgpack(&s, &Type::Number).unwrap(), Value::Number(Number::Int(12345678901234567)));
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let v = Value::String("hi".into());
        let bytes = to_msgpack(&v, &Type::Dynamic).unwrap();
        assert_eq!(from_msgpack(&bytes, &Type::Dynamic).unwrap(), v);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn arb_value() -> impl Strategy<Value = Value> {
            (
                proptest::option::of(".{0,20}"),
                proptest::option::of(any::<i64>()),
                proptest::option::of(any::<bool>()),
                proptest::option::of(proptest::collection::vec(".{0,5}", 0..4)),
            )
                .prop_map(|(name, mask, on, tags)| {
                    Value::Map(BTreeMap::from([
                        ("name".to_string(), name.map(Value::String).unwrap_or(Value::Null)),
                        ("mask".to_string(), mask.map(|m| Value::Number(Number::Int(m))).unwrap_or(Value::UNKNOWN)),
                        ("on".to_string(), on.map(Value::Bool).unwrap_or(Value::Null)),
                        (
                            "tags".to_string(),
                            tags.map(|t| Value::List(t.into_iter().map(Value::String).collect()))
                                .unwrap_or(Value::Null),
                        ),
                    ]))
                })
        }

        proptest! {
            #[test]
            fn msgpack_round_trips(v in arb_value()) {
                let bytes = to_msgpack(&v, &obj_type()).unwrap();
                prop_assert_eq!(from_msgpack(&bytes, &obj_type()).unwrap(), v);
            }

            #[test]
            fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
                let _ = from_msgpack(&bytes, &obj_type());
                let _ = from_msgpack(&bytes, &Type::Dynamic);
                let _ = from_json(&bytes, &obj_type(), false);
            }
        }
    }
}
