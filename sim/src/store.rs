//! The simulator's in-memory account and its routing.
//!
//! Every sub-collection of a trunk is declared once, in [`COLLECTIONS`]: its
//! path segment, its key (`?id=` or `?name=`), the fields it shows and in
//! which modes, the routes each mode serves, and how a POST item is checked
//! and stored. The router, the listings, the dump and the seed read that
//! table; no other code names a collection. (The contract's credentials
//! answer, one object rather than a collection, is the one special route.)

use axum::http::Method;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Full,
    Contract,
    FieldNotes,
}

pub enum Outcome {
    /// The route does not exist in this mode (plain-text 404).
    NoRoute,
    Error {
        http: u16,
        code: u16,
        message: String,
        description: String,
    },
    /// HTTP 200 whose envelope says 409 (field-notes duplicates).
    InEnvelopeError {
        code: u16,
        message: String,
        description: String,
    },
    Ok {
        http: u16,
        response: Value,
        metadata: Option<Value>,
        created: bool,
    },
}

fn err(http: u16, code: u16, message: &str, description: impl Into<String>) -> Outcome {
    Outcome::Error { http, code, message: message.into(), description: description.into() }
}

/// Which modes serve a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Serves {
    /// Every mode (the contract has it).
    Contract,
    /// `full` and `field-notes` (a later endpoint of the field notes).
    Extended,
    /// Only with `--digest-credentials` (the digest-credentials API).
    Digest,
    /// No mode.
    Never,
}

/// How the items of a collection are named in `DELETE` and `PUT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// A numeric id: `DELETE ?id=<id>`, `PUT /<id>`.
    Id,
    /// The `name` field: `DELETE ?name=<name>`; a POST of an existing name
    /// changes its value.
    Name,
}

/// One field an item shows.
struct Field {
    name: &'static str,
    /// Shown only by the extended modes (the contract's records lack it).
    extended: bool,
    /// Its value in a seed that leaves it out (JSON).
    default: &'static str,
}

const fn field(name: &'static str) -> Field {
    Field { name, extended: false, default: "null" }
}

const fn extended(name: &'static str, default: &'static str) -> Field {
    Field { name, extended: true, default }
}

/// What a POST item becomes: its fields, and its unique key (a second POST
/// with the same key is a conflict).
type Checked = Result<(Map<String, Value>, String), Outcome>;

/// One sub-collection of a trunk, declared once.
struct Collection {
    /// `/trunks/<sid>/<segment>`.
    segment: &'static str,
    /// Its name in the state dump and seed.
    dump: &'static str,
    key: Key,
    /// The fields an item shows, besides `id`, `trunk_sid` and `date_created`.
    fields: &'static [Field],
    get: Serves,
    post: Serves,
    put: Serves,
    delete: Serves,
    /// The POST body holds a list under this name (answered with one
    /// envelope per item), else the body is the item.
    batch: Option<&'static str>,
    /// Listings in pages (per mode), else one array.
    paginated: bool,
    /// The unique key is unique in the account, not only in the trunk.
    unique_in_account: bool,
    /// Checks one POST item.
    check: fn(&Value, Mode) -> Checked,
    /// Applies a PUT body to an item's fields.
    change: fn(&mut Map<String, Value>, &Value) -> Result<(), Outcome>,
}

fn no_change(_: &mut Map<String, Value>, _: &Value) -> Result<(), Outcome> {
    Err(Outcome::NoRoute)
}

fn invalid(description: impl Into<String>) -> Outcome {
    err(400, 1001, "Invalid parameter", description)
}

fn missing(name: &str) -> Outcome {
    err(400, 1000, "Invalid request", format!("Missing required field: {name}"))
}

fn check_phone(b: &Value, mode: Mode) -> Checked {
    let num = b.get("phone_number").and_then(Value::as_str).ok_or_else(|| missing("phone_number"))?;
    if !valid_e164(num) {
        return Err(invalid("phone_number must be E.164"));
    }
    let m = b.get("mode").and_then(Value::as_str).filter(|m| *m != "pstn");
    if m.is_some_and(|m| m != "flow") {
        return Err(invalid("mode must be pstn or flow"));
    }
    let m = if mode == Mode::Contract { None } else { m };
    let fields = json!({"phone_number": num, "mode": m}).as_object().cloned().unwrap_or_default();
    Ok((fields, format!("phone number {num}")))
}

