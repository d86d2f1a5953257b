//! A string that never shows itself in `Debug` or `Display` output.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Default)]
/// A secret string (API token, SIP password): `Debug` and `Display` print `[redacted]`.
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The secret itself. Call sites are few and reviewed: the HTTP auth
    /// header, and a value its caller must keep secret (a sensitive output).
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Whether it is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Serialized as itself: request bodies (a SIP password the API is to
/// store). Debug, Display and every error text stay masked.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// Masks the account credentials by value in any text an answer may echo
/// (an HTML error page quoting the request headers, an envelope quoting the
/// key and token, a URL-encoded form): the token, `key:token`, its HTTP
/// Basic base64, and each of those JSON-escaped and percent-encoded. Applied
/// to a whole answer before any excerpt of it is cut, so that no prefix of a
/// secret survives truncation either.
#[derive(Clone, Default)]
pub(crate) struct Masker {
    /// Longest first, so that `key:token` is replaced whole before `token`.
    needles: Vec<String>,
}

impl fmt::Debug for Masker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Masker({} forms)", self.needles.len())
    }
}

impl Masker {
    /// The forms of `token` and `key:token` to mask (an empty token masks nothing).
    pub(crate) fn new(key: &str, token: &Secret) -> Masker {
        use base64::Engine;
        let token = token.expose();
        if token.is_empty() {
            return Masker::default();
        }
        let pair = format!("{key}:{token}");
        let b64 = base64::engine::general_purpose::STANDARD.encode(pair.as_bytes());
        let b64url = base64::engine::general_purpose::URL_SAFE.encode(pair.as_bytes());
        let mut m = Masker::default();
        for plain in [token, pair.as_str(), b64.as_str(), b64url.as_str()] {
            m.add(plain);
        }
        m
    }

    /// Masks `plain` too, in each form an answer may echo it (as sent, JSON-
    /// escaped, percent- and form-encoded): a secret sent in a request body
    /// (a SIP password), which an error answer may quote back.
    pub(crate) fn add(&mut self, plain: &str) {
        if plain.is_empty() || self.needles.iter().any(|n| n == plain) {
            return;
        }
        let json = serde_json::to_string(plain).unwrap_or_default();
        let json = json.trim_matches('"').to_string();
        let pct = percent_encoding::utf8_percent_encode(plain, percent_encoding::NON_ALPHANUMERIC).to_string();
        let form: String = url::form_urlencoded::byte_serialize(plain.as_bytes()).collect();
        self.needles.extend([plain.to_string(), json, pct.clone(), pct.to_lowercase(), form]);
        self.needles.retain(|n| !n.is_empty());
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        self.needles.dedup();
    }

    /// `text` with every form of the credentials replaced by `***`.
    pub(crate) fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for n in &self.needles {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), "***");
            }
        }
        out
    }

    /// `text` masked in place.
    pub(crate) fn mask_in(&self, text: &mut String) {
        if self.needles.iter().any(|n| text.contains(n.as_str())) {
            *text = self.mask(text);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_form_of_the_credentials_is_masked() {
        use base64::Engine;
        let token = super::Secret::new("t0k\"en/+&=é");
        let m = super::Masker::new("key1", &token);
        let pair = "key1:t0k\"en/+&=é";
        let b64 = base64::engine::general_purpose::STANDARD.encode(pair);
        let forms = [
            token.expose().to_string(),
            pair.to_string(),
            format!("Authorization: Basic {b64}"),
            serde_json::to_string(pair).unwrap(),
            percent_encoding::utf8_percent_encode(pair, percent_encoding::NON_ALPHANUMERIC).to_string(),
            url::form_urlencoded::byte_serialize(pair.as_bytes()).collect(),
        ];
        for f in &forms {
            let masked = m.mask(&format!("<pre>{f}</pre>"));
            assert!(!masked.contains("t0k") && !masked.contains(&b64), "{f} -> {masked}");
            assert!(masked.contains("***"), "{masked}");
        }
        assert_eq!(m.mask("nothing secret"), "nothing secret");
        assert_eq!(super::Masker::new("k", &super::Secret::new("")).mask("k:"), "k:");
    }

    #[test]
    fn never_prints_itself() {
        let s = super::Secret::new("hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }
}
