//! `exotel_trunk_phone_number`: a phone number (DID / ExoPhone) mapped to a
//! trunk. The number forces replacement; `mode` is updated in place.

use super::collection::ItemKind;
use super::common::check;
use crate::api::routes::{NewPhoneNumber, PhoneNumberChange};
use crate::api::types::PhoneNumber;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;
use crate::tf::schema::{Attribute, Mode::*, Schema};
use crate::tf::types::Type;
use crate::validate::{self, NumberMode};

crate::tf::model::tf_model! {
    pub struct PhoneNumberMapping {
        id: String,
        trunk_sid: String,
        phone_number: String,
        mode: String,
        date_created: String,
    }
}

/// The mode the API holds (its null is `pstn`).
fn mode_of(p: &PhoneNumber) -> NumberMode {
    p.mode.as_deref().and_then(NumberMode::parse).unwrap_or_default()
}

fn planned_mode(m: &PhoneNumberMapping) -> NumberMode {
    m.mode.as_deref().and_then(NumberMode::parse).unwrap_or_default()
}

pub(crate) struct PhoneNumbers;

impl ItemKind for PhoneNumbers {
    type Model = PhoneNumberMapping;
    type Record = PhoneNumber;
    const TYPE_NAME: &'static str = "exotel_trunk_phone_number";
    const IMPORT_FORMS: &'static str = "\"<trunk_sid>/<mapping id>\" or \"<trunk_sid>/<+E.164 number>\"";
    const LIST_DESCRIPTION: &'static str = "Lists every phone number mapped to a trunk.";
    const UPDATE: &'static str = "change the mode";

    fn schema() -> Schema {
        Schema {
            version: 1,
            description: "Maps one of the account's Exotel numbers (DID / ExoPhone) to a trunk, so the trunk can use it: for origination it is the number customers dial; for termination it is a number outbound calls go out with (see `exotel_trunk_alias` to pin which one is presented).",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The mapping id Exotel assigned (always a string)."),
                Attribute::new("trunk_sid", Type::String, Required, "SID of the trunk to map the number to.").forces_replacement(),
                Attribute::new("phone_number", Type::String, Required, "The phone number in E.164 format: `+` and 8 to 15 digits, e.g. `+919876543210`.").forces_replacement(),
                Attribute::new("mode", Type::String, OptionalComputed, "How calls to the number are handled: `pstn` (the trunk) or `flow` (an Exotel Voice AI / StreamKit flow). Changing it, or removing it (back to the default), is an in-place update.").default_str(NumberMode::default().as_str()).one_of(&["pstn", "flow"]),
                Attribute::new("date_created", Type::String, Computed, "When the mapping was created (as reported by Exotel)."),
            ],
            blocks: vec![],
        }
    }

    fn validate(c: &PhoneNumberMapping, diags: &mut Diagnostics) {
        check(diags, "phone_number", &c.phone_number, |v| validate::e164("phone_number", v));
    }

    fn describe(m: &PhoneNumberMapping) -> String {
        m.phone_number.as_deref().unwrap_or("").to_string()
    }

    fn new_item(p: &PhoneNumberMapping) -> Option<NewPhoneNumber> {
        let mode = Some(planned_mode(p)).filter(|m| *m != NumberMode::default()).map(|m| m.as_str().to_string());
        Some(NewPhoneNumber { phone_number: p.phone_number.known()?.clone(), mode })
    }

    fn matches(new: &NewPhoneNumber, r: &PhoneNumber) -> bool {
        validate::e164_key(&r.phone_number) == validate::e164_key(&new.phone_number)
    }

    fn state(trunk_sid: &str, r: &PhoneNumber, cur: &PhoneNumberMapping) -> PhoneNumberMapping {
        PhoneNumberMapping {
            id: r.id.clone().into(),
            trunk_sid: trunk_sid.to_string().into(),
            phone_number: r.phone_number.clone().into(),
            mode: mode_of(r).as_str().to_string().into(),
            date_created: r.date_created.clone().map_or(cur.date_created.clone(), Attr::Known),
        }
    }

    fn held_after_create(
        state: &PhoneNumberMapping,
        r: &PhoneNumber,
        diags: &mut Diagnostics,
    ) -> Option<PhoneNumberMapping> {
        let (want, number) = (planned_mode(state), r.phone_number.as_str());
        if r.mode.is_none() && want != NumberMode::default() {
            // The answer shows no mode: this API may not know `mode`. Not an
            // error (that would taint the mapping and loop); Read reports what
            // the API holds, so the next plan shows it.
            let (want, pstn) = (want.as_str(), NumberMode::default().as_str());
            diags.push(Diagnostic::warning("Exotel did not confirm the mode", format!("{number} was mapped to trunk {}, but Exotel's answer does not show its mode, so mode = {want:?} is not confirmed. If this API does not support modes, the next plan shows the mapping as {pstn:?}; then set mode = {pstn:?} (or remove it) in the configuration.", state.trunk_sid.as_deref().unwrap_or("?"))).at("mode"));
            return None;
        }
        // The API ignored the mode in the POST: it is set with a PUT.
        (mode_of(r) != want)
            .then(|| PhoneNumberMapping { mode: mode_of(r).as_str().to_string().into(), ..state.clone() })
    }

    fn change(prior: &PhoneNumberMapping, planned: &PhoneNumberMapping) -> Option<PhoneNumberChange> {
        let mode = planned_mode(planned);
        (planned_mode(prior) != mode)
            .then(|| PhoneNumberChange { phone_number: Self::describe(planned), mode: mode.as_str().into() })
    }

    fn key_kind(key: &str) -> &'static str {
        if key.starts_with('+') { "number" } else { "id" }
    }

    fn import_key(key: &str, r: &PhoneNumber) -> bool {
        if key.starts_with('+') { validate::e164_key(&r.phone_number) == validate::e164_key(key) } else { r.id == key }
    }
}
