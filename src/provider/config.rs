//! The provider block: schema, validation, and resolution (config wins over
//! environment) into an API `ClientConfig`.

use crate::api::{ClientConfig, Secret};
use crate::tf::diag::{Diagnostic, Diagnostics};
use crate::tf::model::Attr;
use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use std::time::Duration;
use url::{Host, Url};

crate::tf::model::tf_model! {
    /// The `provider "exotel"` block.
    pub struct ProviderModel {
        api_key: String,
        api_token: Secret,
        account_sid: String,
        region: String,
        base_url: String,
        max_retries: i64,
        max_requests_per_minute: i64,
        request_timeout: String,
    }
}

pub(crate) const DEFAULT_MAX_RETRIES: i64 = 4;
pub(crate) const DEFAULT_RPM: i64 = 200;
pub(crate) const DEFAULT_TIMEOUT: &str = "30s";

pub(crate) const REGIONS: &[(&str, &str)] =
    &[("singapore", "https://api.exotel.com"), ("mumbai", "https://api.in.exotel.com")];

/// The provider block's schema.
pub fn schema() -> Schema {
    use Mode::Optional;
    Schema {
        version: 0,
        description: "Configures access to the Exotel vSIP API. Every argument can also come from an environment variable; a value in the configuration wins.",
        attributes: vec![
            Attribute::new("api_key", Type::String, Optional, "Exotel API key (username for HTTP Basic auth). Environment: `EXOTEL_API_KEY`."),
            Attribute::new("api_token", Type::String, Optional, "Exotel API token (password for HTTP Basic auth). Environment: `EXOTEL_API_TOKEN`.").sensitive(),
            Attribute::new("account_sid", Type::String, Optional, "Exotel account SID. Environment: `EXOTEL_ACCOUNT_SID`."),
            Attribute::new("region", Type::String, Optional, "Account region: `singapore` (`https://api.exotel.com`) or `mumbai` (`https://api.in.exotel.com`). Environment: `EXOTEL_REGION`.").default_str("singapore"),
            Attribute::new("base_url", Type::String, Optional, "API base URL (`scheme://host[:port]`); overrides `region`. Must be `https://` unless the host is loopback. Environment: `EXOTEL_BASE_URL`."),
            Attribute::new("max_retries", Type::Number, Optional, "How many times a transient failure (5xx, connection error, timeout, unreadable answer) is retried. Rate-limit answers (429) are waited out for up to 2 minutes per request without using this up; `0` turns every retry off.").default_int(4),
            Attribute::new("max_requests_per_minute", Type::Number, Optional, "Client-side request rate limit shared by all operations of one run (Exotel allows 200 per minute per account); `0` turns it off.").default_int(200),
            Attribute::new("request_timeout", Type::String, Optional, "Timeout of each HTTP attempt, as a duration such as `30s`, `1m30s` or `500ms`.").default_str("30s"),
        ],
        blocks: vec![],
    }
}

/// Parses a Go-style duration (`30s`, `1m30s`, `500ms`, `1h`).
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s.trim())
        .map_err(|e| format!("{s:?} is not a duration ({e}); use a form like \"30s\", \"1m30s\" or \"500ms\""))
}

fn is_loopback(u: &Url) -> bool {
    match u.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Checks a base URL: parseable, http(s), https unless loopback.
pub(crate) fn check_base_url(s: &str) -> Result<Url, String> {
    let u = Url::parse(s).map_err(|e| format!("{s:?} is not a URL: {e}"))?;
    match u.scheme() {
        "https" => {}
        "http" if is_loopback(&u) => {}
        "http" => {
            return Err(format!(
                "{s:?} uses http:// to a non-loopback host; the API credentials would travel in clear text. Use https://"
            ));
        }
        other => return Err(format!("{s:?} has scheme {other:?}; use https://")),
    }
    if u.host().is_none() {
        return Err(format!("{s:?} has no host"));
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err("base_url must not contain credentials; use api_key and api_token".to_string());
    }
    if u.path() != "/" || u.query().is_some() || u.fragment().is_some() {
        return Err(format!(
            "{s:?} has a path, query or fragment; base_url is scheme://host[:port] only (the provider adds /v2/accounts/<account_sid>/...), e.g. \"https://api.in.exotel.com\""
        ));
    }
    Ok(u)
}

/// Validation of the values that are known (validate time and configure time).
pub(crate) fn validate(m: &ProviderModel, diags: &mut Diagnostics) {
    if let Some(r) = m.region.as_deref()
        && !REGIONS.iter().any(|(n, _)| *n == r)
    {
        diags.push(
            Diagnostic::error("Invalid region", format!("region must be \"singapore\" or \"mumbai\", got {r:?}."))
                .at("region"),
        );
    }
    if let Some(u) = m.base_url.as_deref()
        && let Err(e) = check_base_url(u)
    {
        diags.push(Diagnostic::error("Invalid base_url", e).at("base_url"));
    }
    if let Some(sid) = m.account_sid.as_deref()
        && let Err(e) = crate::validate::account_sid(sid)
    {
        diags.push(Diagnostic::error("Invalid account_sid", e).at("account_sid"));
    }
    if let Some(n) = m.max_retries.known()
        && !(0..=100).contains(n)
    {
        diags.push(
            Diagnostic::error("Invalid max_retries", format!("max_retries must be between 0 and 100, got {n}."))
                .at("max_retries"),
        );
    }
    if let Some(n) = m.max_requests_per_minute.known()
        && !(0..=100_000).contains(n)
    {
        diags.push(
            Diagnostic::error(
                "Invalid max_requests_per_minute",
                format!("max_requests_per_minute must be between 0 (off) and 100000, got {n}."),
            )
            .at("max_requests_per_minute"),
        );
    }
    if let Some(t) = m.request_timeout.as_deref() {
        match parse_duration(t) {
            Ok(d) if d.is_zero() => diags.push(
                Diagnostic::error("Invalid request_timeout", "request_timeout must be greater than zero.")
                    .at("request_timeout"),
            ),
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::error("Invalid request_timeout", e).at("request_timeout")),
        }
    }
}

