//! The gate: listeners, sessions, routing to backends, and the `gate.Gate`
//! contract it hosts for them.
//!
//! Each connection has one task reading packets (the session) and one
//! writing them; they share the session's bounded send queue. Producers
//! (responses, pushes, broadcasts) never wait on it: a full queue kicks the
//! session, so a client that stops reading costs at most the queue. Every
//! wait on a client has a timeout (handshake, heartbeat, writes), every
//! request a deadline, and every task is tracked and ends on shutdown.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use governor::{Quota, RateLimiter};
use gscluster::gslang::Fault;
use gscluster::rpc::{
    CallContext, Connection, EncodedParams, Node, Peer, PeerSet, RpcError, TransportErrorKind,
};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument as _, debug, info};

use crate::proto::gate as g;
use crate::protocol::{
    self, DataType, Message, MessageType, Packet, PacketType, ProtocolError, Reassembler, Route,
};
use crate::schema::{RouteInfo, Schema, put_varint};
use crate::transport::{self, PacketRead, PacketWrite, ReadError};

mod http;

/// The settings of a gate.
#[derive(Clone)]
#[non_exhaustive]
pub struct GateConfig {
    /// The gate's name (`gate.Session.Gate`, its gscluster node's name).
    pub name: String,
    /// The interval clients send heartbeats at; silent for twice that: kicked.
    pub heartbeat: Duration,
    /// How long a new connection has to send its Handshake.
    pub handshake_timeout: Duration,
    /// The most sessions at once; over it, HandshakeAck 503.
    pub max_connections: usize,
    /// The largest reassembled Data body.
    pub max_message: usize,
    /// Packets queued for one client before it is kicked as a slow reader.
    pub send_queue: usize,
    /// Bytes queued for one client before it is kicked as a slow reader.
    pub send_queue_bytes: usize,
    /// Messages per second a client may send (every packet counts).
    pub rate: u32,
    /// Bursts allowed over the rate.
    pub burst: u32,
    /// Requests of one session in flight at once; more wait (backpressure).
    pub max_in_flight: usize,
    /// The deadline of a request to a backend.
    pub request_timeout: Duration,
    /// A write to a client that makes no progress for this long ends the session.
    pub write_timeout: Duration,
    /// How long `Gate.Push` with an ack waits for the client's Ack.
    pub ack_timeout: Duration,
    /// The secret HTTP calls' bearer tokens are signed with (give every
    /// gate of a cluster the same one); `None`: a random key per start.
    pub token_secret: Option<Vec<u8>>,
    /// How long a bearer token is good for.
    pub token_ttl: Duration,
    /// The HTML page answered to `GET /` on the WebSocket listener (a
    /// browser client of the gate, say); `None`: 404.
    pub page: Option<Bytes>,
}

impl std::fmt::Debug for GateConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let GateConfig {
            name,
            heartbeat,
            handshake_timeout,
            max_connections,
            max_message,
            send_queue,
            send_queue_bytes,
            rate,
            burst,
            max_in_flight,
            request_timeout,
            write_timeout,
            ack_timeout,
            token_secret,
            token_ttl,
            page,
        } = self;
        f.debug_struct("GateConfig")
            .field("name", name)
            .field("heartbeat", heartbeat)
            .field("handshake_timeout", handshake_timeout)
            .field("max_connections", max_connections)
            .field("max_message", max_message)
            .field("send_queue", send_queue)
            .field("send_queue_bytes", send_queue_bytes)
            .field("rate", rate)
            .field("burst", burst)
            .field("max_in_flight", max_in_flight)
            .field("request_timeout", request_timeout)
            .field("write_timeout", write_timeout)
            .field("ack_timeout", ack_timeout)
            // Never printed.
            .field("token_secret", &token_secret.as_ref().map(|_| "<hidden>"))
            .field("token_ttl", token_ttl)
            .field("page", &page.as_ref().map(Bytes::len))
            .finish()
    }
}

impl Default for GateConfig {
    fn default() -> Self {
        GateConfig {
            name: "gate".into(),
            heartbeat: Duration::from_secs(30),
            handshake_timeout: Duration::from_secs(5),
            max_connections: 100_000,
            max_message: protocol::DEFAULT_MAX_MESSAGE,
            send_queue: 1024,
            send_queue_bytes: 4 << 20,
            rate: 100,
            burst: 200,
            max_in_flight: 64,
            request_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            ack_timeout: Duration::from_secs(5),
            token_secret: None,
            token_ttl: Duration::from_secs(24 * 60 * 60),
            page: None,
        }
    }
}

