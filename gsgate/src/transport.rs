//! The two transports of the client protocol behind one pair of traits:
//! TCP (a stream of packets) and WebSocket (one packet per binary frame),
//! for both ends (the gate and the client library).
//!
//! Reads never buffer more than one packet (TCP: the 5-byte head is checked
//! before the body is waited for; WebSocket: tungstenite's message and
//! frame limits are set to one packet, not its 64 MiB defaults).

use std::future::Future;
use std::io;

use bytes::{Bytes, BytesMut};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::protocol::{self, HEAD_LEN, MAX_BODY, Packet, ProtocolError};

/// Why reading a packet failed.
#[derive(Debug)]
pub enum ReadError {
    /// The connection failed.
    Io(io::Error),
    /// The peer broke the protocol.
    Protocol(ProtocolError),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Protocol(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// The reading half of a transport.
pub trait PacketRead: Send + 'static {
    /// The next packet; `None` when the peer closed the connection.
    fn read(&mut self) -> impl Future<Output = Result<Option<Packet>, ReadError>> + Send;
}

/// The writing half of a transport.
pub trait PacketWrite: Send + 'static {
    /// Writes packets (each one whole, head and body, as `protocol` encodes them).
    fn write(&mut self, packets: &[Bytes]) -> impl Future<Output = io::Result<()>> + Send;
    /// Closes the connection (for WebSocket, with a close frame).
    fn close(&mut self) -> impl Future<Output = ()> + Send;
}

/// The WebSocket settings of both ends: one packet per message; frames
/// are buffered up to 8 KiB (a buffer an idle connection keeps) and
/// written when a batch is flushed or the buffer is full (a system call
/// per 8 KiB or per batch, not per frame); at most 1 MiB waits unwritten.
pub fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(HEAD_LEN + MAX_BODY))
        .max_frame_size(Some(HEAD_LEN + MAX_BODY))
        .read_buffer_size(4096)
        .write_buffer_size(8 * 1024)
        .max_write_buffer_size(1 << 20)
}

/// Splits a TCP stream into the halves of the packet transport.
pub fn tcp(stream: TcpStream) -> (TcpRead, TcpWrite) {
    let _ = stream.set_nodelay(true);
    let (r, w) = stream.into_split();
    (
        TcpRead {
            half: r,
            buf: BytesMut::new(),
        },
        TcpWrite {
            half: w,
            buf: BytesMut::new(),
        },
    )
}

/// The reading half of TCP.
#[derive(Debug)]
pub struct TcpRead {
    half: OwnedReadHalf,
    buf: BytesMut,
}

impl PacketRead for TcpRead {
    async fn read(&mut self) -> Result<Option<Packet>, ReadError> {
        loop {
            if let Some(p) = protocol::next_packet(&mut self.buf).map_err(ReadError::Protocol)? {
                // An idle session keeps no buffer.
                if self.buf.is_empty() {
                    self.buf = BytesMut::new();
                }
                return Ok(Some(p));
            }
            if self.buf.capacity() == 0 {
                self.buf.reserve(512);
            }
            let n = self
                .half
                .read_buf(&mut self.buf)
                .await
                .map_err(ReadError::Io)?;
            if n == 0 {
                return if self.buf.is_empty() {
                    Ok(None)
                } else {
                    Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()))
                };
            }
        }
    }
}

/// The writing half of TCP.
#[derive(Debug)]
pub struct TcpWrite {
    half: OwnedWriteHalf,
    buf: BytesMut,
}

impl PacketWrite for TcpWrite {
    async fn write(&mut self, packets: &[Bytes]) -> io::Result<()> {
        if let [one] = packets {
            return self.half.write_all(one).await;
        }
        self.buf.clear();
        for p in packets {
            self.buf.extend_from_slice(p);
        }
        let result = self.half.write_all(&self.buf).await;
        // An idle connection keeps at most 16 KiB of it.
        if self.buf.capacity() > 16 * 1024 {
            self.buf = BytesMut::new();
        }
        result
    }

    async fn close(&mut self) {
        let _ = self.half.shutdown().await;
    }
}

/// Splits a WebSocket stream into the halves of the packet transport.
pub fn ws<S>(stream: WebSocketStream<S>) -> (WsRead<S>, WsWrite<S>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sink, stream) = stream.split();
    (WsRead { stream }, WsWrite { sink })
}

/// The reading half of WebSocket.
#[derive(Debug)]
pub struct WsRead<S> {
    stream: futures_util::stream::SplitStream<WebSocketStream<S>>,
}

impl<S> PacketRead for WsRead<S>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    async fn read(&mut self) -> Result<Option<Packet>, ReadError> {
        loop {
            let Some(message) = self.stream.next().await else {
                return Ok(None);
            };
            let message = message.map_err(|e| match e {
                tokio_tungstenite::tungstenite::Error::Io(e) => ReadError::Io(e),
                tokio_tungstenite::tungstenite::Error::Capacity(_) => {
                    ReadError::Protocol(ProtocolError::BodyTooLarge(MAX_BODY + 1))
                }
                e => ReadError::Io(io::Error::other(e)),
            })?;
            match message {
                WsMessage::Binary(bytes) => {
                    return protocol::parse_frame_bytes(bytes)
                        .map(Some)
                        .map_err(ReadError::Protocol);
                }
                WsMessage::Text(_) | WsMessage::Frame(_) => {
                    return Err(ReadError::Protocol(ProtocolError::BadFrame));
                }
                WsMessage::Close(_) => return Ok(None),
                // tungstenite answers pings itself.
                WsMessage::Ping(_) | WsMessage::Pong(_) => {}
            }
        }
    }
}

/// The writing half of WebSocket.
#[derive(Debug)]
pub struct WsWrite<S> {
    sink: futures_util::stream::SplitSink<WebSocketStream<S>, WsMessage>,
}

impl<S> PacketWrite for WsWrite<S>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    async fn write(&mut self, packets: &[Bytes]) -> io::Result<()> {
        for p in packets {
            self.sink
                .feed(WsMessage::Binary(p.clone()))
                .await
                .map_err(io::Error::other)?;
        }
        self.sink.flush().await.map_err(io::Error::other)
    }

    async fn close(&mut self) {
        let _ = self.sink.close().await;
    }
}
