//! One established connection (after the handshake): a reader task that
//! parses every message a read brought and dispatches it, a writer task
//! that writes everything queued since its last write in one call, the
//! calls sent and not yet answered, and the services the peer announced.
//!
//! Every queue is bounded: the write buffer in bytes (producers wait for
//! room, up to their deadline; a peer that stops reading stalls the writer
//! until the write timeout closes the connection), the pending calls by the
//! id space, the calls being served by the concurrency limit (over it:
//! `Fault.Unavailable`). Closing fails every pending call at once.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, warn};

use super::crypto::Direction;
use super::error::{RpcError, TransportError, TransportErrorKind};
use super::frame::{self, FrameError, Params, code};
use super::node::NodeInner;
use super::pending::{Answer, Pending};
use super::service::Call;
use crate::gslang::Fault;
use crate::proto;

/// Who is on the other end of a connection, as its handshake said.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PeerInfo {
    /// Its name (`WhoAmI.Name` or `Accept.Name`).
    pub name: String,
    /// Its kind (`WhoAmI.Kind` or `Accept.Kind`).
    pub kind: String,
    /// Its address.
    pub addr: SocketAddr,
    /// Whether the connection is encrypted.
    pub encrypted: bool,
    /// Whether it opened the connection (we accepted it).
    pub inbound: bool,
}

/// The write side: the buffer producers append to and the writer drains.
struct Out {
    buf: BytesMut,
    seal: Option<Direction>,
    closed: bool,
    /// The writer holds a batch it has not finished writing.
    writing: bool,
}

/// A service the peer announced with a CER.
#[derive(Debug, Clone)]
struct Remote {
    contract: Arc<str>,
    instance: Arc<str>,
}

pub(crate) struct Conn {
    pub id: u64,
    pub node: Arc<NodeInner>,
    pub peer: PeerInfo,
    out: Mutex<Out>,
    /// Wakes the writer: the buffer became non-empty, or the connection closed.
    out_ready: Notify,
    /// Wakes producers waiting for room in the buffer.
    out_space: Notify,
    pending: Mutex<Pending>,
    /// Wakes callers waiting for a free call id.
    ids_free: Notify,
    remote: Mutex<HashMap<u32, Remote>>,
    /// Wakes callers waiting for a service to be announced.
    remote_changed: Notify,
    /// Calls of the peer being served now.
    pub serving: AtomicUsize,
    closed: AtomicBool,
    pub close_token: CancellationToken,
}

/// What a finished handshake hands to the connection.
pub(crate) struct Established {
    pub reader: OwnedReadHalf,
    pub writer: OwnedWriteHalf,
    /// Bytes read past the handshake.
    pub leftover: BytesMut,
    pub peer: PeerInfo,
    pub seal: Option<Direction>,
    pub open: Option<Direction>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves consistent state (no
    // lock is held across user code), so poisoning is ignored.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Conn {
    /// Starts the reader and writer of an established connection and
    /// announces the node's services to the peer.
    pub fn start(node: &Arc<NodeInner>, est: Established) -> Arc<Conn> {
        let id = node.next_conn_id();
        let conn = Arc::new(Conn {
            id,
            node: node.clone(),
            peer: est.peer,
            out: Mutex::new(Out {
                buf: BytesMut::new(),
                seal: est.seal,
                closed: false,
                writing: false,
            }),
            out_ready: Notify::new(),
            out_space: Notify::new(),
            pending: Mutex::new(Pending::new()),
            ids_free: Notify::new(),
            remote: Mutex::new(HashMap::new()),
            remote_changed: Notify::new(),
            serving: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            close_token: node.hard_stop.child_token(),
        });
        let span = tracing::debug_span!(
            "gscluster.conn",
            id,
            peer = %conn.peer.name,
            kind = %conn.peer.kind,
            addr = %conn.peer.addr,
            inbound = conn.peer.inbound,
        );
        node.register(&conn);
        for (service_id, contract, instance) in node.hosted() {
            conn.send_cer(true, contract, &instance, service_id);
        }
        let reader = Reader {
            conn: conn.clone(),
            half: est.reader,
            buf: est.leftover,
            open: est.open,
        };
        node.tasks.spawn(reader.run().instrument(span.clone()));
        node.tasks
            .spawn(writer(conn.clone(), est.writer).instrument(span));
        conn
    }

    /// Whether the connection has closed.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Resolves when the connection has closed.
    pub async fn closed(&self) {
        self.close_token.cancelled().await;
    }

    /// Closes the connection: every pending call fails with `kind`, the
    /// reader and writer stop.
    pub fn close(&self, kind: TransportErrorKind, source: Option<std::io::Error>) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        debug!(?kind, error = ?source, "connection closed");
        let error = TransportError::new(kind, source);
        lock(&self.out).closed = true;
        lock(&self.pending).close(error);
        self.close_token.cancel();
        self.out_ready.notify_one();
        self.out_space.notify_waiters();
        self.ids_free.notify_waiters();
        self.remote_changed.notify_waiters();
        self.node.unregister(self.id);
    }