/// The outcome of resolving the provider block.
pub(crate) enum Resolved {
    Ready(ClientConfig),
    /// Some values are unknown until apply; planning can go on.
    Unknown {
        account_sid: Option<String>,
    },
}

/// Config wins over environment; missing credentials name the attribute and
/// its environment variable.
pub(crate) fn resolve(m: &ProviderModel, env: &dyn Fn(&str) -> Option<String>) -> Result<Resolved, Diagnostics> {
    let mut diags = Diagnostics::default();
    validate(m, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let any_unknown = [
        m.api_key.is_unknown(),
        m.api_token.is_unknown(),
        m.account_sid.is_unknown(),
        m.region.is_unknown(),
        m.base_url.is_unknown(),
        m.max_retries.is_unknown(),
        m.max_requests_per_minute.is_unknown(),
        m.request_timeout.is_unknown(),
    ]
    .iter()
    .any(|u| *u);
    let pick = |a: &Attr<String>, var: &str| -> Option<String> {
        a.known().cloned().or_else(|| env(var)).filter(|s| !s.is_empty())
    };
    if any_unknown {
        let account_sid = if m.account_sid.is_unknown() { None } else { pick(&m.account_sid, "EXOTEL_ACCOUNT_SID") };
        return Ok(Resolved::Unknown { account_sid });
    }
    let api_key = pick(&m.api_key, "EXOTEL_API_KEY");
    let api_token = m
        .api_token
        .known()
        .map(|s| s.expose().to_string())
        .or_else(|| env("EXOTEL_API_TOKEN"))
        .filter(|s| !s.is_empty());
    let account_sid = pick(&m.account_sid, "EXOTEL_ACCOUNT_SID");
    if let Some(sid) = &account_sid
        && let Err(e) = crate::validate::account_sid(sid)
    {
        diags.push(
            Diagnostic::error("Invalid account_sid", format!("{e} (from account_sid or EXOTEL_ACCOUNT_SID)"))
                .at("account_sid"),
        );
    }
    for (val, attr, var) in [
        (api_key.is_some(), "api_key", "EXOTEL_API_KEY"),
        (api_token.is_some(), "api_token", "EXOTEL_API_TOKEN"),
        (account_sid.is_some(), "account_sid", "EXOTEL_ACCOUNT_SID"),
    ] {
        if !val {
            diags.push(
                Diagnostic::error(
                    format!("Missing {attr}"),
                    format!("Set {attr} in the provider \"exotel\" block or the {var} environment variable."),
                )
                .at(attr),
            );
        }
    }
    let base = if let Some(b) = pick(&m.base_url, "EXOTEL_BASE_URL") {
        match check_base_url(&b) {
            Ok(u) => Some(u),
            Err(e) => {
                diags.push(
                    Diagnostic::error("Invalid base_url", format!("{e} (from EXOTEL_BASE_URL or base_url)"))
                        .at("base_url"),
                );
                None
            }
        }
    } else {
        let region = pick(&m.region, "EXOTEL_REGION").unwrap_or_else(|| "singapore".into());
        match REGIONS.iter().find(|(n, _)| *n == region) {
            Some((_, u)) => Url::parse(u).ok(),
            None => {
                diags.push(
                    Diagnostic::error(
                        "Invalid region",
                        format!("region must be \"singapore\" or \"mumbai\", got {region:?} (from EXOTEL_REGION)."),
                    )
                    .at("region"),
                );
                None
            }
        }
    };
    let timeout = m.request_timeout.as_deref().unwrap_or(DEFAULT_TIMEOUT);
    let request_timeout = parse_duration(timeout).unwrap_or(Duration::from_secs(30));
    if diags.has_errors() {
        return Err(diags);
    }
    let (Some(api_key), Some(api_token), Some(account_sid), Some(base_url)) = (api_key, api_token, account_sid, base)
    else {
        return Err(diags);
    };
    Ok(Resolved::Ready(ClientConfig {
        base_url,
        account_sid,
        api_key,
        api_token: Secret::new(api_token),
        max_retries: m.max_retries.known().copied().unwrap_or(DEFAULT_MAX_RETRIES) as u32,
        max_requests_per_minute: m.max_requests_per_minute.known().copied().unwrap_or(DEFAULT_RPM) as u32,
        request_timeout,
        user_agent: format!("terraform-provider-exotel/{}", env!("CARGO_PKG_VERSION")),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn base_url_must_be_https_unless_loopback() {
        assert!(check_base_url("https://api.exotel.com").is_ok());
        assert!(check_base_url("http://127.0.0.1:8080").is_ok());
        assert!(check_base_url("http://127.8.9.1").is_ok());
        assert!(check_base_url("http://[::1]:9").is_ok());
        assert!(check_base_url("http://localhost:9").is_ok());
        assert!(check_base_url("http://api.exotel.com").unwrap_err().contains("clear text"));
        assert!(check_base_url("http://10.0.0.1").is_err());
        assert!(check_base_url("ftp://x").is_err());
        assert!(check_base_url("https://u:p@x").is_err());
        assert!(check_base_url("https://api.exotel.com/").is_ok());
        for bad in ["https://api.exotel.com/v2", "https://api.exotel.com/?x=1", "https://api.exotel.com/#f"] {
            assert!(check_base_url(bad).unwrap_err().contains("path, query or fragment"), "{bad}");
        }
    }

    #[test]
    fn missing_credentials_name_attribute_and_env_var() {
        let err = match resolve(&ProviderModel::default(), &env_none) {
            Err(d) => d,
            Ok(_) => panic!("should fail"),
        };
        let text: Vec<String> = err.0.iter().map(|d| d.detail.clone()).collect();
        assert!(text.iter().any(|t| t.contains("api_key") && t.contains("EXOTEL_API_KEY")));
        assert!(text.iter().any(|t| t.contains("api_token") && t.contains("EXOTEL_API_TOKEN")));
        assert!(text.iter().any(|t| t.contains("account_sid") && t.contains("EXOTEL_ACCOUNT_SID")));
    }

    #[test]
    fn config_wins_over_env_and_regions_map() {
        let env = |k: &str| match k {
            "EXOTEL_API_KEY" => Some("envkey".to_string()),
            "EXOTEL_API_TOKEN" => Some("envtok".to_string()),
            "EXOTEL_ACCOUNT_SID" => Some("envsid".to_string()),
            "EXOTEL_REGION" => Some("mumbai".to_string()),
            _ => None,
        };
        let m = ProviderModel { api_key: Attr::Known("cfgkey".into()), ..Default::default() };
        let Ok(Resolved::Ready(c)) = resolve(&m, &env) else { panic!() };
        assert_eq!(c.api_key, "cfgkey");
        assert_eq!(c.account_sid, "envsid");
        assert_eq!(c.base_url.as_str(), "https://api.in.exotel.com/");
        assert_eq!(c.max_retries, 4);
        assert_eq!(c.max_requests_per_minute, 200);
        assert_eq!(c.request_timeout, Duration::from_secs(30));
        assert!(!format!("{c:?}").contains("envtok"));
        assert_eq!(c.user_agent, format!("terraform-provider-exotel/{}", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn unknown_values_do_not_fail() {
        let m = ProviderModel { api_key: Attr::Unknown, account_sid: Attr::Known("sid".into()), ..Default::default() };
        assert!(matches!(resolve(&m, &env_none), Ok(Resolved::Unknown { account_sid: Some(_) })));
    }

    #[test]
    fn durations_go_style() {
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert!(parse_duration("soon").is_err());
        let mut d = Diagnostics::default();
        validate(
            &ProviderModel {
                request_timeout: Attr::Known("x".into()),
                region: Attr::Known("mars".into()),
                ..Default::default()
            },
            &mut d,
        );
        assert_eq!(d.0.len(), 2);
        assert_eq!(d.0[0].path, vec!["region".to_string()]);
    }
}
