//! The fast tier: every resource's planning, and the collection resources'
//! apply, read, import and delete against a scripted fake vSIP API (an
//! in-process HTTP server holding one account's trunks), without Terraform.
//! Each test drives the same value-level interface the gRPC handlers use.

use crate::api::{Client, ClientConfig, Secret};
use crate::exotel::{Ctx, PlanCtx};
use crate::provider::resource::Resource;
use crate::tf::diag::Diagnostics;
use crate::tf::types::Type;
use crate::tf::value::{Number, Value};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn resource(type_name: &str) -> Box<dyn Resource<Ctx>> {
    super::all().into_iter().find(|r| r.type_name() == type_name).expect("registered")
}

fn s(v: &str) -> Value {
    Value::String(v.into())
}
fn n(v: i64) -> Value {
    Value::Number(Number::Int(v))
}

/// An object of `r`'s type: the given attributes, every other one null.
fn obj(r: &dyn Resource<Ctx>, pairs: &[(&str, Value)]) -> Value {
    let mut m: BTreeMap<String, Value> =
        r.schema().attributes.iter().map(|a| (a.name.to_string(), Value::Null)).collect();
    for b in &r.schema().blocks {
        m.insert(b.name.to_string(), Value::List(vec![]));
    }
    for (k, v) in pairs {
        assert!(m.contains_key(*k), "{} has no attribute {k}", r.type_name());
        m.insert(k.to_string(), v.clone());
    }
    Value::Map(m)
}

fn errors(d: &Diagnostics) -> Vec<String> {
    d.0.iter()
        .filter(|d| d.severity == crate::tf::diag::Severity::Error)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

// ------------------------------------------------------------------ schema = model

#[test]
fn every_schema_declares_exactly_its_models_attributes() {
    let p = crate::exotel::service();
    let mut checked = 0;
    let mut check = |name: &str, schema: &crate::tf::schema::Schema, model: Vec<(&'static str, Type)>| {
        let Type::Object(all) = schema.object_type() else { unreachable!("schemas are objects") };
        let declared: Vec<(&str, Type)> = all
            .into_iter()
            .map(|(n, t)| {
                (
                    schema
                        .attributes
                        .iter()
                        .map(|a| a.name)
                        .chain(schema.blocks.iter().map(|b| b.name))
                        .find(|a| *a == n)
                        .unwrap_or("?"),
                    t,
                )
            })
            .collect();
        let mut model = model;
        let mut declared = declared;
        model.sort_by_key(|(n, _)| *n);
        declared.sort_by_key(|(n, _)| *n);
        assert_eq!(declared, model, "{name}: schema and typed model disagree");
        checked += 1;
    };
    for r in super::all() {
        check(r.type_name(), r.schema(), r.model_attributes());
    }
    for d in super::all_data_sources() {
        check(d.type_name(), d.schema(), d.model_attributes());
    }
    for e in super::all_ephemerals() {
        check(e.type_name(), e.schema(), e.model_attributes());
    }
    assert_eq!(checked, p.resource_schemas().len() + p.data_source_schemas().len() + p.ephemeral_schemas().len());
}

// ------------------------------------------------------------------ planning

fn plan(r: &dyn Resource<Ctx>, prior: &Value, config: &Value) -> (Value, Vec<String>, Diagnostics) {
    let ctx = PlanCtx { account_sid: Some("acme1".into()) };
    r.plan(&ctx, prior, config, config)
}

#[test]
fn creates_plan_defaults_and_unknown_computed_values_even_with_unknown_inputs() {
    for (t, cfg) in [
        ("exotel_trunk_whitelisted_ip", vec![("trunk_sid", Value::UNKNOWN), ("ip", s("203.0.113.10"))]),
        ("exotel_trunk_phone_number", vec![("trunk_sid", Value::UNKNOWN), ("phone_number", s("+919876543210"))]),
        (
            "exotel_trunk_destination",
            vec![("trunk_sid", Value::UNKNOWN), ("destination", s("h.example.com:5061;transport=tls"))],
        ),
        ("exotel_trunk_alias", vec![("trunk_sid", Value::UNKNOWN), ("alias", s("+919876543210"))]),
        ("exotel_trunk", vec![("trunk_name", s("pbx"))]),
    ] {
        let r = resource(t);
        let (p, replace, d) = plan(r.as_ref(), &Value::Null, &obj(r.as_ref(), &cfg));
        assert!(errors(&d).is_empty() && replace.is_empty(), "{t}: {:?}", errors(&d));
        for a in &r.schema().attributes {
            let v = p.get(a.name);
            match (&a.default, a.mode) {
                (Some(def), _) => assert_eq!(v, def, "{t}.{} plans its default", a.name),
                (None, crate::tf::schema::Mode::Computed) if a.name != "domain_name" => {
                    assert!(v.is_unknown() || t == "exotel_trunk_alias", "{t}.{} is unknown on create", a.name)
                }
                _ => {}
            }
        }
    }
    // The trunk's default domain is known from the account.
    let r = resource("exotel_trunk");
    let (p, _, _) = plan(r.as_ref(), &Value::Null, &obj(r.as_ref(), &[("trunk_name", s("pbx"))]));
    assert_eq!(p.get("domain_name"), &s("acme1.pstn.exotel.com"));
    // The alias's id is its trunk, known as soon as the trunk is.
    let r = resource("exotel_trunk_alias");
    let (p, _, _) =
        plan(r.as_ref(), &Value::Null, &obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("alias", s("+919876543210"))]));
    assert_eq!(p.get("id"), &s("trk1"));
}

