//! One error type for every vSIP API call, separating what happened:
//! not sent, transport failed, undecodable response, or the API said no.
//! [`ErrorKind::is_transient`] is the retry classifier.

use std::fmt;

/// What went wrong with one attempt.
#[derive(Debug, Clone)]
pub enum ErrorKind {
    /// The request never left this process (bad URL, refused pagination link,
    /// cancelled before sending).
    NotSent { reason: String },
    /// The connection failed. `sent` is false only when the request provably
    /// did not reach the API (connection refused / could not connect).
    Transport { message: String, sent: bool, timeout: bool },
    /// A response came back but it is not the API's JSON envelope.
    Decode { status: u16, request_id: Option<String>, excerpt: String, reason: String },
    /// The API answered with an error envelope (HTTP status or in-envelope code).
    Api {
        /// HTTP status of the response.
        http_status: u16,
        /// `response.code` (e.g. 409 inside an HTTP 200).
        status: u16,
        /// Exotel error code (`error_data.code`), e.g. 1010.
        code: Option<i64>,
        message: String,
        description: String,
        request_id: Option<String>,
        /// Seconds from a `Retry-After` header, if any.
        retry_after: Option<u64>,
    },
    /// StopProvider (Ctrl-C in Terraform) cancelled the operation.
    Cancelled,
}

impl ErrorKind {
    /// Worth retrying (subject to the idempotency rules in the client).
    pub fn is_transient(&self) -> bool {
        match self {
            ErrorKind::Transport { .. } => true,
            ErrorKind::Decode { status, .. } => *status == 0 || *status >= 500 || *status == 429 || *status < 400,
            ErrorKind::Api { status, http_status, .. } => {
                matches!(*status, 429 | 500 | 502 | 503 | 504) || matches!(*http_status, 429 | 500 | 502 | 503 | 504)
            }
            ErrorKind::NotSent { .. } | ErrorKind::Cancelled => false,
        }
    }

    /// True when the request certainly did not change anything at the API, so
    /// even a create may be sent again blindly.
    pub fn provably_not_applied(&self) -> bool {
        match self {
            ErrorKind::NotSent { .. } => true,
            ErrorKind::Transport { sent, .. } => !sent,
            ErrorKind::Api { status, http_status, .. } => *status == 429 || *http_status == 429,
            _ => false,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ErrorKind::Api { status, .. } => Some(*status),
            ErrorKind::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn exotel_code(&self) -> Option<i64> {
        match self {
            ErrorKind::Api { code, .. } => *code,
            _ => None,
        }
    }

    /// The API says the thing does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ErrorKind::Api { status: 404, .. } | ErrorKind::Api { http_status: 404, .. })
    }

    /// The API does not have this route (404/405): meaningful only for
    /// endpoints outside the contract.
    pub fn is_route_missing(&self) -> bool {
        matches!(self, ErrorKind::Api { http_status: 404 | 405, .. } | ErrorKind::Decode { status: 404 | 405, .. })
    }

    /// "Already exists": HTTP 409, in-envelope 409, or error 1002/1008.
    pub fn is_conflict(&self) -> bool {
        matches!(self, ErrorKind::Api { status: 409, .. } | ErrorKind::Api { http_status: 409, .. })
            || matches!(self.exotel_code(), Some(1002 | 1008))
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ErrorKind::Api { request_id, .. } | ErrorKind::Decode { request_id, .. } => request_id.as_deref(),
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
            ErrorKind::Cancelled => write!(f, "cancelled because Terraform asked the provider to stop"),
        }
    }
}

/// A failed API operation: what was attempted, how often, and the last failure.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// e.g. `POST /trunks`
    pub op: String,
    pub attempts: u32,
    /// The last failure (boxed: errors travel through many `Result`s).
    pub kind: Box<ErrorKind>,
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

impl std::error::Error for ApiError {}
