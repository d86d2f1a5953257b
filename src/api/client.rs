//! The vSIP HTTP client: Basic auth, JSON, retries with backoff and jitter,
//! a process-wide rate limit and concurrency cap, cancellation on
//! StopProvider, pagination that never leaves the configured origin, and a
//! DEBUG log line per attempt.

use super::envelope::{self, Envelope};
use super::error::{ApiError, ErrorKind};
use super::secret::Secret;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::Method;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use url::Url;

/// Exotel's documented per-account concurrency limit.
pub const MAX_IN_FLIGHT: usize = 50;
/// Burst size of the client-side rate limiter.
pub const BURST: u32 = 50;
/// How long one request keeps retrying 429 answers (Exotel's limit is per
/// minute). Rate-limit answers do not use up `max_retries`.
pub const THROTTLE_BUDGET: Duration = Duration::from_secs(120);

/// Everything the client needs; built from the provider configuration.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: Url,
    pub account_sid: String,
    pub api_key: String,
    pub api_token: Secret,
    pub max_retries: u32,
    /// 0 turns the client-side limit off.
    pub max_requests_per_minute: u32,
    pub request_timeout: Duration,
    pub user_agent: String,
}

/// A successful POST's envelope, for a resource to read its record from.
pub struct PostAnswer(pub Envelope);

impl PostAnswer {
    /// The first successful record, decoded; `None` when there is none or it
    /// cannot be read (the outcome is then treated as unknown).
    pub fn record<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        let item = self.0.items.iter().find(|i| !i.failed())?;
        let rec = match &item.data {
            Json::Array(a) => a.first()?,
            Json::Null => return None,
            other => other,
        };
        super::decode(rec, self.0.request_id.as_deref()).ok()
    }
}

/// Whether a request may simply be repeated after an ambiguous failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// GET, DELETE, settings POST (setting a value twice is harmless).
    Idempotent,
    /// A create: repeated only when provably not applied (refused connection, 429).
    Create,
}

/// Endpoints outside the contract that this API has or lacks, learned once per process.
#[derive(Debug, Default)]
pub struct Caps {
    /// `GET /trunks` (with optional `trunk_sid` filter).
    pub trunk_listing: Capability,
    /// Sub-resource `DELETE ...?id=`.
    pub sub_delete: Capability,
    /// `GET /trunks/<sid>/settings`.
    pub settings_get: Capability,
    /// `DELETE /trunks/<sid>/settings?name=`.
    pub settings_delete: Capability,
}

/// Whether an endpoint outside the contract exists, learned once per process
/// (0, the default, until the first answer).
#[derive(Debug, Default)]
pub struct Capability(AtomicU8);

impl Capability {
    const YES: u8 = 1;
    const NO: u8 = 2;
    pub fn unsupported(&self) -> bool {
        self.0.load(Ordering::Relaxed) == Self::NO
    }
    pub fn set(&self, supported: bool) {
        self.0.store(if supported { Self::YES } else { Self::NO }, Ordering::Relaxed);
    }
}

/// One list fetch shared by every reader of it (single flight).
type ListCell = Arc<tokio::sync::OnceCell<Result<Arc<Vec<Json>>, ApiError>>>;

pub struct Client {
    pub caps: Caps,
    /// Lists fetched during this process, keyed by path: a refresh of many
    /// resources on one trunk fetches each collection once. Our own creates
    /// and deletes invalidate the entry.
    lists: Mutex<HashMap<String, ListCell>>,
    http: reqwest::Client,
    cfg: ClientConfig,
    limiter: Option<DefaultDirectRateLimiter>,
    in_flight: Semaphore,
    /// A 429 pauses every request of this process until this instant.
    paused_until: Mutex<Option<Instant>>,
    stop: CancellationToken,
    /// Backoff base; short in unit tests.
    backoff_base: Duration,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("cfg", &self.cfg).finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(cfg: ClientConfig, stop: CancellationToken) -> Result<Arc<Client>, String> {
        let http = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .timeout(cfg.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("could not build the HTTP client: {e}"))?;
        let limiter = NonZeroU32::new(cfg.max_requests_per_minute).map(|rpm| {
            let burst = NonZeroU32::new(BURST.min(rpm.get())).unwrap_or(rpm);
            RateLimiter::direct(Quota::per_minute(rpm).allow_burst(burst))
        });
        Ok(Arc::new(Client {
            caps: Caps::default(),
            lists: Mutex::new(HashMap::new()),
            http,
            cfg,
            limiter,
            in_flight: Semaphore::new(MAX_IN_FLIGHT),
            paused_until: Mutex::new(None),
            stop,
            backoff_base: Duration::from_millis(500),
        }))
    }