#[test]
fn removing_a_defaulted_line_plans_the_default_in_place_or_by_replacement() {
    let r = resource("exotel_trunk_destination");
    let prior = obj(
        r.as_ref(),
        &[
            ("id", s("7")),
            ("trunk_sid", s("trk1")),
            ("destination", s("sip:h.example.com:5061;transport=tls")),
            ("uri", s("sip:h.example.com:5061;transport=tls")),
            ("priority", n(5)),
            ("weight", n(3)),
            ("date_created", s("x")),
        ],
    );
    // `priority = 5` removed, `sip:` dropped: an in-place update back to 0,
    // and no replacement for the spelling.
    let cfg = obj(
        r.as_ref(),
        &[("trunk_sid", s("trk1")), ("destination", s("h.example.com:5061;transport=tls")), ("weight", n(3))],
    );
    let (p, replace, _) = plan(r.as_ref(), &prior, &cfg);
    assert!(replace.is_empty(), "{replace:?}");
    assert_eq!((p.get("priority"), p.get("weight"), p.get("id")), (&n(0), &n(3), &s("7")));

    let r = resource("exotel_trunk_whitelisted_ip");
    let prior = obj(r.as_ref(), &[("id", s("1")), ("trunk_sid", s("trk1")), ("ip", s("10.0.0.0")), ("mask", n(24))]);
    let cfg = obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("ip", s("10.0.0.0"))]);
    let (p, replace, _) = plan(r.as_ref(), &prior, &cfg);
    assert_eq!(replace, vec!["mask".to_string()], "the /24 is replaced by the documented /32");
    assert_eq!(p.get("mask"), &n(32));
    assert!(p.get("id").is_unknown());

    let r = resource("exotel_trunk_phone_number");
    let prior = obj(
        r.as_ref(),
        &[("id", s("1")), ("trunk_sid", s("trk1")), ("phone_number", s("+911234567890")), ("mode", s("flow"))],
    );
    let cfg = obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("phone_number", s("+911234567890"))]);
    let (p, replace, _) = plan(r.as_ref(), &prior, &cfg);
    assert!(replace.is_empty());
    assert_eq!(p.get("mode"), &s("pstn"));
    // an unknown number at plan time: a replacement, computed values unknown
    let cfg = obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("phone_number", Value::UNKNOWN)]);
    let (p, replace, _) = plan(r.as_ref(), &prior, &cfg);
    assert_eq!(replace, vec!["phone_number".to_string()]);
    assert!(p.get("id").is_unknown() && p.get("date_created").is_unknown());
}

#[test]
fn the_schema_checks_ranges_and_values_at_validate_time() {
    let r = resource("exotel_trunk_destination");
    let cfg = obj(
        r.as_ref(),
        &[("trunk_sid", s("trk1")), ("destination", s("h.example.com:5061;transport=tls")), ("weight", n(70000))],
    );
    assert_eq!(errors(&r.validate(&cfg, true)), vec!["Invalid weight: weight must be between 0 and 65535, got 70000."]);
    let r = resource("exotel_trunk_phone_number");
    let cfg = obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("phone_number", s("+911234567890")), ("mode", s("sip"))]);
    assert_eq!(errors(&r.validate(&cfg, true)), vec!["Invalid mode: mode must be \"pstn\" or \"flow\", got \"sip\"."]);
    // unknown values pass until they are known
    let cfg =
        obj(r.as_ref(), &[("trunk_sid", Value::UNKNOWN), ("phone_number", Value::UNKNOWN), ("mode", Value::UNKNOWN)]);
    assert!(r.validate(&cfg, true).0.is_empty());
}

// ------------------------------------------------------------------ the fake API

/// One scripted answer, taken by the next request of its method.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// Store the item, then answer 502 (the answer is lost).
    Lose,
    /// Like `Lose`, but listings show the item only from the next POST on.
    LoseHidden,
    /// Answer 500 without storing.
    Fail,
    /// Answer 409 "already exists" without storing.
    Conflict,
    /// Answer 429 with Retry-After: 0.
    Throttle,
    /// Answer 405: no such route.
    NoRoute,
}

#[derive(Default)]
struct Fake {
    /// `<trunk>/<segment>` → records.
    held: HashMap<String, Vec<Json>>,
    script: HashMap<&'static str, VecDeque<Step>>,
    /// Stored by `LoseHidden`, listed from the next POST on.
    hidden: Vec<(String, Json)>,
    /// Every request as `METHOD path?query`.
    log: Vec<String>,
    next_id: u64,
    /// Listings paginated by `?offset=` with this many records a page.
    page_size: Option<usize>,
    /// How long a page after the first takes to answer.
    page_delay: Duration,
    /// How long a DELETE takes before it is applied (those of
    /// `failing_deletes` answer at once).
    delete_delay: Duration,
    /// Ids whose DELETE answers 500 without deleting.
    failing_deletes: Vec<String>,
    /// Every POST body, in order.
    bodies: Vec<String>,
}

type Shared = Arc<Mutex<Fake>>;

fn envelope(code: u16, data: Json) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = axum::http::StatusCode::from_u16(code).unwrap();
    let body = if code < 300 {
        json!({"request_id": "r1", "response": {"status": "success", "code": code, "data": data}})
    } else {
        json!({"request_id": "r1", "response": {"status": "failure", "code": code, "error_data": {"code": if code == 404 { 1000 } else { 1001 }, "message": "scripted"}}})
    };
    (status, axum::Json(body)).into_response()
}