    /// Waits until everything queued has been written, or `timeout` passes.
    pub async fn flush(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let space = self.out_space.notified();
            tokio::pin!(space);
            space.as_mut().enable();
            {
                let out = lock(&self.out);
                if out.closed || (out.buf.is_empty() && !out.writing) {
                    return;
                }
            }
            if tokio::time::timeout_at(deadline, space).await.is_err() {
                return;
            }
        }
    }

    /// Appends a message of `len` content bytes that `write` writes, waiting
    /// for room in the write buffer until `deadline`.
    async fn send(
        &self,
        len: usize,
        deadline: Option<Instant>,
        write: impl FnOnce(&mut BytesMut, Option<&mut Direction>),
    ) -> Result<(), RpcError> {
        let limit = self.node.config.max_write_buffer;
        loop {
            let space = self.out_space.notified();
            tokio::pin!(space);
            {
                let mut out = lock(&self.out);
                if out.closed {
                    return Err(RpcError::transport(TransportErrorKind::Closed));
                }
                if out.buf.is_empty() || out.buf.len() + len <= limit {
                    let was_empty = out.buf.is_empty();
                    let Out { buf, seal, .. } = &mut *out;
                    write(buf, seal.as_mut());
                    drop(out);
                    if was_empty {
                        self.out_ready.notify_one();
                    }
                    return Ok(());
                }
                // Registered before the lock is released, so that a drain
                // in between still wakes us.
                space.as_mut().enable();
            }
            match deadline {
                Some(at) => {
                    if tokio::time::timeout_at(at, space).await.is_err() {
                        return Err(RpcError::Timeout);
                    }
                }
                None => space.await,
            }
        }
    }

    /// Waits while the write buffer is full (or until the connection closes).
    async fn wait_for_room(&self) {
        let limit = self.node.config.max_write_buffer;
        loop {
            let space = self.out_space.notified();
            tokio::pin!(space);
            {
                let out = lock(&self.out);
                if out.closed || out.buf.len() < limit {
                    return;
                }
                space.as_mut().enable();
            }
            space.await;
        }
    }

    /// Appends a message without waiting: answers and announcements, which
    /// may go past the buffer limit (their number is bounded by the calls
    /// served and the services hosted).
    fn send_now(&self, write: impl FnOnce(&mut BytesMut, Option<&mut Direction>)) {
        let mut out = lock(&self.out);
        if out.closed {
            return;
        }
        let was_empty = out.buf.is_empty();
        let Out { buf, seal, .. } = &mut *out;
        write(buf, seal.as_mut());
        drop(out);
        if was_empty {
            self.out_ready.notify_one();
        }
    }

    /// Announces (or withdraws) a hosted service.
    pub fn send_cer(&self, add: bool, contract: &str, instance: &str, id: u32) {
        let cer = proto::Cer {
            add,
            r#type: contract.to_owned(),
            name: instance.to_owned(),
            id,
        };
        self.send_now(|buf, seal| frame::put_value(buf, code::CER, &cer, seal));
    }

    /// Answers call `id` of `service` with its returns.
    pub fn send_return<R: Params>(&self, id: u16, service: u32, returns: &R) {
        self.send_now(|buf, seal| frame::put_return(buf, seal, id, service, returns));
    }

    /// Answers call `id` of `service` with an error.
    pub fn send_error(&self, id: u16, service: u32, error: &RpcError) {
        let (domain, code) = error.to_wire();
        self.send_now(|buf, seal| frame::put_err(buf, seal, id, service, domain, code));
    }

    /// Answers call `id` with a fault.
    pub fn send_fault(&self, id: u16, service: u32, fault: Fault) {
        if id != 0 {
            self.send_error(id, service, &RpcError::Fault(fault));
        }
    }

    /// The id of a service of `contract` (and `instance`, if given) the
    /// peer announced, waiting for its CER until `deadline`.
    pub async fn resolve(
        &self,
        contract: &str,
        instance: Option<&str>,
        deadline: Instant,
    ) -> Result<u32, RpcError> {
        // The announcement is there for almost every call: look first, and
        // register as a waiter only when it is not.
        if let Some(id) = self.find_remote(contract, instance) {
            return Ok(id);
        }
        loop {
            let changed = self.remote_changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.is_closed() {
                return Err(RpcError::transport(TransportErrorKind::Closed));
            }
            if let Some(id) = self.find_remote(contract, instance) {
                return Ok(id);
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return Err(RpcError::transport(TransportErrorKind::NoService));
            }
        }
    }

    /// The lowest id of a service of `contract` (and `instance`) the peer announced.
    fn find_remote(&self, contract: &str, instance: Option<&str>) -> Option<u32> {
        let remote = lock(&self.remote);
        let mut found: Option<u32> = None;
        for (&id, r) in remote.iter() {
            if &*r.contract == contract
                && instance.is_none_or(|i| &*r.instance == i)
                && found.is_none_or(|f| id < f)
            {
                found = Some(id);
            }
        }
        found
    }

    /// Sends a call and returns the future of its answer; waits for a free
    /// id and for room in the write buffer until `deadline`.
    pub async fn start_call<P: Params>(
        self: &Arc<Self>,
        service: u32,
        method: u16,
        params: &P,
        deadline: Instant,
    ) -> Result<PendingCall, RpcError> {
        let alloc = || lock(&self.pending).alloc().map_err(RpcError::Transport);
        let id = match alloc()? {
            Some(id) => id,
            // Every id is in use: wait for one (registered as a waiter
            // before looking again, so that a release in between wakes us).
            None => loop {
                let freed = self.ids_free.notified();
                tokio::pin!(freed);
                freed.as_mut().enable();
                if let Some(id) = alloc()? {
                    break id;
                }
                if tokio::time::timeout_at(deadline, freed).await.is_err() {
                    return Err(RpcError::Timeout);
                }
            },
        };
        let mut call = PendingCall {
            conn: self.clone(),
            id,
            sent: false,
            done: false,
        };
        let len = 8 + params.params_len();
        self.send(len, Some(deadline), |buf, seal| {
            frame::put_call(buf, seal, id, method, service, params)
        })
        .await?;
        call.sent = true;
        Ok(call)
    }

    /// Sends an `@Async` call (id 0), waiting for room until `deadline`.
    pub async fn send_oneway<P: Params>(
        &self,
        service: u32,
        method: u16,
        params: &P,
        deadline: Instant,
    ) -> Result<(), RpcError> {
        let len = 8 + params.params_len();
        self.send(len, Some(deadline), |buf, seal| {
            frame::put_call(buf, seal, 0, method, service, params)
        })
        .await
    }

    fn release_id(&self, id: u16, sent: bool) {
        let mut pending = lock(&self.pending);
        if sent {
            if pending.abandon(id) {
                drop(pending);
                warn!("too many calls left unanswered; closing the connection");
                self.close(TransportErrorKind::Protocol, None);
                return;
            }
        } else {
            pending.release_unsent(id);
        }
        if pending.has_free() {
            drop(pending);
            self.ids_free.notify_one();
        }
    }
}

