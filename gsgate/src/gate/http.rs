//! The WebSocket listener's plain HTTP: short calls of exposed methods,
//! `POST /call/<route>`, besides the WebSocket upgrade (any path).
//!
//! A connection's request head is read first (at most [`MAX_HEAD`] bytes,
//! within the handshake timeout); an upgrade goes on to tungstenite with
//! those bytes replayed, anything else is one HTTP request, answered and
//! closed. See `docs/gate.md` for the calls, their statuses and tokens.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use bytes::Bytes;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac as _};
use serde_json::json;
use sha2::Sha256;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tracing::debug;

use super::{Gate, Session, fault_error, lock};
use crate::proto::gate as g;
use crate::{json, transport};
use gscluster::gslang::Fault;

/// The longest request head read.
pub const MAX_HEAD: usize = 8 * 1024;

/// How long writing an answer may take (a caller that does not read it
/// is dropped).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most headers a request head may have.
const MAX_HEADERS: usize = 32;

/// The response header that carries a token after a call that bound the
/// session to a user (a Login, say).
pub const TOKEN_HEADER: &str = "x-gsgate-token";

impl Gate {
    /// Serves a connection of the WebSocket listener: an upgrade, or one
    /// HTTP request.
    pub(super) async fn ws_listener_connection(&self, mut stream: TcpStream, peer: SocketAddr) {
        let _ = stream.set_nodelay(true);
        let timeout = self.shared.config.handshake_timeout;
        let stop = self.shared.stop.clone();
        let read = tokio::select! {
            read = tokio::time::timeout(timeout, read_head(&mut stream)) => read,
            () = stop.cancelled() => return,
        };
        let head = match read {
            Ok(Ok(Some(head))) => head,
            Ok(Ok(None)) => {
                refuse(&mut stream, 431, b"request head too large\n").await;
                return;
            }
            _ => {
                debug!("no request head");
                return;
            }
        };
        let Some(request) = Head::parse(&head) else {
            refuse(&mut stream, 400, b"not an HTTP request\n").await;
            return;
        };
        if request.upgrade {
            let config = Some(transport::ws_config());
            let replayed = Rewind {
                prefix: head,
                pos: 0,
                inner: stream,
            };
            let upgrade = tokio_tungstenite::accept_async_with_config(replayed, config);
            match tokio::time::timeout(timeout, upgrade).await {
                Ok(Ok(ws)) => {
                    let (r, w) = transport::ws(ws);
                    self.connection(r, w, peer).await;
                }
                _ => debug!("the WebSocket upgrade failed"),
            }
            return;
        }
        let Head {
            len: head_len,
            method,
            path,
            json,
            token,
            length,
            expect_continue,
            chunked,
            ..
        } = request;
        if method == "GET"
            && (path == "/" || path == "/index.html")
            && let Some(page) = &self.shared.config.page
        {
            answer(&mut stream, 200, "text/html; charset=utf-8", page).await;
            return;
        }
        let Some(route) = path.strip_prefix("/call/").map(str::to_owned) else {
            let (status, text): (u16, &[u8]) = if method == "GET" {
                (404, b"not found: HTTP calls are POST /call/<route>\n")
            } else {
                (404, b"not found\n")
            };
            refuse(&mut stream, status, text).await;
            return;
        };
        if method != "POST" {
            refuse(&mut stream, 405, b"calls are POST\n").await;
            return;
        }
        let max = self.shared.config.max_message;
        let length = match length {
            _ if chunked => {
                refuse(&mut stream, 411, b"send a Content-Length\n").await;
                return;
            }
            Some(Ok(n)) if n <= max => n,
            Some(Ok(_)) => {
                refuse(&mut stream, 413, b"body too large\n").await;
                return;
            }
            None => 0,
            Some(Err(_)) => {
                refuse(&mut stream, 400, b"bad Content-Length\n").await;
                return;
            }
        };
        let mut body = head[head_len..].to_vec();
        drop(head);
        if expect_continue && body.len() < length {
            let write = stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
            if !matches!(tokio::time::timeout(timeout, write).await, Ok(Ok(()))) {
                return;
            }
        }
        let read = tokio::select! {
            read = tokio::time::timeout(timeout, read_body(&mut stream, &mut body, length)) => read,
            () = stop.cancelled() => return,
        };
        if !matches!(read, Ok(Ok(()))) {
            debug!("the body did not come");
            return;
        }
        let answer = self
            .http_call(&route, &body, json, token.as_deref(), peer)
            .await;
        let _ = respond(
            &mut stream,
            answer.status,
            answer.content_type,
            &answer.body,
            answer.token.as_deref(),
        )
        .await;
    }