async fn handle(
    fake: Shared,
    method: axum::http::Method,
    uri: axum::http::Uri,
    body: String,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = uri.path().trim_start_matches("/v2/accounts/acme1/trunks/").to_string();
    let query_id = uri.query().and_then(|q| q.strip_prefix("id=")).unwrap_or_default().to_string();
    let offset: usize = uri.query().and_then(|q| q.strip_prefix("offset=")).and_then(|o| o.parse().ok()).unwrap_or(0);
    let (page_delay, delete_delay, failing) = {
        let f = fake.lock().unwrap();
        (f.page_delay, f.delete_delay, f.failing_deletes.contains(&query_id))
    };
    if method == "GET" && offset > 0 {
        tokio::time::sleep(page_delay).await;
    }
    if method == "DELETE" && !failing {
        tokio::time::sleep(delete_delay).await;
    }
    let mut f = fake.lock().unwrap();
    if method == "POST" {
        f.bodies.push(body.clone());
    }
    if method == "DELETE" && failing {
        f.log.push(format!("DELETE {path}?id={query_id}"));
        return envelope(500, Json::Null);
    }
    f.log.push(format!("{method} {path}{}", uri.query().map(|q| format!("?{q}")).unwrap_or_default()));
    if method == "POST" {
        for (coll, rec) in std::mem::take(&mut f.hidden) {
            f.held.get_mut(&coll).unwrap().push(rec);
        }
    }
    let step = f.script.get_mut(method.as_str()).and_then(VecDeque::pop_front);
    match step {
        Some(Step::Fail) => return envelope(500, Json::Null),
        Some(Step::Conflict) => return envelope(409, Json::Null),
        Some(Step::NoRoute) => return (axum::http::StatusCode::METHOD_NOT_ALLOWED, "no route").into_response(),
        Some(Step::Throttle) => {
            return (axum::http::StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")], "slow down").into_response();
        }
        _ => {}
    }
    let (coll, item) = match path.split('/').collect::<Vec<_>>()[..] {
        [sid, seg] => (format!("{sid}/{seg}"), None),
        [sid, seg, id] => (format!("{sid}/{seg}"), Some(id.to_string())),
        _ => return envelope(404, Json::Null),
    };
    if !f.held.contains_key(&coll) {
        return envelope(404, Json::Null);
    }
    let answer = match method.as_str() {
        "GET" => match f.page_size {
            None => envelope(200, Json::Array(f.held[&coll].clone())),
            Some(size) => {
                let all = &f.held[&coll];
                let page: Vec<Json> = all.iter().skip(offset).take(size).cloned().collect();
                let next = (offset + size < all.len())
                    .then(|| format!("/v2/accounts/acme1/trunks/{coll}?offset={}", offset + size));
                let body = json!({"request_id": "r1", "response": {"status": "success", "code": 200, "data": page},
                    "metadata": {"next_page_uri": next}});
                (axum::http::StatusCode::OK, axum::Json(body)).into_response()
            }
        },
        "POST" => {
            let req: Json = serde_json::from_str(&body).unwrap_or(Json::Null);
            let news = match req.get("destinations") {
                Some(Json::Array(list)) => list.clone(),
                _ => vec![req],
            };
            let mut created = vec![];
            for mut new in news {
                f.next_id += 1;
                new["id"] = json!(f.next_id.to_string());
                new["date_created"] = json!("2026-11-27");
                if let Some(d) = new.get("destination").and_then(Json::as_str) {
                    new["destination"] = json!(format!("sip:{d}"));
                }
                if matches!(step, Some(Step::LoseHidden)) {
                    f.hidden.push((coll.clone(), new.clone()));
                } else {
                    f.held.get_mut(&coll).unwrap().push(new.clone());
                }
                created.push(new);
            }
            let data = if coll.ends_with("destination-uris") { Json::Array(created) } else { created[0].clone() };
            envelope(200, data)
        }
        "PUT" => {
            let change: Json = serde_json::from_str(&body).unwrap_or(Json::Null);
            let id = item.unwrap_or_default();
            let Some(rec) = f.held.get_mut(&coll).unwrap().iter_mut().find(|r| r["id"] == json!(id)) else {
                return envelope(404, Json::Null);
            };
            for (k, v) in change.as_object().cloned().unwrap_or_default() {
                rec[k] = v;
            }
            envelope(200, rec.clone())
        }
        "DELETE" => {
            let id = uri.query().and_then(|q| q.strip_prefix("id=")).unwrap_or_default().to_string();
            f.held.get_mut(&coll).unwrap().retain(|r| r["id"] != json!(id));
            envelope(200, Json::Null)
        }
        _ => envelope(405, Json::Null),
    };
    match step {
        Some(Step::Lose | Step::LoseHidden) => envelope(502, Json::Null),
        _ => answer,
    }
}

/// A fake API holding trunk `trk1` with empty collections, and a client for it.
async fn fake() -> (Shared, Ctx) {
    fake_with_retries(2).await
}

/// [`fake`] with a client set to `max_retries`.
async fn fake_with_retries(max_retries: u32) -> (Shared, Ctx) {
    let fake: Shared = Arc::default();
    for seg in ["phone-numbers", "whitelisted-ips", "destination-uris"] {
        fake.lock().unwrap().held.insert(format!("trk1/{seg}"), vec![]);
    }
    let f2 = fake.clone();
    let app = axum::Router::new().fallback(move |m, u, b| handle(f2.clone(), m, u, b));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    let mut client = Client::new(
        ClientConfig {
            base_url: url::Url::parse(&base).unwrap(),
            account_sid: "acme1".into(),
            api_key: "key".into(),
            api_token: Secret::new("tok3n"),
            max_retries,
            max_requests_per_minute: 0,
            request_timeout: Duration::from_secs(5),
            user_agent: "test".into(),
            sharing: crate::api::Sharing::Off,
        },
        tokio_util::sync::CancellationToken::new(),
    )
    .unwrap();
    client.set_backoff_base(Duration::from_millis(1));
    client.set_throttle_budget(THROTTLE_BUDGET);
    (fake, Ctx { client })
}

/// The fakes' 429 budget per operation (120 s in the provider).
const THROTTLE_BUDGET: Duration = Duration::from_millis(500);

fn script(f: &Shared, method: &'static str, steps: &[Step]) {
    f.lock().unwrap().script.entry(method).or_default().extend(steps.iter().copied());
}

fn held(f: &Shared, coll: &str) -> Vec<Json> {
    f.lock().unwrap().held[coll].clone()
}

fn posts(f: &Shared) -> usize {
    f.lock().unwrap().log.iter().filter(|l| l.starts_with("POST")).count()
}

/// Plans and applies a create of `cfg`, as Terraform would.
async fn create(r: &dyn Resource<Ctx>, ctx: &Ctx, cfg: &[(&str, Value)]) -> (Value, Diagnostics) {
    let cfg = obj(r, cfg);
    let (planned, _, d) = plan(r, &Value::Null, &cfg);
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    r.apply(ctx, &Value::Null, &planned, &Value::Null).await
}

fn ip_cfg() -> Vec<(&'static str, Value)> {
    vec![("trunk_sid", s("trk1")), ("ip", s("203.0.113.10"))]
}

#[tokio::test]
async fn a_lost_answer_is_adopted_once_and_never_created_twice() {
    let (f, ctx) = fake().await;
    let r = resource("exotel_trunk_whitelisted_ip");
    script(&f, "POST", &[Step::Lose]);
    let (state, d) = create(r.as_ref(), &ctx, &ip_cfg()).await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    assert_eq!(held(&f, "trk1/whitelisted-ips").len(), 1);
    assert_eq!(state.get("id"), &s("1"));
    assert_eq!(posts(&f), 1);
}

#[tokio::test]
async fn a_conflict_on_our_own_retry_means_the_first_attempt_stored_it() {
    let (f, ctx) = fake().await;
    let r = resource("exotel_trunk_phone_number");
    // The first answer is lost and the listing after it does not show the
    // mapping yet; the repeat meets a 409: it was stored after all, and the
    // listing after that shows it, absent from the snapshot, so it is ours.
    script(&f, "POST", &[Step::LoseHidden, Step::Conflict]);
    let (state, d) = create(r.as_ref(), &ctx, &[("trunk_sid", s("trk1")), ("phone_number", s("+911234567890"))]).await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    assert_eq!(held(&f, "trk1/phone-numbers").len(), 1);
    assert_eq!(state.get("phone_number"), &s("+911234567890"));
    assert_eq!(posts(&f), 2);
}

#[tokio::test]
async fn a_conflict_on_the_first_attempt_is_someone_elses_item() {
    let (f, ctx) = fake().await;
    let r = resource("exotel_trunk_destination");
    script(&f, "POST", &[Step::Conflict]);
    let (state, d) =
        create(r.as_ref(), &ctx, &[("trunk_sid", s("trk1")), ("destination", s("h.example.com:5061;transport=tls"))])
            .await;
    assert!(state.is_null());
    assert!(errors(&d).iter().any(|e| e.contains("already exists")), "{:?}", errors(&d));
    assert_eq!(posts(&f), 1);
}

#[tokio::test]
async fn throttling_storms_are_waited_out_and_a_500_is_settled_by_listing() {
    let (f, ctx) = fake().await;
    let r = resource("exotel_trunk_whitelisted_ip");
    script(&f, "POST", &[Step::Throttle, Step::Throttle, Step::Throttle, Step::Throttle, Step::Fail]);
    let (state, d) = create(r.as_ref(), &ctx, &ip_cfg()).await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    assert_eq!(held(&f, "trk1/whitelisted-ips").len(), 1, "created exactly once");
    assert_eq!(posts(&f), 6, "four 429s and a 500 (absent after it) are each followed by one more POST");
    assert!(state.get("id").as_str().is_some());
}

#[tokio::test]
async fn an_item_that_was_there_before_is_never_taken_over() {
    let (f, ctx) = fake().await;
    f.lock()
        .unwrap()
        .held
        .get_mut("trk1/whitelisted-ips")
        .unwrap()
        .push(json!({"id": "99", "ip": "203.0.113.10", "mask": 32}));
    let r = resource("exotel_trunk_whitelisted_ip");
    let (state, d) = create(r.as_ref(), &ctx, &ip_cfg()).await;
    assert!(state.is_null());
    let e = errors(&d).join("\n");
    assert!(
        e.contains("already exists") && e.contains("terraform import exotel_trunk_whitelisted_ip.<name> trk1/99"),
        "{e}"
    );
    assert_eq!(posts(&f), 0, "nothing is sent");
}

#[tokio::test]
async fn priority_is_set_after_the_post_and_updated_in_place() {
    let (f, ctx) = fake().await;
    let r = resource("exotel_trunk_destination");
    let cfg =
        [("trunk_sid", s("trk1")), ("destination", s("sip:h.example.com:5061;transport=tls")), ("priority", n(5))];
    let (state, d) = create(r.as_ref(), &ctx, &cfg).await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    assert_eq!(state.get("destination"), &s("sip:h.example.com:5061;transport=tls"), "the configured spelling");
    assert_eq!(held(&f, "trk1/destination-uris")[0]["priority"], json!(5));
    // read: no drift
    let (read, d) = r.read(&ctx, &state).await;
    assert!(d.0.is_empty());
    assert_eq!(read, state);
    // removing `priority` plans 0; applying it PUTs
    let cfg = obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("destination", s("h.example.com:5061;transport=tls"))]);
    let (planned, replace, _) = plan(r.as_ref(), &state, &cfg);
    assert!(replace.is_empty());
    let (after, d) = r.apply(&ctx, &state, &planned, &Value::Null).await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    assert_eq!(after.get("priority"), &n(0));
    assert_eq!(held(&f, "trk1/destination-uris")[0]["priority"], json!(0));
    // no update route: an error naming what stays, state unchanged
    script(&f, "PUT", &[Step::NoRoute, Step::NoRoute, Step::NoRoute]);
    let cfg = obj(
        r.as_ref(),
        &[("trunk_sid", s("trk1")), ("destination", s("h.example.com:5061;transport=tls")), ("weight", n(4))],
    );
    let (planned, _, _) = plan(r.as_ref(), &after, &cfg);
    let (kept, d) = r.apply(&ctx, &after, &planned, &Value::Null).await;
    let e = errors(&d).join("\n");
    assert!(
        e.contains("Cannot set the priority and weight of a destination")
            && e.contains("Set priority = 0 and weight = 1 in the configuration"),
        "{e}"
    );
    assert_eq!(kept.get("weight"), &n(1));
}

