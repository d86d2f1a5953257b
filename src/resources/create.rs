//! Creating without ever turning one intended create into two, and without
//! ever taking over what is not ours.
//!
//! Before the first POST into a collection, the client knows what that
//! collection held (one snapshot per collection per process; a trunk this
//! process created has empty collections without a request). An item the
//! snapshot already holds is reported as "already exists ... import it"
//! without sending anything. A POST is repeated blindly only when it provably
//! did not reach the API (the client handles that: connection refused, 429).
//! After an ambiguous failure (timeout after sending, connection reset, 5xx,
//! an unreadable success) we list again: an exact match that is **absent
//! from the snapshot** is ours and adopted; a match the snapshot held is
//! someone else's ("already exists"); no match means POST again. Without a
//! snapshot (an API that cannot list trunks) nothing is adopted.
//!
//! When Terraform asks the provider to stop, nothing new starts, but a POST
//! already on the wire may finish (with the one listing that settles an
//! ambiguous answer) and its result is returned without an error, so that
//! Terraform records it.

use super::common::capitalise;
use crate::api::{ApiError, Client};
use crate::tf::diag::{Diagnostic, Diagnostics};

/// What looking for the item found.
pub(crate) enum Lookup<T> {
    Found(T),
    Absent,
    /// The parent trunk does not exist.
    TrunkGone,
    /// This API cannot tell (no listing route, or the listing failed).
    Unknown(String),
}

/// What the collection held before this process's first create in it.
pub(crate) enum Snapshot<T> {
    /// Whether it held an id, and an item among them identical to the one
    /// being created, if any.
    Known { held: Box<dyn Fn(&str) -> bool + Send + Sync>, same: Option<T> },
    /// The parent trunk does not exist.
    TrunkGone,
    /// It cannot be known (why): nothing will be adopted.
    Unavailable(String),
}

/// How one kind of item is created and found.
pub(crate) trait Creation<T> {
    /// The kind of item, e.g. `whitelisted IP` (first letter capitalised in
    /// summaries).
    fn noun(&self) -> &'static str;
    /// e.g. `trunk "pbx_out"` or `whitelisted IP 203.0.113.10/32 on trunk trk1`.
    fn what(&self) -> String;
    /// The item's id (trunk SID for trunks).
    fn id_of(&self, item: &T) -> String;
    /// What the collection held before our first create in it.
    fn snapshot(&self) -> impl std::future::Future<Output = Snapshot<T>> + Send;
    /// POST once; `Ok(None)` when the success answer carried no readable item.
    fn post(&self) -> impl std::future::Future<Output = Result<Option<T>, ApiError>> + Send;
    /// Looks for exactly the item being created, in a fresh listing.
    fn find(&self) -> impl std::future::Future<Output = Lookup<T>> + Send;
    /// Called once the item is known to be ours (created or adopted).
    fn created(&self, _item: &T) {}
    /// The `terraform import` command for an existing item (if found).
    fn import_command(&self, existing: Option<&T>) -> String;
    /// The error detail when the API provably has no create route (every
    /// attempt answered 404/405).
    fn no_route(&self) -> String {
        format!("This Exotel API has no route to create a {} (every attempt answered 404/405).", self.noun())
    }
}

fn may_exist<T>(c: &impl Creation<T>, cause: &ApiError, extra: Option<&str>) -> Diagnostic {
    let what = c.what();
    let extra = extra.map(|e| format!(" {e}.")).unwrap_or_default();
    Diagnostic::error(
        format!("{} may have been created", capitalise(c.noun())),
        format!(
            "Creating {what} failed in a way that does not tell whether Exotel stored it ({}).{extra} If it exists in Exotel, import it with:\n  {}\notherwise run apply again.",
            cause.last_failure(),
            c.import_command(None)
        ),
    )
}

fn already_exists<T>(c: &impl Creation<T>, existing: Option<&T>, why: &str) -> Diagnostic {
    Diagnostic::error(
        format!("{} already exists", capitalise(c.noun())),
        format!(
            "Exotel already has {} ({why}). To manage it with Terraform, import it:\n  {}",
            c.what(),
            c.import_command(existing)
        ),
    )
}

fn stopped_before<T>(c: &impl Creation<T>, after_failure: Option<&ApiError>) -> Diagnostic {
    let detail = match after_failure {
        None => format!("{} was not created: Terraform asked the provider to stop before it was sent.", c.what()),
        Some(cause) => format!(
            "{} was not created: the attempt failed ({}), a listing showed it absent, and Terraform asked the provider to stop before it was tried again.",
            c.what(),
            cause.last_failure()
        ),
    };
    Diagnostic::error(format!("{} not created", capitalise(c.noun())), detail)
}

/// Runs the listing that settles an ambiguous create: normally, or, when
/// Terraform asked to stop, once and within the stop deadline.
async fn settle<T>(client: &Client, c: &impl Creation<T>) -> Lookup<T> {
    if !client.stopping() {
        return crate::api::client::confirming(c.find()).await;
    }
    crate::api::client::settling(client, c.find()).await.unwrap_or_else(|| {
        Lookup::Unknown("Terraform asked the provider to stop and the listing to check did not finish in time".into())
    })
}

