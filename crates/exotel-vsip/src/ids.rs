//! Ids that become URL path segments: the checks that keep an id from
//! steering a request to another route, and the one way a segment is
//! encoded.

/// An id or SID that becomes one URL path segment (`trunk_sid`, import ids,
/// ids from API answers): not empty, not `.` or `..` in any spelling
/// (URL parsers read `%2e%2e` as `..`), and no `/` or `\\` even
/// percent-encoded, so it can never steer a request to another route. Other
/// characters are allowed and percent-encoded ([`encode_segment`]).
pub fn path_id(attr: &str, s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err(format!("{attr} must not be empty."));
    }
    // Decode repeatedly: "%252e" is "%2e" after one decoding and "." after two.
    let mut cur = s.to_string();
    for _ in 0..4 {
        let t = cur.trim();
        if t == "." || t == ".." {
            return Err(format!("{attr} must be an id, not the path segment {s:?}."));
        }
        if cur.contains(['/', '\\']) {
            return Err(format!("{attr} must not contain \"/\" or \"\\\"; got {s:?}."));
        }
        if cur.chars().any(char::is_control) {
            return Err(format!("{attr} must not contain control characters; got {s:?}."));
        }
        let next = percent_encoding::percent_decode_str(&cur).decode_utf8_lossy().into_owned();
        if next == cur {
            break;
        }
        cur = next;
    }
    Ok(())
}

/// Percent-encodes one path segment: everything but RFC 3986's unreserved
/// characters, so a space is `%20` (never `+`) and `%`, `/`, `?`, `#` cannot
/// act as syntax.
pub fn encode_segment(s: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// A trunk SID returned by the API: a plain path segment ([`path_id`]), or
/// it is never used in a path.
pub fn api_trunk_sid(s: &str) -> Result<(), String> {
    path_id("trunk_sid", s).map_err(|e| format!("Exotel returned a trunk SID that is not a plain identifier: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded_whole() {
        assert_eq!(encode_segment("a b+c%/?#"), "a%20b%2Bc%25%2F%3F%23");
        assert!(api_trunk_sid("trk41501cabf").is_ok());
        assert!(api_trunk_sid("..").unwrap_err().contains("not a plain identifier"));
    }
}