impl GateConfig {
    /// The default settings with the gate's name.
    pub fn new(name: impl Into<String>) -> GateConfig {
        GateConfig {
            name: name.into(),
            ..GateConfig::default()
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // No lock is held across user code or an await: poisoning is ignored.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One client's session.
#[derive(Debug)]
struct Session {
    id: u64,
    /// The client's address, encoded as the `Addr` of its `gate.Session`.
    addr_encoded: Vec<u8>,
    user: AtomicU64,
    /// An HTTP call's session: it lives for the call, receives nothing, and
    /// binding it to a user kicks no other session.
    http: bool,
    tx: mpsc::Sender<Bytes>,
    /// The bytes in the send queue, and their bound.
    queued: AtomicUsize,
    max_queued: usize,
    /// Set with the reason when the session is kicked.
    kick: Mutex<Option<String>>,
    kicked: CancellationToken,
    /// The connection ended (either half).
    done: CancellationToken,
    groups: Mutex<HashSet<Arc<str>>>,
    acks: Mutex<HashMap<u64, oneshot::Sender<()>>>,
    next_push: AtomicU64,
}

impl Session {
    /// A new session of the client at `addr`, queueing on `tx`; `http`
    /// for an HTTP call's.
    fn new(shared: &Shared, addr: SocketAddr, tx: mpsc::Sender<Bytes>, http: bool) -> Session {
        Session {
            id: shared.next_session.fetch_add(1, Ordering::Relaxed),
            addr_encoded: gscluster::to_bytes(&addr.to_string()),
            user: AtomicU64::new(0),
            http,
            tx,
            queued: AtomicUsize::new(0),
            max_queued: shared
                .config
                .send_queue_bytes
                .max(protocol::HEAD_LEN + protocol::MAX_BODY),
            kick: Mutex::new(None),
            kicked: CancellationToken::new(),
            done: CancellationToken::new(),
            groups: Mutex::new(HashSet::new()),
            acks: Mutex::new(HashMap::new()),
            next_push: AtomicU64::new(1),
        }
    }

    /// Queues one encoded packet; a full queue kicks the session.
    fn send(&self, packet: Bytes) -> bool {
        let len = packet.len();
        if self.queued.fetch_add(len, Ordering::AcqRel) + len > self.max_queued {
            self.queued.fetch_sub(len, Ordering::AcqRel);
            self.kick("send queue full");
            return false;
        }
        match self.tx.try_send(packet) {
            Ok(()) => true,
            Err(e) => {
                self.queued.fetch_sub(len, Ordering::AcqRel);
                if matches!(e, mpsc::error::TrySendError::Full(_)) {
                    self.kick("send queue full");
                }
                false
            }
        }
    }

    fn send_message(&self, message: &Message) -> bool {
        let len = message.encoded_len();
        if len <= protocol::MAX_BODY {
            // One packet, encoded in place after its head.
            let mut out = BytesMut::with_capacity(protocol::HEAD_LEN + len);
            protocol::put_packet(&mut out, PacketType::Data, false, &[]);
            let body_len = (len as u32).to_be_bytes();
            out[1..4].copy_from_slice(&body_len[1..]);
            message.encode(&mut out);
            return self.send(out.freeze());
        }
        let body = message.to_bytes();
        protocol::packets(PacketType::Data, &body)
            .into_iter()
            .all(|p| self.send(p))
    }

    fn kick(&self, reason: &str) {
        let mut kick = lock(&self.kick);
        if kick.is_none() {
            *kick = Some(reason.to_owned());
            debug!(session = self.id, reason, "kick");
            metrics::counter!("gsgate.kicks").increment(1);
        }
        drop(kick);
        self.kicked.cancel();
    }
}

#[derive(Debug, Default)]
struct Registry {
    sessions: HashMap<u64, Arc<Session>>,
    users: HashMap<u64, u64>,
    groups: HashMap<Arc<str>, HashSet<u64>>,
}

/// What the gate's tasks and its `gate.Gate` service share.
#[derive(Debug)]
struct Shared {
    config: GateConfig,
    /// The gate's name, encoded as the `Gate` of its sessions.
    gate_name: Vec<u8>,
    schema: Arc<Schema>,
    registry: Mutex<Registry>,
    next_session: AtomicU64,
    handshake_ack: Bytes,
    tasks: TaskTracker,
    /// Stops the listeners.
    stop: CancellationToken,
    draining: AtomicBool,
    in_flight: AtomicUsize,
    metrics: GateMetrics,
    tokens: http::Tokens,
    /// Connections accepted and not yet closed (sessions and handshakes).
    open: AtomicUsize,
    idle: Notify,
}

/// The handles of the metrics counted per packet and per request,
/// registered once (with the recorder installed when the gate starts).
struct GateMetrics {
    packets_in: metrics::Counter,
    /// `gsgate.requests` of each route, in dictionary order.
    requests: Vec<metrics::Counter>,
}

impl GateMetrics {
    fn register(schema: &Schema) -> GateMetrics {
        GateMetrics {
            packets_in: metrics::counter!("gsgate.packets_in"),
            requests: schema
                .routes()
                .iter()
                .map(|r| metrics::counter!("gsgate.requests", "route" => r.route.clone()))
                .collect(),
        }
    }
}

impl std::fmt::Debug for GateMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GateMetrics").finish_non_exhaustive()
    }
}

impl Shared {
    fn unregister(&self, s: &Session) {
        let mut reg = lock(&self.registry);
        reg.sessions.remove(&s.id);
        let user = s.user.load(Ordering::Acquire);
        if user != 0 && reg.users.get(&user) == Some(&s.id) {
            reg.users.remove(&user);
        }
        for group in lock(&s.groups).drain() {
            if let Some(members) = reg.groups.get_mut(&group) {
                members.remove(&s.id);
                if members.is_empty() {
                    reg.groups.remove(&group);
                }
            }
        }
        metrics::gauge!("gsgate.sessions").set(reg.sessions.len() as f64);
    }

