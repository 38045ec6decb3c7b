//! The test vectors and rejected inputs of the wire format spec, verbatim.

use std::fmt::Debug;

use gscluster::encoding::varint_len;
use gscluster::{DecodeErrorKind, Reader, Wire, Writer, from_bytes, to_bytes};

/// Parses space-separated hex bytes, e.g. `"fe ff"`.
fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

/// `value` encodes to exactly `bytes`, its `encoded_len` is their length, and
/// `bytes` decode back to `value`.
#[track_caller]
fn vector<T: Wire + PartialEq + Debug>(value: T, bytes: &str) {
    let bytes = hex(bytes);
    assert_eq!(to_bytes(&value), bytes, "encoding of {value:?}");
    assert_eq!(value.encoded_len(), bytes.len(), "encoded_len of {value:?}");
    assert_eq!(
        from_bytes::<T>(&bytes).unwrap(),
        value,
        "decoding of {bytes:02x?}"
    );
}

#[track_caller]
fn rejected<T: Wire + Debug>(bytes: &str) -> DecodeErrorKind {
    let bytes = hex(bytes);
    match from_bytes::<T>(&bytes) {
        Ok(v) => panic!("{bytes:02x?} decoded to {v:?}"),
        Err(e) => e.kind(),
    }
}

#[test]
fn bool_true() {
    vector(true, "01");
    vector(false, "00");
}

#[test]
fn byte_200() {
    vector(200u8, "c8");
}

#[test]
fn sbyte_minus_1() {
    vector(-1i8, "ff");
}

#[test]
fn int16_minus_2() {
    vector(-2i16, "fe ff");
}

#[test]
fn uint16_0x1234() {
    vector(0x1234u16, "34 12");
}

#[test]
fn int32_minus_2() {
    vector(-2i32, "fe ff ff ff");
}

#[test]
fn uint32_0x01020304() {
    vector(0x0102_0304u32, "04 03 02 01");
}

#[test]
fn uint64_1() {
    vector(1u64, "01 00 00 00 00 00 00 00");
}

#[test]
fn float32_1_5() {
    vector(1.5f32, "00 00 c0 3f");
}

#[test]
fn float64_minus_0_5() {
    vector(-0.5f64, "00 00 00 00 00 00 e0 bf");
}

#[test]
fn string_empty() {
    vector(String::new(), "00");
}

#[test]
fn string_hello() {
    vector("héllo".to_string(), "06 68 c3 a9 6c 6c 6f");
}

#[test]
fn varints() {
    for (v, bytes) in [
        (127u32, "7f"),
        (128, "80 01"),
        (300, "ac 02"),
        (16384, "80 80 01"),
        (u32::MAX, "ff ff ff ff 0f"),
    ] {
        let bytes = hex(bytes);
        let mut buf = Vec::new();
        Writer::new(&mut buf).put_varint(v);
        assert_eq!(buf, bytes, "varint {v}");
        assert_eq!(varint_len(v), bytes.len(), "varint_len {v}");
        let mut r = Reader::new(&bytes);
        assert_eq!(r.read_varint().unwrap(), v);
        r.finish().unwrap();
    }
}

#[test]
fn list_of_uint16() {
    vector(vec![1u16, 2], "02 01 00 02 00");
}

#[test]
fn array_of_3_bytes() {
    vector([1u8, 2, 3], "01 02 03");
}

#[test]
fn list_of_lists_of_bytes() {
    vector(vec![vec![0xaau8], vec![]], "02 01 aa 00");
}

#[test]
fn rejects_bool_02() {
    assert_eq!(rejected::<bool>("02"), DecodeErrorKind::InvalidBool(2));
}

#[test]
fn rejects_varint_of_6_bytes() {
    let bytes = hex("80 80 80 80 80 01");
    let e = Reader::new(&bytes).read_varint().unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::InvalidVarint);
    assert_eq!(e.offset(), 0);
    // And as the count of a list.
    assert_eq!(
        rejected::<Vec<u8>>("80 80 80 80 80 01"),
        DecodeErrorKind::InvalidVarint
    );
}