    /// One HTTP call of `route` with `body` (the params' encoding, or
    /// their JSON object).
    async fn http_call(
        &self,
        route: &str,
        body: &[u8],
        json: bool,
        token: Option<&str>,
        peer: SocketAddr,
    ) -> Answer {
        let shared = &self.shared;
        let fail = |error: g::Error, detail: Option<String>| Answer::error(error, detail, json);
        let Some(route) = shared.schema.route(route).cloned() else {
            return fail(fault_error(Fault::UnknownMethod), None);
        };
        let user = match token.map(|t| shared.tokens.verify(t)) {
            Some(None) => {
                let detail = "the bearer token is not valid (or has expired)".to_owned();
                return fail(fault_error(Fault::BadRequest), Some(detail));
            }
            Some(Some(user)) => user,
            None => 0,
        };
        let data: Bytes = if json {
            let parsed = serde_json::from_slice::<serde_json::Value>(body)
                .map_err(|e| format!("not JSON: {e}"))
                .and_then(|v| {
                    json::encode_params(
                        shared.schema.model(),
                        &route.param_names,
                        &route.params,
                        &v,
                    )
                });
            match parsed {
                Ok(data) => data.into(),
                Err(detail) => return fail(fault_error(Fault::BadRequest), Some(detail)),
            }
        } else {
            Bytes::copy_from_slice(body)
        };
        if data.len() > shared.config.max_message {
            return Answer::text(
                413,
                "the params encode to more than the limit of a message\n",
            );
        }
        // A session for the call alone: it receives nothing (the queue's
        // receiver is dropped), and the gate's Bind records its user. It
        // leaves the registry with the guard, whatever happens.
        let (tx, _) = mpsc::channel(1);
        let session = Arc::new(Session::new(shared, peer, tx, true));
        session
            .user
            .store(user, std::sync::atomic::Ordering::Release);
        lock(&shared.registry)
            .sessions
            .insert(session.id, session.clone());
        let registered = Registered(shared, &session);
        let id = (!route.is_async).then_some(1);
        let mut ends = Vec::new();
        let result = match self.prepare(&session, &route, &data, id, &mut ends) {
            Ok(forward) => forward.result().await,
            Err(fault) => Err(fault_error(fault)),
        };
        drop(registered);
        // A token for a user the call bound (a Login); a token is not renewed.
        let bound = session.user.load(std::sync::atomic::Ordering::Acquire);
        let token = (bound != 0 && bound != user).then(|| shared.tokens.issue(bound));
        let mut answer = match result {
            Err(e) => fail(e, None),
            Ok(_) if route.is_async => Answer {
                status: 202,
                content_type: "text/plain",
                body: Vec::new(),
                token: None,
            },
            Ok(data) if json => {
                match json::decode_values(shared.schema.model(), &route.returns, &data) {
                    Some(value) => Answer {
                        status: 200,
                        content_type: "application/json",
                        body: value.to_string().into_bytes(),
                        token: None,
                    },
                    None => fail(
                        fault_error(Fault::Internal),
                        Some("the backend's answer does not decode".into()),
                    ),
                }
            }
            Ok(data) => Answer {
                status: 200,
                content_type: "application/octet-stream",
                body: data.to_vec(),
                token: None,
            },
        };
        answer.token = token;
        answer
    }
}

/// What the gate reads of a request head.
struct Head {
    /// The head's length (what follows is the body).
    len: usize,
    upgrade: bool,
    method: String,
    /// Without the query.
    path: String,
    /// `Content-Type: application/json`.
    json: bool,
    /// `Authorization: Bearer TOKEN`.
    token: Option<String>,
    /// `Content-Length`, parsed (an error for a malformed or repeated one).
    length: Option<Result<usize, ()>>,
    expect_continue: bool,
    /// A `Transfer-Encoding` (chunked bodies are not taken).
    chunked: bool,
}