#[tokio::test]
async fn deletes_are_confirmed_by_listing_and_a_missing_route_is_a_named_warning() {
    let (f, ctx) = fake().await;
    let r = resource("exotel_trunk_phone_number");
    let (state, _) = create(r.as_ref(), &ctx, &[("trunk_sid", s("trk1")), ("phone_number", s("+911234567890"))]).await;
    let (gone, d) = r.apply(&ctx, &state, &Value::Null, &Value::Null).await;
    assert!(gone.is_null() && d.0.is_empty(), "{:?}", errors(&d));
    assert!(held(&f, "trk1/phone-numbers").is_empty());
    // a trunk whose API cannot delete items
    let (state, _) = create(r.as_ref(), &ctx, &[("trunk_sid", s("trk1")), ("phone_number", s("+911234567891"))]).await;
    script(&f, "DELETE", &[Step::NoRoute, Step::NoRoute, Step::NoRoute]);
    let (gone, d) = r.apply(&ctx, &state, &Value::Null, &Value::Null).await;
    assert!(gone.is_null() && errors(&d).is_empty());
    let w = &d.0[0];
    assert!(w.summary == "Phone number mapping left in Exotel" && w.detail.contains("+911234567891"), "{w:?}");
    // read: gone after it was removed outside Terraform
    f.lock().unwrap().held.get_mut("trk1/phone-numbers").unwrap().clear();
    ctx.client.invalidate("/trunks/trk1/phone-numbers");
    assert!(r.read(&ctx, &state).await.0.is_null());
}

