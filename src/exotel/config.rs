//! The provider block: schema, validation, and resolution (config wins over
//! environment) into an API `ClientConfig`.

use crate::api::ApiError;
use crate::api::{ClientConfig, Secret, Sharing};
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
        skip_credentials_validation: bool,
        shared_rate_limit: bool,
        rate_limit_dir: String,
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
            Attribute::new("base_url", Type::String, Optional, "API base URL (`scheme://host[:port]`); overrides `region`. Must be `https://` unless the host is loopback. Certificates are verified against the Mozilla roots bundled with the provider, plus any in the PEM file named by `SSL_CERT_FILE` (a TLS-inspecting proxy's CA). Environment: `EXOTEL_BASE_URL`."),
            Attribute::new("max_retries", Type::Number, Optional, "How many times a transient failure (5xx, connection error, timeout, unreadable answer) is retried. Rate-limit answers (429) are waited out for up to 2 minutes per request without using this up; `0` turns every retry off.").default_int(4),
            Attribute::new("max_requests_per_minute", Type::Number, Optional, "Client-side request rate limit: at most this many requests in any 60-second window (plus a 250 ms margin against latency jitter), every method and retry counted (Exotel allows 200 per minute per account). By default every provider process of the same account on this host shares it (see `shared_rate_limit`); processes with different values share the smallest. `0` turns the wait off (requests are still counted for the others).").default_int(200),
            Attribute::new("shared_rate_limit", Type::Bool, Optional, "Share `max_requests_per_minute` with every other provider process of the same account and API on this host (Terragrunt `run-all`, parallel CI jobs, `make -j`), through a small state file in a private folder (`rate_limit_dir`). Turn it off when each process talks to a different account through one SID (never the case on Exotel) or when another tool already spaces the runs. Different OS users and different machines never share. Default: on. Environment: `EXOTEL_SHARED_RATE_LIMIT` (`true`/`false`/`1`/`0`)."),
            Attribute::new("rate_limit_dir", Type::String, Optional, "The folder of the shared rate-limit state (created 0700; it must belong to the user running Terraform). Default: `terraform-provider-exotel/rate-limit` in the user's cache directory (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows). Name a volume shared by containers to share the limit between them. Environment: `EXOTEL_RATE_LIMIT_DIR`."),
            Attribute::new("request_timeout", Type::String, Optional, "Timeout of each HTTP attempt, in Go duration syntax (`300ms`, `1.5s`, `2m30s`; units `ns`, `us`, `µs`, `ms`, `s`, `m`, `h`), between `1s` and `10m`.").default_str("30s"),
            Attribute::new("skip_credentials_validation", Type::Bool, Optional, "Skip the plan-time credentials check: one read-only request, sent before the first planned create or read unless an answer already proved the credentials, so that wrong `api_key`, `api_token` or `account_sid` fail `terraform plan` (once, after one request), not only `apply`. For a planned create it is the listing the create sends first anyway, so an apply waits for nothing it would not have sent. Set it for offline plans. Environment: `EXOTEL_SKIP_CREDENTIALS_VALIDATION` (`true`/`1`)."),
        ],
        blocks: vec![],
    }
}

/// The shortest and longest `request_timeout`.
pub(crate) const TIMEOUT_BOUNDS: (Duration, Duration) = (Duration::from_secs(1), Duration::from_secs(600));

