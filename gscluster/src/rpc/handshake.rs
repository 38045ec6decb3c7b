//! The start of every connection (wire.md §3.1–3.2): the optional
//! `DHExchange` pair, then `WhoAmI` answered by `Accept` or `Reject`. The
//! whole exchange has the handshake timeout; anything out of order closes
//! the connection.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::BytesMut;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tracing::debug;

use super::conn::{Established, PeerInfo};
use super::crypto::{Direction, KeyError, KeyPair, SUITE};
use super::frame::{self, code};
use super::node::{NodeInner, PeerHello};
use crate::proto;

/// The protocol version of this runtime (`WhoAmI.Protocol`).
pub const PROTOCOL: u16 = 1;

/// `Reject.Code`: the opener's protocol is not ours.
pub const REJECT_PROTOCOL: i32 = 1;
/// `Reject.Code`: the authenticator refused the opener.
pub const REJECT_UNAUTHORIZED: i32 = 2;
/// `Reject.Code`: the acceptor requires encryption and the opener sent a plain `WhoAmI`.
pub const REJECT_ENCRYPTION_REQUIRED: i32 = 3;

/// The largest message of a handshake: nothing is allocated for more
/// before the peer is admitted.
const MAX_HANDSHAKE_MESSAGE: usize = 64 * 1024;

/// Why a connection could not be established.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConnectError {
    /// The TCP connection failed or broke.
    Io(std::io::Error),
    /// The handshake did not finish within the handshake timeout.
    Timeout,
    /// The acceptor refused us: `Reject.Code` and `Reject.Reason`.
    Rejected {
        /// 1: protocol, 2: unauthorized, 3: encryption required; others are the application's.
        code: i32,
        /// The acceptor's reason.
        reason: String,
    },
    /// The peer broke the handshake's protocol.
    Protocol(&'static str),
    /// The node is shutting down.
    ShuttingDown,
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::Io(e) => write!(f, "connection failed: {e}"),
            ConnectError::Timeout => f.write_str("the handshake timed out"),
            ConnectError::Rejected { code, reason } => {
                write!(f, "rejected by the peer (code {code}): {reason}")
            }
            ConnectError::Protocol(what) => write!(f, "handshake failed: {what}"),
            ConnectError::ShuttingDown => f.write_str("the node is shutting down"),
        }
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConnectError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for ConnectError {
    fn from(e: std::io::Error) -> Self {
        ConnectError::Io(e)
    }
}

impl From<KeyError> for ConnectError {
    fn from(e: KeyError) -> Self {
        ConnectError::Protocol(match e {
            KeyError::UnknownSuite => "unknown encryption suite",
            KeyError::BadKey => "malformed public key",
            KeyError::NotContributory => "the shared secret is all zeros",
        })
    }
}

/// A connection during its handshake: the stream and what has been read.
struct Handshake {
    stream: TcpStream,
    buf: BytesMut,
    seal: Option<Direction>,
    open: Option<Direction>,
}

impl Handshake {
    async fn read(&mut self) -> Result<(u8, BytesMut), ConnectError> {
        loop {
            match frame::next_message(&mut self.buf, MAX_HANDSHAKE_MESSAGE) {
                Ok(Some((code, mut content))) => {
                    if let Some(open) = &mut self.open {
                        let len = open.open(code, &mut content).map_err(|()| {
                            ConnectError::Protocol("a sealed message failed to open")
                        })?;
                        content.truncate(len);
                    }
                    return Ok((code, content));
                }
                Ok(None) => {}
                Err(_) => return Err(ConnectError::Protocol("a malformed message")),
            }
            self.buf.reserve(512);
            if self.stream.read_buf(&mut self.buf).await? == 0 {
                return Err(ConnectError::Io(std::io::ErrorKind::UnexpectedEof.into()));
            }
        }
    }

    async fn write<T: crate::Wire>(&mut self, code: u8, value: &T) -> Result<(), ConnectError> {
        let mut out = BytesMut::new();
        frame::put_value(&mut out, code, value, self.seal.as_mut());
        self.stream.write_all(&out).await?;
        Ok(())
    }

    fn decode<T: crate::Wire>(content: &[u8]) -> Result<T, ConnectError> {
        crate::from_bytes(content)
            .map_err(|_| ConnectError::Protocol("a message that does not decode"))
    }

    fn finish(self, peer: PeerInfo) -> Established {
        let (reader, writer) = self.stream.into_split();
        Established {
            reader,
            writer,
            leftover: self.buf,
            peer,
            seal: self.seal,
            open: self.open,
        }
    }
}

/// What the opener of a connection says about itself.
pub(crate) struct Opening<'a> {
    pub encrypt: bool,
    pub token: &'a [u8],
}

