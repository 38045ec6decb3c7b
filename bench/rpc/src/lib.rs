//! The RPC benchmark of `BENCHMARKS.md` ("RPC"): the echo of a `GameMessage`
//! over loopback TCP by gscluster, tarpc, tonic and a hand-written
//! multiplexer, client and server on one tokio current-thread runtime; and
//! the memory of idle gscluster connections. The binary `rpc-bench` runs it
//! (`cargo run --release --bin rpc-bench -- --help` in this directory).

pub mod alloc;
pub mod data;
pub mod harness;
pub mod idle;
pub mod load;
pub mod pb;
pub mod systems;

/// The gs2rust output of `game_echo.gs`.
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}

/// The tonic-build output: `game_echo_client` and `game_echo_server`.
#[allow(missing_debug_implementations, clippy::all)]
pub mod tonic_gen {
    include!(concat!(env!("OUT_DIR"), "/bench.GameEcho.rs"));
}
