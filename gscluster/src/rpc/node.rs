//! [`Node`]: a process of the cluster. It hosts services, listens for
//! peers, connects to peers (re-establishing lost connections with
//! backoff), and shuts down gracefully.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument, debug, info, warn};

use super::client::{Client, Target, TypedClient};
use super::conn::{Conn, PeerInfo};
use super::error::{RpcError, TransportErrorKind};
use super::handshake::{self, ConnectError, Opening};
use super::service::Service;

/// What an opener says in its `WhoAmI`, for the [`Authenticator`].
#[derive(Debug)]
#[non_exhaustive]
pub struct PeerHello<'a> {
    /// `WhoAmI.Name`.
    pub name: &'a str,
    /// `WhoAmI.Kind`.
    pub kind: &'a str,
    /// `WhoAmI.Token`: the credentials.
    pub token: &'a [u8],
    /// The opener's address.
    pub addr: SocketAddr,
    /// Whether the connection is encrypted (the token travelled sealed).
    pub encrypted: bool,
}

/// Decides whether to admit a peer that opened a connection (wire.md §3.2:
/// refused peers get `Reject` code 2). Closures `Fn(&PeerHello) -> bool`
/// are authenticators; [`tokens`] makes one that admits a set of tokens.
pub trait Authenticator: Send + Sync + 'static {
    /// Whether to admit the peer.
    fn authenticate<'a>(
        &'a self,
        hello: &'a PeerHello<'a>,
    ) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>>;
}

impl<F> Authenticator for F
where
    F: Fn(&PeerHello<'_>) -> bool + Send + Sync + 'static,
{
    fn authenticate<'a>(
        &'a self,
        hello: &'a PeerHello<'a>,
    ) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        let ok = self(hello);
        Box::pin(std::future::ready(ok))
    }
}

