//! Feeds arbitrary bytes to the gate's client protocol, as a client would
//! send them: packets off a stream, reassembly, messages, and validation of
//! their data against the demo's schema. None of it may panic, allocate
//! beyond the limits, or take more than linear time; a message that decodes
//! encodes back to a message that decodes to the same.
//!
//! Run with `cargo +nightly fuzz run gate` from the repository root.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use bytes::{Bytes, BytesMut};
use gsgate::protocol::{self, Message, PacketType, Reassembler, Route};
use gsgate::schema::Schema;
use libfuzzer_sys::fuzz_target;

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut loader = gslang_sema::MemoryLoader::new();
        loader
            .add("gate.gs", gsgate::GATE_GS)
            .add("chat.gs", include_str!("../../samples/gate-chat/chat.gs"));
        let analysis = gslang_sema::analyze(
            &[PathBuf::from("chat.gs")],
            &gslang_sema::Options::default(),
            &mut loader,
        );
        Schema::from_model(analysis.model.expect("chat.gs checks")).expect("exposes")
    })
}

fuzz_target!(|data: &[u8]| {
    let schema = schema();
    let mut buf = BytesMut::from(data);
    let mut reassembler = Reassembler::new(1 << 16);
    while let Ok(Some(packet)) = protocol::next_packet(&mut buf) {
        assert!(packet.body.len() <= protocol::MAX_BODY);
        if packet.ty != PacketType::Data {
            continue;
        }
        let Ok(Some(body)) = reassembler.push(packet) else {
            continue;
        };
        let Ok(message) = Message::decode(body) else {
            continue;
        };
        assert_eq!(Message::decode(message.to_bytes()).as_ref(), Ok(&message));
        let route = match &message.route {
            Route::Name(name) => schema.route(name),
            Route::Code(code) => schema.route_by_code(*code),
            Route::None => None,
        };
        if let Some(route) = route
            && let Some(ends) = schema.split(&route.params, &message.data)
        {
            assert_eq!(ends.last().copied().unwrap_or(0), message.data.len());
        }
    }
    let _ = protocol::parse_frame(data);
    let _ = protocol::parse_frame_bytes(Bytes::copy_from_slice(data));
    for route in schema.routes() {
        let _ = schema.split(&route.params, data);
    }
});
