//! `exotel-vsip-sim`: an in-memory Exotel vSIP API for tests, demos and
//! benchmarks. Loopback only.
//!
//! Modes (`--mode`):
//! * `full` (default): the contract plus the later endpoints of the field
//!   notes (sub-resource `DELETE ?id=`, settings GET/DELETE, `GET /trunks`,
//!   `PUT` for phone-number mode and destination priority/weight);
//! * `contract`: exactly the endpoints of the contract; anything else is a
//!   plain-text 404, as from a router that lacks the route;
//! * `field-notes`: `full` plus the live API's quirks: integer ids, lists in
//!   pages of 2 as arrays of per-item envelopes, duplicates as HTTP 200 with
//!   `response.code` 409 / error 1008, not-found as error 1000.
//!
//! Faults (counted over API requests): `--latency-ms`, `--fail-429-every N`,
//! `--fail-5xx-every N`, `--html-502-every N`, `--drop-after-commit-every N`
//! (every Nth create is stored and then its connection is cut). Run-time
//! faults (`POST /_sim/faults` only): `html_404_deletes` / `not_found_deletes`
//! (the next N DELETEs answer a proxy's HTML 404 / Exotel's not-found without
//! deleting), `fail_next_posts` (the next N POSTs answer 500 before storing),
//! `loop_next_page` (every list's `next_page_uri` is the page itself),
//! `huge_body_mib` (GET answers padded to that size), `numeric_username` and
//! `bad_credentials` (the credentials answer's username as a number / an
//! object).
//!
//! `--rate-limit N` enforces N requests per sliding 60 s as Exotel does
//! (429, error 1030, no `Retry-After`), counting refusals in its stats.
//!
//! `--seed FILE` starts from the contents of a `GET /_sim/state` dump.
//!
//! `--digest-credentials` serves the digest-credentials API on
//! `/trunks/<sid>/credentials` (POST, paginated GET, PUT `/<id>`, DELETE
//! `?id=`) instead of the contract's `{username, password}` answer: passwords
//! are stored and never echoed, a duplicate username on a trunk is a 409.
//!
//! Test hooks under `/_sim/` (not counted, no auth): `GET /_sim/state`,
//! `GET /_sim/stats`, `POST /_sim/faults` (JSON with the fault fields),
//! `POST /_sim/reset-stats`, `POST /_sim/check-password` (`{trunk_sid, id,
//! password}` → `{matches}`: which password a digest credential holds).
//!
//! Its types are its own: it shares nothing with the provider's client.
//!
//! As a library, [`serve`] runs it on a listener the caller bound, until a
//! shutdown future the caller passes resolves (the client crate's doctests
//! start it in-process on a free port); the binary (`main.rs`) only parses
//! flags and prints the exports.

mod store;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
pub use store::Mode;
use store::{Outcome, Store};

/// Faults to inject, at start (flags) or at run time (`POST /_sim/faults`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    pub latency_ms: u64,
    pub fail_429_every: u64,
    pub fail_5xx_every: u64,
    pub html_502_every: u64,
    pub drop_after_commit_every: u64,
    /// The next N DELETEs answer a proxy's HTML 404 page and change nothing.
    pub html_404_deletes: u64,
    /// The next N DELETEs answer Exotel's "not found" (404) and change nothing.
    pub not_found_deletes: u64,
    /// The next N POSTs answer HTTP 500 before anything is stored.
    pub fail_next_posts: u64,
    /// Every list answer's `next_page_uri` points back at the same page.
    pub loop_next_page: bool,
    /// GET answers are a body of this many MiB (a valid envelope, padded).
    pub huge_body_mib: u64,
    /// Credentials answers carry the username as a JSON number.
    pub numeric_username: bool,
    /// Credentials answers carry an object as the username (an unreadable shape).
    pub bad_credentials: bool,
}

struct App {
    account_sid: String,
    api_key: String,
    api_token: String,
    store: Mutex<Store>,
    faults: Mutex<Faults>,
    requests: AtomicU64,
    creates: AtomicU64,
    by_route: Mutex<std::collections::BTreeMap<String, u64>>,
    /// Every distinct User-Agent seen on API requests.
    user_agents: Mutex<std::collections::BTreeSet<String>>,
    /// `--rate-limit N`: at most N requests accepted in any 60 s (0: off).
    rate_limit: u64,
    /// When each API request arrived (since the last stats reset).
    arrivals: Mutex<Vec<std::time::Instant>>,
    /// Requests the rate limit accepted in the last 60 s, oldest first.
    accepted: Mutex<std::collections::VecDeque<std::time::Instant>>,
    /// Requests the rate limit refused (429).
    rate_limited: AtomicU64,
}

