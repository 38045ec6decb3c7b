//! A client of the client protocol, over TCP or WebSocket: the handshake,
//! requests (plain or compressed routes) answered by id, notifies, pushes
//! (acknowledged when they ask for it), heartbeats and kicks. For tests,
//! bots and load tests.
//!
//! A client has a reader, a writer and a sweeper task (which fails the
//! requests past their deadline, within a tenth of the timeout, so that no
//! request needs a timer of its own) and, unless disabled, a heartbeat
//! task; all end when the connection ends or the client is dropped. Its queues are
//! bounded: pushes wait in a channel of [`ClientOptions::push_queue`]
//! messages (a full one stops reading: backpressure on the gate).

use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::proto::gate as g;
use crate::protocol::{
    self, DataType, Message, MessageType, Packet, PacketType, Reassembler, Route,
};
use crate::transport::{self, PacketRead, PacketWrite};

/// Settings of a client.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientOptions {
    /// The handshake's `user` object.
    pub user: serde_json::Value,
    /// Send heartbeats at the interval the gate asks for.
    pub heartbeat: bool,
    /// Acknowledge pushes that ask for it.
    pub auto_ack: bool,
    /// Pushes held until read.
    pub push_queue: usize,
    /// The deadline of the connection, the handshake and each request.
    pub timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            user: serde_json::Value::Null,
            heartbeat: true,
            auto_ack: true,
            push_queue: 1024,
            timeout: Duration::from_secs(10),
        }
    }
}

impl ClientOptions {
    /// Whether to send heartbeats.
    pub fn heartbeat(mut self, yes: bool) -> Self {
        self.heartbeat = yes;
        self
    }

    /// Whether to acknowledge pushes that ask for it.
    pub fn auto_ack(mut self, yes: bool) -> Self {
        self.auto_ack = yes;
        self
    }

    /// The deadline of the connection, the handshake and each request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Why a client call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The connection failed, closed, or was kicked (with the reason).
    Closed(Option<String>),
    /// The gate refused the handshake with this code.
    Refused(u16),
    /// No answer within the deadline.
    Timeout,
    /// The gate answered something that is not the protocol.
    Protocol(String),
    /// The request failed: the gate's or the service's error.
    Remote(g::Error),
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientError::Closed(None) => f.write_str("the connection closed"),
            ClientError::Closed(Some(r)) => write!(f, "kicked: {r}"),
            ClientError::Refused(code) => write!(f, "the gate refused the handshake ({code})"),
            ClientError::Timeout => f.write_str("timed out"),
            ClientError::Protocol(e) => write!(f, "protocol error: {e}"),
            ClientError::Remote(e) => write!(f, "error {} ({})", e.code, e.message),
        }
    }
}

impl std::error::Error for ClientError {}

impl From<io::Error> for ClientError {
    fn from(e: io::Error) -> Self {
        ClientError::Protocol(e.to_string())
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The requests waiting for their Response, by id: where to send it, and
/// when the request times out (the sweeper's business: no timer per
/// request).
type Waiters = Mutex<HashMap<u64, Waiter>>;

#[derive(Debug)]
struct Waiter {
    answer: oneshot::Sender<Result<Message, ClientError>>,
    deadline: Instant,
}

/// Fails the requests past their deadline with [`ClientError::Timeout`],
/// every `every`, until the connection ends.
async fn sweep(waiters: Arc<Waiters>, every: Duration, closed: CancellationToken) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = closed.cancelled() => return,
        }
        let now = Instant::now();
        let mut waiters = lock(&waiters);
        let expired: Vec<u64> = waiters
            .iter()
            .filter(|(_, w)| w.deadline <= now)
            .map(|(&id, _)| id)
            .collect();
        for id in expired {
            if let Some(w) = waiters.remove(&id) {
                let _ = w.answer.send(Err(ClientError::Timeout));
            }
        }
    }
}

