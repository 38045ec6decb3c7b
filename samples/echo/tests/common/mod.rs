//! What the RPC tests share: a configurable Echo service, nodes on
//! 127.0.0.1, a time bound for every test, and a peer that speaks raw bytes
//! (its own encoding of wire.md, independent of the runtime's), optionally
//! encrypted with its own X25519 / HKDF / ChaCha20-Poly1305.

// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, KeyInit, Nonce};
use gscluster::rpc::{AppError, CallContext, ErrorEnum, Node, NodeBuilder, Peer, RpcError};
use gscluster_echo::{Echo, EchoClient, EchoError, EchoServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;

/// Runs a test body, failing it if it takes longer than `secs`.
pub async fn bounded<T>(secs: u64, body: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(secs), body).await {
        Ok(out) => out,
        Err(_) => panic!("the test took longer than {secs} s"),
    }
}

/// Polls `cond` every 5 ms until it holds, for up to `secs`.
pub async fn eventually(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not within {secs} s: {what}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// An Echo service whose `Echo` does what its text says:
/// - `sleep:MS:…` answers the text after MS milliseconds;
/// - `gate:…` counts the call as arrived, and answers once the gate opens;
/// - `hold:…` counts the call as arrived, and never answers;
/// - `panic` panics;
/// - `callback:X` calls `Echo(X)` back on the caller, answers `cb:` ‖ that;
/// - `peer` answers the caller's name;
/// - `app:B:N` fails with error N of the domain of 16 bytes B;
/// - `echoerr:N` fails with error N of `echo.EchoError`'s domain;
/// - anything else: the text.
///
/// `Notify("panic")` panics; other notifications are counted.
#[derive(Debug)]
pub struct TestEcho {
    pub notified: AtomicU64,
    pub arrived: AtomicUsize,
    pub served: AtomicUsize,
    gate: watch::Sender<bool>,
}

impl TestEcho {
    pub fn new() -> Arc<TestEcho> {
        Arc::new(TestEcho {
            notified: AtomicU64::new(0),
            arrived: AtomicUsize::new(0),
            served: AtomicUsize::new(0),
            gate: watch::channel(false).0,
        })
    }

    pub fn open_gate(&self) {
        self.gate.send_replace(true);
    }

    pub fn arrived(&self) -> usize {
        self.arrived.load(Ordering::SeqCst)
    }

    pub fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

impl Echo for TestEcho {
    async fn echo(self: Arc<Self>, cx: CallContext, text: String) -> Result<String, RpcError> {
        self.served.fetch_add(1, Ordering::SeqCst);
        if let Some(rest) = text.strip_prefix("sleep:") {
            let ms: u64 = rest.split(':').next().unwrap_or("0").parse().unwrap_or(0);
            tokio::time::sleep(Duration::from_millis(ms)).await;
        } else if text.starts_with("gate:") {
            let mut gate = self.gate.subscribe();
            self.arrived.fetch_add(1, Ordering::SeqCst);
            let _ = gate.wait_for(|&open| open).await;
        } else if text.starts_with("hold:") {
            self.arrived.fetch_add(1, Ordering::SeqCst);
            std::future::pending::<()>().await;
        } else if text == "panic" {
            panic!("the test handler panics, as asked");
        } else if let Some(back) = text.strip_prefix("callback:") {
            let caller: EchoClient = cx.client();
            return Ok(format!("cb:{}", caller.echo(back.to_owned()).await?));
        } else if text == "peer" {
            return Ok(cx.peer().name.clone());
        } else if let Some(rest) = text.strip_prefix("app:") {
            let (b, n) = rest.split_once(':').expect("app:B:N");
            let domain = [b.parse::<u8>().expect("a byte"); 16];
            return Err(AppError::new(domain, n.parse().expect("a code")).into());
        } else if let Some(n) = text.strip_prefix("echoerr:") {
            return Err(AppError::new(EchoError::DOMAIN, n.parse().expect("a code")).into());
        }
        Ok(text)
    }

    async fn add(self: Arc<Self>, _cx: CallContext, a: i32, b: i32) -> Result<i32, RpcError> {
        Ok(a.wrapping_add(b))
    }

    async fn sqrt(self: Arc<Self>, _cx: CallContext, x: i32) -> Result<i32, RpcError> {
        if x < 0 {
            return Err(EchoError::Negative.into());
        }
        Ok(f64::from(x).sqrt() as i32)
    }

    async fn pair(self: Arc<Self>, _cx: CallContext) -> Result<(String, u64), RpcError> {
        Ok(("pair".to_owned(), 42))
    }

    async fn notify(self: Arc<Self>, _cx: CallContext, text: String) -> Result<(), RpcError> {
        if text == "panic" {
            panic!("the test notification handler panics, as asked");
        }
        self.notified.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn count(self: Arc<Self>, _cx: CallContext) -> Result<u64, RpcError> {
        Ok(self.notified.load(Ordering::SeqCst))
    }
}

/// A server node built from `builder`, hosting a [`TestEcho`] as instance
/// `echo` (service id 1), listening on 127.0.0.1.
pub struct Server {
    pub node: Node,
    pub addr: SocketAddr,
    pub echo: Arc<TestEcho>,
    pub handle: gscluster::rpc::ServiceHandle,
}

pub async fn server(builder: NodeBuilder) -> Server {
    let node = builder.build();
    let echo = TestEcho::new();
    let handle = node.serve("echo", EchoServer::from_arc(echo.clone()));
    let addr = node.listen("127.0.0.1:0").await.expect("listen");
    Server {
        node,
        addr,
        echo,
        handle,
    }
}

/// A client node connected to `addr`, and an Echo client of its peer.
pub async fn client(builder: NodeBuilder, addr: SocketAddr) -> (Node, Peer, EchoClient) {
    let node = builder.build();
    let peer = node.connect(addr.to_string());
    peer.connected(Duration::from_secs(5))
        .await
        .expect("connected");
    let echo: EchoClient = peer.client();
    (node, peer, echo)
}

/// Shuts nodes down, each bounded in time.
pub async fn shutdown(nodes: &[&Node]) {
    for node in nodes {
        bounded(10, node.shutdown(Duration::from_millis(500))).await;
    }
}

// ---------------------------------------------------------------------------
// The wire, written by hand.

/// Message codes (gscluster.gs).
pub mod code {
    pub const WHO_AM_I: u8 = 0;
    pub const ACCEPT: u8 = 1;
    pub const REJECT: u8 = 2;
    pub const DH_EXCHANGE: u8 = 3;
    pub const CALL: u8 = 4;
    pub const RETURN: u8 = 5;
    pub const CER: u8 = 6;
    pub const ERR_RETURN: u8 = 7;
}

/// `gslang.Fault` codes.
pub mod fault {
    pub const UNKNOWN_SERVICE: i32 = 1;
    pub const UNKNOWN_METHOD: i32 = 2;
    pub const BAD_REQUEST: i32 = 3;
    pub const INTERNAL: i32 = 4;
    pub const UNAVAILABLE: i32 = 5;
}

/// The Echo contract's method ids.
pub mod method {
    pub const ECHO: u16 = 0;
    pub const ADD: u16 = 1;
    pub const SQRT: u16 = 2;
    pub const PAIR: u16 = 3;
    pub const NOTIFY: u16 = 4;
    pub const COUNT: u16 = 5;
}

pub fn varint(mut v: usize, out: &mut Vec<u8>) {
    assert!(v <= u32::MAX as usize);
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A `string` or `[]byte`: its length, then its bytes.
pub fn bytes(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    varint(b.len(), &mut out);
    out.extend_from_slice(b);
    out
}

pub fn string(s: &str) -> Vec<u8> {
    bytes(s.as_bytes())
}

/// A `Message`: code, length, content.
pub fn message(code: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![code];
    varint(content.len(), &mut out);
    out.extend_from_slice(content);
    out
}

/// A `[]Param` list.
pub fn params(list: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    varint(list.len(), &mut out);
    for p in list {
        out.extend(bytes(p));
    }
    out
}

/// A `Call`'s content.
pub fn call(id: u16, method: u16, service: u32, list: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(id.to_le_bytes());
    out.extend(method.to_le_bytes());
    out.extend(service.to_le_bytes());
    out.extend(params(list));
    out
}

/// A `Return`'s content.
pub fn ret(id: u16, service: u32, list: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(id.to_le_bytes());
    out.extend(service.to_le_bytes());
    out.extend(params(list));
    out
}

/// An `ErrReturn`'s content.
pub fn err_ret(id: u16, service: u32, domain: &[u8], code: i32) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(id.to_le_bytes());
    out.extend(service.to_le_bytes());
    out.extend(bytes(domain));
    out.extend(code.to_le_bytes());
    out
}

/// A `WhoAmI`'s content.
pub fn who_am_i(protocol: u16, name: &str, kind: &str, token: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(protocol.to_le_bytes());
    out.extend(string(name));
    out.extend(string(kind));
    out.extend(bytes(token));
    out
}

/// An `Accept`'s content.
pub fn accept(protocol: u16, name: &str, kind: &str) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(protocol.to_le_bytes());
    out.extend(string(name));
    out.extend(string(kind));
    out
}

/// A `Reject`'s content.
pub fn reject(code: i32, reason: &str) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(code.to_le_bytes());
    out.extend(string(reason));
    out
}

/// A `CER`'s content.
pub fn cer(add: bool, contract: &str, name: &str, id: u32) -> Vec<u8> {
    let mut out = vec![u8::from(add)];
    out.extend(string(contract));
    out.extend(string(name));
    out.extend(id.to_le_bytes());
    out
}

/// A `DHExchange`'s content.
pub fn dh_exchange(suite: &str, key: &[u8]) -> Vec<u8> {
    let mut out = string(suite);
    out.extend(string(
        &base64::engine::general_purpose::STANDARD.encode(key),
    ));
    out
}

/// Reads a `DHExchange`'s content: suite and key.
pub fn parse_dh_exchange(content: &[u8]) -> (String, Vec<u8>) {
    let (suite, rest) = read_string(content);
    let (key, rest) = read_string(rest);
    assert!(rest.is_empty(), "a DHExchange with trailing bytes");
    let key = base64::engine::general_purpose::STANDARD
        .decode(key)
        .expect("base64");
    (suite, key)
}

fn read_varint(b: &[u8]) -> (usize, &[u8]) {
    let mut v = 0usize;
    for (i, &byte) in b.iter().enumerate().take(5) {
        v |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return (v, &b[i + 1..]);
        }
    }
    panic!("a bad varint");
}