fn change_phone(f: &mut Map<String, Value>, b: &Value) -> Result<(), Outcome> {
    let mode = b.get("mode").and_then(Value::as_str);
    if mode.is_some_and(|m| m != "pstn" && m != "flow") {
        return Err(invalid("mode must be pstn or flow"));
    }
    f.insert("mode".into(), json!(mode.filter(|m| *m != "pstn")));
    Ok(())
}

fn check_ip(b: &Value, _: Mode) -> Checked {
    let ip = b.get("ip").and_then(Value::as_str).ok_or_else(|| missing("ip"))?;
    let mask = b.get("mask").and_then(|m| m.as_i64().or_else(|| m.as_str().and_then(|s| s.parse().ok())));
    let mask = mask.ok_or_else(|| missing("mask"))?;
    let addr: std::net::Ipv4Addr = ip.parse().map_err(|_| invalid("ip must be an IPv4 address"))?;
    if !(16..=32).contains(&mask) {
        return Err(err(422, 1020, "Validation error", "mask must be between 16 and 32"));
    }
    // The API stores the network address.
    let net = std::net::Ipv4Addr::from(u32::from(addr) & (u32::MAX << (32 - mask))).to_string();
    let fields = json!({"ip": net, "mask": mask}).as_object().cloned().unwrap_or_default();
    Ok((fields, format!("whitelisted ip {net}/{mask}")))
}

fn check_destination(b: &Value, _: Mode) -> Checked {
    let dest = b.get("destination").and_then(Value::as_str).ok_or_else(|| missing("destination"))?;
    let bare = dest.strip_prefix("sip:").unwrap_or(dest);
    let valid = bare.split_once(";transport=").is_some_and(|(hp, tr)| {
        matches!(tr, "tls" | "tcp" | "udp")
            && hp.rsplit_once(':').is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok_and(|p| p > 0))
    });
    if !valid {
        return Err(invalid(format!("invalid destination {dest}")));
    }
    let uri = format!("sip:{bare}");
    let fields = json!({"destination": uri, "priority": 0, "weight": 1}).as_object().cloned().unwrap_or_default();
    Ok((fields, format!("destination {uri}")))
}

fn change_destination(f: &mut Map<String, Value>, b: &Value) -> Result<(), Outcome> {
    for k in ["priority", "weight"] {
        if let Some(v) = b.get(k).and_then(Value::as_i64) {
            f.insert(k.into(), json!(v));
        }
    }
    Ok(())
}

fn check_setting(b: &Value, _: Mode) -> Checked {
    let (Some(name), Some(value)) = (b.get("name").and_then(Value::as_str), b.get("value").and_then(Value::as_str))
    else {
        return Err(err(400, 1000, "Invalid request", "settings need name and value"));
    };
    if name != "trunk_external_alias" {
        return Err(invalid(format!("unknown setting {name}")));
    }
    let fields = json!({"name": name, "value": value}).as_object().cloned().unwrap_or_default();
    Ok((fields, name.to_string()))
}

fn check_credential(b: &Value, _: Mode) -> Checked {
    let user = b.get("user_name").and_then(Value::as_str).filter(|u| !u.is_empty());
    let user = user.ok_or_else(|| missing("user_name"))?;
    let pw = b.get("password").and_then(Value::as_str).filter(|p| !p.is_empty());
    let pw = pw.ok_or_else(|| missing("password"))?;
    let friendly = friendly_name(b)?;
    // The password is stored but is no field the item shows.
    let fields = json!({"user_name": user, "friendly_name": friendly, "password": pw});
    Ok((fields.as_object().cloned().unwrap_or_default(), user.to_string()))
}

/// `friendly_name`: at most 32 characters; null or empty clears it.
fn friendly_name(b: &Value) -> Result<Value, Outcome> {
    match b.get("friendly_name") {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(f)) if f.is_empty() => Ok(Value::Null),
        Some(Value::String(f)) if f.chars().count() <= 32 => Ok(json!(f)),
        Some(_) => Err(invalid("friendly_name must be a string of at most 32 characters")),
    }
}

fn change_credential(f: &mut Map<String, Value>, b: &Value) -> Result<(), Outcome> {
    for k in ["user_name", "password"] {
        match b.get(k) {
            None => {}
            Some(Value::String(v)) if !v.is_empty() => {
                f.insert(k.into(), json!(v));
            }
            Some(_) => return Err(invalid(format!("{k} must be a non-empty string"))),
        }
    }
    if b.get("friendly_name").is_some() {
        f.insert("friendly_name".into(), friendly_name(b)?);
    }
    Ok(())
}

