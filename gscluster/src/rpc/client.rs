//! [`Client`]: calls to a service a peer announced, with deadlines; what
//! generated `<Contract>Client`s wrap.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::conn::{Conn, Resolved};
use super::error::{RpcError, TransportErrorKind};
use super::frame::Params;
use super::node::{PeerGuard, PeerShared};
use super::service::Reply;
use crate::Wire;

/// A generated typed client (`<Contract>Client`).
pub trait TypedClient: Sized {
    /// The contract's full name, as its service announces it in `CER.Type`.
    const CONTRACT: &'static str;
    /// The typed client over `client`.
    fn from_client(client: Client) -> Self;
    /// The untyped client it wraps.
    fn client(&self) -> &Client;
}

/// Where a client's calls go.
#[derive(Clone)]
pub(crate) enum Target {
    /// Over an outbound connection, whichever is up now.
    Peer {
        shared: Arc<PeerShared>,
        _guard: Arc<PeerGuard>,
    },
    /// Over one connection (a callback to the peer of an inbound one).
    Conn(Arc<Conn>),
}

/// Calls to the service of one contract on one peer, bound by the
/// contract's full name (and optionally an instance name): the service id
/// is looked up in the peer's announcements at each call, waiting for the
/// announcement up to the call's deadline, so that a client survives
/// reconnections and re-announcements. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    target: Target,
    contract: &'static str,
    instance: Option<Arc<str>>,
    timeout: Duration,
    /// The service id its last call went to.
    resolved: Resolved,
    /// The tower stack its calls go through, if layered.
    #[cfg(feature = "tower")]
    stack: Option<super::tower::ClientStack>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("contract", &self.contract)
            .field("instance", &self.instance)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub(crate) fn new(
        target: Target,
        contract: &'static str,
        instance: Option<Arc<str>>,
        timeout: Duration,
    ) -> Client {
        Client {
            target,
            contract,
            instance,
            timeout,
            resolved: Resolved::default(),
            #[cfg(feature = "tower")]
            stack: None,
        }
    }

    /// The same client without its tower stack.
    #[cfg(feature = "tower")]
    pub(crate) fn direct(&self) -> Client {
        self.with_stack(None)
    }

    #[cfg(feature = "tower")]
    pub(crate) fn with_stack(&self, stack: Option<super::tower::ClientStack>) -> Client {
        Client {
            stack,
            ..self.clone()
        }
    }

    /// The same client with another deadline for its calls (the default
    /// is the node's call timeout, 30 s unless set).
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client {
            timeout,
            ..self.clone()
        }
    }

    /// The deadline of its calls.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The contract it calls.
    pub fn contract(&self) -> &'static str {
        self.contract
    }

    async fn conn(&self, deadline: Instant) -> Result<Arc<Conn>, RpcError> {
        match &self.target {
            Target::Peer { shared, .. } => shared.conn(deadline).await,
            Target::Conn(conn) if conn.is_closed() => {
                Err(RpcError::transport(TransportErrorKind::Closed))
            }
            Target::Conn(conn) => Ok(conn.clone()),
        }
    }

    /// Calls method `method` with `params`, and decodes its returns (a
    /// tuple, or `()` for none) as `R`.
    ///
    /// Fails with [`RpcError::Timeout`] when the deadline passes (while
    /// waiting for a free call id, room to write, or the answer), with
    /// [`RpcError::Transport`] when the peer's first connection or the
    /// service's announcement does not come by then, and at once when the
    /// connection closes or is being re-established.
    pub fn call<P: Params, R: Params>(&self, method: u16, params: P) -> impl Reply<R> + '_ {
        async move {
            #[cfg(feature = "tower")]
            if let Some(stack) = &self.stack {
                let call = super::tower::RawCall::new(method, &params, false);
                let answer = tower::ServiceExt::oneshot(stack.clone(), call).await?;
                return answer.decode::<R>().map_err(RpcError::BadReply);
            }
            // Each wait below ends at the deadline: for the connection, the
            // announcement, an id and room to write with timers of their
            // own (only when they wait), for the answer by the connection's
            // sweeper (no timer per call).
            let deadline = Instant::now() + self.timeout;
            let conn = self.conn(deadline).await?;
            #[cfg(feature = "profile")]
            super::profile::note_peer(conn.peer.addr);
            let service = conn
                .resolve(
                    self.contract,
                    self.instance.as_deref(),
                    deadline,
                    &self.resolved,
                )
                .await?;
            let answer = conn.call(service, method, &params, deadline).await?;
            R::decode_params(&answer).map_err(RpcError::BadReply)
        }
    }

    /// [`call`](Self::call) for a method with one return value.
    pub fn call_value<P, V>(&self, method: u16, params: P) -> impl Reply<V> + '_
    where
        P: Params,
        V: Wire + Send + Sync + 'static,
    {
        let call = self.call::<P, (V,)>(method, params);
        async move { call.await.map(|(value,)| value) }
    }

    /// Sends a call of `@Async` method `method`: with id 0, answered by
    /// nothing. Resolves once the call is queued for writing.
    pub fn notify<P: Params>(&self, method: u16, params: P) -> impl Reply<()> + '_ {
        async move {
            #[cfg(feature = "tower")]
            if let Some(stack) = &self.stack {
                let call = super::tower::RawCall::new(method, &params, true);
                tower::ServiceExt::oneshot(stack.clone(), call).await?;
                return Ok(());
            }
            let deadline = Instant::now() + self.timeout;
            let conn = self.conn(deadline).await?;
            #[cfg(feature = "profile")]
            super::profile::note_peer(conn.peer.addr);
            let service = conn
                .resolve(
                    self.contract,
                    self.instance.as_deref(),
                    deadline,
                    &self.resolved,
                )
                .await?;
            conn.send_oneway(service, method, &params, deadline).await
        }
    }
}