/// An authenticator that admits peers whose token is one of `tokens`
/// (compared in constant time).
pub fn tokens<I, T>(tokens: I) -> impl Authenticator
where
    I: IntoIterator<Item = T>,
    T: Into<Vec<u8>>,
{
    let tokens: Vec<Vec<u8>> = tokens.into_iter().map(Into::into).collect();
    move |hello: &PeerHello<'_>| {
        tokens.iter().fold(false, |found, t| {
            found | (t.len() == hello.token.len() && constant_time_eq(t, hello.token))
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The settings of a node; see [`NodeBuilder`] for each.
pub(crate) struct Config {
    pub name: String,
    pub kind: String,
    pub authenticator: Box<dyn Authenticator>,
    pub require_encryption: bool,
    pub max_message_size: usize,
    pub max_write_buffer: usize,
    pub max_concurrent_calls: usize,
    pub max_connections: usize,
    pub handshake_timeout: Duration,
    pub call_timeout: Duration,
    pub write_timeout: Duration,
    pub reconnect_min: Duration,
    pub reconnect_max: Duration,
}

/// Builds a [`Node`]; every setting has a default.
#[must_use]
pub struct NodeBuilder {
    config: Config,
}

impl std::fmt::Debug for NodeBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeBuilder")
            .field("name", &self.config.name)
            .field("kind", &self.config.kind)
            .finish_non_exhaustive()
    }
}

impl NodeBuilder {
    /// The kind of node it says it is (`WhoAmI.Kind`), e.g. `"gate"`. Default `"node"`.
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.config.kind = kind.into();
        self
    }

    /// Who may connect. Default: everyone.
    pub fn authenticator(mut self, authenticator: impl Authenticator) -> Self {
        self.config.authenticator = Box::new(authenticator);
        self
    }

    /// Refuse peers that do not encrypt (`Reject` code 3). Default: both are accepted.
    pub fn require_encryption(mut self, yes: bool) -> Self {
        self.config.require_encryption = yes;
        self
    }

    /// The largest message content accepted; a peer that sends a larger
    /// one is disconnected before it is read. Default 16 MiB.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.config.max_message_size = bytes;
        self
    }

    /// The most bytes queued for writing on one connection; callers wait
    /// for room (up to their deadline). Default 4 MiB.
    pub fn max_write_buffer(mut self, bytes: usize) -> Self {
        self.config.max_write_buffer = bytes;
        self
    }

    /// The most calls of one peer served at once (handlers that wait, each
    /// in its task; one that finishes at its first poll, in the reader,
    /// never runs alongside another); beyond it calls fail with
    /// `Fault.Unavailable`. Default 4096.
    pub fn max_concurrent_calls(mut self, calls: usize) -> Self {
        self.config.max_concurrent_calls = calls;
        self
    }

    /// The most connections open at once; peers past it are refused. Default 10,000.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.config.max_connections = connections;
        self
    }

    /// How long connecting and the handshake may each take. Default 10 s.
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.config.handshake_timeout = timeout;
        self
    }

    /// The default deadline of calls (clients can override it). Default 30 s.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.config.call_timeout = timeout;
        self
    }

    /// How long a write may make no progress before the connection is
    /// deemed dead (a peer that stopped reading). Default 30 s.
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.config.write_timeout = timeout;
        self
    }

    /// The first and the longest wait between attempts to re-establish an
    /// outbound connection (doubling in between). Default 50 ms and 5 s.
    pub fn reconnect_backoff(mut self, min: Duration, max: Duration) -> Self {
        self.config.reconnect_min = min;
        self.config.reconnect_max = max.max(min);
        self
    }

    /// The node. It runs on the tokio runtime of whoever calls its methods.
    pub fn build(self) -> Node {
        Node {
            inner: Arc::new(NodeInner {
                connections: Semaphore::new(self.config.max_connections),
                config: self.config,
                services: RwLock::new(Services::default()),
                services_changed: AtomicU64::new(0),
                conns: Mutex::new(HashMap::new()),
                next_conn: AtomicU64::new(1),
                remote_versions: AtomicU64::new(1),
                shutting_down: AtomicBool::new(false),
                shutdown: CancellationToken::new(),
                hard_stop: CancellationToken::new(),
                tasks: TaskTracker::new(),
                serving: AtomicUsize::new(0),
                idle: Notify::new(),
            }),
        }
    }
}

#[derive(Default)]
pub(crate) struct Services {
    next_id: u32,
    by_id: HashMap<u32, Arc<Hosted>>,
}

/// A reader's last service looked up (see [`NodeInner::service`]).
pub(crate) type ServiceCache = Option<CachedService>;

pub(crate) struct CachedService {
    id: u32,
    version: u64,
    hosted: Arc<Hosted>,
}

pub(crate) struct Hosted {
    pub contract: &'static str,
    pub instance: String,
    pub service: Box<dyn Service>,
}

pub(crate) struct NodeInner {
    pub config: Config,
    services: RwLock<Services>,
    /// Bumped by every change of `services`: what readers' caches of the
    /// last service they called are checked against.
    services_changed: AtomicU64,
    conns: Mutex<HashMap<u64, Weak<Conn>>>,
    next_conn: AtomicU64,
    /// Versions of the peers' announcements (see `Conn::resolve`).
    remote_versions: AtomicU64,
    connections: Semaphore,
    shutting_down: AtomicBool,
    /// Cancelled when shutdown begins: listeners and reconnects stop.
    pub shutdown: CancellationToken,
    /// Cancelled when shutdown ends: connections close, handlers stop.
    pub hard_stop: CancellationToken,
    /// Every task the node spawns.
    pub tasks: TaskTracker,
    /// Calls being served, on every connection.
    pub serving: AtomicUsize,
    /// Notified when `serving` drops to zero.
    pub idle: Notify,
}

impl NodeInner {
    /// A new version of a connection's announcements (never 0).
    pub fn next_remote_version(&self) -> u64 {
        self.remote_versions.fetch_add(1, Ordering::Relaxed)
    }

