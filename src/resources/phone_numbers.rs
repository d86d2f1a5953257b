//! `exotel_trunk_phone_numbers`: every phone number mapped to a trunk,
//! authoritatively (see [`super::authoritative`]). `mode` is not managed
//! here: new mappings get the API's default, existing modes are left alone.

use super::authoritative::{SetKind, trunk_attributes};
use crate::api::client::Unreadable;
use crate::api::routes::NewPhoneNumber;
use crate::api::types::PhoneNumber;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::{Attr, Set};
use crate::tf::schema::{Attribute, Mode::*, Schema};
use crate::tf::types::Type;
use crate::validate;

crate::tf::model::tf_model! {
    pub struct PhoneNumberSet {
        id: String,
        trunk_sid: String,
        phone_numbers: Set<String>,
    }
}

pub(crate) struct PhoneNumbers;

impl SetKind for PhoneNumbers {
    type Model = PhoneNumberSet;
    type Record = PhoneNumber;
    type Elem = String;
    const TYPE_NAME: &'static str = "exotel_trunk_phone_numbers";

    fn schema() -> Schema {
        let [id, trunk_sid] = trunk_attributes();
        Schema {
            version: 0,
            description: "Every phone number mapped to a trunk, authoritatively: a number mapped outside Terraform is shown in the plan as a removal and unmapped.",
            attributes: vec![
                id,
                trunk_sid,
                Attribute::new(
                    "phone_numbers",
                    Type::Set(Box::new(Type::String)),
                    Required,
                    "The numbers in E.164 format (`+` and 8 to 15 digits). `mode` is not managed here: new mappings get the API's default (`pstn`), existing modes are left alone.",
                ),
            ],
            blocks: vec![],
        }
    }

    fn validate(c: &PhoneNumberSet, diags: &mut Diagnostics) {
        let Attr::Known(set) = &c.phone_numbers else { return };
        for n in set.0.iter().filter_map(Attr::known) {
            if let Err(e) = validate::e164("phone_numbers", n) {
                diags.push(Diagnostic::error("Invalid phone_numbers", e).at("phone_numbers"));
            }
        }
    }

    fn elems(m: &PhoneNumberSet) -> Option<Vec<String>> {
        Some(m.phone_numbers.known()?.known_items()?.into_iter().cloned().collect())
    }

    fn model(sid: &str, elems: Vec<String>) -> PhoneNumberSet {
        let numbers = Set(elems.into_iter().map(Attr::Known).collect());
        PhoneNumberSet { id: sid.to_string().into(), trunk_sid: sid.to_string().into(), phone_numbers: numbers.into() }
    }

    fn key(e: &String) -> String {
        validate::e164_key(e)
    }

    fn describe(e: &String) -> String {
        e.clone()
    }

    fn elem(r: &PhoneNumber, _like: Option<&String>) -> String {
        r.phone_number.clone()
    }

    fn unreadable_elem(u: &Unreadable) -> String {
        u.field("phone_number").unwrap_or_else(|| u.text())
    }

    fn new_item(e: &String) -> NewPhoneNumber {
        NewPhoneNumber { phone_number: e.clone(), mode: None }
    }
}
