//! The vSIP HTTP client: Basic auth, JSON, retries with backoff and jitter,
//! a process-wide rate limit and concurrency cap, cancellation on
//! its stop token, pagination that never leaves the configured origin, and a
//! DEBUG log line per attempt.

use super::envelope::{self, Envelope};
use super::error::{ApiError, ErrorKind};
use super::limiter::{Limiter, Sharing};
use super::secret::{Masker, Secret};
use reqwest::Method;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use url::Url;

/// Exotel's documented per-account concurrency limit.
pub const MAX_IN_FLIGHT: usize = 50;
/// How long one request keeps retrying 429 answers (Exotel's limit is per
/// minute). Rate-limit answers do not use up `max_retries`.
pub const THROTTLE_BUDGET: Duration = Duration::from_secs(120);
/// The largest API answer read; a larger body is an error, not read further.
pub const MAX_BODY: usize = 16 * 1024 * 1024;
/// The most pages one listing follows.
pub const MAX_PAGES: usize = 2_000;
/// The most records one listing reads.
pub const MAX_RECORDS: usize = 100_000;
/// The longest one listing may take, every page included.
pub const LIST_TIME_LIMIT: Duration = Duration::from_secs(600);
/// After a stop (the stop token), a request already on the wire (and the one listing
/// that settles an ambiguous create or delete) may finish within
/// min(`request_timeout`, this).
pub const STOP_GRACE_CAP: Duration = Duration::from_secs(30);

tokio::task_local! {
    /// Set while settling the outcome of a create or delete that was already
    /// on the wire when the caller asked the client to stop (its stop token).
    static SETTLING: bool;
}

/// Runs `f` as the settling step of an operation that was on the wire when
/// the stop arrived: its requests are still sent (no retries), and the
/// whole of it ends by the stop grace deadline.
pub async fn settling<F: std::future::Future>(client: &Client, f: F) -> Option<F::Output> {
    let deadline = client.stop_deadline();
    let fut = SETTLING.scope(true, f);
    match deadline {
        Some(d) => tokio::time::timeout_at(d.into(), fut).await.ok(),
        None => Some(fut.await),
    }
}

fn is_settling() -> bool {
    SETTLING.try_with(|s| *s).unwrap_or(false)
}

tokio::task_local! {
    /// Set while listing to settle a create or delete already sent.
    static CONFIRMING: bool;
}

/// Runs `f`, the listing that settles a create or delete already sent: if
/// the caller asks the client to stop meanwhile, a request of it already on
/// the wire may still finish within the stop grace. Every other read (a
/// refresh, a data source, an import, the credentials check) ends at once
/// on a stop: it settles nothing.
pub async fn confirming<F: std::future::Future>(f: F) -> F::Output {
    CONFIRMING.scope(true, f).await
}

fn is_confirming() -> bool {
    CONFIRMING.try_with(|s| *s).unwrap_or(false)
}

/// The retry budget of one API operation (see [`operation`]).
#[derive(Debug, Default)]
pub struct OpBudget {
    /// The first 429 of the operation.
    throttled_since: Mutex<Option<Instant>>,
    /// Failures other than 429, over every request of the operation.
    failures: std::sync::atomic::AtomicU32,
}

tokio::task_local! {
    static OPERATION: Arc<OpBudget>;
}

/// Runs `f` as one API operation: the create, update or delete of one item
/// with every request it takes (retries, the listings that confirm it, a
/// repeat after an ambiguous answer). They share **one** budget: at most
/// `max_retries` failures other than 429 in all, and 429 answers are waited
/// out for at most the throttle budget (120 s) from the operation's first
/// one; after that the operation ends with the last error. Waiting for this
/// process's own rate limiter is not a 429 and spends nothing. Inside an
/// operation, `f` joins it.
pub async fn operation<F: std::future::Future>(f: F) -> F::Output {
    if OPERATION.try_with(|_| ()).is_ok() {
        return f.await;
    }
    OPERATION.scope(Arc::new(OpBudget::default()), f).await
}

/// Everything the client needs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The API's origin, e.g. `https://api.in.exotel.com` (the client adds
    /// `/v2/accounts/<account_sid>`).
    pub base_url: Url,
    /// The account every route is under.
    pub account_sid: String,
    /// The API key (Basic auth user).
    pub api_key: String,
    /// The API token (Basic auth password); never printed.
    pub api_token: Secret,
    /// Failures other than 429 one operation may retry.
    pub max_retries: u32,
    /// 0 turns the client-side limit off.
    pub max_requests_per_minute: u32,
    /// One attempt's limit, connection to last byte.
    pub request_timeout: Duration,
    /// The whole User-Agent header, e.g. `myapp/1.0` (the caller names itself).
    pub user_agent: String,
    /// Whether and where the rate limit is shared with other processes.
    pub sharing: Sharing,
}

/// A successful POST's envelope, for a resource to read its record from.
pub struct PostAnswer(pub Envelope);

impl PostAnswer {
    /// The first successful record, decoded; `Ok(None)` when there is none.
    pub(crate) fn record<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, ErrorKind> {
        let Some(item) = self.0.items.iter().find(|i| !i.failed()) else { return Ok(None) };
        let rec = match &item.data {
            Json::Array(a) => match a.first() {
                Some(r) => r,
                None => return Ok(None),
            },
            Json::Null => return Ok(None),
            other => other,
        };
        super::decode(rec, self.0.request_id.as_deref()).map(Some)
    }

    /// A create's answer: the created record, `Ok(None)` when the answer
    /// carried none, and an unreadable record as a (ambiguous) decode error.
    pub fn read<T: serde::de::DeserializeOwned>(
        r: Result<Envelope, ApiError>,
        op: &str,
    ) -> Result<Option<T>, ApiError> {
        PostAnswer(r?).record().map_err(|k| ApiError::new(op, 1, k))
    }
}

