//! The client protocol (docs/gate.md): packets (a 5-byte head, then a body
//! of at most 64 KiB), the reassembly of Data bodies sent as several
//! sub-packages, and the messages Data bodies carry.
//!
//! Pure functions over bytes, with no I/O and no async runtime: the gate,
//! the client library and the tests share them. Every length is checked
//! against its limit before anything is allocated for it, and no input
//! makes them panic.

use bytes::{Buf, BufMut, Bytes, BytesMut};

/// The length of a packet's head: type, 3-byte body length, sub-package.
pub const HEAD_LEN: usize = 5;

/// The largest body a packet may carry.
pub const MAX_BODY: usize = 65_536;

/// The default limit of a reassembled Data body.
pub const DEFAULT_MAX_MESSAGE: usize = 1 << 20;

/// A packet's type (its first byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum PacketType {
    /// The client's first packet: a JSON body.
    Handshake = 0x01,
    /// The gate's answer to the handshake: a JSON body.
    HandshakeAck = 0x02,
    /// Both ways: the client is alive; the gate answers each one.
    Heartbeat = 0x03,
    /// A message (or a chunk of one).
    Data = 0x04,
    /// The gate closes the session: a JSON body with the reason.
    Kick = 0x05,
}

impl PacketType {
    /// The type of byte `b`, if it is one.
    pub fn from_byte(b: u8) -> Option<PacketType> {
        Some(match b {
            0x01 => PacketType::Handshake,
            0x02 => PacketType::HandshakeAck,
            0x03 => PacketType::Heartbeat,
            0x04 => PacketType::Data,
            0x05 => PacketType::Kick,
            _ => return None,
        })
    }
}

/// One packet: its type, whether more chunks of its body follow, its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// The packet's type.
    pub ty: PacketType,
    /// Sub-package 1: more chunks of this Data body follow.
    pub more: bool,
    /// The body.
    pub body: Bytes,
}

/// Why bytes are not a valid packet stream or message: the session ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolError {
    /// An unknown packet type.
    UnknownType(u8),
    /// A declared body length over [`MAX_BODY`].
    BodyTooLarge(usize),
    /// A sub-package byte other than 0 and 1, or 1 on a packet that is not Data.
    BadSubPackage(u8),
    /// A reassembled Data body over the limit.
    MessageTooLarge(usize),
    /// A WebSocket frame that is not exactly one packet.
    BadFrame,
    /// A Data body that is not a message.
    BadMessage(&'static str),
}

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProtocolError::UnknownType(t) => write!(f, "unknown packet type {t:#04x}"),
            ProtocolError::BodyTooLarge(n) => {
                write!(f, "a packet body of {n} bytes (the limit is {MAX_BODY})")
            }
            ProtocolError::BadSubPackage(b) => write!(f, "bad sub-package byte {b}"),
            ProtocolError::MessageTooLarge(n) => {
                write!(f, "a message of more than {n} bytes")
            }
            ProtocolError::BadFrame => f.write_str("a frame that is not exactly one packet"),
            ProtocolError::BadMessage(why) => write!(f, "bad message: {why}"),
        }
    }
}

impl std::error::Error for ProtocolError {}

/// Parses a packet head: type, body length, more chunks follow.
pub fn parse_head(head: &[u8; HEAD_LEN]) -> Result<(PacketType, usize, bool), ProtocolError> {
    let ty = PacketType::from_byte(head[0]).ok_or(ProtocolError::UnknownType(head[0]))?;
    let len = (usize::from(head[1]) << 16) | (usize::from(head[2]) << 8) | usize::from(head[3]);
    if len > MAX_BODY {
        return Err(ProtocolError::BodyTooLarge(len));
    }
    let more = match head[4] {
        0 => false,
        1 if ty == PacketType::Data => true,
        b => return Err(ProtocolError::BadSubPackage(b)),
    };
    Ok((ty, len, more))
}

