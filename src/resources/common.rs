//! Helpers shared by resources: API errors as diagnostics, attribute checks,
//! import IDs.

use crate::api::ApiError;
use crate::api::delete::{Deletion, Ended};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;

/// An API failure as a diagnostic: what we were doing, then the API's answer
/// (status, Exotel code, message, request id).
pub(crate) fn api_diag(summary: impl Into<String>, e: &ApiError) -> Diagnostic {
    let mut detail = e.to_string();
    if let Some(id) = e.request_id()
        && !detail.contains(id)
    {
        detail.push_str(&format!(" (request_id {id})"));
    }
    Diagnostic::error(summary, detail)
}

/// The diagnostics of a confirmed deletion ([`crate::api::delete`]):
/// `summary_what` names the thing in the summary ("whitelisted IP
/// 203.0.113.10/32"), `subject` in the detail ("The whitelisted IP
/// 203.0.113.10/32 (id 5) on trunk trk1"). Targets left for want of a
/// DELETE route are each resource's own to word (a warning).
pub(crate) fn deletion_diags(out: &Deletion, action: &str, summary_what: &str, subject: &str, diags: &mut Diagnostics) {
    let cannot = format!("Cannot {action} {summary_what}");
    match &out.ended {
        Some(Ended::Cancelled(e)) => return diags.push(api_diag(cannot, e)),
        Some(Ended::CannotConfirm(e)) => {
            return diags.push(api_diag(format!("Cannot confirm that {summary_what} is gone"), e));
        }
        Some(Ended::Stopped) => {
            return diags.push(match &out.last {
                None => Diagnostic::error(
                    format!("Cannot confirm that {summary_what} is gone"),
                    "Terraform asked the provider to stop before the look that confirms it finished.",
                ),
                Some(last) => Diagnostic::error(
                    cannot,
                    format!("{subject} is still active in Exotel ({last}), and Terraform asked the provider to stop."),
                ),
            });
        }
        None => {}
    }
    if !out.remaining.is_empty() {
        let n = out.rounds;
        diags.push(Diagnostic::error(
            cannot,
            format!(
                "{subject} is still active in Exotel after {n} attempt{} to {action} it; last: {}. Run apply again, or remove it in the Exotel dashboard.",
                if n == 1 { "" } else { "s" },
                out.last.as_deref().unwrap_or("still listed")
            ),
        ));
    }
}

/// Checks a string attribute when it is known; a failure is an
/// "Invalid <attr>" error at that attribute, stating the rule.
pub(crate) fn check(
    diags: &mut Diagnostics,
    attr: &str,
    value: &Attr<String>,
    rule: impl FnOnce(&str) -> Result<(), String>,
) {
    if let Some(v) = value.as_deref()
        && let Err(e) = rule(v)
    {
        diags.push(Diagnostic::error(format!("Invalid {attr}"), e).at(attr));
    }
}

/// The first letter in upper case (diagnostic summaries built from nouns).
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Splits an import ID `<trunk_sid>/<key>`; both parts must be plain path
/// segments. On failure, an "Invalid import ID" error showing `forms`.
pub(crate) fn split_import<'a>(
    type_name: &str,
    id: &'a str,
    forms: &str,
    diags: &mut Diagnostics,
) -> Option<(&'a str, &'a str)> {
    let parts = id.split_once('/').filter(|(s, k)| !s.is_empty() && !k.is_empty());
    let checked = parts.map(|(s, k)| {
        crate::validate::path_id("the trunk SID", s)
            .and_then(|()| crate::validate::path_id("the key", k))
            .map(|()| (s, k))
    });
    match checked {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            diags.push(Diagnostic::error("Invalid import ID", format!("{type_name} is imported as {forms}: {e}")));
            None
        }
        None => {
            diags.push(Diagnostic::error(
                "Invalid import ID",
                format!("{type_name} is imported as {forms}; got {id:?}."),
            ));
            None
        }
    }
}