impl Head {
    /// The head at the start of `bytes`, if it is one.
    fn parse(bytes: &[u8]) -> Option<Head> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        let httparse::Status::Complete(len) = request.parse(bytes).ok()? else {
            return None;
        };
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .and_then(|h| std::str::from_utf8(h.value).ok())
        };
        let path = request.path.unwrap_or_default();
        Some(Head {
            len,
            upgrade: header("upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket")),
            method: request.method.unwrap_or_default().to_owned(),
            path: path.split('?').next().unwrap_or_default().to_owned(),
            json: header("content-type").is_some_and(|t| {
                t.split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            }),
            token: header("authorization")
                .filter(|a| {
                    a.get(..7)
                        .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
                })
                .map(|a| a[7..].trim().to_owned()),
            length: match request
                .headers
                .iter()
                .filter(|h| h.name.eq_ignore_ascii_case("content-length"))
                .map(|h| std::str::from_utf8(h.value).map(str::trim))
                .collect::<Vec<_>>()
                .as_slice()
            {
                [] => None,
                // Digits only (`+5` is not a length), and one header.
                [Ok(l)] if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(l.parse::<usize>().map_err(drop))
                }
                _ => Some(Err(())),
            },
            expect_continue: header("expect")
                .is_some_and(|e| e.eq_ignore_ascii_case("100-continue")),
            chunked: header("transfer-encoding").is_some(),
        })
    }
}

/// An HTTP answer.
struct Answer {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    token: Option<String>,
}

/// Keeps an HTTP call's session in the registry while it lives.
struct Registered<'a>(&'a super::Shared, &'a Session);

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        self.0.unregister(self.1);
    }
}

impl Answer {
    fn text(status: u16, text: &str) -> Answer {
        Answer {
            status,
            content_type: "text/plain",
            body: text.as_bytes().to_vec(),
            token: None,
        }
    }

    /// An error: its `gate.Error`, encoded or as JSON (with `detail`).
    fn error(error: g::Error, detail: Option<String>, json: bool) -> Answer {
        let status = status_of(&error);
        if json {
            let mut body = json!({
                "domain": STANDARD.encode(&error.domain),
                "code": error.code,
                "message": error.message,
            });
            if let Some(detail) = detail {
                body["detail"] = detail.into();
            }
            return Answer {
                status,
                content_type: "application/json",
                body: body.to_string().into_bytes(),
                token: None,
            };
        }
        Answer {
            status,
            content_type: "application/octet-stream",
            body: gscluster::to_bytes(&error),
            token: None,
        }
    }
}

/// The HTTP status of an error: a fault's own, 422 for a service's
/// `@Error` value.
fn status_of(error: &g::Error) -> u16 {
    if !error.domain.is_empty() {
        return 422;
    }
    match Fault::try_from(error.code) {
        Ok(Fault::UnknownService | Fault::UnknownMethod) => 404,
        Ok(Fault::BadRequest) => 400,
        Ok(Fault::Unavailable) => 503,
        Ok(Fault::Timeout) => 504,
        _ => 500,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Internal Server Error",
    }
}

/// Answers a request whose body is not read, closes, and reads what the
/// client still sends for a moment (up to 64 KiB, 1 s): closing with unread
/// bytes would reset the connection, and the client could miss the answer.
async fn refuse(stream: &mut TcpStream, status: u16, text: &[u8]) {
    answer(stream, status, "text/plain", text).await;
}

/// Answers a request whose body is not read with `body`, as [`refuse`] does.
async fn answer(stream: &mut TcpStream, status: u16, content_type: &str, body: &[u8]) {
    if respond(stream, status, content_type, body, None)
        .await
        .is_err()
    {
        return;
    }
    let mut sink = tokio::io::sink();
    let mut rest = stream.take(64 * 1024);
    let drain = tokio::io::copy(&mut rest, &mut sink);
    let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
}

/// Writes an answer and closes, within [`ANSWER_TIMEOUT`].
async fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    token: Option<&str>,
) -> io::Result<()> {
    let write = write_answer(stream, status, content_type, body, token);
    tokio::time::timeout(ANSWER_TIMEOUT, write)
        .await
        .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))?
}

async fn write_answer(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    token: Option<&str>,
) -> io::Result<()> {
    let token = token.map_or_else(String::new, |t| format!("{TOKEN_HEADER}: {t}\r\n"));
    let head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n{token}connection: close\r\n\r\n",
        reason(status),
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}

/// Reads until the end of a request head: the bytes read (the head and
/// whatever followed it), `None` past [`MAX_HEAD`].
async fn read_head(stream: &mut TcpStream) -> io::Result<Option<Vec<u8>>> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let mut scanned: usize = 0;
    loop {
        // From where the last scan stopped (less 3, for an end split across reads).
        let from = scanned.saturating_sub(3);
        if let Some(end) = head[from..].windows(4).position(|w| w == b"\r\n\r\n") {
            if from + end + 4 > MAX_HEAD {
                return Ok(None);
            }
            return Ok(Some(head));
        }
        scanned = head.len();
        if head.len() >= MAX_HEAD {
            return Ok(None);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        head.extend_from_slice(&chunk[..n]);
    }
}

