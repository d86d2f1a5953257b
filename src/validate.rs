//! Validators for user input. Each returns the rule it enforces in its error,
//! so diagnostics say what to fix.

pub(crate) use crate::api::ids::path_id;

/// `trunk_name`: 1–16 characters of `[A-Za-z0-9_]`.
pub(crate) fn trunk_name(s: &str) -> Result<(), String> {
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
pub(crate) fn non_empty(attr: &str, s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err(format!("{attr} must not be empty."));
    }
    if s.trim() != s {
        return Err(format!("{attr} must not start or end with whitespace: {s:?}."));
    }
    Ok(())
}

/// A `trunk_sid` in a configuration: not empty, no surrounding whitespace,
/// and a plain path segment ([`path_id`]).
pub(crate) fn trunk_sid(attr: &str, s: &str) -> Result<(), String> {
    non_empty(attr, s)?;
    path_id(attr, s)
}

/// `account_sid`: letters, digits, `_` and `-`.
pub(crate) fn account_sid(s: &str) -> Result<(), String> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(format!(
            "account_sid must be letters, digits, \"_\" and \"-\" only (as shown in the Exotel dashboard); got {s:?}."
        ));
    }
    Ok(())
}

/// A DNS name (letters, digits, hyphens, dots; labels of 1–63 characters).
pub(crate) fn dns_name(attr: &str, s: &str) -> Result<(), String> {
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

/// E.164: `+` then 8 to 15 digits, the first not 0.
pub(crate) fn e164(attr: &str, s: &str) -> Result<(), String> {
    let ok = s
        .strip_prefix('+')
        .is_some_and(|d| (8..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{attr} must be in E.164 format: \"+\" followed by 8 to 15 digits, country code first (e.g. \"+919876543210\"); got {s:?}."
        ))
    }
}

/// The identity of a phone number for comparisons: `+` and its digits
/// (an answer may leave out the `+`); any other text as written.
pub(crate) fn e164_key(s: &str) -> String {
    let d = s.strip_prefix('+').unwrap_or(s);
    if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) { format!("+{d}") } else { s.to_string() }
}

/// A dotted-quad IPv4 address.
pub(crate) fn ipv4(attr: &str, s: &str) -> Result<std::net::Ipv4Addr, String> {
    s.parse::<std::net::Ipv4Addr>()
        .map_err(|_| format!("{attr} must be an IPv4 address such as \"203.0.113.10\"; got {s:?}."))
}

/// A whole number as the configuration writes it, only in its canonical
/// spelling: ASCII digits, no sign, no leading zero. `Err(Some(n))` when the
/// text is a number in another spelling (`+16`, `024`), so the message can
/// name the canonical one; `Err(None)` when it is no number at all.
pub(crate) fn canonical_number(s: &str) -> Result<u64, Option<u64>> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match s.parse::<u64>() {
        Ok(n) if digits && (s == "0" || !s.starts_with('0')) => Ok(n),
        Ok(n) => Err(Some(n)),
        Err(_) => {
            let t = s.trim().trim_start_matches('+');
            Err((!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse::<u64>().ok()).flatten())
        }
    }
}

/// A network `a.b.c.d/m` in its canonical spelling (the address as Rust
/// parses it, the mask as a plain number from 16 to 32, host bits zero):
/// the parsed address and mask. Any other spelling is refused, naming the
/// canonical one, so that two spellings can never name one network.
pub(crate) fn cidr(s: &str) -> Result<(std::net::Ipv4Addr, i64), String> {
    let Some((ip, m)) = s.split_once('/') else {
        return Err(format!("{s:?} is not of the form a.b.c.d/m, e.g. \"203.0.113.10/32\"."));
    };
    let addr = ipv4("the address", ip).map_err(|e| format!("{s:?}: {e}"))?;
    let mask = match canonical_number(m) {
        Ok(n) => i64::try_from(n).unwrap_or(i64::MAX),
        Err(Some(n)) => {
            return Err(format!("{s:?}: the mask {m:?} is not written canonically; write \"{addr}/{n}\"."));
        }
        Err(None) => return Err(format!("{s:?}: the mask {m:?} is not a number; write e.g. \"{addr}/32\".")),
    };
    ip_with_mask(ip, mask).map_err(|e| format!("{s:?}: {e}"))?;
    Ok((addr, mask))
}

