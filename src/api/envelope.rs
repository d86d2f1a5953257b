//! The vSIP response envelope, parsed tolerantly:
//! `response` as one envelope or an array of per-item envelopes, `data` as an
//! object, array or null, pagination in `metadata`, unknown fields ignored.

use super::error::ErrorKind;
use serde_json::Value as Json;

/// One `{status, code, data | error_data}` envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub status: Option<String>,
    pub code: Option<i64>,
    pub data: Json,
    pub error: Option<ErrorData>,
}

impl Item {
    pub fn failed(&self) -> bool {
        self.error.is_some() || self.status.as_deref() == Some("failure") || self.code.is_some_and(|c| c >= 400)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorData {
    pub code: Option<i64>,
    pub message: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub request_id: Option<String>,
    pub items: Vec<Item>,
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

/// A short, printable excerpt of a body for diagnostics.
pub fn excerpt(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LEN * 4)]);
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
pub fn parse(status: u16, body: &[u8]) -> Result<Envelope, ErrorKind> {
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
pub fn check(http_status: u16, env: &Envelope, retry_after: Option<u64>) -> Result<(), ErrorKind> {
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
