use crate::client::*;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};
use terraform_provider_exotel::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_exotel::proto::tfplugin6 as pb;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn wait_exit(child: &mut std::process::Child, limit: Duration) -> Option<(std::process::ExitStatus, Duration)> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(st) = child.try_wait().unwrap() {
            return Some((st, start.elapsed()));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    None
}

/// The Windows path (go-plugin's TCP transport on 127.0.0.1 in
/// PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT), selected on Unix for the test: the
/// handshake names `tcp`, and mTLS admits only Terraform's certificate.
#[test]
fn tcp_transport_names_tcp_and_admits_only_terraforms_certificate() {
    let cert = client_cert();
    let p = start(
        Some(&cert.pem),
        &[("TF_PROVIDER_EXOTEL_TRANSPORT", "tcp"), ("PLUGIN_MIN_PORT", "20100"), ("PLUGIN_MAX_PORT", "20900")],
    );
    assert_eq!(p.network, "tcp");
    let (host, port) = p.socket.rsplit_once(':').expect("host:port");
    assert_eq!(host, "127.0.0.1");
    assert!((20100..=20900).contains(&port.parse::<u16>().expect("port")), "{}", p.socket);
    rt().block_on(async {
        let ch = connect(&p, Some(&cert)).await.expect("connect over TCP with the right cert");
        let schema = provider(ch).get_provider_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
        assert!(schema.resource_schemas.contains_key("exotel_trunk"));
        let other = client_cert();
        let refused = match connect(&p, Some(&other)).await {
            Err(_) => true,
            Ok(ch) => provider(ch).get_provider_schema(pb::get_provider_schema::Request {}).await.is_err(),
        };
        assert!(refused, "a foreign client certificate was admitted over TCP");
    });
}

#[test]
fn mtls_admits_only_terraforms_certificate() {
    let cert = client_cert();
    let mut p = start(Some(&cert.pem), &[]);
    // the socket lives in a directory only this user can enter
    let dir = std::path::Path::new(&p.socket).parent().unwrap().to_path_buf();
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);

    rt().block_on(async {
        // the right certificate gets in, and every RPC Terraform calls first answers
        let ch = connect(&p, Some(&cert)).await.expect("connect with the right cert");
        let mut c = provider(ch.clone());
        let schema = c.get_provider_schema(pb::get_provider_schema::Request {}).await.unwrap().into_inner();
        assert!(schema.resource_schemas.contains_key("exotel_trunk"));
        assert!(schema.diagnostics.is_empty());
        let caps = schema.server_capabilities.unwrap();
        assert!(caps.plan_destroy && caps.get_provider_schema_optional);
        let ids =
            c.get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {}).await.unwrap().into_inner();
        assert!(ids.diagnostics.is_empty());
        c.get_functions(pb::get_functions::Request {}).await.unwrap();
        let md = c.get_metadata(pb::get_metadata::Request {}).await.unwrap().into_inner();
        assert!(md.resources.iter().any(|r| r.type_name == "exotel_trunk"));
        // an RPC we do not serve is Unimplemented, not a crash
        let e = c.validate_action_config(pb::validate_action_config::Request::default()).await.unwrap_err();
        assert_eq!(e.code(), tonic::Code::Unimplemented);
        let mut h = tonic_health::pb::health_client::HealthClient::new(ch.clone());
        let st = h.check(tonic_health::pb::HealthCheckRequest { service: "plugin".into() }).await.unwrap().into_inner();
        assert_eq!(st.status, tonic_health::pb::health_check_response::ServingStatus::Serving as i32);

        // another certificate, or none, fails the TLS handshake
        let other = client_cert();
        let refused = match connect(&p, Some(&other)).await {
            Err(_) => true,
            Ok(ch) => provider(ch).get_provider_schema(pb::get_provider_schema::Request {}).await.is_err(),
        };
        assert!(refused, "a foreign client certificate was admitted");
        let refused = match connect(&p, None).await {
            Err(_) => true,
            Ok(ch) => provider(ch).get_provider_schema(pb::get_provider_schema::Request {}).await.is_err(),
        };
        assert!(refused, "a client without certificate was admitted");

        // Shutdown ends the process promptly (Terraform kills it after 2 s)
        GrpcControllerClient::new(ch).shutdown(terraform_provider_exotel::proto::plugin::Empty {}).await.unwrap();
    });
    let (st, took) =
        wait_exit(&mut p.child, Duration::from_secs(2)).expect("provider still running 2 s after Shutdown");
    assert!(st.success(), "{st:?}");
    eprintln!("exited {took:?} after Shutdown");
    assert!(!dir.exists(), "socket directory left behind");
}