/// The window `--rate-limit` counts.
const RATE_WINDOW: Duration = Duration::from_secs(60);

impl App {
    /// Records an arrival; false when `--rate-limit` refuses it.
    fn admit(&self) -> bool {
        let now = std::time::Instant::now();
        self.arrivals.lock().unwrap().push(now);
        if self.rate_limit == 0 {
            return true;
        }
        let mut q = self.accepted.lock().unwrap();
        while q.front().is_some_and(|t| now.duration_since(*t) >= RATE_WINDOW) {
            q.pop_front();
        }
        if q.len() as u64 >= self.rate_limit {
            self.rate_limited.fetch_add(1, Ordering::SeqCst);
            return false;
        }
        q.push_back(now);
        true
    }

    /// The most API requests that arrived inside any 60 s window.
    fn max_per_minute(&self) -> usize {
        let a = self.arrivals.lock().unwrap();
        let mut best = 0;
        let mut lo = 0;
        for hi in 0..a.len() {
            while a[hi].duration_since(a[lo]) >= RATE_WINDOW {
                lo += 1;
            }
            best = best.max(hi - lo + 1);
        }
        best
    }
}

/// What one simulated API serves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The only account it serves.
    pub account_sid: String,
    /// The Basic auth user it accepts.
    pub api_key: String,
    /// The Basic auth password it accepts.
    pub api_token: String,
    /// Which API it imitates.
    pub mode: Mode,
    /// Faults from the start.
    pub faults: Faults,
    /// Serve the digest-credentials collection (`--digest-credentials`).
    pub digest: bool,
    /// A `GET /_sim/state` dump to start from.
    pub seed: Option<Value>,
    /// Requests per sliding 60 s before it answers 429 (0: no limit).
    pub rate_limit: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            account_sid: "acme1".into(),
            api_key: "sim-key".into(),
            api_token: "sim-token".into(),
            mode: Mode::Full,
            faults: Faults::default(),
            digest: false,
            seed: None,
            rate_limit: 0,
        }
    }
}

/// Serves the simulated API on `listener` until `shutdown` resolves. Errs
/// only when the seed cannot be loaded.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let mut store = Store::new(config.mode, config.account_sid.clone(), config.digest);
    if let Some(dump) = &config.seed {
        store.load(dump)?;
    }
    let app = Arc::new(App {
        account_sid: config.account_sid,
        api_key: config.api_key,
        api_token: config.api_token,
        store: Mutex::new(store),
        faults: Mutex::new(config.faults),
        requests: AtomicU64::new(0),
        creates: AtomicU64::new(0),
        by_route: Mutex::new(Default::default()),
        user_agents: Mutex::new(Default::default()),
        rate_limit: config.rate_limit,
        arrivals: Mutex::new(Vec::new()),
        accepted: Mutex::new(Default::default()),
        rate_limited: AtomicU64::new(0),
    });
    let router = axum::Router::new().fallback(move |m, u, h, b| handle(app.clone(), m, u, h, b));
    let _ = axum::serve(listener, router).with_graceful_shutdown(shutdown).await;
    Ok(())
}

/// True on every `k`th request (never when `k` is 0).
fn every(n: u64, k: u64) -> bool {
    k > 0 && n.is_multiple_of(k)
}

fn envelope(method: &Method, http: u16, response: Value) -> Value {
    json!({
        "request_id": format!("{:016x}", fastrand::u64(..)),
        "method": method.as_str(),
        "http_code": http,
        "response": response,
    })
}

fn error_response(method: &Method, http: u16, code: u16, message: &str, description: &str) -> Response {
    let body = envelope(
        method,
        http,
        json!({"status": "failure", "code": http, "error_data": {"code": code, "message": message, "description": description}}),
    );
    (StatusCode::from_u16(http).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), axum::Json(body)).into_response()
}