/// The answer to a call that was sent: a future of its `Return` params.
pub(crate) struct PendingCall {
    conn: Arc<Conn>,
    id: u16,
    sent: bool,
    done: bool,
}

impl Future for PendingCall {
    type Output = Result<Bytes, RpcError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let poll = lock(&self.conn.pending).poll_answer(self.id, cx);
        if poll.is_ready() {
            self.done = true;
            self.conn.ids_free.notify_one();
        }
        poll
    }
}

impl Drop for PendingCall {
    fn drop(&mut self) {
        if !self.done {
            self.conn.release_id(self.id, self.sent);
        }
    }
}

/// Reads and dispatches messages until the connection closes.
struct Reader {
    conn: Arc<Conn>,
    half: OwnedReadHalf,
    buf: BytesMut,
    open: Option<Direction>,
}

/// The capacity a read buffer starts with and shrinks back to when idle:
/// it bounds the memory of an idle connection.
const READ_BUFFER: usize = 4096;

impl Reader {
    async fn run(mut self) {
        let conn = self.conn.clone();
        let max = conn.node.config.max_message_size;
        let result: Result<(), (TransportErrorKind, Option<std::io::Error>)> = async {
            loop {
                loop {
                    match frame::next_message(&mut self.buf, max) {
                        Ok(Some((code, content))) => self.dispatch(code, content)?,
                        Ok(None) => break,
                        Err(FrameError::TooLarge(len)) => {
                            warn!(len, max, "message over the size limit");
                            return Err((TransportErrorKind::TooLarge, None));
                        }
                        Err(FrameError::BadLength) => {
                            warn!("bad message length");
                            return Err((TransportErrorKind::Protocol, None));
                        }
                    }
                }
                // Flow control: while the answers queued for the peer fill
                // the write buffer, read no more of its calls. A peer that
                // never reads then costs at most a buffer and one read's
                // answers, until the write timeout closes the connection.
                conn.wait_for_room().await;
                if self.buf.is_empty() && self.buf.capacity() > 4 * READ_BUFFER {
                    self.buf = BytesMut::with_capacity(READ_BUFFER);
                } else if self.buf.capacity() - self.buf.len() < 64 {
                    self.buf.reserve(READ_BUFFER);
                }
                let read = tokio::select! {
                    read = self.half.read_buf(&mut self.buf) => read,
                    () = conn.close_token.cancelled() => return Ok(()),
                };
                match read {
                    Ok(0) => return Err((TransportErrorKind::Closed, None)),
                    Ok(_) => {}
                    Err(e) => return Err((TransportErrorKind::Closed, Some(e))),
                }
            }
        }
        .await;
        let (kind, source) = result.err().unwrap_or((TransportErrorKind::Closed, None));
        conn.close(kind, source);
    }

