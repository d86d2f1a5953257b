//! The client's view of vSIP records. Tolerant: ids as strings or numbers,
//! integers as numbers or numeric strings, unknown fields ignored.

use super::secret::Secret;
use serde::{Deserialize, Deserializer};

/// Deserializes a JSON string or number as a string.
pub fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        S(String),
        I(i64),
        U(u64),
        F(f64),
    }
    Ok(match Id::deserialize(d)? {
        Id::S(s) => s,
        Id::I(i) => i.to_string(),
        Id::U(u) => u.to_string(),
        // A float id is exact only while whole and within 2^53.
        Id::F(f) if f.fract() == 0.0 && f.abs() <= MAX_EXACT => (f as i64).to_string(),
        Id::F(f) => {
            return Err(serde::de::Error::custom(format!(
                "id {f:e} is not a whole number within 2^53, so it cannot be represented exactly"
            )));
        }
    })
}

/// The largest integer a JSON number carries exactly as a float.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "id_string")] String);
    Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
}

/// Deserializes an optional integer in `MIN..=MAX`, given as a number or
/// numeric string. A value outside the range is an error, never saturated or
/// rounded.
fn opt_int<'de, D: Deserializer<'de>, const MIN: i64, const MAX: i64>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        I(i64),
        U(u64),
        F(f64),
        S(String),
    }
    let v = match Option::<N>::deserialize(d)? {
        None => return Ok(None),
        Some(N::I(i)) => i,
        Some(N::U(u)) => i64::try_from(u).unwrap_or(i64::MAX),
        Some(N::F(f)) if f.fract() == 0.0 && f.abs() <= MAX_EXACT => f as i64,
        Some(N::F(f)) => return Err(serde::de::Error::custom(format!("{f:e} is not a whole number in {MIN}..={MAX}"))),
        Some(N::S(s)) => s.trim().parse().map_err(serde::de::Error::custom)?,
    };
    if (MIN..=MAX).contains(&v) {
        Ok(Some(v))
    } else {
        Err(serde::de::Error::custom(format!("{v} is outside {MIN}..={MAX}")))
    }
}

/// A trunk SID from the API: a string or number that is a plain identifier.
fn trunk_sid<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = id_string(d)?;
    crate::ids::api_trunk_sid(&s).map_err(serde::de::Error::custom)?;
    Ok(s)
}

/// An item id from the API, later used as a path segment.
fn item_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = id_string(d)?;
    crate::ids::path_id("id", &s).map_err(serde::de::Error::custom)?;
    Ok(s)
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
/// A trunk as the API returns it.
pub struct Trunk {
    #[serde(deserialize_with = "trunk_sid")]
    /// The trunk's SID.
    pub trunk_sid: String,
    #[serde(default)]
    /// Its name.
    pub trunk_name: Option<String>,
    #[serde(default)]
    /// Its SIP domain.
    pub domain_name: Option<String>,
    #[serde(default)]
    /// Its network service operator code.
    pub nso_code: Option<String>,
    #[serde(default)]
    /// When it was created.
    pub date_created: Option<String>,
    #[serde(default)]
    /// When it was last changed.
    pub date_updated: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
/// A phone number mapped to a trunk.
pub struct PhoneNumber {
    #[serde(deserialize_with = "item_id")]
    /// The mapping's id.
    pub id: String,
    /// The number, E.164.
    pub phone_number: String,
    #[serde(default, deserialize_with = "opt_id_string")]
    /// The trunk, when the API says.
    pub trunk_sid: Option<String>,
    #[serde(default)]
    /// When it was created.
    pub date_created: Option<String>,
    /// `pstn` (null when unset) or `flow`.
    #[serde(default)]
    pub mode: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
/// A whitelisted IP address or network of a trunk.
pub struct WhitelistedIp {
    #[serde(deserialize_with = "item_id")]
    /// The entry's id.
    pub id: String,
    /// The address (the network address when `mask` < 32).
    pub ip: String,
    #[serde(default, deserialize_with = "opt_int::<_, 0, 32>")]
    /// The prefix length (null means 32).
    pub mask: Option<i64>,
    #[serde(default)]
    /// When it was created.
    pub date_created: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
/// A SIP destination of a trunk.
pub struct Destination {
    #[serde(deserialize_with = "item_id")]
    /// The destination's id.
    pub id: String,
    /// `sip:<host>:<port>;transport=<tls|tcp>` (the `sip:` may be missing).
    pub destination: String,
    #[serde(default)]
    /// When it was created.
    pub date_created: Option<String>,
    #[serde(default, deserialize_with = "opt_int::<_, 0, 65535>")]
    /// Order in which destinations are tried (null means 0).
    pub priority: Option<i64>,
    #[serde(default, deserialize_with = "opt_int::<_, 0, 65535>")]
    /// Share among destinations of one priority (null means 1).
    pub weight: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
/// One SIP digest credential of a trunk (the digest-credentials API). No
/// route ever returns its password.
pub struct Credential {
    #[serde(deserialize_with = "item_id")]
    /// The credential's id, e.g. `"1234"`.
    pub id: String,
    #[serde(alias = "username", deserialize_with = "id_string")]
    /// The SIP username (unique per trunk).
    pub user_name: String,
    #[serde(default)]
    /// Its label, at most 32 characters; null (or empty) when it has none.
    pub friendly_name: Option<String>,
    #[serde(default)]
    /// When it was created.
    pub date_created: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
/// One trunk setting.
pub struct Setting {
    /// Its name, e.g. `trunk_external_alias`.
    pub name: String,
    #[serde(default)]
    /// Its value.
    pub value: Option<String>,
}

impl crate::client::Keyed for Setting {
    fn key(&self) -> &str {
        &self.name
    }
}

/// SIP credentials. The contract's GET returns `{username, password}`; the
/// digest-credentials listing returns `user_name` and never a password. The
/// username (the trunk SID) may come as a number. Decode with
/// the client's secret-safe decoder.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Credentials {
    #[serde(default, alias = "user_name", deserialize_with = "opt_id_string")]
    /// The SIP username.
    pub username: Option<String>,
    #[serde(default)]
    /// The SIP password (never in listings).
    pub password: Option<Secret>,
}

impl super::client::Keyed for PhoneNumber {
    fn key(&self) -> &str {
        &self.id
    }
}
impl super::client::Keyed for WhitelistedIp {
    fn key(&self) -> &str {
        &self.id
    }
}
impl super::client::Keyed for Credential {
    fn key(&self) -> &str {
        &self.id
    }
}
impl super::client::Keyed for Destination {
    fn key(&self) -> &str {
        &self.id
    }
}
