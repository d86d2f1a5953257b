//! Data source `exotel_trunk_credentials`: the trunk's SIP username and
//! password (`GET /trunks/<sid>/credentials`).

use super::common::api_diag;
use crate::api::Secret;
use crate::exotel::Ctx;
use crate::provider::resource::TypedDataSource;
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use crate::validate;
use async_trait::async_trait;

// ------------------------------------------------------------------ model

crate::tf::model::tf_model! {
    pub struct TrunkCredentials {
        trunk_sid: String,
        username: String,
        password: Secret,
    }
}

/// Reads the credentials; shared by the data source and the ephemeral resource.
pub(crate) async fn fetch(ctx: &Ctx, sid: &str, diags: &mut Diagnostics) -> Option<(String, Secret)> {
    let creds = match ctx.client.trunk(sid).credentials().await {
        Ok(Some(c)) => c,
        Ok(None) => {
            diags.push(no_password(sid));
            return None;
        }
        Err(e) if e.is_not_found() => {
            diags.push(Diagnostic::error(
                "Cannot read trunk credentials",
                format!("Trunk {sid:?} does not exist ({e})."),
            ));
            return None;
        }
        Err(e) if e.is_undecodable() => {
            diags.push(Diagnostic::error(
                "Cannot read trunk credentials",
                format!("Exotel's answer for trunk {sid} could not be read: {}.", e.last_failure()),
            ));
            return None;
        }
        Err(e) => {
            diags.push(api_diag(format!("Cannot read the credentials of trunk {sid}"), &e));
            return None;
        }
    };
    match creds.password.filter(|p| !p.is_empty()) {
        Some(pw) => Some((creds.username.unwrap_or_else(|| sid.to_string()), pw)),
        None => {
            diags.push(no_password(sid));
            None
        }
    }
}

/// The error on an API that lists digest credentials (no password is ever
/// returned there), naming the resource that sets one.
fn no_password(sid: &str) -> Diagnostic {
    Diagnostic::error(
        "Trunk password not available",
        format!(
            "Exotel returned no password for trunk {sid}: this API manages SIP digest credentials, and never returns a password. Set the credential with Terraform instead: resource exotel_trunk_credential (its write-only password_wo keeps the password out of plan and state), fed from the same secret you hand to the SIP client."
        ),
    )
}

/// The data source, and (`ephemeral`) the ephemeral resource of the same
/// name (Terraform ≥ 1.10): read at open time, never stored in plan or state.
pub(crate) struct Credentials {
    pub(crate) ephemeral: bool,
}

#[async_trait]
impl TypedDataSource for Credentials {
    type Ctx = Ctx;
    type Model = TrunkCredentials;
    const TYPE_NAME: &'static str = "exotel_trunk_credentials";

    // ------------------------------------------------------------------ schema

    fn schema(&self) -> Schema {
        use Mode::*;
        Schema {
            version: 0,
            description: if self.ephemeral {
                "Reads a trunk's SIP credentials at apply time without storing them in plan or state (Terraform 1.10 and later). The recommended way to hand the SIP password to, for example, a secrets-manager resource's write-only attribute. Needs the API's older credentials answer (one username and password per trunk); on the digest-credentials API, which never returns a password, it fails with an error naming `exotel_trunk_credential`, the way to set one."
            } else {
                "Reads a trunk's SIP authentication credentials. The password is sensitive and is stored in state; the ephemeral resource of the same name keeps it out of state. Needs the API's older credentials answer (one username and password per trunk); on the digest-credentials API, which never returns a password, it fails with an error naming `exotel_trunk_credential`, the way to set one."
            },
            attributes: vec![
                Attribute::new("trunk_sid", Type::String, Required, "SID of the trunk."),
                Attribute::new("username", Type::String, Computed, "SIP authentication username (the trunk SID)."),
                Attribute::new("password", Type::String, Computed, "SIP authentication password.").sensitive(),
            ],
            blocks: vec![],
        }
    }

    fn validate(&self, c: &TrunkCredentials, diags: &mut Diagnostics) {
        super::common::check(diags, "trunk_sid", &c.trunk_sid, |v| validate::trunk_sid("trunk_sid", v));
    }

    // ------------------------------------------------------------------ read

    async fn read(&self, ctx: &Ctx, config: TrunkCredentials, diags: &mut Diagnostics) -> Option<TrunkCredentials> {
        let sid = config.trunk_sid.as_deref()?.to_string();
        let (username, password) = fetch(ctx, &sid, diags).await?;
        Some(TrunkCredentials { trunk_sid: sid.into(), username: username.into(), password: password.into() })
    }
}