#[test]
fn refuses_to_run_without_the_magic_cookie() {
    let out = std::process::Command::new(crate::support::provider_bin()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("plugin"));
    assert!(out.stdout.is_empty());
}

#[test]
fn refuses_clients_without_protocol_6() {
    let out = std::process::Command::new(crate::support::provider_bin())
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Terraform 1.0") && err.contains("OpenTofu 1.6"), "{err}");
}

#[test]
fn version_flag() {
    let out = std::process::Command::new(crate::support::provider_bin()).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("terraform-provider-exotel {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn plaintext_without_client_cert_and_bad_payloads_are_diagnostics() {
    let mut p = start(None, &[]);
    assert!(p.server_cert.is_none(), "no certificate without PLUGIN_CLIENT_CERT");
    rt().block_on(async {
        let mut c = provider(connect_plain(&p.socket).await);
        // garbage msgpack
        let r = c
            .validate_resource_config(pb::validate_resource_config::Request {
                type_name: "exotel_trunk".into(),
                config: Some(pb::DynamicValue { msgpack: vec![0xc1, 0xff, 0x00], json: vec![] }),
                client_capabilities: None,
            })
            .await
            .expect("a diagnostic, not a gRPC error")
            .into_inner();
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].severity, pb::diagnostic::Severity::Error as i32);
        assert!(r.diagnostics[0].detail.contains("msgpack"), "{:?}", r.diagnostics[0]);
        // a wrong attribute type names the attribute
        let mut bytes = vec![];
        rmpv::encode::write_value(
            &mut bytes,
            &rmpv::Value::Map(vec![(rmpv::Value::from("trunk_name"), rmpv::Value::Array(vec![]))]),
        )
        .unwrap();
        let r = c
            .validate_resource_config(pb::validate_resource_config::Request {
                type_name: "exotel_trunk".into(),
                config: Some(pb::DynamicValue { msgpack: bytes, json: vec![] }),
                client_capabilities: None,
            })
            .await
            .unwrap()
            .into_inner();
        let step = &r.diagnostics[0].attribute.as_ref().expect("path").steps[0];
        assert_eq!(step.selector, Some(pb::attribute_path::step::Selector::AttributeName("trunk_name".into())));
        // an unknown type name
        let r = c
            .plan_resource_change(pb::plan_resource_change::Request {
                type_name: "exotel_nope".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert!(r.diagnostics[0].summary.contains("Unknown resource type"));
        // reading before ConfigureProvider
        let r = c
            .read_resource(pb::read_resource::Request { type_name: "exotel_trunk".into(), ..Default::default() })
            .await
            .unwrap()
            .into_inner();
        assert!(r.diagnostics[0].summary.contains("not configured"), "{:?}", r.diagnostics);
        // stored state in JSON comes back as msgpack
        let r = c
            .upgrade_resource_state(pb::upgrade_resource_state::Request {
                type_name: "exotel_trunk".into(),
                version: 0,
                raw_state: Some(pb::RawState {
                    json: br#"{"id":"T1","trunk_sid":"T1","trunk_name":"x"}"#.to_vec(),
                    flatmap: Default::default(),
                }),
            })
            .await
            .unwrap()
            .into_inner();
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let v = rmpv::decode::read_value(&mut &r.upgraded_state.unwrap().msgpack[..]).unwrap();
        assert_eq!(v.as_map().unwrap().len(), 7, "every attribute present");
    });
    let _ = p.child.kill();
}

#[test]
fn debug_mode_prints_reattach_config() {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(crate::support::provider_bin())
        .arg("-debug")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut rd = BufReader::new(child.stdout.take().unwrap());
    let mut all = String::new();
    for _ in 0..4 {
        let mut l = String::new();
        rd.read_line(&mut l).unwrap();
        all.push_str(&l);
    }
    let _ = child.kill();
    let _ = child.wait();
    let json = all.split("TF_REATTACH_PROVIDERS='").nth(1).and_then(|s| s.split('\'').next()).expect(&all);
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let entry = &v["registry.terraform.io/exotel/exotel"];
    assert_eq!(entry["Protocol"], "grpc");
    assert_eq!(entry["ProtocolVersion"], 6);
    assert_eq!(entry["Addr"]["Network"], "unix");
}
