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
        Id::F(f) => f.to_string(),
    })
}

fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "id_string")] String);
    Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
}

/// Deserializes an optional integer given as a number or numeric string.
fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        I(i64),
        F(f64),
        S(String),
    }
    match Option::<N>::deserialize(d)? {
        None => Ok(None),
        Some(N::I(i)) => Ok(Some(i)),
        Some(N::F(f)) if f.fract() == 0.0 => Ok(Some(f as i64)),
        Some(N::F(f)) => Err(serde::de::Error::custom(format!("{f} is not a whole number"))),
        Some(N::S(s)) => s.trim().parse().map(Some).map_err(serde::de::Error::custom),
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Trunk {
    #[serde(deserialize_with = "id_string")]
    pub trunk_sid: String,
    #[serde(default)]
    pub trunk_name: Option<String>,
    #[serde(default)]
    pub domain_name: Option<String>,
    #[serde(default)]
    pub nso_code: Option<String>,
    #[serde(default)]
    pub date_created: Option<String>,
    #[serde(default)]
    pub date_updated: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct PhoneNumber {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    pub phone_number: String,
    #[serde(default, deserialize_with = "opt_id_string")]
    pub trunk_sid: Option<String>,
    #[serde(default)]
    pub date_created: Option<String>,
    /// `pstn` (null when unset) or `flow`.
    #[serde(default)]
    pub mode: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct WhitelistedIp {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    pub ip: String,
    #[serde(default, deserialize_with = "opt_int")]
    pub mask: Option<i64>,
    #[serde(default)]
    pub date_created: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Destination {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    pub destination: String,
    #[serde(default)]
    pub date_created: Option<String>,
    #[serde(default, deserialize_with = "opt_int")]
    pub priority: Option<i64>,
    #[serde(default, deserialize_with = "opt_int")]
    pub weight: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Setting {
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
}

/// SIP credentials. The contract's GET returns `{username, password}`; the
/// digest-credentials listing returns `user_name` and never a password.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Credentials {
    #[serde(default, alias = "user_name")]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<Secret>,
}
