//! `exotel_trunk_whitelisted_ip`: an IPv4 address or network allowed to send
//! calls through a trunk (termination).
//!
//! Create `POST /trunks/<sid>/whitelisted-ips`; read by listing (cached per
//! run); delete `DELETE ...?id=` then confirm by listing. Every argument
//! forces replacement.

use super::collection::{self, Coll, Found};
use super::common::{api_diag, check};
use crate::api::types::WhitelistedIp;
use crate::provider::resource::{Ctx, Refreshed, TypedResource, missing_ids};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use crate::validate;
use async_trait::async_trait;
use serde_json::json;

// ------------------------------------------------------------------ model

crate::tf_model! {
    pub struct WhitelistedIpEntry {
        id: String,
        trunk_sid: String,
        ip: String,
        mask: i64,
        date_created: String,
    }
}

pub const DEFAULT_MASK: i64 = 32;

impl WhitelistedIpEntry {
    fn from_api(trunk_sid: &str, i: &WhitelistedIp) -> Self {
        WhitelistedIpEntry {
            id: i.id.clone().into(),
            trunk_sid: trunk_sid.to_string().into(),
            ip: i.ip.clone().into(),
            mask: i.mask.unwrap_or(DEFAULT_MASK).into(),
            date_created: i.date_created.clone().into(),
        }
    }
}

pub struct WhitelistedIpResource;