/// Every sub-collection of a trunk.
const COLLECTIONS: &[Collection] = &[
    Collection {
        segment: "phone-numbers",
        dump: "phone_numbers",
        key: Key::Id,
        fields: &[field("phone_number"), extended("mode", "null"), extended("date_updated", "null")],
        get: Serves::Contract,
        post: Serves::Contract,
        put: Serves::Extended,
        delete: Serves::Extended,
        batch: None,
        paginated: true,
        unique_in_account: true,
        check: check_phone,
        change: change_phone,
    },
    Collection {
        segment: "whitelisted-ips",
        dump: "whitelisted_ips",
        key: Key::Id,
        fields: &[field("ip"), Field { name: "mask", extended: false, default: "32" }],
        get: Serves::Contract,
        post: Serves::Contract,
        put: Serves::Never,
        delete: Serves::Extended,
        batch: None,
        paginated: true,
        unique_in_account: false,
        check: check_ip,
        change: no_change,
    },
    Collection {
        segment: "destination-uris",
        dump: "destinations",
        key: Key::Id,
        fields: &[field("destination"), extended("priority", "0"), extended("weight", "1")],
        get: Serves::Contract,
        post: Serves::Contract,
        put: Serves::Extended,
        delete: Serves::Extended,
        batch: Some("destinations"),
        paginated: true,
        unique_in_account: false,
        check: check_destination,
        change: change_destination,
    },
    Collection {
        segment: "settings",
        dump: "settings",
        key: Key::Name,
        fields: &[field("name"), field("value")],
        get: Serves::Extended,
        post: Serves::Contract,
        put: Serves::Never,
        delete: Serves::Extended,
        batch: Some("settings"),
        paginated: false,
        unique_in_account: false,
        check: check_setting,
        change: no_change,
    },
    Collection {
        segment: "credentials",
        dump: "credentials",
        key: Key::Id,
        fields: &[field("user_name"), field("friendly_name"), field("date_updated")],
        get: Serves::Digest,
        post: Serves::Digest,
        put: Serves::Digest,
        delete: Serves::Digest,
        batch: None,
        paginated: true,
        unique_in_account: false,
        check: check_credential,
        change: change_credential,
    },
];

fn collection(segment: &str) -> Option<(usize, &'static Collection)> {
    COLLECTIONS.iter().enumerate().find(|(_, c)| c.segment == segment)
}

/// One item of a collection.
struct Item {
    id: u64,
    /// Its unique key (see [`Collection::check`]).
    key: String,
    fields: Map<String, Value>,
    created: String,
}

struct Trunk {
    sid: String,
    name: String,
    nso: String,
    domain: String,
    created: String,
    updated: String,
    password: String,
    /// One list per entry of [`COLLECTIONS`].
    items: Vec<Vec<Item>>,
}

impl Trunk {
    fn new(sid: String, name: String, nso: String, domain: String, created: String, updated: String) -> Trunk {
        Trunk {
            sid,
            name,
            nso,
            domain,
            created,
            updated,
            password: format!("sip-pw-{:016x}", fastrand::u64(..)),
            items: COLLECTIONS.iter().map(|_| vec![]).collect(),
        }
    }
}

pub struct Store {
    mode: Mode,
    account_sid: String,
    digest: bool,
    next: u64,
    trunks: Vec<Trunk>,
}

fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn ok_one(data: Value) -> Outcome {
    Outcome::Ok {
        http: 200,
        response: json!({"status": "success", "code": 200, "data": data}),
        metadata: None,
        created: false,
    }
}

fn created_one(data: Value) -> Outcome {
    Outcome::Ok {
        http: 200,
        response: json!({"status": "success", "code": 200, "data": data}),
        metadata: None,
        created: true,
    }
}

fn str_field<'a>(body: Option<&'a Value>, name: &str) -> Option<&'a str> {
    body.and_then(|b| b.get(name)).and_then(|v| v.as_str())
}

fn valid_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 16 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn valid_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| (8..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()))
}

