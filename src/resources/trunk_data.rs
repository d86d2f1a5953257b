//! Data source `exotel_trunk`: look up an existing trunk by `trunk_sid` or by
//! `trunk_name` (exactly one), for teams that manage numbers in one workspace
//! and trunks in another. Needs an API with `GET /trunks`.

use super::common::check;
use super::trunk::{self, Trunk};
use crate::exotel::Ctx;
use crate::provider::resource::TypedDataSource;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use crate::validate;
use async_trait::async_trait;

pub(crate) struct TrunkDataSource;

#[async_trait]
impl TypedDataSource for TrunkDataSource {
    type Ctx = Ctx;
    type Model = Trunk;
    const TYPE_NAME: &'static str = "exotel_trunk";

    // ------------------------------------------------------------------ schema

    fn schema(&self) -> Schema {
        use Mode::*;
        Schema {
            version: 0,
            description: "Looks up an existing trunk by `trunk_sid` or by `trunk_name` (set exactly one). Needs an Exotel API that can list trunks (`GET /trunks`).",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The trunk SID."),
                Attribute::new(
                    "trunk_sid",
                    Type::String,
                    OptionalComputed,
                    "SID of the trunk to look up. Set this or `trunk_name`.",
                ),
                Attribute::new(
                    "trunk_name",
                    Type::String,
                    OptionalComputed,
                    "Name of the trunk to look up. Set this or `trunk_sid`.",
                ),
                Attribute::new("nso_code", Type::String, Computed, "Network Service Operator code."),
                Attribute::new("domain_name", Type::String, Computed, "SIP domain of the trunk."),
                Attribute::new(
                    "date_created",
                    Type::String,
                    Computed,
                    "When the trunk was created (as reported by Exotel).",
                ),
                Attribute::new(
                    "date_updated",
                    Type::String,
                    Computed,
                    "When the trunk was last updated (as reported by Exotel).",
                ),
            ],
            blocks: vec![],
        }
    }

    fn validate(&self, c: &Trunk, diags: &mut Diagnostics) {
        if c.trunk_sid.is_null() && c.trunk_name.is_null() {
            diags.push(Diagnostic::error(
                "Missing trunk_sid or trunk_name",
                "Set exactly one of trunk_sid and trunk_name.",
            ));
        }
        if !c.trunk_sid.is_null() && !c.trunk_name.is_null() {
            diags.push(
                Diagnostic::error("Conflicting lookup", "Set exactly one of trunk_sid and trunk_name, not both.")
                    .at("trunk_name"),
            );
        }
        check(diags, "trunk_name", &c.trunk_name, validate::trunk_name);
        check(diags, "trunk_sid", &c.trunk_sid, |v| validate::trunk_sid("trunk_sid", v));
    }

    // ------------------------------------------------------------------ read

    async fn read(&self, ctx: &Ctx, config: Trunk, diags: &mut Diagnostics) -> Option<Trunk> {
        let trunks = match trunk::list_all(ctx).await {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        let (by, key) = match (config.trunk_sid.as_deref(), config.trunk_name.as_deref()) {
            (Some(sid), _) => ("SID", sid),
            (None, Some(name)) => ("name", name),
            _ => return None,
        };
        let hit =
            trunks.iter().find(|t| if by == "SID" { t.trunk_sid == key } else { t.trunk_name.as_deref() == Some(key) });
        match hit {
            Some(t) => Some(Trunk::from_api(t)),
            None => {
                diags.push(Diagnostic::error(
                    "Trunk not found",
                    format!("No trunk with {by} {key:?} exists in this Exotel account."),
                ));
                None
            }
        }
    }
}
