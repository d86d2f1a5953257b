//! The simulator's in-memory account and its routing.

use axum::http::Method;
use serde_json::{Value, json};

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

struct Phone {
    id: u64,
    number: String,
    created: String,
    updated: String,
    mode: Option<String>,
}
struct Ip {
    id: u64,
    ip: String,
    mask: i64,
    created: String,
}
struct Dest {
    id: u64,
    uri: String,
    created: String,
    priority: i64,
    weight: i64,
}
struct Setting {
    name: String,
    value: String,
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
    phones: Vec<Phone>,
    ips: Vec<Ip>,
    dests: Vec<Dest>,
    settings: Vec<Setting>,
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

    fn phone_json(&self, sid: &str, p: &Phone) -> Value {
        let mut j = json!({"id": self.id(p.id), "phone_number": p.number, "trunk_sid": sid, "date_created": p.created});
        if self.extended() {
            j["mode"] = json!(p.mode);
            j["date_updated"] = json!(p.updated);
        }
        j
    }

    fn ip_json(&self, sid: &str, i: &Ip) -> Value {
        json!({"id": self.id(i.id), "ip": i.ip, "mask": i.mask, "trunk_sid": sid, "date_created": i.created})
    }

    fn dest_json(&self, sid: &str, d: &Dest) -> Value {
        let mut j = json!({"id": self.id(d.id), "destination": d.uri, "trunk_sid": sid, "date_created": d.created});
        if self.extended() {
            j["priority"] = json!(d.priority);
            j["weight"] = json!(d.weight);
        }
        j
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
            let mut trunk = Trunk {
                sid: s(t, "trunk_sid")?,
                name: s(t, "trunk_name")?,
                nso: s(t, "nso_code")?,
                domain: s(t, "domain_name")?,
                created: s(t, "date_created")?,
                updated: s(t, "date_updated")?,
                password: format!("sip-pw-{:016x}", fastrand::u64(..)),
                phones: vec![],
                ips: vec![],
                dests: vec![],
                settings: vec![],
            };
            for p in t["phone_numbers"].as_array().into_iter().flatten() {
                trunk.phones.push(Phone {
                    id: id(p)?,
                    number: s(p, "phone_number")?,
                    created: s(p, "date_created")?,
                    updated: s(p, "date_created")?,
                    mode: p["mode"].as_str().map(str::to_owned),
                });
            }
            for i in t["whitelisted_ips"].as_array().into_iter().flatten() {
                trunk.ips.push(Ip {
                    id: id(i)?,
                    ip: s(i, "ip")?,
                    mask: i["mask"].as_i64().unwrap_or(32),
                    created: s(i, "date_created")?,
                });
            }
            for d in t["destinations"].as_array().into_iter().flatten() {
                trunk.dests.push(Dest {
                    id: id(d)?,
                    uri: s(d, "destination")?,
                    created: s(d, "date_created")?,
                    priority: d["priority"].as_i64().unwrap_or(0),
                    weight: d["weight"].as_i64().unwrap_or(1),
                });
            }
            for (name, value) in t["settings"].as_object().into_iter().flatten() {
                trunk.settings.push(Setting {
                    name: name.clone(),
                    value: value.as_str().unwrap_or("").into(),
                    created: trunk.created.clone(),
                });
            }
            let max_id = trunk
                .phones
                .iter()
                .map(|p| p.id)
                .chain(trunk.ips.iter().map(|i| i.id))
                .chain(trunk.dests.iter().map(|d| d.id))
                .max()
                .unwrap_or(0);
            self.next = self.next.max(max_id);
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
                j["phone_numbers"] = Value::Array(t.phones.iter().map(|p| self.phone_json(&t.sid, p)).collect());
                j["whitelisted_ips"] = Value::Array(t.ips.iter().map(|i| self.ip_json(&t.sid, i)).collect());
                j["destinations"] = Value::Array(t.dests.iter().map(|d| self.dest_json(&t.sid, d)).collect());
                j["settings"] = t
                    .settings
                    .iter()
                    .map(|s| (s.name.clone(), json!(s.value)))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
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
            (_, ["trunks", sid, coll]) => self.collection(method, sid, coll, query, body),
            ("PUT", ["trunks", sid, coll, id]) if self.extended() => self.put_item(sid, coll, id, body),
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
        let t = Trunk {
            sid: format!("trk{n}{:04x}", fastrand::u16(..)),
            name: name.into(),
            nso: nso.into(),
            domain: domain.into(),
            created: now(),
            updated: now(),
            password: format!("sip-pw-{:016x}", fastrand::u64(..)),
            phones: vec![],
            ips: vec![],
            dests: vec![],
            settings: vec![],
        };
        let j = self.trunk_json(&t);
        self.trunks.push(t);
        created_one(j)
    }