    pub fn next_conn_id(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    pub fn register(&self, conn: &Arc<Conn>) {
        lock(&self.conns).insert(conn.id, Arc::downgrade(conn));
    }

    pub fn unregister(&self, id: u64) {
        lock(&self.conns).remove(&id);
    }

    fn live_conns(&self) -> Vec<Arc<Conn>> {
        lock(&self.conns)
            .values()
            .filter_map(Weak::upgrade)
            .collect()
    }

    /// The services hosted now: id, contract, instance.
    pub fn hosted(&self) -> Vec<(u32, &'static str, String)> {
        let services = self.services.read().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<_> = services
            .by_id
            .iter()
            .map(|(&id, h)| (id, h.contract, h.instance.clone()))
            .collect();
        all.sort_unstable_by_key(|&(id, _, _)| id);
        all
    }

    /// The service hosted as `id`, through `cache` (the last one looked
    /// up, valid while no service is added or withdrawn).
    pub fn service<'c>(&self, id: u32, cache: &'c mut ServiceCache) -> Option<&'c Arc<Hosted>> {
        let version = self.services_changed.load(Ordering::Acquire);
        let hit = matches!(cache, Some(c) if c.id == id && c.version == version);
        if !hit {
            let services = self.services.read().unwrap_or_else(|e| e.into_inner());
            let version = self.services_changed.load(Ordering::Acquire);
            *cache = services.by_id.get(&id).map(|hosted| CachedService {
                id,
                version,
                hosted: hosted.clone(),
            });
        }
        cache.as_ref().map(|c| &c.hosted)
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::Acquire)
    }

    /// A call began being served in a task of its own.
    pub fn call_started(&self) {
        self.serving.fetch_add(1, Ordering::AcqRel);
    }

    /// A call being served ended.
    pub fn call_ended(&self) {
        // Only a shutdown waits for the node to be idle. SeqCst, with the
        // flag's store and the count's load in `shutdown`: either this sees
        // the flag, or `shutdown` sees the count at zero.
        if self.serving.fetch_sub(1, Ordering::SeqCst) == 1
            && self.shutting_down.load(Ordering::SeqCst)
        {
            self.idle.notify_waiters();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A node of the cluster: it hosts services, listens for peers and
/// connects to them. Cloning gives another handle to the same node.
///
/// See the [module docs](super) for a complete example.
#[derive(Clone)]
pub struct Node {
    inner: Arc<NodeInner>,
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("name", &self.inner.config.name)
            .field("kind", &self.inner.config.kind)
            .finish_non_exhaustive()
    }
}

/// A hosted service; [`withdraw`](Self::withdraw) stops hosting it.
#[derive(Debug)]
#[must_use = "a service is hosted until it is withdrawn; drop the handle to keep it forever"]
pub struct ServiceHandle {
    node: Weak<NodeInner>,
    id: u32,
}

impl ServiceHandle {
    /// The service id announced in its CER.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Stops hosting the service: its peers get a CER that withdraws it,
    /// and calls to it then fail with `Fault.UnknownService`.
    pub fn withdraw(self) {
        let Some(node) = self.node.upgrade() else {
            return;
        };
        let removed = {
            let mut services = node.services.write().unwrap_or_else(|e| e.into_inner());
            node.services_changed.fetch_add(1, Ordering::Release);
            services.by_id.remove(&self.id)
        };
        if let Some(hosted) = removed {
            for conn in node.live_conns() {
                conn.send_cer(false, hosted.contract, &hosted.instance, self.id);
            }
        }
    }
}

impl Node {
    /// A builder for a node named `name` (`WhoAmI.Name`, `Accept.Name`).
    pub fn builder(name: impl Into<String>) -> NodeBuilder {
        NodeBuilder {
            config: Config {
                name: name.into(),
                kind: "node".into(),
                authenticator: Box::new(|_: &PeerHello<'_>| true),
                require_encryption: false,
                max_message_size: 16 << 20,
                max_write_buffer: 4 << 20,
                max_concurrent_calls: 4096,
                max_connections: 10_000,
                handshake_timeout: Duration::from_secs(10),
                call_timeout: Duration::from_secs(30),
                write_timeout: Duration::from_secs(30),
                reconnect_min: Duration::from_millis(50),
                reconnect_max: Duration::from_secs(5),
            },
        }
    }

    /// Hosts `service` as instance `instance` of its contract, and
    /// announces it to every peer, now and on every connection to come.
    pub fn serve(&self, instance: impl Into<String>, service: impl Service) -> ServiceHandle {
        let hosted = Arc::new(Hosted {
            contract: service.contract(),
            instance: instance.into(),
            service: Box::new(service),
        });
        let id = {
            let mut services = self
                .inner
                .services
                .write()
                .unwrap_or_else(|e| e.into_inner());
            services.next_id += 1;
            let id = services.next_id;
            services.by_id.insert(id, hosted.clone());
            self.inner.services_changed.fetch_add(1, Ordering::Release);
            id
        };
        for conn in self.inner.live_conns() {
            conn.send_cer(true, hosted.contract, &hosted.instance, id);
        }
        ServiceHandle {
            node: Arc::downgrade(&self.inner),
            id,
        }
    }

    /// Hosts `service` as [`serve`](Self::serve) does, its calls going
    /// through the tower stack `layer` (the innermost service of the
    /// stack runs the dispatcher); see [`tower`](super::tower).
    #[cfg(feature = "tower")]
    pub fn serve_with<S, L>(
        &self,
        instance: impl Into<String>,
        service: S,
        layer: L,
    ) -> ServiceHandle
    where
        S: Service,
        L: ::tower::Layer<super::tower::Dispatch<S>>,
        L::Service: ::tower::Service<
                super::tower::Request,
                Response = super::frame::EncodedParams,
                Error = RpcError,
            > + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as ::tower::Service<super::tower::Request>>::Future: Send + 'static,
    {
        self.serve(instance, super::tower::Layered::new(service, layer))
    }

    /// Listens on `addr` and admits peers until the node shuts down;
    /// returns the address bound (so that port 0 can be used).
    pub async fn listen(&self, addr: impl ToSocketAddrs) -> std::io::Result<SocketAddr> {
        self.listen_on(TcpListener::bind(addr).await?)
    }

    /// Accepts peers on `listener`, bound already (when the address bound
    /// must be known before the node is built); returns its address.
    pub fn listen_on(&self, listener: TcpListener) -> std::io::Result<SocketAddr> {
        let local = listener.local_addr()?;
        let inner = self.inner.clone();
        let span = tracing::info_span!("gscluster.listen", addr = %local);
        self.inner
            .tasks
            .spawn(accept_loop(inner, listener).instrument(span));
        Ok(local)
    }

    /// An outbound connection to `addr`, established in the background and
    /// re-established after every loss, with backoff, until the node shuts
    /// down or every handle to it is dropped.
    pub fn connect(&self, addr: impl Into<String>) -> Peer {
        self.connect_with(addr, ConnectOptions::default())
    }

    /// [`connect`](Self::connect) with options: encryption, a token.
    pub fn connect_with(&self, addr: impl Into<String>, options: ConnectOptions) -> Peer {
        let (tx, rx) = watch::channel(Link::Connecting);
        let shared = Arc::new(PeerShared {
            addr: addr.into(),
            options,
            current: rx,
            stop: self.inner.shutdown.child_token(),
            node: self.inner.clone(),
        });
        let guard = Arc::new(PeerGuard(shared.stop.clone()));
        let span = tracing::info_span!("gscluster.peer", addr = %shared.addr);
        self.inner
            .tasks
            .spawn(supervise(shared.clone(), tx).instrument(span));
        Peer { shared, guard }
    }

    /// The name of the node.
    pub fn name(&self) -> &str {
        &self.inner.config.name
    }

    /// Cancelled when the node's shutdown has let the calls being served
    /// finish, and closes the connections.
    #[cfg_attr(not(feature = "etcd"), allow(dead_code))]
    pub(crate) fn hard_stop_token(&self) -> &CancellationToken {
        &self.inner.hard_stop
    }

    /// Runs `task` as a task of the node: shutdown waits for it.
    #[cfg_attr(not(feature = "etcd"), allow(dead_code))]
    pub(crate) fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        self.inner.tasks.spawn(task);
    }

    /// The kind of the node (`WhoAmI.Kind`).
    pub fn kind(&self) -> &str {
        &self.inner.config.kind
    }

    /// The contracts of the services hosted now (full names, each once,
    /// sorted).
    pub fn contracts(&self) -> Vec<&'static str> {
        let mut all: Vec<_> = self.inner.hosted().into_iter().map(|(_, c, _)| c).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The connections open now, outbound and inbound.
    pub fn connections(&self) -> Vec<Connection> {
        self.inner
            .live_conns()
            .into_iter()
            .map(|conn| Connection { conn })
            .collect()
    }

    /// Shuts the node down gracefully: listeners and reconnects stop, every
    /// hosted service is withdrawn, new calls are answered with
    /// `Fault.Unavailable`, the calls being served get up to `grace` to
    /// finish; then every connection closes (pending calls fail) and every
    /// task of the node has ended when this returns.
    pub async fn shutdown(&self, grace: Duration) {
        let inner = &self.inner;
        inner.shutting_down.store(true, Ordering::SeqCst);
        inner.shutdown.cancel();
        let hosted = inner.hosted();
        for conn in inner.live_conns() {
            for (id, contract, instance) in &hosted {
                conn.send_cer(false, contract, instance, *id);
            }
        }
        let deadline = Instant::now() + grace;
        loop {
            let idle = inner.idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if inner.serving.load(Ordering::SeqCst) == 0 {
                break;
            }
            if tokio::time::timeout_at(deadline, idle).await.is_err() {
                warn!(
                    calls = inner.serving.load(Ordering::Acquire),
                    "shutdown grace period over; stopping the calls still being served"
                );
                break;
            }
        }
        // Give the answers queued by the last calls a moment to be written.
        for conn in inner.live_conns() {
            conn.flush(Duration::from_millis(200)).await;
        }
        inner.hard_stop.cancel();
        for conn in inner.live_conns() {
            conn.close(TransportErrorKind::Closed, None);
        }
        inner.tasks.close();
        inner.tasks.wait().await;
        info!(node = %inner.config.name, "shut down");
    }
}

async fn accept_loop(inner: Arc<NodeInner>, listener: TcpListener) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = inner.shutdown.cancelled() => return,
        };
        let (stream, addr) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait, then go on.
                warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = inner.connections.try_acquire() else {
            warn!(%addr, "too many connections; refusing one");
            drop(stream);
            continue;
        };
        permit.forget();
        let _ = stream.set_nodelay(true);
        let node = inner.clone();
        inner.tasks.spawn(async move {
            let result = tokio::select! {
                r = handshake::accept(&node, stream, addr) => r,
                () = node.shutdown.cancelled() => Err(ConnectError::ShuttingDown),
            };
            match result {
                Ok(established) => {
                    let conn = Conn::start(&node, established);
                    conn.closed().await;
                }
                Err(e) => debug!(%addr, error = %e, "handshake failed"),
            }
            node.connections.add_permits(1);
        });
    }
}

