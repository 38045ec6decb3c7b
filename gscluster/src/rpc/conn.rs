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
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, warn};

use super::crypto::Direction;
use super::error::{RpcError, TransportError, TransportErrorKind};
use super::frame::{self, FrameError, Params, code};
use super::node::{NodeInner, ServiceCache};
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
    /// Wakes the sweeper: a call's deadline is earlier than its next wake.
    sweep: Notify,
    remote: Mutex<HashMap<u32, Remote>>,
    /// The version of `remote`, unique across the node's connections: what
    /// clients' [`Resolved`] ids are checked against.
    remote_version: AtomicU64,
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
            sweep: Notify::new(),
            remote: Mutex::new(HashMap::new()),
            remote_version: AtomicU64::new(node.next_remote_version()),
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
            services: None,
        };
        node.tasks.spawn(reader.run().instrument(span.clone()));
        node.tasks
            .spawn(writer(conn.clone(), est.writer).instrument(span.clone()));
        node.tasks.spawn(sweeper(conn.clone()).instrument(span));
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
    /// for room in the write buffer until `deadline`. Returns whether it
    /// waited.
    async fn send(
        &self,
        len: usize,
        deadline: Option<Instant>,
        write: impl FnOnce(&mut BytesMut, Option<&mut Direction>),
    ) -> Result<bool, RpcError> {
        let limit = self.node.config.max_write_buffer;
        let mut waited = false;
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
                    return Ok(waited);
                }
                // Registered before the lock is released, so that a drain
                // in between still wakes us.
                space.as_mut().enable();
            }
            waited = true;
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
    /// peer announced, waiting for its CER until `deadline`: the one in
    /// `cache` while the announcements are those it was found in.
    pub async fn resolve(
        &self,
        contract: &str,
        instance: Option<&str>,
        deadline: Instant,
        cache: &Resolved,
    ) -> Result<u32, RpcError> {
        let version = self.remote_version.load(Ordering::Acquire);
        if let Some(id) = cache.get(version) {
            return Ok(id);
        }
        // The announcement is there for almost every call: look first, and
        // register as a waiter only when it is not.
        if let Some(id) = self.find_remote(contract, instance) {
            cache.set(version, id);
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

    /// The services the peer announced, by id.
    pub fn remote_services(&self) -> Vec<(Arc<str>, Arc<str>)> {
        let remote = lock(&self.remote);
        let mut list: Vec<_> = remote.iter().collect();
        list.sort_by_key(|(id, _)| **id);
        list.into_iter()
            .map(|(_, r)| (r.contract.clone(), r.instance.clone()))
            .collect()
    }

    /// Whether the peer announced a service of `contract`.
    pub fn announces(&self, contract: &str) -> bool {
        lock(&self.remote)
            .values()
            .any(|r| &*r.contract == contract)
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

    /// Sends a call and waits for its answer (its `Return` params): waits
    /// for a free id and for room in the write buffer until `deadline`,
    /// and for the answer until the sweeper fails it at `deadline`.
    pub async fn call<P: Params>(
        &self,
        service: u32,
        method: u16,
        params: &P,
        deadline: Instant,
    ) -> Result<Bytes, RpcError> {
        // The caller's waker goes in with the id: when nothing below waits,
        // the answer's first poll has nothing to register and skips the lock.
        let waker = std::future::poll_fn(|cx| Poll::Ready(cx.waker().clone())).await;
        let alloc = |waker| {
            lock(&self.pending)
                .alloc(deadline, waker)
                .map_err(RpcError::Transport)
        };
        let mut waited = false;
        let (id, wake) = match alloc(Some(waker))? {
            Some(taken) => taken,
            // Every id is in use: wait for one (registered as a waiter
            // before looking again, so that a release in between wakes us).
            None => loop {
                waited = true;
                let freed = self.ids_free.notified();
                tokio::pin!(freed);
                freed.as_mut().enable();
                if let Some(taken) = alloc(None)? {
                    break taken;
                }
                if tokio::time::timeout_at(deadline, freed).await.is_err() {
                    return Err(RpcError::Timeout);
                }
            },
        };
        if wake {
            self.sweep.notify_one();
        }
        #[cfg(feature = "profile")]
        super::profile::note_call_id(id);
        let mut call = PendingCall {
            conn: self,
            id,
            sent: false,
            done: false,
            registered: false,
        };
        let len = frame::CALL_HEADER + params.params_len();
        waited |= self
            .send(len, Some(deadline), |buf, seal| {
                frame::put_call(buf, seal, id, method, service, params)
            })
            .await?;
        call.sent = true;
        call.registered = !waited;
        call.await
    }

    /// Sends an `@Async` call (id 0), waiting for room until `deadline`.
    pub async fn send_oneway<P: Params>(
        &self,
        service: u32,
        method: u16,
        params: &P,
        deadline: Instant,
    ) -> Result<(), RpcError> {
        let len = frame::CALL_HEADER + params.params_len();
        self.send(len, Some(deadline), |buf, seal| {
            frame::put_call(buf, seal, 0, method, service, params)
        })
        .await
        .map(drop)
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
        if pending.has_free() && pending.may_have_id_waiters() {
            drop(pending);
            self.ids_free.notify_one();
        }
    }
}

/// A client's memory of the service id it found last, so that its calls
/// look up the peer's announcements only when they change: the version of
/// the announcements it was found in (40 bits, unique across connections)
/// and the id (24 bits; a larger id is not remembered). 0 when empty.
#[derive(Debug, Default)]
pub(crate) struct Resolved(AtomicU64);

impl Resolved {
    const ID_BITS: u32 = 24;

    fn get(&self, version: u64) -> Option<u32> {
        let v = self.0.load(Ordering::Relaxed);
        (v != 0 && v >> Self::ID_BITS == version).then_some((v & ((1 << Self::ID_BITS) - 1)) as u32)
    }

    fn set(&self, version: u64, id: u32) {
        if id >> Self::ID_BITS == 0 && version >> (64 - Self::ID_BITS) == 0 {
            self.0
                .store(version << Self::ID_BITS | u64::from(id), Ordering::Relaxed);
        }
    }
}

impl Clone for Resolved {
    fn clone(&self) -> Self {
        Resolved(AtomicU64::new(self.0.load(Ordering::Relaxed)))
    }
}

/// The answer to a call that was sent: a future of its `Return` params.
struct PendingCall<'c> {
    conn: &'c Conn,
    id: u16,
    sent: bool,
    done: bool,
    /// The slot holds the waker of the poll that is polling this one now.
    registered: bool,
}

impl Future for PendingCall<'_> {
    type Output = Result<Bytes, RpcError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if std::mem::take(&mut self.registered) {
            // Sent in this very poll, with this poll's waker: an answer (or
            // a timeout, or the close) that came since wakes it.
            return Poll::Pending;
        }
        let mut pending = lock(&self.conn.pending);
        let poll = pending.poll_answer(self.id, cx);
        if poll.is_ready() {
            let broken = pending.too_many_abandoned();
            let waiters = pending.may_have_id_waiters();
            drop(pending);
            self.done = true;
            if broken {
                warn!("too many calls left unanswered; closing the connection");
                self.conn.close(TransportErrorKind::Protocol, None);
            } else if waiters {
                self.conn.ids_free.notify_one();
            }
        }
        poll
    }
}

