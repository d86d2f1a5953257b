//! `exotel_trunk_destinations`: every SIP destination of a trunk,
//! authoritatively (see [`super::authoritative`]). Elements are keyed by the
//! normalised URI; a priority or weight change is a PUT on the existing
//! destination, never a delete and add; adds go in one POST.

use super::authoritative::{SetKind, trunk_attributes};
use super::destination::{DEFAULT_PRIORITY, DEFAULT_WEIGHT};
use crate::api::client::Unreadable;
use crate::api::routes::{DestinationChange, NewDestination};
use crate::api::types::Destination;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::{Attr, Set};
use crate::tf::schema::{Attribute, Block, Mode::*, Schema};
use crate::tf::types::Type;
use crate::validate;

crate::tf::model::tf_model! {
    pub struct DestinationBlock {
        uri: String,
        priority: i64,
        weight: i64,
    }
}

crate::tf::model::tf_model! {
    pub struct DestinationSet {
        id: String,
        trunk_sid: String,
        destination: Set<DestinationBlock>,
    }
}

/// The value held, with the API's default for null.
fn effective(a: &Attr<i64>, default: i64) -> i64 {
    a.known().copied().unwrap_or(default)
}

/// What state shows for a held value: while it is the default, what state
/// had (null or the explicit default); otherwise the value.
fn shown(held: Option<i64>, default: i64, like: Option<&Attr<i64>>) -> Attr<i64> {
    let held = held.unwrap_or(default);
    match like {
        Some(l) if held == default && (l.is_null() || l.known() == Some(&default)) => l.clone(),
        _ if held == default => Attr::Null,
        _ => Attr::Known(held),
    }
}

pub(crate) struct Destinations;

impl SetKind for Destinations {
    type Model = DestinationSet;
    type Record = Destination;
    type Elem = DestinationBlock;
    const TYPE_NAME: &'static str = "exotel_trunk_destinations";
    const BATCH_CREATE: bool = true;

    fn schema() -> Schema {
        let [id, trunk_sid] = trunk_attributes();
        Schema {
            version: 0,
            description: "Every SIP destination that receives a trunk's inbound calls (origination), authoritatively: a destination added outside Terraform is shown in the plan as a removal and removed.",
            attributes: vec![id, trunk_sid],
            blocks: vec![Block {
                name: "destination",
                description: "One destination; write the block once per destination.",
                attributes: vec![
                    Attribute::new(
                        "uri",
                        Type::String,
                        Required,
                        "`<IPv4 or DNS name>:<port>;transport=<tls|tcp>`, with or without a leading `sip:` (kept as written; both spellings name the same destination).",
                    ),
                    Attribute::new(
                        "priority",
                        Type::Number,
                        Optional,
                        "Order in which destinations are tried; lower first. Null means the API's default, 0.",
                    )
                    .range(0, 65535),
                    Attribute::new(
                        "weight",
                        Type::Number,
                        Optional,
                        "Share of calls among destinations of the same priority. Null means the API's default, 1.",
                    )
                    .range(0, 65535),
                ],
            }],
        }
    }

    fn validate(c: &DestinationSet, diags: &mut Diagnostics) {
        let Attr::Known(set) = &c.destination else { return };
        for b in set.0.iter().filter_map(Attr::known) {
            if let Some(Err(e)) = b.uri.as_deref().map(validate::destination) {
                diags.push(
                    Diagnostic::error("Invalid destination", e).at_path(vec!["destination".into(), "uri".into()]),
                );
            }
        }
    }

    fn elems(m: &DestinationSet) -> Option<Vec<DestinationBlock>> {
        let items = m.destination.known()?.known_items()?;
        items.into_iter().map(|b| b.uri.is_known().then(|| b.clone())).collect()
    }

    fn model(sid: &str, elems: Vec<DestinationBlock>) -> DestinationSet {
        let destination = Set(elems.into_iter().map(Attr::Known).collect());
        DestinationSet {
            id: sid.to_string().into(),
            trunk_sid: sid.to_string().into(),
            destination: destination.into(),
        }
    }

    /// Host, port and transport as parsed values (validate refuses other
    /// spellings of a port).
    fn key(e: &DestinationBlock) -> String {
        validate::destination_key(e.uri.as_deref().unwrap_or(""))
    }

    fn describe(e: &DestinationBlock) -> String {
        validate::bare_destination(e.uri.as_deref().unwrap_or("")).to_string()
    }

    fn elem(r: &Destination, like: Option<&DestinationBlock>) -> DestinationBlock {
        let uri = match like.and_then(|l| l.uri.as_deref()) {
            Some(u) if validate::same_destination(u, &r.destination) => u.to_string(),
            _ => validate::bare_destination(&r.destination).to_string(),
        };
        DestinationBlock {
            uri: uri.into(),
            priority: shown(r.priority, DEFAULT_PRIORITY, like.map(|l| &l.priority)),
            weight: shown(r.weight, DEFAULT_WEIGHT, like.map(|l| &l.weight)),
        }
    }

    fn unreadable_elem(u: &Unreadable) -> DestinationBlock {
        let uri =
            u.field("destination").map(|d| validate::bare_destination(&d).to_string()).unwrap_or_else(|| u.text());
        DestinationBlock { uri: uri.into(), priority: Attr::Null, weight: Attr::Null }
    }

    fn new_item(e: &DestinationBlock) -> NewDestination {
        NewDestination { destination: Self::describe(e) }
    }

    fn change(held: &DestinationBlock, want: &DestinationBlock) -> Option<DestinationChange> {
        let w = (effective(&want.priority, DEFAULT_PRIORITY), effective(&want.weight, DEFAULT_WEIGHT));
        let h = (effective(&held.priority, DEFAULT_PRIORITY), effective(&held.weight, DEFAULT_WEIGHT));
        (w != h).then_some(DestinationChange { priority: w.0, weight: w.1 })
    }
}
