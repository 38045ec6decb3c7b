//! Round trips of every primitive and of nested lists, arrays and strings; strict
//! prefixes of valid encodings are rejected.

use std::fmt::Debug;

use gscluster::{
    DecodeErrorKind, Limits, Wire, decode_prefix, decode_prefix_with_limits, encode_into,
    encode_into_buf_mut, from_bytes, to_bytes,
};

/// Encodes, checks `encoded_len`, decodes back, re-encodes, and checks that every
/// strict prefix of the encoding is rejected. Returns the encoding.
#[track_caller]
fn round_trip<T: Wire + PartialEq + Debug>(value: T) -> Vec<u8> {
    let bytes = to_bytes(&value);
    assert_eq!(value.encoded_len(), bytes.len(), "encoded_len of {value:?}");
    let back = from_bytes::<T>(&bytes).unwrap();
    assert_eq!(back, value);
    assert_eq!(to_bytes(&back), bytes);
    // The same bytes appended to a `BytesMut` and through `BufMut`.
    let mut frame = bytes::BytesMut::from(&b"head"[..]);
    encode_into(&value, &mut frame);
    assert_eq!(&frame[4..], &bytes[..]);
    let mut out = b"head".to_vec();
    encode_into_buf_mut(&value, &mut out);
    assert_eq!(&out[4..], &bytes[..]);
    // A prefix decode leaves what follows.
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"tail");
    let (front, rest) = decode_prefix::<T>(&longer).unwrap();
    assert_eq!((front, rest), (value, &b"tail"[..]));
    for cut in 0..bytes.len() {
        assert!(
            from_bytes::<T>(&bytes[..cut]).is_err(),
            "prefix of {cut} of {} bytes accepted",
            bytes.len()
        );
    }
    bytes
}

#[test]
fn primitives() {
    for v in [false, true] {
        round_trip(v);
    }
    for v in [0u8, 1, 127, 128, 255] {
        round_trip(v);
    }
    for v in [i8::MIN, -1, 0, 1, i8::MAX] {
        round_trip(v);
    }
    for v in [0u16, 1, 0x1234, u16::MAX] {
        round_trip(v);
    }
    for v in [i16::MIN, -2, 0, i16::MAX] {
        round_trip(v);
    }
    for v in [0u32, 1, 0xdead_beef, u32::MAX] {
        round_trip(v);
    }
    for v in [i32::MIN, -2, 0, i32::MAX] {
        round_trip(v);
    }
    for v in [0u64, 1, u64::MAX] {
        round_trip(v);
    }
    for v in [i64::MIN, -1, 0, i64::MAX] {
        round_trip(v);
    }
    for v in [
        0.0f32,
        -0.0,
        1.5,
        f32::MIN_POSITIVE,
        f32::INFINITY,
        f32::MAX,
    ] {
        round_trip(v);
    }
    for v in [0.0f64, -0.5, f64::EPSILON, f64::NEG_INFINITY, f64::MIN] {
        round_trip(v);
    }
    for v in ["", "a", "héllo", "日本語", &"x".repeat(300)] {
        round_trip(v.to_string());
    }
}

#[test]
fn nan_keeps_its_bits() {
    for bits in [0x7fc0_0000u32, 0xffc0_0001, 0x7f80_0001] {
        let v = f32::from_bits(bits);
        assert_eq!(from_bytes::<f32>(&to_bytes(&v)).unwrap().to_bits(), bits);
        let list = vec![v, v];
        let back = from_bytes::<Vec<f32>>(&to_bytes(&list)).unwrap();
        assert!(back.iter().all(|x| x.to_bits() == bits));
    }
}

#[test]
fn lists_of_every_primitive() {
    round_trip(vec![true, false, true]);
    round_trip(vec![1u8, 2, 3]);
    round_trip(vec![-1i8, 0, 1]);
    round_trip(vec![1u16, u16::MAX]);
    round_trip(vec![-1i16, i16::MIN]);
    round_trip(vec![1u32, u32::MAX]);
    round_trip(vec![-1i32, i32::MIN]);
    round_trip(vec![1u64, u64::MAX]);
    round_trip(vec![-1i64, i64::MIN]);
    round_trip(vec![1.5f32, -0.0]);
    round_trip(vec![1.5f64, -0.0]);
    round_trip(vec!["a".to_string(), String::new(), "héllo".to_string()]);
    round_trip(Vec::<u64>::new());
}

#[test]
fn long_lists_have_multi_byte_counts() {
    let v: Vec<u16> = (0..300).collect();
    let bytes = round_trip(v);
    assert_eq!(&bytes[..2], &[0xac, 0x02]);
    let v: Vec<u8> = (0..=255).cycle().take(20_000).collect();
    let bytes = to_bytes(&v);
    assert_eq!(bytes.len(), 3 + 20_000);
    assert_eq!(from_bytes::<Vec<u8>>(&bytes).unwrap(), v);
}

