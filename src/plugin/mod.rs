//! go-plugin serving: what Terraform expects of a plugin process.
//!
//! [`serve`] checks the magic cookie, negotiates protocol 6, listens, prints
//! the handshake line, and serves the provider plus go-plugin's side services
//! over mutual TLS until `GRPCController.Shutdown` (or the caller's shutdown
//! token) ends it.
//!
//! Where it listens is go-plugin's choice per platform: a Unix socket in a
//! fresh 0700 directory on Unix, TCP on 127.0.0.1 (a port in
//! `PLUGIN_MIN_PORT`..=`PLUGIN_MAX_PORT`, default 10000..=25000) with
//! handshake network `tcp` on Windows. `ServeOptions::tcp`
//! selects the TCP path on Unix too, so that the Windows path is tested with
//! real Terraform on Linux.

pub(crate) mod handshake;
pub(crate) mod services;
pub(crate) mod tls;

use crate::proto::{plugin as plugin_pb, tfplugin6 as tf_pb};
use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Terraform's gRPC message limit is MaxInt32; Go servers allow 256 MiB.
pub(crate) const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// How the process was asked to serve.
pub(crate) struct ServeOptions {
    /// `-debug`: plaintext, no cookie, print `TF_REATTACH_PROVIDERS`.
    pub debug: bool,
    /// Ends serving when cancelled (in addition to GRPCController.Shutdown).
    pub shutdown: CancellationToken,
    /// The provider's registry address (`registry.terraform.io/<ns>/<name>`),
    /// for `-debug`'s `TF_REATTACH_PROVIDERS`.
    pub address: &'static str,
    /// Listen on TCP (127.0.0.1) on Unix too, as on Windows (the provider's
    /// own switch, e.g. `TF_PROVIDER_EXOTEL_TRANSPORT=tcp`).
    pub tcp: bool,
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
#[cfg(unix)]
fn socket_dir() -> std::io::Result<tempfile::TempDir> {
    use std::os::unix::fs::PermissionsExt;
    let parent =
        std::env::var_os("PLUGIN_UNIX_SOCKET_DIR").map(std::path::PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new().prefix("plugin").tempdir_in(parent)?;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
    Ok(dir)
}

/// Where the plugin listens, and what keeps it alive (the socket's directory).
enum Listener {
    #[cfg(unix)]
    Unix(tokio::net::UnixListener, tempfile::TempDir),
    Tcp(TcpListener),
}

impl Listener {
    /// go-plugin's choice: Unix socket on Unix, TCP on 127.0.0.1 elsewhere
    /// (or when `tcp`).
    async fn bind(env: &dyn Fn(&str) -> Option<String>, tcp: bool) -> Result<Listener, String> {
        if !cfg!(unix) || tcp {
            return Self::bind_tcp(env).await;
        }
        #[cfg(unix)]
        {
            let dir = socket_dir().map_err(|e| format!("cannot create the plugin socket directory: {e}"))?;
            let sock = dir.path().join("plugin.sock");
            let l = tokio::net::UnixListener::bind(&sock)
                .map_err(|e| format!("cannot listen on {}: {e}", sock.display()))?;
            Ok(Listener::Unix(l, dir))
        }
        #[cfg(not(unix))]
        unreachable!("non-Unix platforms always take the TCP path")
    }

    /// The first free port of go-plugin's range on the loopback interface.
    async fn bind_tcp(env: &dyn Fn(&str) -> Option<String>) -> Result<Listener, String> {
        let port = |k: &str, default: u16| -> Result<u16, String> {
            match env(k).filter(|v| !v.is_empty()) {
                None => Ok(default),
                Some(v) => v.trim().parse().map_err(|_| format!("{k}={v:?} is not a port number")),
            }
        };
        let (min, max) = (port("PLUGIN_MIN_PORT", 10000)?, port("PLUGIN_MAX_PORT", 25000)?);
        if min > max {
            return Err(format!("PLUGIN_MIN_PORT {min} is above PLUGIN_MAX_PORT {max}"));
        }
        let mut last = None;
        for p in min..=max {
            match TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, p)).await {
                Ok(l) => return Ok(Listener::Tcp(l)),
                Err(e) => last = Some(e),
            }
        }
        Err(format!(
            "cannot listen on 127.0.0.1: no free port in {min}..={max}{}",
            last.map(|e| format!(" (last error: {e})")).unwrap_or_default()
        ))
    }

    /// (network, address) for the handshake line.
    fn addr(&self) -> (&'static str, String) {
        match self {
            #[cfg(unix)]
            Listener::Unix(_, dir) => ("unix", dir.path().join("plugin.sock").display().to_string()),
            Listener::Tcp(l) => ("tcp", l.local_addr().map(|a| a.to_string()).unwrap_or_default()),
        }
    }

    async fn accept(&self) -> std::io::Result<Box<dyn Io>> {
        match self {
            #[cfg(unix)]
            Listener::Unix(l, _) => l.accept().await.map(|(s, _)| Box::new(s) as Box<dyn Io>),
            Listener::Tcp(l) => l.accept().await.map(|(s, _)| {
                let _ = s.set_nodelay(true);
                Box::new(s) as Box<dyn Io>
            }),
        }
    }
}

/// Serves `provider` as a go-plugin process. Returns the process exit code.
pub(crate) async fn serve<P: crate::provider::ProviderDef>(
    provider: crate::provider::ProviderService<P>,
    opts: ServeOptions,
) -> i32 {
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
    let listener = match Listener::bind(&env, opts.tcp).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let (network, address) = listener.addr();
    tracing::debug!(network, address = %address, "plugin listening");
    {
        let mut out = std::io::stdout().lock();
        let line = handshake::line(network, &address, tls.as_ref().map(|t| t.cert_b64.as_str()));
        if opts.debug {
            let reattach = serde_json::json!({
                opts.address: {
                    "Protocol": "grpc",
                    "ProtocolVersion": handshake::PROTOCOL_VERSION,
                    "Pid": std::process::id(),
                    "Test": true,
                    "Addr": {"Network": network, "String": address},
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
    let listener = std::sync::Arc::new(listener);
    let accepting = listener.clone();
    tokio::spawn(async move {
        loop {
            let stream = tokio::select! {
                _ = accept_shutdown.cancelled() => break,
                r = accepting.accept() => match r {
                    Ok(s) => s,
                    Err(e) => { tracing::warn!(error = %e, "accept failed"); continue; }
                },
            };
            let tx = tx.clone();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let conn = match acceptor {
                    None => Conn(stream),
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
    // The socket's directory goes with the listener.
    drop(listener);
    0
}
