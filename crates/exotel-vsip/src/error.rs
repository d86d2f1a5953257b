//! One error type for every vSIP API call, separating what happened:
//! not sent, transport failed, undecodable response, or the API said no.
//! The variants are private; [`ApiError`]'s predicates classify (
//! [`ApiError::is_transient`] is the retry classifier).

use std::fmt;

/// What went wrong with one attempt.
#[derive(Debug, Clone)]
pub(crate) enum ErrorKind {
    /// The request never left this process (bad URL, refused pagination link,
    /// cancelled before sending).
    NotSent {
        /// Why.
        reason: String,
    },
    /// The connection failed. `sent` is false only when the request provably
    /// did not reach the API (connection refused / could not connect).
    Transport {
        /// The transport's own words.
        message: String,
        /// Whether the request may have reached the API.
        sent: bool,
        /// Whether the attempt timed out.
        timeout: bool,
    },
    /// A response came back but it is not the API's JSON envelope.
    Decode {
        /// HTTP status of the response (0 when there was none).
        status: u16,
        /// The envelope's `request_id`, when one could be read.
        request_id: Option<String>,
        /// The start of the body, secrets masked.
        excerpt: String,
        /// What could not be read.
        reason: String,
    },
    /// The API answered with an error envelope (HTTP status or in-envelope code).
    Api {
        /// HTTP status of the response.
        http_status: u16,
        /// `response.code` (e.g. 409 inside an HTTP 200).
        status: u16,
        /// Exotel error code (`error_data.code`), e.g. 1010.
        code: Option<i64>,
        /// `error_data.message`.
        message: String,
        /// `error_data.description`.
        description: String,
        /// The envelope's `request_id`, for Exotel support.
        request_id: Option<String>,
        /// Seconds from a `Retry-After` header, if any.
        retry_after: Option<u64>,
    },
    /// The API answered with a redirect. Never followed (the request would
    /// carry the credentials elsewhere) and never retried: `base_url` is wrong.
    Redirect {
        /// The 3xx status.
        status: u16,
        /// Where it pointed.
        location: Option<String>,
    },
    /// The response body was larger than the client's `MAX_BODY` (16 MiB); reading
    /// stopped there.
    TooLarge {
        /// HTTP status of the response.
        status: u16,
        /// The limit in bytes.
        limit: usize,
    },
    /// Exotel asked (429 + `Retry-After`) to wait longer than what is left of
    /// the per-request rate-limit budget. Nothing was applied.
    Throttled {
        /// The wait Exotel asked for, in seconds.
        wait_s: u64,
        /// What was left of the budget, in seconds.
        budget_left_s: u64,
        /// The envelope's `request_id`, if any.
        request_id: Option<String>,
    },
    /// A paginated listing that cannot end: a `next_page_uri` repeating a page
    /// already fetched, or more pages, records or time than a listing may take.
    Pagination {
        /// Which bound was reached.
        reason: String,
    },
    /// The caller cancelled (the client's stop token) the operation before the
    /// request was sent, or while it was waiting to be retried.
    Cancelled,
}