/// Options of an outbound connection.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ConnectOptions {
    /// Encrypt the connection (a `DHExchange` pair before `WhoAmI`).
    pub encrypt: bool,
    /// The credentials sent in `WhoAmI.Token`.
    pub token: Vec<u8>,
}

impl ConnectOptions {
    /// Plain, no token.
    pub fn new() -> Self {
        Self::default()
    }

    /// Encrypt the connection.
    pub fn encrypt(mut self, yes: bool) -> Self {
        self.encrypt = yes;
        self
    }

    /// Send `token` as credentials.
    pub fn token(mut self, token: impl Into<Vec<u8>>) -> Self {
        self.token = token.into();
        self
    }
}

/// The state of an outbound connection.
#[derive(Clone)]
pub(crate) enum Link {
    /// Not connected yet: calls wait for the first connection.
    Connecting,
    /// The connection was lost and is being re-established: calls fail at once.
    Reconnecting,
    /// Established.
    Up(Arc<Conn>),
    /// The acceptor refused us: no more attempts.
    Refused(Arc<ConnectError>),
    /// Stopped: the node shut down or the peer was dropped.
    Stopped,
}

pub(crate) struct PeerShared {
    pub addr: String,
    options: ConnectOptions,
    current: watch::Receiver<Link>,
    stop: CancellationToken,
    pub node: Arc<NodeInner>,
}

