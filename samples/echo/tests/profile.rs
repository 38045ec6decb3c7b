//! `@Profile` on contract `echo.Echo`: what its generated dispatcher and
//! client record through the `metrics` facade, checked with a recorder of
//! the test's own after known sequences of calls (successes, application
//! errors, faults, timeouts, transport failures, `@Async` calls), and the
//! in-flight gauges while calls are held.
//!
//! The metrics of a process are global: the sequences run one after
//! another in one test, each reading what changed since the last.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use common::{bounded, client, eventually, server, shutdown};
use gscluster::rpc::{Node, RpcError};
use metrics::{
    Counter, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};

/// Gauges as f64 bits, histograms as every value recorded, by
/// `name{label=value,…}` (labels in the order given).
#[derive(Default)]
struct Recording {
    gauges: Mutex<BTreeMap<String, Arc<AtomicU64>>>,
    histograms: Mutex<BTreeMap<String, Arc<Samples>>>,
    counters: Mutex<BTreeMap<String, Arc<AtomicU64>>>,
}

#[derive(Default)]
struct Samples(Mutex<Vec<f64>>);

impl HistogramFn for Samples {
    fn record(&self, value: f64) {
        self.0.lock().unwrap().push(value);
    }
}

fn name(key: &Key) -> String {
    let labels: Vec<String> = key
        .labels()
        .map(|l| format!("{}={}", l.key(), l.value()))
        .collect();
    format!("{}{{{}}}", key.name(), labels.join(","))
}

struct Global(&'static Recording);

impl Recorder for Global {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        let mut counters = self.0.counters.lock().unwrap();
        Counter::from_arc(counters.entry(name(key)).or_default().clone())
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        let mut gauges = self.0.gauges.lock().unwrap();
        Gauge::from_arc(gauges.entry(name(key)).or_default().clone())
    }

    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        let mut histograms = self.0.histograms.lock().unwrap();
        Histogram::from_arc(histograms.entry(name(key)).or_default().clone())
    }
}

fn recording() -> &'static Recording {
    static RECORDING: OnceLock<&'static Recording> = OnceLock::new();
    RECORDING.get_or_init(|| {
        let recording: &'static Recording = Box::leak(Box::default());
        metrics::set_global_recorder(Global(recording)).expect("the only recorder");
        recording
    })
}

impl Recording {
    /// How many durations each histogram holds, taking them out.
    fn take_counts(&self) -> BTreeMap<String, usize> {
        let histograms = self.histograms.lock().unwrap();
        histograms
            .iter()
            .filter_map(|(name, samples)| {
                let taken = std::mem::take(&mut *samples.0.lock().unwrap());
                (!taken.is_empty()).then(|| (name.clone(), taken.len()))
            })
            .collect()
    }

    fn gauge(&self, name: &str) -> f64 {
        let gauges = self.gauges.lock().unwrap();
        gauges
            .get(name)
            .map_or(0.0, |g| f64::from_bits(g.load(Ordering::SeqCst)))
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.gauges.lock().unwrap().keys().cloned().collect();
        names.extend(self.histograms.lock().unwrap().keys().cloned());
        names.extend(self.counters.lock().unwrap().keys().cloned());
        names
    }
}

fn duration(side: &str, method: &str, outcome: &str) -> String {
    format!(
        "rpc_{side}_call_duration_seconds{{rpc_service=echo.Echo,rpc_method={method},outcome={outcome}}}"
    )
}

fn in_flight(side: &str, method: &str) -> String {
    format!("rpc_{side}_calls_in_flight{{rpc_service=echo.Echo,rpc_method={method}}}")
}

/// The expected counts: `n` durations of `method` with `outcome`, on the
/// server and the client side (`"both"`) or on one.
fn expect(entries: &[(&str, &str, &str, usize)]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for &(side, method, outcome, n) in entries {
        let sides = match side {
            "both" => vec!["server", "client"],
            one => vec![one],
        };
        for side in sides {
            assert!(out.insert(duration(side, method, outcome), n).is_none());
        }
    }
    out
}

