//! The RPC runtime: cluster nodes that host gslang contracts as services and
//! call each other's, over TCP, with the protocol of `wire.md` §2–§3.
//!
//! For every contract, gs2rust generates a service trait (`Echo`) whose
//! methods a server implements, a dispatcher that serves an implementation
//! (`EchoServer`, a [`Service`]), and a typed client (`EchoClient`, a
//! [`TypedClient`]). A [`Node`] hosts dispatchers, listens, connects to
//! peers, and shuts down gracefully.
//!
//! # A server and a client
//!
//! `samples/echo/echo.gs`, compiled by gs2rust in the `gscluster-echo`
//! crate's build script, gives `Echo` (the trait), `EchoServer` and
//! `EchoClient`:
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//!
//! use gscluster::rpc::{CallContext, Node, RpcError};
//! use gscluster_echo::proto::echo::{Echo, EchoClient, EchoError, EchoServer};
//!
//! /// The service: one method per method of the contract, taking the call's
//! /// context and the params, returning the returns or an error.
//! struct MyEcho;
//!
//! impl Echo for MyEcho {
//!     async fn echo(self: Arc<Self>, _cx: CallContext, text: String) -> Result<String, RpcError> {
//!         Ok(text)
//!     }
//!     async fn add(self: Arc<Self>, _cx: CallContext, a: i32, b: i32) -> Result<i32, RpcError> {
//!         Ok(a.wrapping_add(b))
//!     }
//!     async fn sqrt(self: Arc<Self>, _cx: CallContext, x: i32) -> Result<i32, RpcError> {
//!         if x < 0 {
//!             return Err(EchoError::Negative.into());
//!         }
//!         Ok(f64::from(x).sqrt() as i32)
//!     }
//!     async fn pair(self: Arc<Self>, _cx: CallContext) -> Result<(String, u64), RpcError> {
//!         Ok(("two".into(), 2))
//!     }
//!     async fn notify(self: Arc<Self>, _cx: CallContext, _text: String) -> Result<(), RpcError> {
//!         Ok(())
//!     }
//!     async fn count(self: Arc<Self>, _cx: CallContext) -> Result<u64, RpcError> {
//!         Ok(0)
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // The server: host the service, listen (port 0: any free port).
//! let server = Node::builder("echo-1").kind("echo").build();
//! let _echo = server.serve("echo", EchoServer::new(MyEcho));
//! let addr = server.listen("127.0.0.1:0").await?;
//!
//! // The client: connect (re-established after every loss), call.
//! let client = Node::builder("client-1").kind("client").build();
//! let peer = client.connect(addr.to_string());
//! peer.connected(Duration::from_secs(5)).await?;
//! let echo: EchoClient = peer.client();
//! assert_eq!(echo.echo("hi".into()).await?, "hi");
//! assert_eq!(echo.pair().await?, ("two".to_owned(), 2));
//! // Application errors arrive typed.
//! let error = echo.sqrt(-4).await.unwrap_err();
//! assert_eq!(error.app::<EchoError>(), Some(EchoError::Negative));
//!
//! client.shutdown(Duration::from_secs(1)).await;
//! server.shutdown(Duration::from_secs(5)).await;
//! # Ok(()) }
//! ```
//!
//! Methods take `self: Arc<Self>`, so that a handler can keep its service
//! alive in tasks it spawns, and return `impl Reply<T>`: an `async fn`
//! implements them, and its future must be `Send` (handlers run on the
//! node's runtime, in tasks of their own). Several returns are a tuple, one
//! the value, none `()`; the schema's names of returns are documentation.
//!
//! # What a call does
//!
//! A call waits for the peer's first connection, its service's
//! announcement (CER), a free call id and room in the connection's write
//! buffer, then for its answer, all within its deadline (30 s unless set:
//! [`NodeBuilder::call_timeout`], [`Client::with_timeout`]); past it,
//! [`RpcError::Timeout`]. When its connection closes it fails at once with
//! [`RpcError::Transport`]; a call made while a lost outbound connection is
//! being re-established fails at once too. A handler fails a call with a
//! value of any `@Error` enum (`Err(EchoError::Negative.into())`), which
//! the caller gets as [`RpcError::App`], or with a
//! [`Fault`](crate::gslang::Fault).
//!
//! Calls to a node are served concurrently: a handler is first polled in
//! the connection's reader, and one that does not finish there (it waits
//! for something) goes on in a task of its own. A peer may have
//! [`NodeBuilder::max_concurrent_calls`] calls waiting so at once (4096
//! unless set), and its calls past that fail with `Fault.Unavailable`, as
//! do calls to a node shutting down. A handler that panics fails its call with
//! `Fault.Internal`. Calls go both ways on a connection: a handler reaches
//! the services its caller hosts through [`CallContext::client`].
//!
//! # Security
//!
//! [`ConnectOptions::encrypt`] encrypts a connection with an X25519 key
//! agreement and ChaCha20-Poly1305; [`NodeBuilder::require_encryption`]
//! refuses peers that do not. The key agreement is unauthenticated: it
//! stops eavesdroppers, not a man in the middle. To know who connects, give
//! peers a token ([`ConnectOptions::token`], sent sealed when the
//! connection is encrypted) and check it with an [`Authenticator`]
//! ([`tokens`]).
//!
//! # Discovery
//!
//! Peers are addresses given to [`Node::connect`] unless the node finds
//! them: with the feature `etcd`, `rpc::etcd::Discovery` registers a node in
//! etcd under a lease and connects to the members hosting the contracts it
//! calls, keeping them in a [`PeerSet`] as they come and go. Nothing needs
//! etcd without it.
//!
//! # Logs
//!
//! Connections, handshakes and faults are `tracing` spans and events
//! (targets `gscluster::rpc::…`); nothing is printed unless the application
//! installs a subscriber.

mod client;
mod conn;
mod crypto;
mod error;
#[cfg(feature = "etcd")]
pub mod etcd;
mod frame;
mod handshake;
mod node;
mod pending;
#[cfg(feature = "profile")]
pub mod profile;
#[cfg(feature = "prometheus")]
pub mod prometheus;
mod service;
#[cfg(feature = "tower")]
pub mod tower;

pub use client::{Client, TypedClient};
pub use conn::PeerInfo;
pub use error::{AppError, ErrorEnum, RpcError, TransportError, TransportErrorKind};
pub use frame::{EncodedParams, MAX_PARAMS, Params};
pub use handshake::{
    ConnectError, PROTOCOL, REJECT_ENCRYPTION_REQUIRED, REJECT_PROTOCOL, REJECT_UNAUTHORIZED,
};
pub use node::{
    Authenticator, ConnectOptions, Connection, Node, NodeBuilder, Peer, PeerHello, PeerSet,
    ServiceHandle, tokens,
};
pub use service::{Call, CallContext, Handler, Reply, Service};

/// Resolves at Ctrl-C or, on Unix, SIGTERM: when a server binary should
/// shut down gracefully (`echo-server`, `chat-server` and `gsgate` await
/// it, then call their node's or gate's `shutdown`).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Where a pusher generated for a gate sends: to the session of one user
/// (`Gate.Push`), or to every member of a group (`Gate.Broadcast`). gs2rust
/// writes a `<Contract>Pusher` for each contract that clients of a gsgate
/// implement, when the schema imports the gate's module.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PushTarget {
    /// The session bound to this user id.
    User(u64),
    /// Every session in this group.
    Group(String),
}
