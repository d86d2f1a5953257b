//! `exotel_trunk_whitelisted_ips`: every IPv4 network allowed to send calls
//! through a trunk, authoritatively (see [`super::authoritative`]).

use super::authoritative::{SetKind, trunk_attributes};
use super::whitelisted_ip::DEFAULT_MASK;
use crate::api::client::Unreadable;
use crate::api::routes::NewWhitelistedIp;
use crate::api::types::WhitelistedIp;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::{Attr, Set};
use crate::tf::schema::{Attribute, Mode::*, Schema};
use crate::tf::types::Type;
use crate::validate;

crate::tf::model::tf_model! {
    pub struct WhitelistedIpSet {
        id: String,
        trunk_sid: String,
        cidrs: Set<String>,
    }
}

pub(crate) struct WhitelistedIps;

impl SetKind for WhitelistedIps {
    type Model = WhitelistedIpSet;
    type Record = WhitelistedIp;
    type Elem = String;
    const TYPE_NAME: &'static str = "exotel_trunk_whitelisted_ips";

    fn schema() -> Schema {
        let [id, trunk_sid] = trunk_attributes();
        Schema {
            version: 0,
            description: "Every IPv4 address or network allowed to send calls through a trunk (termination), authoritatively: whatever else the trunk holds, added in the dashboard or by another tool, is shown in the plan as a removal and removed.",
            attributes: vec![
                id,
                trunk_sid,
                Attribute::new(
                    "cidrs",
                    Type::Set(Box::new(Type::String)),
                    Required,
                    "The allowed networks as `a.b.c.d/m` (m from 16 to 32; the network address, host bits zero, e.g. `203.0.113.10/32`, `10.0.0.0/24`). An empty set allows nobody.",
                ),
            ],
            blocks: vec![],
        }
    }

    fn validate(c: &WhitelistedIpSet, diags: &mut Diagnostics) {
        let Attr::Known(set) = &c.cidrs else { return };
        for cidr in set.0.iter().filter_map(Attr::known) {
            if let Err(e) = validate::cidr(cidr) {
                diags.push(Diagnostic::error("Invalid cidrs", e).at("cidrs"));
            }
        }
    }

    fn elems(m: &WhitelistedIpSet) -> Option<Vec<String>> {
        Some(m.cidrs.known()?.known_items()?.into_iter().cloned().collect())
    }

    fn model(sid: &str, elems: Vec<String>) -> WhitelistedIpSet {
        let cidrs = Set(elems.into_iter().map(Attr::Known).collect());
        WhitelistedIpSet { id: sid.to_string().into(), trunk_sid: sid.to_string().into(), cidrs: cidrs.into() }
    }

    /// The network as parsed values (validate refuses other spellings).
    fn key(e: &String) -> String {
        validate::cidr_key(e).unwrap_or_else(|| e.clone())
    }

    fn describe(e: &String) -> String {
        e.clone()
    }

    fn elem(r: &WhitelistedIp, _like: Option<&String>) -> String {
        format!("{}/{}", r.ip, r.mask.unwrap_or(DEFAULT_MASK))
    }

    fn unreadable_elem(u: &Unreadable) -> String {
        match (u.field("ip"), u.field("mask")) {
            (Some(ip), Some(mask)) => format!("{ip}/{mask}"),
            (Some(ip), None) => ip,
            _ => u.text(),
        }
    }

    fn new_item(e: &String) -> NewWhitelistedIp {
        match validate::cidr(e) {
            Ok((ip, mask)) => NewWhitelistedIp { ip: ip.to_string(), mask },
            // Never reached: validate refuses such an element before any request.
            Err(_) => NewWhitelistedIp { ip: e.clone(), mask: DEFAULT_MASK },
        }
    }
}
