//! gsgate: a long-connection gate. It holds the TCP and WebSocket
//! connections of clients, speaks the client protocol of `docs/gate.md`
//! with them ([`protocol`]), and routes their requests to gscluster
//! backends that serve the contracts a schema exposes with `@gate.Expose`
//! ([`schema`]); backends act on clients through the `gate.Gate` contract
//! it hosts on every backend connection (push, kick, groups, broadcast).

#![warn(missing_docs)]

pub mod client;
mod gate;
pub mod json;
pub mod logs;
pub mod protocol;
pub mod schema;
pub mod transport;

pub use gate::{Gate, GateConfig, rendezvous_score};

/// The code generated from `gate.gs`.
pub mod proto {
    #![allow(missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}

/// The text of `gate.gs`, the gate's module.
pub const GATE_GS: &str = include_str!("../gate.gs");

/// The directory holding `gate.gs`, for build scripts' include paths.
pub const GATE_GS_DIR: &str = env!("CARGO_MANIFEST_DIR");