/// The identity of a network for comparisons: `a.b.c.d/m` from the parsed
/// values, or `None` when `s` is not a canonical network.
pub(crate) fn cidr_key(s: &str) -> Option<String> {
    cidr(s).ok().map(|(a, m)| format!("{a}/{m}"))
}

/// `mask`: a prefix length from 16 to 32.
pub(crate) fn mask(m: i64) -> Result<(), String> {
    if (16..=32).contains(&m) { Ok(()) } else { Err(format!("mask must be between 16 and 32, got {m}.")) }
}

/// The network address of `ip/mask`.
pub(crate) fn network(ip: std::net::Ipv4Addr, mask: i64) -> std::net::Ipv4Addr {
    let m = if mask <= 0 { 0 } else { u32::MAX << (32 - mask.min(32)) };
    std::net::Ipv4Addr::from(u32::from(ip) & m)
}

/// An IP with host bits set beyond its mask would be normalised by the API,
/// which Terraform would then show as a perpetual diff.
pub(crate) fn ip_with_mask(ip: &str, mask: i64) -> Result<(), String> {
    let addr = ipv4("ip", ip)?;
    self::mask(mask)?;
    let net = network(addr, mask);
    if net != addr {
        return Err(format!(
            "ip {ip} has host bits set for mask {mask}; use the network address \"{net}\" (the API stores {net}/{mask}, so {ip} would show as a change on every plan)."
        ));
    }
    Ok(())
}

/// A SIP destination, `<IPv4 or DNS name>:<port>;transport=<tls|tcp>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Destination {
    pub host: String,
    pub port: u16,
    pub transport: Transport,
}

/// A destination's SIP transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    /// SIP over TLS (recommended).
    Tls,
    /// SIP over TCP: unencrypted.
    Tcp,
}

impl Transport {
    pub(crate) fn parse(t: &str) -> Option<Transport> {
        match t {
            "tls" => Some(Transport::Tls),
            "tcp" => Some(Transport::Tcp),
            _ => None,
        }
    }
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Transport::Tls => "tls",
            Transport::Tcp => "tcp",
        }
    }
}

/// How calls to a mapped phone number are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum NumberMode {
    /// Through the trunk (the API's null).
    #[default]
    Pstn,
    /// To an Exotel Voice AI / StreamKit flow.
    Flow,
}

impl NumberMode {
    /// `pstn` or `flow`; anything else is `None`.
    pub(crate) fn parse(m: &str) -> Option<NumberMode> {
        match m {
            "pstn" => Some(NumberMode::Pstn),
            "flow" => Some(NumberMode::Flow),
            _ => None,
        }
    }
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            NumberMode::Pstn => "pstn",
            NumberMode::Flow => "flow",
        }
    }
}

impl Destination {
    /// `<host>:<port>;transport=<transport>`, without `sip:`.
    pub(crate) fn bare(&self) -> String {
        format!("{}:{};transport={}", self.host, self.port, self.transport.as_str())
    }
}

pub(crate) const DESTINATION_FORMAT: &str = "<IPv4 or DNS name>:<port 1-65535>;transport=<tls|tcp>, optionally prefixed with \"sip:\" (e.g. \"203.0.113.10:5061;transport=tls\")";

/// Checks a destination host (IPv4 or DNS name).
pub(crate) fn destination_host(host: &str) -> Result<(), String> {
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Ok(());
    }
    let looks_numeric = host.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_digit()));
    if looks_numeric || dns_name("host", host).is_err() {
        return Err(format!("host must be an IPv4 address or a DNS name; got {host:?}."));
    }
    Ok(())
}

pub(crate) fn destination_port(port: i64) -> Result<u16, String> {
    u16::try_from(port).ok().filter(|p| *p >= 1).ok_or_else(|| format!("port must be between 1 and 65535, got {port}."))
}

pub(crate) fn destination_transport(t: &str) -> Result<Transport, String> {
    Transport::parse(t).ok_or_else(|| format!("transport must be \"tls\" or \"tcp\", got {t:?}."))
}

