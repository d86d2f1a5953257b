//! Helpers shared by resources: API errors as diagnostics, attribute checks,
//! import IDs.

use crate::api::ApiError;
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
