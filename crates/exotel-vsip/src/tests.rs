//! Client and envelope tests: every JSON example of the contract, verbatim,
//! plus the shapes of the field notes; and the client against a local server
//! for retries, Retry-After, pagination and the origin check.

use super::client::Retry;
use super::envelope::{self, parse};
use super::error::ErrorKind;
use super::types::*;
use super::*;
use serde_json::json;

macro_rules! fixture {
    ($dir:literal, $name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/", $dir, "/", $name, ".json"))
    };
}

fn one<T: serde::de::DeserializeOwned>(body: &[u8]) -> T {
    let env = parse(200, body).expect("envelope");
    envelope::check(200, &env, None).expect("success");
    decode(env.records()[0], env.request_id.as_deref()).expect("record")
}

fn all<T: serde::de::DeserializeOwned>(body: &[u8]) -> Vec<T> {
    let env = parse(200, body).expect("envelope");
    envelope::check(200, &env, None).expect("success");
    env.records().into_iter().map(|r| decode(r, None).expect("record")).collect()
}

/// A client of `base` for tests: no rate limit, no sharing, 1 ms backoff.
pub(crate) fn client(base: &str, retries: u32) -> std::sync::Arc<Client> {
    client_with_timeout(base, retries, std::time::Duration::from_secs(5))
}

fn client_with_timeout(base: &str, retries: u32, request_timeout: std::time::Duration) -> std::sync::Arc<Client> {
    let mut c = Client::new(
        ClientConfig {
            base_url: url::Url::parse(base).unwrap(),
            account_sid: "acme1".into(),
            api_key: "key".into(),
            api_token: Secret::new("tok3n"),
            max_retries: retries,
            max_requests_per_minute: 0,
            request_timeout,
            user_agent: "number-sync/test".into(),
            sharing: crate::Sharing::Off,
        },
        CancellationToken::new(),
    )
    .unwrap();
    c.set_backoff_base(std::time::Duration::from_millis(1));
    c
}

#[test]
fn contract_create_trunk() {
    let t: Trunk = one(fixture!("contract", "create_trunk_example_response"));
    assert_eq!(t.trunk_sid, "<trunk_sid>");
    assert_eq!(t.trunk_name.as_deref(), Some("my_trunk"));
    assert_eq!(t.nso_code.as_deref(), Some("ANY-ANY"));
    assert_eq!(t.date_created.as_deref(), Some("2025-01-22T10:00:00Z"));
    let env = parse(200, fixture!("contract", "create_trunk_example_response")).unwrap();
    assert_eq!(env.request_id.as_deref(), Some("a1b2c3d4e5f6"));
}

#[test]
fn contract_phone_numbers() {
    let p: PhoneNumber = one(fixture!("contract", "map_phone_number_example_response"));
    assert_eq!((p.id.as_str(), p.phone_number.as_str()), ("<phone_number_id>", "+919XXXXXXXXX"));
    let l: Vec<PhoneNumber> = all(fixture!("contract", "get_phone_numbers_example_response"));
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].trunk_sid.as_deref(), Some("<trunk_sid>"));
}

#[test]
fn contract_whitelisted_ips() {
    let i: WhitelistedIp = one(fixture!("contract", "whitelist_ip_address_example_response"));
    assert_eq!((i.ip.as_str(), i.mask), ("<your_server_ip>", Some(32)));
    let l: Vec<WhitelistedIp> = all(fixture!("contract", "get_whitelisted_ips_example_response"));
    assert_eq!(l[0].id, "<whitelist_id>");
}

#[test]
fn contract_destinations_response_is_an_array() {
    let d: Destination = one(fixture!("contract", "add_destination_uri_example_response"));
    assert_eq!(d.destination, "sip:<your_server_ip>:5061;transport=tls");
    let l: Vec<Destination> = all(fixture!("contract", "get_destination_uris_example_response"));
    assert_eq!(l[0].id, "<destination_id>");
}

