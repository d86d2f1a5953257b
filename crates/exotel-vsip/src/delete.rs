//! The one confirmed-delete algorithm, for every deletable thing the API
//! has: collection items (`DELETE ?id=`), a trunk (`DELETE ?trunk_sid=`), a
//! setting (`DELETE ?name=`), one item or many at once.
//!
//! A DELETE's answer never decides: the API may answer success and keep the
//! item, answer "not found" for an item it still lists, or cut the
//! connection after deleting. What decides is a fresh look afterwards:
//!
//! 1. send the DELETE of every target (each one an [`operation`], joining
//!    the caller's when there is one); a stop ends the run at once,
//!    unconfirmed; a DELETE whose budget a 429 storm spent ends the sending,
//!    and this round is the last;
//! 2. look (a listing, or a lookup): what is absent is deleted;
//! 3. a target still there whose every DELETE attempt answered 404/405 is
//!    left in place ([`Deletion::no_route`]: this API cannot delete it);
//!    the others are tried again, after a backoff, at most `max_retries + 1`
//!    rounds in all, and never after the operation's budget is spent;
//! 4. whatever is still there then is [`Deletion::remaining`], with the
//!    last failure.
//!
//! A look that fails, or cannot finish after a stop, ends the run as
//! [`Ended::CannotConfirm`] / [`Ended::Stopped`]: nothing is claimed.

use crate::client::{Client, confirming, operation, settling};
use crate::error::ApiError;
use crate::routes::Routed;
use std::collections::BTreeSet;
use std::future::Future;

/// What a look after the deletes found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// These targets are still there (any others are gone).
    Held(BTreeSet<String>),
    /// Whatever held the targets is gone (the trunk), so they are too.
    ParentGone,
    /// This API cannot show them: each DELETE's own answer decides.
    Unknown,
}

/// Why a deletion ended before it could settle every target.
#[derive(Debug, Clone)]
pub enum Ended {
    /// The caller asked the client to stop before a DELETE was sent (no
    /// look followed).
    Cancelled(ApiError),
    /// The look after the deletes failed: the outcome is unknown.
    CannotConfirm(ApiError),
    /// The caller asked the client to stop before the look finished, or
    /// before the next round.
    Stopped,
}

/// What a confirmed deletion settled.
#[derive(Debug, Clone, Default)]
pub struct Deletion {
    /// Confirmed gone: absent from a look after their DELETE.
    pub deleted: Vec<String>,
    /// Still there, and every DELETE attempt answered 404/405: this API has
    /// no route to delete them.
    pub no_route: Vec<String>,
    /// Still there after every round (or when the run ended early).
    pub remaining: Vec<String>,
    /// The last failure seen for a remaining target.
    pub last: Option<String>,
    /// How many rounds of DELETEs were sent.
    pub rounds: u32,
    /// Why the run ended early, if it did.
    pub ended: Option<Ended>,
}

impl Deletion {
    /// Every target was confirmed gone.
    pub fn complete(&self) -> bool {
        self.no_route.is_empty() && self.remaining.is_empty() && self.ended.is_none()
    }
}