fn read_string(b: &[u8]) -> (String, &[u8]) {
    let (n, rest) = read_varint(b);
    (
        String::from_utf8(rest[..n].to_vec()).expect("utf-8"),
        &rest[n..],
    )
}

/// One direction of an encrypted connection, by the spec: the key, a
/// message counter as the nonce, the code byte as associated data.
pub struct Sealer {
    cipher: ChaCha20Poly1305,
    counter: u64,
}

impl Sealer {
    pub fn new(key: &[u8]) -> Sealer {
        Sealer {
            cipher: ChaCha20Poly1305::new_from_slice(key).expect("a 32-byte key"),
            counter: 0,
        }
    }

    fn nonce(&mut self) -> Nonce {
        let mut nonce = [0u8; 12];
        nonce[..8].copy_from_slice(&self.counter.to_le_bytes());
        self.counter += 1;
        nonce.into()
    }

    pub fn seal(&mut self, code: u8, plain: &[u8]) -> Vec<u8> {
        let nonce = self.nonce();
        self.cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: &[code],
                },
            )
            .expect("seals")
    }

    pub fn open(&mut self, code: u8, sealed: &[u8]) -> Vec<u8> {
        let nonce = self.nonce();
        self.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: &[code],
                },
            )
            .expect("a sealed message from the node opens")
    }
}