#[tokio::test]
async fn imports_by_key_and_reads_without_ids_are_errors_not_removals() {
    let (f, ctx) = fake().await;
    f.lock().unwrap().held.get_mut("trk1/whitelisted-ips").unwrap().extend([
        json!({"id": "1", "ip": "10.0.0.0", "mask": 24}),
        json!({"id": "2", "ip": "10.0.0.0", "mask": 28}),
        json!({"id": "3", "ip": "192.0.2.1"}),
    ]);
    let r = resource("exotel_trunk_whitelisted_ip");
    let (v, d) = r.import(&ctx, "trk1/192.0.2.1").await;
    assert!(d.0.is_empty());
    assert_eq!((v.get("id"), v.get("mask")), (&s("3"), &n(32)));
    let (v, d) = r.import(&ctx, "trk1/10.0.0.0").await;
    assert!(v.is_null() && errors(&d)[0].starts_with("Ambiguous import ID"), "{:?}", errors(&d));
    let (_, d) = r.import(&ctx, "trk1/../x").await;
    assert!(errors(&d)[0].starts_with("Invalid import ID"));
    let (v, d) = r.read(&ctx, &obj(r.as_ref(), &[("ip", s("192.0.2.1"))])).await;
    assert!(!v.is_null(), "state is kept");
    assert!(errors(&d)[0].contains("has no trunk_sid or id"), "{:?}", errors(&d));
}

// ------------------------------------------------------------------ authoritative sets

fn set(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::String(s.to_string())).collect())
}

fn requests(f: &Shared) -> Vec<String> {
    std::mem::take(&mut f.lock().unwrap().log)
}

#[tokio::test]
async fn a_set_sends_only_the_differences_and_names_what_it_removed() {
    let (f, ctx) = fake().await;
    f.lock()
        .unwrap()
        .held
        .get_mut("trk1/whitelisted-ips")
        .unwrap()
        .extend([json!({"id": "50", "ip": "10.0.0.1", "mask": 32}), json!({"id": "51", "ip": "198.51.100.7"})]);
    let r = resource("exotel_trunk_whitelisted_ips");
    let cfg = obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("cidrs", set(&["10.0.0.1/32", "203.0.113.0/28"]))]);
    let (planned, _, d) = plan(r.as_ref(), &Value::Null, &cfg);
    assert!(d.0.is_empty(), "{:?}", errors(&d));
    assert_eq!(planned.get("id"), &s("trk1"));
    requests(&f);
    let (state, d) = r.apply(&ctx, &Value::Null, &planned, &Value::Null).await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    let w = &d.0[0];
    assert!(w.summary.contains("removed from trunk trk1") && w.detail.contains("198.51.100.7/32"), "{w:?}");
    assert_eq!(state.get("cidrs"), planned.get("cidrs"));
    let log = requests(&f);
    assert_eq!(
        log,
        vec![
            "GET trk1/whitelisted-ips",
            "POST trk1/whitelisted-ips",
            "DELETE trk1/whitelisted-ips?id=51",
            "GET trk1/whitelisted-ips"
        ],
        "list, the one add, the one removal, the confirming list"
    );
    // Read shows an item added outside Terraform; the plan removes it.
    f.lock().unwrap().held.get_mut("trk1/whitelisted-ips").unwrap().push(json!({"id": "77", "ip": "192.0.2.9"}));
    ctx.client.invalidate("/trunks/trk1/whitelisted-ips");
    let (read, _) = r.read(&ctx, &state).await;
    assert_eq!(read.get("cidrs"), &set(&["10.0.0.1/32", "203.0.113.0/28", "192.0.2.9/32"]));
}

#[tokio::test]
async fn a_set_that_cannot_remove_fails_naming_what_stays_and_records_it() {
    let (f, ctx) = fake().await;
    f.lock().unwrap().held.get_mut("trk1/whitelisted-ips").unwrap().push(json!({"id": "51", "ip": "198.51.100.7"}));
    let r = resource("exotel_trunk_whitelisted_ips");
    let prior = obj(r.as_ref(), &[("id", s("trk1")), ("trunk_sid", s("trk1")), ("cidrs", set(&["198.51.100.7/32"]))]);
    let cfg = obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("cidrs", set(&[]))]);
    let (planned, _, _) = plan(r.as_ref(), &prior, &cfg);
    script(&f, "DELETE", &[Step::NoRoute, Step::NoRoute, Step::NoRoute]);
    let (state, d) = r.apply(&ctx, &prior, &planned, &Value::Null).await;
    let e = errors(&d).join("\n");
    assert!(e.contains("Whitelisted IPs still active on trunk trk1") && e.contains("198.51.100.7/32"), "{e}");
    assert_eq!(state.get("cidrs"), &set(&["198.51.100.7/32"]), "state records what Exotel holds");
}