impl PeerShared {
    /// The connection now. Before the first one is established, waits for
    /// it until `deadline`; while a lost one is re-established, fails at once.
    pub async fn conn(&self, deadline: Instant) -> Result<Arc<Conn>, RpcError> {
        // Almost always up: look without a receiver of our own.
        match &*self.current.borrow() {
            Link::Up(conn) if !conn.is_closed() => return Ok(conn.clone()),
            Link::Connecting => {}
            _ => return Err(RpcError::transport(TransportErrorKind::NotConnected)),
        }
        let mut current = self.current.clone();
        loop {
            match &*current.borrow_and_update() {
                Link::Up(conn) if !conn.is_closed() => return Ok(conn.clone()),
                Link::Connecting => {}
                _ => return Err(RpcError::transport(TransportErrorKind::NotConnected)),
            }
            match tokio::time::timeout_at(deadline, current.changed()).await {
                Ok(Ok(())) => {}
                // The deadline passed, or the supervisor is gone.
                _ => return Err(RpcError::transport(TransportErrorKind::NotConnected)),
            }
        }
    }
}

/// Stops a peer's supervisor when the last handle (the peer's or a
/// client's) is dropped.
pub(crate) struct PeerGuard(CancellationToken);

impl Drop for PeerGuard {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// An outbound connection that re-establishes itself: clients made from it
/// call the peer's services over whatever connection is up.
#[derive(Clone)]
pub struct Peer {
    shared: Arc<PeerShared>,
    guard: Arc<PeerGuard>,
}

impl std::fmt::Debug for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Peer")
            .field("addr", &self.shared.addr)
            .finish_non_exhaustive()
    }
}

