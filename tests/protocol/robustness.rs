//! A panic in a handler becomes a diagnostic and the process keeps serving;
//! StopProvider ends a slow operation at once.

use crate::client::*;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use terraform_provider_exotel::proto::tfplugin6 as pb;
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
    let mut p = start(None, &[("EXOTEL_PROVIDER_TEST_PANIC_RPC", "ValidateResourceConfig")]);
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

#[test]
fn stop_provider_ends_a_slow_operation_at_once() {
    let sim = crate::support::Sim::start(&["--latency-ms", "30000"]);
    let mut p = start(None, &[]);
    let took = rt().block_on(async {
        let ch = connect_plain(&p.socket).await;
        let mut c = provider(ch.clone());
        let cfg_ty = terraform_provider_exotel::provider::config::schema().object_type();
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

        let p2 = terraform_provider_exotel::provider::ProviderService::new();
        let trunk_ty = p2.resource_schemas().into_iter().find(|(n, _)| *n == "exotel_trunk").unwrap().1.object_type();
        let planned = Value::Map(BTreeMap::from([
            ("trunk_name".to_string(), s("slowpoke")),
            ("nso_code".to_string(), s("ANY-ANY")),
            ("domain_name".to_string(), s("acme1.pstn.exotel.com")),
            ("id".to_string(), Value::UNKNOWN),
            ("trunk_sid".to_string(), Value::UNKNOWN),
            ("date_created".to_string(), Value::UNKNOWN),
            ("date_updated".to_string(), Value::UNKNOWN),
        ]));
        let mut c2 = provider(ch.clone());
        let apply = tokio::spawn(async move {
            c2.apply_resource_change(pb::apply_resource_change::Request {
                type_name: "exotel_trunk".into(),
                prior_state: Some(msgpack(&Value::Null, &trunk_ty)),
                planned_state: Some(msgpack(&planned, &trunk_ty)),
                config: Some(msgpack(&planned, &trunk_ty)),
                ..Default::default()
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        let started = Instant::now();
        c.stop_provider(pb::stop_provider::Request {}).await.unwrap();
        let r = tokio::time::timeout(Duration::from_secs(25), apply)
            .await
            .expect("apply still running")
            .unwrap()
            .unwrap()
            .into_inner();
        let took = started.elapsed();
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.severity == pb::diagnostic::Severity::Error as i32)
            .expect("an error diagnostic");
        assert!(d.summary.contains("may have been created"), "{d:?}");
        assert!(d.detail.contains("stop") && d.detail.contains("terraform import exotel_trunk."), "{d:?}");
        took
    });
    eprintln!("apply ended {took:?} after StopProvider (simulated latency 30 s)");
    assert!(took < Duration::from_secs(5), "took {took:?}");
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
