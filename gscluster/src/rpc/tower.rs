//! tower integration (feature `tower`): a [`Client`] is a
//! `tower::Service<RawCall>`, and a client's calls or a hosted service's
//! dispatch can go through a stack of tower layers, so that tower's
//! timeout, concurrency limit, load shedding and retry apply to gslang
//! calls.
//!
//! ```no_run
//! # async fn example(node: gscluster::rpc::Node, peer: gscluster::rpc::Peer) {
//! use std::time::Duration;
//!
//! use gscluster::rpc::tower::{ClientLayerExt, map_layer_errors};
//! use gscluster_echo::{EchoClient, EchoServer, EchoService};
//! use tower::ServiceBuilder;
//!
//! // A client whose calls time out after 100 ms, as `RpcError::Timeout`
//! // (tower's `concurrency_limit`, `load_shed` and `retry` stack the same way).
//! let timeout = ServiceBuilder::new().timeout(Duration::from_millis(100));
//! let echo: EchoClient = peer.client::<EchoClient>().layer(map_layer_errors(timeout));
//!
//! // A service whose calls time out after a second.
//! let _served = node.serve_with(
//!     "echo",
//!     EchoServer::new(EchoService::default()),
//!     map_layer_errors(ServiceBuilder::new().timeout(Duration::from_secs(1))),
//! );
//! # let _ = echo;
//! # }
//! ```
//!
//! Layers see calls as [`RawCall`] (client side) or [`Request`] (server
//! side), with their params and returns encoded ([`EncodedParams`]); an
//! error a layer makes (tower's `Elapsed`, `Overloaded`, …) must be an
//! [`RpcError`]: wrap such layers with [`map_layer_errors`], which turns
//! timeouts into [`RpcError::Timeout`] and the rest into
//! `Fault.Unavailable`. Without the feature none of this is compiled, and
//! calls take the direct path.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use tower::util::BoxCloneSyncService;
use tower::{Layer, ServiceExt};

use super::client::{Client, TypedClient};
use super::conn::Conn;
use super::error::RpcError;
use super::frame::{CallHeader, EncodedParams};
use super::service::{Call, CallContext, Service};
use crate::gslang::Fault;

/// A future of an encoded answer.
pub type BoxReply = Pin<Box<dyn Future<Output = Result<EncodedParams, RpcError>> + Send>>;

/// A client-side call as a tower stack sees it: the method and its params.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawCall {
    /// The method id.
    pub method: u16,
    /// The params, encoded.
    pub params: EncodedParams,
    /// Whether it is an `@Async` call (no answer: the response is empty).
    pub oneway: bool,
}

impl RawCall {
    pub(crate) fn new<P: super::frame::Params>(method: u16, params: &P, oneway: bool) -> RawCall {
        RawCall {
            method,
            params: EncodedParams::encode(params),
            oneway,
        }
    }
}

/// The stack a layered client's calls go through.
pub(crate) type ClientStack = BoxCloneSyncService<RawCall, EncodedParams, RpcError>;

impl tower::Service<RawCall> for Client {
    type Response = EncodedParams;
    type Error = RpcError;
    type Future = BoxReply;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), RpcError>> {
        // Readiness is decided per call (a free id, room to write), within
        // the call's deadline.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, call: RawCall) -> BoxReply {
        let client = self.direct();
        Box::pin(async move {
            if call.oneway {
                client.notify(call.method, call.params).await?;
                Ok(EncodedParams(Bytes::new()))
            } else {
                client
                    .call::<_, EncodedParams>(call.method, call.params)
                    .await
            }
        })
    }
}

impl Client {
    /// The same client, its calls going through `layer` (the innermost
    /// service of the stack is this client).
    pub fn layer<L>(&self, layer: L) -> Client
    where
        L: Layer<Client>,
        L::Service: tower::Service<RawCall, Response = EncodedParams, Error = RpcError>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<RawCall>>::Future: Send + 'static,
    {
        let stack = BoxCloneSyncService::new(layer.layer(self.direct()));
        self.with_stack(Some(stack))
    }
}

/// [`Client::layer`] for typed clients.
pub trait ClientLayerExt: TypedClient {
    /// The same client, its calls going through `layer`.
    fn layer<L>(self, layer: L) -> Self
    where
        L: Layer<Client>,
        L::Service: tower::Service<RawCall, Response = EncodedParams, Error = RpcError>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<RawCall>>::Future: Send + 'static,
    {
        Self::from_client(self.client().layer(layer))
    }
}

impl<C: TypedClient> ClientLayerExt for C {}