#[tokio::test]
async fn a_destination_set_batches_adds_and_changes_priority_in_place() {
    let (f, ctx) = fake().await;
    let r = resource("exotel_trunk_destinations");
    let block = |uri: &str, p: Value| {
        Value::Map(BTreeMap::from([("uri".into(), s(uri)), ("priority".into(), p), ("weight".into(), Value::Null)]))
    };
    let cfg = obj(
        r.as_ref(),
        &[
            ("trunk_sid", s("trk1")),
            (
                "destination",
                Value::List(vec![
                    block("sip:a.example.com:5061;transport=tls", Value::Null),
                    block("b.example.com:5061;transport=tls", n(0)),
                ]),
            ),
        ],
    );
    let (planned, _, d) = plan(r.as_ref(), &Value::Null, &cfg);
    assert!(d.0.is_empty(), "{:?}", errors(&d));
    requests(&f);
    let (state, d) = r.apply(&ctx, &Value::Null, &planned, &Value::Null).await;
    assert!(d.0.is_empty(), "{:?}", errors(&d));
    assert_eq!(state.get("destination"), planned.get("destination"), "spelling and null/explicit defaults kept");
    assert_eq!(requests(&f).iter().filter(|l| l.starts_with("POST")).count(), 1, "one POST for both");
    // priority 0 -> 3 on b: a PUT on the same destination
    let cfg2 = obj(
        r.as_ref(),
        &[
            ("trunk_sid", s("trk1")),
            (
                "destination",
                Value::List(vec![
                    block("sip:a.example.com:5061;transport=tls", Value::Null),
                    block("b.example.com:5061;transport=tls", n(3)),
                ]),
            ),
        ],
    );
    let (planned2, _, _) = plan(r.as_ref(), &state, &cfg2);
    let (state2, d) = r.apply(&ctx, &state, &planned2, &Value::Null).await;
    assert!(d.0.is_empty(), "{:?}", errors(&d));
    assert_eq!(state2.get("destination"), planned2.get("destination"));
    let log = requests(&f);
    assert!(log.iter().any(|l| l.starts_with("PUT trk1/destination-uris/")), "{log:?}");
    assert!(!log.iter().any(|l| l.starts_with("POST") || l.starts_with("DELETE")), "{log:?}");
    assert_eq!(held(&f, "trk1/destination-uris").len(), 2);
}

// ------------------------------------------------------------------ safety, second round

#[tokio::test]
async fn a_missing_delete_route_disables_only_its_own_collection() {
    let (f, ctx) = fake().await;
    let dest = resource("exotel_trunk_destination");
    let ip = resource("exotel_trunk_whitelisted_ip");
    let (d_state, _) = create(
        dest.as_ref(),
        &ctx,
        &[("trunk_sid", s("trk1")), ("destination", s("h.example.com:5061;transport=tls"))],
    )
    .await;
    let (ip_state, _) = create(ip.as_ref(), &ctx, &ip_cfg()).await;
    // Every attempt of the destination's DELETE answers 405: that route is missing.
    script(&f, "DELETE", &[Step::NoRoute, Step::NoRoute, Step::NoRoute]);
    let (_, d) = dest.apply(&ctx, &d_state, &Value::Null, &Value::Null).await;
    assert!(d.0.iter().any(|w| w.summary == "Destination left in Exotel"), "{:?}", d.0);
    requests(&f);
    // The whitelisted IP's DELETE is another route: it is still sent.
    let (gone, d) = ip.apply(&ctx, &ip_state, &Value::Null, &Value::Null).await;
    assert!(gone.is_null() && d.0.is_empty(), "{:?}", d.0);
    assert!(requests(&f).iter().any(|l| l.starts_with("DELETE trk1/whitelisted-ips?id=")));
    assert!(held(&f, "trk1/whitelisted-ips").is_empty(), "the IP is gone from Exotel");
}

/// Five per-item IPs deleted at once over paginated listings (2 a page),
/// the third's DELETE failing: its confirming listing must not run while
/// the others' DELETEs land between its pages (which would move it onto a
/// page already read and "confirm" it gone). It stays, and says so.
#[tokio::test]
async fn a_failed_delete_is_never_confirmed_by_a_shifted_page() {
    let (f, ctx) = fake_with_retries(0).await;
    let r = resource("exotel_trunk_whitelisted_ip");
    let mut states = vec![];
    for i in 1..=5 {
        let (st, d) = create(r.as_ref(), &ctx, &[("trunk_sid", s("trk1")), ("ip", s(&format!("203.0.113.{i}")))]).await;
        assert!(errors(&d).is_empty(), "{:?}", errors(&d));
        states.push(st);
    }
    let third = states[2].get("id").as_str().unwrap().to_string();
    {
        let mut g = f.lock().unwrap();
        g.page_size = Some(2);
        g.page_delay = Duration::from_millis(400);
        g.delete_delay = Duration::from_millis(150);
        g.failing_deletes = vec![third.clone()];
    }
    let results =
        futures::future::join_all(states.iter().map(|st| r.apply(&ctx, st, &Value::Null, &Value::Null))).await;
    for (i, (after, d)) in results.iter().enumerate() {
        if i == 2 {
            let e = errors(d).join("\n");
            assert!(e.contains("Cannot delete whitelisted IP 203.0.113.3/32") && e.contains("still active"), "{e}");
        } else {
            assert!(after.is_null() && errors(d).is_empty(), "{i}: {:?}", errors(d));
        }
    }
    let left: Vec<Json> = held(&f, "trk1/whitelisted-ips");
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["id"], json!(third));
}

