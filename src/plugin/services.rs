//! go-plugin's side services: controller (Shutdown), stdio and broker.

use crate::proto::plugin as pb;
use futures::Stream;
use std::pin::Pin;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

/// `plugin.GRPCController`: Shutdown ends the process.
pub(crate) struct Controller {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _req: Request<pb::Empty>) -> Result<Response<pb::Empty>, Status> {
        tracing::debug!("GRPCController.Shutdown: exiting");
        self.shutdown.cancel();
        Ok(Response::new(pb::Empty {}))
    }
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// A stream that yields nothing and ends at shutdown, so graceful shutdown
/// is not held up by it.
fn idle_until<T: Send + 'static>(token: CancellationToken) -> BoxStream<T> {
    Box::pin(
        futures::stream::once(async move {
            token.cancelled().await;
            None
        })
        .filter_map(futures::future::ready),
    )
}

use futures::StreamExt;

/// `plugin.GRPCStdio`: we log to stderr directly, so nothing is mirrored.
pub(crate) struct Stdio {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::grpc_stdio_server::GrpcStdio for Stdio {
    async fn stream_stdio(&self, _req: Request<()>) -> Result<Response<BoxStream<pb::StdioData>>, Status> {
        Ok(Response::new(idle_until(self.shutdown.clone())))
    }
}

/// `plugin.GRPCBroker`: no extra connections are ever brokered.
pub(crate) struct Broker {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::grpc_broker_server::GrpcBroker for Broker {
    async fn start_stream(
        &self,
        req: Request<Streaming<pb::ConnInfo>>,
    ) -> Result<Response<BoxStream<pb::ConnInfo>>, Status> {
        let mut incoming = req.into_inner();
        let token = self.shutdown.clone();
        // Drain what the client sends until it closes or we shut down.
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = token.cancelled() => break,
                    m = incoming.next() => if !matches!(m, Some(Ok(_))) { break },
                }
            }
        });
        Ok(Response::new(idle_until(self.shutdown.clone())))
    }
}
