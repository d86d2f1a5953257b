//! Provider functions (Terraform ≥ 1.8): `provider::exotel::<name>(...)`.
//! They reuse the validators of the resources, so a value a function accepts
//! is one `exotel_trunk_destination` / `exotel_trunk_phone_number` accept.

pub use crate::provider::function::Function;
use crate::provider::function::{CallError, Param};
use crate::tf::types::Type;
use crate::tf::value::{Number, Value};
use crate::validate;
use std::collections::BTreeMap;

fn destination_object_type() -> Type {
    Type::Object(BTreeMap::from([
        ("host".to_string(), Type::String),
        ("port".to_string(), Type::Number),
        ("transport".to_string(), Type::String),
    ]))
}

fn arg_str(args: &[Value], i: usize) -> Result<&str, CallError> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(CallError { text: "expected a string".into(), argument: Some(i as i64) }),
    }
}

fn destination_uri(args: &[Value]) -> Result<Value, CallError> {
    let err = |i: i64, text: String| CallError { text, argument: Some(i) };
    let host = arg_str(args, 0)?;
    validate::destination_host(host).map_err(|e| err(0, e))?;
    let port = match args.get(1) {
        Some(Value::Number(n)) => n.as_i64().ok_or_else(|| err(1, "port must be a whole number".into()))?,
        _ => return Err(err(1, "port must be a number".into())),
    };
    let port = validate::destination_port(port).map_err(|e| err(1, e))?;
    let transport = arg_str(args, 2)?;
    validate::destination_transport(transport).map_err(|e| err(2, e))?;
    Ok(Value::String(format!("{host}:{port};transport={transport}")))
}

fn parse_destination(args: &[Value]) -> Result<Value, CallError> {
    let uri = arg_str(args, 0)?;
    let d = validate::destination(uri).map_err(|e| CallError { text: e, argument: Some(0) })?;
    Ok(Value::Map(BTreeMap::from([
        ("host".to_string(), Value::String(d.host)),
        ("port".to_string(), Value::Number(Number::Int(d.port.into()))),
        ("transport".to_string(), Value::String(d.transport.as_str().to_string())),
    ])))
}

fn normalize_e164(args: &[Value]) -> Result<Value, CallError> {
    let raw = arg_str(args, 0)?;
    let cleaned: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
    validate::e164("number", &cleaned).map_err(|e| CallError {
        text: format!(
            "{raw:?} is not a phone number in E.164 format once spaces, dashes, dots and parentheses are removed: {e}"
        ),
        argument: Some(0),
    })?;
    Ok(Value::String(cleaned))
}

/// Every function this provider offers.
pub fn all() -> Vec<Function> {
    vec![
        Function {
            name: "destination_uri",
            summary: "Builds an exotel_trunk_destination value",
            description: "Returns `\"<host>:<port>;transport=<transport>\"`, checking each part with the rules of `exotel_trunk_destination`: host an IPv4 address or DNS name, port 1 to 65535, transport `tls` or `tcp`.",
            params: vec![
                Param { name: "host", ty: Type::String, description: "IPv4 address or DNS name of the SIP server." },
                Param { name: "port", ty: Type::Number, description: "Port, 1 to 65535 (5061 for TLS, 5060 for TCP)." },
                Param { name: "transport", ty: Type::String, description: "`tls` (recommended) or `tcp`." },
            ],
            ret: Type::String,
            call: destination_uri,
        },
        Function {
            name: "parse_destination",
            summary: "Splits a SIP destination into host, port and transport",
            description: "Parses `<host>:<port>;transport=<tls|tcp>` (an optional `sip:` prefix is accepted) into an object with `host`, `port` and `transport`.",
            params: vec![Param {
                name: "uri",
                ty: Type::String,
                description: "A destination such as `sip:203.0.113.10:5061;transport=tls`.",
            }],
            ret: destination_object_type(),
            call: parse_destination,
        },
        Function {
            name: "normalize_e164",
            summary: "Normalises a phone number to E.164",
            description: "Removes spaces, dashes, dots and parentheses, keeps the leading `+`, and fails unless the result is E.164 (`+` and 8 to 15 digits).",
            params: vec![Param {
                name: "number",
                ty: Type::String,
                description: "A phone number such as `+91 (98765) 43-210`.",
            }],
            ret: Type::String,
            call: normalize_e164,
        },
    ]
}

/// The functions by name.
#[cfg(test)]
fn registry() -> std::collections::HashMap<&'static str, Function> {
    all().into_iter().map(|f| (f.name, f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn destination_uri_builds_and_checks_each_argument() {
        let f = &registry()["destination_uri"];
        assert_eq!(
            f.call(&[s("1.2.3.4"), Value::Number(Number::Int(5061)), s("tls")]).unwrap(),
            s("1.2.3.4:5061;transport=tls")
        );
        assert_eq!(f.call(&[s("1.2.3.4"), Value::Number(Number::Int(5061)), s("udp")]).unwrap_err().argument, Some(2));
        assert_eq!(f.call(&[s("1.2.3.4"), Value::Number(Number::Int(0)), s("tls")]).unwrap_err().argument, Some(1));
        assert_eq!(f.call(&[s("bad host"), Value::Number(Number::Int(1)), s("tls")]).unwrap_err().argument, Some(0));
    }

    #[test]
    fn parse_and_normalize() {
        let reg = registry();
        let v = reg["parse_destination"].call(&[s("sip:sip.example.com:5060;transport=tcp")]).unwrap();
        assert_eq!(v.get("host"), &s("sip.example.com"));
        assert_eq!(v.get("port"), &Value::Number(Number::Int(5060)));
        assert_eq!(reg["normalize_e164"].call(&[s("+91 (98765) 43-210")]).unwrap(), s("+919876543210"));
        assert!(reg["normalize_e164"].call(&[s("98765 43210")]).is_err());
        assert_eq!(
            reg["destination_uri"].signature(),
            "destination_uri(host string, port number, transport string) string"
        );
    }

    proptest! {
        #[test]
        fn built_destinations_parse_back(a in 0u8..=255, port in 1u16..=65535, tls in any::<bool>()) {
            let reg = registry();
            let t = if tls { "tls" } else { "tcp" };
            let built = reg["destination_uri"].call(&[s(&format!("10.0.0.{a}")), Value::Number(Number::Int(port.into())), s(t)]).unwrap();
            let parsed = reg["parse_destination"].call(&[built]).unwrap();
            prop_assert_eq!(parsed.get("port"), &Value::Number(Number::Int(port.into())));
        }
    }
}