impl ErrorKind {
    /// Worth retrying (subject to the idempotency rules in the client).
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            ErrorKind::Transport { .. } => true,
            ErrorKind::Decode { status, .. } => *status == 0 || *status >= 500 || *status == 429 || *status < 400,
            ErrorKind::Api { status, http_status, .. } => {
                matches!(*status, 429 | 500 | 502 | 503 | 504) || matches!(*http_status, 429 | 500 | 502 | 503 | 504)
            }
            ErrorKind::NotSent { .. }
            | ErrorKind::Cancelled
            | ErrorKind::Redirect { .. }
            | ErrorKind::TooLarge { .. }
            | ErrorKind::Throttled { .. }
            | ErrorKind::Pagination { .. } => false,
        }
    }

    /// The API's definite "no" to a request: an error envelope with a 4xx
    /// status other than 429 (and other than a conflict, which the caller
    /// reads on its own), or a redirect. Nothing was applied. Every other
    /// failure of a create (timeouts after sending, 5xx, unreadable or
    /// oversized answers) leaves its outcome unknown.
    pub(crate) fn is_definite_refusal(&self) -> bool {
        match self {
            ErrorKind::Api { status, http_status, .. } => {
                let s = if *http_status >= 400 { *http_status } else { *status };
                (400..500).contains(&s) && s != 429
            }
            ErrorKind::Redirect { .. } => true,
            _ => false,
        }
    }

    /// True when the request certainly did not change anything at the API, so
    /// even a create may be sent again blindly.
    pub(crate) fn provably_not_applied(&self) -> bool {
        match self {
            ErrorKind::NotSent { .. } => true,
            ErrorKind::Transport { sent, .. } => !sent,
            ErrorKind::Api { status, http_status, .. } => *status == 429 || *http_status == 429,
            ErrorKind::Throttled { .. } => true,
            _ => false,
        }
    }

    /// The HTTP or envelope status, where there is one.
    pub(crate) fn status(&self) -> Option<u16> {
        match self {
            ErrorKind::Api { status, .. } => Some(*status),
            ErrorKind::Decode { status, .. } => Some(*status),
            ErrorKind::Redirect { status, .. } | ErrorKind::TooLarge { status, .. } => Some(*status),
            ErrorKind::Throttled { .. } => Some(429),
            _ => None,
        }
    }

    /// Exotel's own error code (`error_data.code`).
    pub(crate) fn exotel_code(&self) -> Option<i64> {
        match self {
            ErrorKind::Api { code, .. } => *code,
            _ => None,
        }
    }

    /// The API says the thing does not exist: a 404 carrying one of Exotel's
    /// not-found codes (1003 in the contract, 1000 in the field notes).
    pub(crate) fn is_not_found(&self) -> bool {
        matches!(
            self,
            ErrorKind::Api { status: 404, code: Some(1000 | 1003), .. }
                | ErrorKind::Api { http_status: 404, code: Some(1000 | 1003), .. }
        )
    }

    /// One answer that looks like "this API has no such route": a 405, or a
    /// 404 that is not Exotel's not-found answer (a router's or proxy's page,
    /// an envelope without a not-found code). The only classifier of its kind.
    /// One such answer is never a verdict: the client concludes "route
    /// missing" only when every attempt of a request answered this way
    /// ([`ApiError::route_missing`]).
    pub(crate) fn is_route_missing(&self) -> bool {
        match self {
            ErrorKind::Api { http_status: 405, .. } | ErrorKind::Decode { status: 404 | 405, .. } => true,
            ErrorKind::Api { http_status: 404, .. } => !self.is_not_found(),
            _ => false,
        }
    }

    /// "Already exists": HTTP 409, in-envelope 409, or error 1002/1008.
    pub(crate) fn is_conflict(&self) -> bool {
        matches!(self, ErrorKind::Api { status: 409, .. } | ErrorKind::Api { http_status: 409, .. })
            || matches!(self.exotel_code(), Some(1002 | 1008))
    }

    /// The envelope's `request_id`, where there is one.
    pub(crate) fn request_id(&self) -> Option<&str> {
        match self {
            ErrorKind::Api { request_id, .. }
            | ErrorKind::Decode { request_id, .. }
            | ErrorKind::Throttled { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::NotSent { reason } => write!(f, "request not sent: {reason}"),
            ErrorKind::Transport { message, timeout: true, .. } => write!(f, "request timed out: {message}"),
            ErrorKind::Transport { message, .. } => write!(f, "connection failed: {message}"),
            ErrorKind::Decode { status, request_id, excerpt, reason } => {
                write!(f, "unreadable response (HTTP {status}): {reason}")?;
                if let Some(id) = request_id {
                    write!(f, "; request_id {id}")?;
                }
                if !excerpt.is_empty() {
                    write!(f, "; body starts: {excerpt:?}")?;
                }
                Ok(())
            }
            ErrorKind::Api { http_status, status, code, message, description, request_id, .. } => {
                write!(f, "HTTP {http_status}")?;
                if status != http_status {
                    write!(f, " (response code {status})")?;
                }
                if let Some(c) = code {
                    write!(f, ", Exotel error {c}")?;
                }
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                if !description.is_empty() {
                    write!(f, " ({description})")?;
                }
                if let Some(id) = request_id {
                    write!(f, "; request_id {id}")?;
                }
                Ok(())
            }
            ErrorKind::Redirect { status, location } => {
                write!(f, "HTTP {status} redirect")?;
                match location {
                    Some(l) => write!(f, " to {l}")?,
                    None => write!(f, " without a Location")?,
                }
                write!(
                    f,
                    "; redirects are not followed (they would carry the credentials elsewhere): check base_url / region"
                )
            }
            ErrorKind::TooLarge { status, limit } => write!(
                f,
                "response too large (HTTP {status}): the body exceeds the {} MiB limit on API answers",
                limit / (1024 * 1024)
            ),
            ErrorKind::Throttled { wait_s, budget_left_s, request_id } => {
                write!(
                    f,
                    "HTTP 429, Exotel error 1030: Exotel asks to wait {wait_s} s, more than the {budget_left_s} s left of the 2-minute rate-limit budget per request; nothing was applied, run apply again later or lower max_requests_per_minute"
                )?;
                if let Some(id) = request_id {
                    write!(f, "; request_id {id}")?;
                }
                Ok(())
            }
            ErrorKind::Pagination { reason } => write!(f, "listing stopped: {reason}"),
            ErrorKind::Cancelled => write!(f, "cancelled: the caller asked the client to stop"),
        }
    }
}

/// A failed API operation: what was attempted, how often, and the last failure.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// e.g. `POST /trunks`
    pub(crate) op: String,
    /// How many attempts were made (0: none was sent).
    pub(crate) attempts: u32,
    /// The last failure (boxed: errors travel through many `Result`s).
    pub(crate) kind: Box<ErrorKind>,
    /// Every attempt of the request answered "no such route" (see
    /// [`ErrorKind::is_route_missing`]): the one verdict that this API lacks
    /// the route.
    pub(crate) route_missing: bool,
    /// The underlying transport error of the last attempt, if any.
    pub(crate) source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