/// `-replace` of one IP while another is added: the add takes the snapshot
/// while the replaced IP still exists; its delete, confirmed, removes it from
/// that snapshot, so its re-create is not "already there before this apply".
#[tokio::test]
async fn our_own_confirmed_delete_updates_the_snapshot() {
    let (f, ctx) = fake().await;
    f.lock().unwrap().held.get_mut("trk1/whitelisted-ips").unwrap().extend([
        json!({"id": "99", "ip": "203.0.113.10", "mask": 32}),
        json!({"id": "77", "ip": "192.0.2.7", "mask": 32}),
    ]);
    let r = resource("exotel_trunk_whitelisted_ip");
    let (a, d) = r.import(&ctx, "trk1/99").await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    // Another IP is added first: the snapshot holds 203.0.113.10 (id 99).
    let (_, d) = create(r.as_ref(), &ctx, &[("trunk_sid", s("trk1")), ("ip", s("198.51.100.1"))]).await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    // The replacement: delete, then create the same address again.
    let (gone, d) = r.apply(&ctx, &a, &Value::Null, &Value::Null).await;
    assert!(gone.is_null() && errors(&d).is_empty(), "{:?}", errors(&d));
    let (again, d) = create(r.as_ref(), &ctx, &ip_cfg()).await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    assert_ne!(again.get("id"), &s("99"), "a new item");
    // What was there before and was not deleted by us is still never taken over.
    let (none, d) = create(r.as_ref(), &ctx, &[("trunk_sid", s("trk1")), ("ip", s("192.0.2.7"))]).await;
    assert!(none.is_null(), "{none:?}");
    assert!(errors(&d).iter().any(|e| e.contains("already exists")), "{:?}", errors(&d));
}

/// Every POST answers 429: the set's first add spends its one budget (the
/// throttle window from its first 429, not multiplied by rounds), fails
/// naming the 429, and the set starts no other operation.
#[tokio::test]
async fn a_429_storm_spends_one_budget_and_the_set_starts_nothing_else() {
    let (f, ctx) = fake_with_retries(1).await;
    script(&f, "POST", &[Step::Throttle; 500]);
    let r = resource("exotel_trunk_whitelisted_ips");
    let cfg = obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("cidrs", set(&["10.0.0.0/24", "10.1.0.0/24"]))]);
    let (planned, _, d) = plan(r.as_ref(), &Value::Null, &cfg);
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    let started = std::time::Instant::now();
    let (_, d) = r.apply(&ctx, &Value::Null, &planned, &Value::Null).await;
    let took = started.elapsed();
    let e = errors(&d).join("\n");
    assert!(e.contains("Cannot add whitelisted IP") && e.contains("429"), "{e}");
    let bodies = f.lock().unwrap().bodies.clone();
    let networks: std::collections::BTreeSet<String> = bodies
        .iter()
        .filter_map(|b| serde_json::from_str::<Json>(b).ok())
        .filter_map(|b| b["ip"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(networks.len(), 1, "only the first add was started: {networks:?}");
    // One budget (0.5 s here) and the backoff after its last 429, not
    // rounds x items x budget (2 s and more).
    assert!(took < THROTTLE_BUDGET * 3, "{took:?} for {} POSTs", bodies.len());
}

/// An IPv6 network (as a dashboard or a newer API might add) in the listing:
/// the per-item resources that do not own it go on, importing it is a clear
/// error, and the authoritative set shows it as a removal and removes it.
#[tokio::test]
async fn a_record_the_provider_cannot_model_is_isolated() {
    let (f, ctx) = fake().await;
    f.lock().unwrap().held.get_mut("trk1/whitelisted-ips").unwrap().extend([
        json!({"id": "66", "ip": "2001:db8::", "mask": 64}),
        json!({"id": "5", "ip": "198.51.100.5", "mask": 32}),
    ]);
    let one = resource("exotel_trunk_whitelisted_ip");
    // Import, read and create of other IPs work.
    let (five, d) = one.import(&ctx, "trk1/5").await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    let (read, d) = one.read(&ctx, &five).await;
    assert!(errors(&d).is_empty() && read == five, "{:?}", errors(&d));
    let (created, d) = create(one.as_ref(), &ctx, &ip_cfg()).await;
    assert!(errors(&d).is_empty() && !created.is_null(), "{:?}", errors(&d));
    // Importing the one it cannot model says so.
    let (none, d) = one.import(&ctx, "trk1/66").await;
    let e = errors(&d).join("\n");
    assert!(none.is_null() && e.contains("cannot model") && e.contains("2001:db8::"), "{e}");
    // The set shows it by its text and removes it by its id.
    let set_r = resource("exotel_trunk_whitelisted_ips");
    let (state, d) = set_r.import(&ctx, "trk1").await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    let held_now = state.get("cidrs").clone();
    assert!(format!("{held_now:?}").contains("2001:db8::/64"), "{held_now:?}");
    let cfg = obj(set_r.as_ref(), &[("trunk_sid", s("trk1")), ("cidrs", set(&["198.51.100.5/32", "203.0.113.10/32"]))]);
    let (planned, _, d) = plan(set_r.as_ref(), &state, &cfg);
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    requests(&f);
    let (after, d) = set_r.apply(&ctx, &state, &planned, &Value::Null).await;
    assert!(errors(&d).is_empty(), "{:?}", errors(&d));
    assert!(requests(&f).contains(&"DELETE trk1/whitelisted-ips?id=66".to_string()));
    assert_eq!(after.get("cidrs"), planned.get("cidrs"));
    assert!(held(&f, "trk1/whitelisted-ips").iter().all(|r| r["id"] != json!("66")));
}

/// A per-item delete under a 429 storm spends one budget: the throttle
/// window from its first 429, then one confirming listing, and no second
/// round of DELETEs (which would double the time).
#[tokio::test]
async fn a_429_storm_on_a_delete_spends_one_budget_not_one_per_round() {
    let (f, ctx) = fake_with_retries(1).await;
    let r = resource("exotel_trunk_whitelisted_ip");
    let (state, _) = create(r.as_ref(), &ctx, &ip_cfg()).await;
    script(&f, "DELETE", &[Step::Throttle; 500]);
    requests(&f);
    let (kept, d) = r.apply(&ctx, &state, &Value::Null, &Value::Null).await;
    let e = errors(&d).join("\n");
    assert!(e.contains("still active") && e.contains("after 1 attempt to delete it"), "{e}");
    assert_eq!(kept, state, "state keeps the item");
    let log = requests(&f);
    let listings = log.iter().filter(|l| l.starts_with("GET")).count();
    assert_eq!(listings, 1, "one round: its DELETEs, then one confirming listing: {log:?}");
}

// ------------------------------------------------------------------ write-only arguments

/// A credential configuration with the write-only password (and a version).
fn credential_wo(version: i64, password: &str) -> Value {
    let r = resource("exotel_trunk_credential");
    obj(
        r.as_ref(),
        &[
            ("trunk_sid", s("trk1")),
            ("username", s("bot")),
            ("password_wo", s(password)),
            ("password_wo_version", n(version)),
        ],
    )
}

#[test]
fn write_only_attributes_follow_terraforms_rules_in_every_schema() {
    for r in super::all() {
        for a in r.schema().attributes.iter().filter(|a| a.write_only.is_some()) {
            let p = r.schema().to_proto();
            let wire = p.block.unwrap().attributes.into_iter().find(|w| w.name == a.name).unwrap();
            assert!(wire.write_only && wire.sensitive && wire.optional, "{}.{}", r.type_name(), a.name);
            assert!(!wire.computed && !wire.required, "{}.{}: write-only cannot be computed", r.type_name(), a.name);
            assert!(!matches!(a.ty, Type::Set(_) | Type::List(_) | Type::Map(_)), "{}.{}", r.type_name(), a.name);
        }
    }
}

#[test]
fn a_terraform_without_write_only_support_gets_a_clear_refusal_naming_password() {
    let r = resource("exotel_trunk_credential");
    let cfg = credential_wo(1, "pw");
    let refused = errors(&r.validate(&cfg, false));
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].contains("password_wo is a write-only argument"), "{refused:?}");
    assert!(refused[0].contains("Use `password`") && refused[0].contains("1.11"), "{refused:?}");
    assert!(errors(&r.validate(&cfg, true)).is_empty());
    // An unknown value (an ephemeral input not known yet) is set, too.
    let mut unknown = cfg.clone();
    if let Value::Map(m) = &mut unknown {
        m.insert("password_wo".into(), Value::UNKNOWN);
    }
    assert_eq!(errors(&r.validate(&unknown, false)).len(), 1);
    // The stored form works on every Terraform.
    let stored = obj(r.as_ref(), &[("trunk_sid", s("trk1")), ("username", s("bot")), ("password", s("pw"))]);
    assert!(errors(&r.validate(&stored, false)).is_empty());
}