    /// Handles one message.
    fn dispatch(
        &mut self,
        code: u8,
        mut content: BytesMut,
    ) -> Result<(), (TransportErrorKind, Option<std::io::Error>)> {
        let protocol = (TransportErrorKind::Protocol, None);
        if let Some(open) = &mut self.open {
            match open.open(code, &mut content) {
                Ok(len) => content.truncate(len),
                Err(()) => {
                    warn!("a sealed message failed to open");
                    return Err(protocol);
                }
            }
        }
        let content = content.freeze();
        let conn = &self.conn;
        match code {
            code::CALL => match frame::parse_call(&content) {
                None => {
                    warn!("a call too short to hold its id");
                    return Err(protocol);
                }
                Some(Err(id)) => conn.send_fault(id, 0, Fault::BadRequest),
                Some(Ok((header, params))) => {
                    let params = content.slice_ref(params);
                    self.incoming_call(header, params);
                }
            },
            code::RETURN | code::ERR_RETURN => {
                let Some((id, rest)) = frame::parse_answer(&content) else {
                    warn!("an answer too short for its header");
                    return Err(protocol);
                };
                let result = if code == code::RETURN {
                    Ok(content.slice_ref(rest))
                } else {
                    match frame::parse_err(rest) {
                        Ok((domain, code)) => Err(RpcError::from_wire(domain, code)),
                        Err(e) => Err(RpcError::BadReply(e)),
                    }
                };
                let answer = lock(&conn.pending).answer(id, result);
                match answer {
                    Answer::Delivered => {}
                    // The id of a call that was given up is free again.
                    Answer::Late => conn.ids_free.notify_one(),
                    Answer::Stray => debug!(id, "an answer to no pending call, dropped"),
                }
            }
            code::CER => {
                let Ok(cer) = crate::from_bytes::<proto::Cer>(&content) else {
                    warn!("a CER that does not decode");
                    return Err(protocol);
                };
                {
                    let mut remote = lock(&conn.remote);
                    if cer.add {
                        remote.insert(
                            cer.id,
                            Remote {
                                contract: cer.r#type.into(),
                                instance: cer.name.into(),
                            },
                        );
                    } else {
                        remote.remove(&cer.id);
                    }
                }
                conn.remote_changed.notify_waiters();
            }
            other => {
                warn!(
                    code = other,
                    "a message that is not allowed after the handshake"
                );
                return Err(protocol);
            }
        }
        Ok(())
    }

