//! A panic in a handler becomes a diagnostic and the process keeps serving;
//! StopProvider lets a create on the wire finish and starts nothing new.

use crate::client::*;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use terraform_provider_exotel::proto::tfplugin6 as pb;
use terraform_provider_exotel::proto::tfplugin6::provider_client::ProviderClient;
use terraform_provider_exotel::tf::value::{self, Value};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn msgpack(v: &Value, ty: &terraform_provider_exotel::tf::types::Type) -> pb::DynamicValue {
    pb::DynamicValue { msgpack: value::to_msgpack(v, ty).unwrap(), json: vec![] }
}

fn s(v: &str) -> Value {
    Value::String(v.into())
}

#[test]
fn a_panicking_handler_is_a_diagnostic_and_the_process_keeps_serving() {
    let mut p = start(None, &[("TF_PROVIDER_TEST_PANIC_RPC", "ValidateResourceConfig")]);
    rt().block_on(async {
        let mut c = provider(connect_plain(&p.socket).await);
        let r = c
            .validate_resource_config(pb::validate_resource_config::Request {
                type_name: "exotel_trunk".into(),
                config: None,
                client_capabilities: None,
            })
            .await
            .expect("a response, not a gRPC error")
            .into_inner();
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].summary, "Internal provider error");
        assert!(r.diagnostics[0].detail.contains("ValidateResourceConfig"), "{:?}", r.diagnostics[0]);
        // still serving
        let schema = c.get_provider_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
        assert!(schema.resource_schemas.contains_key("exotel_trunk"));
        let again = c
            .validate_resource_config(pb::validate_resource_config::Request {
                type_name: "exotel_trunk".into(),
                config: None,
                client_capabilities: None,
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(again.diagnostics[0].summary, "Internal provider error");
    });
    assert!(p.child.try_wait().unwrap().is_none(), "the provider process died");
}

