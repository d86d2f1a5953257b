//! The vSIP response envelope, parsed tolerantly:
//! `response` as one envelope or an array of per-item envelopes, `data` as an
//! object, array or null, pagination in `metadata`, unknown fields ignored.

use super::error::ErrorKind;
use serde_json::Value as Json;

/// One `{status, code, data | error_data}` envelope. Its `Debug` output
/// redacts secret fields of `data`.
#[derive(Clone, PartialEq)]
pub struct Item {
    /// `success` or `failure`.
    pub status: Option<String>,
    /// The envelope's status code (may differ from the HTTP status).
    pub code: Option<i64>,
    /// The record(s): an object, an array, or null.
    pub data: Json,
    /// `error_data`, on failure.
    pub error: Option<ErrorData>,
}

impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Item")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("data", &redact_json(&self.data))
            .field("error", &self.error)
            .finish()
    }
}

impl Item {
    /// Whether this item reports a failure.
    pub fn failed(&self) -> bool {
        self.error.is_some() || self.status.as_deref() == Some("failure") || self.code.is_some_and(|c| c >= 400)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
/// An envelope's `error_data`.
pub struct ErrorData {
    /// Exotel's error code, e.g. 1000.
    pub code: Option<i64>,
    /// Short message.
    pub message: String,
    /// Longer description.
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
/// A whole answer: one or several items, and pagination.
pub struct Envelope {
    /// Exotel's id for the request (quote it to support).
    pub request_id: Option<String>,
    /// The item envelopes (one unless the answer is per item).
    pub items: Vec<Item>,
    /// The next page of a listing, if any.
    pub next_page_uri: Option<String>,
}

impl Envelope {
    /// All `data` records, flattened across items (array data expands).
    pub fn records(&self) -> Vec<&Json> {
        let mut out = vec![];
        for it in &self.items {
            match &it.data {
                Json::Array(a) => out.extend(a.iter()),
                Json::Null => {}
                other => out.push(other),
            }
        }
        out
    }
}

const EXCERPT_LEN: usize = 120;

/// Field names whose values are never shown: passwords, tokens, secrets.
pub fn is_sensitive_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    ["password", "passwd", "secret", "token", "authorization", "api_key", "apikey", "credential"]
        .iter()
        .any(|s| k.contains(s))
}

/// A JSON value with every sensitive field's value replaced by `"***"`.
pub fn redact_json(j: &Json) -> Json {
    match j {
        Json::Object(o) => Json::Object(
            o.iter()
                .map(|(k, v)| {
                    (k.clone(), if is_sensitive_key(k) { Json::String("***".into()) } else { redact_json(v) })
                })
                .collect(),
        ),
        Json::Array(a) => Json::Array(a.iter().map(redact_json).collect()),
        other => other.clone(),
    }
}

/// Text with the value after every sensitive JSON key masked, whether or not
/// the text is valid JSON (a body cut off mid-way still hides its password).
pub fn redact_text(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && let Some(end) = lower[i + 1..].find('"').map(|e| i + 1 + e)
            && is_sensitive_key(&lower[i + 1..end])
        {
            // A sensitive key: copy it, then mask the value after the colon.
            let mut j = end + 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b':' {
                out.push_str(&text[i..=j]);
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                let mut k = j;
                if k < bytes.len() && bytes[k] == b'"' {
                    k += 1;
                    while k < bytes.len() && bytes[k] != b'"' {
                        k += if bytes[k] == b'\\' { 2 } else { 1 };
                    }
                    k = (k + 1).min(bytes.len());
                } else {
                    while k < bytes.len() && !matches!(bytes[k], b',' | b'}' | b']') {
                        k += 1;
                    }
                }
                out.push_str("\"***\"");
                i = k;
                continue;
            }
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// A short, printable excerpt of a body for diagnostics, with the values of
/// sensitive fields masked.
pub fn excerpt(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LEN * 64)]);
    let s = redact_text(&s);
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).take(EXCERPT_LEN).collect();
    flat.trim().to_string()
}

fn int_of(j: &Json) -> Option<i64> {
    match j {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn str_of(j: Option<&Json>) -> String {
    match j {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn parse_item(j: &Json) -> Option<Item> {
    let o = j.as_object()?;
    let error = o.get("error_data").filter(|e| !e.is_null()).map(|e| ErrorData {
        code: e.get("code").and_then(int_of),
        message: str_of(e.get("message")),
        description: str_of(e.get("description")),
    });
    Some(Item {
        status: o.get("status").and_then(|s| s.as_str()).map(str::to_owned),
        code: o.get("code").and_then(int_of),
        data: o.get("data").cloned().unwrap_or(Json::Null),
        error,
    })
}

/// Parses a body into an envelope; a body that is not the API's envelope is a
/// [`ErrorKind::Decode`].
pub(crate) fn parse(status: u16, body: &[u8]) -> Result<Envelope, ErrorKind> {
    let decode = |reason: String, request_id: Option<String>| ErrorKind::Decode {
        status,
        request_id,
        excerpt: excerpt(body),
        reason,
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(decode("empty body".into(), None));
    }
    let j: Json = serde_json::from_slice(body).map_err(|e| decode(format!("not JSON ({e})"), None))?;
    let Some(top) = j.as_object() else {
        return Err(decode("JSON is not an object".into(), None));
    };
    let request_id = top.get("request_id").filter(|v| !v.is_null()).map(|v| str_of(Some(v)));
    let items = match top.get("response") {
        Some(Json::Array(a)) => a
            .iter()
            .map(parse_item)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| decode("response array holds a non-object".into(), request_id.clone()))?,
        Some(obj @ Json::Object(_)) => vec![parse_item(obj).expect("object")],
        _ => return Err(decode("no \"response\" in envelope".into(), request_id)),
    };
    let meta = top.get("metadata").or_else(|| top.get("response").and_then(|r| r.get("metadata")));
    let next_page_uri =
        meta.and_then(|m| m.get("next_page_uri")).and_then(|v| v.as_str()).filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(Envelope { request_id, items, next_page_uri })
}

/// Turns an envelope into an error when the HTTP status or any item says it
/// failed. `http_status` 2xx with `response.code` 409 is a conflict.
pub(crate) fn check(http_status: u16, env: &Envelope, retry_after: Option<u64>) -> Result<(), ErrorKind> {
    let failed = env.items.iter().find(|i| i.failed());
    if http_status < 400 && failed.is_none() {
        return Ok(());
    }
    let item = failed.or(env.items.first());
    let err = item.and_then(|i| i.error.clone()).unwrap_or_default();
    let status = item
        .and_then(|i| i.code)
        .filter(|c| (100..600).contains(c))
        .map(|c| c as u16)
        .filter(|c| *c >= 400)
        .unwrap_or(if http_status >= 400 { http_status } else { 500 });
    Err(ErrorKind::Api {
        http_status,
        status,
        code: err.code,
        message: err.message,
        description: err.description,
        request_id: env.request_id.clone(),
        retry_after,
    })
}