#[async_trait]
impl TypedResource for WhitelistedIpResource {
    type Model = WhitelistedIpEntry;
    const TYPE_NAME: &'static str = "exotel_trunk_whitelisted_ip";
    const IDENTITY: &'static [&'static str] = &["trunk_sid", "id"];

    // ------------------------------------------------------------------ schema

    fn schema(&self) -> Schema {
        use Mode::*;
        Schema {
            version: 0,
            description: "Allows an IPv4 address or network to send calls through a trunk (termination). Required for outbound calling.",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The whitelist entry id Exotel assigned."),
                Attribute::new("trunk_sid", Type::String, Required, "SID of the trunk.").forces_replacement(),
                Attribute::new("ip", Type::String, Required, "IPv4 address of your server, or the network address when `mask` is below 32 (host bits must be zero, e.g. `10.0.0.0` with mask 24).").forces_replacement(),
                Attribute::new("mask", Type::Number, OptionalComputed, "Prefix length from 16 to 32: 32 is a single address, 28 covers 16, 24 covers 256.").default_int(DEFAULT_MASK).forces_replacement(),
                Attribute::new("date_created", Type::String, Computed, "When the entry was created (as reported by Exotel)."),
            ],
        }
    }

    // ------------------------------------------------------------------ validation

    fn validate(&self, c: &WhitelistedIpEntry, diags: &mut Diagnostics) {
        check(diags, "trunk_sid", &c.trunk_sid, |v| validate::trunk_sid("trunk_sid", v));
        if let Some(m) = c.mask.known()
            && let Err(e) = validate::mask(*m)
        {
            diags.push(Diagnostic::error("Invalid mask", e).at("mask"));
            return;
        }
        if let Some(ip) = c.ip.as_deref() {
            if let Err(e) = validate::ipv4("ip", ip) {
                diags.push(Diagnostic::error("Invalid ip", e).at("ip"));
            } else if let Some(m) = c.mask.known().copied().or(if c.mask.is_null() { Some(DEFAULT_MASK) } else { None })
                && let Err(e) = validate::ip_with_mask(ip, m)
            {
                diags.push(Diagnostic::error("Invalid ip", e).at("ip"));
            }
        }
    }

    // ------------------------------------------------------------------ CRUD

    async fn create(
        &self,
        ctx: &Ctx,
        planned: WhitelistedIpEntry,
        diags: &mut Diagnostics,
    ) -> Option<WhitelistedIpEntry> {
        let (Some(sid), Some(ip), Some(mask)) =
            (planned.trunk_sid.known().cloned(), planned.ip.known().cloned(), planned.mask.known().copied())
        else {
            diags.push(Diagnostic::error("Cannot whitelist IP", "trunk_sid, ip and mask must be known at apply time."));
            return None;
        };
        let ip2 = ip.clone();
        let matches = move |i: &WhitelistedIp| i.ip == ip2 && i.mask.unwrap_or(DEFAULT_MASK) == mask;
        let created = collection::create::<WhitelistedIp>(
            collection::NewItem {
                client: &ctx.client,
                trunk_sid: &sid,
                coll: Coll::WhitelistedIps,
                body: json!({ "ip": ip, "mask": mask }),
                what: format!("{ip}/{mask}"),
                matches: &matches,
            },
            diags,
        )
        .await?;
        Some(WhitelistedIpEntry {
            id: created.id.clone().into(),
            date_created: created.date_created.clone().into(),
            ..planned
        })
    }

    async fn update(
        &self,
        _ctx: &Ctx,
        _prior: WhitelistedIpEntry,
        planned: WhitelistedIpEntry,
        _d: &mut Diagnostics,
    ) -> Option<WhitelistedIpEntry> {
        Some(planned)
    }

    async fn delete(&self, ctx: &Ctx, prior: WhitelistedIpEntry, diags: &mut Diagnostics) {
        let (Some(sid), Some(id)) = (prior.trunk_sid.as_deref(), prior.id.as_deref()) else { return };
        let what =
            format!("{}/{}", prior.ip.as_deref().unwrap_or("?"), prior.mask.known().copied().unwrap_or(DEFAULT_MASK));
        collection::delete::<WhitelistedIp>(&ctx.client, sid, Coll::WhitelistedIps, id, &what, diags).await;
    }

    async fn read(
        &self,
        ctx: &Ctx,
        current: WhitelistedIpEntry,
        diags: &mut Diagnostics,
    ) -> Refreshed<WhitelistedIpEntry> {
        let (Some(sid), Some(id)) =
            (current.trunk_sid.as_deref().map(str::to_owned), current.id.as_deref().map(str::to_owned))
        else {
            diags.push(missing_ids(Self::TYPE_NAME, "trunk_sid or id"));
            return Refreshed::Failed;
        };
        match collection::find::<WhitelistedIp>(&ctx.client, &sid, Coll::WhitelistedIps, &id).await {
            Ok(Found::Item(i)) => Refreshed::Present(WhitelistedIpEntry {
                ip: i.ip.clone().into(),
                mask: i.mask.map(Attr::Known).unwrap_or(current.mask),
                date_created: i.date_created.clone().map(Attr::Known).unwrap_or(current.date_created),
                ..current
            }),
            Ok(Found::Gone) => Refreshed::Gone,
            Err(e) => {
                diags.push(api_diag(format!("Cannot read whitelisted IP {id} of trunk {sid}"), &e));
                Refreshed::Failed
            }
        }
    }

    // ------------------------------------------------------------------ list

    fn list_schema(&self) -> Option<Schema> {
        Some(collection::list_schema(Coll::WhitelistedIps))
    }

    async fn list(
        &self,
        ctx: &Ctx,
        config: &crate::tf::value::Value,
        diags: &mut Diagnostics,
    ) -> Vec<(String, WhitelistedIpEntry)> {
        let Some((sid, items)) =
            collection::list_for_query::<WhitelistedIp>(&ctx.client, config, Coll::WhitelistedIps, diags).await
        else {
            return vec![];
        };
        items
            .iter()
            .map(|i| (format!("{}/{}", i.ip, i.mask.unwrap_or(DEFAULT_MASK)), WhitelistedIpEntry::from_api(&sid, i)))
            .collect()
    }

    // ------------------------------------------------------------------ import

    async fn import(&self, ctx: &Ctx, id: &str, diags: &mut Diagnostics) -> Option<WhitelistedIpEntry> {
        let (sid, key) =
            super::common::split_import(Self::TYPE_NAME, id, "\"<trunk_sid>/<id>\" or \"<trunk_sid>/<ip>\"", diags)?;
        let items = collection::items_or_diag::<WhitelistedIp>(
            &ctx.client,
            sid,
            Coll::WhitelistedIps,
            false,
            "Cannot import whitelisted IP",
            diags,
        )
        .await?;
        let by_ip = key.contains('.');
        let hits: Vec<&WhitelistedIp> =
            items.iter().filter(|i| if by_ip { i.ip == key } else { i.id == key }).collect();
        match hits.as_slice() {
            [one] => Some(WhitelistedIpEntry::from_api(sid, one)),
            [] => {
                diags.push(Diagnostic::error(
                    "Cannot import whitelisted IP",
                    format!("Trunk {sid} has no whitelisted IP with {} {key:?}.", if by_ip { "address" } else { "id" }),
                ));
                None
            }
            many => {
                let list: Vec<String> =
                    many.iter().map(|i| format!("id {} ({}/{})", i.id, i.ip, i.mask.unwrap_or(DEFAULT_MASK))).collect();
                diags.push(Diagnostic::error(
                    "Ambiguous import ID",
                    format!(
                        "{key} is whitelisted on trunk {sid} with several masks: {}. Import one by id, e.g. \"{sid}/{}\".",
                        list.join(", "),
                        many[0].id
                    ),
                ));
                None
            }
        }
    }
}