/// Configures a provider process against the simulator.
async fn configure(c: &mut ProviderClient<tonic::transport::Channel>, sim: &crate::support::Sim) {
    let cfg_ty = terraform_provider_exotel::exotel::config::schema().object_type();
    let cfg = Value::Map(BTreeMap::from([
        ("base_url".to_string(), s(&sim.base_url)),
        ("api_key".to_string(), s(crate::support::API_KEY)),
        ("api_token".to_string(), s(crate::support::API_TOKEN)),
        ("account_sid".to_string(), s(crate::support::ACCOUNT_SID)),
    ]));
    let r = c
        .configure_provider(pb::configure_provider::Request {
            terraform_version: "1.15.5".into(),
            config: Some(msgpack(&cfg, &cfg_ty)),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

fn destination_create(
    trunk_sid: &str,
    dest: &str,
) -> (pb::apply_resource_change::Request, terraform_provider_exotel::tf::types::Type) {
    let p = terraform_provider_exotel::exotel::service();
    let ty = p.resource_schemas().into_iter().find(|(n, _)| *n == "exotel_trunk_destination").unwrap().1.object_type();
    let planned = Value::Map(BTreeMap::from([
        ("id".to_string(), Value::UNKNOWN),
        ("trunk_sid".to_string(), s(trunk_sid)),
        ("destination".to_string(), s(dest)),
        ("uri".to_string(), Value::UNKNOWN),
        ("priority".to_string(), Value::Number(terraform_provider_exotel::tf::value::Number::Int(0))),
        ("weight".to_string(), Value::Number(terraform_provider_exotel::tf::value::Number::Int(1))),
        ("date_created".to_string(), Value::UNKNOWN),
    ]));
    let req = pb::apply_resource_change::Request {
        type_name: "exotel_trunk_destination".into(),
        prior_state: Some(msgpack(&Value::Null, &ty)),
        planned_state: Some(msgpack(&planned, &ty)),
        config: Some(msgpack(&planned, &ty)),
        ..Default::default()
    };
    (req, ty)
}

/// Ctrl-C (StopProvider) while a create is on the wire: the create is not
/// abandoned as an orphan; it finishes and comes back without an error, so
/// Terraform records it. Nothing new starts after the stop.
#[test]
fn stop_lets_a_create_on_the_wire_finish_and_starts_nothing_new() {
    let sim = crate::support::Sim::start(&[]);
    let t = sim.api(
        reqwest::Method::POST,
        "/trunks",
        Some(
            serde_json::json!({"trunk_name": "inbound", "nso_code": "ANY-ANY", "domain_name": "acme1.pstn.exotel.com"}),
        ),
    );
    let sid = t["response"]["data"]["trunk_sid"].as_str().unwrap().to_string();
    // The create lists the trunk's destinations (snapshot), then POSTs: 1 s each.
    sim.set_faults(serde_json::json!({"latency_ms": 1000}));
    let mut p = start(None, &[]);
    rt().block_on(async {
        let ch = connect_plain(&p.socket).await;
        let mut c = provider(ch.clone());
        configure(&mut c, &sim).await;
        let (req, ty) = destination_create(&sid, "sip.example.com:5061;transport=tls");
        let mut c2 = provider(ch.clone());
        let apply = tokio::spawn(async move { c2.apply_resource_change(req).await });
        // Stop while the POST is on the wire (it is sent after ~1 s).
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let stopped = Instant::now();
        c.stop_provider(pb::stop_provider::Request {}).await.unwrap();
        let r = tokio::time::timeout(Duration::from_secs(25), apply)
            .await
            .expect("apply still running")
            .unwrap()
            .unwrap()
            .into_inner();
        eprintln!("the create on the wire ended {:?} after StopProvider", stopped.elapsed());
        assert!(
            r.diagnostics.iter().all(|d| d.severity != pb::diagnostic::Severity::Error as i32),
            "{:?}",
            r.diagnostics
        );
        let state = value::from_msgpack(&r.new_state.unwrap().msgpack, &ty).unwrap();
        assert!(matches!(state.get("id"), Value::String(id) if !id.is_empty()), "{state:?}");

        // After the stop, a new create is not sent at all.
        let (req, _) = destination_create(&sid, "198.51.100.20:5060;transport=tcp");
        let r = provider(ch.clone()).apply_resource_change(req).await.unwrap().into_inner();
        let e = r.diagnostics.iter().find(|d| d.severity == pb::diagnostic::Severity::Error as i32).expect("an error");
        assert!(e.summary.contains("not created") && e.detail.contains("before it was sent"), "{e:?}");
        assert_eq!(e.detail.matches("asked the provider to stop").count(), 1, "{e:?}");
    });
    let dests = sim.trunks()[0]["destinations"].as_array().unwrap().len();
    assert_eq!(dests, 1, "the create on the wire was lost or the later one was sent");
    let _ = p.child.kill();
}

#[test]
fn sigint_is_ignored_and_late_rpcs_answer() {
    let mut p = start(None, &[]);
    let st = std::process::Command::new("kill").args(["-INT", &p.child.id().to_string()]).status().unwrap();
    assert!(st.success());
    std::thread::sleep(Duration::from_millis(100));
    assert!(p.child.try_wait().unwrap().is_none(), "SIGINT killed the provider");
    rt().block_on(async {
        let mut c = provider(connect_plain(&p.socket).await);
        c.get_provider_schema(pb::get_provider_schema::Request {}).await.unwrap();
        // identity stored by an earlier run comes back as msgpack
        let r = c
            .upgrade_resource_identity(pb::upgrade_resource_identity::Request {
                type_name: "exotel_trunk_phone_number".into(),
                version: 0,
                raw_identity: Some(pb::RawState {
                    json: br#"{"trunk_sid":"T1","id":"42"}"#.to_vec(),
                    flatmap: Default::default(),
                }),
            })
            .await
            .unwrap()
            .into_inner();
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let data = r.upgraded_identity.unwrap().identity_data.unwrap();
        let v = rmpv::decode::read_value(&mut &data.msgpack[..]).unwrap();
        assert_eq!(v.as_map().unwrap().len(), 2);
        // ephemeral credentials have nothing to renew
        let r = c
            .renew_ephemeral_resource(pb::renew_ephemeral_resource::Request {
                type_name: "exotel_trunk_credentials".into(),
                private: None,
            })
            .await
            .unwrap()
            .into_inner();
        assert!(r.diagnostics.is_empty());
    });
    let _ = p.child.kill();
}