#[test]
fn rejects_non_minimal_varint() {
    let bytes = hex("80 00");
    let e = Reader::new(&bytes).read_varint().unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::NonMinimalVarint);
    assert_eq!(
        rejected::<String>("80 00"),
        DecodeErrorKind::NonMinimalVarint
    );
}

#[test]
fn rejects_varint_above_u32_max() {
    let bytes = hex("ff ff ff ff 1f");
    let e = Reader::new(&bytes).read_varint().unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::InvalidVarint);
}

#[test]
fn rejects_invalid_utf8() {
    assert_eq!(rejected::<String>("02 c3 28"), DecodeErrorKind::InvalidUtf8);
    let e = from_bytes::<String>(&hex("02 c3 28")).unwrap_err();
    assert_eq!(e.offset(), 1, "offset of the first bad byte");
}

#[test]
fn rejects_truncated_list() {
    assert!(matches!(
        rejected::<Vec<u16>>("03 01 00"),
        DecodeErrorKind::LengthTooLarge {
            len: 3,
            remaining: 2
        }
    ));
}

#[test]
fn rejects_uint32_of_3_bytes() {
    assert_eq!(
        rejected::<u32>("01 02 03"),
        DecodeErrorKind::UnexpectedEof {
            needed: 4,
            available: 3
        }
    );
}

#[test]
fn rejects_an_extra_byte() {
    let trailing = DecodeErrorKind::TrailingBytes { count: 1 };
    assert_eq!(rejected::<bool>("01 00"), trailing);
    assert_eq!(rejected::<u8>("c8 00"), trailing);
    assert_eq!(rejected::<u32>("04 03 02 01 00"), trailing);
    assert_eq!(rejected::<f64>("00 00 00 00 00 00 e0 bf 00"), trailing);
    assert_eq!(rejected::<String>("00 00"), trailing);
    assert_eq!(rejected::<Vec<u16>>("02 01 00 02 00 00"), trailing);
    assert_eq!(rejected::<[u8; 3]>("01 02 03 04"), trailing);
    assert_eq!(rejected::<Vec<Vec<u8>>>("02 01 aa 00 ff"), trailing);
    let e = from_bytes::<u8>(&hex("c8 00")).unwrap_err();
    assert_eq!(e.offset(), 1);
}

/// The packet vectors of wire.md §1, with the generated protocol types.
mod packets {
    use gscluster::proto::{Call, Code, Message, Param};

    const CALL: [u8; 12] = [
        0x01, 0x00, 0x02, 0x00, 0x04, 0x03, 0x02, 0x01, 0x02, 0x01, 0xaa, 0x00,
    ];

    fn call() -> Call {
        Call {
            id: 1,
            method: 2,
            service: 0x0102_0304,
            params: vec![
                Param {
                    content: vec![0xaa],
                },
                Param { content: vec![] },
            ],
        }
    }

    #[test]
    fn call_vector() {
        assert_eq!(gscluster::to_bytes(&call()), CALL);
        assert_eq!(
            gscluster::from_bytes::<Call>(&CALL).expect("decodes"),
            call()
        );
    }

    #[test]
    fn message_vector() {
        let message = Message {
            code: Code::Call,
            content: CALL.to_vec(),
        };
        let mut expected = vec![0x04, 0x0c];
        expected.extend_from_slice(&CALL);
        assert_eq!(gscluster::to_bytes(&message), expected);
        assert_eq!(
            gscluster::from_bytes::<Message>(&expected).expect("decodes"),
            message
        );
    }

    #[test]
    fn unknown_packet_code_is_rejected() {
        let err = gscluster::from_bytes::<Message>(&[0x08, 0x00]).expect_err("no code 8");
        assert_eq!(err.offset(), 0);
        assert_eq!(err.field(), Some("Message.Code"));
        assert!(err.to_string().contains("Code"), "{err}");
    }

    #[test]
    fn fault_codes() {
        use gscluster::gslang::Fault;
        assert_eq!(i32::from(Fault::Timeout), 6);
        assert_eq!(Fault::try_from(3), Ok(Fault::BadRequest));
    }
}