#[tokio::test]
async fn profiled_calls_are_timed_by_outcome_with_their_in_flight_gauges() {
    let rec = recording();
    bounded(30, async {
        let s = server(Node::builder("server")).await;
        let (c, peer, echo) = client(Node::builder("client"), s.addr).await;
        peer.connected(Duration::from_secs(5)).await.expect("up");
        rec.take_counts();

        // Successes and an application error.
        for text in ["a", "b", "c"] {
            assert_eq!(echo.echo(text.into()).await.expect("echo"), text);
        }
        assert_eq!(echo.add(2, 3).await.expect("add"), 5);
        let negative = echo.sqrt(-1).await.expect_err("negative");
        assert!(matches!(negative, RpcError::App(_)), "{negative:?}");
        assert_eq!(
            rec.take_counts(),
            expect(&[
                ("both", "Echo", "ok", 3),
                ("both", "Add", "ok", 1),
                ("both", "Sqrt", "app_error", 1),
            ])
        );

        // A handler that panics: a fault on both sides.
        let panicked = echo.echo("panic".into()).await.expect_err("panics");
        assert!(matches!(panicked, RpcError::Fault(_)), "{panicked:?}");
        // `@Async`: `ok` once sent, and once handled (`Count` comes after
        // the notification on the connection, so it has been handled).
        echo.notify("n".into()).await.expect("sent");
        echo.count().await.expect("count");
        assert_eq!(
            rec.take_counts(),
            expect(&[
                ("both", "Echo", "fault", 1),
                ("both", "Notify", "ok", 1),
                ("both", "Count", "ok", 1),
            ])
        );

        // Held calls are in flight on both sides; a deadline that passes is
        // a timeout for the client, and the handler's late success is `ok`
        // for the server.
        assert_eq!(rec.gauge(&in_flight("server", "Echo")), 0.0);
        assert_eq!(rec.gauge(&in_flight("client", "Echo")), 0.0);
        let held: Vec<_> = (0..3)
            .map(|i| {
                let echo = echo.clone();
                tokio::spawn(async move { echo.echo(format!("gate:{i}")).await })
            })
            .collect();
        eventually(5, "the held calls arrived", || s.echo.arrived() >= 3).await;
        assert_eq!(rec.gauge(&in_flight("server", "Echo")), 3.0);
        assert_eq!(rec.gauge(&in_flight("client", "Echo")), 3.0);
        let late = echo
            .with_timeout(Duration::from_millis(50))
            .echo("sleep:300:late".into())
            .await
            .expect_err("the deadline passes");
        assert!(matches!(late, RpcError::Timeout), "{late:?}");
        s.echo.open_gate();
        for call in held {
            call.await
                .expect("joins")
                .expect("answered once the gate opens");
        }
        eventually(5, "the late handler finished", || {
            rec.gauge(&in_flight("server", "Echo")) == 0.0
        })
        .await;
        assert_eq!(rec.gauge(&in_flight("client", "Echo")), 0.0);
        assert_eq!(
            rec.take_counts(),
            expect(&[
                ("client", "Echo", "ok", 3),
                ("client", "Echo", "timeout", 1),
                ("server", "Echo", "ok", 4),
            ])
        );

        // The connection gone: a transport failure, the server not reached.
        shutdown(&[&s.node]).await;
        let gone = echo.echo("gone".into()).await.expect_err("no server");
        assert!(matches!(gone, RpcError::Transport(_)), "{gone:?}");
        assert_eq!(
            rec.take_counts(),
            expect(&[("client", "Echo", "transport", 1)])
        );
        shutdown(&[&c]).await;

        // Nothing but the four metric names, with the contract's and the
        // methods' labels, was registered.
        for name in rec.names() {
            let known = [
                "rpc_server_call_duration_seconds{rpc_service=echo.Echo,rpc_method=",
                "rpc_client_call_duration_seconds{rpc_service=echo.Echo,rpc_method=",
                "rpc_server_calls_in_flight{rpc_service=echo.Echo,rpc_method=",
                "rpc_client_calls_in_flight{rpc_service=echo.Echo,rpc_method=",
            ];
            assert!(known.iter().any(|k| name.starts_with(k)), "{name}");
        }
    })
    .await;
}