    #[doc(hidden)]
    pub fn set_backoff_base(self: &mut Arc<Self>, d: Duration) {
        if let Some(c) = Arc::get_mut(self) {
            c.backoff_base = d;
        }
    }

    pub fn account_sid(&self) -> &str {
        &self.cfg.account_sid
    }

    pub fn stop_token(&self) -> &CancellationToken {
        &self.stop
    }

    /// `/v2/accounts/<sid>` + `path`, resolved against the base URL.
    pub fn url(&self, path_and_query: &str) -> Result<Url, ErrorKind> {
        let full = format!("/v2/accounts/{}{}", self.cfg.account_sid, path_and_query);
        self.cfg.base_url.join(&full).map_err(|e| ErrorKind::NotSent { reason: format!("invalid URL {full:?}: {e}") })
    }

    /// Resolves a pagination link; refuses any origin but the configured one,
    /// since the request would carry the account credentials there.
    pub fn resolve_link(&self, link: &str) -> Result<Url, ErrorKind> {
        let u = self
            .cfg
            .base_url
            .join(link)
            .map_err(|e| ErrorKind::NotSent { reason: format!("invalid pagination link {link:?}: {e}") })?;
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

    pub async fn get(&self, path: &str) -> Result<Envelope, ApiError> {
        let url = self.url(path).map_err(|k| ApiError { op: format!("GET {path}"), attempts: 0, kind: Box::new(k) })?;
        self.send(Method::GET, url, path, None, Retry::Idempotent).await
    }

    /// GET a list, following `next_page_uri` to the last page.
    pub async fn get_all(&self, path: &str) -> Result<Vec<Json>, ApiError> {
        let mut env = self.get(path).await?;
        let mut out: Vec<Json> = env.records().into_iter().cloned().collect();
        let mut pages = 1;
        while let Some(link) = env.next_page_uri.take() {
            pages += 1;
            if pages > 10_000 {
                return Err(ApiError {
                    op: format!("GET {path}"),
                    attempts: 0,
                    kind: Box::new(ErrorKind::NotSent { reason: "more than 10000 pages: pagination loop?".into() }),
                });
            }
            let url = self.resolve_link(&link).map_err(|k| ApiError {
                op: format!("GET {path}"),
                attempts: 0,
                kind: Box::new(k),
            })?;
            let shown = url.path().to_string();
            env = self.send(Method::GET, url, &shown, None, Retry::Idempotent).await?;
            out.extend(env.records().into_iter().cloned());
        }
        Ok(out)
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

    /// Forgets a cached list (after a change to it).
    pub fn invalidate(&self, path: &str) {
        self.lists.lock().unwrap_or_else(|e| e.into_inner()).remove(path);
    }

    /// Forgets every cached list under a path prefix (a deleted trunk).
    pub fn invalidate_prefix(&self, prefix: &str) {
        self.lists.lock().unwrap_or_else(|e| e.into_inner()).retain(|k, _| !k.starts_with(prefix));
    }

    pub async fn post(&self, path: &str, body: Json, retry: Retry) -> Result<Envelope, ApiError> {
        let url =
            self.url(path).map_err(|k| ApiError { op: format!("POST {path}"), attempts: 0, kind: Box::new(k) })?;
        self.send(Method::POST, url, path, Some(body), retry).await
    }

    pub async fn put(&self, path: &str, body: Json) -> Result<Envelope, ApiError> {
        let url = self.url(path).map_err(|k| ApiError { op: format!("PUT {path}"), attempts: 0, kind: Box::new(k) })?;
        self.send(Method::PUT, url, path, Some(body), Retry::Idempotent).await
    }

    pub async fn delete(&self, path: &str) -> Result<Envelope, ApiError> {
        let url =
            self.url(path).map_err(|k| ApiError { op: format!("DELETE {path}"), attempts: 0, kind: Box::new(k) })?;
        self.send(Method::DELETE, url, path, None, Retry::Idempotent).await
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
        loop {
            attempt += 1;
            let res = self.attempt(&method, &url, shown, body.as_ref(), attempt).await;
            let kind = match res {
                Ok(env) => return Ok(env),
                Err(k) => k,
            };
            let retry_after = match &kind {
                ErrorKind::Api { retry_after, .. } => *retry_after,
                _ => None,
            };
            let delay = if kind.status() == Some(429) {
                throttled += 1;
                let since = *throttled_since.get_or_insert_with(Instant::now);
                if self.cfg.max_retries == 0 || since.elapsed() >= THROTTLE_BUDGET {
                    return Err(ApiError { op, attempts: attempt, kind: Box::new(kind) });
                }
                let d = self.backoff(throttled, retry_after);
                // A 429 slows the whole process down, not just this request.
                let until = Instant::now() + d;
                let mut p = self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
                if p.is_none_or(|t| t < until) {
                    *p = Some(until);
                }
                d
            } else {
                failures += 1;
                let may_retry = kind.is_transient() && (retry == Retry::Idempotent || kind.provably_not_applied());
                if !may_retry || failures > self.cfg.max_retries {
                    return Err(ApiError { op, attempts: attempt, kind: Box::new(kind) });
                }
                self.backoff(failures, retry_after)
            };
            tracing::debug!(op = %op, attempt, delay_ms = delay.as_millis() as u64, error = %kind, "retrying vSIP request");
            tokio::select! {
                _ = self.stop.cancelled() => return Err(ApiError { op, attempts: attempt, kind: Box::new(ErrorKind::Cancelled) }),
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    pub fn max_retries(&self) -> u32 {
        self.cfg.max_retries
    }

    /// Sleeps the backoff for `attempt` (1-based); false when StopProvider
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

    async fn wait_turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, ErrorKind> {
        let pause = *self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = pause {
            let now = Instant::now();
            if until > now {
                tokio::select! {
                    _ = self.stop.cancelled() => return Err(ErrorKind::Cancelled),
                    _ = tokio::time::sleep(until - now) => {}
                }
            }
        }
        if let Some(l) = &self.limiter {
            tokio::select! {
                _ = self.stop.cancelled() => return Err(ErrorKind::Cancelled),
                _ = l.until_ready() => {}
            }
        }
        tokio::select! {
            _ = self.stop.cancelled() => Err(ErrorKind::Cancelled),
            p = self.in_flight.acquire() => p.map_err(|_| ErrorKind::Cancelled),
        }
    }

    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        shown: &str,
        body: Option<&Json>,
        attempt: u32,
    ) -> Result<Envelope, ErrorKind> {
        if self.stop.is_cancelled() {
            return Err(ErrorKind::Cancelled);
        }
        let _permit = self.wait_turn().await?;
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
            let resp = rb.send().await.map_err(transport_error)?;
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            let bytes = resp.bytes().await.map_err(transport_error)?;
            Ok::<_, ErrorKind>((status, retry_after, bytes))
        };
        let result = tokio::select! {
            _ = self.stop.cancelled() => Err(ErrorKind::Cancelled),
            r = fut => r,
        };
        let elapsed = started.elapsed().as_millis() as u64;
        let (status, retry_after, bytes) = match result {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!(method = %method, path = shown, attempt, duration_ms = elapsed, error = %e, "vSIP request failed");
                return Err(e);
            }
        };
        let parsed = envelope::parse(status, &bytes);
        let request_id = parsed.as_ref().ok().and_then(|e| e.request_id.clone());
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
                return Err(ErrorKind::Api {
                    http_status: 429,
                    status: 429,
                    code: Some(1030),
                    message: "Rate limit exceeded".into(),
                    description: String::new(),
                    request_id: None,
                    retry_after,
                });
            }
            Err(e) => return Err(e),
        };
        envelope::check(status, &env, retry_after)?;
        Ok(env)
    }
}

fn transport_error(e: reqwest::Error) -> ErrorKind {
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
    if e.is_builder() {
        return ErrorKind::NotSent { reason: message };
    }
    ErrorKind::Transport { message, sent, timeout: e.is_timeout() }
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
}