/// What a raw read got.
#[derive(Debug, PartialEq, Eq)]
pub enum Got {
    /// A whole message: code and content (opened, when encrypted).
    Message(u8, Vec<u8>),
    /// The connection closed (end of stream or reset).
    Closed,
}

/// A peer that speaks raw bytes.
pub struct Raw {
    pub stream: TcpStream,
    buf: Vec<u8>,
    pub seal: Option<Sealer>,
    pub open: Option<Sealer>,
    /// Reads at most this many bytes at a time, pausing after each read:
    /// a slow reader.
    pub throttle: Option<(usize, Duration)>,
}

/// How long a raw read waits before the test fails.
pub const RAW_WAIT: Duration = Duration::from_secs(5);

impl Raw {
    pub async fn connect(addr: SocketAddr) -> Raw {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Raw::over(stream)
    }

    pub fn over(stream: TcpStream) -> Raw {
        Raw {
            stream,
            buf: Vec::new(),
            seal: None,
            open: None,
            throttle: None,
        }
    }

    /// Writes bytes as they are.
    pub async fn write(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.expect("write");
    }

    /// Writes bytes, ignoring a failure (the peer may have closed).
    pub async fn try_write(&mut self, bytes: &[u8]) -> bool {
        self.stream.write_all(bytes).await.is_ok()
    }

    /// Sends a message, sealed if the connection is encrypted.
    pub async fn send(&mut self, code: u8, content: &[u8]) {
        let bytes = match &mut self.seal {
            Some(s) => message(code, &s.seal(code, content)),
            None => message(code, content),
        };
        self.write(&bytes).await;
    }

