//! The checked-in modules are usable by their paths: `r#gen::…` and
//! `chat::chat::…`.

use gscluster::{from_bytes, to_bytes};
use gslang_checked_in_tests::chat::chat::ChatMessage;
use gslang_checked_in_tests::r#gen::game::GameMessage;

#[test]
fn generated_types_round_trip() {
    let message = GameMessage {
        id: 7,
        name: "orc".into(),
        alive: true,
        ..GameMessage::default()
    };
    let bytes = to_bytes(&message);
    assert_eq!(from_bytes::<GameMessage>(&bytes), Ok(message));

    let chat = ChatMessage {
        id: 1,
        from: "ann".into(),
        text: "hi".into(),
        sent_at: -5,
    };
    let bytes = to_bytes(&chat);
    // u64, then each string as a one-byte count and its bytes, then i64.
    assert_eq!(bytes.len(), 8 + (1 + 3) + (1 + 2) + 8);
    assert_eq!(from_bytes::<ChatMessage>(&bytes), Ok(chat));
}