/// Takes the next whole packet off the front of `buf`, if it holds one.
/// The head is checked as soon as its 5 bytes are there, before the body
/// is waited for; room is reserved for the body (at most [`MAX_BODY`]).
pub fn next_packet(buf: &mut BytesMut) -> Result<Option<Packet>, ProtocolError> {
    let Some(head) = buf.get(..HEAD_LEN) else {
        return Ok(None);
    };
    let head: &[u8; HEAD_LEN] = head.try_into().map_err(|_| ProtocolError::BadFrame)?;
    let (ty, len, more) = parse_head(head)?;
    if buf.len() < HEAD_LEN + len {
        buf.reserve(HEAD_LEN + len - buf.len());
        return Ok(None);
    }
    buf.advance(HEAD_LEN);
    let body = buf.split_to(len).freeze();
    Ok(Some(Packet { ty, more, body }))
}

/// Parses a frame that must hold exactly one packet (WebSocket).
pub fn parse_frame(frame: &[u8]) -> Result<Packet, ProtocolError> {
    let head: &[u8; HEAD_LEN] = frame
        .get(..HEAD_LEN)
        .and_then(|h| h.try_into().ok())
        .ok_or(ProtocolError::BadFrame)?;
    let (ty, len, more) = parse_head(head)?;
    if frame.len() != HEAD_LEN + len {
        return Err(ProtocolError::BadFrame);
    }
    Ok(Packet {
        ty,
        more,
        body: Bytes::copy_from_slice(&frame[HEAD_LEN..]),
    })
}

/// [`parse_frame`] of a frame held in a [`Bytes`]: the body is a slice of
/// it, not a copy.
pub fn parse_frame_bytes(frame: Bytes) -> Result<Packet, ProtocolError> {
    let head: &[u8; HEAD_LEN] = frame
        .get(..HEAD_LEN)
        .and_then(|h| h.try_into().ok())
        .ok_or(ProtocolError::BadFrame)?;
    let (ty, len, more) = parse_head(head)?;
    if frame.len() != HEAD_LEN + len {
        return Err(ProtocolError::BadFrame);
    }
    Ok(Packet {
        ty,
        more,
        body: frame.slice(HEAD_LEN..),
    })
}

/// Appends one packet of type `ty` carrying `body` (at most [`MAX_BODY`]
/// bytes; longer Data bodies go through [`put_packets`]).
pub fn put_packet(out: &mut BytesMut, ty: PacketType, more: bool, body: &[u8]) {
    debug_assert!(body.len() <= MAX_BODY);
    out.reserve(HEAD_LEN + body.len());
    out.put_u8(ty as u8);
    let len = body.len() as u32;
    out.put_slice(&len.to_be_bytes()[1..]);
    out.put_u8(u8::from(more));
    out.put_slice(body);
}

/// Appends `body` as packets of type `ty`: one, or for a body over
/// [`MAX_BODY`] bytes, chunks of at most that many (sub-package 1 on every
/// chunk but the last). Returns how many packets were written.
pub fn put_packets(out: &mut BytesMut, ty: PacketType, body: &[u8]) -> usize {
    if body.len() <= MAX_BODY {
        put_packet(out, ty, false, body);
        return 1;
    }
    let mut chunks = body.chunks(MAX_BODY).peekable();
    let mut n = 0;
    while let Some(chunk) = chunks.next() {
        put_packet(out, ty, chunks.peek().is_some(), chunk);
        n += 1;
    }
    n
}

/// Each packet of `body` as a separate buffer (a WebSocket frame each).
pub fn packets(ty: PacketType, body: &[u8]) -> Vec<Bytes> {
    if body.len() <= MAX_BODY {
        let mut out = BytesMut::with_capacity(HEAD_LEN + body.len());
        put_packet(&mut out, ty, false, body);
        return vec![out.freeze()];
    }
    let n = body.len().div_ceil(MAX_BODY);
    body.chunks(MAX_BODY)
        .enumerate()
        .map(|(i, chunk)| {
            let mut out = BytesMut::with_capacity(HEAD_LEN + chunk.len());
            put_packet(&mut out, ty, i + 1 < n, chunk);
            out.freeze()
        })
        .collect()
}