/// A connected client.
#[derive(Debug)]
pub struct Client {
    out: mpsc::Sender<Bytes>,
    waiters: Arc<Waiters>,
    next_id: AtomicU64,
    pushes: tokio::sync::Mutex<mpsc::Receiver<Message>>,
    kick: Arc<Mutex<Option<String>>>,
    closed: CancellationToken,
    timeout: Duration,
    /// The route dictionary of the handshake.
    pub dict: HashMap<String, u16>,
    /// The heartbeat interval the gate asked for, in seconds.
    pub heartbeat: u64,
    /// The session's id.
    pub session: u64,
}

impl Drop for Client {
    fn drop(&mut self) {
        self.closed.cancel();
    }
}

impl Client {
    /// Connects over TCP to `addr` and shakes hands.
    pub async fn connect_tcp(addr: &str, options: ClientOptions) -> Result<Client, ClientError> {
        let stream = tokio::time::timeout(options.timeout, TcpStream::connect(addr))
            .await
            .map_err(|_| ClientError::Timeout)??;
        let (r, w) = transport::tcp(stream);
        Client::start(r, w, options).await
    }

    /// Connects over WebSocket to `addr` (`host:port`) and shakes hands.
    pub async fn connect_ws(addr: &str, options: ClientOptions) -> Result<Client, ClientError> {
        let connect = async {
            let stream = TcpStream::connect(addr).await?;
            let _ = stream.set_nodelay(true);
            let url = format!("ws://{addr}/");
            tokio_tungstenite::client_async_with_config(url, stream, Some(transport::ws_config()))
                .await
                .map_err(|e| ClientError::Protocol(e.to_string()))
        };
        let (ws, _) = tokio::time::timeout(options.timeout, connect)
            .await
            .map_err(|_| ClientError::Timeout)??;
        let (r, w) = transport::ws(ws);
        Client::start(r, w, options).await
    }