impl ApiError {
    /// An error of one operation, with no transport source.
    pub(crate) fn new(op: impl Into<String>, attempts: u32, kind: ErrorKind) -> ApiError {
        let route_missing = attempts > 0 && kind.is_route_missing();
        ApiError { op: op.into(), attempts, kind: Box::new(kind), route_missing, source: None }
    }

    /// The API provably lacks the route (every attempt said so).
    pub fn is_route_missing(&self) -> bool {
        self.route_missing
    }

    /// The API said no: an error envelope with this HTTP status and, when
    /// given, Exotel's error code. For fakes of the API in tests; the
    /// client builds its own errors from the answers it reads.
    pub fn api(op: impl Into<String>, http_status: u16, code: Option<i64>, message: impl Into<String>) -> ApiError {
        ApiError::new(
            op,
            1,
            ErrorKind::Api {
                http_status,
                status: http_status,
                code,
                message: message.into(),
                description: String::new(),
                request_id: None,
                retry_after: None,
            },
        )
    }

    /// The connection failed; `sent` says whether the request may have
    /// reached the API. For fakes of the API in tests.
    pub fn transport(op: impl Into<String>, message: impl Into<String>, sent: bool) -> ApiError {
        ApiError::new(op, 1, ErrorKind::Transport { message: message.into(), sent, timeout: false })
    }

    /// A success answer that did not carry the record it should have (a
    /// create's answer without the created item): its outcome is unknown.
    pub fn missing_record(op: impl Into<String>, what: &str) -> ApiError {
        ApiError::new(
            op,
            1,
            ErrorKind::Decode {
                status: 200,
                request_id: None,
                excerpt: String::new(),
                reason: format!("the answer carried no readable record of {what}"),
            },
        )
    }

    /// What was attempted, for example `POST /trunks/trk1/phone-numbers`.
    pub fn operation(&self) -> &str {
        &self.op
    }

    /// How many attempts were sent (0: none was).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The last failure alone, without the operation (for messages that
    /// name the operation in their own words).
    pub fn last_failure(&self) -> impl fmt::Display + '_ {
        &*self.kind
    }

    /// Worth retrying: a transport failure, a 5xx or 429, an unreadable
    /// answer that is not a client error.
    pub fn is_transient(&self) -> bool {
        self.kind.is_transient()
    }

    /// The API's definite "no": an error envelope with a 4xx status other
    /// than 429, or a redirect. Nothing was applied.
    pub fn is_definite_refusal(&self) -> bool {
        self.kind.is_definite_refusal()
    }

    /// The request certainly changed nothing at the API (not sent, refused
    /// before connecting, or answered 429), so even a create may be sent again.
    pub fn provably_not_applied(&self) -> bool {
        self.kind.provably_not_applied()
    }

    /// The HTTP or envelope status of the last answer, where there is one.
    pub fn status(&self) -> Option<u16> {
        self.kind.status()
    }

    /// Exotel's own error code (`error_data.code`), e.g. 1010.
    pub fn exotel_code(&self) -> Option<i64> {
        self.kind.exotel_code()
    }

    /// The API says the thing does not exist (404 with a not-found code).
    pub fn is_not_found(&self) -> bool {
        self.kind.is_not_found()
    }

    /// "Already exists": HTTP 409, in-envelope 409, or error 1002/1008.
    pub fn is_conflict(&self) -> bool {
        self.kind.is_conflict()
    }

    /// Rate-limited: a 429 answer, or a `Retry-After` longer than the budget.
    pub fn is_throttled(&self) -> bool {
        self.kind.status() == Some(429)
    }

    /// The caller cancelled (the client's stop token) before the request was
    /// sent or while it waited to be retried.
    pub fn is_cancelled(&self) -> bool {
        matches!(*self.kind, ErrorKind::Cancelled)
    }

    /// An answer came back that is not the API's envelope, or not the
    /// record shape expected.
    pub fn is_undecodable(&self) -> bool {
        matches!(*self.kind, ErrorKind::Decode { .. })
    }

    /// A success (2xx) answer this client could not read: the API took the
    /// request and the credentials, whatever the body said.
    pub fn is_unreadable_success(&self) -> bool {
        matches!(*self.kind, ErrorKind::Decode { status: 200..=299, .. })
    }

    /// The envelope's `request_id`, for Exotel support.
    pub fn request_id(&self) -> Option<&str> {
        self.kind.request_id()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed", self.op)?;
        if self.attempts > 1 {
            write!(f, " after {} attempts; last failure", self.attempts)?;
        }
        write!(f, ": {}", self.kind)?;
        if matches!(self.kind.exotel_code(), Some(1010)) || self.kind.status() == Some(401) {
            write!(
                f,
                ". Authorization failed: check api_key / api_token (EXOTEL_API_KEY / EXOTEL_API_TOKEN) and account_sid"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