#[test]
fn nested() {
    round_trip(vec![vec![0xaau8], vec![]]);
    round_trip(vec![vec![vec![1u32, 2], vec![]], vec![vec![3]]]);
    round_trip(vec![vec!["a".to_string()], vec![]]);
    round_trip([[1u8; 40], [2u8; 40]]);
    round_trip([[1u16, 2], [3, 4], [5, 6]]);
    round_trip(vec![[1.5f32, 2.5], [3.5, 4.5]]);
    round_trip([vec![1i64], vec![], vec![2, 3]]);
    round_trip(["a".to_string(), "bc".to_string()]);
    round_trip(Box::new(7u32));
    round_trip((1u64, -1i8, true));
    round_trip((String::from("x"), vec![1u16], [2u8; 3], 4.0f64, (), 5i32));
}

#[test]
fn arrays_beyond_32() {
    let bytes = round_trip([[7u8; 40]; 2]);
    assert_eq!(bytes.len(), 80);
    let mut big = [0u16; 1000];
    for (i, x) in big.iter_mut().enumerate() {
        *x = i as u16 * 7;
    }
    let bytes = round_trip(big);
    assert_eq!(bytes.len(), 2000);
    assert_eq!(&bytes[..4], &[0, 0, 7, 0]);
    round_trip([true; 33]);
    round_trip([-1i8; 100]);
    let strings: [String; 40] = std::array::from_fn(|i| "s".repeat(i));
    round_trip(strings);
    let lists: [Vec<u8>; 35] = std::array::from_fn(|i| vec![i as u8; i]);
    round_trip(lists);
}

#[test]
fn large_array_on_the_heap() {
    // The largest array the format allows: 65535 elements.
    let v: Box<[u8; 65535]> = Box::new([3u8; 65535]);
    let bytes = to_bytes(&v);
    assert_eq!(bytes.len(), 65535);
    let back = from_bytes::<Box<[u8; 65535]>>(&bytes).unwrap();
    assert_eq!(back, v);
}

#[test]
fn array_decode_error_drops_the_decoded_prefix() {
    // Strings 0 and 1 decode, string 2 is bad: the two are dropped, not leaked
    // (checked under miri), and nothing panics.
    let bytes = [1, b'a', 1, b'b', 1, 0xff];
    let e = from_bytes::<[String; 3]>(&bytes).unwrap_err();
    assert_eq!(e.kind(), gscluster::DecodeErrorKind::InvalidUtf8);
    assert_eq!(e.offset(), 5);
}

#[test]
fn encode_into_appends() {
    let mut buf = vec![9u8];
    encode_into(&"hi".to_string(), &mut buf);
    encode_into(&vec![1u16], &mut buf);
    assert_eq!(buf, [9, 2, b'h', b'i', 1, 1, 0]);
}

#[test]
fn to_bytes_allocates_exactly() {
    let v = vec![vec!["abc".to_string(); 3]; 200];
    let bytes = to_bytes(&v);
    assert_eq!(bytes.capacity(), bytes.len());
}

/// A hand-written impl whose `encoded_len` lies: encoding is still safe and correct.
#[derive(Debug, PartialEq)]
struct Liar(Vec<u32>);

impl Wire for Liar {
    const MIN_LEN: usize = 1;
    fn encoded_len(&self) -> usize {
        0
    }
    fn encode(&self, w: &mut gscluster::Writer<'_>) {
        self.0.encode(w);
    }
    fn decode(r: &mut gscluster::Reader<'_>) -> Result<Self, gscluster::DecodeError> {
        Vec::decode(r).map(Liar)
    }
}

#[test]
fn lying_encoded_len_is_safe() {
    let v = Liar((0..1000).collect());
    let bytes = to_bytes(&v);
    assert_eq!(bytes.len(), 2 + 4000);
    assert_eq!(from_bytes::<Liar>(&bytes).unwrap(), v);
}

#[test]
fn decode_prefix_reads_values_one_after_another() {
    let mut bytes = to_bytes(&vec![1u16, 2]);
    encode_into(&String::from("x"), &mut bytes);
    encode_into(&true, &mut bytes);
    let (list, rest) = decode_prefix::<Vec<u16>>(&bytes).unwrap();
    assert_eq!(list, [1, 2]);
    let (s, rest) = decode_prefix::<String>(rest).unwrap();
    assert_eq!(s, "x");
    let (b, rest) = decode_prefix::<bool>(rest).unwrap();
    assert!(b && rest.is_empty());
    // Errors are at offsets in the whole input, as for `from_bytes`.
    let e = decode_prefix::<(u8, bool)>(&[0, 2, 9]).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::InvalidBool(2));
    assert_eq!(e.offset(), 1);
    let e = decode_prefix::<u32>(&[1, 2]).unwrap_err();
    assert!(matches!(e.kind(), DecodeErrorKind::UnexpectedEof { .. }));
    // Limits apply.
    let zero_sized = to_bytes(&vec![(); 5]);
    let limits = Limits::new().with_max_zero_sized_len(4);
    assert!(decode_prefix_with_limits::<Vec<()>>(&zero_sized, limits).is_err());
    assert!(decode_prefix::<Vec<()>>(&zero_sized).is_ok());
}