/// Whether a request may simply be repeated after an ambiguous failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// GET, PUT, settings POST (setting a value twice is harmless).
    Idempotent,
    /// A DELETE of a route outside the contract: idempotent, and an answer
    /// that looks like "no such route" is retried like a transient failure,
    /// so that only a route missing on every attempt is a verdict
    /// ([`ApiError::is_route_missing`]).
    Probe,
    /// A create: repeated only when provably not applied (refused connection,
    /// 429, an answer that looks like "no such route", which is confirmed as
    /// for [`Retry::Probe`]).
    Create,
}

/// Endpoints outside the contract that this API has or lacks, learned once
/// per process, each per route: one collection's missing route says nothing
/// about another's.
#[derive(Debug, Default)]
pub struct Caps {
    /// `GET /trunks` (with optional `trunk_sid` filter).
    pub trunk_listing: Capability,
    /// `DELETE /trunks/<sid>/<segment>?id=` (`?name=` for settings), per collection segment
    /// (`whitelisted-ips`, `destination-uris`, ...), shared by every trunk.
    item_delete: Mutex<HashMap<&'static str, Arc<Capability>>>,
    /// `GET /trunks/<sid>/<segment>`, per collection segment (the settings
    /// listing is outside the contract).
    item_list: Mutex<HashMap<&'static str, Arc<Capability>>>,
}

impl Caps {
    /// Whether a collection's item DELETE exists, for that
    /// collection only.
    pub fn item_delete(&self, segment: &'static str) -> Arc<Capability> {
        self.item_delete.lock().unwrap_or_else(|e| e.into_inner()).entry(segment).or_default().clone()
    }
    /// Whether a collection's listing exists, for that collection only.
    pub fn item_list(&self, segment: &'static str) -> Arc<Capability> {
        self.item_list.lock().unwrap_or_else(|e| e.into_inner()).entry(segment).or_default().clone()
    }
}

/// Whether an endpoint outside the contract exists, learned once per process
/// (0, the default, until the first answer).
#[derive(Debug, Default)]
pub struct Capability(AtomicU8);

impl Capability {
    const YES: u8 = 1;
    const NO: u8 = 2;
    /// An answer proved the endpoint missing.
    pub fn unsupported(&self) -> bool {
        self.0.load(Ordering::Relaxed) == Self::NO
    }
    /// Records what an answer proved.
    pub fn set(&self, supported: bool) {
        self.0.store(if supported { Self::YES } else { Self::NO }, Ordering::Relaxed);
    }
}

/// One list fetch shared by every reader of it (single flight).
type ListCell = Arc<tokio::sync::OnceCell<Result<Arc<Vec<Json>>, ApiError>>>;
/// A list decoded once into typed records (an `Arc<Indexed<T>>`).
type TypedCell = Arc<tokio::sync::OnceCell<Arc<dyn std::any::Any + Send + Sync>>>;

/// A record with an id, as listed by the API.
pub trait Keyed {
    /// The record's id as the API spells it.
    fn key(&self) -> &str;
}

/// A listing decoded once, indexed by id: a refresh of N resources on one
/// collection decodes it once and finds each in O(1).
///
/// A record this client cannot model (an IPv6 network, a field out of
/// range, as a dashboard or a newer API might add) is isolated, never
/// skipped silently and never a failure of the whole listing: it is kept in
/// [`Indexed::unreadable`] with its id and text, so that resources that do
/// not own it go on, an authoritative set can remove it, and a resource
/// that does own it gets a clear error.
#[derive(Debug)]
pub struct Indexed<T> {
    items: Vec<T>,
    by_id: HashMap<String, usize>,
    unreadable: Vec<Unreadable>,
}

/// A listed record that could not be decoded.
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// Its id, when it has one usable in a path.
    pub id: Option<String>,
    /// The record, secrets masked (compact JSON).
    pub record: Json,
    /// Why it could not be read.
    pub reason: String,
}

