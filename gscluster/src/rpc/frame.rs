//! Messages on a connection (wire.md §2): a code byte, the content's length
//! as a varint, the content. Reading checks the length against the limit
//! before anything of the content is read or allocated; writing appends to
//! the connection's write buffer, sealing in place when the connection is
//! encrypted. Calls, returns and error returns, the hot path, are encoded
//! and parsed here by hand, their params as slices of the message.

use bytes::{Buf, BufMut, BytesMut};

use super::crypto::{Direction, TAG_LEN};
use crate::{DecodeError, Reader, Wire, Writer};

/// The message codes of `gscluster.gs`.
pub(crate) mod code {
    pub const WHO_AM_I: u8 = 0;
    pub const ACCEPT: u8 = 1;
    pub const REJECT: u8 = 2;
    pub const DH_EXCHANGE: u8 = 3;
    pub const CALL: u8 = 4;
    pub const RETURN: u8 = 5;
    pub const CER: u8 = 6;
    pub const ERR_RETURN: u8 = 7;
}

/// Why the bytes on a connection are not a message: the connection closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameError {
    /// The length is not a valid varint.
    BadLength,
    /// The content is longer than the limit.
    TooLarge(u64),
}

/// The next message in `buf`, if it holds one whole: its code and content.
/// `Ok(None)` means more bytes are needed; the buffer is reserved for the
/// whole message, so that it arrives in as few reads as the kernel allows.
pub(crate) fn next_message(
    buf: &mut BytesMut,
    max: usize,
) -> Result<Option<(u8, BytesMut)>, FrameError> {
    let Some(&code) = buf.first() else {
        return Ok(None);
    };
    let mut len: u64 = 0;
    let mut header = 1;
    loop {
        let Some(&b) = buf.get(header) else {
            return Ok(None);
        };
        if header == 5 && b > 0x0f {
            return Err(FrameError::BadLength);
        }
        len |= u64::from(b & 0x7f) << (7 * (header - 1));
        header += 1;
        if b & 0x80 == 0 {
            if b == 0 && header > 2 {
                return Err(FrameError::BadLength);
            }
            break;
        }
    }
    if len > max as u64 {
        return Err(FrameError::TooLarge(len));
    }
    let total = header + len as usize;
    if buf.len() < total {
        buf.reserve(total - buf.len());
        return Ok(None);
    }
    let mut content = buf.split_to(total);
    content.advance(header);
    Ok(Some((code, content)))
}

/// Appends one message whose content `write` writes (exactly `len` bytes),
/// sealing it with `seal` when the connection is encrypted.
pub(crate) fn put_message(
    out: &mut BytesMut,
    code: u8,
    len: usize,
    seal: Option<&mut Direction>,
    write: impl FnOnce(&mut Writer<'_>),
) {
    let sealed_len = len + if seal.is_some() { TAG_LEN } else { 0 };
    out.reserve(1 + 5 + sealed_len);
    out.put_u8(code);
    let mut w = Writer::new(out);
    w.put_len(sealed_len);
    let start = w.len();
    write(&mut w);
    debug_assert_eq!(w.len() - start, len, "a content's length is exact");
    drop(w);
    if let Some(dir) = seal {
        let start = out.len() - len;
        let tag = dir.seal(code, &mut out[start..]);
        out.put_slice(&tag);
    }
}

/// Appends a message whose content is the encoding of `value`.
pub(crate) fn put_value<T: Wire>(
    out: &mut BytesMut,
    code: u8,
    value: &T,
    seal: Option<&mut Direction>,
) {
    put_message(out, code, value.encoded_len(), seal, |w| value.encode(w));
}

/// The values a call carries, encoded as its `Params` (or a return's): a
/// count, then each value length-prefixed. Implemented for tuples of
/// [`Wire`] values of up to 16 elements.
pub trait Params: Sized + Send + Sync + 'static {
    /// The encoded size of the list.
    fn params_len(&self) -> usize;
    /// Encodes the list.
    fn encode_params(&self, w: &mut Writer<'_>);
    /// Decodes the list, which must hold exactly as many values as the
    /// tuple, each spanning its param, and nothing after.
    fn decode_params(bytes: &[u8]) -> Result<Self, DecodeError>;
}

/// Reads a `Params` list: its count, then each param's value.
#[doc(hidden)]
#[derive(Debug)]
pub struct ParamReader<'a> {
    r: Reader<'a>,
}

