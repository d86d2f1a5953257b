//! go-plugin serving: what Terraform expects of a plugin process.
//!
//! [`serve`] checks the magic cookie, negotiates protocol 6, listens on a Unix
//! socket in a fresh 0700 directory, prints the handshake line, and serves the
//! provider plus go-plugin's side services over mutual TLS until
//! `GRPCController.Shutdown` (or the caller's shutdown token) ends it.

pub(crate) mod handshake;
pub(crate) mod services;
pub(crate) mod tls;

use crate::proto::{plugin as plugin_pb, tfplugin6 as tf_pb};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::UnixListener;
use tokio_util::sync::CancellationToken;

/// Terraform's gRPC message limit is MaxInt32; Go servers allow 256 MiB.
pub(crate) const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// How the process was asked to serve.
pub(crate) struct ServeOptions {
    /// `-debug`: plaintext, no cookie, print `TF_REATTACH_PROVIDERS`.
    pub debug: bool,
    /// Ends serving when cancelled (in addition to GRPCController.Shutdown).
    pub shutdown: CancellationToken,
}

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// One accepted connection, plaintext or TLS, as tonic wants it.
pub(crate) struct Conn(Box<dyn Io>);

impl tonic::transport::server::Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Conn {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.0).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}

/// A fresh directory only this user can enter, for the socket.
fn socket_dir() -> std::io::Result<tempfile::TempDir> {
    let parent = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new().prefix("plugin").tempdir_in(parent)?;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
    Ok(dir)
}

/// Serves `provider` as a go-plugin process. Returns the process exit code.
pub(crate) async fn serve(provider: crate::provider::ProviderService, opts: ServeOptions) -> i32 {
    let env = |k: &str| std::env::var(k).ok();
    if !opts.debug && env(handshake::MAGIC_COOKIE_KEY).as_deref() != Some(handshake::MAGIC_COOKIE_VALUE) {
        eprintln!("{}", handshake::NOT_A_PLUGIN);
        return 1;
    }
    if !opts.debug
        && let Err(msg) = handshake::negotiate(env("PLUGIN_PROTOCOL_VERSIONS").as_deref())
    {
        eprintln!("{msg}");
        return 1;
    }
    let tls = match env("PLUGIN_CLIENT_CERT").filter(|s| !s.is_empty() && !opts.debug) {
        Some(pem) => match tls::server_config(&pem) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("cannot set up mutual TLS: {e}");
                return 1;
            }
        },
        None => None,
    };
    let dir = match socket_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot create the plugin socket directory: {e}");
            return 1;
        }
    };
    let sock = dir.path().join("plugin.sock");
    let listener = match UnixListener::bind(&sock) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", sock.display());
            return 1;
        }
    };
    let sock_str = sock.display().to_string();
    {
        let mut out = std::io::stdout().lock();
        let line = handshake::line("unix", &sock_str, tls.as_ref().map(|t| t.cert_b64.as_str()));
        if opts.debug {
            let reattach = serde_json::json!({
                crate::PROVIDER_ADDRESS: {
                    "Protocol": "grpc",
                    "ProtocolVersion": handshake::PROTOCOL_VERSION,
                    "Pid": std::process::id(),
                    "Test": true,
                    "Addr": {"Network": "unix", "String": sock_str},
                }
            });
            let _ = writeln!(
                out,
                "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n"
            );
        } else {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    }

    let shutdown = opts.shutdown.clone();
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Conn>>(16);
    let acceptor = tls.map(|t| tokio_rustls::TlsAcceptor::from(t.config));
    let accept_shutdown = shutdown.clone();
    tokio::spawn(async move {
        loop {
            let stream = tokio::select! {
                _ = accept_shutdown.cancelled() => break,
                r = listener.accept() => match r {
                    Ok((s, _)) => s,
                    Err(e) => { tracing::warn!(error = %e, "accept failed"); continue; }
                },
            };
            let tx = tx.clone();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let conn = match acceptor {
                    None => Conn(Box::new(stream)),
                    Some(a) => match a.accept(stream).await {
                        Ok(s) => Conn(Box::new(s)),
                        Err(e) => {
                            tracing::warn!(error = %e, "refused a plugin connection: TLS handshake failed");
                            return;
                        }
                    },
                };
                let _ = tx.send(Ok(conn)).await;
            });
        }
    });

    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter.set_service_status("plugin", tonic_health::ServingStatus::Serving).await;

    let server = tonic::transport::Server::builder()
        .add_service(
            tf_pb::provider_server::ProviderServer::new(provider)
                .max_decoding_message_size(MAX_MESSAGE_SIZE)
                .max_encoding_message_size(MAX_MESSAGE_SIZE),
        )
        .add_service(plugin_pb::grpc_controller_server::GrpcControllerServer::new(services::Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(plugin_pb::grpc_stdio_server::GrpcStdioServer::new(services::Stdio { shutdown: shutdown.clone() }))
        .add_service(plugin_pb::grpc_broker_server::GrpcBrokerServer::new(services::Broker {
            shutdown: shutdown.clone(),
        }))
        .add_service(health)
        .serve_with_incoming_shutdown(
            tokio_stream::wrappers::ReceiverStream::new(rx),
            shutdown.clone().cancelled_owned(),
        );

    // Graceful shutdown lets the Shutdown reply go out; a client that keeps
    // its connection open does not get to hold the process for long.
    let grace = async {
        shutdown.cancelled().await;
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    };
    tokio::select! {
        r = server => { if let Err(e) = r { tracing::error!(error = %e, "gRPC server failed"); } }
        _ = grace => {}
    }
    drop(dir);
    0
}