    async fn start<R: PacketRead, W: PacketWrite>(
        mut r: R,
        mut w: W,
        options: ClientOptions,
    ) -> Result<Client, ClientError> {
        let hello = serde_json::json!({
            "sys": {"type": "rust", "version": env!("CARGO_PKG_VERSION")},
            "user": options.user,
        });
        let mut out = BytesMut::new();
        protocol::put_packet(
            &mut out,
            PacketType::Handshake,
            false,
            hello.to_string().as_bytes(),
        );
        let handshake = async {
            w.write(&[out.freeze()]).await?;
            loop {
                match r.read().await {
                    Ok(Some(p)) if p.ty == PacketType::HandshakeAck => return Ok(p.body),
                    Ok(Some(p)) if p.ty == PacketType::Kick => {
                        return Err(ClientError::Closed(Some(kick_reason(&p.body))));
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => return Err(ClientError::Closed(None)),
                    Err(e) => return Err(ClientError::Protocol(e.to_string())),
                }
            }
        };
        let ack = tokio::time::timeout(options.timeout, handshake)
            .await
            .map_err(|_| ClientError::Timeout)??;
        let ack: serde_json::Value =
            serde_json::from_slice(&ack).map_err(|e| ClientError::Protocol(e.to_string()))?;
        let code = ack["code"].as_u64().unwrap_or(0);
        if code != 200 {
            return Err(ClientError::Refused(code as u16));
        }
        let sys = &ack["sys"];
        let heartbeat = sys["heartbeat"].as_u64().unwrap_or(30);
        let session = sys["session"].as_u64().unwrap_or(0);
        let dict = sys["dict"]
            .as_object()
            .map(|d| {
                d.iter()
                    .filter_map(|(k, v)| Some((k.clone(), u16::try_from(v.as_u64()?).ok()?)))
                    .collect()
            })
            .unwrap_or_default();

        let (out_tx, out_rx) = mpsc::channel::<Bytes>(256);
        let (push_tx, push_rx) = mpsc::channel(options.push_queue.max(1));
        let waiters: Arc<Waiters> = Arc::default();
        let kick = Arc::new(Mutex::new(None));
        let closed = CancellationToken::new();
        tokio::spawn(writer(w, out_rx, closed.clone()));
        // Deadlines are kept to within a tenth of the timeout (at most 100 ms).
        let every =
            (options.timeout / 10).clamp(Duration::from_millis(1), Duration::from_millis(100));
        tokio::spawn(sweep(waiters.clone(), every, closed.clone()));
        tokio::spawn(reader(
            r,
            ReaderState {
                waiters: waiters.clone(),
                pushes: push_tx,
                out: out_tx.clone(),
                kick: kick.clone(),
                closed: closed.clone(),
                auto_ack: options.auto_ack,
            },
        ));
        if options.heartbeat {
            let out = out_tx.clone();
            let closed = closed.clone();
            let every = Duration::from_secs(heartbeat.max(1));
            tokio::spawn(async move {
                let mut packet = BytesMut::new();
                protocol::put_packet(&mut packet, PacketType::Heartbeat, false, &[]);
                let packet = packet.freeze();
                loop {
                    tokio::select! {
                        () = tokio::time::sleep(every) => {}
                        () = closed.cancelled() => return,
                    }
                    if out.send(packet.clone()).await.is_err() {
                        return;
                    }
                }
            });
        }
        Ok(Client {
            out: out_tx,
            waiters,
            next_id: AtomicU64::new(1),
            pushes: tokio::sync::Mutex::new(push_rx),
            kick,
            closed,
            timeout: options.timeout,
            dict,
            heartbeat,
            session,
        })
    }

    /// Sends a request to `route` with `data` (the encoding of the method's
    /// params after the session) and waits for its Response: the encoding
    /// of the returns, or the error.
    pub async fn request(&self, route: &str, data: impl Into<Bytes>) -> Result<Bytes, ClientError> {
        self.request_route(Route::Name(route.to_owned()), data)
            .await
    }

    /// [`request`](Self::request) with the route compressed by the dictionary
    /// (a route not in it is sent as text).
    pub async fn request_compressed(
        &self,
        route: &str,
        data: impl Into<Bytes>,
    ) -> Result<Bytes, ClientError> {
        let route = match self.dict.get(route) {
            Some(&code) => Route::Code(code),
            None => Route::Name(route.to_owned()),
        };
        self.request_route(route, data).await
    }

    /// Sends a request with any route (a number not in the dictionary, say).
    pub async fn request_route(
        &self,
        route: Route,
        data: impl Into<Bytes>,
    ) -> Result<Bytes, ClientError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        let deadline = Instant::now() + self.timeout;
        lock(&self.waiters).insert(
            id,
            Waiter {
                answer: tx,
                deadline,
            },
        );
        let message = Message {
            id,
            route,
            ..Message::new(MessageType::Request, data)
        };
        let result = async {
            self.send_message(&message).await?;
            let answer = rx
                .await
                .map_err(|_| ClientError::Closed(self.kick_reason()))??;
            match answer.data_type {
                DataType::Binary => Ok(answer.data),
                DataType::Error => gscluster::from_bytes::<g::Error>(&answer.data)
                    .map(|e| Err(ClientError::Remote(e)))
                    .map_err(|e| ClientError::Protocol(e.to_string()))?,
            }
        }
        .await;
        lock(&self.waiters).remove(&id);
        result
    }

    /// Sends a Notify to `route` (no answer).
    pub async fn notify(&self, route: &str, data: impl Into<Bytes>) -> Result<(), ClientError> {
        let message = Message {
            route: Route::Name(route.to_owned()),
            ..Message::new(MessageType::Notify, data)
        };
        self.send_message(&message).await
    }

