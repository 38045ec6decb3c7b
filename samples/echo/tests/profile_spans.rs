//! `@Profile` on contract `echo.Echo`: each call, served and made, runs in
//! a `tracing` span (`rpc.server`, `rpc.client`) with the service, the
//! method, the call id, the peer and the outcome, checked with a
//! subscriber of the test's own. (A test binary of its own: the metrics
//! test counts every call of its process.)

mod common;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::{bounded, client, server, shutdown};
use gscluster::rpc::Node;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every span opened: its name and its fields as recorded (strings
/// unquoted, other values as `Debug` shows them).
#[derive(Default)]
struct Spans {
    next: AtomicU64,
    spans: Mutex<Vec<(String, BTreeMap<String, String>)>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for &'static Spans {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), fields));
        self.next.fetch_add(1, Ordering::SeqCst);
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let (_, fields) = &mut spans[span.into_u64() as usize - 1];
        values.record(&mut Fields(fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn each_profiled_call_is_a_span_with_its_id_peer_and_outcome() {
    let spans: &'static Spans = Box::leak(Box::default());
    // The test's runtime has one thread: the server, the client and their
    // tasks all run under this subscriber.
    let _default = tracing::subscriber::set_default(spans);
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let (c, peer, echo) = client(Node::builder("client"), s.addr).await;
        peer.connected(Duration::from_secs(5)).await.expect("up");
        assert_eq!(echo.echo("hi".into()).await.expect("echo"), "hi");
        echo.sqrt(-4).await.expect_err("negative");
        let inbound = s.node.connections();
        let client_addr = inbound[0].peer().addr.to_string();
        let server_addr = s.addr.to_string();
        shutdown(&[&c, &s.node]).await;

        let spans = spans.spans.lock().unwrap();
        let of = |name: &str| -> Vec<&BTreeMap<String, String>> {
            spans
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, fields)| fields)
                .collect()
        };
        let (servers, clients) = (of("rpc.server"), of("rpc.client"));
        assert_eq!(servers.len(), 2, "{spans:?}");
        assert_eq!(clients.len(), 2, "{spans:?}");
        for (fields, (method, outcome)) in
            servers.iter().zip([("Echo", "ok"), ("Sqrt", "app_error")])
        {
            assert_eq!(fields["service"], "echo.Echo");
            assert_eq!(fields["method"], method);
            assert_eq!(fields["outcome"], outcome);
            assert_eq!(fields["peer"], client_addr, "the caller's address");
            assert_ne!(fields["call_id"], "0");
        }
        for (fields, (method, outcome)) in
            clients.iter().zip([("Echo", "ok"), ("Sqrt", "app_error")])
        {
            assert_eq!(fields["service"], "echo.Echo");
            assert_eq!(fields["method"], method);
            assert_eq!(fields["outcome"], outcome);
            assert_eq!(fields["peer"], server_addr, "the callee's address");
        }
        // The client's call ids are the ones the server saw.
        assert_eq!(servers[0]["call_id"], clients[0]["call_id"]);
        assert_eq!(servers[1]["call_id"], clients[1]["call_id"]);
    })
    .await;
}