/// Creates one item (see the module docs). `None` when it failed; the reason
/// is in `diags`.
pub(crate) async fn create<T>(client: &Client, c: &impl Creation<T>, diags: &mut Diagnostics) -> Option<T> {
    if client.stopping() {
        diags.push(stopped_before(c, None));
        return None;
    }
    let ids = match c.snapshot().await {
        Snapshot::Known { same: Some(existing), .. } => {
            diags.push(already_exists(c, Some(&existing), "it was there before this apply"));
            return None;
        }
        Snapshot::Known { held, same: None } => Some(held),
        Snapshot::TrunkGone => {
            diags.push(Diagnostic::error(format!("Cannot create {}", c.what()), "Its trunk does not exist."));
            return None;
        }
        Snapshot::Unavailable(why) => {
            tracing::debug!(what = %c.what(), reason = %why, "no snapshot: an ambiguous create will not be adopted");
            None
        }
    };
    let rounds = client.max_retries() + 1;
    let mut cause: Option<ApiError> = None;
    for round in 1..=rounds {
        if client.stopping() {
            diags.push(stopped_before(c, cause.as_ref()));
            return None;
        }
        let ambiguous = match c.post().await {
            Ok(Some(item)) => {
                c.created(&item);
                return Some(item);
            }
            Ok(None) => ApiError::missing_record("POST", &c.what()),
            Err(e) if e.is_conflict() && cause.is_none() => {
                let existing = if client.stopping() {
                    None
                } else {
                    match c.find().await {
                        Lookup::Found(t) => Some(t),
                        _ => None,
                    }
                };
                diags.push(already_exists(c, existing.as_ref(), &e.to_string()));
                return None;
            }
            // A repeat of our own create conflicting: it was stored after all.
            Err(e) if e.is_conflict() => e,
            Err(e) if e.is_cancelled() => {
                // Cancelled before sending, or while waiting to repeat an
                // attempt that provably did not reach the API.
                diags.push(stopped_before(c, cause.as_ref()));
                return None;
            }
            Err(e) if e.is_route_missing() => {
                diags.push(Diagnostic::error(format!("Cannot create {}", c.what()), c.no_route()));
                return None;
            }
            Err(e) if e.provably_not_applied() || e.is_definite_refusal() => {
                diags.push(super::common::api_diag(format!("Cannot create {}", c.what()), &e));
                return None;
            }
            Err(e) => e,
        };
        tracing::warn!(what = %c.what(), round, error = %ambiguous, "create outcome unknown; looking for it before trying again");
        match settle(client, c).await {
            Lookup::Found(t) => {
                let id = c.id_of(&t);
                match &ids {
                    Some(before) if !before(&id) => {
                        c.created(&t);
                        return Some(t);
                    }
                    Some(_) => {
                        diags.push(already_exists(c, Some(&t), "it was there before this apply, so it is not adopted"));
                        return None;
                    }
                    None => {
                        diags.push(may_exist(
                            c,
                            &ambiguous,
                            Some(&format!(
                                "One exists now (id {id}), but without knowing what existed before, the provider cannot prove it is the one this apply created"
                            )),
                        ));
                        return None;
                    }
                }
            }
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
        if client.stopping() {
            diags.push(stopped_before(c, Some(&ambiguous)));
            return None;
        }
        cause = Some(ambiguous);
        if round < rounds && !client.backoff_sleep(round).await {
            diags.push(stopped_before(c, cause.as_ref()));
            return None;
        }
    }
    match cause {
        Some(cause) => diags.push(may_exist(c, &cause, Some(&format!("Gave up after {rounds} attempts")))),
        None => diags.push(stopped_before(c, None)),
    }
    None
}

#[cfg(test)]
mod tests {
    //! The create logic against a scripted fake API: no HTTP, no Terraform.
    use super::*;
    use crate::api::{ClientConfig, Secret};
    use std::sync::Mutex;
    use std::time::Duration;

    #[derive(Clone, Debug, PartialEq)]
    struct Thing {
        id: String,
        name: String,
    }

    /// A fake collection: what it holds, and scripted POST answers.
    struct Fake {
        held: Mutex<Vec<Thing>>,
        before: Vec<Thing>,
        /// Each POST pops one: `Ok(true)` stores and answers, `Ok(false)`
        /// stores and loses the answer, `Err(kind)` answers with that error
        /// (without storing).
        script: Mutex<Vec<Result<bool, ApiError>>>,
        posts: Mutex<u32>,
        name: String,
    }

    impl Fake {
        fn new(before: Vec<Thing>, script: Vec<Result<bool, ApiError>>) -> Fake {
            Fake {
                held: Mutex::new(before.clone()),
                before,
                script: Mutex::new(script.into_iter().rev().collect()),
                posts: Mutex::new(0),
                name: "n1".into(),
            }
        }
        fn named(&self) -> Vec<Thing> {
            self.held.lock().unwrap().iter().filter(|t| t.name == self.name).cloned().collect()
        }
    }

    impl Creation<Thing> for Fake {
        fn noun(&self) -> &'static str {
            "whitelisted IP"
        }
        fn what(&self) -> String {
            format!("whitelisted IP {}", self.name)
        }
        fn id_of(&self, t: &Thing) -> String {
            t.id.clone()
        }
        async fn snapshot(&self) -> Snapshot<Thing> {
            let ids: std::collections::HashSet<String> = self.before.iter().map(|t| t.id.clone()).collect();
            Snapshot::Known {
                held: Box::new(move |id| ids.contains(id)),
                same: self.before.iter().find(|t| t.name == self.name).cloned(),
            }
        }
        async fn post(&self) -> Result<Option<Thing>, ApiError> {
            *self.posts.lock().unwrap() += 1;
            let step = self.script.lock().unwrap().pop().unwrap_or(Ok(true));
            match step {
                Ok(answer) => {
                    let mut held = self.held.lock().unwrap();
                    let t = Thing { id: format!("id{}", held.len() + 100), name: self.name.clone() };
                    held.push(t.clone());
                    if answer { Ok(Some(t)) } else { Err(ApiError::transport("POST", "reset", true)) }
                }
                Err(e) => Err(e),
            }
        }
        async fn find(&self) -> Lookup<Thing> {
            self.named().into_iter().next().map_or(Lookup::Absent, Lookup::Found)
        }
        fn import_command(&self, existing: Option<&Thing>) -> String {
            format!("terraform import x.y t/{}", existing.map_or("<id>", |t| t.id.as_str()))
        }
    }

    fn client() -> std::sync::Arc<Client> {
        let mut c = Client::new(
            ClientConfig {
                base_url: url::Url::parse("http://127.0.0.1:9").unwrap(),
                account_sid: "acme1".into(),
                api_key: "k".into(),
                api_token: Secret::new("t"),
                max_retries: 3,
                max_requests_per_minute: 0,
                request_timeout: Duration::from_secs(1),
                user_agent: "test".into(),
                sharing: crate::api::Sharing::Off,
            },
            tokio_util::sync::CancellationToken::new(),
        )
        .unwrap();
        c.set_backoff_base(Duration::from_millis(1));
        c
    }

    fn server_error() -> ApiError {
        ApiError::api("POST", 500, None, "boom")
    }

    fn conflict() -> ApiError {
        ApiError::api("POST", 409, Some(1002), "exists")
    }

    fn run(f: &Fake) -> (Option<Thing>, Diagnostics) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let c = client();
        let mut d = Diagnostics::default();
        let r = rt.block_on(create(&c, f, &mut d));
        (r, d)
    }

    fn text(d: &Diagnostics) -> String {
        format!("{d:?}")
    }

    #[test]
    fn a_lost_answer_to_our_own_create_is_adopted() {
        let f = Fake::new(vec![], vec![Ok(false)]);
        let (r, d) = run(&f);
        assert!(!d.has_errors(), "{}", text(&d));
        assert_eq!(r.unwrap().name, "n1");
        assert_eq!(f.named().len(), 1);
        assert_eq!(*f.posts.lock().unwrap(), 1);
    }

    #[test]
    fn a_500_while_the_same_item_existed_is_refused_without_sending() {
        let other = Thing { id: "7".into(), name: "n1".into() };
        let f = Fake::new(vec![other.clone()], vec![Err(server_error())]);
        let (r, d) = run(&f);
        assert!(r.is_none());
        let t = text(&d);
        assert!(t.contains("Whitelisted IP already exists") && t.contains("terraform import x.y t/7"), "{t}");
        assert_eq!(*f.posts.lock().unwrap(), 0);
        assert_eq!(f.named(), vec![other]);
    }

    #[test]
    fn an_item_that_appears_but_was_in_the_snapshot_is_not_adopted() {
        // The snapshot did not hold a match, but after a 500 a listing shows
        // an item whose id the snapshot held (renamed out of band meanwhile).
        let f = Fake::new(vec![Thing { id: "7".into(), name: "other".into() }], vec![Err(server_error())]);
        f.held.lock().unwrap()[0].name = "n1".into();
        let (r, d) = run(&f);
        assert!(r.is_none());
        assert!(text(&d).contains("not adopted"), "{}", text(&d));
    }

    #[test]
    fn a_500_before_applying_is_created_again_once() {
        let f = Fake::new(vec![], vec![Err(server_error()), Ok(true)]);
        let (r, d) = run(&f);
        assert!(!d.has_errors(), "{}", text(&d));
        assert!(r.is_some());
        assert_eq!(f.named().len(), 1);
        assert_eq!(*f.posts.lock().unwrap(), 2);
    }

    #[test]
    fn a_conflict_on_the_first_attempt_is_the_users_business() {
        let f = Fake::new(vec![], vec![Err(conflict())]);
        let (r, d) = run(&f);
        assert!(r.is_none());
        assert!(text(&d).contains("already exists"), "{}", text(&d));
    }

    #[test]
    fn messages_name_the_whole_noun() {
        let f = Fake::new(vec![], vec![Err(server_error()); 10]);
        let (_, d) = run(&f);
        let t = text(&d);
        assert!(t.contains("Whitelisted IP may have been created"), "{t}");
    }
}
