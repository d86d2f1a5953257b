//! `exotel_trunk_alias`: the trunk's external caller-ID alias, the setting
//! `trunk_external_alias`: one fixed-key item of the trunk's settings
//! ([`Keying::Fixed`]). Setting it is an upsert (`POST .../settings`);
//! where the API cannot list settings, a read keeps the state while the
//! trunk exists; clearing it is `DELETE .../settings?name=` where available.

use super::collection::{ItemKind, Keying};
use super::common::check;
use crate::api::routes::{ALIAS_SETTING, NewSetting};
use crate::api::types::Setting;
use crate::tf::diag::Diagnostics;
use crate::tf::schema::{Attribute, Mode::*, Schema};
use crate::tf::types::Type;
use crate::validate;

crate::tf::model::tf_model! {
    pub struct TrunkAlias {
        id: String,
        trunk_sid: String,
        alias: String,
    }
}

pub(crate) struct Alias;

impl ItemKind for Alias {
    type Model = TrunkAlias;
    type Record = Setting;
    const TYPE_NAME: &'static str = "exotel_trunk_alias";
    const KEYING: Keying = Keying::Fixed(ALIAS_SETTING);
    const NOUN: &'static str = "caller-ID alias";
    const IMPORT_FORMS: &'static str = "\"<trunk_sid>\"";
    const LIST_DESCRIPTION: &'static str = "";
    const UPDATE: &'static str = "change the alias";

    fn schema() -> Schema {
        Schema {
            version: 0,
            description: "The trunk's external caller-ID alias (Exotel setting `trunk_external_alias`): the one number Exotel presents as caller ID on the trunk's outbound calls, normally one of its mapped numbers (`exotel_trunk_phone_number`). Optional; one per trunk; changing it updates the setting in place.",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The trunk SID (one alias per trunk)."),
                Attribute::new("trunk_sid", Type::String, Required, "SID of the trunk.").forces_replacement(),
                Attribute::new(
                    "alias",
                    Type::String,
                    Required,
                    "Caller ID to present, in E.164 format (e.g. `+919876543210`). Changing it is an in-place update.",
                ),
            ],
            blocks: vec![],
        }
    }

    fn validate(c: &TrunkAlias, diags: &mut Diagnostics) {
        check(diags, "alias", &c.alias, |v| validate::e164("alias", v));
    }

    fn describe(m: &TrunkAlias) -> String {
        m.alias.as_deref().unwrap_or("?").to_string()
    }

    fn new_item(p: &TrunkAlias) -> Option<NewSetting> {
        Some(NewSetting { name: ALIAS_SETTING.into(), value: p.alias.known()?.clone() })
    }

    fn matches(new: &NewSetting, r: &Setting) -> bool {
        r.name == new.name && r.value.as_deref() == Some(new.value.as_str())
    }

    /// A setting with an empty value is not set.
    fn present(r: &Setting) -> bool {
        r.value.as_deref().is_some_and(|v| !v.is_empty())
    }

    fn state(trunk_sid: &str, r: &Setting, _cur: &TrunkAlias) -> TrunkAlias {
        TrunkAlias {
            id: trunk_sid.to_string().into(),
            trunk_sid: trunk_sid.to_string().into(),
            alias: r.value.clone().into(),
        }
    }

    fn change(prior: &TrunkAlias, planned: &TrunkAlias) -> Option<()> {
        (prior.alias.known() != planned.alias.known()).then_some(())
    }
}