/// Deletes `targets` (ids as `send` and `look` know them) and confirms it:
/// `send(id)` sends one DELETE; `look()` tells which targets are still
/// there. See the module documentation for the rounds.
pub async fn delete_confirmed<S, SF, L, LF>(client: &Client, targets: Vec<String>, send: S, look: L) -> Deletion
where
    S: Fn(String) -> SF,
    SF: Future<Output = Result<Routed<()>, ApiError>>,
    L: Fn() -> LF,
    LF: Future<Output = Result<Presence, ApiError>>,
{
    let rounds = client.max_retries() + 1;
    let mut out = Deletion::default();
    let mut left: Vec<String> = targets;
    for round in 1..=rounds {
        out.rounds = round;
        // Each target: Ok(true) answered, Ok(false) no route, Err(last failure).
        let mut answers: Vec<(String, Result<bool, String>)> = vec![];
        let mut throttled = false;
        let mut pending = left.into_iter();
        for id in pending.by_ref() {
            match operation(send(id.clone())).await {
                Ok(Routed::Done(())) => answers.push((id, Ok(true))),
                Ok(Routed::NoRoute) => answers.push((id, Ok(false))),
                // Stopped before sending: nothing more is sent, nothing is
                // looked at (the run has failed; the targets stay).
                Err(e) if e.is_cancelled() => {
                    out.remaining.extend(answers.into_iter().map(|(id, _)| id));
                    out.remaining.push(id);
                    out.remaining.extend(pending);
                    out.ended = Some(Ended::Cancelled(e));
                    return out;
                }
                // A 429 storm spent this DELETE's budget: no other is
                // started; the look below still settles those already sent.
                Err(e) if e.is_throttled() => {
                    answers.push((id, Err(e.to_string())));
                    throttled = true;
                    break;
                }
                Err(e) => answers.push((id, Err(e.to_string()))),
            }
        }
        // Targets a 429 storm kept from being sent stay as they are.
        let unsent: Vec<String> = pending.collect();
        let presence = if client.stopping() { settling(client, look()).await } else { Some(confirming(look()).await) };
        let presence = match presence {
            Some(Ok(p)) => p,
            failed => {
                out.remaining.extend(answers.into_iter().map(|(id, _)| id).chain(unsent));
                out.ended = Some(match failed {
                    Some(Err(e)) => Ended::CannotConfirm(e),
                    _ => Ended::Stopped,
                });
                return out;
            }
        };
        left = vec![];
        for (id, answer) in answers {
            let still = match &presence {
                Presence::Held(held) => held.contains(&id),
                Presence::ParentGone => false,
                // Unseen: a DELETE the API accepted is taken as done.
                Presence::Unknown => !matches!(answer, Ok(true)),
            };
            match (still, answer) {
                (false, _) => out.deleted.push(id),
                (true, Ok(false)) => out.no_route.push(id),
                (true, Ok(true)) => {
                    out.last = Some("Exotel accepted the delete but still lists it".into());
                    left.push(id);
                }
                (true, Err(e)) => {
                    out.last = Some(e);
                    left.push(id);
                }
            }
        }
        left.extend(unsent);
        if left.is_empty() {
            return out;
        }
        if throttled || client.budget_spent() || round == rounds {
            break;
        }
        tracing::warn!(round, left = left.len(), last = ?out.last, "deletes not confirmed; trying again");
        if client.stopping() || !client.backoff_sleep(round).await {
            out.ended = Some(Ended::Stopped);
            break;
        }
    }
    out.remaining.extend(left);
    out
}

#[cfg(test)]
mod tests {
    //! The algorithm against scripted answers: `send` and `look` are plain
    //! closures over a shared script, no HTTP.
    use super::*;
    use std::sync::{Arc, Mutex};

    fn client(retries: u32) -> Arc<Client> {
        crate::tests::client("http://127.0.0.1:9", retries)
    }

    /// What the fake API holds, what a DELETE of an id does, and a log.
    #[derive(Default)]
    struct Api {
        held: BTreeSet<String>,
        /// Ids whose DELETE is answered but not carried out.
        stubborn: BTreeSet<String>,
        /// Ids with no DELETE route.
        no_route: BTreeSet<String>,
        /// Ids whose DELETE answers a 500 (and does nothing).
        failing: BTreeSet<String>,
        /// The look fails.
        look_fails: bool,
        /// The look cannot see anything.
        blind: bool,
        log: Vec<String>,
    }

    async fn run(c: &Client, api: Arc<Mutex<Api>>, targets: &[&str]) -> Deletion {
        let send = |id: String| {
            let api = api.clone();
            async move {
                let mut a = api.lock().unwrap();
                a.log.push(format!("DELETE {id}"));
                if a.no_route.contains(&id) {
                    return Ok(Routed::NoRoute);
                }
                if a.failing.contains(&id) {
                    return Err(ApiError::api("DELETE", 500, None, "boom"));
                }
                if !a.stubborn.contains(&id) {
                    a.held.remove(&id);
                }
                Ok(Routed::Done(()))
            }
        };
        let look = || {
            let api = api.clone();
            async move {
                let mut a = api.lock().unwrap();
                a.log.push("GET".into());
                if a.look_fails {
                    return Err(ApiError::api("GET", 503, None, "down"));
                }
                Ok(if a.blind { Presence::Unknown } else { Presence::Held(a.held.clone()) })
            }
        };
        delete_confirmed(c, targets.iter().map(|s| s.to_string()).collect(), send, look).await
    }