    fn collection(
        &mut self,
        method: &Method,
        sid: &str,
        coll: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Outcome {
        let known =
            matches!(coll, "phone-numbers" | "whitelisted-ips" | "destination-uris" | "settings" | "credentials");
        if !known {
            return Outcome::NoRoute;
        }
        let contract_route = matches!(
            (method.as_str(), coll),
            ("GET" | "POST", "phone-numbers" | "whitelisted-ips" | "destination-uris")
                | ("POST", "settings")
                | ("GET", "credentials")
        );
        let extended_route = matches!(
            (method.as_str(), coll),
            ("DELETE", "phone-numbers" | "whitelisted-ips" | "destination-uris" | "settings") | ("GET", "settings")
        );
        if !(contract_route || (extended_route && self.extended())) {
            return Outcome::NoRoute;
        }
        let Some(ti) = self.trunks.iter().position(|t| t.sid == sid) else {
            return self.not_found(&format!("trunk {sid}"));
        };
        let sid = sid.to_string();
        let base = format!("/trunks/{sid}/{coll}");
        let q = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        match (method.as_str(), coll) {
            ("GET", "phone-numbers") => {
                let items = self.trunks[ti].phones.iter().map(|p| self.phone_json(&sid, p)).collect();
                self.list(items, &base, query)
            }
            ("GET", "whitelisted-ips") => {
                let items = self.trunks[ti].ips.iter().map(|i| self.ip_json(&sid, i)).collect();
                self.list(items, &base, query)
            }
            ("GET", "destination-uris") => {
                let items = self.trunks[ti].dests.iter().map(|d| self.dest_json(&sid, d)).collect();
                self.list(items, &base, query)
            }
            ("GET", "settings") => {
                let items = self.trunks[ti]
                    .settings
                    .iter()
                    .map(|s| json!({"name": s.name, "value": s.value, "trunk_sid": sid, "date_created": s.created}))
                    .collect();
                ok_one(Value::Array(items))
            }
            ("GET", "credentials") => {
                let t = &self.trunks[ti];
                if self.digest {
                    ok_one(
                        json!([{"id": self.id(1), "trunk_sid": sid, "user_name": t.sid, "friendly_name": "default", "date_created": t.created}]),
                    )
                } else {
                    ok_one(json!({"username": t.sid, "password": t.password}))
                }
            }
            ("POST", "phone-numbers") => {
                let Some(num) = str_field(body, "phone_number") else {
                    return err(400, 1000, "Invalid request", "Missing required field: phone_number");
                };
                if !valid_e164(num) {
                    return err(400, 1001, "Invalid parameter", "phone_number must be E.164");
                }
                if self.trunks.iter().any(|t| t.phones.iter().any(|p| p.number == num)) {
                    return self.conflict(&format!("phone number {num}"));
                }
                let mode = str_field(body, "mode").filter(|m| *m != "pstn").map(str::to_owned);
                if mode.as_deref().is_some_and(|m| m != "flow") {
                    return err(400, 1001, "Invalid parameter", "mode must be pstn or flow");
                }
                let id = self.next_id();
                let p = Phone {
                    id,
                    number: num.into(),
                    created: now(),
                    updated: now(),
                    mode: if self.extended() { mode } else { None },
                };
                let j = self.phone_json(&sid, &p);
                self.trunks[ti].phones.push(p);
                created_one(j)
            }
            ("POST", "whitelisted-ips") => {
                let Some(ip) = str_field(body, "ip") else {
                    return err(400, 1000, "Invalid request", "Missing required field: ip");
                };
                let mask = body
                    .and_then(|b| b.get("mask"))
                    .and_then(|m| m.as_i64().or_else(|| m.as_str().and_then(|s| s.parse().ok())));
                let Some(mask) = mask else { return err(400, 1000, "Invalid request", "Missing required field: mask") };
                let Ok(addr) = ip.parse::<std::net::Ipv4Addr>() else {
                    return err(400, 1001, "Invalid parameter", "ip must be an IPv4 address");
                };
                if !(16..=32).contains(&mask) {
                    return err(422, 1020, "Validation error", "mask must be between 16 and 32");
                }
                // The API stores the network address.
                let net = std::net::Ipv4Addr::from(u32::from(addr) & (u32::MAX << (32 - mask))).to_string();
                if self.trunks[ti].ips.iter().any(|i| i.ip == net && i.mask == mask) {
                    return self.conflict(&format!("whitelisted ip {net}/{mask}"));
                }
                let id = self.next_id();
                let i = Ip { id, ip: net, mask, created: now() };
                let j = self.ip_json(&sid, &i);
                self.trunks[ti].ips.push(i);
                created_one(j)
            }
            ("POST", "destination-uris") => {
                let Some(list) = body.and_then(|b| b.get("destinations")).and_then(|d| d.as_array()) else {
                    return err(400, 1000, "Invalid request", "Missing required field: destinations");
                };
                let mut items = vec![];
                let mut failed = 0;
                for d in list {
                    let Some(dest) = d.get("destination").and_then(|v| v.as_str()) else {
                        failed += 1;
                        items.push(json!({"status": "failure", "code": 400, "error_data": {"code": 1000, "message": "Invalid request", "description": "Missing destination"}}));
                        continue;
                    };
                    let bare = dest.strip_prefix("sip:").unwrap_or(dest);
                    let valid = bare.split_once(";transport=").is_some_and(|(hp, tr)| {
                        matches!(tr, "tls" | "tcp" | "udp")
                            && hp
                                .rsplit_once(':')
                                .is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok_and(|p| p > 0))
                    });
                    if !valid {
                        failed += 1;
                        items.push(json!({"status": "failure", "code": 400, "error_data": {"code": 1001, "message": "Invalid parameter", "description": format!("invalid destination {dest}")}}));
                        continue;
                    }
                    let uri = format!("sip:{bare}");
                    if self.trunks[ti].dests.iter().any(|x| x.uri == uri) {
                        failed += 1;
                        items.push(json!({"status": "failure", "code": 409, "error_data": {"code": if self.mode == Mode::FieldNotes { 1008 } else { 1002 }, "message": "Duplicate resource", "description": format!("destination {uri} already exists")}}));
                        continue;
                    }
                    let id = self.next_id();
                    let nd = Dest { id, uri, created: now(), priority: 0, weight: 1 };
                    items.push(json!({"status": "success", "code": 200, "data": self.dest_json(&sid, &nd)}));
                    self.trunks[ti].dests.push(nd);
                }
                let total = items.len();
                if failed == total && total == 1 {
                    let code = items[0]["code"].as_u64().unwrap_or(400) as u16;
                    let e = &items[0]["error_data"];
                    if code == 409 {
                        return self.conflict(e["description"].as_str().unwrap_or("destination"));
                    }
                    return err(
                        code,
                        e["code"].as_u64().unwrap_or(1001) as u16,
                        e["message"].as_str().unwrap_or(""),
                        e["description"].as_str().unwrap_or(""),
                    );
                }
                let http = if failed > 0 { 207 } else { 200 };
                let metadata =
                    (failed > 0).then(|| json!({"total": total, "success": total - failed, "failed": failed}));
                Outcome::Ok { http, response: Value::Array(items), metadata, created: failed < total }
            }
            ("POST", "settings") => {
                let Some(list) = body.and_then(|b| b.get("settings")).and_then(|d| d.as_array()) else {
                    return err(400, 1000, "Invalid request", "Missing required field: settings");
                };
                let mut items = vec![];
                for s in list {
                    let (Some(name), Some(value)) =
                        (s.get("name").and_then(|v| v.as_str()), s.get("value").and_then(|v| v.as_str()))
                    else {
                        return err(400, 1000, "Invalid request", "settings need name and value");
                    };
                    if name != "trunk_external_alias" {
                        return err(400, 1001, "Invalid parameter", format!("unknown setting {name}"));
                    }
                    let t = &mut self.trunks[ti];
                    let created = now();
                    match t.settings.iter_mut().find(|x| x.name == name) {
                        Some(x) => x.value = value.into(),
                        None => t.settings.push(Setting {
                            name: name.into(),
                            value: value.into(),
                            created: created.clone(),
                        }),
                    }
                    items.push(json!({"status": "success", "code": 200, "data": {"name": name, "value": value, "trunk_sid": sid, "date_created": created}}));
                }
                Outcome::Ok { http: 200, response: Value::Array(items), metadata: None, created: false }
            }
            ("DELETE", "settings") => {
                let Some(name) = q("name") else {
                    return err(400, 1000, "Invalid request", "Missing required field: name");
                };
                let t = &mut self.trunks[ti];
                let before = t.settings.len();
                t.settings.retain(|s| s.name != name);
                if t.settings.len() == before {
                    return self.not_found(&format!("setting {name}"));
                }
                ok_one(Value::Null)
            }
            ("DELETE", _) => {
                let Some(id) = q("id").and_then(|v| v.parse::<u64>().ok()) else {
                    return err(400, 1000, "Invalid request", "Missing required field: id");
                };
                let t = &mut self.trunks[ti];
                let removed = match coll {
                    "phone-numbers" => remove_by(&mut t.phones, |p| p.id == id),
                    "whitelisted-ips" => remove_by(&mut t.ips, |i| i.id == id),
                    _ => remove_by(&mut t.dests, |d| d.id == id),
                };
                if removed { ok_one(Value::Null) } else { self.not_found(&format!("{coll} id {id}")) }
            }
            _ => Outcome::NoRoute,
        }
    }