/// Parses a destination (a leading `sip:` is accepted).
pub(crate) fn destination(s: &str) -> Result<Destination, String> {
    let fail = |why: String| Err(format!("destination {s:?} is not valid: {why} Expected {DESTINATION_FORMAT}."));
    let bare = s.strip_prefix("sip:").unwrap_or(s);
    let Some((hostport, params)) = bare.split_once(';') else {
        return fail("it has no \";transport=\" part.".into());
    };
    let Some(transport) = params.strip_prefix("transport=") else {
        return fail(format!("expected \"transport=<tls|tcp>\" after \";\", got {params:?}."));
    };
    let transport = match destination_transport(transport) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let Some((host, port)) = hostport.rsplit_once(':') else {
        return fail("it has no \":<port>\".".into());
    };
    if let Err(e) = destination_host(host) {
        return fail(e);
    }
    let port = match canonical_number(port) {
        Ok(p) => match destination_port(i64::try_from(p).unwrap_or(i64::MAX)) {
            Ok(p) => p,
            Err(e) => return fail(e),
        },
        Err(Some(n)) => {
            let canonical = format!(
                "{}{host}:{n};transport={}",
                if s.starts_with("sip:") { "sip:" } else { "" },
                transport.as_str()
            );
            return Err(format!(
                "destination {s:?} is not valid: the port {port:?} is not written canonically; write {canonical:?}."
            ));
        }
        Err(None) => return fail(format!("port {port:?} is not a number.")),
    };
    Ok(Destination { host: host.to_string(), port, transport })
}

/// A destination without its `sip:` prefix (the contract's request form).
pub(crate) fn bare_destination(s: &str) -> &str {
    s.strip_prefix("sip:").unwrap_or(s)
}

/// The identity of a destination for comparisons: host (lower case), port
/// and transport as parsed values; a text that does not parse is compared
/// as written (lower case, without `sip:`).
pub(crate) fn destination_key(s: &str) -> String {
    match destination(s) {
        Ok(d) => format!("{}:{};transport={}", d.host.to_ascii_lowercase(), d.port, d.transport.as_str()),
        Err(_) => bare_destination(s).to_ascii_lowercase(),
    }
}