/// Opens the handshake on `stream` (we connected).
pub(crate) async fn open(
    node: &Arc<NodeInner>,
    stream: TcpStream,
    addr: SocketAddr,
    opening: Opening<'_>,
) -> Result<Established, ConnectError> {
    let config = &node.config;
    let run = async {
        let mut hs = Handshake {
            stream,
            buf: BytesMut::with_capacity(512),
            seal: None,
            open: None,
        };
        if opening.encrypt {
            let keys = KeyPair::generate();
            let ours = proto::DhExchange {
                id: SUITE.to_owned(),
                content: keys.public_base64(),
            };
            hs.write(code::DH_EXCHANGE, &ours).await?;
            let (code, content) = hs.read().await?;
            if code != code::DH_EXCHANGE {
                return Err(ConnectError::Protocol("expected a DHExchange"));
            }
            let theirs: proto::DhExchange = Handshake::decode(&content)?;
            let keys = keys.agree(&theirs.id, &theirs.content, true)?;
            hs.seal = Some(Direction::new(&keys.seal));
            hs.open = Some(Direction::new(&keys.open));
        }
        let who = proto::WhoAmI {
            protocol: PROTOCOL,
            name: config.name.clone(),
            kind: config.kind.clone(),
            token: opening.token.to_vec(),
        };
        hs.write(code::WHO_AM_I, &who).await?;
        let (code, content) = hs.read().await?;
        match code {
            code::ACCEPT => {
                let accept: proto::Accept = Handshake::decode(&content)?;
                if accept.protocol != PROTOCOL {
                    return Err(ConnectError::Protocol(
                        "the acceptor speaks another protocol",
                    ));
                }
                let peer = PeerInfo {
                    name: accept.name,
                    kind: accept.kind,
                    addr,
                    encrypted: opening.encrypt,
                    inbound: false,
                };
                Ok(hs.finish(peer))
            }
            code::REJECT => {
                let reject: proto::Reject = Handshake::decode(&content)?;
                Err(ConnectError::Rejected {
                    code: reject.code,
                    reason: reject.reason,
                })
            }
            _ => Err(ConnectError::Protocol("expected Accept or Reject")),
        }
    };
    match tokio::time::timeout(config.handshake_timeout, run).await {
        Ok(result) => result,
        Err(_) => Err(ConnectError::Timeout),
    }
}

/// Accepts the handshake on `stream` (the peer connected).
pub(crate) async fn accept(
    node: &Arc<NodeInner>,
    stream: TcpStream,
    addr: SocketAddr,
) -> Result<Established, ConnectError> {
    let config = &node.config;
    let run = async {
        let mut hs = Handshake {
            stream,
            buf: BytesMut::with_capacity(512),
            seal: None,
            open: None,
        };
        let (mut code, mut content) = hs.read().await?;
        let encrypted = code == code::DH_EXCHANGE;
        if encrypted {
            let theirs: proto::DhExchange = Handshake::decode(&content)?;
            let keys = KeyPair::generate();
            let ours = proto::DhExchange {
                id: SUITE.to_owned(),
                content: keys.public_base64(),
            };
            let agreed = keys.agree(&theirs.id, &theirs.content, false)?;
            hs.write(code::DH_EXCHANGE, &ours).await?;
            hs.seal = Some(Direction::new(&agreed.seal));
            hs.open = Some(Direction::new(&agreed.open));
            (code, content) = hs.read().await?;
        }
        if code != code::WHO_AM_I {
            return Err(ConnectError::Protocol("expected WhoAmI"));
        }
        let who: proto::WhoAmI = Handshake::decode(&content)?;
        let reject = |code, reason: &str| proto::Reject {
            code,
            reason: reason.to_owned(),
        };
        if who.protocol != PROTOCOL {
            let r = reject(REJECT_PROTOCOL, "unsupported protocol version");
            hs.write(code::REJECT, &r).await?;
            return Err(ConnectError::Protocol("the opener speaks another protocol"));
        }
        if config.require_encryption && !encrypted {
            let r = reject(REJECT_ENCRYPTION_REQUIRED, "encryption required");
            hs.write(code::REJECT, &r).await?;
            return Err(ConnectError::Protocol(
                "a plain WhoAmI to a node that requires encryption",
            ));
        }
        let hello = PeerHello {
            name: &who.name,
            kind: &who.kind,
            token: &who.token,
            addr,
            encrypted,
        };
        if !config.authenticator.authenticate(&hello).await {
            let r = reject(REJECT_UNAUTHORIZED, "unauthorized");
            hs.write(code::REJECT, &r).await?;
            return Err(ConnectError::Protocol(
                "the authenticator refused the opener",
            ));
        }
        let accept = proto::Accept {
            protocol: PROTOCOL,
            name: config.name.clone(),
            kind: config.kind.clone(),
        };
        hs.write(code::ACCEPT, &accept).await?;
        debug!(peer = %who.name, kind = %who.kind, %addr, encrypted, "accepted");
        let peer = PeerInfo {
            name: who.name,
            kind: who.kind,
            addr,
            encrypted,
            inbound: true,
        };
        Ok(hs.finish(peer))
    };
    match tokio::time::timeout(config.handshake_timeout, run).await {
        Ok(result) => result,
        Err(_) => Err(ConnectError::Timeout),
    }
}