/// Reassembles Data bodies sent as sub-packages, up to a limit.
#[derive(Debug)]
pub struct Reassembler {
    max: usize,
    parts: BytesMut,
    /// A chunk with sub-package 1 came, and its last chunk has not.
    open: bool,
}

impl Reassembler {
    /// A reassembler of bodies of at most `max` bytes.
    pub fn new(max: usize) -> Reassembler {
        Reassembler {
            max,
            parts: BytesMut::new(),
            open: false,
        }
    }

    /// Takes one Data packet: the whole body when it is the last (or only)
    /// chunk, `None` while more chunks are to come.
    pub fn push(&mut self, packet: Packet) -> Result<Option<Bytes>, ProtocolError> {
        if !self.open && !packet.more {
            if packet.body.len() > self.max {
                return Err(ProtocolError::MessageTooLarge(self.max));
            }
            return Ok(Some(packet.body));
        }
        if self.parts.len() + packet.body.len() > self.max {
            self.parts = BytesMut::new();
            self.open = false;
            return Err(ProtocolError::MessageTooLarge(self.max));
        }
        self.parts.extend_from_slice(&packet.body);
        self.open = packet.more;
        if packet.more {
            return Ok(None);
        }
        Ok(Some(std::mem::take(&mut self.parts).freeze()))
    }

    /// The bytes held for a body not yet complete.
    pub fn buffered(&self) -> usize {
        self.parts.len()
    }
}

/// A message's type (bits 5–3 of its flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum MessageType {
    /// A call the client waits for the answer of (a Response with its id).
    Request = 0,
    /// A call without an answer (sent to the backend with call id 0).
    Notify = 1,
    /// The answer to a Request.
    Response = 2,
    /// A message of the gate (a server's) to the client.
    Push = 3,
    /// The receipt of a Push that asked for one (both ways).
    Ack = 4,
}

impl MessageType {
    fn from_bits(b: u8) -> Option<MessageType> {
        Some(match b {
            0 => MessageType::Request,
            1 => MessageType::Notify,
            2 => MessageType::Response,
            3 => MessageType::Push,
            4 => MessageType::Ack,
            _ => return None,
        })
    }
}

/// What a message's data holds (bits 1–0 of its flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum DataType {
    /// The gslang encoding of values (arguments, returns).
    Binary = 0,
    /// An encoded `gate.Error`.
    Error = 1,
}

/// A message's route: text, or a number of the handshake's dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route {
    /// No route (Response, Ack).
    None,
    /// `module.Contract.Method`.
    Name(String),
    /// A number of the dictionary (compressed).
    Code(u16),
}

/// A message: the body of a (reassembled) Data packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its type.
    pub ty: MessageType,
    /// What its data holds.
    pub data_type: DataType,
    /// Its id (0: none).
    pub id: u64,
    /// Its route.
    pub route: Route,
    /// The full gslang name of the type of the data's one value, or empty.
    pub object: String,
    /// The data.
    pub data: Bytes,
}

impl Message {
    /// A message of type `ty` with binary data and nothing else set.
    pub fn new(ty: MessageType, data: impl Into<Bytes>) -> Message {
        Message {
            ty,
            data_type: DataType::Binary,
            id: 0,
            route: Route::None,
            object: String::new(),
            data: data.into(),
        }
    }