impl Unreadable {
    /// The record in words for messages: its JSON, at most 200 characters.
    pub fn text(&self) -> String {
        let t = self.record.to_string();
        if t.chars().count() > 200 { format!("{}...", t.chars().take(200).collect::<String>()) } else { t }
    }
    /// A text field of the record, if it is one.
    pub fn field(&self, name: &str) -> Option<String> {
        match self.record.get(name)? {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

impl<T: Keyed> Indexed<T> {
    /// A listing whose records all decoded.
    pub fn new(items: Vec<T>) -> Self {
        Self::with_unreadable(items, Vec::new())
    }
    /// A listing with records that did not decode (kept, to be reported).
    pub fn with_unreadable(items: Vec<T>, unreadable: Vec<Unreadable>) -> Self {
        let by_id = items.iter().enumerate().map(|(i, t)| (t.key().to_string(), i)).collect();
        Indexed { items, by_id, unreadable }
    }
    /// The records that could not be decoded.
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }
    /// The unreadable record with this id, if any.
    pub fn unreadable_id(&self, id: &str) -> Option<&Unreadable> {
        self.unreadable.iter().find(|u| u.id.as_deref() == Some(id))
    }
    /// Whether the listing holds `id`, readable or not.
    pub fn holds(&self, id: &str) -> bool {
        self.get(id).is_some() || self.unreadable_id(id).is_some()
    }
    /// The record with `id`, if it decoded.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.by_id.get(id).map(|&i| &self.items[i])
    }
    /// Every record that decoded, in the API's order.
    pub fn items(&self) -> &[T] {
        &self.items
    }
}
/// What a collection held before this process's first create in it (an
/// `Arc<Indexed<T>>`, or [`EmptySnapshot`]).
type SnapshotCell = Arc<tokio::sync::OnceCell<Arc<dyn std::any::Any + Send + Sync>>>;

/// A collection known to have held nothing (its trunk was created by this process).
struct EmptySnapshot;

/// Orders one collection's deletes and the listings that decide absence.
///
/// The rule: **an item is concluded absent only from a full listing taken
/// while no DELETE of this process is in flight in that collection.** With
/// offset pagination, a delete that lands while a listing is between pages
/// moves later items onto pages already read, and an item still present
/// would be missed. So every DELETE holds the gate shared while it is on the
/// wire, and every fresh listing (the one that confirms a delete, settles an
/// ambiguous create or computes a set's differences) holds it exclusively.
/// A caller that needs a listing taken after some instant (its own DELETE
/// answered) reuses the last exclusive listing when that one started later:
/// many deletes finishing together are confirmed by one listing. Filtered
/// lookups (`?id=`) are never taken as evidence of absence.
#[derive(Default)]
struct Gate {
    rw: tokio::sync::RwLock<()>,
    /// The last exclusive listing: when it started, and what it found (an
    /// `Arc<Indexed<T>>`).
    last: Mutex<Option<(Instant, Arc<dyn std::any::Any + Send + Sync>)>>,
}

/// The vSIP API client: one per account and process, shared by every
/// task (`Arc<Client>`). See the crate documentation for an example.
pub struct Client {
    /// What this process learned about routes outside the contract.
    pub caps: Caps,
    /// Lists fetched during this process, keyed by path: a refresh of many
    /// resources on one trunk fetches each collection once. Our own creates
    /// and deletes invalidate the entry.
    lists: Mutex<HashMap<String, ListCell>>,
    /// The same lists, decoded and indexed once per fetch.
    typed: Mutex<HashMap<String, TypedCell>>,
    /// Per collection path: what it held before our first create in it (see
    /// [`Client::snapshot_indexed`]).
    snapshots: Mutex<HashMap<String, SnapshotCell>>,
    /// Per collection path: ids this process deleted (confirmed by a
    /// listing) since its snapshot was taken; they are no longer "there
    /// before this apply".
    deleted: Mutex<HashMap<String, std::collections::HashSet<String>>>,
    /// Per collection path: deletes and absence-deciding listings (see `Gate`).
    gates: Mutex<HashMap<String, Arc<Gate>>>,
    /// When this client first saw its stop token cancelled.
    stopped_at: std::sync::OnceLock<Instant>,
    http: reqwest::Client,
    cfg: ClientConfig,
    limiter: Limiter,
    in_flight: Semaphore,
    /// A 429 pauses every request of this process until this instant.
    paused_until: Mutex<Option<Instant>>,
    stop: CancellationToken,
    /// Backoff base; short in unit tests.
    backoff_base: Duration,
    /// Masks the credentials, and every secret sent in a request body, in
    /// whatever an answer echoes.
    masker: std::sync::RwLock<Masker>,
    /// How long 429s are waited out ([`THROTTLE_BUDGET`]; short in unit tests).
    throttle_budget: Duration,
    /// The plan-time credentials check (see [`Client::verify_access`]).
    access: Access,
}

/// The state of the plan-time credentials check.
#[derive(Default)]
struct Access {
    /// `skip_credentials_validation`.
    skip: std::sync::atomic::AtomicBool,
    /// A successful answer proved the credentials.
    proven: std::sync::atomic::AtomicBool,
    /// The one check's outcome (its first caller's probe).
    outcome: tokio::sync::OnceCell<Result<(), Arc<ApiError>>>,
    /// Whether a caller was already handed a failed outcome to report.
    reported: std::sync::atomic::AtomicBool,
}

/// What [`Client::verify_access`] found.
#[derive(Debug)]
pub enum AccessCheck {
    /// The credentials work, the check is off, or the API cannot tell.
    Ok,
    /// They failed; `report` is true for exactly one caller, which shows the
    /// error (the others stay quiet: the run has failed already).
    Failed {
        /// Why.
        error: Arc<ApiError>,
        /// Whether this caller is the one to show it.
        report: bool,
    },
}

/// A request that proves the credentials (see [`Client::verify_access`]).
pub type Probe<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ApiError>> + Send + 'a>>;

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("cfg", &self.cfg).finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `cfg`. Cancelling `stop` ends every request not yet
    /// sent and every wait; a request on the wire may finish within a grace
    /// when it settles a create or delete. Errs when the HTTP client cannot
    /// be built (TLS set-up).
    pub fn new(cfg: ClientConfig, stop: CancellationToken) -> Result<Arc<Client>, String> {
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls_config()?)
            .user_agent(cfg.user_agent.clone())
            .timeout(cfg.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("could not build the HTTP client: {e}"))?;
        let masker = Masker::new(&cfg.api_key, &cfg.api_token);
        let key = super::limiter::file_key(cfg.base_url.as_str(), &cfg.account_sid);
        let limiter = Limiter::new(cfg.max_requests_per_minute, &cfg.sharing, &key);
        Ok(Arc::new(Client {
            caps: Caps::default(),
            lists: Mutex::new(HashMap::new()),
            typed: Mutex::new(HashMap::new()),
            snapshots: Mutex::new(HashMap::new()),
            deleted: Mutex::new(HashMap::new()),
            gates: Mutex::new(HashMap::new()),
            stopped_at: std::sync::OnceLock::new(),
            http,
            cfg,
            limiter,
            in_flight: Semaphore::new(MAX_IN_FLIGHT),
            paused_until: Mutex::new(None),
            stop,
            backoff_base: Duration::from_millis(500),
            masker: std::sync::RwLock::new(masker),
            throttle_budget: THROTTLE_BUDGET,
            access: Access::default(),
        }))
    }

    fn masker(&self) -> std::sync::RwLockReadGuard<'_, Masker> {
        self.masker.read().unwrap_or_else(|e| e.into_inner())
    }

    /// From now on, masks `secret` in every error text, excerpt and log
    /// line, as the account token is: called before a request body carries
    /// it (a SIP password), so that an answer quoting the body cannot show it.
    pub fn mask_also(&self, secret: &Secret) {
        self.masker.write().unwrap_or_else(|e| e.into_inner()).add(secret.expose());
    }

    #[cfg(test)]
    pub(crate) fn stop_token(&self) -> &CancellationToken {
        &self.stop
    }

    /// Sets the base of the exponential backoff between retries (500 ms
    /// by default), for tests and tools that want quicker retries. Only
    /// before the client is shared: a no-op once another `Arc` holds it.
    pub fn set_backoff_base(self: &mut Arc<Self>, d: Duration) {
        if let Some(c) = Arc::get_mut(self) {
            c.backoff_base = d;
        }
    }

    /// Sets how long one operation waits out 429 answers
    /// ([`THROTTLE_BUDGET`] by default). Only before the client is shared.
    pub fn set_throttle_budget(self: &mut Arc<Self>, d: Duration) {
        if let Some(c) = Arc::get_mut(self) {
            c.throttle_budget = d;
        }
    }

    /// Whether the current operation (see [`operation`]) has spent its
    /// budget: a resource must not start another round of it.
    pub fn budget_spent(&self) -> bool {
        OPERATION
            .try_with(|b| {
                b.failures.load(Ordering::SeqCst) > self.cfg.max_retries
                    || b.throttled_since
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .is_some_and(|t| t.elapsed() >= self.throttle_budget)
            })
            .unwrap_or(false)
    }

    /// Turns the plan-time credentials check off (`skip_credentials_validation`).
    pub fn skip_access_check(&self) {
        self.access.skip.store(true, Ordering::SeqCst);
    }

    /// The plan-time credentials check, sent once per process and only when
    /// a plan needs it: nothing when an answer already proved the
    /// credentials; otherwise `probe` (the first caller's; the default is one
    /// `GET /trunks`) runs once and every caller shares its outcome. A
    /// resource passes as `probe` the listing its create sends first anyway,
    /// so that the apply walk, whose re-plan comes here too, waits for no
    /// request it would not have sent.
    pub async fn verify_access(&self, probe: Option<Probe<'_>>) -> AccessCheck {
        if self.access.skip.load(Ordering::SeqCst) || self.access.proven.load(Ordering::SeqCst) {
            return AccessCheck::Ok;
        }
        let outcome = self
            .access
            .outcome
            .get_or_init(|| async {
                let probe = probe.unwrap_or_else(|| Box::pin(async { self.trunks().check_access().await.map(drop) }));
                probe.await.map_err(Arc::new)
            })
            .await;
        match outcome {
            Ok(()) => AccessCheck::Ok,
            Err(e) => {
                AccessCheck::Failed { error: e.clone(), report: !self.access.reported.swap(true, Ordering::SeqCst) }
            }
        }
    }

    /// Warnings for the user (the rate limit could not be shared), once.
    pub fn take_notices(&self) -> Vec<String> {
        self.limiter.take_notices()
    }

    /// The account every route is under.
    pub fn account_sid(&self) -> &str {
        &self.cfg.account_sid
    }

    /// The caller asked the client to stop: start nothing new.
    pub fn stopping(&self) -> bool {
        self.stop.is_cancelled()
    }

    /// The instant by which work already on the wire must end after
    /// the stop (`None` while not stopping).
    pub fn stop_deadline(&self) -> Option<Instant> {
        if !self.stop.is_cancelled() {
            return None;
        }
        let grace = self.cfg.request_timeout.min(STOP_GRACE_CAP);
        Some(*self.stopped_at.get_or_init(Instant::now) + grace)
    }

    /// `/v2/accounts/<sid>` + `path`, resolved against the base URL. Every
    /// path segment must be a plain segment: an empty, `.` or `..` segment
    /// (in any percent-encoded spelling), or one hiding a `/`, is refused
    /// before anything is sent.
    pub(crate) fn url(&self, path_and_query: &str) -> Result<Url, ErrorKind> {
        let (path, _) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        for seg in path.split('/').skip(1) {
            let decoded = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
            if let Err(e) = crate::ids::path_id("path segment", &decoded) {
                return Err(ErrorKind::NotSent { reason: format!("refusing to send a request to {path:?}: {e}") });
            }
        }
        let full = format!("/v2/accounts/{}{}", crate::ids::encode_segment(&self.cfg.account_sid), path_and_query);
        self.cfg.base_url.join(&full).map_err(|e| ErrorKind::NotSent { reason: format!("invalid URL {full:?}: {e}") })
    }

    /// Resolves a pagination link against the page it came from (RFC 3986);
    /// refuses any origin but the configured one, since the request would
    /// carry the account credentials there.
    pub(crate) fn resolve_link(&self, current: &Url, link: &str) -> Result<Url, ErrorKind> {
        let u = current
            .join(link)
            .map_err(|e| ErrorKind::Pagination { reason: format!("invalid next_page_uri {link:?}: {e}") })?;
        if u.origin() != self.cfg.base_url.origin() {
            return Err(ErrorKind::NotSent {
                reason: format!(
                    "refused to follow pagination link to {} (only {} is trusted with the credentials)",
                    u.origin().ascii_serialization(),
                    self.cfg.base_url.origin().ascii_serialization()
                ),
            });
        }
        Ok(u)
    }

    /// `GET <path>` (relative to the account), retried when transient.
    pub async fn get(&self, path: &str) -> Result<Envelope, ApiError> {
        let url = self.url(path).map_err(|k| ApiError::new(format!("GET {path}"), 0, k))?;
        self.send(Method::GET, url, path, None, Retry::Idempotent).await
    }

    /// GET a list, following `next_page_uri` to the last page. Bounded: a
    /// link to a page already fetched ends it at once with an error, and so
    /// do more than [`MAX_PAGES`] pages, [`MAX_RECORDS`] records or
    /// [`LIST_TIME_LIMIT`].
    pub async fn get_all(&self, path: &str) -> Result<Vec<Json>, ApiError> {
        let started = Instant::now();
        let op = format!("GET {path}");
        let bounded = |reason: String| ApiError::new(op.clone(), 0, ErrorKind::Pagination { reason });
        let mut url = self.url(path).map_err(|k| ApiError::new(op.clone(), 0, k))?;
        let mut env = self.send(Method::GET, url.clone(), path, None, Retry::Idempotent).await?;
        let mut seen = std::collections::HashSet::from([url.to_string()]);
        let mut out: Vec<Json> = env.records().into_iter().cloned().collect();
        while let Some(link) = env.next_page_uri.take() {
            let next = self.resolve_link(&url, &link).map_err(|k| ApiError::new(op.clone(), 0, k))?;
            if !seen.insert(next.to_string()) {
                return Err(bounded(format!(
                    "next_page_uri {link:?} leads back to a page already fetched (after {} pages): the API's pagination loops",
                    seen.len()
                )));
            }
            if seen.len() > MAX_PAGES {
                return Err(bounded(format!("more than {MAX_PAGES} pages")));
            }
            if started.elapsed() > LIST_TIME_LIMIT {
                return Err(bounded(format!(
                    "still paginating after {} s ({} pages)",
                    LIST_TIME_LIMIT.as_secs(),
                    seen.len() - 1
                )));
            }
            let shown = next.path().to_string();
            url = next;
            env = self.send(Method::GET, url.clone(), &shown, None, Retry::Idempotent).await?;
            out.extend(env.records().into_iter().cloned());
            if out.len() > MAX_RECORDS {
                return Err(bounded(format!("more than {MAX_RECORDS} records")));
            }
        }
        Ok(out)
    }

    /// What the collection at `path` held before this process's first create
    /// in it, decoded and indexed once: one listing per collection per
    /// process, shared by every create (from the per-run list cache when that
    /// was fetched already). An item absent from it and found after an
    /// ambiguous create is provably ours. A failed listing is not kept.
    pub async fn snapshot_indexed<T>(&self, path: &str, op: &str) -> Result<Arc<Indexed<T>>, ApiError>
    where
        T: serde::de::DeserializeOwned + Keyed + Clone + Send + Sync + 'static,
    {
        let cell = {
            let mut m = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
            m.entry(path.to_string()).or_default().clone()
        };
        let any = cell
            .get_or_try_init(|| async {
                let held = self.list_indexed::<T>(path, op).await?;
                Ok::<_, ApiError>(held as Arc<dyn std::any::Any + Send + Sync>)
            })
            .await?
            .clone();
        if any.is::<EmptySnapshot>() {
            return Ok(Arc::new(Indexed::new(Vec::new())));
        }
        let held = any.downcast::<Indexed<T>>().map_err(|_| {
            ApiError::new(op, 0, ErrorKind::NotSent { reason: format!("{path} is cached as another record type") })
        })?;
        // What this process deleted since is no longer "there before".
        let deleted = self.deleted.lock().unwrap_or_else(|e| e.into_inner()).get(path).cloned().unwrap_or_default();
        if deleted.is_empty() || !held.items().iter().any(|r| deleted.contains(r.key())) {
            return Ok(held);
        }
        Ok(Arc::new(Indexed::with_unreadable(
            held.items().iter().filter(|r| !deleted.contains(r.key())).cloned().collect(),
            held.unreadable().to_vec(),
        )))
    }

    /// Records that this process deleted `id` from the collection at `path`
    /// (a listing confirmed it): the snapshot no longer holds it, so a create
    /// of the same item later in this run is not "already there".
    pub fn deleted(&self, path: &str, id: &str) {
        self.deleted
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(path.to_string())
            .or_default()
            .insert(id.to_string());
    }

    fn gate(&self, path: &str) -> Arc<Gate> {
        self.gates.lock().unwrap_or_else(|e| e.into_inner()).entry(path.to_string()).or_default().clone()
    }

    /// A DELETE in the collection at `collection`, holding its gate shared
    /// while on the wire (see `Gate`).
    pub async fn delete_in(&self, collection: &str, path: &str) -> Result<Envelope, ApiError> {
        let gate = self.gate(collection);
        let _shared = gate.rw.read().await;
        self.delete(path).await
    }

    /// A full listing of the collection at `path` that started after
    /// `since`, taken with no DELETE of this process in flight in it (see
    /// `Gate`): the only kind of listing that decides an item is absent.
    pub async fn list_exclusive<T>(&self, path: &str, op: &str, since: Instant) -> Result<Arc<Indexed<T>>, ApiError>
    where
        T: serde::de::DeserializeOwned + Keyed + Clone + Send + Sync + 'static,
    {
        let gate = self.gate(path);
        let _exclusive = gate.rw.write().await;
        let last = gate.last.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some((started, any)) = last
            && started >= since
            && let Ok(held) = any.downcast::<Indexed<T>>()
        {
            return Ok(held);
        }
        let started = Instant::now();
        self.invalidate(path);
        let held = self.list_indexed::<T>(path, op).await?;
        *gate.last.lock().unwrap_or_else(|e| e.into_inner()) = Some((started, held.clone()));
        Ok(held)
    }

    /// Records that the collection at `path` held nothing before our first
    /// create in it (its trunk was created by this process).
    pub fn snapshot_is_empty(&self, path: &str) {
        let empty: Arc<dyn std::any::Any + Send + Sync> = Arc::new(EmptySnapshot);
        let cell = SnapshotCell::new(tokio::sync::OnceCell::new_with(Some(empty)));
        self.snapshots.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), cell);
    }

    /// [`Client::get_all`], fetched once per process and shared by concurrent
    /// callers. A failure is not kept: the next caller fetches again.
    pub async fn get_all_cached(&self, path: &str) -> Result<Arc<Vec<Json>>, ApiError> {
        let cell = {
            let mut m = self.lists.lock().unwrap_or_else(|e| e.into_inner());
            m.entry(path.to_string()).or_default().clone()
        };
        let r = cell.get_or_init(|| async { self.get_all(path).await.map(Arc::new) }).await.clone();
        if r.is_err() {
            self.invalidate(path);
        }
        r
    }

    /// [`Client::get_all_cached`], decoded into typed records and indexed by
    /// id once per fetch, shared by every reader. A record that cannot be
    /// decoded is an error (never skipped), and is not kept.
    pub async fn list_indexed<T>(&self, path: &str, op: &str) -> Result<Arc<Indexed<T>>, ApiError>
    where
        T: serde::de::DeserializeOwned + Keyed + Send + Sync + 'static,
    {
        let cell = {
            let mut m = self.typed.lock().unwrap_or_else(|e| e.into_inner());
            m.entry(path.to_string()).or_default().clone()
        };
        let any = cell
            .get_or_try_init(|| async {
                let records = self.get_all_cached(path).await?;
                let (mut items, mut unreadable) = (Vec::with_capacity(records.len()), Vec::new());
                for r in records.iter() {
                    match super::decode::<T>(r, None) {
                        Ok(t) => items.push(t),
                        Err(k) => unreadable.push(self.unreadable(r, k)),
                    }
                }
                if !unreadable.is_empty() {
                    tracing::warn!(op, count = unreadable.len(), "records this client cannot model are isolated");
                }
                Ok::<_, ApiError>(
                    Arc::new(Indexed::with_unreadable(items, unreadable)) as Arc<dyn std::any::Any + Send + Sync>
                )
            })
            .await
            .inspect_err(|_| self.invalidate(path))?
            .clone();
        any.downcast::<Indexed<T>>().map_err(|_| {
            ApiError::new(op, 0, ErrorKind::NotSent { reason: format!("{path} is cached as another record type") })
        })
    }

    /// A record that could not be decoded, kept with its id and masked text.
    fn unreadable(&self, record: &Json, error: ErrorKind) -> Unreadable {
        // Items are keyed by `id`, trunks by `trunk_sid`.
        let id = ["id", "trunk_sid"]
            .iter()
            .find_map(|k| match record.get(*k) {
                Some(Json::String(s)) => Some(s.clone()),
                Some(Json::Number(n)) => Some(n.to_string()),
                _ => None,
            })
            .filter(|id| crate::ids::path_id("id", id).is_ok());
        let masked = self.masker().mask(&envelope::redact_json(record).to_string());
        let record = serde_json::from_str(&masked).unwrap_or(Json::String(masked));
        let reason = match self.mask_kind(error) {
            ErrorKind::Decode { reason, .. } => reason,
            other => other.to_string(),
        };
        Unreadable { id, record, reason }
    }

    /// Forgets a cached list (after a change to it). The last exclusive
    /// listing stays: it is reused only by callers that asked after it began.
    pub fn invalidate(&self, path: &str) {
        self.lists.lock().unwrap_or_else(|e| e.into_inner()).remove(path);
        self.typed.lock().unwrap_or_else(|e| e.into_inner()).remove(path);
    }

    /// Forgets every cached list under a path prefix (a deleted trunk).
    pub fn invalidate_prefix(&self, prefix: &str) {
        self.lists.lock().unwrap_or_else(|e| e.into_inner()).retain(|k, _| !k.starts_with(prefix));
        self.typed.lock().unwrap_or_else(|e| e.into_inner()).retain(|k, _| !k.starts_with(prefix));
    }

    /// `POST <path>` with a JSON body; `retry` says whether a create whose
    /// outcome is unknown may be sent again.
    pub async fn post(&self, path: &str, body: Json, retry: Retry) -> Result<Envelope, ApiError> {
        let url = self.url(path).map_err(|k| ApiError::new(format!("POST {path}"), 0, k))?;
        self.send(Method::POST, url, path, Some(body), retry).await
    }

    /// `PUT <path>` with a JSON body (idempotent: retried when transient).
    pub async fn put(&self, path: &str, body: Json) -> Result<Envelope, ApiError> {
        let url = self.url(path).map_err(|k| ApiError::new(format!("PUT {path}"), 0, k))?;
        self.send(Method::PUT, url, path, Some(body), Retry::Idempotent).await
    }

    /// DELETE with [`Retry::Probe`]: "no such route" is concluded only when
    /// every attempt answered so.
    pub async fn delete(&self, path: &str) -> Result<Envelope, ApiError> {
        let url = self.url(path).map_err(|k| ApiError::new(format!("DELETE {path}"), 0, k))?;
        self.send(Method::DELETE, url, path, None, Retry::Probe).await
    }

    /// Sends with retries. Transient failures are retried up to `max_retries`
    /// times; a [`Retry::Create`] only when the failure proves nothing was applied.
    async fn send(
        &self,
        method: Method,
        url: Url,
        shown: &str,
        body: Option<Json>,
        retry: Retry,
    ) -> Result<Envelope, ApiError> {
        let op = format!("{method} {shown}");
        let mut attempt: u32 = 0;
        // Other transient failures, counted against max_retries.
        let mut failures: u32 = 0;
        // 429s: retried (nothing was applied) for up to THROTTLE_BUDGET.
        let mut throttled: u32 = 0;
        let mut throttled_since: Option<Instant> = None;
        // Every answer so far looked like "no such route".
        let mut all_route_missing = true;
        loop {
            attempt += 1;
            let res = self.attempt(&method, &url, shown, body.as_ref(), attempt).await;
            let (kind, source) = match res {
                Ok(env) => return Ok(env),
                Err(k) => k,
            };
            all_route_missing &= kind.is_route_missing();
            let fail = |kind: ErrorKind, source| ApiError {
                op: op.clone(),
                attempts: attempt,
                kind: Box::new(self.mask_kind(kind)),
                route_missing: all_route_missing,
                source,
            };
            if matches!(kind, ErrorKind::Cancelled) || (self.stop.is_cancelled() && !is_settling()) {
                // The caller asked to stop: no retries.
                return Err(fail(kind, source));
            }
            let retry_after = match &kind {
                ErrorKind::Api { retry_after, .. } => *retry_after,
                _ => None,
            };
            if is_settling() {
                // Settling after a stop: one attempt only.
                return Err(fail(kind, source));
            }
            let budget = OPERATION.try_with(Arc::clone).ok();
            let delay = if kind.status() == Some(429) {
                throttled += 1;
                let since = match &budget {
                    Some(b) => {
                        *b.throttled_since.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(Instant::now)
                    }
                    None => *throttled_since.get_or_insert_with(Instant::now),
                };
                if self.cfg.max_retries == 0 || since.elapsed() >= self.throttle_budget {
                    return Err(fail(kind, source));
                }
                let left = self.throttle_budget.saturating_sub(since.elapsed());
                if let Some(wait) = retry_after
                    && Duration::from_secs(wait) > left
                {
                    let request_id = kind.request_id().map(str::to_owned);
                    return Err(fail(
                        ErrorKind::Throttled { wait_s: wait, budget_left_s: left.as_secs(), request_id },
                        None,
                    ));
                }
                // Never past the budget: the attempt after it is the last.
                let d = self.backoff(throttled, retry_after).min(left);
                // A 429 slows the whole process down, not just this request.
                let until = Instant::now() + d;
                let mut p = self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
                if p.is_none_or(|t| t < until) {
                    *p = Some(until);
                }
                d
            } else {
                failures += 1;
                // Within an operation, failures count over all its requests.
                let spent = match &budget {
                    Some(b) => b.failures.fetch_add(1, Ordering::SeqCst) + 1,
                    None => failures,
                };
                let may_retry = match retry {
                    Retry::Idempotent => kind.is_transient(),
                    Retry::Probe => kind.is_transient() || kind.is_route_missing(),
                    // A create answered "no such route" created nothing: it is
                    // sent again, so that only every attempt answering so is a
                    // verdict.
                    Retry::Create => (kind.is_transient() && kind.provably_not_applied()) || kind.is_route_missing(),
                };
                if !may_retry || spent > self.cfg.max_retries {
                    return Err(fail(kind, source));
                }
                self.backoff(failures, retry_after)
            };
            tracing::debug!(op = %op, attempt, delay_ms = delay.as_millis() as u64, error = %kind, "retrying vSIP request");
            tokio::select! {
                _ = self.stop.cancelled() => return Err(fail(ErrorKind::Cancelled, None)),
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// The configured `max_retries`.
    pub fn max_retries(&self) -> u32 {
        self.cfg.max_retries
    }

    /// Sleeps the backoff for `attempt` (1-based); false when the stop token
    /// cancelled the wait.
    pub async fn backoff_sleep(&self, attempt: u32) -> bool {
        let d = self.backoff(attempt, None);
        tokio::select! {
            _ = self.stop.cancelled() => false,
            _ = tokio::time::sleep(d) => true,
        }
    }

    /// Exponential backoff with full jitter, at least `Retry-After`.
    fn backoff(&self, attempt: u32, retry_after: Option<u64>) -> Duration {
        let cap = Duration::from_secs(30);
        let exp = self.backoff_base.saturating_mul(1u32 << attempt.min(16)).min(cap);
        let jittered = Duration::from_nanos(fastrand::u64(0..=exp.as_nanos() as u64));
        match retry_after {
            Some(s) => jittered.max(Duration::from_secs(s.min(300))),
            None => jittered,
        }
    }

    /// Waits for the process-wide pause, a concurrency slot and the rate
    /// limit's window. A stop ends the wait (nothing was sent), except while
    /// settling, which the stop deadline bounds instead.
    async fn wait_turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, ErrorKind> {
        let settling = is_settling();
        let stopped = async {
            if settling {
                std::future::pending::<()>().await
            }
            self.stop.cancelled().await
        };
        tokio::pin!(stopped);
        let pause = *self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = pause {
            let now = Instant::now();
            if until > now {
                tokio::select! {
                    _ = &mut stopped => return Err(ErrorKind::Cancelled),
                    _ = tokio::time::sleep(until - now) => {}
                }
            }
        }
        // A slot first, then the window: a request is recorded in the window
        // the moment it is sent, not while it waits for a slot.
        let permit = tokio::select! {
            _ = &mut stopped => return Err(ErrorKind::Cancelled),
            p = self.in_flight.acquire() => p.map_err(|_| ErrorKind::Cancelled)?,
        };
        tokio::select! {
            _ = &mut stopped => Err(ErrorKind::Cancelled),
            _ = self.limiter.acquire() => Ok(permit),
        }
    }

    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        shown: &str,
        body: Option<&Json>,
        attempt: u32,
    ) -> Result<Envelope, (ErrorKind, Option<Source>)> {
        if self.stop.is_cancelled() && !is_settling() {
            return Err((ErrorKind::Cancelled, None));
        }
        let _permit = self.wait_turn().await.map_err(|k| (k, None))?;
        let mut rb = self
            .http
            .request(method.clone(), url.clone())
            .basic_auth(&self.cfg.api_key, Some(self.cfg.api_token.expose()))
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let started = Instant::now();
        let fut = async {
            let mut resp = rb.send().await.map_err(transport_error)?;
            let status = resp.status().as_u16();
            if resp.status().is_redirection() {
                let location = resp
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).chars().take(200).collect());
                return Err((ErrorKind::Redirect { status, location }, None));
            }
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            if resp.content_length().is_some_and(|n| n > MAX_BODY as u64) {
                return Err((ErrorKind::TooLarge { status, limit: MAX_BODY }, None));
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = resp.chunk().await.map_err(transport_error)? {
                if bytes.len() + chunk.len() > MAX_BODY {
                    return Err((ErrorKind::TooLarge { status, limit: MAX_BODY }, None));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok::<_, (ErrorKind, Option<Source>)>((status, retry_after, bytes))
        };
        // A request on the wire that changes something (or settles a change)
        // is not abandoned when the caller asks to stop: it may finish until
        // the stop deadline (its outcome matters). Any other read ends at once.
        let graced = *method != Method::GET || is_settling() || is_confirming();
        let deadline = async {
            self.stop.cancelled().await;
            if graced && let Some(d) = self.stop_deadline() {
                tokio::time::sleep_until(d.into()).await;
            }
        };
        let result = tokio::select! {
            _ = deadline => if !graced { Err((ErrorKind::Cancelled, None)) } else { Err((ErrorKind::Transport {
                message: format!(
                    "no answer within {} s after the caller asked the client to stop",
                    self.cfg.request_timeout.min(STOP_GRACE_CAP).as_secs()
                ),
                sent: true,
                timeout: true,
            }, None)) },
            r = fut => r,
        };
        let elapsed = started.elapsed().as_millis() as u64;
        let (status, retry_after, bytes) = match result {
            Ok(r) => r,
            Err((kind, source)) => {
                let kind = self.mask_kind(kind);
                tracing::debug!(method = %method, path = shown, attempt, duration_ms = elapsed, error = %kind, "vSIP request failed");
                return Err((kind, source));
            }
        };
        let parsed = envelope::parse(status, &bytes).map_err(|k| self.mask_answer(k, &bytes));
        let request_id = parsed.as_ref().ok().and_then(|e| e.request_id.as_deref()).map(|r| self.masker().mask(r));
        tracing::debug!(
            method = %method,
            path = shown,
            status,
            attempt,
            duration_ms = elapsed,
            request_id = request_id.as_deref().unwrap_or("-"),
            "vSIP request"
        );
        let env = match parsed {
            Ok(env) => env,
            // A 429 without an envelope is still a 429.
            Err(_) if status == 429 => {
                return Err((
                    ErrorKind::Api {
                        http_status: 429,
                        status: 429,
                        code: Some(1030),
                        message: "Rate limit exceeded".into(),
                        description: String::new(),
                        request_id: None,
                        retry_after,
                    },
                    None,
                ));
            }
            Err(e) => return Err((e, None)),
        };
        envelope::check(status, &env, retry_after).map_err(|k| (self.mask_answer(k, &bytes), None))?;
        self.access.proven.store(true, Ordering::SeqCst);
        Ok(env)
    }

    /// An error read from an answer, with the credentials masked by value;
    /// a [`ErrorKind::Decode`]'s excerpt is cut again from the masked answer,
    /// so that no part of a secret survives the truncation.
    fn mask_answer(&self, mut kind: ErrorKind, body: &[u8]) -> ErrorKind {
        if let ErrorKind::Decode { excerpt, .. } = &mut kind {
            *excerpt = envelope::excerpt(self.masker().mask(&String::from_utf8_lossy(body)).as_bytes());
        }
        self.mask_kind(kind)
    }

    /// Every text of `kind` with the credentials masked by value.
    pub(crate) fn mask_kind(&self, mut kind: ErrorKind) -> ErrorKind {
        let m = &self.masker();
        match &mut kind {
            ErrorKind::NotSent { reason } | ErrorKind::Pagination { reason } => m.mask_in(reason),
            ErrorKind::Transport { message, .. } => m.mask_in(message),
            ErrorKind::Decode { excerpt, reason, request_id, .. } => {
                m.mask_in(excerpt);
                m.mask_in(reason);
                if let Some(r) = request_id {
                    m.mask_in(r);
                }
            }
            ErrorKind::Api { message, description, request_id, .. } => {
                m.mask_in(message);
                m.mask_in(description);
                if let Some(r) = request_id {
                    m.mask_in(r);
                }
            }
            ErrorKind::Redirect { location: Some(l), .. } => m.mask_in(l),
            ErrorKind::Throttled { request_id: Some(r), .. } => m.mask_in(r),
            ErrorKind::Redirect { .. }
            | ErrorKind::Throttled { .. }
            | ErrorKind::TooLarge { .. }
            | ErrorKind::Cancelled => {}
        }
        kind
    }
}

/// The transport error behind a failed attempt.
type Source = std::sync::Arc<dyn std::error::Error + Send + Sync>;

/// TLS towards the API (also for callers' own HTTP clients, as reqwest has
/// no crypto provider of its own here): aws-lc-rs and the Mozilla root certificates bundled at build time
/// (`webpki-roots`), the same on every platform, plus the certificates in
/// the PEM file `SSL_CERT_FILE` names, if set (a company CA for a
/// TLS-inspecting proxy). Bundled rather than the platform's store: it
/// needs no Apple SDK to cross-build for macOS.
pub fn tls_config() -> Result<rustls::ClientConfig, String> {
    let extra = std::env::var_os("SSL_CERT_FILE").filter(|v| !v.is_empty()).map(std::path::PathBuf::from);
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("could not set up TLS: {e}"))?
        .with_root_certificates(root_store(extra.as_deref())?)
        .with_no_client_auth())
}

