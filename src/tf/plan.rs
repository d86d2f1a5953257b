//! One planner for every resource, driven by the schema (as
//! terraform-plugin-framework's plan modifiers are):
//!
//! - required and optional attributes are planned as configured;
//! - an optional+computed attribute left out of the configuration plans its
//!   `default` (so removing `priority = 5` plans an update back to 0, and
//!   removing `mask = 24` plans the replacement by a /32), unless it is
//!   `keep_prior_when_unset`, which keeps the prior value (the default then
//!   applies on create only); without either, it keeps the prior value, or is
//!   unknown on create;
//! - computed attributes are unknown on create and on replacement, and keep
//!   their prior value on in-place updates (none of ours changes then);
//! - a `forces_replacement` attribute whose planned value differs from a
//!   non-null prior value (an unknown counts as different; `same` decides
//!   between two known spellings) plans a replacement.
//!
//! - a write-only attribute is planned null (only the configuration holds
//!   it; create and update get it from there);
//! - nested set blocks are planned as configured (an absent block set is
//!   empty); their attributes are never computed, so a change to one element
//!   is that element replaced by another within the set.
//!
//! A resource's own `plan` hook runs after this, for what the schema cannot
//! say (a default that depends on the provider configuration, a warning).

use super::schema::{Mode, Schema};
use super::value::Value;
use std::collections::BTreeMap;