    /// Parses a Data body.
    pub fn decode(mut body: Bytes) -> Result<Message, ProtocolError> {
        let bad = ProtocolError::BadMessage;
        if body.is_empty() {
            return Err(bad("empty"));
        }
        let flag = body.get_u8();
        if flag & 0xc0 != 0 {
            return Err(bad("flag bits 7-6 set"));
        }
        let ty = MessageType::from_bits((flag >> 3) & 0x07).ok_or(bad("unknown message type"))?;
        let compressed = flag & 0x04 != 0;
        let data_type = match flag & 0x03 {
            0 => DataType::Binary,
            1 => DataType::Error,
            _ => return Err(bad("reserved data type")),
        };
        let id_bytes = take_field(&mut body, 8).ok_or(bad("message id"))?;
        let id = id_bytes
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let route_bytes = take_field(&mut body, 255).ok_or(bad("route"))?;
        let route = if compressed {
            match route_bytes.len() {
                1 => Route::Code(u16::from(route_bytes[0])),
                2 => Route::Code(u16::from_be_bytes([route_bytes[0], route_bytes[1]])),
                _ => return Err(bad("compressed route of a length other than 1 or 2")),
            }
        } else if route_bytes.is_empty() {
            Route::None
        } else {
            Route::Name(
                String::from_utf8(route_bytes.to_vec()).map_err(|_| bad("route not UTF-8"))?,
            )
        };
        let object = take_field(&mut body, 255).ok_or(bad("object name"))?;
        let object = String::from_utf8(object.to_vec()).map_err(|_| bad("object not UTF-8"))?;
        Ok(Message {
            ty,
            data_type,
            id,
            route,
            object,
            data: body,
        })
    }

    /// The encoded length.
    pub fn encoded_len(&self) -> usize {
        4 + id_len(self.id) + self.route_len() + self.object.len().min(255) + self.data.len()
    }

    fn route_len(&self) -> usize {
        match &self.route {
            Route::None => 0,
            Route::Name(name) => name.len().min(255),
            Route::Code(c) if *c <= 0xff => 1,
            Route::Code(_) => 2,
        }
    }

    /// Appends the encoding (a route or object name over 255 bytes is cut
    /// to 255: routes of a schema are shorter).
    pub fn encode(&self, out: &mut BytesMut) {
        out.reserve(self.encoded_len());
        let compressed = matches!(self.route, Route::Code(_));
        out.put_u8(((self.ty as u8) << 3) | (u8::from(compressed) << 2) | self.data_type as u8);
        let n = id_len(self.id);
        out.put_u8(n as u8);
        out.put_slice(&self.id.to_be_bytes()[8 - n..]);
        let route_len = self.route_len();
        out.put_u8(route_len as u8);
        match &self.route {
            Route::None => {}
            Route::Name(name) => out.put_slice(&name.as_bytes()[..route_len]),
            Route::Code(c) if route_len == 1 => out.put_u8(*c as u8),
            Route::Code(c) => out.put_u16(*c),
        }
        let object = &self.object.as_bytes()[..self.object.len().min(255)];
        out.put_u8(object.len() as u8);
        out.put_slice(object);
        out.put_slice(&self.data);
    }

    /// The encoding, as one buffer.
    pub fn to_bytes(&self) -> Bytes {
        let mut out = BytesMut::with_capacity(self.encoded_len());
        self.encode(&mut out);
        out.freeze()
    }
}

/// The fewest big-endian bytes that hold `id` (none for 0).
fn id_len(id: u64) -> usize {
    8 - (id.leading_zeros() / 8) as usize
}