impl Peer {
    /// Waits until the connection is established (or `timeout` passes).
    pub async fn connected(&self, timeout: Duration) -> Result<Connection, ConnectError> {
        let mut rx = self.shared.current.clone();
        let wait = async {
            loop {
                match &*rx.borrow_and_update() {
                    Link::Up(conn) if !conn.is_closed() => {
                        return Ok(Connection { conn: conn.clone() });
                    }
                    Link::Refused(e) => {
                        return Err(match &**e {
                            ConnectError::Rejected { code, reason } => ConnectError::Rejected {
                                code: *code,
                                reason: reason.clone(),
                            },
                            _ => ConnectError::Protocol("the peer refused the connection"),
                        });
                    }
                    Link::Stopped => return Err(ConnectError::ShuttingDown),
                    _ => {}
                }
                if rx.changed().await.is_err() {
                    return Err(ConnectError::ShuttingDown);
                }
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .unwrap_or(Err(ConnectError::Timeout))
    }

    /// A client of the peer's service of contract `C` (the first instance
    /// it announced). Calls wait for the announcement up to their deadline.
    pub fn client<C: TypedClient>(&self) -> C {
        C::from_client(self.raw_client(C::CONTRACT, None))
    }

    /// A client of the peer's instance `instance` of contract `C`.
    pub fn client_named<C: TypedClient>(&self, instance: &str) -> C {
        C::from_client(self.raw_client(C::CONTRACT, Some(instance)))
    }

    /// An untyped client of the peer's service of `contract` (a full
    /// name, `echo.Echo`), for callers that know a contract only at run
    /// time, by its schema: call it with [`EncodedParams`](super::EncodedParams)
    /// as params and returns to pass encoded values through. A contract
    /// named at run time must live as long as the program (leak the
    /// names of a schema loaded once at start-up).
    pub fn client_for(&self, contract: &'static str) -> Client {
        self.raw_client(contract, None)
    }

    /// The connection up now, if one is (without waiting).
    pub fn connection(&self) -> Option<Connection> {
        match &*self.shared.current.borrow() {
            Link::Up(conn) if !conn.is_closed() => Some(Connection { conn: conn.clone() }),
            _ => None,
        }
    }

    fn raw_client(&self, contract: &'static str, instance: Option<&str>) -> Client {
        Client::new(
            Target::Peer {
                shared: self.shared.clone(),
                _guard: self.guard.clone(),
            },
            contract,
            instance.map(Into::into),
            self.shared.node.config.call_timeout,
        )
    }

    /// The address it connects to.
    pub fn addr(&self) -> &str {
        &self.shared.addr
    }

    /// Stops re-establishing the connection, and closes it.
    pub fn close(&self) {
        self.shared.stop.cancel();
    }
}

/// A set of peers that can change while it is read: the backends a
/// [`Node`]'s user routes calls among, given once (static addresses) or kept
/// up to date by discovery (`rpc::etcd`). Cloning gives another handle to
/// the same set. Reading it ([`load`](Self::load)) takes a snapshot: one
/// reference count, no copy.
#[derive(Clone, Default)]
pub struct PeerSet {
    peers: Arc<RwLock<Arc<[Peer]>>>,
}

impl std::fmt::Debug for PeerSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.load().iter().map(Peer::addr))
            .finish()
    }
}

