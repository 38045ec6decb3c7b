//! End-to-end tests of wire.md §3 through the generated client: faults,
//! application errors, `@Async` calls, pipelining, deadlines, disconnects,
//! reconnects, calls both ways, services coming and going, the id space,
//! encryption and refusals, and graceful shutdown. Every test runs on
//! 127.0.0.1 and is bounded in time.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use gscluster::gslang::Fault;
use gscluster::rpc::{
    ConnectError, ConnectOptions, ErrorEnum, Node, RpcError, TransportErrorKind, TypedClient,
    tokens,
};
use gscluster_echo::{EchoClient, EchoError, EchoServer, EchoService, MAX_TEXT};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio::time::Instant;

fn fault(result: Result<impl std::fmt::Debug, RpcError>) -> Fault {
    match result {
        Err(RpcError::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

fn transport(result: Result<impl std::fmt::Debug, RpcError>) -> TransportErrorKind {
    match result {
        Err(RpcError::Transport(e)) => e.kind(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_method_and_bad_requests_are_faults() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let (c, _peer, echo) = client(Node::builder("client"), s.addr).await;
        let raw = echo.client();

        // Method id 99 of echo.Echo does not exist.
        assert_eq!(
            fault(raw.call::<(), ()>(99, ()).await),
            Fault::UnknownMethod
        );
        // Echo(text string) with two params, and with none.
        assert_eq!(
            fault(
                raw.call::<(String, String), (String,)>(0, ("a".into(), "b".into()))
                    .await
            ),
            Fault::BadRequest
        );
        assert_eq!(
            fault(raw.call::<(), (String,)>(0, ()).await),
            Fault::BadRequest
        );
        // A param that does not decode: invalid UTF-8 for a string.
        assert_eq!(
            fault(
                raw.call::<(Vec<u8>,), (String,)>(0, (vec![0xc3, 0x28],))
                    .await
            ),
            Fault::BadRequest
        );
        // Trailing bytes in a param: an int64 where Add takes an int32.
        assert_eq!(
            fault(raw.call::<(i64, i32), (i32,)>(1, (1, 2)).await),
            Fault::BadRequest
        );
        // And a right call still works on the same connection.
        assert_eq!(
            raw.call::<(i32, i32), (i32,)>(1, (40, 2))
                .await
                .expect("add"),
            (42,)
        );
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn a_panicking_handler_is_an_internal_fault_and_nothing_else() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let (c, peer, echo) = client(Node::builder("client"), s.addr).await;
        let conn = peer.connected(Duration::from_secs(1)).await.expect("up");
        // A call in flight while another handler panics.
        let slow = {
            let echo = echo.clone();
            tokio::spawn(async move { echo.echo("sleep:300:slow".into()).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(fault(echo.echo("panic".into()).await), Fault::Internal);
        assert_eq!(
            slow.await.expect("joins").expect("the other call goes on"),
            "sleep:300:slow"
        );
        assert_eq!(echo.echo("after".into()).await.expect("echo"), "after");
        assert!(!conn.is_closed(), "the connection goes on");
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn calls_over_the_concurrency_limit_are_unavailable() {
    bounded(20, async {
        let s = server(Node::builder("server").max_concurrent_calls(2)).await;
        let (c, _peer, echo) = client(Node::builder("client"), s.addr).await;
        let mut held = JoinSet::new();
        for i in 0..2 {
            let echo = echo.clone();
            held.spawn(async move { echo.echo(format!("gate:{i}")).await });
        }
        eventually(5, "both calls arrived", || s.echo.arrived() == 2).await;
        assert_eq!(fault(echo.echo("third".into()).await), Fault::Unavailable);
        assert_eq!(fault(echo.add(1, 2).await), Fault::Unavailable);
        s.echo.open_gate();
        let mut answers = Vec::new();
        while let Some(r) = held.join_next().await {
            answers.push(r.expect("joins").expect("the held calls succeed"));
        }
        answers.sort();
        assert_eq!(answers, ["gate:0", "gate:1"]);
        // Under the limit again.
        assert_eq!(echo.echo("fourth".into()).await.expect("echo"), "fourth");
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn application_errors_typed_and_unknown() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let (c, _peer, echo) = client(Node::builder("client"), s.addr).await;

        let e = echo.sqrt(-4).await.expect_err("negative");
        assert_eq!(e.app::<EchoError>(), Some(EchoError::Negative));
        assert_eq!(echo.sqrt(16).await.expect("sqrt"), 4);

        // The stock EchoService: a text over MAX_TEXT is TooLong.
        let stock = Node::builder("stock").build();
        let _h = stock.serve("echo", EchoServer::new(EchoService::default()));
        let stock_addr = stock.listen("127.0.0.1:0").await.expect("listen");
        let (c2, _peer2, stock_echo) = client(Node::builder("client2"), stock_addr).await;
        let e = stock_echo
            .echo("x".repeat(MAX_TEXT + 1))
            .await
            .expect_err("too long");
        assert_eq!(e.app::<EchoError>(), Some(EchoError::TooLong));

        // A domain this client knows nothing of.
        let e = echo.echo("app:171:77".into()).await.expect_err("app error");
        match &e {
            RpcError::App(app) => {
                assert_eq!(app.domain(), [171; 16]);
                assert_eq!(app.code(), 77);
                assert!(!app.is::<EchoError>());
            }
            other => panic!("expected RpcError::App, got {other:?}"),
        }
        assert_eq!(e.app::<EchoError>(), None);
        let shown = e.to_string();
        assert!(shown.contains("77"), "{shown}");
        assert!(shown.contains(&"ab".repeat(16)), "{shown}");

        // A value of a known domain that the enum does not declare.
        let e = echo.echo("echoerr:99".into()).await.expect_err("app error");
        match &e {
            RpcError::App(app) => {
                assert!(app.is::<EchoError>());
                assert_eq!(app.domain(), EchoError::DOMAIN);
                assert_eq!(app.code(), 99);
            }
            other => panic!("expected RpcError::App, got {other:?}"),
        }
        assert_eq!(e.app::<EchoError>(), None);
        assert!(e.to_string().contains("99"), "{e}");
        shutdown(&[&c, &c2, &s.node, &stock]).await;
    })
    .await;
}

#[tokio::test]
async fn async_notifications_then_count() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let (c, _peer, echo) = client(Node::builder("client"), s.addr).await;
        for i in 0..100 {
            echo.notify(format!("n{i}")).await.expect("queued");
        }
        // The callee may run calls concurrently: Count is asked until every
        // notification has been served.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let n = echo.count().await.expect("count");
            assert!(n <= 100, "{n} notifications counted, 100 sent");
            if n == 100 {
                break;
            }
            assert!(Instant::now() < deadline, "only {n} of 100 notifications");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // A notification whose handler panics is dropped, answered by nothing:
        // later calls work and see no extra answer.
        echo.notify("panic".into()).await.expect("queued");
        echo.notify("last".into()).await.expect("queued");
        eventually(5, "the last notification", || {
            s.echo.notified.load(std::sync::atomic::Ordering::SeqCst) == 101
        })
        .await;
        assert_eq!(echo.count().await.expect("count"), 101);
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_pipelined_calls_each_get_their_answer() {
    bounded(60, async {
        // All 10,000 may be in flight at once: over the default limit of
        // 4096 calls served at once, some would be Unavailable.
        let s = server(Node::builder("server").max_concurrent_calls(10_000)).await;
        let (c, _peer, echo) = client(Node::builder("client"), s.addr).await;
        let mut calls = JoinSet::new();
        for i in 0..10_000i32 {
            let echo = echo.clone();
            calls.spawn(async move {
                match i % 3 {
                    0 => {
                        let text = format!("call {i}");
                        let got = echo.echo(text.clone()).await.expect("echo");
                        assert_eq!(got, text);
                    }
                    1 => assert_eq!(echo.add(i, 1000).await.expect("add"), i + 1000),
                    _ => {
                        let n = i * i;
                        assert_eq!(echo.sqrt(n).await.expect("sqrt"), i);
                    }
                }
                i
            });
        }
        let mut done = HashSet::new();
        while let Some(r) = calls.join_next().await {
            done.insert(r.expect("each answer matches its request"));
        }
        assert_eq!(done.len(), 10_000);
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn a_deadline_passes_the_late_answer_is_dropped_and_the_connection_goes_on() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let (c, peer, echo) = client(Node::builder("client"), s.addr).await;
        let conn = peer.connected(Duration::from_secs(1)).await.expect("up");

        let short = echo.with_timeout(Duration::from_millis(100));
        let started = Instant::now();
        let r = short.echo("sleep:400:late".into()).await;
        assert!(matches!(r, Err(RpcError::Timeout)), "{r:?}");
        assert!(started.elapsed() < Duration::from_secs(2));

        // A call made while the late answer is still to come must not get
        // it: the timed-out call's id is not reused until the answer came.
        let next = echo.echo("sleep:600:next".into()).await.expect("echo");
        assert_eq!(next, "sleep:600:next");
        // The late answer came in between and was dropped.
        assert_eq!(echo.echo("after".into()).await.expect("echo"), "after");
        assert!(!conn.is_closed());
        // Many timeouts in a row do not break the connection either.
        for _ in 0..20 {
            let r = echo
                .with_timeout(Duration::from_millis(10))
                .echo("sleep:100:x".into())
                .await;
            assert!(matches!(r, Err(RpcError::Timeout)), "{r:?}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let text = "a".repeat(1000);
        assert_eq!(echo.echo(text.clone()).await.expect("echo"), text);
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn a_per_call_deadline_overrides_the_nodes() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let (c, _peer, echo) = client(
            Node::builder("client").call_timeout(Duration::from_millis(100)),
            s.addr,
        )
        .await;
        assert_eq!(echo.client().timeout(), Duration::from_millis(100));
        let r = echo.echo("sleep:300:x".into()).await;
        assert!(matches!(r, Err(RpcError::Timeout)), "{r:?}");
        let long = echo.with_timeout(Duration::from_secs(5));
        assert_eq!(
            long.echo("sleep:300:y".into()).await.expect("within 5 s"),
            "sleep:300:y"
        );
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

/// A server that does the handshake and announces `echo.Echo` as id 1,
/// reads `calls` calls, then closes the connection.
async fn closing_acceptor(calls: usize) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("accept");
        let mut raw = Raw::over(stream);
        let (code, _) = raw.recv().await;
        assert_eq!(code, code::WHO_AM_I);
        raw.send(code::ACCEPT, &accept(1, "fake", "fake")).await;
        raw.send(code::CER, &cer(true, "echo.Echo", "echo", 1))
            .await;
        for _ in 0..calls {
            let (code, _) = raw.recv().await;
            assert_eq!(code, code::CALL);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    });
    (addr, task)
}

#[tokio::test]
async fn a_closed_connection_fails_pending_calls_at_once() {
    bounded(20, async {
        // The peer closes while calls wait.
        let (addr, fake) = closing_acceptor(5).await;
        let (c, _peer, echo) = client(Node::builder("client"), addr).await;
        let started = Instant::now();
        let mut calls = JoinSet::new();
        for i in 0..5 {
            let echo = echo.clone();
            calls.spawn(async move { echo.echo(format!("{i}")).await });
        }
        while let Some(r) = calls.join_next().await {
            assert_eq!(transport(r.expect("joins")), TransportErrorKind::Closed);
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "failed after {:?}, the deadline is 30 s",
            started.elapsed()
        );
        fake.await.expect("the fake server");

        // A node server whose connections close while its handlers hold calls.
        let s = server(Node::builder("server")).await;
        let (c2, _peer2, echo2) = client(Node::builder("client2"), s.addr).await;
        let started = Instant::now();
        let mut calls = JoinSet::new();
        for i in 0..5 {
            let echo = echo2.clone();
            calls.spawn(async move { echo.echo(format!("gate:{i}")).await });
        }
        eventually(5, "the calls arrived", || s.echo.arrived() == 5).await;
        for conn in s.node.connections() {
            conn.close();
        }
        while let Some(r) = calls.join_next().await {
            assert_eq!(transport(r.expect("joins")), TransportErrorKind::Closed);
        }
        assert!(started.elapsed() < Duration::from_secs(5));
        s.echo.open_gate();
        shutdown(&[&c, &c2, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn the_peer_reconnects_after_the_server_restarts_on_its_port() {
    bounded(30, async {
        let s = server(Node::builder("server-1")).await;
        let addr = s.addr;
        let (c, peer, echo) = client(
            Node::builder("client")
                .reconnect_backoff(Duration::from_millis(20), Duration::from_millis(200)),
            addr,
        )
        .await;
        assert_eq!(echo.echo("peer".into()).await.expect("echo"), "client");
        let first = peer.connected(Duration::from_secs(1)).await.expect("up");
        assert_eq!(first.peer().name, "server-1");

        bounded(10, s.node.shutdown(Duration::from_millis(100))).await;
        first.closed().await;
        // While the connection is being re-established, calls fail at once.
        let started = Instant::now();
        let r = echo.echo("down".into()).await;
        assert!(matches!(r, Err(RpcError::Transport(_))), "{r:?}");
        assert!(started.elapsed() < Duration::from_secs(1));
        // Down for a while: several attempts fail, with backoff.
        tokio::time::sleep(Duration::from_millis(500)).await;

        let node2 = Node::builder("server-2").build();
        let echo2 = TestEcho::new();
        let _h = node2.serve("echo", EchoServer::from_arc(echo2.clone()));
        let addr2 = node2.listen(addr).await.expect("the same port again");
        assert_eq!(addr2, addr);
        let second = peer
            .connected(Duration::from_secs(5))
            .await
            .expect("back up");
        assert_eq!(second.peer().name, "server-2");
        // The new server's services were announced: the same client works.
        assert_eq!(echo.echo("again".into()).await.expect("echo"), "again");
        assert_eq!(echo2.served(), 1);
        shutdown(&[&c, &node2]).await;
    })
    .await;
}

#[tokio::test]
async fn a_call_made_right_after_connect_waits_for_the_connection() {
    bounded(20, async {
        // The module docs' example: connect, then call at once.
        let s = server(Node::builder("server")).await;
        let node = Node::builder("client").build();
        let peer = node.connect(s.addr.to_string());
        let echo: EchoClient = peer.client();
        assert_eq!(echo.echo("hi".into()).await.expect("echo"), "hi");
        match echo.sqrt(-4).await {
            Err(e) if e.app::<EchoError>() == Some(EchoError::Negative) => {}
            other => panic!("{other:?}"),
        }
        // A notification too.
        let peer2 = node.connect(s.addr.to_string());
        let echo2: EchoClient = peer2.client();
        echo2.notify("first".into()).await.expect("queued");

        // A peer that never comes up: the call waits until its deadline.
        let free = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let nobody = free.local_addr().expect("addr");
        drop(free);
        let peer3 = node.connect(nobody.to_string());
        let echo3: EchoClient = peer3.client();
        let started = Instant::now();
        let r = echo3
            .with_timeout(Duration::from_millis(300))
            .echo("x".into())
            .await;
        assert_eq!(transport(r), TransportErrorKind::NotConnected);
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(250), "{took:?}");
        assert!(took < Duration::from_secs(3), "{took:?}");
        shutdown(&[&node, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn calls_go_both_ways_on_a_connection() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        // The client hosts an Echo of its own, which the server calls back.
        let c = Node::builder("client").build();
        let mine = TestEcho::new();
        let _mine = c.serve("mine", EchoServer::from_arc(mine.clone()));
        let peer = c.connect(s.addr.to_string());
        peer.connected(Duration::from_secs(5)).await.expect("up");
        let echo: EchoClient = peer.client();

        // The server's handler calls the client through cx.client().
        assert_eq!(
            echo.echo("callback:hello".into()).await.expect("echo"),
            "cb:hello"
        );
        assert_eq!(mine.served(), 1);
        // A callback whose own handler calls back the server again: the
        // server serves "callback:callback:deep" and "deep", the client
        // "callback:deep".
        assert_eq!(
            echo.echo("callback:callback:deep".into())
                .await
                .expect("echo"),
            "cb:cb:deep"
        );
        assert_eq!(s.echo.served(), 3);
        assert_eq!(mine.served(), 2);
        assert_eq!(
            echo.echo("callback:peer".into()).await.expect("echo"),
            "cb:server",
            "the client's handler sees the server as its caller"
        );
        assert_eq!(echo.echo("peer".into()).await.expect("echo"), "client");

        // The server calls the client over its inbound connection, many
        // calls each way at once.
        let inbound = s.node.connections();
        assert_eq!(inbound.len(), 1);
        assert_eq!(inbound[0].peer().name, "client");
        let back: EchoClient = inbound[0].client();
        let mut calls = JoinSet::new();
        for i in 0..200 {
            let (echo, back) = (echo.clone(), back.clone());
            calls.spawn(async move {
                assert_eq!(echo.add(i, 1).await.expect("to the server"), i + 1);
                assert_eq!(back.add(i, 2).await.expect("to the client"), i + 2);
                let text = format!("callback:{i}");
                assert_eq!(echo.echo(text).await.expect("round"), format!("cb:{i}"));
            });
        }
        while let Some(r) = calls.join_next().await {
            r.expect("each call");
        }
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn services_withdrawn_and_added_at_run_time() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let (c, _peer, echo) = client(Node::builder("client"), s.addr).await;
        assert_eq!(echo.echo("one".into()).await.expect("echo"), "one");
        let mut raw = Raw::hello(s.addr, "raw").await;
        let (code, content) = raw.recv().await;
        assert_eq!(
            (code, content),
            (code::CER, cer(true, "echo.Echo", "echo", 1))
        );
        // A call before: the connection's reader remembers the service.
        raw.send(code::CALL, &call(2, method::ECHO, 1, &[string("here")]))
            .await;
        assert_eq!(
            raw.recv().await,
            (code::RETURN, ret(2, 1, &[string("here")]))
        );

        s.handle.withdraw();
        // Every peer is told.
        let (code, content) = raw.recv().await;
        assert_eq!(
            (code, content),
            (code::CER, cer(false, "echo.Echo", "echo", 1))
        );
        // A call to the withdrawn id: UnknownService.
        raw.send(code::CALL, &call(3, method::ECHO, 1, &[string("gone")]))
            .await;
        assert_eq!(
            raw.recv().await,
            (code::ERR_RETURN, err_ret(3, 1, &[], fault::UNKNOWN_SERVICE))
        );
        // The client waits for an announcement, and none comes.
        let started = Instant::now();
        let r = echo
            .with_timeout(Duration::from_millis(200))
            .echo("two".into())
            .await;
        assert_eq!(transport(r), TransportErrorKind::NoService);
        assert!(started.elapsed() >= Duration::from_millis(150));

        // A call waiting for the announcement gets it when a service is added.
        let waiting = {
            let echo = echo.clone();
            tokio::spawn(async move {
                echo.with_timeout(Duration::from_secs(5))
                    .echo("three".into())
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        let again = TestEcho::new();
        let h2 = s.node.serve("echo-2", EchoServer::from_arc(again.clone()));
        assert_eq!(h2.id(), 2);
        assert_eq!(
            raw.recv().await,
            (code::CER, cer(true, "echo.Echo", "echo-2", 2))
        );
        assert_eq!(waiting.await.expect("joins").expect("echo"), "three");
        assert_eq!(again.served(), 1);
        // A client of an instance by name.
        let named: EchoClient = _peer.client_named("echo-2");
        assert_eq!(named.echo("four".into()).await.expect("echo"), "four");
        let none: EchoClient = _peer.client_named("nobody");
        let r = none
            .with_timeout(Duration::from_millis(100))
            .echo("five".into())
            .await;
        assert_eq!(transport(r), TransportErrorKind::NoService);
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_65535_ids_in_flight_then_reused() {
    bounded(120, async {
        const IDS: usize = 65_535;
        let s = server(Node::builder("server").max_concurrent_calls(100_000)).await;
        let (c, peer, echo) = client(
            Node::builder("client").call_timeout(Duration::from_secs(100)),
            s.addr,
        )
        .await;
        let mut calls = JoinSet::new();
        for i in 0..IDS {
            let echo = echo.clone();
            calls.spawn(async move {
                let text = format!("gate:{i}");
                assert_eq!(echo.echo(text.clone()).await.expect("echo"), text);
            });
        }
        eventually(90, "every call in flight", || s.echo.arrived() == IDS).await;
        // No id is free: more calls wait (backpressure) and are not sent.
        for i in 0..100 {
            let echo = echo.clone();
            calls.spawn(async move {
                let text = format!("more:{i}");
                assert_eq!(echo.echo(text.clone()).await.expect("echo"), text);
            });
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(s.echo.served(), IDS, "a call went out with no free id");
        s.echo.open_gate();
        while let Some(r) = calls.join_next().await {
            r.expect("every answer matches its request");
        }
        assert_eq!(s.echo.served(), IDS + 100);
        // The ids are reused, answers still matching.
        let mut calls = JoinSet::new();
        for i in 0..2000 {
            let echo = echo.clone();
            calls.spawn(async move { assert_eq!(echo.add(i, i).await.expect("add"), 2 * i) });
        }
        while let Some(r) = calls.join_next().await {
            r.expect("every answer matches its request");
        }
        assert!(
            !peer
                .connected(Duration::from_secs(1))
                .await
                .expect("up")
                .is_closed()
        );
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_answer_frees_its_id_for_a_caller_waiting_for_one() {
    bounded(60, async {
        const IDS: usize = 65_535;
        // Fewer than the abandoned ids that would close the connection.
        const ABANDONED: usize = 30_000;
        let s = server(Node::builder("server").max_concurrent_calls(100_000)).await;
        let (c, _peer, echo) = client(
            Node::builder("client").call_timeout(Duration::from_secs(50)),
            s.addr,
        )
        .await;
        // Every id in use: some calls held at the gate, the others never
        // answered.
        let mut abandoned = JoinSet::new();
        for i in 0..ABANDONED {
            let echo = echo.clone();
            abandoned.spawn(async move { echo.echo(format!("gate:{i}")).await });
        }
        let mut held = JoinSet::new();
        for i in ABANDONED..IDS {
            let echo = echo.clone();
            held.spawn(async move { echo.echo(format!("hold:{i}")).await });
        }
        eventually(50, "every id in use", || s.echo.arrived() == IDS).await;
        // The gated calls are given up: their ids stay in use until their
        // (late) answers come.
        abandoned.abort_all();
        while abandoned.join_next().await.is_some() {}
        // A new call waits for an id; the late answers free them.
        let waiting = {
            let echo = echo.clone();
            tokio::spawn(async move { echo.echo("waited".into()).await })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!waiting.is_finished(), "no id was free");
        let started = Instant::now();
        s.echo.open_gate();
        let answer = bounded(10, waiting).await.expect("joins");
        assert_eq!(answer.expect("an id came free"), "waited");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        held.abort_all();
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn encrypted_connections_and_refusals() {
    bounded(30, async {
        let s = server(
            Node::builder("server")
                .require_encryption(true)
                .authenticator(tokens(["s3cret"])),
        )
        .await;
        let connect = |name: &str, options: ConnectOptions| {
            let node = Node::builder(name).build();
            let peer = node.connect_with(s.addr.to_string(), options);
            (node, peer)
        };
        // Plain: refused with code 3, and not retried.
        let (c1, p1) = connect("plain", ConnectOptions::new().token("s3cret"));
        match p1.connected(Duration::from_secs(5)).await {
            Err(ConnectError::Rejected { code: 3, .. }) => {}
            other => panic!("expected Rejected {{ code: 3 }}, got {other:?}"),
        }
        // Encrypted with a wrong token: code 2.
        let (c2, p2) = connect("wrong", ConnectOptions::new().encrypt(true).token("guess"));
        match p2.connected(Duration::from_secs(5)).await {
            Err(ConnectError::Rejected { code: 2, .. }) => {}
            other => panic!("expected Rejected {{ code: 2 }}, got {other:?}"),
        }
        let echo: EchoClient = p2.client();
        assert!(matches!(
            echo.echo("x".into()).await,
            Err(RpcError::Transport(_))
        ));
        // Encrypted with the token: admitted, calls work both ways.
        let c3 = Node::builder("good").build();
        let mine = TestEcho::new();
        let _mine = c3.serve("mine", EchoServer::from_arc(mine.clone()));
        let p3 = c3.connect_with(
            s.addr.to_string(),
            ConnectOptions::new().encrypt(true).token("s3cret"),
        );
        let conn = p3
            .connected(Duration::from_secs(5))
            .await
            .expect("admitted");
        assert!(conn.peer().encrypted);
        let echo: EchoClient = p3.client();
        let text = "secret ".repeat(10_000);
        assert_eq!(echo.echo(text.clone()).await.expect("echo"), text);
        assert_eq!(
            echo.echo("callback:sealed".into()).await.expect("echo"),
            "cb:sealed"
        );
        let mut calls = JoinSet::new();
        for i in 0..500 {
            let echo = echo.clone();
            calls.spawn(async move { assert_eq!(echo.add(i, 1).await.expect("add"), i + 1) });
        }
        while let Some(r) = calls.join_next().await {
            r.expect("each call");
        }
        let inbound = s.node.connections();
        assert_eq!(inbound.len(), 1, "the refused peers are gone");
        assert!(inbound[0].peer().encrypted);
        shutdown(&[&c1, &c2, &c3, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn a_message_over_the_size_limit_closes_the_connection() {
    bounded(20, async {
        let s = server(Node::builder("server").max_message_size(64 * 1024)).await;
        let (c, peer, echo) = client(Node::builder("client"), s.addr).await;
        let first = peer.connected(Duration::from_secs(1)).await.expect("up");
        // Just under the limit: fine.
        let text = "x".repeat(60 * 1024);
        assert_eq!(echo.echo(text.clone()).await.expect("echo"), text);
        // Over it: the server closes the connection, the call fails.
        let r = echo.echo("x".repeat(70 * 1024)).await;
        assert!(matches!(r, Err(RpcError::Transport(_))), "{r:?}");
        first.closed().await;
        // The peer re-establishes the connection.
        peer.connected(Duration::from_secs(5))
            .await
            .expect("back up");
        assert_eq!(echo.echo("small".into()).await.expect("echo"), "small");
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn graceful_shutdown_lets_calls_finish_and_refuses_new_ones() {
    bounded(30, async {
        let s = server(Node::builder("server")).await;
        let (c, _peer, echo) = client(Node::builder("client"), s.addr).await;
        let mut raw = Raw::hello(s.addr, "raw").await;
        let mut in_flight = JoinSet::new();
        for i in 0..3 {
            let echo = echo.clone();
            in_flight.spawn(async move { echo.echo(format!("sleep:500:{i}")).await });
        }
        eventually(5, "the calls are being served", || s.echo.served() == 3).await;

        let started = Instant::now();
        let node = s.node.clone();
        let stopping = tokio::spawn(async move { node.shutdown(Duration::from_secs(5)).await });
        // While it shuts down: its services are withdrawn, and a new call
        // is answered Unavailable.
        loop {
            let (code, content) = raw.recv().await;
            assert_eq!(code, code::CER);
            if content == cer(false, "echo.Echo", "echo", 1) {
                break;
            }
        }
        raw.send(code::CALL, &call(9, method::ECHO, 1, &[string("new")]))
            .await;
        assert_eq!(
            raw.recv_answer().await,
            (code::ERR_RETURN, err_ret(9, 1, &[], fault::UNAVAILABLE))
        );
        // A call to an id it never had is still UnknownService.
        raw.send(code::CALL, &call(10, method::ECHO, 77, &[string("new")]))
            .await;
        assert_eq!(
            raw.recv_answer().await,
            (
                code::ERR_RETURN,
                err_ret(10, 77, &[], fault::UNKNOWN_SERVICE)
            )
        );
        // The calls in flight complete within the grace period.
        let mut answers = Vec::new();
        while let Some(r) = in_flight.join_next().await {
            answers.push(r.expect("joins").expect("completes"));
        }
        answers.sort();
        assert_eq!(answers, ["sleep:500:0", "sleep:500:1", "sleep:500:2"]);
        // Then every task ends: shutdown returns, long before the grace is over.
        bounded(10, stopping).await.expect("shutdown returns");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
        raw.expect_closed(Duration::from_secs(2)).await;
        assert!(s.node.connections().is_empty());
        shutdown(&[&c]).await;
    })
    .await;
}

#[tokio::test]
async fn shutdown_stops_calls_still_running_after_the_grace_period() {
    bounded(30, async {
        let s = server(Node::builder("server")).await;
        let (c, _peer, echo) = client(Node::builder("client"), s.addr).await;
        let held = {
            let echo = echo.clone();
            tokio::spawn(async move { echo.echo("gate:forever".into()).await })
        };
        eventually(5, "the call arrived", || s.echo.arrived() == 1).await;
        let started = Instant::now();
        bounded(10, s.node.shutdown(Duration::from_millis(200))).await;
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(150), "{took:?}");
        assert!(took < Duration::from_secs(3), "{took:?}");
        assert_eq!(
            transport(held.await.expect("joins")),
            TransportErrorKind::Closed
        );
        // The client node shuts down too, with nothing left to wait for.
        bounded(10, c.shutdown(Duration::from_secs(5))).await;
    })
    .await;
}

#[tokio::test]
async fn a_caller_shutting_down_or_closing_its_peer_fails_its_pending_calls() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        // Peer::close: the connection closes, its calls fail at once, and it
        // is not re-established.
        let (c, peer, echo) = client(Node::builder("client"), s.addr).await;
        let held = {
            let echo = echo.clone();
            tokio::spawn(async move { echo.echo("gate:1".into()).await })
        };
        eventually(5, "the call arrived", || s.echo.arrived() == 1).await;
        peer.close();
        assert_eq!(
            transport(bounded(5, held).await.expect("joins")),
            TransportErrorKind::Closed
        );
        assert!(peer.connected(Duration::from_millis(300)).await.is_err());
        assert!(matches!(
            echo.echo("x".into()).await,
            Err(RpcError::Transport(_))
        ));

        // The caller's node shuts down with calls pending: they fail, and
        // the shutdown does not wait for them (it serves none).
        let (c2, _peer2, echo2) = client(Node::builder("client-2"), s.addr).await;
        let held = {
            let echo = echo2.clone();
            tokio::spawn(async move { echo.echo("gate:2".into()).await })
        };
        eventually(5, "the call arrived", || s.echo.arrived() == 2).await;
        let started = Instant::now();
        bounded(10, c2.shutdown(Duration::from_secs(5))).await;
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(
            bounded(5, held).await.expect("joins"),
            Err(RpcError::Transport(_))
        ));
        s.echo.open_gate();
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn untyped_clients_named_at_run_time_pass_encoded_params_through() {
    use gscluster::rpc::EncodedParams;
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let (c, peer, _echo) = client(Node::builder("client"), s.addr).await;
        let conn = peer.connection().expect("connected");
        eventually(5, "the CER of echo.Echo", || conn.announces("echo.Echo")).await;
        assert!(!conn.announces("echo.Nope"));
        assert!(
            conn.services()
                .iter()
                .any(|(contract, _)| &**contract == "echo.Echo")
        );

        // Add(a int32, b int32) -> (int32), method 1, by encoded bytes.
        let params = EncodedParams::encode(&(40i32, 2i32));
        for raw in [peer.client_for("echo.Echo"), conn.client_for("echo.Echo")] {
            let answer: EncodedParams = raw
                .call::<EncodedParams, EncodedParams>(1, params.clone())
                .await
                .unwrap();
            assert_eq!(answer.decode::<(i32,)>().unwrap(), (42,));
        }
        c.shutdown(Duration::from_secs(1)).await;
        s.node.shutdown(Duration::from_secs(1)).await;
    })
    .await;
}
