//! Creating without ever turning one intended create into two.
//!
//! A POST is repeated blindly only when it provably did not reach the API
//! (the client handles that: connection refused, 429). After an ambiguous
//! failure (timeout after sending, connection reset, 5xx, an unreadable
//! success) we first look for the exact item and adopt it; only when it is
//! provably absent do we POST again, and a conflict on such a repeat means
//! "adopt". A conflict on the very first attempt is the user's business: an
//! error with the import command.

use super::common::capitalise;
use crate::api::{ApiError, Client, ErrorKind};
use crate::tf::diag::{Diagnostic, Diagnostics};

/// What looking for the item found.
pub enum Lookup<T> {
    Found(T),
    Absent,
    /// The parent trunk does not exist.
    TrunkGone,
    /// This API cannot tell (no listing route, or the listing failed).
    Unknown(String),
}

/// How one kind of item is created and found.
pub trait Creation<T> {
    /// e.g. `trunk "pbx_out"` or `whitelisted IP 203.0.113.10/32 on trunk trk1`.
    fn what(&self) -> String;
    /// POST once; `Ok(None)` when the success answer carried no readable item.
    fn post(&self) -> impl std::future::Future<Output = Result<Option<T>, ApiError>> + Send;
    /// Looks for exactly the item being created.
    fn find(&self) -> impl std::future::Future<Output = Lookup<T>> + Send;
    /// The `terraform import` command for an existing item (if found).
    fn import_command(&self, existing: Option<&T>) -> String;
}

fn may_exist<T>(c: &impl Creation<T>, cause: &ErrorKind, extra: Option<&str>) -> Diagnostic {
    let what = c.what();
    let extra = extra.map(|e| format!(" {e}.")).unwrap_or_default();
    let summary = format!("{} may have been created", capitalise(what.split_whitespace().next().unwrap_or("item")));
    Diagnostic::error(
        summary,
        format!(
            "Creating {what} failed in a way that does not tell whether Exotel stored it ({cause}).{extra} If it exists in Exotel, import it with:\n  {}\notherwise run apply again.",
            c.import_command(None)
        ),
    )
}

/// Creates one item (see the module docs). `None` when it failed; the reason
/// is in `diags`.
pub async fn create<T>(client: &Client, c: &impl Creation<T>, diags: &mut Diagnostics) -> Option<T> {
    let rounds = client.max_retries() + 1;
    let mut cause: Option<ErrorKind> = None;
    for round in 1..=rounds {
        let ambiguous = match c.post().await {
            Ok(Some(item)) => return Some(item),
            Ok(None) => ErrorKind::Decode {
                status: 200,
                request_id: None,
                excerpt: String::new(),
                reason: format!("the answer to creating {} carried no readable record", c.what()),
            },
            Err(e) if e.kind.is_conflict() && cause.is_none() => {
                let existing = match c.find().await {
                    Lookup::Found(t) => Some(t),
                    _ => None,
                };
                diags.push(Diagnostic::error(
                    format!("{} already exists", capitalise(&c.what())),
                    format!(
                        "Exotel already has {} ({e}). To manage it with Terraform, import it:\n  {}",
                        c.what(),
                        c.import_command(existing.as_ref())
                    ),
                ));
                return None;
            }
            // A repeat of our own create conflicting: it was stored after all.
            Err(e) if e.kind.is_conflict() => *e.kind,
            Err(e) if e.kind.is_transient() && !e.kind.provably_not_applied() => *e.kind,
            Err(e) if matches!(*e.kind, ErrorKind::Cancelled) => {
                diags.push(may_exist(c, &e.kind, Some("Terraform asked the provider to stop")));
                return None;
            }
            Err(e) => {
                diags.push(super::common::api_diag(format!("Cannot create {}", c.what()), &e));
                return None;
            }
        };
        tracing::warn!(what = %c.what(), round, error = %ambiguous, "create outcome unknown; looking for it before trying again");
        match c.find().await {
            Lookup::Found(t) => return Some(t),
            Lookup::Absent => {}
            Lookup::TrunkGone => {
                diags.push(Diagnostic::error(format!("Cannot create {}", c.what()), "Its trunk does not exist."));
                return None;
            }
            Lookup::Unknown(why) => {
                diags.push(may_exist(c, &ambiguous, Some(&why)));
                return None;
            }
        }
        cause = Some(ambiguous);
        if round < rounds && !client.backoff_sleep(round).await {
            diags.push(may_exist(c, &ErrorKind::Cancelled, Some("Terraform asked the provider to stop")));
            return None;
        }
    }
    let cause = cause.unwrap_or(ErrorKind::Cancelled);
    diags.push(may_exist(c, &cause, Some(&format!("Gave up after {rounds} attempts"))));
    None
}