/// Plans one resource: the planned value and the attributes that force a
/// replacement. `prior` is null on create; `proposed` is Terraform's proposed
/// new state (unused where the schema decides); `config` the configuration.
pub(crate) fn plan(schema: &Schema, prior: &Value, config: &Value) -> (Value, Vec<&'static str>) {
    let create = prior.is_null();
    let mut out = BTreeMap::new();
    let mut replace = vec![];
    for a in &schema.attributes {
        let (cfg, pri) = (config.get(a.name), prior.get(a.name));
        let planned = match a.mode {
            // Only the configuration holds a write-only value.
            _ if a.write_only.is_some() => Value::Null,
            Mode::Computed if create => Value::UNKNOWN,
            Mode::Computed => pri.clone(),
            Mode::Required | Mode::Optional => cfg.clone(),
            Mode::OptionalComputed if !cfg.is_null() => cfg.clone(),
            Mode::OptionalComputed if a.keep_prior_when_unset && !create => pri.clone(),
            Mode::OptionalComputed => match &a.default {
                Some(d) => d.clone(),
                None if create => Value::UNKNOWN,
                None => pri.clone(),
            },
        };
        if !create && a.forces_replacement && !pri.is_null() {
            let same = match a.same {
                Some(eq) if !planned.is_unknown() && !planned.is_null() => eq(pri, &planned),
                _ => planned == *pri,
            };
            if !same {
                replace.push(a.name);
            }
        }
        out.insert(a.name.to_string(), planned);
    }
    // Nested set blocks: as configured (none of their attributes is computed).
    for b in &schema.blocks {
        let planned = match config.get(b.name) {
            Value::Null => Value::List(vec![]),
            v => v.clone(),
        };
        out.insert(b.name.to_string(), planned);
    }
    if !replace.is_empty() {
        for a in schema.attributes.iter().filter(|a| a.mode == Mode::Computed) {
            out.insert(a.name.to_string(), Value::UNKNOWN);
        }
    }
    (Value::Map(out), replace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::schema::Attribute;
    use crate::tf::types::Type;
    use crate::tf::value::Number;

    fn schema() -> Schema {
        use Mode::*;
        Schema {
            version: 0,
            description: "test",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "id"),
                Attribute::new("ip", Type::String, Required, "ip").forces_replacement(),
                Attribute::new("mask", Type::Number, OptionalComputed, "mask").default_int(32).forces_replacement(),
                Attribute::new("priority", Type::Number, OptionalComputed, "p").default_int(0),
                Attribute::new("nso", Type::String, OptionalComputed, "n")
                    .default_str("ANY")
                    .keep_prior_when_unset()
                    .forces_replacement(),
                Attribute::new("dest", Type::String, Optional, "d").forces_replacement().same_when(|a, b| {
                    a.as_str().map(|s| s.trim_start_matches("sip:")) == b.as_str().map(|s| s.trim_start_matches("sip:"))
                }),
            ],
            blocks: vec![],
        }
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let mut m: BTreeMap<String, Value> =
            schema().attributes.iter().map(|a| (a.name.to_string(), Value::Null)).collect();
        for (k, v) in pairs {
            m.insert(k.to_string(), v.clone());
        }
        Value::Map(m)
    }
    fn s(v: &str) -> Value {
        Value::String(v.into())
    }
    fn n(v: i64) -> Value {
        Value::Number(Number::Int(v))
    }

    fn prior() -> Value {
        obj(&[
            ("id", s("1")),
            ("ip", s("10.0.0.0")),
            ("mask", n(24)),
            ("priority", n(5)),
            ("nso", s("IN-X")),
            ("dest", s("sip:h:5061")),
        ])
    }

    #[test]
    fn create_fills_defaults_and_unknown_computed() {
        let (p, rr) = plan(&schema(), &Value::Null, &obj(&[("ip", s("10.0.0.1"))]));
        assert!(rr.is_empty());
        assert_eq!(p.get("mask"), &n(32));
        assert_eq!(p.get("priority"), &n(0));
        assert_eq!(p.get("nso"), &s("ANY"));
        assert!(p.get("id").is_unknown());
    }

    #[test]
    fn removing_a_default_line_plans_the_default() {
        let cfg = obj(&[("ip", s("10.0.0.0")), ("mask", n(24)), ("dest", s("h:5061"))]);
        let (p, rr) = plan(&schema(), &prior(), &cfg);
        assert_eq!(p.get("priority"), &n(0), "update back to the default");
        assert!(rr.is_empty(), "{rr:?}");
        assert_eq!(p.get("nso"), &s("IN-X"), "kept when unset");
        assert_eq!(p.get("dest"), &s("h:5061"), "the configured spelling");
        assert_eq!(p.get("id"), &s("1"));
        // removing `mask = 24`: the /32 default replaces the /24
        let cfg = obj(&[("ip", s("10.0.0.0")), ("priority", n(5)), ("dest", s("sip:h:5061"))]);
        let (p, rr) = plan(&schema(), &prior(), &cfg);
        assert_eq!(rr, vec!["mask"]);
        assert!(p.get("id").is_unknown());
    }

    #[test]
    fn changes_unknowns_and_null_priors() {
        let cfg = obj(&[("ip", Value::UNKNOWN), ("mask", n(24)), ("priority", n(5)), ("nso", s("IN-Y"))]);
        let (_, rr) = plan(&schema(), &prior(), &cfg);
        assert_eq!(rr, vec!["ip", "nso", "dest"]);
        // A prior null (imported without the value) is recorded in place.
        let mut pr = prior();
        if let Value::Map(m) = &mut pr {
            m.insert("nso".into(), Value::Null);
        }
        let cfg = obj(&[
            ("ip", s("10.0.0.0")),
            ("mask", n(24)),
            ("priority", n(5)),
            ("nso", s("IN-Y")),
            ("dest", s("h:5061")),
        ]);
        let (p, rr) = plan(&schema(), &pr, &cfg);
        assert!(rr.is_empty(), "{rr:?}");
        assert_eq!(p.get("nso"), &s("IN-Y"));
    }

    #[test]
    fn set_blocks_are_planned_as_configured() {
        use crate::tf::schema::Block;
        let mut sc = schema();
        sc.blocks.push(Block {
            name: "destination",
            description: "d",
            attributes: vec![
                Attribute::new("uri", Type::String, Mode::Required, "u"),
                Attribute::new("priority", Type::Number, Mode::Optional, "p").range(0, 9),
            ],
        });
        let elem = |u: &str, p: Value| Value::Map(BTreeMap::from([("uri".into(), s(u)), ("priority".into(), p)]));
        let mut cfg = obj(&[("ip", s("10.0.0.1"))]);
        let (p, _) = plan(&sc, &Value::Null, &cfg);
        assert_eq!(p.get("destination"), &Value::List(vec![]), "no blocks: an empty set");
        if let Value::Map(m) = &mut cfg {
            m.insert("destination".into(), Value::List(vec![elem("a", n(1)), elem("b", Value::Null)]));
        }
        let (p, _) = plan(&sc, &Value::Null, &cfg);
        assert_eq!(p.get("destination"), cfg.get("destination"));
        let mut diags = crate::tf::diag::Diagnostics::default();
        if let Value::Map(m) = &mut cfg {
            m.insert("destination".into(), Value::List(vec![elem("a", n(12))]));
        }
        sc.check(&cfg, &mut diags);
        assert_eq!(diags.0[0].path, vec!["destination".to_string(), "priority".to_string()]);
        let Type::Object(t) = sc.object_type() else { panic!() };
        assert!(matches!(&t["destination"], Type::Set(_)));
    }
}
