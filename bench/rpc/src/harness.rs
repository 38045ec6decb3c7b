//! The load generator: `inflight` caller loops on the runtime, each making
//! one call at a time (so `inflight` calls are in flight), a warm-up, then a
//! measured window: calls/s, latency percentiles, allocations per call.

use std::fmt::Debug;
use std::future::Future;
use std::time::{Duration, Instant};

/// A client of one system's echo service.
pub trait Caller: Clone + Send + 'static {
    /// The system's own message type.
    type Msg: Clone + PartialEq + Debug + Send + Sync + 'static;
    /// Echoes `msg`; panics on any error (a benchmark run must have none).
    fn call(&mut self, msg: Self::Msg) -> impl Future<Output = Self::Msg> + Send + '_;
    /// The message's id, checked on every answer.
    fn id(msg: &Self::Msg) -> u64;
}

/// A latency histogram: exact below 64 ns, then 64 buckets per power of two
/// (a bucket is within 1.6% of its values), in nanoseconds.
#[derive(Clone, Debug)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
}

const SUB_BITS: u32 = 6;
const SUB: usize = 1 << SUB_BITS;

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; SUB * (64 - SUB_BITS as usize + 1)],
            total: 0,
        }
    }
}

impl Histogram {
    fn index(ns: u64) -> usize {
        if ns < SUB as u64 {
            return ns as usize;
        }
        let exp = 63 - ns.leading_zeros();
        let shift = exp - SUB_BITS;
        let mantissa = (ns >> shift) as usize;
        ((shift as usize + 1) << SUB_BITS) + (mantissa - SUB)
    }

    fn value(index: usize) -> u64 {
        if index < SUB {
            return index as u64;
        }
        let shift = (index >> SUB_BITS) - 1;
        let mantissa = ((index & (SUB - 1)) + SUB) as u64;
        // The middle of the bucket.
        (mantissa << shift) + ((1u64 << shift) >> 1)
    }

    /// Records one latency.
    pub fn record(&mut self, latency: Duration) {
        let ns = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        self.counts[Self::index(ns)] += 1;
        self.total += 1;
    }

    /// Adds `other`'s counts.
    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
    }

    /// How many latencies were recorded.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The latency at quantile `q` (0–1), in nanoseconds.
    pub fn quantile(&self, q: f64) -> u64 {
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total.max(1));
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Self::value(i);
            }
        }
        0
    }
}

/// What one measured window gave.
#[derive(Clone, Debug)]
pub struct Sample {
    /// Calls started in the window (and answered).
    pub calls: u64,
    /// The window's length.
    pub secs: f64,
    /// Median latency, ns.
    pub p50_ns: u64,
    /// 99th percentile latency, ns.
    pub p99_ns: u64,
    /// Allocations in the whole process during the window, per call (both
    /// sides: client and server share the process).
    pub allocs_per_call: f64,
    /// The same by size class (see [`crate::alloc::class_limit`]).
    pub allocs_by_class: [f64; crate::alloc::CLASSES],
}

impl Sample {
    /// Calls per second.
    pub fn rate(&self) -> f64 {
        self.calls as f64 / self.secs
    }
}

/// Runs `inflight` caller loops of `caller` echoing `msg` for `warmup`,
/// then measures for `window`. Must run on a tokio runtime.
pub async fn drive<C: Caller>(
    caller: C,
    msg: C::Msg,
    inflight: usize,
    warmup: Duration,
    window: Duration,
) -> Sample {
    let start = Instant::now();
    let warm_end = start + warmup;
    let end = warm_end + window;
    let mut loops = Vec::with_capacity(inflight);
    for _ in 0..inflight {
        let mut c = caller.clone();
        let msg = msg.clone();
        loops.push(tokio::spawn(async move {
            let mut hist = Histogram::default();
            let want = C::id(&msg);
            // The first answer is checked whole, every other by its id.
            let first = c.call(msg.clone()).await;
            assert_eq!(first, msg, "the echo changed the message");
            loop {
                let t0 = Instant::now();
                if t0 >= end {
                    break;
                }
                let reply = c.call(msg.clone()).await;
                let t1 = Instant::now();
                assert_eq!(C::id(&reply), want, "an answer to another call");
                if t0 >= warm_end {
                    hist.record(t1 - t0);
                }
            }
            hist
        }));
    }
    tokio::time::sleep_until(warm_end.into()).await;
    let (allocs0, classes0, t0) = (
        crate::alloc::count(),
        crate::alloc::by_class(),
        Instant::now(),
    );
    tokio::time::sleep_until(end.into()).await;
    let (allocs1, classes1, t1) = (
        crate::alloc::count(),
        crate::alloc::by_class(),
        Instant::now(),
    );
    let mut hist = Histogram::default();
    for l in loops {
        hist.merge(&l.await.expect("a caller loop failed"));
    }
    let secs = (t1 - t0).as_secs_f64();
    let calls = hist.len();
    // Allocations are counted over [t0, t1], calls over the window: scale
    // to the calls of the same span.
    let span_calls = calls as f64 * secs / window.as_secs_f64();
    Sample {
        calls,
        secs: window.as_secs_f64(),
        p50_ns: hist.quantile(0.50),
        p99_ns: hist.quantile(0.99),
        allocs_per_call: (allocs1 - allocs0) as f64 / span_calls,
        allocs_by_class: std::array::from_fn(|i| (classes1[i] - classes0[i]) as f64 / span_calls),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_within_two_percent() {
        for ns in (0..100_000u64).chain([1 << 20, 123_456_789, u32::MAX as u64, 1 << 50]) {
            let v = Histogram::value(Histogram::index(ns));
            let err = (v as f64 - ns as f64).abs() / (ns.max(1) as f64);
            assert!(err <= 0.016, "{ns} -> {v}");
            assert!(Histogram::index(ns) < Histogram::default().counts.len());
        }
        let mut h = Histogram::default();
        for ns in 1..=1000u64 {
            h.record(Duration::from_nanos(ns * 1000));
        }
        assert!((h.quantile(0.5) as f64 / 500_000.0 - 1.0).abs() < 0.02);
        assert!((h.quantile(0.99) as f64 / 990_000.0 - 1.0).abs() < 0.02);
    }
}
