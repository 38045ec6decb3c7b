//! Every system echoes the same value intact, and the load generator runs
//! on each (briefly).

use std::time::Duration;

use gscluster_rpc_bench::data::{game_message, serde_mirror};
use gscluster_rpc_bench::pb;
use gscluster_rpc_bench::proto::game_echo::GameMessage;
use gscluster_rpc_bench::systems::{System, measure};

#[test]
fn the_mirrors_carry_the_same_value() {
    let msg = game_message();
    assert_eq!(gscluster::to_bytes(&msg).len(), 144);
    let serde = serde_mirror::GameMessage::from(&msg);
    assert_eq!(GameMessage::from(serde), msg);
    let pb = pb::GameMessage::from(&msg);
    assert_eq!(GameMessage::try_from(pb), Ok(msg));
}

#[test]
fn every_system_echoes_under_load() {
    for system in System::ALL {
        for inflight in [1, 8] {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            // Each caller loop checks its first answer whole, every other
            // one by id, and panics on any error.
            let sample = rt.block_on(measure(
                system,
                inflight,
                Duration::from_millis(50),
                Duration::from_millis(200),
            ));
            assert!(sample.calls > 100, "{system} at {inflight}: {sample:?}");
            assert!(sample.p50_ns > 0 && sample.p50_ns <= sample.p99_ns);
        }
    }
}