/// A 1-byte length, then that many bytes (at most `max`).
fn take_field(body: &mut Bytes, max: usize) -> Option<Bytes> {
    if body.is_empty() {
        return None;
    }
    let n = usize::from(body.get_u8());
    if n > max || body.len() < n {
        return None;
    }
    Some(body.split_to(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stream(packets: &[(PacketType, bool, &[u8])]) -> BytesMut {
        let mut out = BytesMut::new();
        for (ty, more, body) in packets {
            put_packet(&mut out, *ty, *more, body);
        }
        out
    }

    #[test]
    fn a_head_is_type_length_big_endian_and_sub_package() {
        let out = stream(&[(PacketType::Data, true, &[0xaa; 0x0102])]);
        assert_eq!(&out[..5], &[0x04, 0x00, 0x01, 0x02, 0x01]);
        assert_eq!(
            parse_head(&[0x03, 0, 0, 0, 0]),
            Ok((PacketType::Heartbeat, 0, false))
        );
    }

    #[test]
    fn bad_heads_are_refused_before_the_body() {
        assert_eq!(
            parse_head(&[0x09, 0, 0, 0, 0]),
            Err(ProtocolError::UnknownType(9))
        );
        assert_eq!(
            parse_head(&[0x04, 0x01, 0x00, 0x01, 0]),
            Err(ProtocolError::BodyTooLarge(65_537))
        );
        assert_eq!(
            parse_head(&[0x04, 0x01, 0x00, 0x00, 0]),
            Ok((PacketType::Data, 65_536, false))
        );
        assert_eq!(
            parse_head(&[0x04, 0, 0, 0, 2]),
            Err(ProtocolError::BadSubPackage(2))
        );
        assert_eq!(
            parse_head(&[0x03, 0, 0, 0, 1]),
            Err(ProtocolError::BadSubPackage(1))
        );
        // Only the head is there: the error comes without the body.
        let mut buf = BytesMut::from(&[0x04, 0xff, 0xff, 0xff, 0][..]);
        assert!(next_packet(&mut buf).is_err());
        assert!(buf.capacity() < 1024);
    }

    #[test]
    fn packets_come_out_whole_whatever_the_reads() {
        let all = stream(&[
            (PacketType::Handshake, false, b"{}"),
            (PacketType::Heartbeat, false, b""),
            (PacketType::Data, true, b"abc"),
            (PacketType::Data, false, b"def"),
        ]);
        for split in 0..=all.len() {
            let mut buf = BytesMut::new();
            let mut got = Vec::new();
            for part in [&all[..split], &all[split..]] {
                buf.extend_from_slice(part);
                while let Some(p) = next_packet(&mut buf).unwrap() {
                    got.push(p);
                }
            }
            assert_eq!(got.len(), 4, "split at {split}");
            assert_eq!(got[0].body, &b"{}"[..]);
            assert!(got[2].more && !got[3].more);
        }
    }

    #[test]
    fn a_frame_is_exactly_one_packet() {
        let one = stream(&[(PacketType::Heartbeat, false, b"")]);
        assert_eq!(parse_frame(&one).unwrap().ty, PacketType::Heartbeat);
        let two = stream(&[
            (PacketType::Heartbeat, false, b""),
            (PacketType::Heartbeat, false, b""),
        ]);
        assert_eq!(parse_frame(&two), Err(ProtocolError::BadFrame));
        assert_eq!(parse_frame(&one[..3]), Err(ProtocolError::BadFrame));
    }

    #[test]
    fn large_bodies_travel_as_chunks_and_are_reassembled_up_to_the_limit() {
        let body: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        let mut out = BytesMut::new();
        assert_eq!(put_packets(&mut out, PacketType::Data, &body), 4);
        assert_eq!(packets(PacketType::Data, &body).len(), 4);
        let mut r = Reassembler::new(DEFAULT_MAX_MESSAGE);
        let mut whole = None;
        while let Some(p) = next_packet(&mut out).unwrap() {
            assert!(whole.is_none());
            whole = r.push(p).unwrap();
        }
        assert_eq!(whole.unwrap(), body);

        let mut out = BytesMut::new();
        put_packets(&mut out, PacketType::Data, &body);
        let mut r = Reassembler::new(100_000);
        let mut result = Ok(None);
        while let Some(p) = next_packet(&mut out).unwrap() {
            result = r.push(p);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(ProtocolError::MessageTooLarge(100_000)));
        assert_eq!(r.buffered(), 0);
    }

    #[test]
    fn messages_carry_flag_id_route_object_and_data() {
        let m = Message {
            ty: MessageType::Request,
            data_type: DataType::Binary,
            id: 0x0102,
            route: Route::Name("chat.Room.Join".into()),
            object: String::new(),
            data: Bytes::from_static(b"\x01x"),
        };
        let bytes = m.to_bytes();
        assert_eq!(
            &bytes[..],
            b"\x00\x02\x01\x02\x0echat.Room.Join\x00\x01x".as_slice()
        );
        assert_eq!(Message::decode(bytes).unwrap(), m);

        let push = Message {
            ty: MessageType::Push,
            data_type: DataType::Error,
            id: 0,
            route: Route::Code(0x1234),
            object: "chat.Said".into(),
            data: Bytes::new(),
        };
        let bytes = push.to_bytes();
        assert_eq!(bytes[0], (3 << 3) | 0x04 | 1);
        assert_eq!(Message::decode(bytes).unwrap(), push);
    }

    #[test]
    fn bad_messages_are_errors() {
        for bad in [
            &b""[..],
            b"\x80\x00\x00\x00",         // bits 7-6
            b"\x28\x00\x00\x00",         // type 5
            b"\x02\x00\x00\x00",         // data type 2
            b"\x00\x09\x00",             // a 9-byte id
            b"\x00\x00\x05ab",           // a route longer than the rest
            b"\x04\x00\x03abc\x00",      // a 3-byte compressed route
            b"\x04\x00\x00\x00",         // an empty compressed route
            b"\x00\x00\x02\xff\xfe\x00", // a route that is not UTF-8
            b"\x00\x00\x00",             // no object length
        ] {
            assert!(
                Message::decode(Bytes::copy_from_slice(bad)).is_err(),
                "{bad:?}"
            );
        }
    }

    fn message() -> impl Strategy<Value = Message> {
        (
            0u8..5,
            0u8..2,
            any::<u64>(),
            prop_oneof![
                Just(Route::None),
                "[a-zA-Z.]{1,40}".prop_map(Route::Name),
                any::<u16>().prop_map(Route::Code),
            ],
            "[a-z.]{0,20}",
            proptest::collection::vec(any::<u8>(), 0..300),
        )
            .prop_map(|(ty, dt, id, route, object, data)| Message {
                ty: MessageType::from_bits(ty).unwrap(),
                data_type: if dt == 0 {
                    DataType::Binary
                } else {
                    DataType::Error
                },
                id,
                route,
                object,
                data: data.into(),
            })
    }

    proptest! {
        #[test]
        fn messages_round_trip(m in message()) {
            let bytes = m.to_bytes();
            prop_assert_eq!(bytes.len(), m.encoded_len());
            prop_assert_eq!(Message::decode(bytes).unwrap(), m);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = Message::decode(Bytes::copy_from_slice(&bytes));
            let _ = parse_frame(&bytes);
            prop_assert_eq!(parse_frame(&bytes), parse_frame_bytes(Bytes::copy_from_slice(&bytes)));
            let mut buf = BytesMut::from(&bytes[..]);
            let mut r = Reassembler::new(1000);
            while let Ok(Some(p)) = next_packet(&mut buf) {
                prop_assert!(p.body.len() <= MAX_BODY);
                if p.ty == PacketType::Data && r.push(p).is_err() {
                    break;
                }
                prop_assert!(r.buffered() <= 1000);
            }
        }

        #[test]
        fn chunked_bodies_reassemble(len in 0usize..300_000) {
            let body = vec![7u8; len];
            let mut out = BytesMut::new();
            put_packets(&mut out, PacketType::Data, &body);
            let mut r = Reassembler::new(DEFAULT_MAX_MESSAGE);
            let mut whole = None;
            while let Some(p) = next_packet(&mut out).unwrap() {
                whole = r.push(p).unwrap();
            }
            prop_assert_eq!(whole.unwrap().len(), len);
        }
    }
}
