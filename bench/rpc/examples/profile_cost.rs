//! The cost of profiling one call on one side (`@Profile`): a client call
//! future wrapped by `gscluster::rpc::profile::Method::client` around a
//! future that is ready at once, polled to completion, with the Prometheus
//! recorder `gscluster-profiled` installs; against the bare future. A
//! profiled echo pays this twice (client and server).
//!
//! ```text
//! cargo run --release --example profile_cost
//! ```

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use gscluster::rpc::RpcError;
use gscluster::rpc::profile::Method;

static METHOD: Method = Method::new("bench.ProfiledGameEcho", "Echo", 0);
const ITERS: u32 = 2_000_000;

fn run<F: Future<Output = Result<u64, RpcError>>>(mut make: impl FnMut(u64) -> F) -> f64 {
    let mut cx = Context::from_waker(Waker::noop());
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        for i in 0..u64::from(ITERS) {
            let fut = pin!(make(black_box(i)));
            match fut.poll(&mut cx) {
                Poll::Ready(r) => {
                    black_box(r.ok());
                }
                Poll::Pending => unreachable!("ready at once"),
            }
        }
        best = best.min(start.elapsed().as_nanos() as f64 / f64::from(ITERS));
    }
    best
}

fn main() {
    gscluster_rpc_bench::systems::gs::install_recorder();
    let bare = run(|i| std::future::ready(Ok(i)));
    let profiled = run(|i| METHOD.client(std::future::ready(Ok(i))));
    // Its parts: the recorder's handles, the clock, a disabled span.
    let histogram = metrics::histogram!("x_seconds", "rpc_service" => "a", "rpc_method" => "b");
    let gauge = metrics::gauge!("x_in_flight", "rpc_service" => "a", "rpc_method" => "b");
    let record = run(|i| {
        histogram.record(1e-6);
        std::future::ready(Ok(i))
    });
    let gauges = run(|i| {
        gauge.increment(1.0);
        gauge.decrement(1.0);
        std::future::ready(Ok(i))
    });
    let clock = run(|i| {
        let t = Instant::now();
        black_box(t.elapsed());
        std::future::ready(Ok(i))
    });
    let quanta_clock = run(|i| {
        let t = quanta::Instant::now();
        black_box(t.elapsed());
        std::future::ready(Ok(i))
    });
    let span = run(|i| {
        let span = tracing::info_span!("rpc.client", service = "a", method = "b");
        let _e = span.enter();
        std::future::ready(Ok(i))
    });
    println!(
        "ns per call and side: bare future {bare:.1}; profiled {profiled:.1} (+{:.1})",
        profiled - bare
    );
    println!(
        "parts: histogram record {:.1}; gauge +1 -1 {:.1}; two clock reads {:.1} (std), {:.1} (quanta); disabled span {:.1}",
        record - bare,
        gauges - bare,
        clock - bare,
        quanta_clock - bare,
        span - bare
    );
}
