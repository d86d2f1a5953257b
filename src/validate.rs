//! Validators for user input. Each returns the rule it enforces in its error,
//! so diagnostics say what to fix.

/// `trunk_name`: 1–16 characters of `[A-Za-z0-9_]`.
pub fn trunk_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 16 {
        return Err(format!(
            "trunk_name must be 1 to 16 characters of letters, digits and underscore; {s:?} has {} characters.",
            s.chars().count()
        ));
    }
    if let Some(c) = s.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        return Err(format!(
            "trunk_name may contain only letters, digits and underscore ([A-Za-z0-9_]); {s:?} contains {c:?}."
        ));
    }
    Ok(())
}

/// A non-empty value without surrounding whitespace.
pub fn non_empty(attr: &str, s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err(format!("{attr} must not be empty."));
    }
    if s.trim() != s {
        return Err(format!("{attr} must not start or end with whitespace: {s:?}."));
    }
    Ok(())
}

/// A DNS name (letters, digits, hyphens, dots; labels of 1–63 characters).
pub fn dns_name(attr: &str, s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 253
        && s.trim_end_matches('.').split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    if ok { Ok(()) } else { Err(format!("{attr} must be a DNS name such as \"example.pstn.exotel.com\"; got {s:?}.")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn trunk_names() {
        assert!(trunk_name("my_trunk_01").is_ok());
        assert!(trunk_name("a").is_ok());
        assert!(trunk_name("abcdefghijklmnop").is_ok());
        assert!(trunk_name("").unwrap_err().contains("1 to 16"));
        assert!(trunk_name("abcdefghijklmnopq").unwrap_err().contains("1 to 16"));
        assert!(trunk_name("my-trunk").unwrap_err().contains("'-'"));
        assert!(trunk_name("émoji").is_err());
    }

    #[test]
    fn dns_names() {
        assert!(dns_name("d", "sid.pstn.exotel.com").is_ok());
        assert!(dns_name("d", "bad_name.com").is_err());
        assert!(dns_name("d", "-x.com").is_err());
        assert!(dns_name("d", "").is_err());
    }

    proptest! {
        #[test]
        fn trunk_name_accepts_exactly_the_rule(s in "\\PC{0,20}") {
            let rule = !s.is_empty() && s.len() <= 16 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            prop_assert_eq!(trunk_name(&s).is_ok(), rule);
        }
    }
}