impl Drop for PendingCall<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.conn.release_id(self.id, self.sent);
        }
    }
}

/// Fails the calls of `conn` whose deadline passed, at each deadline, until
/// the connection closes: one timer for all the calls of a connection.
async fn sweeper(conn: Arc<Conn>) {
    loop {
        let wake = conn.sweep.notified();
        tokio::pin!(wake);
        wake.as_mut().enable();
        let next = lock(&conn.pending).sweep(Instant::now());
        let at = async {
            match next {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = wake => {}
            () = at => {}
            () = conn.close_token.cancelled() => return,
        }
    }
}

/// Reads and dispatches messages until the connection closes.
struct Reader {
    conn: Arc<Conn>,
    half: OwnedReadHalf,
    buf: BytesMut,
    open: Option<Direction>,
    /// The service the last call was for.
    services: ServiceCache,
}

/// The room a read buffer starts with, and returns to when the connection
/// goes idle: it bounds the memory of an idle connection.
const READ_BUFFER: usize = 4096;

/// The most room a read buffer grows to while reads keep filling it (a
/// larger message is given room for all of it).
const READ_BUFFER_MAX: usize = 64 * 1024;

/// How long a reader whose buffer grew waits for more bytes before it gives
/// the buffer back.
const READ_IDLE: Duration = Duration::from_secs(1);

/// What a read brought.
enum Got {
    Read(std::io::Result<usize>),
    Closed,
    Idle,
}

impl Reader {
    async fn run(mut self) {
        let conn = self.conn.clone();
        let max = conn.node.config.max_message_size;
        let result: Result<(), (TransportErrorKind, Option<std::io::Error>)> = async {
            // The room to read into: doubled by each read that fills it.
            let mut chunk = READ_BUFFER;
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
                if self.buf.capacity() - self.buf.len() < chunk / 2 {
                    self.buf.reserve(chunk);
                }
                let room = self.buf.capacity() - self.buf.len();
                let grown = chunk > READ_BUFFER;
                let got = {
                    let read = self.half.read_buf(&mut self.buf);
                    tokio::pin!(read);
                    // Most reads under load find bytes waiting: only a read
                    // that waits is raced with the close and (when the
                    // buffer grew) an idle timer.
                    let first = std::future::poll_fn(|cx| {
                        Poll::Ready(match read.as_mut().poll(cx) {
                            Poll::Ready(r) => Some(r),
                            Poll::Pending => None,
                        })
                    })
                    .await;
                    match first {
                        Some(read) => Got::Read(read),
                        None => {
                            let idle = async {
                                if grown {
                                    tokio::time::sleep(READ_IDLE).await;
                                } else {
                                    std::future::pending::<()>().await;
                                }
                            };
                            tokio::select! {
                                biased;
                                read = read => Got::Read(read),
                                () = conn.close_token.cancelled() => Got::Closed,
                                () = idle => Got::Idle,
                            }
                        }
                    }
                };
                match got {
                    Got::Read(Ok(0)) => return Err((TransportErrorKind::Closed, None)),
                    Got::Read(Ok(n)) => {
                        if n == room && chunk < READ_BUFFER_MAX {
                            chunk *= 2;
                        }
                    }
                    Got::Read(Err(e)) => return Err((TransportErrorKind::Closed, Some(e))),
                    Got::Closed => return Ok(()),
                    Got::Idle => {
                        // Idle: give back the grown buffer.
                        chunk = READ_BUFFER;
                        if self.buf.is_empty() {
                            self.buf = BytesMut::new();
                        }
                    }
                }
                if conn.is_closed() {
                    return Ok(());
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
        let conn = &self.conn;
        match code {
            code::CALL => match frame::parse_call(&content) {
                None => {
                    warn!("a call too short to hold its id");
                    return Err(protocol);
                }
                Some(Err(id)) => conn.send_fault(id, 0, Fault::BadRequest),
                Some(Ok((header, _))) => {
                    content.advance(frame::CALL_HEADER);
                    self.incoming_call(header, content.freeze());
                }
            },
            code::RETURN | code::ERR_RETURN => {
                let Some((id, rest)) = frame::parse_answer(&content) else {
                    warn!("an answer too short for its header");
                    return Err(protocol);
                };
                let result = if code == code::RETURN {
                    content.advance(frame::ANSWER_HEADER);
                    Ok(content.freeze())
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
                    conn.remote_version
                        .store(conn.node.next_remote_version(), Ordering::Release);
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
        let Some(service) = conn.node.service(header.service, &mut self.services) else {
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
            write = write_all_progressing(&half, &batch, timeout) => write,
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

/// Writes all of `batch`, each wait for the socket to take more given
/// `timeout` (a slow reader that keeps reading is not cut off, however
/// large the batch; a timer is armed only when the socket is full); `Err`
/// when it takes nothing in time.
async fn write_all_progressing(
    half: &OwnedWriteHalf,
    mut batch: &[u8],
    timeout: Duration,
) -> Result<std::io::Result<()>, tokio::time::error::Elapsed> {
    while !batch.is_empty() {
        match half.try_write(batch) {
            Ok(0) => return Ok(Err(std::io::ErrorKind::WriteZero.into())),
            Ok(n) => batch = &batch[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if let Err(e) = tokio::time::timeout(timeout, half.writable()).await? {
                    return Ok(Err(e));
                }
            }
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(()))
}