    /// The next message or the close, waiting up to `wait`; `None` if
    /// neither came.
    pub async fn recv_within(&mut self, wait: Duration) -> Option<Got> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some((code, content)) = self.split_message() {
                let content = match &mut self.open {
                    Some(o) => o.open(code, &content),
                    None => content,
                };
                return Some(Got::Message(code, content));
            }
            let (most, pause) = self.throttle.unwrap_or((64 * 1024, Duration::ZERO));
            self.buf.reserve(most);
            let read = tokio::time::timeout_at(
                deadline,
                (&mut self.stream).take(most as u64).read_buf(&mut self.buf),
            )
            .await;
            match read {
                Err(_) => return None,
                Ok(Ok(0)) | Ok(Err(_)) => return Some(Got::Closed),
                Ok(Ok(_)) => {}
            }
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
        }
    }

    fn split_message(&mut self) -> Option<(u8, Vec<u8>)> {
        let code = *self.buf.first()?;
        let mut len = 0usize;
        let mut at = 1;
        loop {
            let b = *self.buf.get(at)?;
            len |= usize::from(b & 0x7f) << (7 * (at - 1));
            at += 1;
            if b & 0x80 == 0 {
                break;
            }
            assert!(at <= 5, "a bad length from the node");
        }
        if self.buf.len() < at + len {
            return None;
        }
        let content = self.buf[at..at + len].to_vec();
        self.buf.drain(..at + len);
        Some((code, content))
    }

    /// The next message; the test fails if the connection closes or
    /// nothing comes within [`RAW_WAIT`].
    pub async fn recv(&mut self) -> (u8, Vec<u8>) {
        match self.recv_within(RAW_WAIT).await {
            Some(Got::Message(code, content)) => (code, content),
            Some(Got::Closed) => panic!("the connection closed while a message was expected"),
            None => panic!("no message within {RAW_WAIT:?}"),
        }
    }

    /// The next message that is not a CER.
    pub async fn recv_answer(&mut self) -> (u8, Vec<u8>) {
        loop {
            let (code, content) = self.recv().await;
            if code != code::CER {
                return (code, content);
            }
        }
    }

    /// Asserts that the connection closes within `wait`, with no other
    /// message than CERs before it.
    pub async fn expect_closed(&mut self, wait: Duration) {
        loop {
            match self.recv_within(wait).await {
                Some(Got::Closed) => return,
                Some(Got::Message(code::CER, _)) => {}
                Some(Got::Message(code, content)) => {
                    panic!("expected the close, got message {code}: {content:02x?}")
                }
                None => panic!("the connection did not close within {wait:?}"),
            }
        }
    }

    /// Asserts that nothing but CERs arrives within `wait` (the connection
    /// staying open).
    pub async fn expect_silence(&mut self, wait: Duration) {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.recv_within(left).await {
                None => return,
                Some(Got::Message(code::CER, _)) => {}
                Some(other) => panic!("expected nothing, got {other:02x?}"),
            }
        }
    }

    /// Connects, says `WhoAmI` (protocol 1, no token), and checks the Accept.
    pub async fn hello(addr: SocketAddr, name: &str) -> Raw {
        let mut raw = Raw::connect(addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(1, name, "raw", b""))
            .await;
        let (code, _) = raw.recv().await;
        assert_eq!(code, code::ACCEPT, "the node accepts");
        raw
    }

    /// Connects and does the `DHExchange` pair (its own X25519 and HKDF),
    /// leaving the WhoAmI to the caller; what follows is sealed.
    pub async fn key_exchange(addr: SocketAddr) -> Raw {
        let mut raw = Raw::connect(addr).await;
        let secret = x25519_dalek::EphemeralSecret::random_from_rng(rand_core::OsRng);
        let ours = x25519_dalek::PublicKey::from(&secret);
        raw.send(
            code::DH_EXCHANGE,
            &dh_exchange("x25519-chacha20poly1305", ours.as_bytes()),
        )
        .await;
        let (code, content) = raw.recv().await;
        assert_eq!(code, code::DH_EXCHANGE);
        let (suite, theirs) = parse_dh_exchange(&content);
        assert_eq!(suite, "x25519-chacha20poly1305");
        let theirs: [u8; 32] = theirs.try_into().expect("a 32-byte key");
        let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(theirs));
        // HKDF-SHA256, empty salt, info "gscluster v1" ‖ opener key ‖
        // acceptor key: the first 32 bytes seal opener→acceptor.
        let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(&[]), shared.as_bytes());
        let mut info = b"gscluster v1".to_vec();
        info.extend_from_slice(ours.as_bytes());
        info.extend_from_slice(&theirs);
        let mut okm = [0u8; 64];
        hk.expand(&info, &mut okm).expect("64 bytes");
        raw.seal = Some(Sealer::new(&okm[..32]));
        raw.open = Some(Sealer::new(&okm[32..]));
        raw
    }

    /// [`key_exchange`](Self::key_exchange), then a sealed `WhoAmI`, and
    /// checks the sealed Accept.
    pub async fn hello_encrypted(addr: SocketAddr, name: &str) -> Raw {
        let mut raw = Raw::key_exchange(addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(1, name, "raw", b""))
            .await;
        let (code, _) = raw.recv().await;
        assert_eq!(code, code::ACCEPT, "the node accepts, sealed");
        raw
    }
}