/// Reads the rest of a body of `length` bytes (`body` holds what came with
/// the head); the buffer grows as bytes come, not to what a head declares.
async fn read_body(stream: &mut TcpStream, body: &mut Vec<u8>, length: usize) -> io::Result<()> {
    body.truncate(length);
    let rest = (length - body.len()) as u64;
    stream.take(rest).read_to_end(body).await?;
    if body.len() < length {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

/// A stream that yields `prefix` before the rest of `inner` (the request
/// head read to route the connection, replayed to tungstenite).
struct Rewind {
    prefix: Vec<u8>,
    pos: usize,
    inner: TcpStream,
}

impl AsyncRead for Rewind {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.pos < this.prefix.len() {
            let n = buf.remaining().min(this.prefix.len() - this.pos);
            buf.put_slice(&this.prefix[this.pos..this.pos + n]);
            this.pos += n;
            if this.pos == this.prefix.len() {
                // Replayed: an idle session keeps none of it.
                this.prefix = Vec::new();
                this.pos = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Rewind {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Bearer tokens for HTTP calls: `base64url(user ‖ expiry ‖ tag)`, the
/// user id and the expiry (unix seconds) as little-endian u64s, the tag
/// the first 16 bytes of HMAC-SHA256 of both under the gate's key, so a
/// token from one gate is good at every gate given the same secret.
pub(super) struct Tokens {
    /// The HMAC key, zero-padded to SHA-256's block (as HMAC pads it).
    key: [u8; 64],
    ttl: Duration,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl Tokens {
    /// Tokens keyed by `secret` (SHA-256 of it), or by a random key.
    pub(super) fn new(secret: Option<&[u8]>, ttl: Duration) -> Tokens {
        use sha2::Digest as _;
        let mut key = [0u8; 64];
        match secret {
            Some(secret) => key[..32].copy_from_slice(&Sha256::digest(secret)),
            None => rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut key[..32]),
        }
        Tokens { key, ttl }
    }

    fn mac(&self, claims: &[u8; 16]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new(&self.key.into());
        mac.update(claims);
        mac
    }

    fn tag(&self, claims: &[u8; 16]) -> [u8; 16] {
        let full = self.mac(claims).finalize().into_bytes();
        let mut tag = [0u8; 16];
        tag.copy_from_slice(&full[..16]);
        tag
    }

    fn now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    /// A token for `user`, good for the gate's token lifetime.
    pub(super) fn issue(&self, user: u64) -> String {
        let expiry = Self::now().saturating_add(self.ttl.as_secs());
        let mut claims = [0u8; 16];
        claims[..8].copy_from_slice(&user.to_le_bytes());
        claims[8..].copy_from_slice(&expiry.to_le_bytes());
        let mut token = claims.to_vec();
        token.extend_from_slice(&self.tag(&claims));
        URL_SAFE_NO_PAD.encode(token)
    }

    /// The user of a valid token that has not expired.
    pub(super) fn verify(&self, token: &str) -> Option<u64> {
        let raw = URL_SAFE_NO_PAD.decode(token).ok()?;
        let raw: [u8; 32] = raw.try_into().ok()?;
        let claims: [u8; 16] = raw[..16].try_into().ok()?;
        let tag = self.tag(&claims);
        // Constant time: a tag is not guessed byte by byte.
        let diff = tag
            .iter()
            .zip(&raw[16..])
            .fold(0u8, |d, (a, b)| d | (a ^ b));
        if diff != 0 {
            return None;
        }
        let user = u64::from_le_bytes(claims[..8].try_into().ok()?);
        let expiry = u64::from_le_bytes(claims[8..].try_into().ok()?);
        (expiry > Self::now() && user != 0).then_some(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_with_the_same_secret_only_and_expire() {
        let a = Tokens::new(Some(b"shared"), Duration::from_secs(60));
        let b = Tokens::new(Some(b"shared"), Duration::from_secs(60));
        let other = Tokens::new(Some(b"other"), Duration::from_secs(60));
        let token = a.issue(42);
        assert_eq!(a.verify(&token), Some(42));
        assert_eq!(b.verify(&token), Some(42));
        assert_eq!(other.verify(&token), None);
        let mut forged = URL_SAFE_NO_PAD.decode(&token).unwrap();
        forged[0] ^= 1;
        assert_eq!(a.verify(&URL_SAFE_NO_PAD.encode(forged)), None);
        assert_eq!(a.verify("not a token"), None);
        let expired = Tokens::new(Some(b"shared"), Duration::ZERO).issue(42);
        assert_eq!(a.verify(&expired), None);
    }
}