    /// The push message of `route` carrying `data`.
    fn push_message(&self, route: &str, data: Vec<u8>, id: u64) -> Message {
        let route_field = match self.schema.route(route) {
            Some(r) => Route::Code(r.code),
            None => Route::Name(route.to_owned()),
        };
        Message {
            ty: MessageType::Push,
            data_type: DataType::Binary,
            id,
            route: route_field,
            object: self.schema.object_of(route).to_owned(),
            data: data.into(),
        }
    }
}

/// A running gate.
#[derive(Debug, Clone)]
pub struct Gate {
    shared: Arc<Shared>,
    node: Node,
    backends: PeerSet,
    round_robin: Arc<AtomicUsize>,
}

impl Gate {
    /// Starts a gate for `schema`, connected to `backends` (gscluster
    /// nodes; each connection is re-established after a loss).
    ///
    /// The gate registers its per-packet and per-route metrics here, with
    /// the `metrics` recorder installed at the time: install one first.
    pub fn start(config: GateConfig, schema: Schema, backends: &[String]) -> Gate {
        let dict: serde_json::Map<String, serde_json::Value> = schema
            .routes()
            .iter()
            .map(|r| (r.route.clone(), json!(r.code)))
            .collect();
        let heartbeat = config.heartbeat.as_secs();
        let mut ack = json!({
            "code": 200,
            "sys": {"heartbeat": heartbeat, "dict": dict, "session": 0},
        });
        // A HandshakeAck is one packet: a dictionary too large for it is
        // left out (clients then send routes as text).
        if ack.to_string().len() + 20 > protocol::MAX_BODY {
            tracing::warn!("the route dictionary does not fit a HandshakeAck; left out");
            ack = json!({"code": 200, "sys": {"heartbeat": heartbeat, "dict": {}, "session": 0}});
        }
        let metrics = GateMetrics::register(&schema);
        let node = Node::builder(config.name.clone())
            .kind("gate")
            .call_timeout(config.request_timeout)
            .reconnect_backoff(Duration::from_millis(50), Duration::from_secs(2))
            .build();
        let shared = Arc::new(Shared {
            schema: Arc::new(schema),
            registry: Mutex::new(Registry::default()),
            next_session: AtomicU64::new(1),
            handshake_ack: Bytes::from(ack.to_string()),
            tasks: TaskTracker::new(),
            stop: CancellationToken::new(),
            draining: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            metrics,
            tokens: http::Tokens::new(config.token_secret.as_deref(), config.token_ttl),
            open: AtomicUsize::new(0),
            idle: Notify::new(),
            gate_name: gscluster::to_bytes(&config.name),
            config,
        });
        let _gate = node.serve(
            "gate",
            g::GateServer::new(GateService {
                shared: shared.clone(),
            }),
        );
        let backends = PeerSet::new(backends.iter().map(|a| node.connect(a.clone())).collect());
        Gate {
            shared,
            node,
            backends,
            round_robin: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Loads `schema` (with `include` searched for imports) and starts a gate.
    pub fn start_with_schema_file(
        config: GateConfig,
        schema: &std::path::Path,
        include: &[PathBuf],
        backends: &[String],
    ) -> Result<Gate, crate::schema::SchemaError> {
        Ok(Gate::start(
            config,
            Schema::load(schema, include)?,
            backends,
        ))
    }

    /// The schema it serves.
    pub fn schema(&self) -> &Schema {
        &self.shared.schema
    }

    /// The backends it routes to: those given at start, and those
    /// discovery adds (`gscluster::rpc::etcd`, on [`node`](Self::node)).
    pub fn backends(&self) -> &PeerSet {
        &self.backends
    }

    /// The gate's gscluster node, which connects to the backends.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The contracts it exposes (full names, each once, sorted): those its
    /// backends host.
    pub fn contracts(&self) -> Vec<&'static str> {
        let mut all: Vec<_> = self
            .shared
            .schema
            .routes()
            .iter()
            .map(|r| r.contract)
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The number of sessions now.
    pub fn sessions(&self) -> usize {
        lock(&self.shared.registry).sessions.len()
    }

    /// Waits until a backend announcing `contract` is connected, up to `timeout`.
    pub async fn backend_ready(&self, contract: &str, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self
                .backends
                .load()
                .iter()
                .filter_map(Peer::connection)
                .any(|c| c.announces(contract))
            {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Accepts clients over TCP on `addr`; returns the address bound.
    pub async fn listen_tcp(&self, addr: &str) -> std::io::Result<SocketAddr> {
        self.listen(addr, false).await
    }

    /// Accepts clients over WebSocket (an upgrade on any path) on `addr`.
    pub async fn listen_ws(&self, addr: &str) -> std::io::Result<SocketAddr> {
        self.listen(addr, true).await
    }

    async fn listen(&self, addr: &str, ws: bool) -> std::io::Result<SocketAddr> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let gate = self.clone();
        self.shared.tasks.spawn(async move {
            loop {
                let accepted = tokio::select! {
                    a = listener.accept() => a,
                    () = gate.shared.stop.cancelled() => break,
                };
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        debug!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                // Connections still shaking hands count too: past the
                // session limit and a margin for them, refuse at once.
                let open = gate.shared.open.fetch_add(1, Ordering::AcqRel);
                let guard = OpenGuard(gate.shared.clone());
                if open
                    >= gate
                        .shared
                        .config
                        .max_connections
                        .saturating_add(HANDSHAKE_MARGIN)
                {
                    debug!(%peer, "too many connections; closed at once");
                    drop((stream, guard));
                    continue;
                }
                let g = gate.clone();
                let span = tracing::debug_span!("gsgate.conn", %peer, ws);
                gate.shared.tasks.spawn(
                    async move {
                        let _guard = guard;
                        if ws {
                            // Boxed: TCP connections' tasks do not carry its size.
                            Box::pin(g.ws_listener_connection(stream, peer)).await;
                        } else {
                            let (r, w) = transport::tcp(stream);
                            g.connection(r, w, peer).await;
                        }
                    }
                    .instrument(span),
                );
            }
        });
        info!(%local, ws, "listening");
        Ok(local)
    }

    /// Serves one client connection, from its handshake to its end.
    async fn connection<R: PacketRead, W: PacketWrite>(
        &self,
        mut r: R,
        mut w: W,
        addr: SocketAddr,
    ) {
        let shared = &self.shared;
        let first = tokio::select! {
            p = tokio::time::timeout(shared.config.handshake_timeout, r.read()) => p,
            () = shared.stop.cancelled() => return,
        };
        let Ok(Ok(Some(Packet {
            ty: PacketType::Handshake,
            body,
            ..
        }))) = first
        else {
            debug!("no handshake");
            let _ = tokio::time::timeout(shared.config.write_timeout, w.close()).await;
            return;
        };
        if !body.is_empty() && serde_json::from_slice::<serde_json::Value>(&body).is_err() {
            refuse(&mut w, 400, shared.config.write_timeout).await;
            return;
        }
        let (tx, rx) = mpsc::channel(shared.config.send_queue.max(1));
        let session = Arc::new(Session::new(shared, addr, tx, false));
        let id = session.id;
        let admitted = {
            let mut reg = lock(&shared.registry);
            let full = reg.sessions.len() >= shared.config.max_connections
                || shared.draining.load(Ordering::Acquire);
            if !full {
                reg.sessions.insert(id, session.clone());
                metrics::gauge!("gsgate.sessions").set(reg.sessions.len() as f64);
            }
            !full
        };
        if !admitted {
            refuse(&mut w, 503, shared.config.write_timeout).await;
            return;
        }
        let ack = handshake_ack(&shared.handshake_ack, id);
        let mut packet = BytesMut::new();
        protocol::put_packet(&mut packet, PacketType::HandshakeAck, false, &ack);
        session.send(packet.freeze());
        let writer = shared.tasks.spawn(write_loop(
            session.clone(),
            rx,
            w,
            shared.config.write_timeout,
        ));
        self.read_loop(&session, &mut r).await;
        session.done.cancel();
        shared.unregister(&session);
        let _ = writer.await;
    }

    async fn read_loop<R: PacketRead>(&self, session: &Arc<Session>, r: &mut R) {
        let config = &self.shared.config;
        let quota =
            Quota::per_second(NonZeroU32::new(config.rate.max(1)).unwrap_or(NonZeroU32::MIN))
                .allow_burst(NonZeroU32::new(config.burst.max(1)).unwrap_or(NonZeroU32::MIN));
        let limiter = RateLimiter::direct(quota);
        let mut reassembler = Reassembler::new(config.max_message);
        // The session's requests in flight, driven by this task (no task
        // per request); while `max_in_flight` wait, the client is not read.
        // Boxed: the set's stub task holds a value of its future type, so a
        // concrete type (a backend call, large) would cost every idle
        // session its size.
        let mut calls: FuturesUnordered<Pin<Box<dyn Future<Output = ()> + Send>>> =
            FuturesUnordered::new();
        let max_in_flight = config.max_in_flight.max(1);
        let mut ends = Vec::new();
        // One timer for the heartbeat, not one per read: it is moved on
        // only when it fires, to `silence` after the last packet.
        let silence = config.heartbeat * 2;
        let mut last_seen = Instant::now();
        let timer = tokio::time::sleep_until(last_seen + silence);
        // Made once, not for every packet: registering with a token costs.
        let kicked = session.kicked.cancelled();
        let done = session.done.cancelled();
        tokio::pin!(kicked, done, timer);
        loop {
            let reading = calls.len() < max_in_flight;
            let read = tokio::select! {
                biased;
                () = &mut kicked => break,
                () = &mut done => break,
                Some(()) = calls.next(), if !calls.is_empty() => {
                    // The time at the limit, not read, is not silence.
                    if !reading {
                        last_seen = Instant::now();
                    }
                    continue;
                }
                read = r.read(), if reading => read,
                () = &mut timer => {
                    // A session is not silent while the gate is not reading it.
                    if !reading {
                        last_seen = Instant::now();
                    }
                    if last_seen.elapsed() < silence {
                        timer.as_mut().reset(last_seen + silence);
                        continue;
                    }
                    session.kick("heartbeat timeout");
                    break;
                }
            };
            let packet = match read {
                Ok(Some(p)) => p,
                Ok(None) => break,
                Err(ReadError::Io(e)) => {
                    debug!(error = %e, "read failed");
                    break;
                }
                Err(ReadError::Protocol(e)) => {
                    session.kick(&protocol_reason(&e));
                    break;
                }
            };
            last_seen = Instant::now();
            self.shared.metrics.packets_in.increment(1);
            if limiter.check().is_err() {
                session.kick("rate limit");
                break;
            }
            match packet.ty {
                PacketType::Heartbeat => {
                    let mut out = BytesMut::new();
                    protocol::put_packet(&mut out, PacketType::Heartbeat, false, &[]);
                    session.send(out.freeze());
                }
                PacketType::Data => {
                    let body = match reassembler.push(packet) {
                        Ok(Some(body)) => body,
                        Ok(None) => continue,
                        Err(e) => {
                            session.kick(&protocol_reason(&e));
                            break;
                        }
                    };
                    let message = match Message::decode(body) {
                        Ok(m) => m,
                        Err(e) => {
                            session.kick(&protocol_reason(&e));
                            break;
                        }
                    };
                    match self.message(session, message, &mut ends) {
                        Handled::Done => {}
                        Handled::Forward(call) => calls.push(Box::pin(call.run())),
                        Handled::End => break,
                    }
                }
                _ => {
                    session.kick("protocol error: unexpected packet");
                    break;
                }
            }
        }
        // The calls still in flight end on their own (an answer for a
        // session that is gone is dropped; a Notify is still sent).
        if !calls.is_empty() {
            self.shared
                .tasks
                .spawn(async move { while calls.next().await.is_some() {} }.in_current_span());
        }
    }

    /// Handles one message of the client.
    fn message(&self, session: &Arc<Session>, m: Message, ends: &mut Vec<usize>) -> Handled {
        match m.ty {
            MessageType::Request | MessageType::Notify => {}
            MessageType::Ack => {
                if let Some(done) = lock(&session.acks).remove(&m.id) {
                    let _ = done.send(());
                }
                return Handled::Done;
            }
            _ => {
                session.kick("protocol error: unexpected message type");
                return Handled::End;
            }
        }
        let request = m.ty == MessageType::Request;
        let fail = |fault: Fault| {
            if request {
                session.send_message(&error_response(m.id, fault_error(fault)));
            }
            Handled::Done
        };
        let schema = &self.shared.schema;
        let route = match &m.route {
            Route::Name(name) => schema.route(name),
            Route::Code(code) => schema.route_by_code(*code),
            Route::None => None,
        };
        let Some(route) = route else {
            return fail(Fault::UnknownMethod);
        };
        match self.prepare(session, route, &m.data, request.then_some(m.id), ends) {
            Ok(forward) => Handled::Forward(forward),
            Err(fault) => fail(fault),
        }
    }

    /// Checks a request (`id` set) or Notify of `route` with `data` from
    /// `session` and chooses its backend; `ends` is a buffer to reuse.
    fn prepare(
        &self,
        session: &Arc<Session>,
        route: &Arc<RouteInfo>,
        data: &Bytes,
        id: Option<u64>,
        ends: &mut Vec<usize>,
    ) -> Result<Forward, Fault> {
        let counter = usize::from(route.code).checked_sub(1);
        if let Some(counter) = counter.and_then(|i| self.shared.metrics.requests.get(i)) {
            counter.increment(1);
        }
        if !self.shared.schema.split_into(&route.params, data, ends) {
            return Err(Fault::BadRequest);
        }
        // Counted before draining is read (both SeqCst): either shutdown
        // waits for this request, or the request sees the drain.
        let in_flight = InFlight::new(self.shared.clone());
        if self.shared.draining.load(Ordering::SeqCst) {
            return Err(Fault::Unavailable);
        }
        let by = match route.key {
            Some(k) => By::Key(&data[k.checked_sub(1).map_or(0, |i| ends[i])..ends[k]]),
            None if route.sticky => match session.user.load(Ordering::Acquire) {
                0 => By::User(session.id),
                user => By::User(user),
            },
            None => By::Turn,
        };
        let conn = self.pick(route, by).ok_or(Fault::Unavailable)?;
        let params = self.params(session, data, ends);
        Ok(Forward {
            in_flight,
            session: session.clone(),
            route: route.clone(),
            conn,
            params,
            id,
        })
    }

    /// The backend connection a request of `route` goes to, among those
    /// up that announce its contract.
    fn pick(&self, route: &RouteInfo, by: By<'_>) -> Option<Connection> {
        let up = |c: &Connection| c.announces(route.contract);
        let backends = self.backends.load();
        let mut candidates = backends.iter().filter_map(Peer::connection);
        if backends.len() == 1 {
            return candidates.next().filter(up);
        }
        if let By::Key(key) = by {
            return candidates
                .filter(up)
                .map(|c| (rendezvous_score(c.peer().addr, key), c))
                .max_by_key(|(score, _)| *score)
                .map(|(_, c)| c);
        }
        let n = backends
            .iter()
            .filter_map(Peer::connection)
            .filter(up)
            .count();
        if n == 0 {
            return None;
        }
        let i = match by {
            By::User(key) => (key % n as u64) as usize,
            _ => self.round_robin.fetch_add(1, Ordering::Relaxed) % n,
        };
        // A backend lost since the count: the first one up.
        let mut up_now = candidates.filter(up);
        let first = up_now.next();
        if i == 0 {
            first
        } else {
            up_now.nth(i - 1).or(first)
        }
    }

    /// The call's Params list: the session, then each argument.
    fn params(&self, session: &Session, data: &[u8], ends: &[usize]) -> EncodedParams {
        // The encoding of the gate.Session, from the parts encoded once:
        // `Gate` (the gate's name), `ID`, `UserID`, `Addr`.
        let gate = &self.shared.gate_name;
        let len = gate.len() + 16 + session.addr_encoded.len();
        let mut out = Vec::with_capacity(data.len() + len + 5 * (ends.len() + 2));
        put_varint(&mut out, ends.len() + 1);
        put_varint(&mut out, len);
        out.extend_from_slice(gate);
        out.extend_from_slice(&session.id.to_le_bytes());
        out.extend_from_slice(&session.user.load(Ordering::Acquire).to_le_bytes());
        out.extend_from_slice(&session.addr_encoded);
        let mut start = 0;
        for &end in ends {
            put_varint(&mut out, end - start);
            out.extend_from_slice(&data[start..end]);
            start = end;
        }
        EncodedParams(out.into())
    }

    /// Shuts down: stops accepting, lets requests in flight finish (up to
    /// `grace`), kicks every session with `shutting down`, and waits for
    /// every task.
    pub async fn shutdown(&self, grace: Duration) {
        let shared = &self.shared;
        shared.stop.cancel();
        shared.draining.store(true, Ordering::SeqCst);
        let deadline = tokio::time::Instant::now() + grace;
        loop {
            let idle = shared.idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if shared.in_flight.load(Ordering::SeqCst) == 0 {
                break;
            }
            if tokio::time::timeout_at(deadline, idle).await.is_err() {
                break;
            }
        }
        let sessions: Vec<_> = lock(&shared.registry).sessions.values().cloned().collect();
        for s in sessions {
            s.kick("shutting down");
        }
        shared.tasks.close();
        if tokio::time::timeout(grace + Duration::from_secs(2), shared.tasks.wait())
            .await
            .is_err()
        {
            debug!("tasks still running after the grace period");
        }
        self.node.shutdown(Duration::from_secs(1)).await;
    }
}

/// Connections beyond the session limit allowed to shake hands at once
/// (those over the limit are answered 503; beyond this margin, closed).
const HANDSHAKE_MARGIN: usize = 1024;

/// Counts a connection open until dropped.
struct OpenGuard(Arc<Shared>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

fn protocol_reason(e: &ProtocolError) -> String {
    match e {
        ProtocolError::BodyTooLarge(_) => "packet too large".into(),
        ProtocolError::MessageTooLarge(_) => "message too large".into(),
        e => format!("protocol error: {e}"),
    }
}

/// The HandshakeAck body with the session's id in place of the template's 0.
fn handshake_ack(template: &[u8], session: u64) -> Vec<u8> {
    let text = String::from_utf8_lossy(template);
    text.replacen("\"session\":0", &format!("\"session\":{session}"), 1)
        .into_bytes()
}

/// Answers a handshake with a non-200 code, then closes.
async fn refuse<W: PacketWrite>(w: &mut W, code: u16, timeout: Duration) {
    let mut out = BytesMut::new();
    let body = json!({ "code": code }).to_string();
    protocol::put_packet(&mut out, PacketType::HandshakeAck, false, body.as_bytes());
    let _ = tokio::time::timeout(timeout, w.write(&[out.freeze()])).await;
    let _ = tokio::time::timeout(timeout, w.close()).await;
}

/// How a request picks its backend.
#[derive(Clone, Copy)]
enum By<'a> {
    /// `@gate.Key`: rendezvous hashing of the key argument's encoding.
    Key(&'a [u8]),
    /// `Sticky`: the user id (the session id before Bind) modulo the instances.
    User(u64),
    /// Round robin.
    Turn,
}

/// An instance's score for a key in rendezvous hashing (the highest
/// wins): SipHash-2-4 with keys 0 of the instance's address as text
/// (`IP:PORT`), a 0xFF byte, and the key, as `gate.gs` documents it for
/// `Key`, so that every gate, whatever it is built with, agrees.
pub fn rendezvous_score(addr: SocketAddr, key: &[u8]) -> u64 {
    use std::hash::Hasher as _;
    use std::io::Write as _;
    let mut text = [0u8; 64];
    let mut cursor = std::io::Cursor::new(&mut text[..]);
    // An address takes at most 58 bytes as text.
    let _ = write!(cursor, "{addr}");
    let len = cursor.position() as usize;
    let mut h = siphasher::sip::SipHasher24::new_with_keys(0, 0);
    h.write(&text[..len]);
    h.write(&[0xff]);
    h.write(key);
    h.finish()
}

/// What became of a client's message.
enum Handled {
    /// Answered (or needing no answer) at the gate.
    Done,
    /// To be forwarded to a backend.
    Forward(Forward),
    /// The session ends.
    End,
}

/// Counts a request in flight (for graceful shutdown) until dropped.
struct InFlight(Arc<Shared>);

impl InFlight {
    fn new(shared: Arc<Shared>) -> InFlight {
        shared.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(shared)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// A request (`id` set) or a Notify to forward to the backend on `conn`.
struct Forward {
    in_flight: InFlight,
    session: Arc<Session>,
    route: Arc<RouteInfo>,
    conn: Connection,
    params: EncodedParams,
    id: Option<u64>,
}

impl Forward {
    /// Forwards it, and queues the answer of a request for the session.
    async fn run(self) {
        let (session, route, id) = (self.session.clone(), self.route.clone(), self.id);
        let result = self.result().await;
        let Some(id) = id else { return };
        let response = match result {
            Ok(data) => Message {
                ty: MessageType::Response,
                data_type: DataType::Binary,
                id,
                route: Route::None,
                object: route.returns_object.clone(),
                data,
            },
            Err(e) => error_response(id, e),
        };
        session.send_message(&response);
    }

    /// Forwards it: the data of a request's answer (the returns' encoding),
    /// or its error; a Notify's is empty.
    async fn result(self) -> Result<Bytes, g::Error> {
        let Forward {
            in_flight,
            session: _,
            route,
            conn,
            params,
            id,
        } = self;
        let client = conn.client_for(route.contract);
        if id.is_none() {
            if let Err(e) = client.notify(route.method, params).await {
                debug!(error = %e, route = %route.route, "a notify failed");
            }
            return Ok(Bytes::new());
        }
        let result = client
            .call::<EncodedParams, EncodedParams>(route.method, params)
            .await;
        match result.map(|r| concat_params(&r.0)) {
            Ok(Some(data)) => Ok(data),
            Ok(None) => Err(fault_error(Fault::Internal)),
            Err(e) => Err(rpc_error(&in_flight.0.schema, &e)),
        }
    }
}

/// Writes what the session queues, in batches, until it ends; when kicked,
/// what is queued, then the Kick, then closes.
async fn write_loop<W: PacketWrite>(
    session: Arc<Session>,
    mut rx: mpsc::Receiver<Bytes>,
    mut w: W,
    timeout: Duration,
) {
    let mut batch = Vec::new();
    let kicked = session.kicked.cancelled();
    let done = session.done.cancelled();
    tokio::pin!(kicked, done);
    loop {
        tokio::select! {
            biased;
            () = &mut kicked => break,
            () = &mut done => {
                // A close frame a client does not read must not hold the task.
                let _ = tokio::time::timeout(timeout, w.close()).await;
                return;
            }
            p = rx.recv() => match p {
                Some(p) => batch.push(p),
                None => break,
            },
        }
        while batch.len() < 64 {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let bytes: usize = batch.iter().map(Bytes::len).sum();
        session.queued.fetch_sub(bytes, Ordering::AcqRel);
        let write = tokio::time::timeout(timeout, w.write(&batch));
        let ok = tokio::select! {
            biased;
            r = write => matches!(r, Ok(Ok(()))),
            () = &mut done => false,
        };
        batch.clear();
        if !ok {
            session.done.cancel();
            let _ = tokio::time::timeout(timeout, w.close()).await;
            return;
        }
    }
    // Kicked: what is queued (unless the queue overflowed), then the Kick.
    let reason = lock(&session.kick).clone().unwrap_or_default();
    if reason != "send queue full" {
        while let Ok(p) = rx.try_recv() {
            batch.push(p);
        }
    }
    let mut out = BytesMut::new();
    let body = json!({ "reason": reason }).to_string();
    protocol::put_packet(&mut out, PacketType::Kick, false, body.as_bytes());
    batch.push(out.freeze());
    let grace = Duration::from_secs(1);
    let _ = tokio::time::timeout(grace, w.write(&batch)).await;
    let _ = tokio::time::timeout(grace, w.close()).await;
    session.done.cancel();
}

fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<usize> {
    let mut value = 0usize;
    for i in 0..5 {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        value |= usize::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The values of a Params list (a Return's), one after the other.
fn concat_params(list: &Bytes) -> Option<Bytes> {
    let mut pos = 0;
    let n = get_varint(list, &mut pos)?;
    if n == 1 {
        // One value (the common case): a slice of the answer, no copy.
        let len = get_varint(list, &mut pos)?;
        let end = pos.checked_add(len)?;
        return (end == list.len()).then(|| list.slice(pos..end));
    }
    let mut out = Vec::with_capacity(list.len());
    for _ in 0..n {
        let len = get_varint(list, &mut pos)?;
        out.extend_from_slice(list.get(pos..pos.checked_add(len)?)?);
        pos += len;
    }
    (pos == list.len()).then(|| out.into())
}

fn fault_error(fault: Fault) -> g::Error {
    g::Error {
        domain: Vec::new(),
        code: i32::from(fault),
        message: format!("{fault:?}"),
    }
}

fn rpc_error(schema: &Schema, e: &RpcError) -> g::Error {
    match e {
        RpcError::App(app) => g::Error {
            domain: app.domain().to_vec(),
            code: app.code(),
            message: schema
                .error_name(&app.domain(), app.code())
                .unwrap_or_default(),
        },
        RpcError::Fault(f) => fault_error(*f),
        RpcError::Timeout => fault_error(Fault::Timeout),
        RpcError::Transport(t) if t.kind() == TransportErrorKind::NoService => {
            fault_error(Fault::Unavailable)
        }
        RpcError::Transport(_) => fault_error(Fault::Unavailable),
        _ => fault_error(Fault::Internal),
    }
}

fn error_response(id: u64, error: g::Error) -> Message {
    Message {
        ty: MessageType::Response,
        data_type: DataType::Error,
        id,
        route: Route::None,
        object: "gate.Error".into(),
        data: gscluster::to_bytes(&error).into(),
    }
}

/// The `gate.Gate` contract, hosted for the backends.
#[derive(Debug)]
struct GateService {
    shared: Arc<Shared>,
}

impl g::Gate for GateService {
    async fn bind(
        self: Arc<Self>,
        _cx: CallContext,
        session: u64,
        user: u64,
    ) -> Result<bool, RpcError> {
        let mut reg = lock(&self.shared.registry);
        let Some(s) = reg.sessions.get(&session).cloned() else {
            return Ok(false);
        };
        let old_user = s.user.swap(user, Ordering::AcqRel);
        if s.http {
            return Ok(true);
        }
        if old_user != 0 && old_user != user && reg.users.get(&old_user) == Some(&session) {
            reg.users.remove(&old_user);
        }
        if let Some(old) = reg.users.insert(user, session)
            && old != session
            && let Some(old) = reg.sessions.get(&old)
        {
            old.kick("logged in elsewhere");
        }
        Ok(true)
    }

    async fn push(
        self: Arc<Self>,
        _cx: CallContext,
        user: u64,
        route: String,
        data: Vec<u8>,
        ack: bool,
    ) -> Result<u32, RpcError> {
        let Some(s) = ({
            let reg = lock(&self.shared.registry);
            reg.users
                .get(&user)
                .and_then(|id| reg.sessions.get(id))
                .cloned()
        }) else {
            return Ok(0);
        };
        if !ack {
            return Ok(u32::from(
                s.send_message(&self.shared.push_message(&route, data, 0)),
            ));
        }
        let id = s.next_push.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        {
            let mut acks = lock(&s.acks);
            // Bounded: a client that never acks holds at most this many.
            if acks.len() >= 256 {
                return Err(RpcError::Fault(Fault::Unavailable));
            }
            acks.insert(id, tx);
        }
        if !s.send_message(&self.shared.push_message(&route, data, id)) {
            lock(&s.acks).remove(&id);
            return Ok(0);
        }
        let acked = tokio::select! {
            r = tokio::time::timeout(self.shared.config.ack_timeout, rx) => matches!(r, Ok(Ok(()))),
            () = s.done.cancelled() => false,
        };
        lock(&s.acks).remove(&id);
        Ok(u32::from(acked))
    }

    async fn kick(
        self: Arc<Self>,
        _cx: CallContext,
        user: u64,
        reason: String,
    ) -> Result<u32, RpcError> {
        let reg = lock(&self.shared.registry);
        match reg.users.get(&user).and_then(|id| reg.sessions.get(id)) {
            Some(s) => {
                s.kick(&reason);
                Ok(1)
            }
            None => Ok(0),
        }
    }

    async fn join(
        self: Arc<Self>,
        _cx: CallContext,
        group: String,
        session: u64,
    ) -> Result<bool, RpcError> {
        let mut reg = lock(&self.shared.registry);
        let Some(s) = reg.sessions.get(&session).cloned() else {
            return Ok(false);
        };
        let group: Arc<str> = group.into();
        lock(&s.groups).insert(group.clone());
        reg.groups.entry(group).or_default().insert(session);
        Ok(true)
    }

    async fn leave(
        self: Arc<Self>,
        _cx: CallContext,
        group: String,
        session: u64,
    ) -> Result<bool, RpcError> {
        let mut reg = lock(&self.shared.registry);
        let Some(s) = reg.sessions.get(&session).cloned() else {
            return Ok(false);
        };
        lock(&s.groups).remove(group.as_str());
        let was = match reg.groups.get_mut(group.as_str()) {
            Some(members) => {
                let was = members.remove(&session);
                if members.is_empty() {
                    reg.groups.remove(group.as_str());
                }
                was
            }
            None => false,
        };
        Ok(was)
    }

    async fn broadcast(
        self: Arc<Self>,
        _cx: CallContext,
        group: String,
        route: String,
        data: Vec<u8>,
    ) -> Result<u32, RpcError> {
        // Encoded once; every member's queue gets the same bytes.
        let body = self.shared.push_message(&route, data, 0).to_bytes();
        let packets = protocol::packets(PacketType::Data, &body);
        let members: Vec<Arc<Session>> = {
            let reg = lock(&self.shared.registry);
            match reg.groups.get(group.as_str()) {
                Some(ids) => ids
                    .iter()
                    .filter_map(|id| reg.sessions.get(id).cloned())
                    .collect(),
                None => Vec::new(),
            }
        };
        let mut reached = 0;
        for s in members {
            if packets.iter().all(|p| s.send(p.clone())) {
                reached += 1;
            }
        }
        metrics::counter!("gsgate.broadcast_deliveries").increment(u64::from(reached));
        Ok(reached)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_lists_are_taken_apart() {
        let list = EncodedParams::encode(&(7u32, "ab".to_owned()));
        assert_eq!(
            concat_params(&list.0).unwrap(),
            &gscluster::to_bytes(&(7u32, "ab".to_owned()))[..]
        );
        let one = EncodedParams::encode(&("ab".to_owned(),));
        assert_eq!(concat_params(&one.0).unwrap(), &b"\x02ab"[..]);
        let b = |v: &'static [u8]| Bytes::from_static(v);
        assert!(concat_params(&b(&[2, 1, 0])).is_none());
        assert!(concat_params(&b(&[1, 1, 0, 0])).is_none());
        assert!(concat_params(&b(&[0, 0])).is_none());
        assert_eq!(concat_params(&b(&[0])).unwrap().len(), 0);
    }

    #[test]
    fn the_ack_names_the_session() {
        let ack = handshake_ack(br#"{"code":200,"sys":{"session":0}}"#, 42);
        assert_eq!(ack, br#"{"code":200,"sys":{"session":42}}"#);
    }
}