/// An error answer as one item of a batch answer.
fn item_failure(o: &Outcome) -> Value {
    match o {
        Outcome::Error { http, code, message, description } => {
            json!({"status": "failure", "code": http, "error_data": {"code": code, "message": message, "description": description}})
        }
        Outcome::InEnvelopeError { code, message, description } => {
            json!({"status": "failure", "code": 409, "error_data": {"code": code, "message": message, "description": description}})
        }
        _ => {
            json!({"status": "failure", "code": 500, "error_data": {"code": 1000, "message": "Internal error", "description": ""}})
        }
    }
}

impl Store {
    pub fn new(mode: Mode, account_sid: String, digest: bool) -> Self {
        Store { mode, account_sid, digest, next: 41500, trunks: vec![] }
    }

    fn next_id(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    fn id(&self, n: u64) -> Value {
        if self.mode == Mode::FieldNotes { json!(n) } else { json!(n.to_string()) }
    }

    fn not_found(&self, what: &str) -> Outcome {
        let code = if self.mode == Mode::FieldNotes { 1000 } else { 1003 };
        err(404, code, "Resource not found", format!("{what} does not exist"))
    }

    fn conflict(&self, what: &str) -> Outcome {
        if self.mode == Mode::FieldNotes {
            Outcome::InEnvelopeError {
                code: 1008,
                message: "Duplicate resource".into(),
                description: format!("{what} already exists"),
            }
        } else {
            err(409, 1002, "Resource exists", format!("{what} already exists"))
        }
    }

    fn extended(&self) -> bool {
        self.mode != Mode::Contract
    }

    fn serves(&self, s: Serves) -> bool {
        match s {
            Serves::Contract => true,
            Serves::Extended => self.extended(),
            Serves::Digest => self.digest,
            Serves::Never => false,
        }
    }

    fn page_size(&self) -> Option<usize> {
        match self.mode {
            Mode::Contract => None,
            Mode::Full => Some(50),
            Mode::FieldNotes => Some(2),
        }
    }

    /// A list answer, paginated per mode.
    fn list(&self, items: Vec<Value>, base: &str, query: &[(String, String)]) -> Outcome {
        let offset: usize = query.iter().find(|(k, _)| k == "offset").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
        let Some(size) = self.page_size() else {
            return ok_one(Value::Array(items));
        };
        let total = items.len();
        let page: Vec<Value> = items.into_iter().skip(offset).take(size).collect();
        let next = if offset + size < total {
            let mut q: Vec<(String, String)> = query.iter().filter(|(k, _)| k != "offset").cloned().collect();
            q.push(("offset".into(), (offset + size).to_string()));
            let qs = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(q).finish();
            json!(format!("/v2/accounts/{}{}?{}", self.account_sid, base, qs))
        } else {
            Value::Null
        };
        let metadata = json!({"page_size": size, "offset": offset, "next_page_uri": next});
        let response = if self.mode == Mode::FieldNotes {
            Value::Array(page.into_iter().map(|d| json!({"status": "success", "code": 200, "data": d})).collect())
        } else {
            json!({"status": "success", "code": 200, "data": page})
        };
        Outcome::Ok { http: 200, response, metadata: Some(metadata), created: false }
    }

    fn trunk_json(&self, t: &Trunk) -> Value {
        let mut j = json!({
            "trunk_sid": t.sid, "trunk_name": t.name, "nso_code": t.nso, "domain_name": t.domain,
            "date_created": t.created, "date_updated": t.updated,
        });
        if self.extended() {
            j["status"] = json!("active");
            j["auth_type"] = json!("ip-whitelist");
            j["registration_enabled"] = json!(false);
            j["phone_numbers_uri"] = json!(format!("/v2/accounts/{}/trunks/{}/phone-numbers", self.account_sid, t.sid));
        }
        j
    }

    /// An item as this mode shows it.
    fn item_json(&self, c: &Collection, sid: &str, i: &Item) -> Value {
        let mut j = Map::new();
        if c.key == Key::Id {
            j.insert("id".into(), self.id(i.id));
        }
        for f in c.fields.iter().filter(|f| !f.extended || self.extended()) {
            let v = i.fields.get(f.name).cloned().unwrap_or(Value::Null);
            j.insert(f.name.into(), if f.name == "date_updated" && v.is_null() { json!(i.created) } else { v });
        }
        j.insert("trunk_sid".into(), json!(sid));
        j.insert("date_created".into(), json!(i.created));
        Value::Object(j)
    }

    /// Restores the contents of a [`Store::dump`] (ids as strings or numbers).
    pub fn load(&mut self, dump: &Value) -> Result<(), String> {
        let s = |v: &Value, k: &str| v[k].as_str().map(str::to_owned).ok_or(format!("missing {k} in {v}"));
        let id = |v: &Value| -> Result<u64, String> {
            match &v["id"] {
                Value::Number(n) => n.as_u64().ok_or("bad id".to_string()),
                Value::String(x) => x.parse().map_err(|_| format!("bad id {x}")),
                _ => Err(format!("missing id in {v}")),
            }
        };
        for t in dump["trunks"].as_array().ok_or("no trunks array")? {
            let mut trunk = Trunk::new(
                s(t, "trunk_sid")?,
                s(t, "trunk_name")?,
                s(t, "nso_code")?,
                s(t, "domain_name")?,
                s(t, "date_created")?,
                s(t, "date_updated")?,
            );
            for (ci, c) in COLLECTIONS.iter().enumerate() {
                // Name-keyed collections are dumped as a `name: value` object.
                let records: Vec<Value> = match c.key {
                    Key::Id => t[c.dump].as_array().cloned().unwrap_or_default(),
                    Key::Name => t[c.dump]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(n, v)| json!({"name": n, "value": v.as_str().unwrap_or(""), "date_created": trunk.created}))
                        .collect(),
                };
                for r in records {
                    let mut fields = Map::new();
                    for f in c.fields {
                        let v = r.get(f.name).cloned().filter(|v| !v.is_null());
                        fields.insert(
                            f.name.into(),
                            v.unwrap_or_else(|| serde_json::from_str(f.default).unwrap_or(Value::Null)),
                        );
                    }
                    let item_id = if c.key == Key::Id { id(&r)? } else { 0 };
                    let key = match c.key {
                        Key::Name => s(&r, "name")?,
                        Key::Id => (c.check)(&r, Mode::Full).map(|(_, k)| k).unwrap_or_else(|_| item_id.to_string()),
                    };
                    self.next = self.next.max(item_id);
                    trunk.items[ci].push(Item { id: item_id, key, fields, created: s(&r, "date_created")? });
                }
            }
            self.trunks.push(trunk);
        }
        Ok(())
    }