impl<'a> ParamReader<'a> {
    /// Starts reading a list that must have `count` params.
    pub fn new(bytes: &'a [u8], count: usize) -> Result<ParamReader<'a>, DecodeError> {
        let mut r = Reader::new(bytes);
        let at = r.position();
        let n = r.read_len()?;
        if n != count {
            return Err(DecodeError::new(
                crate::DecodeErrorKind::WrongCount {
                    expected: count,
                    found: n,
                },
                at,
            ));
        }
        Ok(ParamReader { r })
    }

    /// The next param's value, which must span the param (the offset of
    /// an error is within the param).
    pub fn next<T: Wire>(&mut self) -> Result<T, DecodeError> {
        let len = self.r.read_len()?;
        let bytes = self.r.take(len)?;
        crate::from_bytes::<T>(bytes)
    }

    /// Ends the list: nothing may follow it.
    pub fn finish(self) -> Result<(), DecodeError> {
        self.r.finish()
    }
}

fn param_len<T: Wire>(value: &T) -> usize {
    let n = value.encoded_len();
    crate::encoding::len_prefix_len(n) + n
}

fn put_param<T: Wire>(w: &mut Writer<'_>, value: &T) {
    w.put_len(value.encoded_len());
    value.encode(w);
}

macro_rules! params {
    ($count:literal $(, $name:ident $index:tt)*) => {
        impl<$($name: Wire + Send + Sync + 'static),*> Params for ($($name,)*) {
            #[inline]
            fn params_len(&self) -> usize {
                1 $(+ param_len(&self.$index))*
            }

            #[inline]
            #[allow(unused_variables)]
            fn encode_params(&self, w: &mut Writer<'_>) {
                w.put_u8($count);
                $(put_param(w, &self.$index);)*
            }

            #[inline]
            #[allow(unused_mut)]
            fn decode_params(bytes: &[u8]) -> Result<Self, DecodeError> {
                let mut p = ParamReader::new(bytes, $count)?;
                let value = ($(p.next::<$name>()?,)*);
                p.finish()?;
                Ok(value)
            }
        }
    };
}

params!(0);
params!(1, A 0);
params!(2, A 0, B 1);
params!(3, A 0, B 1, C 2);
params!(4, A 0, B 1, C 2, D 3);
params!(5, A 0, B 1, C 2, D 3, E 4);
params!(6, A 0, B 1, C 2, D 3, E 4, F 5);
params!(7, A 0, B 1, C 2, D 3, E 4, F 5, G 6);
params!(8, A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
params!(9, A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
params!(10, A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
params!(11, A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
params!(12, A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
params!(13, A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12);
params!(14, A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13);
params!(15, A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14);
params!(16, A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15);

/// A `Params` list already encoded, passed through as it is (the tower
/// layers see calls this way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedParams(pub bytes::Bytes);

impl EncodedParams {
    /// Encodes `params` as a list.
    pub fn encode<P: Params>(params: &P) -> EncodedParams {
        let mut buf = Vec::with_capacity(params.params_len());
        params.encode_params(&mut Writer::new(&mut buf));
        EncodedParams(buf.into())
    }

    /// Encodes `value` as a list of one.
    pub fn encode_one<V: Wire>(value: &V) -> EncodedParams {
        let mut buf = Vec::with_capacity(1 + param_len(value));
        let mut w = Writer::new(&mut buf);
        w.put_u8(1);
        put_param(&mut w, value);
        drop(w);
        EncodedParams(buf.into())
    }

    /// Decodes the list as `P`.
    pub fn decode<P: Params>(&self) -> Result<P, DecodeError> {
        P::decode_params(&self.0)
    }
}

impl Params for EncodedParams {
    fn params_len(&self) -> usize {
        self.0.len()
    }

    fn encode_params(&self, w: &mut Writer<'_>) {
        w.put_bytes(&self.0);
    }

    /// Takes the bytes as they are: a list is checked when it is decoded
    /// as the tuple it holds.
    fn decode_params(bytes: &[u8]) -> Result<Self, DecodeError> {
        Ok(EncodedParams(bytes::Bytes::copy_from_slice(bytes)))
    }
}

/// The most params (or returns) a method may have: the arity of the
/// largest tuple [`Params`] is implemented for.
pub const MAX_PARAMS: usize = 16;

/// A parsed `Call` header, and its params.
#[derive(Debug)]
pub(crate) struct CallHeader {
    pub id: u16,
    pub method: u16,
    pub service: u32,
}

/// Splits a `Call` content into its header and its `Params` list. `None`
/// when it is too short to hold even its id (the connection closes); an
/// id with a short header is a bad request.
pub(crate) fn parse_call(content: &[u8]) -> Option<Result<(CallHeader, &[u8]), u16>> {
    let id = u16::from_le_bytes(content.get(..2)?.try_into().ok()?);
    let Some(rest) = content.get(2..CALL_HEADER) else {
        return Some(Err(id));
    };
    let method = u16::from_le_bytes([rest[0], rest[1]]);
    let service = u32::from_le_bytes([rest[2], rest[3], rest[4], rest[5]]);
    Some(Ok((
        CallHeader {
            id,
            method,
            service,
        },
        &content[CALL_HEADER..],
    )))
}

/// The id of a `Return` or `ErrReturn`, and the rest after `ID` and `Service`.
pub(crate) fn parse_answer(content: &[u8]) -> Option<(u16, &[u8])> {
    let id = u16::from_le_bytes(content.get(..2)?.try_into().ok()?);
    let rest = content.get(ANSWER_HEADER..)?;
    Some((id, rest))
}

/// The bytes of a `Call`'s content before its params: `ID`, `Method`, `Service`.
pub(crate) const CALL_HEADER: usize = 8;

/// The bytes of a `Return`'s content before its params: `ID`, `Service`.
pub(crate) const ANSWER_HEADER: usize = 6;

/// An `ErrReturn`'s domain and code, after `ID` and `Service`.
pub(crate) fn parse_err(rest: &[u8]) -> Result<(&[u8], i32), DecodeError> {
    let mut r = Reader::new(rest);
    let len = r.read_len()?;
    let domain = r.take(len)?;
    let code = i32::decode(&mut r)?;
    r.finish()?;
    Ok((domain, code))
}

/// Appends a `Call`.
pub(crate) fn put_call<P: Params>(
    out: &mut BytesMut,
    seal: Option<&mut Direction>,
    id: u16,
    method: u16,
    service: u32,
    params: &P,
) {
    put_message(out, code::CALL, 8 + params.params_len(), seal, |w| {
        w.put_u16(id);
        w.put_u16(method);
        w.put_u32(service);
        params.encode_params(w);
    });
}

/// Appends a `Return`.
pub(crate) fn put_return<R: Params>(
    out: &mut BytesMut,
    seal: Option<&mut Direction>,
    id: u16,
    service: u32,
    returns: &R,
) {
    put_message(out, code::RETURN, 6 + returns.params_len(), seal, |w| {
        w.put_u16(id);
        w.put_u32(service);
        returns.encode_params(w);
    });
}

/// Appends an `ErrReturn`: `domain` empty for a fault.
pub(crate) fn put_err(
    out: &mut BytesMut,
    seal: Option<&mut Direction>,
    id: u16,
    service: u32,
    domain: Option<[u8; 16]>,
    code: i32,
) {
    let domain: &[u8] = match &domain {
        Some(d) => d,
        None => &[],
    };
    put_message(out, code::ERR_RETURN, 6 + 1 + domain.len() + 4, seal, |w| {
        w.put_u16(id);
        w.put_u32(service);
        w.put_u8(domain.len() as u8);
        w.put_bytes(domain);
        w.put_u32(code as u32);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_split_whole_and_checked_before_their_content() {
        // wire.md's test vectors: Call{ID:1, Method:2, Service:0x01020304,
        // Params:[{Content:[aa]}, {Content:[]}]}, in a Message.
        let mut call = BytesMut::new();
        put_call(&mut call, None, 1, 2, 0x01020304, &(0xaau8, ()));
        assert_eq!(&call[..], [4, 12, 1, 0, 2, 0, 4, 3, 2, 1, 2, 1, 0xaa, 0]);
        let mut out = BytesMut::new();
        put_value(&mut out, code::CER, &(true, String::from("a.B")), None);
        out.extend_from_slice(&call);
        let mut buf = BytesMut::from(&out[..3]);
        assert_eq!(next_message(&mut buf, 100), Ok(None));
        let mut buf = out.clone();
        let (c, content) = next_message(&mut buf, 100).expect("ok").expect("whole");
        assert_eq!(
            (c, &content[..]),
            (code::CER, &[1, 3, b'a', b'.', b'B'][..])
        );
        let (c, content) = next_message(&mut buf, 100).expect("ok").expect("whole");
        assert_eq!(c, code::CALL);
        let (header, params) = parse_call(&content).expect("id").expect("header");
        assert_eq!(
            (header.id, header.method, header.service),
            (1, 2, 0x01020304)
        );
        let (a, ()) = <(u8, ())>::decode_params(params).expect("decodes");
        assert_eq!(a, 0xaa);
        assert!(buf.is_empty());
        // Over the limit: refused from the header alone.
        let mut big = BytesMut::from(&[4u8, 0x80, 0x80, 0x04][..]);
        assert_eq!(
            next_message(&mut big, (1 << 16) - 1),
            Err(FrameError::TooLarge(1 << 16))
        );
        assert!(big.capacity() < 1 << 16);
        let mut bad = BytesMut::from(&[4u8, 0x80, 0x00][..]);
        assert_eq!(next_message(&mut bad, 100), Err(FrameError::BadLength));
    }

    #[test]
    fn params_must_be_exact() {
        let mut buf = Vec::new();
        let mut w = Writer::new(&mut buf);
        (5u32, String::from("x")).encode_params(&mut w);
        drop(w);
        assert!(<(u32, String)>::decode_params(&buf).is_ok());
        assert!(<(u32,)>::decode_params(&buf).is_err());
        let mut trailing = buf.clone();
        trailing.push(0);
        assert!(<(u32, String)>::decode_params(&trailing).is_err());
        // A param with a byte more than its value.
        let padded = [1u8, 5, 1, 0, 0, 0, 9];
        assert!(<(u32,)>::decode_params(&padded).is_err());
        let exact = [1u8, 4, 1, 0, 0, 0];
        assert_eq!(<(u32,)>::decode_params(&exact).expect("exact"), (1,));
    }
}