fn authorized(app: &App, headers: &HeaderMap) -> bool {
    use base64::Engine;
    let Some(h) = headers.get("authorization").and_then(|v| v.to_str().ok()) else { return false };
    let Some(b64) = h.strip_prefix("Basic ") else { return false };
    let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) else { return false };
    let expected = format!("{}:{}", app.api_key, app.api_token);
    raw == expected.as_bytes()
}

async fn handle(app: Arc<App>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path().to_string();
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).into_owned().collect();
    if let Some(hook) = path.strip_prefix("/_sim/") {
        return sim_hook(&app, &method, hook, &body);
    }
    let n = app.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let admitted = app.admit();
    let (faults, html_404_delete, not_found_delete, fail_post) = {
        let mut f = app.faults.lock().unwrap();
        let take = |c: &mut u64| {
            if *c > 0 {
                *c -= 1;
                true
            } else {
                false
            }
        };
        let is_delete = method == Method::DELETE;
        let is_post = method == Method::POST;
        let h = is_delete && take(&mut f.html_404_deletes);
        let nf = is_delete && !h && take(&mut f.not_found_deletes);
        let fp = is_post && take(&mut f.fail_next_posts);
        (f.clone(), h, nf, fp)
    };
    {
        let key = format!("{} {}", method, route_class(&path));
        *app.by_route.lock().unwrap().entry(key).or_default() += 1;
        if let Some(ua) = headers.get("user-agent").and_then(|v| v.to_str().ok()) {
            app.user_agents.lock().unwrap().insert(ua.to_string());
        }
    }
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if !admitted {
        return error_response(&method, 429, 1030, "Rate limit exceeded", "Too many requests in this minute");
    }
    if every(n, faults.fail_429_every) {
        return error_response(&method, 429, 1030, "Rate limit exceeded", "Too many requests");
    }
    if every(n, faults.fail_5xx_every) {
        return error_response(&method, 500, 500, "Internal Server Error", "simulated failure");
    }
    if every(n, faults.html_502_every) {
        return (
            StatusCode::BAD_GATEWAY,
            [("content-type", "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        )
            .into_response();
    }
    if html_404_delete {
        return (
            StatusCode::NOT_FOUND,
            [("content-type", "text/html")],
            "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><hr>nginx</body></html>",
        )
            .into_response();
    }
    if not_found_delete {
        return error_response(&method, 404, 1003, "Resource not found", "simulated: the item does not exist");
    }
    if fail_post {
        return error_response(&method, 500, 500, "Internal Server Error", "simulated failure before applying");
    }
    let Some(rest) = path.strip_prefix("/v2/accounts/") else {
        return (StatusCode::NOT_FOUND, "404 page not found").into_response();
    };
    let (sid, rest) = rest.split_once('/').unwrap_or((rest, ""));
    if !authorized(&app, &headers) {
        return error_response(&method, 401, 1010, "Authorization failed", "Invalid API key or token");
    }
    if sid != app.account_sid {
        return error_response(&method, 403, 1011, "Access denied", "No permission for this account");
    }
    let json_body: Option<Value> = if body.is_empty() {
        None
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => Some(v),
            Err(_) => return error_response(&method, 400, 1007, "Invalid JSON", "The request body is not valid JSON"),
        }
    };
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let outcome = app.store.lock().unwrap().route(&method, &segs, &query, json_body.as_ref());
    match outcome {
        Outcome::NoRoute => (StatusCode::NOT_FOUND, "404 page not found").into_response(),
        Outcome::Error { http, code, message, description } => {
            error_response(&method, http, code, &message, &description)
        }
        Outcome::InEnvelopeError { code, message, description } => {
            let body = envelope(
                &method,
                200,
                json!({"status": "failure", "code": 409, "error_data": {"code": code, "message": message, "description": description}}),
            );
            (StatusCode::OK, axum::Json(body)).into_response()
        }
        Outcome::Ok { http, mut response, metadata, created } => {
            if path.ends_with("/credentials")
                && (faults.numeric_username || faults.bad_credentials)
                && response["data"].is_object()
            {
                let digits: String = sid_digits(&response["data"]["username"]);
                response["data"]["username"] = if faults.bad_credentials {
                    json!({"sip_user": digits})
                } else {
                    json!(digits.parse::<u64>().unwrap_or(1))
                };
            }
            let mut body = envelope(&method, http, response);
            if let Some(mut m) = metadata {
                if faults.loop_next_page {
                    m["next_page_uri"] = json!(uri.to_string());
                }
                body["metadata"] = m;
            } else if faults.loop_next_page && method == Method::GET {
                body["metadata"] = json!({"page_size": 50, "next_page_uri": uri.to_string()});
            }
            if faults.huge_body_mib > 0 && method == Method::GET {
                let text = body.to_string();
                let pad = (faults.huge_body_mib as usize) << 20;
                let chunk = Bytes::from(vec![b' '; 1 << 20]);
                let chunks = pad >> 20;
                let stream = futures::stream::iter(
                    std::iter::once(Ok::<Bytes, std::io::Error>(Bytes::from(text)))
                        .chain((0..chunks).map(move |_| Ok(chunk.clone()))),
                );
                return Response::builder()
                    .status(StatusCode::OK)
                    .header("content-type", "application/json")
                    .body(Body::from_stream(stream))
                    .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
            if created {
                let c = app.creates.fetch_add(1, Ordering::SeqCst) + 1;
                if every(c, faults.drop_after_commit_every) {
                    // Stored; now cut the connection mid-body.
                    let text = body.to_string();
                    let half = Bytes::copy_from_slice(&text.as_bytes()[..text.len() / 2]);
                    let stream = futures::stream::iter(vec![
                        Ok::<Bytes, std::io::Error>(half),
                        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "simulated drop")),
                    ]);
                    return Response::builder()
                        .status(StatusCode::from_u16(http).unwrap_or(StatusCode::OK))
                        .header("content-type", "application/json")
                        .header("content-length", text.len().to_string())
                        .body(Body::from_stream(stream))
                        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
                }
            }
            (StatusCode::from_u16(http).unwrap_or(StatusCode::OK), axum::Json(body)).into_response()
        }
    }
}

