//! `exotel_trunk_credential`: one SIP digest credential of a trunk (the
//! digest-credentials API). The password is sent, never read back: either
//! `password` (stored in state) or the write-only `password_wo` (Terraform
//! 1.11+, never in plan or state), sent again when `password_wo_version`
//! changes. A new username is sent with the password (a digest hash covers
//! both).

use super::collection::ItemKind;
use crate::api::Secret;
use crate::api::routes::{CredentialChange, NewCredential};
use crate::api::types::Credential;
use crate::tf::diag::Diagnostics;
use crate::tf::schema::{Attribute, Mode::*, Schema};
use crate::tf::types::Type;

crate::tf::model::tf_model! {
    pub struct TrunkCredential {
        id: String,
        trunk_sid: String,
        username: String,
        friendly_name: String,
        password: Secret,
        password_wo: Secret,
        password_wo_version: i64,
    }
}

const USERNAME_PREFIX: &str = "username:";

/// The password the configuration sets, in whichever form.
fn configured_password(m: &TrunkCredential) -> Option<Secret> {
    m.password.known().or(m.password_wo.known()).cloned()
}

pub(crate) struct Credentials;

impl ItemKind for Credentials {
    type Model = TrunkCredential;
    type Record = Credential;
    const TYPE_NAME: &'static str = "exotel_trunk_credential";
    const IMPORT_FORMS: &'static str = "\"<trunk_sid>/<id>\" or \"<trunk_sid>/username:<username>\"";
    const LIST_DESCRIPTION: &'static str =
        "Lists every SIP digest credential of a trunk (to find credentials Terraform does not manage).";
    const UPDATE: &'static str = "change the credential";

    fn schema() -> Schema {
        Schema {
            version: 0,
            description: "A SIP digest credential of a trunk: the username and password a SIP client (a Voice AI platform, a PBX) authenticates with. Exotel recommends credentials for platforms whose source IPs change; with `exotel_trunk_whitelisted_ip` as well for the strictest trunks. Needs an Exotel API with the digest-credentials routes. Exotel never returns a password, so Terraform cannot see a password changed outside it.",
            attributes: vec![
                Attribute::new("id", Type::String, Computed, "The credential id Exotel assigned; kept across updates."),
                Attribute::new("trunk_sid", Type::String, Required, "SID of the trunk.").forces_replacement(),
                Attribute::new("username", Type::String, Required, "The SIP username, unique on the trunk. Changing it is an in-place update that sends the configured password along (a digest hash covers both).").not_empty(),
                Attribute::new("friendly_name", Type::String, Optional, "A label. Changing it is an in-place update; removing it clears it.").max_chars(32),
                Attribute::new("password", Type::String, Optional, "The SIP password, stored in state (sensitive). For Terraform before 1.11, or when the password should live in state. A change is an in-place update.").sensitive().not_empty().exactly_one_with("password_wo"),
                Attribute::new("password_wo", Type::String, Optional, "The SIP password as a write-only argument (Terraform 1.11 and later): sent to Exotel, never stored in plan or state, and may come from an ephemeral value. Terraform cannot see a change of it: change `password_wo_version` to send it again. Exactly one of `password` and `password_wo` must be set.").write_only("`password` (stored in state as a sensitive value)").not_empty(),
                Attribute::new("password_wo_version", Type::Number, Optional, "Any number; a change of it sends `password_wo` again (the only way to rotate a write-only password).").requires("password_wo"),
            ],
            blocks: vec![],
        }
    }

    /// The schema states every rule (exactly one password form, the
    /// version only with `password_wo`, lengths).
    fn validate(_: &TrunkCredential, _: &mut Diagnostics) {}

    fn describe(m: &TrunkCredential) -> String {
        format!("{:?}", m.username.as_deref().unwrap_or(""))
    }

    fn new_item(p: &TrunkCredential) -> Option<NewCredential> {
        Some(NewCredential {
            user_name: p.username.known()?.clone(),
            password: configured_password(p)?,
            friendly_name: p.friendly_name.known().cloned(),
        })
    }

    fn matches(new: &NewCredential, r: &Credential) -> bool {
        r.user_name == new.user_name
    }

    /// What the API says (id, username, label); the password and its
    /// version only the state knows.
    fn state(trunk_sid: &str, r: &Credential, cur: &TrunkCredential) -> TrunkCredential {
        TrunkCredential {
            id: r.id.clone().into(),
            trunk_sid: trunk_sid.to_string().into(),
            username: r.user_name.clone().into(),
            friendly_name: r.friendly_name.clone().filter(|f| !f.is_empty()).into(),
            password: cur.password.clone(),
            password_wo: None.into(),
            password_wo_version: cur.password_wo_version.clone(),
        }
    }

    fn change(prior: &TrunkCredential, planned: &TrunkCredential) -> Option<CredentialChange> {
        let renamed = prior.username.known() != planned.username.known();
        let new_password = renamed
            || prior.password.known() != planned.password.known()
            || prior.password_wo_version.known() != planned.password_wo_version.known();
        let change = CredentialChange {
            user_name: renamed.then(|| planned.username.known().cloned()).flatten(),
            password: new_password.then(|| configured_password(planned)).flatten(),
            // Removing the label clears it.
            friendly_name: (prior.friendly_name.known() != planned.friendly_name.known())
                .then(|| planned.friendly_name.known().cloned().unwrap_or_default()),
        };
        (change != CredentialChange::default()).then_some(change)
    }

    fn key_kind(key: &str) -> &'static str {
        if key.starts_with(USERNAME_PREFIX) { "username" } else { "id" }
    }

    fn import_key(key: &str, r: &Credential) -> bool {
        match key.strip_prefix(USERNAME_PREFIX) {
            Some(u) => r.user_name == u,
            None => r.id == key,
        }
    }

    fn import_value(key: &str) -> &str {
        key.strip_prefix(USERNAME_PREFIX).unwrap_or(key)
    }

    fn no_create_route(sid: &str) -> String {
        format!(
            "This Exotel API cannot manage SIP digest credentials: POST /trunks/{sid}/credentials answered 404/405 on every attempt (it serves only the older GET credentials answer, one username and password per trunk). Nothing was created. Read that password with the data source or ephemeral resource exotel_trunk_credentials, or point the provider at an Exotel API with the digest-credentials routes."
        )
    }
}
