//! go-plugin's start-up contract: magic cookie, protocol negotiation and the
//! handshake line.

/// The cookie Terraform sets so a provider knows it is run as a plugin.
pub(crate) const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub(crate) const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's core protocol version (the first handshake field).
pub(crate) const CORE_PROTOCOL_VERSION: u32 = 1;
/// The only plugin protocol we speak.
pub(crate) const PROTOCOL_VERSION: u32 = 6;

pub(crate) const NOT_A_PLUGIN: &str = "This binary is a plugin. These are not meant to be executed directly.\n\
Please execute the program that consumes these plugins, which will\n\
load any plugins automatically";

/// Picks protocol 6 from `PLUGIN_PROTOCOL_VERSIONS` ("5,6", any order).
/// Absent means the client predates negotiation; it then expects protocol 6
/// only if it is a protocol-6 client, so we offer 6.
pub(crate) fn negotiate(offered: Option<&str>) -> Result<u32, String> {
    let Some(list) = offered.filter(|s| !s.trim().is_empty()) else {
        return Ok(PROTOCOL_VERSION);
    };
    let speaks_6 = list.split(',').any(|v| v.trim().parse::<u32>() == Ok(PROTOCOL_VERSION));
    if speaks_6 {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(format!(
            "This provider speaks plugin protocol 6 only, and the client offered {list:?}.\n\
             Use Terraform 1.0 or later, or OpenTofu 1.6 or later."
        ))
    }
}

/// `1|6|unix|<path>|grpc|<base64 cert DER, no padding>`
pub(crate) fn line(network: &str, addr: &str, cert_b64: Option<&str>) -> String {
    let mut s = format!("{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|{network}|{addr}|grpc");
    if let Some(c) = cert_b64 {
        s.push('|');
        s.push_str(c);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_six_in_any_order() {
        assert_eq!(negotiate(Some("5,6")), Ok(6));
        assert_eq!(negotiate(Some("6,5")), Ok(6));
        assert_eq!(negotiate(None), Ok(6));
        let err = negotiate(Some("4,5")).unwrap_err();
        assert!(err.contains("Terraform 1.0"), "{err}");
    }

    #[test]
    fn handshake_line_shape() {
        assert_eq!(line("unix", "/tmp/x/p.sock", Some("QUJD")), "1|6|unix|/tmp/x/p.sock|grpc|QUJD");
        assert_eq!(line("unix", "/s", None), "1|6|unix|/s|grpc");
    }
}
