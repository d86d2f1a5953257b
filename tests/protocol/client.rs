//! A go-plugin style client: starts the provider like Terraform does and
//! connects over its Unix socket or TCP address with mutual TLS.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use terraform_provider_exotel::proto::tfplugin6::provider_client::ProviderClient;
use tokio_util::either::Either;
use tonic::transport::Channel;

pub(crate) const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// A client certificate like Terraform's: ECDSA P-521 / SHA-512, flagged CA.
pub(crate) struct ClientCert {
    pub der: CertificateDer<'static>,
    pub pem: String,
    key: Vec<u8>,
}

pub(crate) fn client_cert() -> ClientCert {
    use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("p521 key");
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, "localhost");
    params.distinguished_name.push(DnType::OrganizationName, "HashiCorp");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth, ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.self_signed(&key).expect("self-signed");
    ClientCert { der: cert.der().clone(), pem: cert.pem(), key: key.serialize_der() }
}

/// A started provider process and its handshake.
pub(crate) struct Plugin {
    pub child: Child,
    /// The handshake's network: `unix` or `tcp`.
    pub network: String,
    /// The socket path or `127.0.0.1:port`.
    pub socket: String,
    pub server_cert: Option<Vec<u8>>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(client_cert_pem: Option<&str>, extra_env: &[(&str, &str)]) -> Plugin {
    use base64::Engine;
    let mut cmd = Command::new(crate::support::provider_bin());
    cmd.env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6,5")
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(pem) = client_cert_pem {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("handshake");
    let parts: Vec<&str> = line.trim().split('|').collect();
    assert!(parts.len() >= 5, "bad handshake {line:?}");
    assert_eq!(&parts[..2], &["1", "6"]);
    assert!(parts[2] == "unix" || parts[2] == "tcp", "network {:?}", parts[2]);
    assert_eq!(parts[4], "grpc");
    let server_cert =
        parts.get(5).map(|c| base64::engine::general_purpose::STANDARD_NO_PAD.decode(c).expect("cert b64"));
    Plugin { child, network: parts[2].to_string(), socket: parts[3].to_string(), server_cert }
}

#[derive(Debug)]
struct PinnedServer {
    der: Vec<u8>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _i: &[CertificateDer<'_>],
        _n: &ServerName<'_>,
        _o: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.der.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("server certificate is not the one from the handshake".into()))
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.provider.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.provider.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// Connects over the socket; `cert` None means "present no client certificate".
pub(crate) async fn connect(p: &Plugin, cert: Option<&ClientCert>) -> Result<Channel, tonic::transport::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer {
            der: p.server_cert.clone().expect("tls"),
            provider,
        }));
    let mut cfg = match cert {
        Some(c) => builder
            .with_client_auth_cert(vec![c.der.clone()], PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(c.key.clone())))
            .expect("client auth"),
        None => builder.with_no_client_auth(),
    };
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(cfg));
    let socket = p.socket.clone();
    let tcp = p.network == "tcp";
    tonic::transport::Endpoint::try_from("http://localhost")
        .unwrap()
        .connect_with_connector(tower::service_fn(move |_| {
            let connector = connector.clone();
            let socket = socket.clone();
            async move {
                let name = ServerName::try_from("localhost").unwrap();
                // tokio-util's Either forwards reads and writes to whichever transport.
                let tls = if tcp {
                    Either::Left(connector.connect(name, tokio::net::TcpStream::connect(socket).await?).await?)
                } else {
                    Either::Right(connector.connect(name, tokio::net::UnixStream::connect(socket).await?).await?)
                };
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tls))
            }
        }))
        .await
}

/// Connects without TLS (TF_DISABLE_PLUGIN_TLS / -debug).
pub(crate) async fn connect_plain(socket: &str) -> Channel {
    let socket = socket.to_string();
    tonic::transport::Endpoint::try_from("http://localhost")
        .unwrap()
        .connect_with_connector(tower::service_fn(move |_| {
            let socket = socket.clone();
            async move {
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tokio::net::UnixStream::connect(socket).await?))
            }
        }))
        .await
        .expect("plain connect")
}

pub(crate) fn provider(ch: Channel) -> ProviderClient<Channel> {
    ProviderClient::new(ch).max_decoding_message_size(256 << 20)
}