#[test]
fn a_write_only_password_is_null_in_every_plan_and_only_its_version_plans_a_change() {
    let r = resource("exotel_trunk_credential");
    let (created, replace, d) = plan(r.as_ref(), &Value::Null, &credential_wo(1, "pw-1"));
    assert!(errors(&d).is_empty() && replace.is_empty(), "{d:?}");
    assert!(created.get("password_wo").is_null(), "{created:?}");
    assert!(created.get("id").is_unknown());
    let mut prior = created.clone();
    if let Value::Map(m) = &mut prior {
        m.insert("id".into(), s("7"));
    }
    // A new value under the same version: nothing to do.
    let (same, _, _) = plan(r.as_ref(), &prior, &credential_wo(1, "pw-2"));
    assert_eq!(same, prior);
    // A new version: an in-place update; the id is kept.
    let (bumped, replace, _) = plan(r.as_ref(), &prior, &credential_wo(2, "pw-2"));
    assert!(replace.is_empty() && bumped.get("password_wo").is_null());
    assert_eq!((bumped.get("password_wo_version"), bumped.get("id")), (&n(2), &s("7")));
}

#[test]
fn credential_changes_send_what_a_digest_needs() {
    use super::collection::ItemKind;
    use super::credential::{Credentials, TrunkCredential};
    let m = |user: &str, friendly: Option<&str>, pw: Option<&str>, wo: Option<&str>, v: Option<i64>| TrunkCredential {
        id: "7".to_string().into(),
        trunk_sid: "trk1".to_string().into(),
        username: user.to_string().into(),
        friendly_name: friendly.map(str::to_string).into(),
        password: pw.map(Secret::new).into(),
        password_wo: wo.map(Secret::new).into(),
        password_wo_version: v.into(),
    };
    // State never holds password_wo; apply hands it in from the configuration.
    let prior = m("bot", Some("label"), None, None, Some(1));
    assert!(Credentials::change(&prior, &m("bot", Some("label"), None, Some("new"), Some(1))).is_none());
    let rotated = Credentials::change(&prior, &m("bot", Some("label"), None, Some("new"), Some(2))).unwrap();
    assert_eq!((rotated.user_name, rotated.password.map(|p| p.expose().to_string())), (None, Some("new".into())));
    // A new username carries the password (whichever form).
    let renamed = Credentials::change(&prior, &m("bot2", Some("label"), None, Some("wo"), Some(1))).unwrap();
    assert_eq!(renamed.user_name.as_deref(), Some("bot2"));
    assert_eq!(renamed.password.unwrap().expose(), "wo");
    // Removing the label clears it, and sends no password.
    let cleared = Credentials::change(&prior, &m("bot", None, None, Some("wo"), Some(1))).unwrap();
    assert_eq!((cleared.friendly_name.as_deref(), cleared.password), (Some(""), None));
    // Switching forms sends the newly configured password.
    let stored = m("bot", Some("label"), Some("p1"), None, None);
    let to_wo = Credentials::change(&stored, &m("bot", Some("label"), None, Some("w1"), Some(1))).unwrap();
    assert_eq!(to_wo.password.unwrap().expose(), "w1");
    let to_stored = Credentials::change(&prior, &m("bot", Some("label"), Some("p2"), None, None)).unwrap();
    assert_eq!(to_stored.password.unwrap().expose(), "p2");
    // Debug output never shows a password.
    assert!(!format!("{:?}", m("bot", None, Some("hunter2"), Some("hunter3"), None)).contains("hunter"));
}

#[test]
fn a_write_only_value_in_stored_state_is_nulled_on_upgrade() {
    let r = resource("exotel_trunk_credential");
    let stored = br#"{"id":"7","trunk_sid":"trk1","username":"bot","friendly_name":null,"password":null,"password_wo":"leaked","password_wo_version":1}"#;
    let v = r.upgrade(0, stored).expect("upgrade");
    assert!(v.get("password_wo").is_null(), "{v:?}");
    assert_eq!(v.get("id"), &s("7"));
}