    pub fn dump(&self) -> Value {
        let trunks: Vec<Value> = self
            .trunks
            .iter()
            .map(|t| {
                let mut j = self.trunk_json(t);
                for (c, items) in COLLECTIONS.iter().zip(&t.items) {
                    j[c.dump] = match c.key {
                        Key::Id => Value::Array(items.iter().map(|i| self.item_json(c, &t.sid, i)).collect()),
                        Key::Name => items
                            .iter()
                            .map(|i| (i.key.clone(), i.fields.get("value").cloned().unwrap_or(Value::Null)))
                            .collect::<Map<_, _>>()
                            .into(),
                    };
                }
                j
            })
            .collect();
        json!({"trunks": trunks})
    }

    pub fn route(
        &mut self,
        method: &Method,
        segs: &[&str],
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Outcome {
        let q = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        match (method.as_str(), segs) {
            ("POST", ["trunks"]) => self.create_trunk(body),
            ("GET", ["trunks"]) if self.extended() => {
                let filter = q("trunk_sid");
                let items: Vec<Value> = self
                    .trunks
                    .iter()
                    .filter(|t| filter.as_ref().is_none_or(|f| *f == t.sid))
                    .map(|t| self.trunk_json(t))
                    .collect();
                self.list(items, "/trunks", query)
            }
            ("DELETE", ["trunks"]) => {
                let Some(sid) = q("trunk_sid") else {
                    return err(400, 1000, "Invalid request", "Missing required field: trunk_sid");
                };
                let before = self.trunks.len();
                self.trunks.retain(|t| t.sid != sid);
                if self.trunks.len() == before {
                    return self.not_found(&format!("trunk {sid}"));
                }
                ok_one(Value::Null)
            }
            ("PUT", ["trunks", sid]) if self.extended() => {
                let sid = sid.to_string();
                let name = str_field(body, "trunk_name").map(str::to_owned);
                let nso = str_field(body, "nso_code").map(str::to_owned);
                if name.as_deref().is_some_and(|n| !valid_name(n)) {
                    return err(400, 1001, "Invalid parameter", "trunk_name must be 1-16 of [A-Za-z0-9_]");
                }
                let Some(t) = self.trunks.iter_mut().find(|t| t.sid == sid) else {
                    return self.not_found(&format!("trunk {sid}"));
                };
                if let Some(n) = name {
                    t.name = n;
                }
                if let Some(n) = nso {
                    t.nso = n;
                }
                t.updated = now();
                let j = self.trunk_json(self.trunks.iter().find(|t| t.sid == sid).expect("present"));
                ok_one(j)
            }
            ("GET", ["trunks", sid, "credentials"]) if !self.digest => self.credentials(sid),
            (_, ["trunks", sid, segment]) => match collection(segment) {
                Some((ci, c)) => self.collection(method, sid, ci, c, query, body),
                None => Outcome::NoRoute,
            },
            ("PUT", ["trunks", sid, segment, id]) => match collection(segment) {
                Some((ci, c)) if self.serves(c.put) => self.put_item(sid, ci, c, id, body),
                _ => Outcome::NoRoute,
            },
            _ => Outcome::NoRoute,
        }
    }

    fn create_trunk(&mut self, body: Option<&Value>) -> Outcome {
        let (Some(name), Some(nso), Some(domain)) =
            (str_field(body, "trunk_name"), str_field(body, "nso_code"), str_field(body, "domain_name"))
        else {
            return err(
                400,
                1000,
                "Invalid request",
                "Missing required field: trunk_name, nso_code and domain_name are mandatory",
            );
        };
        if !valid_name(name) {
            return err(400, 1001, "Invalid parameter", "trunk_name must be at most 16 characters of [A-Za-z0-9_]");
        }
        if self.trunks.iter().any(|t| t.name == name) {
            return self.conflict(&format!("trunk {name}"));
        }
        let n = self.next_id();
        let t = Trunk::new(
            format!("trk{n}{:04x}", fastrand::u16(..)),
            name.into(),
            nso.into(),
            domain.into(),
            now(),
            now(),
        );
        let j = self.trunk_json(&t);
        self.trunks.push(t);
        created_one(j)
    }

    /// The contract's credentials answer (`{username, password}`).
    fn credentials(&self, sid: &str) -> Outcome {
        let Some(t) = self.trunks.iter().find(|t| t.sid == sid) else {
            return self.not_found(&format!("trunk {sid}"));
        };
        ok_one(json!({"username": t.sid, "password": t.password}))
    }

    /// Whether digest credential `id` of trunk `sid` holds `password`;
    /// `None` when there is no such credential.
    pub fn credential_password_is(&self, sid: &str, id: &str, password: &str) -> Option<bool> {
        let (ci, _) = collection("credentials")?;
        let t = self.trunks.iter().find(|t| t.sid == sid)?;
        let item = t.items[ci].iter().find(|i| i.id.to_string() == id)?;
        Some(item.fields.get("password").and_then(Value::as_str) == Some(password))
    }

    fn collection(
        &mut self,
        method: &Method,
        sid: &str,
        ci: usize,
        c: &'static Collection,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Outcome {
        let route = match method.as_str() {
            "GET" => c.get,
            "POST" => c.post,
            "DELETE" => c.delete,
            _ => Serves::Never,
        };
        if !self.serves(route) {
            return Outcome::NoRoute;
        }
        let Some(ti) = self.trunks.iter().position(|t| t.sid == sid) else {
            return self.not_found(&format!("trunk {sid}"));
        };
        let sid = sid.to_string();
        let q = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        match method.as_str() {
            "GET" => {
                let items = self.trunks[ti].items[ci].iter().map(|i| self.item_json(c, &sid, i)).collect();
                if c.paginated {
                    self.list(items, &format!("/trunks/{sid}/{}", c.segment), query)
                } else {
                    ok_one(Value::Array(items))
                }
            }
            "POST" => match c.batch {
                None => match self.add(ti, ci, c, body.unwrap_or(&Value::Null)) {
                    Ok(j) => created_one(j),
                    Err(o) => o,
                },
                Some(list_name) => {
                    let Some(list) = body.and_then(|b| b.get(list_name)).and_then(|d| d.as_array()) else {
                        return missing(list_name);
                    };
                    let results: Vec<Result<Value, Outcome>> = list.iter().map(|e| self.add(ti, ci, c, e)).collect();
                    let failed = results.iter().filter(|r| r.is_err()).count();
                    let total = results.len();
                    // One item that failed: the plain error answer.
                    if failed == 1 && total == 1 {
                        return results.into_iter().next().and_then(Result::err).unwrap_or(Outcome::NoRoute);
                    }
                    let items: Vec<Value> = results
                        .iter()
                        .map(|r| match r {
                            Ok(j) => json!({"status": "success", "code": 200, "data": j}),
                            Err(o) => item_failure(o),
                        })
                        .collect();
                    let http = if failed > 0 { 207 } else { 200 };
                    let metadata =
                        (failed > 0).then(|| json!({"total": total, "success": total - failed, "failed": failed}));
                    // A name-keyed POST sets values; it creates nothing.
                    Outcome::Ok {
                        http,
                        response: Value::Array(items),
                        metadata,
                        created: c.key == Key::Id && failed < total,
                    }
                }
            },
            "DELETE" => {
                let t = &mut self.trunks[ti];
                let before = t.items[ci].len();
                let what = match c.key {
                    Key::Id => {
                        let Some(id) = q("id").and_then(|v| v.parse::<u64>().ok()) else { return missing("id") };
                        t.items[ci].retain(|i| i.id != id);
                        format!("{} id {id}", c.segment)
                    }
                    Key::Name => {
                        let Some(name) = q("name") else { return missing("name") };
                        t.items[ci].retain(|i| i.key != name);
                        format!("setting {name}")
                    }
                };
                if t.items[ci].len() == before { self.not_found(&what) } else { ok_one(Value::Null) }
            }
            _ => Outcome::NoRoute,
        }
    }

    /// Checks and stores one POST item; its JSON, or the error answer.
    fn add(&mut self, ti: usize, ci: usize, c: &Collection, item: &Value) -> Result<Value, Outcome> {
        let (fields, key) = (c.check)(item, self.mode)?;
        if c.key == Key::Name {
            let created = now();
            let t = &mut self.trunks[ti];
            match t.items[ci].iter_mut().find(|i| i.key == key) {
                Some(i) => i.fields = fields,
                None => t.items[ci].push(Item { id: 0, key: key.clone(), fields, created }),
            }
            let sid = self.trunks[ti].sid.clone();
            let i = self.trunks[ti].items[ci].iter().find(|i| i.key == key).expect("present");
            return Ok(self.item_json(c, &sid, i));
        }
        let scope: Vec<&Trunk> =
            if c.unique_in_account { self.trunks.iter().collect() } else { vec![&self.trunks[ti]] };
        if scope.iter().any(|t| t.items[ci].iter().any(|i| i.key == key)) {
            return Err(self.conflict(&key));
        }
        let id = self.next_id();
        let item = Item { id, key, fields, created: now() };
        let sid = self.trunks[ti].sid.clone();
        let j = self.item_json(c, &sid, &item);
        self.trunks[ti].items[ci].push(item);
        Ok(j)
    }

    fn put_item(&mut self, sid: &str, ci: usize, c: &Collection, id: &str, body: Option<&Value>) -> Outcome {
        let Some(ti) = self.trunks.iter().position(|t| t.sid == sid) else {
            return self.not_found(&format!("trunk {sid}"));
        };
        let Ok(id) = id.parse::<u64>() else { return self.not_found(&format!("{} id {id}", c.segment)) };
        let Some(item) = self.trunks[ti].items[ci].iter_mut().find(|i| i.id == id) else {
            return self.not_found(&format!("{} id {id}", c.segment));
        };
        let mut fields = item.fields.clone();
        if let Err(o) = (c.change)(&mut fields, body.unwrap_or(&Value::Null)) {
            return o;
        }
        // The unique key follows the fields: a change onto another item's key
        // is a conflict, and changes nothing.
        if let Ok((_, key)) = (c.check)(&Value::Object(fields.clone()), self.mode) {
            if self.trunks[ti].items[ci].iter().any(|i| i.id != id && i.key == key) {
                return self.conflict(&key);
            }
            let item = self.trunks[ti].items[ci].iter_mut().find(|i| i.id == id).expect("present");
            item.key = key;
        }
        let item = self.trunks[ti].items[ci].iter_mut().find(|i| i.id == id).expect("present");
        item.fields = fields;
        item.fields.insert("date_updated".into(), json!(now()));
        let sid = sid.to_string();
        let item = self.trunks[ti].items[ci].iter().find(|i| i.id == id).expect("present");
        ok_one(self.item_json(c, &sid, item))
    }
}