#[test]
fn contract_credentials_settings_delete() {
    let c: Credentials = one(fixture!("contract", "get_credentials_example_response"));
    assert_eq!(c.username.as_deref(), Some("<trunk_sid>"));
    assert_eq!(c.password.as_ref().map(|p| p.expose()), Some("<sip_password>"));
    assert!(!format!("{c:?}").contains("<sip_password>"));
    let s: Setting = one(fixture!("contract", "set_trunk_alias_example_response"));
    assert_eq!((s.name.as_str(), s.value.as_deref()), ("trunk_external_alias", Some("+919XXXXXXXXX")));
    let env = parse(200, fixture!("contract", "delete_trunk_example_response")).unwrap();
    envelope::check(200, &env, None).unwrap();
    assert!(env.records().is_empty());
}

#[test]
fn contract_error_format() {
    let body = fixture!("contract", "error_response_format");
    let env = parse(400, body).unwrap();
    let e = envelope::check(400, &env, None).unwrap_err();
    match &e {
        ErrorKind::Api { http_status, status, code, message, description, request_id, .. } => {
            assert_eq!((*http_status, *status, *code), (400, 400, Some(1000)));
            assert_eq!(message, "Invalid request");
            assert_eq!(description, "Missing required field: trunk_name");
            assert_eq!(request_id.as_deref(), Some("xyz123"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!e.is_transient());
    let shown = e.to_string();
    assert!(shown.contains("1000") && shown.contains("xyz123"), "{shown}");
}

#[test]
fn contract_request_examples_parse_as_our_request_shapes() {
    // Each request example has the keys and value types our client sends.
    let t: serde_json::Value = serde_json::from_slice(fixture!("contract", "create_trunk_example_request")).unwrap();
    assert_eq!(t.as_object().unwrap().keys().collect::<Vec<_>>(), vec!["domain_name", "nso_code", "trunk_name"]);
    let p: serde_json::Value =
        serde_json::from_slice(fixture!("contract", "map_phone_number_example_request")).unwrap();
    assert!(p["phone_number"].is_string());
    let i: serde_json::Value =
        serde_json::from_slice(fixture!("contract", "whitelist_ip_address_example_request")).unwrap();
    assert!(i["ip"].is_string() && i["mask"].is_i64());
    for d in [
        &fixture!("contract", "add_destination_uri_example_request_tls_recommended")[..],
        &fixture!("contract", "add_destination_uri_example_request_tcp")[..],
    ] {
        let d: serde_json::Value = serde_json::from_slice(d).unwrap();
        assert!(d["destinations"][0]["destination"].is_string());
    }
    let s: serde_json::Value = serde_json::from_slice(fixture!("contract", "set_trunk_alias_example_request")).unwrap();
    assert_eq!(s["settings"][0]["name"], "trunk_external_alias");
}

#[test]
fn field_notes_pagination_and_integer_ids() {
    let env = parse(200, fixture!("field-notes", "paginated_phone_numbers_page1")).unwrap();
    assert_eq!(env.next_page_uri.as_deref(), Some("/v2/accounts/acme1/trunks/trk1/phone-numbers?offset=50"));
    let l: Vec<PhoneNumber> = all(fixture!("field-notes", "paginated_phone_numbers_page1"));
    assert_eq!(l[0].id, "41512");
    assert_eq!(l[1].id, "41513");
    assert_eq!(l[0].mode, None);
    assert_eq!(l[1].mode.as_deref(), Some("flow"));
    let last = parse(200, fixture!("field-notes", "paginated_phone_numbers_last")).unwrap();
    assert_eq!(last.next_page_uri, None);
}

#[test]
fn field_notes_conflict_inside_http_200() {
    let env = parse(200, fixture!("field-notes", "duplicate_in_envelope")).unwrap();
    let e = envelope::check(200, &env, None).unwrap_err();
    assert!(e.is_conflict(), "{e:?}");
    assert_eq!(e.exotel_code(), Some(1008));
    assert!(!e.is_transient());
}

#[test]
fn field_notes_not_found_1000_and_429() {
    let env = parse(404, fixture!("field-notes", "not_found_1000")).unwrap();
    let e = envelope::check(404, &env, None).unwrap_err();
    assert!(e.is_not_found());
    let env = parse(429, fixture!("field-notes", "rate_limited")).unwrap();
    let e = envelope::check(429, &env, Some(3)).unwrap_err();
    assert!(e.is_transient() && e.provably_not_applied());
}

#[test]
fn field_notes_multi_status_reports_the_failed_item() {
    let env = parse(207, fixture!("field-notes", "destinations_multi_status")).unwrap();
    let e = envelope::check(207, &env, None).unwrap_err();
    assert_eq!(e.exotel_code(), Some(1001));
    let ok: Destination = decode(env.records()[0], None).unwrap();
    assert_eq!((ok.id.as_str(), ok.priority, ok.weight), ("77", Some(0), Some(1)));
}

#[test]
fn field_notes_unknown_fields_and_digest_credentials() {
    let t: Vec<Trunk> = all(fixture!("field-notes", "trunk_with_extra_fields"));
    assert_eq!(t[0].trunk_name.as_deref(), Some("my_trunk"));
    let c: Credentials = one(fixture!("field-notes", "digest_credentials_listing"));
    assert_eq!(c.username.as_deref(), Some("alice"));
    assert!(c.password.is_none());
}

#[test]
fn bodies_that_are_not_the_envelope_are_decode_errors() {
    for (status, body, transient) in [
        (502, &b"<html><body>502 Bad Gateway</body></html>"[..], true),
        (200, &b""[..], true),
        (200, &b"{\"request_id\":\"x\",\"resp"[..], true),
        (200, &b"[1,2]"[..], true),
        (200, &b"{\"request_id\":\"r9\"}"[..], true),
        (404, &b"404 page not found"[..], false),
    ] {
        let e = parse(status, body).unwrap_err();
        assert!(matches!(e, ErrorKind::Decode { .. }), "{e:?}");
        assert_eq!(e.is_transient(), transient, "{status} {e}");
    }
    let e = parse(200, b"{\"request_id\":\"r9\"}").unwrap_err();
    assert!(e.to_string().contains("r9"));
}

#[test]
fn secrets_never_appear_in_decode_errors_or_excerpts() {
    let rec = json!({"username": {"x": 1}, "password": "S3cretPW"});
    let e = decode_secret::<Credentials>(&rec, None).unwrap_err();
    let t = format!("{e} {e:?}");
    assert!(!t.contains("S3cretPW") && t.contains("username"), "{t}");
    // A password of the wrong type: serde would quote it.
    let rec = json!({"username": "u", "password": ["S3cretPW"]});
    let t = format!("{:?}", decode::<Credentials>(&rec, None).unwrap_err());
    assert!(!t.contains("S3cretPW") && t.contains("password"), "{t}");
    // Excerpts of raw bodies, even cut off, mask secret fields.
    for body in [
        &br#"{"request_id":"x","response":{"data":{"password":"S3cretPW","username":"u"}"#[..],
        &br#"{"data":{"Password" : "S3cret"PW","api_token":"S3cretPW"}}"#[..],
        &br#"not json at all "password":"S3cretPW"#[..],
    ] {
        let ex = envelope::excerpt(body);
        assert!(!ex.contains("S3cret"), "{ex}");
    }
    let env =
        parse(200, br#"{"response":{"status":"success","code":200,"data":{"username":"u","password":"S3cretPW"}}}"#)
            .unwrap();
    assert!(!format!("{env:?}").contains("S3cretPW"));
    // A numeric username (the trunk SID as a number) is accepted.
    let c: Credentials = decode_secret(&json!({"username": 41501, "password": "p"}), None).unwrap();
    assert_eq!(c.username.as_deref(), Some("41501"));
}

#[test]
fn numbers_outside_their_range_are_errors_not_saturated() {
    for rec in [
        json!({"id": "1", "ip": "1.2.3.4", "mask": 1e300}),
        json!({"id": "1", "ip": "1.2.3.4", "mask": 33}),
        json!({"id": "1", "ip": "1.2.3.4", "mask": -1}),
        json!({"id": 1e20, "ip": "1.2.3.4"}),
        json!({"id": 1.5, "ip": "1.2.3.4"}),
        json!({"id": "..", "ip": "1.2.3.4"}),
    ] {
        assert!(decode::<WhitelistedIp>(&rec, None).is_err(), "{rec}");
    }
    let ok: WhitelistedIp = decode(&json!({"id": 41512.0, "ip": "1.2.3.4", "mask": "24"}), None).unwrap();
    assert_eq!((ok.id.as_str(), ok.mask), ("41512", Some(24)));
    assert!(decode::<Destination>(&json!({"id": "1", "destination": "x", "priority": 70000}), None).is_err());
    assert!(decode::<Trunk>(&json!({"trunk_sid": "../x"}), None).is_err());
}

#[test]
fn wrong_field_types_are_decode_errors() {
    let env =
        parse(200, br#"{"response":{"status":"success","code":200,"data":{"id":{"x":1},"ip":"1.2.3.4"}}}"#).unwrap();
    let e = decode::<WhitelistedIp>(env.records()[0], None).unwrap_err();
    assert!(matches!(e, ErrorKind::Decode { .. }));
}

#[test]
fn only_an_unreadable_2xx_answer_is_an_unreadable_success() {
    let decode = |status| {
        ApiError::new(
            "GET /trunks",
            1,
            ErrorKind::Decode { status, request_id: None, excerpt: String::new(), reason: "not the envelope".into() },
        )
    };
    assert!(decode(200).is_unreadable_success());
    assert!(decode(204).is_unreadable_success());
    for status in [0, 302, 401, 404, 429, 500] {
        assert!(!decode(status).is_unreadable_success(), "{status}");
        assert!(decode(status).is_undecodable(), "{status}");
    }
    // A create's success answer without the created record is one too.
    assert!(ApiError::missing_record("POST /x", "an item").is_unreadable_success());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn envelope_parser_never_panics(body in proptest::collection::vec(any::<u8>(), 0..256), status in 100u16..600) {
            if let Ok(env) = parse(status, &body) {
                let _ = envelope::check(status, &env, None);
                let _ = env.records();
            }
        }

        #[test]
        fn envelope_parser_never_panics_on_json_shapes(code in proptest::option::of(-5i64..1000), data in prop_oneof![
            Just(json!(null)), Just(json!([])), Just(json!({})), Just(json!("x")), Just(json!([{"id": 1}])), Just(json!(3))
        ], as_array in any::<bool>()) {
            let item = json!({"status": "success", "code": code, "data": data});
            let response = if as_array { json!([item]) } else { item };
            let body = json!({"request_id": 1, "response": response}).to_string();
            let env = parse(200, body.as_bytes()).unwrap();
            let _ = envelope::check(200, &env, None);
            for r in env.records() {
                let _ = decode::<PhoneNumber>(r, None);
            }
        }
    }
}

// ------------------------------------------------------------------ client

mod client_behaviour {
    use super::*;
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::IntoResponse;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    type Handler = Arc<dyn Fn(u32, &str, &HeaderMap) -> axum::response::Response + Send + Sync>;

    async fn server(h: Handler) -> (String, Arc<AtomicU32>) {
        let count = Arc::new(AtomicU32::new(0));
        let c2 = count.clone();
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap| {
            let n = c2.fetch_add(1, Ordering::SeqCst) + 1;
            let h = h.clone();
            async move { h(n, &uri.to_string(), &headers) }
        });
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
        (format!("http://{addr}"), count)
    }

    fn ok_body() -> axum::response::Response {
        axum::Json(json!({"request_id": "ok1", "response": {"status": "success", "code": 200, "data": []}}))
            .into_response()
    }

    #[tokio::test]
    async fn sends_basic_auth_and_user_agent() {
        let (base, _) = server(Arc::new(|_, _, h: &HeaderMap| {
            let auth = h.get("authorization").unwrap().to_str().unwrap().to_string();
            let ua = h.get("user-agent").unwrap().to_str().unwrap().to_string();
            // "key:tok3n"
            if auth == "Basic a2V5OnRvazNu" && ua == "number-sync/test" {
                ok_body()
            } else {
                StatusCode::UNAUTHORIZED.into_response()
            }
        }))
        .await;
        client(&base, 0).get("/trunks/x/phone-numbers").await.unwrap();
    }

    #[tokio::test]
    async fn retries_transient_get_then_gives_up_with_count() {
        let (base, count) = server(Arc::new(|n, _, _: &HeaderMap| {
            if n < 3 { (StatusCode::BAD_GATEWAY, "<html>502</html>").into_response() } else { ok_body() }
        }))
        .await;
        client(&base, 4).get("/x").await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 3);

        let (base, count) =
            server(Arc::new(|_, _, _: &HeaderMap| StatusCode::SERVICE_UNAVAILABLE.into_response())).await;
        let e = client(&base, 2).get("/x").await.unwrap_err();
        assert_eq!(count.load(Ordering::SeqCst), 3);
        assert_eq!(e.attempts, 3);
        assert!(e.to_string().contains("after 3 attempts"), "{e}");
    }

    #[tokio::test]
    async fn create_is_not_retried_after_ambiguous_failure_but_is_after_429() {
        let (base, count) =
            server(Arc::new(|_, _, _: &HeaderMap| StatusCode::INTERNAL_SERVER_ERROR.into_response())).await;
        let e = client(&base, 4).post("/trunks", json!({}), Retry::Create).await.unwrap_err();
        assert_eq!(count.load(Ordering::SeqCst), 1);
        assert!(e.kind.is_transient() && !e.kind.provably_not_applied());

        let (base, count) = server(Arc::new(|n, _, _: &HeaderMap| {
            if n == 1 {
                (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")], "slow down").into_response()
            } else {
                ok_body()
            }
        }))
        .await;
        client(&base, 4).post("/trunks", json!({}), Retry::Create).await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn connection_refused_is_provably_not_applied() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", l.local_addr().unwrap());
        drop(l);
        let e = client(&base, 1).post("/trunks", json!({}), Retry::Create).await.unwrap_err();
        assert!(e.kind.provably_not_applied(), "{e:?}");
        assert_eq!(e.attempts, 2);
        assert!(!e.to_string().contains("tok3n"));
    }

    #[tokio::test]
    async fn follows_pages_and_refuses_other_origins() {
        let (base, _) = server(Arc::new(|_, uri: &str, _: &HeaderMap| {
            let (data, next) = if uri.contains("offset=2") {
                (json!([{"id": 3}]), json!(null))
            } else if uri.contains("evil") {
                (json!([]), json!("https://evil.example.com/v2/steal"))
            } else {
                (json!([{"id": 1}, {"id": 2}]), json!("/v2/accounts/acme1/trunks/t/phone-numbers?offset=2"))
            };
            axum::Json(json!({"response": {"status": "success", "code": 200, "data": data}, "metadata": {"next_page_uri": next}})).into_response()
        }))
        .await;
        let c = client(&base, 0);
        let all = c.get_all("/trunks/t/phone-numbers").await.unwrap();
        assert_eq!(all.len(), 3);
        let e = c.get_all("/evil").await.unwrap_err();
        assert!(e.to_string().contains("refused to follow pagination link"), "{e}");
    }

    fn page(data: serde_json::Value, next: serde_json::Value) -> axum::response::Response {
        axum::Json(
            json!({"response": {"status": "success", "code": 200, "data": data}, "metadata": {"next_page_uri": next}}),
        )
        .into_response()
    }

    #[tokio::test]
    async fn a_looping_next_page_uri_is_an_error_at_once() {
        let (base, count) = server(Arc::new(|_, uri: &str, _: &HeaderMap| {
            if uri.contains("offset=2") {
                page(json!([{"id": 3}]), json!("/v2/accounts/acme1/x?offset=0"))
            } else {
                page(json!([{"id": 1}]), json!("/v2/accounts/acme1/x?offset=2"))
            }
        }))
        .await;
        let e = client(&base, 4).get_all("/x?offset=0").await.unwrap_err();
        assert!(matches!(*e.kind, ErrorKind::Pagination { .. }), "{e}");
        assert!(e.to_string().contains("leads back to a page already fetched"), "{e}");
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_relative_next_page_uri_resolves_against_the_current_page() {
        let (base, _) = server(Arc::new(|_, uri: &str, _: &HeaderMap| {
            if uri == "/v2/accounts/acme1/trunks/t/page2" {
                page(json!([{"id": 2}]), json!(null))
            } else if uri == "/v2/accounts/acme1/trunks/t/ips" {
                page(json!([{"id": 1}]), json!("page2"))
            } else {
                StatusCode::IM_A_TEAPOT.into_response()
            }
        }))
        .await;
        assert_eq!(client(&base, 0).get_all("/trunks/t/ips").await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused_with_or_without_a_length() {
        let (base, count) = server(Arc::new(|n, _, _: &HeaderMap| {
            let big = vec![b' '; client::MAX_BODY + 1];
            if n == 1 {
                (StatusCode::OK, big).into_response()
            } else {
                let chunks = futures::stream::iter(
                    big.chunks(1 << 20)
                        .map(|c| Ok::<_, std::io::Error>(axum::body::Bytes::copy_from_slice(c)))
                        .collect::<Vec<_>>(),
                );
                axum::response::Response::new(axum::body::Body::from_stream(chunks))
            }
        }))
        .await;
        let c = client(&base, 4);
        for _ in 0..2 {
            let e = c.get("/x").await.unwrap_err();
            assert!(matches!(*e.kind, ErrorKind::TooLarge { .. }), "{e}");
            assert!(e.to_string().contains("16 MiB"), "{e}");
        }
        // not retried
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_retry_after_beyond_the_budget_is_an_error_right_away() {
        let (base, count) = server(Arc::new(|_, _, _: &HeaderMap| {
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "300")], "").into_response()
        }))
        .await;
        let started = std::time::Instant::now();
        let e = client(&base, 4).get("/x").await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(count.load(Ordering::SeqCst), 1);
        assert!(e.to_string().contains("Exotel asks to wait 300 s"), "{e}");
        assert!(e.kind.provably_not_applied());
    }

    #[tokio::test]
    async fn redirects_are_reported_not_followed_nor_retried() {
        let (base, count) = server(Arc::new(|_, _, _: &HeaderMap| {
            (StatusCode::MOVED_PERMANENTLY, [("location", "https://api.in.exotel.com/v2/x")], "moved").into_response()
        }))
        .await;
        let e = client(&base, 4).post("/trunks", json!({}), Retry::Create).await.unwrap_err();
        assert_eq!(count.load(Ordering::SeqCst), 1);
        let t = e.to_string();
        assert!(t.contains("HTTP 301 redirect to https://api.in.exotel.com/v2/x"), "{t}");
        assert!(e.kind.is_definite_refusal());
    }

    #[tokio::test]
    async fn one_html_404_on_a_delete_is_retried_never_a_verdict() {
        let (base, count) = server(Arc::new(|n, _, _: &HeaderMap| {
            if n == 1 { (StatusCode::NOT_FOUND, "<html>404 Not Found</html>").into_response() } else { ok_body() }
        }))
        .await;
        client(&base, 4).delete("/trunks/t/whitelisted-ips?id=1").await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 2);

        // 404 on every attempt: the one verdict that the route is missing.
        let (base, count) =
            server(Arc::new(|_, _, _: &HeaderMap| (StatusCode::NOT_FOUND, "404 page not found").into_response())).await;
        let e = client(&base, 2).delete("/trunks/t/whitelisted-ips?id=1").await.unwrap_err();
        assert!(e.is_route_missing(), "{e:?}");
        assert_eq!(count.load(Ordering::SeqCst), 3);

        // Exotel's own "not found" is an answer about the item, not the route.
        let (base, _) = server(Arc::new(|_, _, _: &HeaderMap| {
            (StatusCode::NOT_FOUND, axum::Json(json!({"response": {"status": "failure", "code": 404, "error_data": {"code": 1003, "message": "Resource not found"}}})))
                .into_response()
        }))
        .await;
        let e = client(&base, 2).delete("/trunks/t/whitelisted-ips?id=1").await.unwrap_err();
        assert!(!e.is_route_missing() && e.kind.is_not_found(), "{e:?}");
    }

    #[tokio::test]
    async fn paths_with_dot_segments_are_never_sent() {
        let (base, count) = server(Arc::new(|_, _, _: &HeaderMap| ok_body())).await;
        let c = client(&base, 0);
        for bad in ["/trunks/../whitelisted-ips", "/trunks/%2e%2e/x", "/trunks//x", "/trunks/a%2Fb/x"] {
            let e = c.get(bad).await.unwrap_err();
            assert!(matches!(*e.kind, ErrorKind::NotSent { .. }), "{bad}: {e}");
        }
        assert_eq!(count.load(Ordering::SeqCst), 0);
        c.get(&format!("/trunks/{}/x", crate::ids::encode_segment("a b"))).await.unwrap();
        assert_eq!(c.url("/trunks/a%20b/x").unwrap().path(), "/v2/accounts/acme1/trunks/a%20b/x");
    }

    #[tokio::test]
    async fn stop_cancels_backoff_at_once() {
        let (base, _) = server(Arc::new(|_, _, _: &HeaderMap| {
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "60")], "").into_response()
        }))
        .await;
        let c = client(&base, 4);
        let stop = c.stop_token().clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            stop.cancel();
        });
        let started = std::time::Instant::now();
        let e = c.get("/x").await.unwrap_err();
        assert!(matches!(*e.kind, ErrorKind::Cancelled), "{e:?}");
        assert!(started.elapsed() < Duration::from_secs(30));
    }

    #[tokio::test]
    async fn a_list_is_fetched_once_per_run_until_we_change_it() {
        let (base, count) = server(Arc::new(|_, _, _: &HeaderMap| ok_body())).await;
        let c = client(&base, 0);
        // concurrent readers share one fetch
        let (a, b, d) = tokio::join!(c.get_all_cached("/t/x"), c.get_all_cached("/t/x"), c.get_all_cached("/t/x"));
        assert!(a.is_ok() && b.is_ok() && d.is_ok());
        assert_eq!(count.load(Ordering::SeqCst), 1);
        // a change we made invalidates it: the next read fetches again
        c.invalidate("/t/x");
        c.get_all_cached("/t/x").await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 2);
        c.invalidate_prefix("/t/");
        c.get_all_cached("/t/x").await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 3);
        // a failure is not kept
        let (base, count) = server(Arc::new(
            |n, _, _: &HeaderMap| {
                if n == 1 { StatusCode::BAD_REQUEST.into_response() } else { ok_body() }
            },
        ))
        .await;
        let c = client(&base, 0);
        assert!(c.get_all_cached("/y").await.is_err());
        assert!(c.get_all_cached("/y").await.is_ok());
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn request_timeout_bounds_each_attempt() {
        let (base, count) = server(Arc::new(|_, _, _: &HeaderMap| ok_body())).await;
        // a server that answers late
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let slow = format!("http://{}", l.local_addr().unwrap());
        let app = axum::Router::new().fallback(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "late"
        });
        tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
        let c = client_with_timeout(&slow, 1, Duration::from_millis(200));
        let started = std::time::Instant::now();
        let e = c.get("/x").await.unwrap_err();
        assert!(matches!(*e.kind, ErrorKind::Transport { timeout: true, .. }), "{e:?}");
        assert_eq!(e.attempts, 2);
        assert!(started.elapsed() < Duration::from_secs(10));
        drop((base, count));
    }

    #[tokio::test]
    async fn rate_limits_are_waited_out_without_using_up_max_retries() {
        let handler: Handler =
            Arc::new(
                |n, _, _: &HeaderMap| {
                    if n <= 6 { (StatusCode::TOO_MANY_REQUESTS, "slow down").into_response() } else { ok_body() }
                },
            );
        let (base, count) = server(handler.clone()).await;
        client(&base, 1).post("/trunks", json!({}), Retry::Create).await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 7);
        // max_retries = 0 turns every retry off, 429s included
        let (base, count) = server(handler).await;
        let e = client(&base, 0).get("/x").await.unwrap_err();
        assert_eq!(count.load(Ordering::SeqCst), 1);
        assert_eq!(e.kind.status(), Some(429));
    }

    /// Secrets are masked by value, whatever an answer echoes: an HTML page
    /// quoting the request headers, an envelope quoting `key:token`, a
    /// percent-encoded form; and before an excerpt is cut.
    #[tokio::test]
    async fn echoed_credentials_never_reach_an_error() {
        let (base, _) = server(Arc::new(|n, _, h: &HeaderMap| {
            let auth = h.get("authorization").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
            match n {
                // a proxy's 502 page echoing the request headers, the header
                // where an excerpt would cut it
                1 => (
                    StatusCode::BAD_GATEWAY,
                    format!(
                        "<html><body>{}Bad gateway. Request headers: Authorization: {auth}</body></html>",
                        "x".repeat(49)
                    ),
                )
                    .into_response(),
                // a 401 envelope echoing key:token, JSON-escaped and percent-encoded
                _ => (
                    StatusCode::UNAUTHORIZED,
                    axum::Json(json!({"request_id": "r9", "response": {"status": "failure", "code": 401,
                        "error_data": {"code": 1010, "message": "Authorization failed for key:tok3n",
                        "description": "token=tok3n (key%3Atok3n)"}}})),
                )
                    .into_response(),
            }
        }))
        .await;
        let c = client(&base, 0);
        for _ in 0..2 {
            let e = c.get("/trunks").await.unwrap_err();
            let shown = format!("{e} {e:?} {}", e.kind);
            // "a2V5OnRv": the start of the Basic credentials, which an excerpt
            // cut before masking would keep.
            for secret in ["tok3n", "a2V5OnRv", "key%3Atok3n"] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
            assert!(shown.contains("***"), "{shown}");
        }
    }

    /// A SIP password sent in a body is masked in every answer that quotes
    /// it back (an error envelope, a proxy page), on the request that sent
    /// it and on later ones.
    #[tokio::test]
    async fn echoed_sip_passwords_never_reach_an_error() {
        use crate::routes::{CredentialChange, NewCredential};
        use crate::types::Credential;
        let (base, _) = server(Arc::new(|n, _, _: &HeaderMap| match n {
            1 => (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({"response": {"status": "failure", "code": 400, "error_data": {"code": 1001,
                    "message": "Invalid parameter", "description": "password \"s3cr&t pw\" is too weak (s3cr%26t%20pw)"}}})),
            )
                .into_response(),
            _ => (StatusCode::BAD_GATEWAY, "<html>upstream said: user_name=bob&password=n3w+pw</html>").into_response(),
        }))
        .await;
        let c = client(&base, 0);
        let items = c.trunk("trk1").items::<Credential>();
        let new = NewCredential { user_name: "bob".into(), password: Secret::new("s3cr&t pw"), friendly_name: None };
        let e = items.create(&[new]).await.unwrap_err();
        let change = CredentialChange { password: Some(Secret::new("n3w pw")), ..Default::default() };
        let e2 = items.update("7", &change).await.unwrap_err();
        for e in [e, e2] {
            let shown = format!("{e} {e:?} {}", e.kind);
            for secret in ["s3cr", "n3w"] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
        }
    }

    /// A create answered "no such route" (a router's plain 404) created
    /// nothing: it is sent again, and only every attempt answering so is the
    /// verdict that the API lacks the route.
    #[tokio::test]
    async fn a_create_without_a_route_is_confirmed_before_the_verdict() {
        let (base, count) =
            server(Arc::new(|_, _, _: &HeaderMap| (StatusCode::NOT_FOUND, "404 page not found").into_response())).await;
        let e =
            client(&base, 2).post("/trunks/t/credentials", json!({}), crate::client::Retry::Create).await.unwrap_err();
        assert!(e.is_route_missing(), "{e:?}");
        assert_eq!(count.load(Ordering::SeqCst), 3);
        let (base, count) = server(Arc::new(|n, _, _: &HeaderMap| {
            if n == 1 { (StatusCode::NOT_FOUND, "404 page not found").into_response() } else { ok_body() }
        }))
        .await;
        client(&base, 2).post("/trunks/t/credentials", json!({}), crate::client::Retry::Create).await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    /// After a stop (the stop token) a read that settles nothing ends at once; it does
    /// not wait out the grace that requests changing something get.
    #[tokio::test]
    async fn stop_ends_a_hung_read_at_once() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hung = format!("http://{}", l.local_addr().unwrap());
        let app = axum::Router::new().fallback(|| async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            "late"
        });
        tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
        let c = client_with_timeout(&hung, 0, Duration::from_secs(20));
        let stop = c.stop_token().clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            stop.cancel();
        });
        let started = std::time::Instant::now();
        let e = c.get("/trunks").await.unwrap_err();
        assert!(matches!(*e.kind, ErrorKind::Cancelled), "{e:?}");
        // The grace for changes would be min(request_timeout, 30 s) = 20 s.
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }
}