/// The digits of a trunk SID, for a numeric username.
fn sid_digits(v: &Value) -> String {
    let d: String = v.as_str().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    if d.is_empty() { "1".into() } else { d }
}

/// `/v2/accounts/x/trunks/T/phone-numbers` → `trunks/*/phone-numbers`.
fn route_class(path: &str) -> String {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.len() < 3 || segs[0] != "v2" {
        return path.to_string();
    }
    let rest = &segs[3..];
    rest.iter().enumerate().map(|(i, s)| if i % 2 == 1 { "*" } else { s }).collect::<Vec<_>>().join("/")
}

fn sim_hook(app: &App, method: &Method, hook: &str, body: &Bytes) -> Response {
    match (method.as_str(), hook) {
        ("GET", "state") => axum::Json(app.store.lock().unwrap().dump()).into_response(),
        ("GET", "stats") => axum::Json(json!({
            "requests": app.requests.load(Ordering::SeqCst),
            "by_route": *app.by_route.lock().unwrap(),
            "user_agents": *app.user_agents.lock().unwrap(),
            "rate_limited": app.rate_limited.load(Ordering::SeqCst),
            "max_per_minute": app.max_per_minute(),
        }))
        .into_response(),
        ("POST", "reset-stats") => {
            app.requests.store(0, Ordering::SeqCst);
            app.by_route.lock().unwrap().clear();
            app.user_agents.lock().unwrap().clear();
            app.arrivals.lock().unwrap().clear();
            app.rate_limited.store(0, Ordering::SeqCst);
            StatusCode::NO_CONTENT.into_response()
        }
        // Which password a digest credential holds, without echoing it:
        // {"trunk_sid", "id", "password"} -> {"matches": bool}.
        ("POST", "check-password") => {
            let Ok(q) = serde_json::from_slice::<Value>(body) else {
                return (StatusCode::BAD_REQUEST, "expected a JSON object").into_response();
            };
            let (sid, id, pw) = (q["trunk_sid"].as_str(), q["id"].as_str(), q["password"].as_str());
            let (Some(sid), Some(id), Some(pw)) = (sid, id, pw) else {
                return (StatusCode::BAD_REQUEST, "needs trunk_sid, id and password (strings)").into_response();
            };
            match app.store.lock().unwrap().credential_password_is(sid, id, pw) {
                Some(matches) => axum::Json(json!({ "matches": matches })).into_response(),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
        ("POST", "faults") => match serde_json::from_slice::<Faults>(body) {
            Ok(f) => {
                *app.faults.lock().unwrap() = f;
                StatusCode::NO_CONTENT.into_response()
            }
            Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        },
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