/// Parses a duration in Go's `time.ParseDuration` syntax exactly: an optional
/// sign, then one or more decimal numbers each with a unit (`ns`, `us`, `µs`,
/// `μs`, `ms`, `s`, `m`, `h`), or a bare `0`. Nothing else: no spaces, no
/// words, no unit-less numbers.
pub(crate) fn parse_go_duration(s: &str) -> Result<Duration, String> {
    const EXAMPLE: &str = "write it as Go does, e.g. \"30s\", \"1.5s\", \"2m30s\" or \"500ms\"";
    let bad = |why: &str| format!("{s:?} is not a Go duration ({why}); {EXAMPLE}");
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    if rest.is_empty() {
        return Err(bad("empty"));
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int, after) = rest.split_at(int_len);
        let (frac, after) = match after.strip_prefix('.') {
            Some(a) => {
                let n = a.bytes().take_while(u8::is_ascii_digit).count();
                a.split_at(n)
            }
            None => ("", after),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(bad("expected a number"));
        }
        let unit_len = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let nanos_per: u128 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(bad("a number without a unit")),
            other => return Err(bad(&format!("unknown unit {other:?}; units are ns, us, µs, ms, s, m, h"))),
        };
        let too_big = || bad("too large");
        let whole: u128 = if int.is_empty() { 0 } else { int.parse().map_err(|_| too_big())? };
        let mut part = whole.checked_mul(nanos_per).ok_or_else(too_big)?;
        // The fraction, to nanosecond precision (Go truncates the same way).
        let mut scale = nanos_per;
        for d in frac.bytes() {
            scale /= 10;
            if scale == 0 {
                break;
            }
            part += u128::from(d - b'0') * scale;
        }
        total = total.checked_add(part).filter(|t| *t <= u128::from(u64::MAX)).ok_or_else(too_big)?;
        rest = next;
    }
    if negative && total > 0 {
        return Err(format!("{s:?} is negative; {EXAMPLE}"));
    }
    Ok(Duration::from_nanos(total as u64))
}

/// `request_timeout`: Go syntax, within [`TIMEOUT_BOUNDS`].
pub(crate) fn parse_request_timeout(s: &str) -> Result<Duration, String> {
    let d = parse_go_duration(s)?;
    let (lo, hi) = TIMEOUT_BOUNDS;
    if d < lo || d > hi {
        return Err(format!(
            "request_timeout must be between 1s and 10m, got {s:?}; for example \"30s\" (the default) or \"2m\""
        ));
    }
    Ok(d)
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
    if let Some(t) = m.request_timeout.as_deref()
        && let Err(e) = parse_request_timeout(t)
    {
        diags.push(Diagnostic::error("Invalid request_timeout", e).at("request_timeout"));
    }
}

/// The outcome of resolving the provider block.
pub(crate) enum Resolved {
    Ready {
        config: Box<ClientConfig>,
        /// Check the credentials with one request now (not skipped).
        check_credentials: bool,
    },
    /// Some values are unknown until apply; planning can go on.
    Unknown { account_sid: Option<String> },
}

/// The User-Agent: `Terraform/<version> terraform-provider-exotel/<version>`,
/// then `TF_APPEND_USER_AGENT` when set (as every HashiCorp provider does).
pub(crate) fn user_agent(terraform_version: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let ours = format!("terraform-provider-exotel/{}", env!("CARGO_PKG_VERSION"));
    let mut ua = match terraform_version.trim() {
        "" => ours,
        v => format!("Terraform/{v} {ours}"),
    };
    if let Some(extra) = env("TF_APPEND_USER_AGENT").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        ua.push(' ');
        ua.push_str(&extra);
    }
    // A header value cannot hold control characters; drop them rather than fail.
    ua.retain(|c| !c.is_control());
    ua
}

/// A boolean argument, else its environment variable (`EXOTEL_` and the
/// argument's name in capitals: `true`/`false`/`1`/`0`), else `default`; any
/// other value of the variable is an error naming it.
fn flag(
    attr: &Attr<bool>,
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
    default: bool,
    diags: &mut Diagnostics,
) -> bool {
    if let Some(b) = attr.known() {
        return *b;
    }
    let var = format!("EXOTEL_{}", name.to_ascii_uppercase());
    match env(&var).as_deref().map(str::trim) {
        None | Some("") => default,
        Some("1" | "true") => true,
        Some("0" | "false") => false,
        Some(other) => {
            diags.push(
                Diagnostic::error(
                    format!("Invalid {var}"),
                    format!("{var} must be \"true\", \"false\", \"1\" or \"0\", got {other:?}."),
                )
                .at(name),
            );
            default
        }
    }
}