    /// Serves one call of the peer, or fails it at once if its service is
    /// unknown. The service checks the method and the params, and then
    /// [`Call`] checks the shutdown and the concurrency limit (wire.md
    /// §3.4's order).
    fn incoming_call(&mut self, header: frame::CallHeader, params: Bytes) {
        let conn = &self.conn;
        let Some(service) = conn.node.service(header.service) else {
            conn.send_fault(header.id, header.service, Fault::UnknownService);
            return;
        };
        service
            .service
            .call(Call::new(conn.clone(), header, params));
    }
}

/// Writes what producers queue, many messages per write, until the
/// connection closes; a write that makes no progress for the write timeout
/// closes it.
async fn writer(conn: Arc<Conn>, mut half: OwnedWriteHalf) {
    let timeout = conn.node.config.write_timeout;
    let mut spare = BytesMut::new();
    loop {
        enum Next {
            Write(BytesMut),
            Wait,
            Stop,
        }
        let next = {
            let mut out = lock(&conn.out);
            out.writing = false;
            if !out.buf.is_empty() {
                out.writing = true;
                std::mem::swap(&mut out.buf, &mut spare);
                Next::Write(std::mem::take(&mut spare))
            } else if out.closed {
                Next::Stop
            } else {
                Next::Wait
            }
        };
        let mut batch = match next {
            Next::Write(batch) => batch,
            Next::Stop => break,
            Next::Wait => {
                // Everything queued is written: wake `flush`.
                conn.out_space.notify_waiters();
                conn.out_ready.notified().await;
                continue;
            }
        };
        conn.out_space.notify_waiters();
        let write = tokio::select! {
            write = write_all_progressing(&mut half, &batch, timeout) => write,
            // Shutting down: the last answers were flushed before.
            () = conn.node.hard_stop.cancelled() => break,
        };
        match write {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                conn.close(TransportErrorKind::Closed, Some(e));
                break;
            }
            Err(_) => {
                warn!(?timeout, "the peer stopped reading; closing the connection");
                conn.close(TransportErrorKind::Closed, None);
                break;
            }
        }
        batch.clear();
        // Keep a buffer for the next batch, unless a burst made it large:
        // idle connections hold little.
        spare = if batch.capacity() > 1 << 20 {
            BytesMut::new()
        } else {
            batch
        };
    }
    let _ = tokio::time::timeout(Duration::from_secs(1), half.shutdown()).await;
}

/// Writes all of `batch`, each write given `timeout` to make progress (a
/// slow reader that keeps reading is not cut off, however large the
/// batch); `Err` when one makes none in time.
async fn write_all_progressing(
    half: &mut OwnedWriteHalf,
    mut batch: &[u8],
    timeout: Duration,
) -> Result<std::io::Result<()>, tokio::time::error::Elapsed> {
    while !batch.is_empty() {
        match tokio::time::timeout(timeout, half.write(batch)).await? {
            Ok(0) => return Ok(Err(std::io::ErrorKind::WriteZero.into())),
            Ok(n) => batch = &batch[n..],
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(()))
}