    fn put_item(&mut self, sid: &str, coll: &str, id: &str, body: Option<&Value>) -> Outcome {
        let Some(ti) = self.trunks.iter().position(|t| t.sid == sid) else {
            return self.not_found(&format!("trunk {sid}"));
        };
        let Ok(id) = id.parse::<u64>() else { return self.not_found(&format!("{coll} id {id}")) };
        let sid = sid.to_string();
        match coll {
            "phone-numbers" => {
                let mode = str_field(body, "mode");
                if mode.is_some_and(|m| m != "pstn" && m != "flow") {
                    return err(400, 1001, "Invalid parameter", "mode must be pstn or flow");
                }
                let Some(p) = self.trunks[ti].phones.iter_mut().find(|p| p.id == id) else {
                    return self.not_found(&format!("phone number id {id}"));
                };
                p.mode = mode.filter(|m| *m != "pstn").map(str::to_owned);
                p.updated = now();
                let p = self.trunks[ti].phones.iter().find(|p| p.id == id).expect("present");
                ok_one(self.phone_json(&sid, p))
            }
            "destination-uris" => {
                let get = |k: &str| body.and_then(|b| b.get(k)).and_then(|v| v.as_i64());
                let Some(d) = self.trunks[ti].dests.iter_mut().find(|d| d.id == id) else {
                    return self.not_found(&format!("destination id {id}"));
                };
                if let Some(p) = get("priority") {
                    d.priority = p;
                }
                if let Some(w) = get("weight") {
                    d.weight = w;
                }
                let d = self.trunks[ti].dests.iter().find(|d| d.id == id).expect("present");
                ok_one(self.dest_json(&sid, d))
            }
            _ => Outcome::NoRoute,
        }
    }
}

fn remove_by<T>(v: &mut Vec<T>, f: impl Fn(&T) -> bool) -> bool {
    let before = v.len();
    v.retain(|x| !f(x));
    v.len() != before
}
