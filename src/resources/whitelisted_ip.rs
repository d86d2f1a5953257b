//! `exotel_trunk_whitelisted_ip`: an IPv4 address or network allowed to send
//! calls through a trunk (termination). Every argument forces replacement.

use super::collection::ItemKind;
use super::common::check;
use crate::api::routes::NewWhitelistedIp;
use crate::api::types::WhitelistedIp;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;
use crate::tf::schema::{Attribute, Mode::*, Schema};
use crate::tf::types::Type;
use crate::validate;

crate::tf::model::tf_model! {
    pub struct WhitelistedIpEntry {
        id: String,
        trunk_sid: String,
        ip: String,
        mask: i64,
        date_created: String,
    }
}

pub(crate) const DEFAULT_MASK: i64 = 32;

pub(crate) struct WhitelistedIps;

impl ItemKind for WhitelistedIps {
    type Model = WhitelistedIpEntry;
    type Record = WhitelistedIp;
    const TYPE_NAME: &'static str = "exotel_trunk_whitelisted_ip";
    const IMPORT_FORMS: &'static str = "\"<trunk_sid>/<id>\" or \"<trunk_sid>/<ip>\"";
    const LIST_DESCRIPTION: &'static str = "Lists every whitelisted IP of a trunk.";

    fn schema() -> Schema {
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
            blocks: vec![],
        }
    }

    fn validate(c: &WhitelistedIpEntry, diags: &mut Diagnostics) {
        if let Some(m) = c.mask.known()
            && let Err(e) = validate::mask(*m)
        {
            return diags.push(Diagnostic::error("Invalid mask", e).at("mask"));
        }
        let mask = match c.mask {
            Attr::Known(m) => Some(m),
            Attr::Null => Some(DEFAULT_MASK),
            Attr::Unknown => None,
        };
        check(diags, "ip", &c.ip, |ip| match mask {
            Some(m) => validate::ipv4("ip", ip).and_then(|_| validate::ip_with_mask(ip, m)),
            None => validate::ipv4("ip", ip).map(drop),
        });
    }

    fn describe(m: &WhitelistedIpEntry) -> String {
        format!("{}/{}", m.ip.as_deref().unwrap_or("?"), m.mask.known().copied().unwrap_or(DEFAULT_MASK))
    }

    fn new_item(p: &WhitelistedIpEntry) -> Option<NewWhitelistedIp> {
        Some(NewWhitelistedIp { ip: p.ip.known()?.clone(), mask: *p.mask.known()? })
    }

    /// Address and mask compared as parsed values, never as spellings.
    fn matches(new: &NewWhitelistedIp, r: &WhitelistedIp) -> bool {
        same_address(&r.ip, &new.ip) && r.mask.unwrap_or(DEFAULT_MASK) == new.mask
    }

    fn state(trunk_sid: &str, r: &WhitelistedIp, cur: &WhitelistedIpEntry) -> WhitelistedIpEntry {
        WhitelistedIpEntry {
            id: r.id.clone().into(),
            trunk_sid: trunk_sid.to_string().into(),
            ip: r.ip.clone().into(),
            mask: r.mask.unwrap_or(DEFAULT_MASK).into(),
            date_created: r.date_created.clone().map_or(cur.date_created.clone(), Attr::Known),
        }
    }

    fn key_kind(key: &str) -> &'static str {
        if key.contains('.') { "address" } else { "id" }
    }

    fn import_key(key: &str, r: &WhitelistedIp) -> bool {
        if key.contains('.') { same_address(&r.ip, key) } else { r.id == key }
    }
}

/// Two IPv4 addresses as parsed values (a text that is no address equals nothing).
fn same_address(a: &str, b: &str) -> bool {
    matches!((a.parse::<std::net::Ipv4Addr>(), b.parse::<std::net::Ipv4Addr>()), (Ok(x), Ok(y)) if x == y)
}
