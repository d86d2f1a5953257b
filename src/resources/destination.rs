//! `exotel_trunk_destination`: a SIP destination that receives a trunk's
//! inbound calls (origination). `destination` keeps the user's spelling (a
//! leading `sip:` or not; equivalent spellings are never a diff); `uri` is
//! the API's. `priority` and `weight` are updated in place.

use super::collection::ItemKind;
use super::common::check;
use crate::api::routes::{DestinationChange, NewDestination};
use crate::api::types::Destination;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;
use crate::tf::schema::{Attribute, Mode::*, Schema};
use crate::tf::types::Type;
use crate::tf::value::Value;
use crate::validate::{self, Transport};

crate::tf::model::tf_model! {
    pub struct DestinationUri {
        id: String,
        trunk_sid: String,
        destination: String,
        uri: String,
        priority: i64,
        weight: i64,
        date_created: String,
    }
}

pub(crate) const DEFAULT_PRIORITY: i64 = 0;
pub(crate) const DEFAULT_WEIGHT: i64 = 1;

fn same(a: &Value, b: &Value) -> bool {
    matches!((a.as_str(), b.as_str()), (Some(x), Some(y)) if validate::same_destination(x, y))
}

fn order(m: &DestinationUri) -> (i64, i64) {
    (m.priority.known().copied().unwrap_or(DEFAULT_PRIORITY), m.weight.known().copied().unwrap_or(DEFAULT_WEIGHT))
}

pub(crate) struct Destinations;

impl ItemKind for Destinations {
    type Model = DestinationUri;
    type Record = Destination;
    const TYPE_NAME: &'static str = "exotel_trunk_destination";
    const IMPORT_FORMS: &'static str = "\"<trunk_sid>/<id>\"";
    const LIST_DESCRIPTION: &'static str = "Lists every destination of a trunk.";
    const UPDATE: &'static str = "set the priority and weight";

    fn schema() -> Schema {
        Schema {
            version: 1,
            description: "A SIP destination that receives the trunk's inbound calls (origination). Use `transport=tls` in production; `tcp` is unencrypted.",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The destination id Exotel assigned."),
                Attribute::new("trunk_sid", Type::String, Required, "SID of the trunk.").forces_replacement(),
                Attribute::new("destination", Type::String, Required, "Where to send calls: `<IPv4 or DNS name>:<port>;transport=<tls|tcp>`, e.g. `203.0.113.10:5061;transport=tls`. A leading `sip:` is accepted and kept as written; spellings that mean the same (with or without `sip:`) are not a change.").forces_replacement().same_when(same),
                Attribute::new("uri", Type::String, Computed, "The destination as Exotel reports it (`sip:<host>:<port>;transport=<...>`)."),
                Attribute::new("priority", Type::Number, OptionalComputed, "Order in which destinations are tried; lower first. Changing it, or removing it (back to the default), is an in-place update.").default_int(DEFAULT_PRIORITY).range(0, 65535),
                Attribute::new("weight", Type::Number, OptionalComputed, "Share of calls among destinations of the same priority. Changing it, or removing it (back to the default), is an in-place update.").default_int(DEFAULT_WEIGHT).range(0, 65535),
                Attribute::new("date_created", Type::String, Computed, "When the destination was created (as reported by Exotel)."),
            ],
            blocks: vec![],
        }
    }

    fn validate(c: &DestinationUri, diags: &mut Diagnostics) {
        check(diags, "destination", &c.destination, |v| validate::destination(v).map(drop));
    }

    fn plan(prior: Option<&DestinationUri>, planned: &DestinationUri, diags: &mut Diagnostics) {
        if let (None, Some(d)) = (prior, planned.destination.as_deref().and_then(|d| validate::destination(d).ok()))
            && d.transport == Transport::Tcp
        {
            diags.push(Diagnostic::warning("Unencrypted SIP destination", format!("{} uses transport=tcp: calls and their signalling travel unencrypted. TLS (transport=tls, usually port 5061) is recommended for production.", d.bare())).at("destination"));
        }
    }

    fn describe(m: &DestinationUri) -> String {
        validate::bare_destination(m.destination.as_deref().unwrap_or("")).to_string()
    }

    fn new_item(p: &DestinationUri) -> Option<NewDestination> {
        Some(NewDestination { destination: validate::bare_destination(p.destination.known()?).to_string() })
    }

    fn matches(new: &NewDestination, r: &Destination) -> bool {
        validate::same_destination(&r.destination, &new.destination)
    }

    fn state(trunk_sid: &str, r: &Destination, cur: &DestinationUri) -> DestinationUri {
        let uri = format!("sip:{}", validate::bare_destination(&r.destination));
        let destination = match cur.destination.as_deref() {
            Some(c) if validate::same_destination(c, &r.destination) => cur.destination.clone(),
            // Changed outside Terraform: the API's value in the user's style.
            Some(c) if c.starts_with("sip:") => uri.clone().into(),
            _ => validate::bare_destination(&r.destination).to_string().into(),
        };
        DestinationUri {
            id: r.id.clone().into(),
            trunk_sid: trunk_sid.to_string().into(),
            destination,
            uri: uri.into(),
            // A record without priority or weight holds the API's defaults.
            priority: r.priority.unwrap_or(DEFAULT_PRIORITY).into(),
            weight: r.weight.unwrap_or(DEFAULT_WEIGHT).into(),
            date_created: r.date_created.clone().map_or(cur.date_created.clone(), Attr::Known),
        }
    }

    fn change(prior: &DestinationUri, planned: &DestinationUri) -> Option<DestinationChange> {
        let (priority, weight) = order(planned);
        (order(prior) != (priority, weight)).then_some(DestinationChange { priority, weight })
    }
}