/// Config wins over environment; missing credentials name the attribute and
/// its environment variable. `terraform_version` is what Terraform sent with
/// ConfigureProvider (for the User-Agent).
pub(crate) fn resolve(
    m: &ProviderModel,
    terraform_version: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Resolved, Diagnostics> {
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
        m.skip_credentials_validation.is_unknown(),
        m.shared_rate_limit.is_unknown(),
        m.rate_limit_dir.is_unknown(),
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
    let skip_check = flag(&m.skip_credentials_validation, "skip_credentials_validation", env, false, &mut diags);
    let shared = flag(&m.shared_rate_limit, "shared_rate_limit", env, true, &mut diags);
    let sharing = match (shared, pick(&m.rate_limit_dir, "EXOTEL_RATE_LIMIT_DIR")) {
        (false, _) => Sharing::Off,
        (true, Some(dir)) => Sharing::Dir(dir.into()),
        (true, None) => Sharing::UserCache("terraform-provider-exotel".into()),
    };
    let timeout = m.request_timeout.as_deref().unwrap_or(DEFAULT_TIMEOUT);
    let request_timeout = parse_request_timeout(timeout).unwrap_or(Duration::from_secs(30));
    if diags.has_errors() {
        return Err(diags);
    }
    let (Some(api_key), Some(api_token), Some(account_sid), Some(base_url)) = (api_key, api_token, account_sid, base)
    else {
        return Err(diags);
    };
    let config = ClientConfig {
        base_url,
        account_sid,
        api_key,
        api_token: Secret::new(api_token),
        max_retries: m.max_retries.known().copied().unwrap_or(DEFAULT_MAX_RETRIES) as u32,
        max_requests_per_minute: m.max_requests_per_minute.known().copied().unwrap_or(DEFAULT_RPM) as u32,
        request_timeout,
        user_agent: user_agent(terraform_version, env),
        sharing,
    };
    Ok(Resolved::Ready { config: Box::new(config), check_credentials: !skip_check })
}

/// The error of a failed plan-time credentials check (see
/// [`crate::api::Client::verify_access`]).
pub(crate) fn access_diagnostic(e: &ApiError) -> Diagnostic {
    if matches!(e.status(), Some(401 | 403)) || e.exotel_code() == Some(1010) {
        Diagnostic::error(
            "Exotel rejected the credentials",
            format!(
                "{e}.\n\nNothing can be planned or applied with these credentials. An API key and token belong to one account in one region: check account_sid and region / base_url as well (EXOTEL_ACCOUNT_SID, EXOTEL_REGION, EXOTEL_BASE_URL)."
            ),
        )
    } else {
        Diagnostic::error(
            "Cannot check the Exotel credentials",
            format!(
                "{e}.\n\nThe provider checks the credentials with one read-only request before it plans a create or reads anything. If the API cannot be reached from here on purpose (an offline plan), set skip_credentials_validation = true or EXOTEL_SKIP_CREDENTIALS_VALIDATION=true."
            ),
        )
    }
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
        let err = match resolve(&ProviderModel::default(), "", &env_none) {
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
        let Ok(Resolved::Ready { config: c, check_credentials: true }) = resolve(&m, "1.15.5", &env) else { panic!() };
        assert_eq!(c.api_key, "cfgkey");
        assert_eq!(c.account_sid, "envsid");
        assert_eq!(c.base_url.as_str(), "https://api.in.exotel.com/");
        assert_eq!(c.max_retries, 4);
        assert_eq!(c.max_requests_per_minute, 200);
        assert_eq!(c.request_timeout, Duration::from_secs(30));
        assert!(!format!("{c:?}").contains("envtok"));
        assert_eq!(c.user_agent, format!("Terraform/1.15.5 terraform-provider-exotel/{}", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn unknown_values_do_not_fail() {
        let m = ProviderModel { api_key: Attr::Unknown, account_sid: Attr::Known("sid".into()), ..Default::default() };
        assert!(matches!(resolve(&m, "1.15.5", &env_none), Ok(Resolved::Unknown { account_sid: Some(_) })));
    }

    #[test]
    fn durations_are_go_syntax_exactly() {
        let ok = |s: &str| parse_go_duration(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(ok("30s"), Duration::from_secs(30));
        assert_eq!(ok("1m30s"), Duration::from_secs(90));
        assert_eq!(ok("2m30s"), Duration::from_secs(150));
        assert_eq!(ok("500ms"), Duration::from_millis(500));
        assert_eq!(ok("300ms"), Duration::from_millis(300));
        assert_eq!(ok("1.5s"), Duration::from_millis(1500));
        assert_eq!(ok(".5s"), Duration::from_millis(500));
        assert_eq!(ok("1.s"), Duration::from_secs(1));
        assert_eq!(ok("1h"), Duration::from_secs(3600));
        assert_eq!(ok("+2s"), Duration::from_secs(2));
        assert_eq!(ok("300us"), Duration::from_micros(300));
        assert_eq!(ok("300\u{b5}s"), Duration::from_micros(300));
        assert_eq!(ok("300\u{3bc}s"), Duration::from_micros(300));
        assert_eq!(ok("7ns"), Duration::from_nanos(7));
        assert_eq!(ok("0"), Duration::ZERO);
        assert_eq!(ok("1h2m3s4ms5us6ns"), Duration::new(3723, 4_005_006));
        for bad in [
            "",
            "2 days",
            "30sec",
            "30",
            "s",
            ".s",
            "1..5s",
            "30 s",
            " 30s",
            "1d",
            "soon",
            "-1s",
            "1e3s",
            "99999999999999999999h",
        ] {
            let e = parse_go_duration(bad).expect_err(bad);
            assert!(e.contains("e.g. \"30s\"") || e.contains("example"), "{bad}: {e}");
        }
        assert!(parse_go_duration("30sec").unwrap_err().contains("unknown unit \"sec\""));
    }

    #[test]
    fn request_timeout_is_bounded_to_1s_10m() {
        assert_eq!(parse_request_timeout("1s").unwrap(), Duration::from_secs(1));
        assert_eq!(parse_request_timeout("10m").unwrap(), Duration::from_secs(600));
        for bad in ["300us", "999ms", "10m1s", "1h", "0"] {
            let e = parse_request_timeout(bad).expect_err(bad);
            assert!(e.contains("between 1s and 10m") && e.contains("\"30s\""), "{bad}: {e}");
        }
        let mut d = Diagnostics::default();
        validate(
            &ProviderModel {
                request_timeout: Attr::Known("2 days".into()),
                region: Attr::Known("mars".into()),
                ..Default::default()
            },
            &mut d,
        );
        assert_eq!(d.0.len(), 2);
        assert_eq!(d.0[0].path, vec!["region".to_string()]);
        assert!(d.0[1].detail.contains("not a Go duration"), "{}", d.0[1].detail);
    }

    #[test]
    fn user_agent_names_terraform_and_appends_tf_append_user_agent() {
        let v = env!("CARGO_PKG_VERSION");
        assert_eq!(user_agent("1.15.5", &env_none), format!("Terraform/1.15.5 terraform-provider-exotel/{v}"));
        assert_eq!(user_agent("", &env_none), format!("terraform-provider-exotel/{v}"));
        let env = |k: &str| (k == "TF_APPEND_USER_AGENT").then(|| " team-voice/ci \n".to_string());
        assert_eq!(user_agent("1.6.6", &env), format!("Terraform/1.6.6 terraform-provider-exotel/{v} team-voice/ci"));
    }

    #[test]
    fn credentials_check_is_on_unless_skipped() {
        let creds = |k: &str, skip: Option<&str>| match k {
            "EXOTEL_API_KEY" | "EXOTEL_API_TOKEN" | "EXOTEL_ACCOUNT_SID" => Some("x".to_string()),
            "EXOTEL_SKIP_CREDENTIALS_VALIDATION" => skip.map(str::to_string),
            _ => None,
        };
        let check = |m: &ProviderModel, skip: Option<&str>| match resolve(m, "", &|k| creds(k, skip)) {
            Ok(Resolved::Ready { check_credentials, .. }) => Ok(check_credentials),
            Ok(Resolved::Unknown { .. }) => Err("unknown".to_string()),
            Err(d) => Err(d.0[0].detail.clone()),
        };
        let m = ProviderModel::default();
        assert_eq!(check(&m, None), Ok(true));
        assert_eq!(check(&m, Some("true")), Ok(false));
        assert_eq!(check(&m, Some("1")), Ok(false));
        assert_eq!(check(&m, Some("false")), Ok(true));
        assert!(check(&m, Some("yes")).unwrap_err().contains("EXOTEL_SKIP_CREDENTIALS_VALIDATION"));
        let off = ProviderModel { skip_credentials_validation: Attr::Known(true), ..Default::default() };
        assert_eq!(check(&off, Some("false")), Ok(false));
        let on = ProviderModel { skip_credentials_validation: Attr::Known(false), ..Default::default() };
        assert_eq!(check(&on, Some("true")), Ok(true));
    }
}
