//! A chat message goes to bytes and back, with types generated from
//! `samples/chat.gs` at build time.

/// The generated modules: `proto::chat`, `proto::common`.
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}

use proto::chat::{ChatMessage, ChatMethod, Member, Rights};

fn main() -> Result<(), gscluster::DecodeError> {
    let message = ChatMessage {
        id: 42,
        from: "ada".into(),
        text: "hello, world".into(),
        sent_at: 1_700_000_000_000,
    };
    let bytes = gscluster::to_bytes(&message);
    println!("{} bytes: {bytes:02x?}", bytes.len());
    let back: ChatMessage = gscluster::from_bytes(&bytes)?;
    assert_eq!(back, message);

    let member = Member {
        name: "bob".into(),
        rights: Rights::READ | Rights::WRITE,
    };
    println!("{member:?}");
    println!(
        "{} has {} methods; method 1 is {:?}",
        ChatMethod::CONTRACT,
        ChatMethod::COUNT,
        ChatMethod::from_id(1)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::proto::chat::{ChatError, ChatMessage};

    #[test]
    fn round_trip() {
        let message = ChatMessage {
            id: 1,
            from: "a".into(),
            text: "b".into(),
            sent_at: -1,
        };
        let bytes = gscluster::to_bytes(&message);
        assert_eq!(bytes.len(), 8 + 2 + 2 + 8);
        assert_eq!(gscluster::from_bytes::<ChatMessage>(&bytes), Ok(message));
    }

    #[test]
    fn unknown_enum_values_are_rejected() {
        assert!(gscluster::from_bytes::<ChatError>(&[9, 0, 0, 0]).is_err());
        assert_eq!(
            gscluster::from_bytes::<ChatError>(&[2, 0, 0, 0]),
            Ok(ChatError::NotAMember)
        );
    }
}