fn root_store(extra: Option<&std::path::Path>) -> Result<rustls::RootCertStore, String> {
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    if let Some(path) = extra {
        let bad = |e: &dyn std::fmt::Display| format!("SSL_CERT_FILE={}: {e}", path.display());
        let mut added = 0;
        for cert in rustls_pki_types::CertificateDer::pem_file_iter(path).map_err(|e| bad(&e))? {
            roots.add(cert.map_err(|e| bad(&e))?).map_err(|e| bad(&e))?;
            added += 1;
        }
        if added == 0 {
            return Err(bad(&"no PEM certificates in the file; unset SSL_CERT_FILE or name a CA bundle"));
        }
    }
    Ok(roots)
}

fn transport_error(e: reqwest::Error) -> (ErrorKind, Option<Source>) {
    // Never format the URL with credentials: we use a header, so the URL has none.
    // A connect error (refused, unreachable, connect timeout) proves the request
    // never reached the API; anything later may have been applied.
    let sent = !e.is_connect();
    let mut message = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        message.push_str(": ");
        message.push_str(&s.to_string());
        src = s.source();
    }
    let timeout = e.is_timeout();
    let kind = if e.is_builder() {
        ErrorKind::NotSent { reason: message }
    } else {
        ErrorKind::Transport { message, sent, timeout }
    };
    (kind, Some(std::sync::Arc::new(e)))
}

fn parse_retry_after(v: &str) -> Option<u64> {
    if let Ok(s) = v.trim().parse::<u64>() {
        return Some(s);
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).map(|d| d.as_secs()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(7));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(0));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn ssl_cert_file_adds_its_certificates_to_the_bundled_roots() {
        let bundled = webpki_roots::TLS_SERVER_ROOTS.len();
        assert_eq!(root_store(None).unwrap().len(), bundled);
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        std::fs::write(&ca, params.self_signed(&key).unwrap().pem()).unwrap();
        assert_eq!(root_store(Some(&ca)).unwrap().len(), bundled + 1);

        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let e = root_store(Some(&empty)).unwrap_err();
        assert!(e.starts_with("SSL_CERT_FILE=") && e.contains("no PEM certificates"), "{e}");
        let e = root_store(Some(&dir.path().join("missing.pem"))).unwrap_err();
        assert!(e.starts_with("SSL_CERT_FILE="), "{e}");
    }
}