impl PeerSet {
    /// A set of `peers`.
    pub fn new(peers: Vec<Peer>) -> PeerSet {
        PeerSet {
            peers: Arc::new(RwLock::new(peers.into())),
        }
    }

    /// The peers now.
    pub fn load(&self) -> Arc<[Peer]> {
        self.peers.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Adds `peer`.
    pub fn insert(&self, peer: Peer) {
        let mut peers = self.peers.write().unwrap_or_else(|e| e.into_inner());
        let mut next: Vec<Peer> = Vec::with_capacity(peers.len() + 1);
        next.extend(peers.iter().cloned());
        next.push(peer);
        *peers = next.into();
    }

    /// Removes and closes `peer` (that handle's peer, not others of its
    /// address); whether it was in the set.
    pub fn remove_peer(&self, peer: &Peer) -> bool {
        let mut peers = self.peers.write().unwrap_or_else(|e| e.into_inner());
        let before = peers.len();
        let next: Vec<Peer> = peers
            .iter()
            .filter(|p| !Arc::ptr_eq(&p.shared, &peer.shared))
            .cloned()
            .collect();
        let removed = next.len() != before;
        if removed {
            peer.close();
        }
        *peers = next.into();
        removed
    }

    /// Removes and closes the peers of address `addr`; whether there was one.
    /// Calls in flight to it fail at once.
    pub fn remove(&self, addr: &str) -> bool {
        let mut peers = self.peers.write().unwrap_or_else(|e| e.into_inner());
        let before = peers.len();
        let next: Vec<Peer> = peers
            .iter()
            .filter(|p| {
                let gone = p.addr() == addr;
                if gone {
                    p.close();
                }
                !gone
            })
            .cloned()
            .collect();
        let removed = next.len() != before;
        *peers = next.into();
        removed
    }

    /// The number of peers now.
    pub fn len(&self) -> usize {
        self.load().len()
    }

    /// Whether the set is empty now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Establishes and re-establishes an outbound connection until stopped.
async fn supervise(shared: Arc<PeerShared>, tx: watch::Sender<Link>) {
    let node = shared.node.clone();
    let mut backoff = node.config.reconnect_min;
    loop {
        let attempt = async {
            // A black-holed address would otherwise hang for the OS's
            // connect timeout (minutes): the handshake timeout bounds it.
            let connect = TcpStream::connect(shared.addr.as_str());
            let stream = tokio::time::timeout(node.config.handshake_timeout, connect)
                .await
                .map_err(|_| ConnectError::Timeout)??;
            let _ = stream.set_nodelay(true);
            let addr = stream.peer_addr()?;
            let opening = Opening {
                encrypt: shared.options.encrypt,
                token: &shared.options.token,
            };
            handshake::open(&node, stream, addr, opening).await
        };
        let result = tokio::select! {
            r = attempt => r,
            () = shared.stop.cancelled() => break,
        };
        match result {
            Ok(established) => {
                let conn = Conn::start(&node, established);
                debug!(peer = %conn.peer.name, "connected");
                backoff = node.config.reconnect_min;
                tx.send_replace(Link::Up(conn.clone()));
                tokio::select! {
                    () = conn.closed() => {}
                    () = shared.stop.cancelled() => {
                        conn.close(TransportErrorKind::Closed, None);
                        break;
                    }
                }
                tx.send_replace(Link::Reconnecting);
                debug!("connection lost; re-establishing");
            }
            Err(e @ ConnectError::Rejected { .. }) => {
                warn!(error = %e, "the peer refused the connection; not retrying");
                tx.send_replace(Link::Refused(Arc::new(e)));
                return;
            }
            Err(e) => debug!(error = %e, ?backoff, "connecting failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(backoff) => {}
            () = shared.stop.cancelled() => break,
        }
        backoff = (backoff * 2).min(node.config.reconnect_max);
    }
    tx.send_replace(Link::Stopped);
}

/// An established connection, inbound or outbound: who is on the other
/// end, and clients of the services it announced (calls go both ways).
#[derive(Clone)]
pub struct Connection {
    pub(crate) conn: Arc<Conn>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("peer", &self.conn.peer)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Who is on the other end.
    pub fn peer(&self) -> &PeerInfo {
        &self.conn.peer
    }

    /// A client of the peer's service of contract `C`, over this connection only.
    pub fn client<C: TypedClient>(&self) -> C {
        C::from_client(Client::new(
            Target::Conn(self.conn.clone()),
            C::CONTRACT,
            None,
            self.conn.node.config.call_timeout,
        ))
    }

    /// A client of the peer's instance `instance` of contract `C`.
    pub fn client_named<C: TypedClient>(&self, instance: &str) -> C {
        C::from_client(Client::new(
            Target::Conn(self.conn.clone()),
            C::CONTRACT,
            Some(instance.into()),
            self.conn.node.config.call_timeout,
        ))
    }

    /// An untyped client of the peer's service of `contract`, over this
    /// connection only (see [`Peer::client_for`]).
    pub fn client_for(&self, contract: &'static str) -> Client {
        Client::new(
            Target::Conn(self.conn.clone()),
            contract,
            None,
            self.conn.node.config.call_timeout,
        )
    }

    /// The services the peer announces now (CER), as (contract, instance)
    /// pairs in the order of their ids.
    pub fn services(&self) -> Vec<(Arc<str>, Arc<str>)> {
        self.conn.remote_services()
    }

    /// Whether the peer announces a service of `contract` now.
    pub fn announces(&self, contract: &str) -> bool {
        self.conn.announces(contract)
    }

    /// Whether the connection has closed.
    pub fn is_closed(&self) -> bool {
        self.conn.is_closed()
    }

    /// Resolves when the connection closes.
    pub async fn closed(&self) {
        self.conn.closed().await;
    }

    /// Closes the connection; its pending calls fail at once.
    pub fn close(&self) {
        self.conn.close(TransportErrorKind::Closed, None);
    }
}