/// A server-side call as a tower stack sees it.
pub struct Request {
    conn: Arc<Conn>,
    header: CallHeader,
    params: Bytes,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("id", &self.header.id)
            .field("method", &self.header.method)
            .field("service", &self.header.service)
            .field("peer", &self.conn.peer.name)
            .finish()
    }
}

impl Request {
    /// The method id.
    pub fn method(&self) -> u16 {
        self.header.method
    }

    /// The call id (0 for an `@Async` call).
    pub fn id(&self) -> u16 {
        self.header.id
    }

    /// The params, encoded.
    pub fn params(&self) -> &[u8] {
        &self.params
    }

    /// The context the handler gets.
    pub fn context(&self) -> CallContext {
        CallContext::new(self.conn.clone(), self.header.id)
    }
}

/// Where a captured call leaves its answer's future.
#[derive(Clone, Default)]
pub(crate) struct Slot(Arc<Mutex<Option<BoxReply>>>);

impl Slot {
    pub fn put(&self, reply: BoxReply) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(reply);
    }

    fn take(&self) -> Option<BoxReply> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// The innermost service of a server-side stack: the generated dispatcher.
pub struct Dispatch<S> {
    service: Arc<S>,
}

impl<S> Clone for Dispatch<S> {
    fn clone(&self) -> Self {
        Dispatch {
            service: self.service.clone(),
        }
    }
}

impl<S> std::fmt::Debug for Dispatch<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatch").finish_non_exhaustive()
    }
}

impl<S: Service> tower::Service<Request> for Dispatch<S> {
    type Response = EncodedParams;
    type Error = RpcError;
    type Future = BoxReply;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), RpcError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> BoxReply {
        let slot = Slot::default();
        let call = Call::captured(request.conn, request.header, request.params, slot.clone());
        self.service.call(call);
        slot.take()
            .unwrap_or_else(|| Box::pin(std::future::ready(Err(RpcError::Fault(Fault::Internal)))))
    }
}

/// A hosted service whose dispatch goes through a tower stack.
pub(crate) struct Layered {
    pub contract: &'static str,
    pub stack: BoxCloneSyncService<Request, EncodedParams, RpcError>,
}

impl Layered {
    pub fn new<S, L>(service: S, layer: L) -> Layered
    where
        S: Service,
        L: Layer<Dispatch<S>>,
        L::Service: tower::Service<Request, Response = EncodedParams, Error = RpcError>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<Request>>::Future: Send + 'static,
    {
        Layered {
            contract: service.contract(),
            stack: BoxCloneSyncService::new(layer.layer(Dispatch {
                service: Arc::new(service),
            })),
        }
    }
}

impl Service for Layered {
    fn contract(&self) -> &'static str {
        self.contract
    }

    fn call(&self, call: Call) {
        let (conn, header, params) = call.into_parts();
        let (id, service) = (header.id, header.service);
        let stack = self.stack.clone();
        let request = Request {
            conn: conn.clone(),
            header,
            params,
        };
        super::service::spawn_served(
            conn,
            id,
            service,
            async move { stack.oneshot(request).await },
        );
    }
}

/// Wraps a layer whose errors are not [`RpcError`]s (tower's own: timeouts,
/// overload) so that they are: a tower timeout becomes [`RpcError::Timeout`]
/// (and, on the server, `Fault.Timeout`), anything else `Fault.Unavailable`;
/// an `RpcError` from inside the stack passes through.
pub fn map_layer_errors<L>(layer: L) -> MapErrors<L> {
    MapErrors(layer)
}

/// The layer [`map_layer_errors`] makes.
#[derive(Debug, Clone)]
pub struct MapErrors<L>(L);

impl<L: Layer<S>, S> Layer<S> for MapErrors<L> {
    type Service = MapErrorsService<L::Service>;

    fn layer(&self, inner: S) -> Self::Service {
        MapErrorsService(self.0.layer(inner))
    }
}

/// The service [`MapErrors`] makes.
#[derive(Debug, Clone)]
pub struct MapErrorsService<S>(S);

impl<S, R> tower::Service<R> for MapErrorsService<S>
where
    S: tower::Service<R>,
    S::Error: Into<tower::BoxError>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = RpcError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, RpcError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), RpcError>> {
        self.0.poll_ready(cx).map_err(to_rpc_error)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let future = self.0.call(request);
        Box::pin(async move { future.await.map_err(to_rpc_error) })
    }
}

fn to_rpc_error(error: impl Into<tower::BoxError>) -> RpcError {
    match error.into().downcast::<RpcError>() {
        Ok(e) => *e,
        Err(error) if error.is::<tower::timeout::error::Elapsed>() => RpcError::Timeout,
        Err(_) => RpcError::Fault(Fault::Unavailable),
    }
}
