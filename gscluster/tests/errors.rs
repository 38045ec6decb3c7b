//! `DecodeError`: kind, offset, field, and how it displays.

use gscluster::encoding::field;
use gscluster::{DecodeError, DecodeErrorKind, Reader, Wire, Writer, from_bytes};

#[derive(Debug, PartialEq)]
struct GameMessage {
    id: u32,
    name: String,
}

impl Wire for GameMessage {
    const MIN_LEN: usize = 4 + 1;
    fn encoded_len(&self) -> usize {
        self.id.encoded_len() + self.name.encoded_len()
    }
    fn encode(&self, w: &mut Writer<'_>) {
        self.id.encode(w);
        self.name.encode(w);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            id: field(r, "GameMessage.ID")?,
            name: field(r, "GameMessage.Name")?,
        })
    }
}

#[derive(Debug, PartialEq)]
struct Envelope {
    messages: Vec<GameMessage>,
}

impl Wire for Envelope {
    const MIN_LEN: usize = 1;
    fn encoded_len(&self) -> usize {
        self.messages.encoded_len()
    }
    fn encode(&self, w: &mut Writer<'_>) {
        self.messages.encode(w);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            messages: field(r, "Envelope.Messages")?,
        })
    }
}

#[test]
fn display_has_offset_and_field() {
    let bytes = [7, 0, 0, 0, 2, 0xc3, 0x28];
    let e = from_bytes::<GameMessage>(&bytes).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::InvalidUtf8);
    assert_eq!(e.offset(), 5);
    assert_eq!(e.field(), Some("GameMessage.Name"));
    assert_eq!(
        e.to_string(),
        "invalid UTF-8 in string at byte 5 (field GameMessage.Name)"
    );
}

#[test]
fn innermost_field_wins() {
    // Two messages; the second is cut inside its ID.
    let bytes = [2, 1, 0, 0, 0, 3, b'a', b'b', b'c', 7, 0, 0];
    let e = from_bytes::<Envelope>(&bytes).unwrap_err();
    assert_eq!(e.field(), Some("GameMessage.ID"));
    assert_eq!(
        e.kind(),
        DecodeErrorKind::UnexpectedEof {
            needed: 4,
            available: 3
        }
    );
    assert_eq!(e.offset(), 9);
    assert_eq!(
        e.to_string(),
        "unexpected end of input: needed 4 bytes, 3 available at byte 9 (field GameMessage.ID)"
    );
}

#[test]
fn trailing_bytes_have_no_field() {
    let e = from_bytes::<GameMessage>(&[0, 0, 0, 0, 0, 9, 9]).unwrap_err();
    assert_eq!(e.field(), None);
    assert_eq!(e.to_string(), "2 trailing bytes after the value at byte 5");
    let e = from_bytes::<GameMessage>(&[0, 0, 0, 0, 0, 9]).unwrap_err();
    assert_eq!(e.to_string(), "1 trailing byte after the value at byte 5");
}

#[test]
fn counts_of_one_are_singular() {
    let display = |kind| DecodeError::new(kind, 0).to_string();
    assert_eq!(
        display(DecodeErrorKind::UnexpectedEof {
            needed: 1,
            available: 0
        }),
        "unexpected end of input: needed 1 byte, 0 available at byte 0"
    );
    assert_eq!(
        display(DecodeErrorKind::LengthTooLarge {
            len: 2,
            remaining: 1
        }),
        "length 2 too large for the 1 byte left at byte 0"
    );
    assert_eq!(
        display(DecodeErrorKind::LengthTooLarge {
            len: 2,
            remaining: 0
        }),
        "length 2 too large for the 0 bytes left at byte 0"
    );
    assert_eq!(
        display(DecodeErrorKind::TooManyZeroSized { len: 1, max: 0 }),
        "list of 1 possibly zero-sized element exceeds the limit of 0 at byte 0"
    );
}

#[test]
fn arrays_too_long_for_the_input_are_the_end_of_the_input() {
    // No length prefix: a fixed array the input is too short for is an
    // unexpected end, whatever its element type.
    let e = from_bytes::<[u16; 3]>(&[1, 0, 2, 0]).unwrap_err();
    assert_eq!(
        e.kind(),
        DecodeErrorKind::UnexpectedEof {
            needed: 6,
            available: 4
        }
    );
    let e = from_bytes::<[bool; 2]>(&[1]).unwrap_err();
    assert_eq!(
        e.kind(),
        DecodeErrorKind::UnexpectedEof {
            needed: 2,
            available: 1
        }
    );
    // Arrays of arrays of numbers are one run of bytes.
    let e = from_bytes::<[[u8; 2]; 2]>(&[1, 2, 3]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unexpected end of input: needed 4 bytes, 3 available at byte 0"
    );
}

#[test]
fn invalid_enum_and_with_field() {
    let e = DecodeError::invalid_enum(3, "Code", 9);
    assert_eq!(e.to_string(), "invalid value 9 for enum Code at byte 3");
    let e = e.with_field("Message.Code").with_field("Outer.Inner");
    assert_eq!(e.field(), Some("Message.Code"));
    assert_eq!(
        e.to_string(),
        "invalid value 9 for enum Code at byte 3 (field Message.Code)"
    );
    let e: Box<dyn std::error::Error> = Box::new(e);
    assert!(e.to_string().contains("byte 3"));
}

#[test]
fn every_kind_displays() {
    let kinds = [
        DecodeErrorKind::UnexpectedEof {
            needed: 2,
            available: 1,
        },
        DecodeErrorKind::InvalidBool(2),
        DecodeErrorKind::InvalidVarint,
        DecodeErrorKind::NonMinimalVarint,
        DecodeErrorKind::InvalidUtf8,
        DecodeErrorKind::LengthTooLarge {
            len: 9,
            remaining: 1,
        },
        DecodeErrorKind::TooManyZeroSized { len: 9, max: 1 },
        DecodeErrorKind::DepthLimit { max: 100 },
        DecodeErrorKind::StackLimit { max: 1 << 17 },
        DecodeErrorKind::TrailingBytes { count: 1 },
        DecodeErrorKind::InvalidEnum {
            enum_name: "E",
            value: -1,
        },
    ];
    for kind in kinds {
        let e = DecodeError::new(kind, 42);
        let s = e.to_string();
        assert!(s.ends_with(" at byte 42"), "{s}");
        assert_eq!(e.kind(), kind);
    }
    assert_eq!(
        DecodeError::new(DecodeErrorKind::InvalidBool(2), 0).to_string(),
        "invalid bool byte 0x02 at byte 0"
    );
}

#[test]
fn error_is_small() {
    assert!(std::mem::size_of::<DecodeError>() <= 64);
}