/// Two destination spellings name the same endpoint (`sip:` prefix and case aside).
pub(crate) fn same_destination(a: &str, b: &str) -> bool {
    destination_key(a) == destination_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn path_ids_cannot_steer() {
        for bad in ["", ".", "..", "%2e%2e", "%2E%2e", ".%2e", "%252e%252e", "a/b", "a%2Fb", "..\\", "a\nb"] {
            assert!(path_id("trunk_sid", bad).is_err(), "{bad:?} accepted");
        }
        for ok in ["trk41501cabf", "41512", "a b", "x..y", "%"] {
            assert!(path_id("trunk_sid", ok).is_ok(), "{ok:?} refused");
        }
        assert!(account_sid("acme_1-x").is_ok());
        assert!(account_sid("../x").is_err() && account_sid("a b").is_err() && account_sid("").is_err());
    }

    #[test]
    fn e164_numbers() {
        assert!(e164("p", "+919876543210").is_ok());
        assert!(e164("p", "+12345678").is_ok());
        assert!(e164("p", "919876543210").unwrap_err().contains("E.164"));
        assert!(e164("p", "+1234567").is_err());
        assert!(e164("p", "+1234567890123456").is_err());
        assert!(e164("p", "+91 98765 43210").is_err());
        assert!(e164("p", "+0123456789").is_err());
    }

    #[test]
    fn ips_and_masks() {
        assert!(ip_with_mask("203.0.113.10", 32).is_ok());
        assert!(ip_with_mask("10.0.0.0", 24).is_ok());
        let e = ip_with_mask("10.0.0.5", 24).unwrap_err();
        assert!(e.contains("\"10.0.0.0\""), "{e}");
        assert!(mask(15).unwrap_err().contains("between 16 and 32"));
        assert!(mask(33).is_err());
        assert!(ipv4("ip", "2001:db8::1").is_err());
        assert!(ipv4("ip", "300.1.1.1").is_err());
        assert!(ipv4("ip", "1.2.3").is_err());
    }

    #[test]
    fn destinations() {
        let d = destination("203.0.113.10:5061;transport=tls").unwrap();
        assert_eq!((d.host.as_str(), d.port, d.transport), ("203.0.113.10", 5061, Transport::Tls));
        assert_eq!(d.bare(), "203.0.113.10:5061;transport=tls");
        assert_eq!(destination("sip:sip.example.com:5060;transport=tcp").unwrap().host, "sip.example.com");
        for bad in [
            "203.0.113.10:5061",
            "203.0.113.10;transport=tls",
            "203.0.113.10:0;transport=tls",
            "203.0.113.10:70000;transport=tls",
            "203.0.113.10:5061;transport=udp",
            "bad_host:5061;transport=tls",
            "999.1.1.1:5061;transport=tls",
            ":5061;transport=tls",
        ] {
            assert!(destination(bad).is_err(), "{bad}");
        }
        assert!(destination("x:1;transport=udp").unwrap_err().contains("transport"));
        assert!(same_destination("sip:1.2.3.4:5061;transport=tls", "1.2.3.4:5061;transport=tls"));
        assert!(!same_destination("1.2.3.4:5061;transport=tls", "1.2.3.4:5060;transport=tls"));
    }

    #[test]
    fn numbers_in_other_spellings_are_refused_naming_the_canonical_one() {
        assert_eq!(canonical_number("24"), Ok(24));
        assert_eq!(canonical_number("0"), Ok(0));
        assert_eq!(canonical_number("024"), Err(Some(24)));
        assert_eq!(canonical_number("+16"), Err(Some(16)));
        assert_eq!(canonical_number(" 16"), Err(Some(16)));
        assert_eq!(canonical_number("x"), Err(None));
        assert_eq!(canonical_number(""), Err(None));
        assert_eq!(canonical_number("-16"), Err(None));

        assert_eq!(cidr("10.0.0.0/24").unwrap(), ("10.0.0.0".parse().unwrap(), 24));
        let e = cidr("10.0.0.0/024").unwrap_err();
        assert!(e.contains("not written canonically") && e.contains("\"10.0.0.0/24\""), "{e}");
        let e = cidr("192.168.0.0/+16").unwrap_err();
        assert!(e.contains("\"192.168.0.0/16\""), "{e}");
        assert!(cidr("10.0.0.5/24").unwrap_err().contains("host bits"));
        assert!(cidr("010.0.0.0/24").is_err(), "octal-looking octets are refused");
        assert!(cidr("2001:db8::/64").is_err());
        assert_eq!(cidr_key("10.0.0.0/24").as_deref(), Some("10.0.0.0/24"));

        let e = destination("sip.example.com:+5061;transport=tls").unwrap_err();
        assert!(e.contains("not written canonically") && e.contains("\"sip.example.com:5061;transport=tls\""), "{e}");
        let e = destination("sip:1.2.3.4:05061;transport=tcp").unwrap_err();
        assert!(e.contains("\"sip:1.2.3.4:5061;transport=tcp\""), "{e}");
        assert!(same_destination("SIP.example.com:5061;transport=tls", "sip:sip.example.com:5061;transport=tls"));
    }

    proptest! {
        #[test]
        fn e164_rule(d in "[0-9]{0,18}", plus in any::<bool>()) {
            let s = if plus { format!("+{d}") } else { d.clone() };
            let rule = plus && (8..=15).contains(&d.len()) && !d.starts_with('0');
            prop_assert_eq!(e164("p", &s).is_ok(), rule);
        }

        #[test]
        fn destination_round_trips(a in 0u8..=255, b in 0u8..=255, port in 1u16..=65535, tls in any::<bool>(), sip in any::<bool>()) {
            let t = if tls { "tls" } else { "tcp" };
            let bare = format!("10.{a}.{b}.1:{port};transport={t}");
            let s = if sip { format!("sip:{bare}") } else { bare.clone() };
            let d = destination(&s).unwrap();
            prop_assert_eq!(d.bare(), bare);
        }

        #[test]
        fn destination_never_panics(s in "\\PC{0,40}") {
            let _ = destination(&s);
        }

        #[test]
        fn mask_rule(m in -5i64..40) {
            prop_assert_eq!(mask(m).is_ok(), (16..=32).contains(&m));
        }
    }

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