    /// Sends one message.
    pub async fn send_message(&self, message: &Message) -> Result<(), ClientError> {
        let len = message.encoded_len();
        if len <= protocol::MAX_BODY {
            // One packet, encoded in place after its head.
            let mut out = BytesMut::with_capacity(protocol::HEAD_LEN + len);
            out.extend_from_slice(&[
                PacketType::Data as u8,
                (len >> 16) as u8,
                (len >> 8) as u8,
                len as u8,
                0,
            ]);
            message.encode(&mut out);
            return self.send_packet(out.freeze()).await;
        }
        for p in protocol::packets(PacketType::Data, &message.to_bytes()) {
            self.send_packet(p).await?;
        }
        Ok(())
    }

    /// Sends raw bytes (packets, or anything, for tests).
    pub async fn send_packet(&self, bytes: Bytes) -> Result<(), ClientError> {
        self.out
            .send(bytes)
            .await
            .map_err(|_| ClientError::Closed(self.kick_reason()))
    }

    /// The next push, waiting up to `timeout`.
    pub async fn next_push(&self, timeout: Duration) -> Option<Message> {
        let mut pushes = self.pushes.lock().await;
        tokio::time::timeout(timeout, pushes.recv())
            .await
            .ok()
            .flatten()
    }

    /// Why the gate kicked the client, if it did.
    pub fn kick_reason(&self) -> Option<String> {
        lock(&self.kick).clone()
    }

    /// Waits until the connection ends (up to `timeout`); the kick reason, if any.
    pub async fn closed(&self, timeout: Duration) -> Result<Option<String>, ClientError> {
        tokio::time::timeout(timeout, self.closed.cancelled())
            .await
            .map_err(|_| ClientError::Timeout)?;
        Ok(self.kick_reason())
    }

    /// Whether the connection has ended.
    pub fn is_closed(&self) -> bool {
        self.closed.is_cancelled()
    }
}

fn kick_reason(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["reason"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

async fn writer<W: PacketWrite>(
    mut w: W,
    mut rx: mpsc::Receiver<Bytes>,
    closed: CancellationToken,
) {
    let mut batch = Vec::new();
    loop {
        let p = tokio::select! {
            p = rx.recv() => p,
            () = closed.cancelled() => None,
        };
        let Some(p) = p else { break };
        batch.push(p);
        while batch.len() < 64 {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let written = w.write(&batch).await;
        batch.clear();
        if written.is_err() {
            break;
        }
    }
    closed.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(1), w.close()).await;
}

struct ReaderState {
    waiters: Arc<Waiters>,
    pushes: mpsc::Sender<Message>,
    out: mpsc::Sender<Bytes>,
    kick: Arc<Mutex<Option<String>>>,
    closed: CancellationToken,
    auto_ack: bool,
}

async fn reader<R: PacketRead>(mut r: R, st: ReaderState) {
    let mut reassembler = Reassembler::new(64 << 20);
    loop {
        let p = tokio::select! {
            p = r.read() => p,
            () = st.closed.cancelled() => break,
        };
        let Ok(Some(Packet { ty, more, body })) = p else {
            break;
        };
        match ty {
            PacketType::Kick => {
                *lock(&st.kick) = Some(kick_reason(&body));
                break;
            }
            PacketType::Data => {
                let Ok(Some(body)) = reassembler.push(Packet { ty, more, body }) else {
                    continue;
                };
                let Ok(m) = Message::decode(body) else {
                    break;
                };
                match m.ty {
                    MessageType::Response => {
                        if let Some(w) = lock(&st.waiters).remove(&m.id) {
                            let _ = w.answer.send(Ok(m));
                        }
                    }
                    MessageType::Push => {
                        if m.id != 0 && st.auto_ack {
                            let ack = Message {
                                id: m.id,
                                ..Message::new(MessageType::Ack, Bytes::new())
                            };
                            let mut out = BytesMut::new();
                            protocol::put_packet(
                                &mut out,
                                PacketType::Data,
                                false,
                                &ack.to_bytes(),
                            );
                            let _ = st.out.send(out.freeze()).await;
                        }
                        let send = st.pushes.send(m);
                        tokio::select! {
                            _ = send => {}
                            () = st.closed.cancelled() => break,
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    st.closed.cancel();
    lock(&st.waiters).clear();
}