    fn api(held: &[&str]) -> Arc<Mutex<Api>> {
        Arc::new(Mutex::new(Api { held: held.iter().map(|s| s.to_string()).collect(), ..Default::default() }))
    }

    fn log(a: &Arc<Mutex<Api>>) -> Vec<String> {
        a.lock().unwrap().log.clone()
    }

    #[tokio::test]
    async fn a_delete_is_confirmed_by_the_look_after_it() {
        let a = api(&["1", "2"]);
        let out = run(&client(3), a.clone(), &["1"]).await;
        assert!(out.complete() && out.deleted == ["1"] && out.rounds == 1, "{out:?}");
        assert_eq!(log(&a), ["DELETE 1", "GET"]);
    }

    #[tokio::test]
    async fn an_accepted_delete_still_listed_is_retried_then_remains() {
        let a = api(&["1"]);
        a.lock().unwrap().stubborn.insert("1".into());
        let out = run(&client(2), a.clone(), &["1"]).await;
        assert_eq!(out.remaining, ["1"]);
        assert_eq!(out.rounds, 3, "max_retries + 1 rounds");
        assert!(out.last.as_deref().is_some_and(|l| l.contains("still lists it")), "{out:?}");
        assert_eq!(log(&a).len(), 6, "{:?}", log(&a));
    }

    #[tokio::test]
    async fn a_missing_route_is_not_retried_and_an_absent_item_is_gone_whatever_the_answer() {
        let a = api(&["1"]);
        a.lock().unwrap().no_route.insert("1".into());
        let out = run(&client(3), a.clone(), &["1", "2"]).await;
        assert_eq!(out.no_route, ["1"]);
        assert_eq!(out.deleted, ["2"], "not listed: gone");
        assert!(out.remaining.is_empty() && out.rounds == 1, "{out:?}");
    }

    #[tokio::test]
    async fn only_what_is_still_listed_is_sent_again() {
        let a = api(&["1", "2", "3"]);
        a.lock().unwrap().failing.insert("2".into());
        let out = run(&client(1), a.clone(), &["1", "2", "3"]).await;
        assert_eq!(out.deleted, ["1", "3"]);
        assert_eq!(out.remaining, ["2"]);
        assert!(out.last.as_deref().is_some_and(|l| l.contains("500")), "{out:?}");
        assert_eq!(log(&a), ["DELETE 1", "DELETE 2", "DELETE 3", "GET", "DELETE 2", "GET"]);
    }

    #[tokio::test]
    async fn a_failed_look_claims_nothing() {
        let a = api(&["1"]);
        a.lock().unwrap().look_fails = true;
        let out = run(&client(3), a.clone(), &["1"]).await;
        assert!(matches!(out.ended, Some(Ended::CannotConfirm(_))), "{out:?}");
        assert!(out.deleted.is_empty() && out.remaining == ["1"], "{out:?}");
    }

    #[tokio::test]
    async fn where_nothing_can_be_seen_the_answer_decides() {
        let a = api(&["1", "2"]);
        {
            let mut g = a.lock().unwrap();
            g.blind = true;
            g.failing.insert("2".into());
        }
        let out = run(&client(1), a.clone(), &["1", "2"]).await;
        assert_eq!(out.deleted, ["1"]);
        assert_eq!(out.remaining, ["2"], "{out:?}");
    }

    /// A DELETE cancelled by a stop: nothing more is sent, nothing is
    /// looked at, nothing is claimed gone.
    #[tokio::test]
    async fn a_stop_ends_the_run_unconfirmed() {
        let c = client(3);
        let log = Arc::new(Mutex::new(Vec::<String>::new()));
        let send = |id: String| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push(format!("DELETE {id}"));
                Err(ApiError::new("DELETE", 0, crate::ErrorKind::Cancelled))
            }
        };
        let look = || {
            let log = log.clone();
            async move {
                log.lock().unwrap().push("GET".into());
                Ok(Presence::Held(BTreeSet::new()))
            }
        };
        let out = delete_confirmed(&c, vec!["1".into(), "2".into()], send, look).await;
        assert!(matches!(out.ended, Some(Ended::Cancelled(_))), "{out:?}");
        assert!(out.deleted.is_empty() && out.remaining == ["1", "2"], "{out:?}");
        assert_eq!(*log.lock().unwrap(), ["DELETE 1"]);
    }
}
