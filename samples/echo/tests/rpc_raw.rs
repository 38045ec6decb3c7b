//! End-to-end tests of wire.md §3 in raw bytes: a peer that writes and
//! reads the messages by hand (and seals them itself), against the
//! `echo-server` binary and against nodes in the test, checking the
//! answers byte for byte and that every message that cannot be answered
//! closes the connection.

mod common;

use std::io::BufRead as _;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use gscluster::rpc::{ConnectOptions, Node, RpcError, TransportErrorKind, tokens};
use gscluster_echo::EchoClient;
use sha2::Digest as _;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpSocket};
use tokio::time::Instant;

/// The `echo-server` binary, killed when dropped (also when a test fails).
struct EchoServerProcess {
    child: Child,
    addr: SocketAddr,
}

impl EchoServerProcess {
    async fn start(extra: &[&str]) -> EchoServerProcess {
        EchoServerProcess::start_at("127.0.0.1:0".parse().expect("addr"), extra).await
    }

    async fn start_at(listen: SocketAddr, extra: &[&str]) -> EchoServerProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_echo-server"))
            .args(["--listen", &listen.to_string()])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("echo-server starts");
        let stdout = child.stdout.take().expect("stdout");
        // Guard the child before waiting on it.
        let mut process = EchoServerProcess {
            child,
            addr: "0.0.0.0:0".parse().expect("addr"),
        };
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufReader::new(stdout)
                .read_line(&mut line)
                .expect("read stdout");
            line
        });
        let line = tokio::time::timeout(Duration::from_secs(20), line)
            .await
            .expect("echo-server says where it listens")
            .expect("joins");
        let addr = line
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        process.addr = addr.parse().expect("an address");
        process
    }
}

impl Drop for EchoServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn the_echo_server_binary_answers_byte_for_byte() {
    bounded(30, async {
        let server = EchoServerProcess::start(&[]).await;
        let mut raw = Raw::connect(server.addr).await;
        // WhoAmI{Protocol: 1, Name: "raw", Kind: "test", Token: []}
        raw.write(&[
            0x00, 0x0c, 0x01, 0x00, 0x03, b'r', b'a', b'w', 0x04, b't', b'e', b's', b't', 0x00,
        ])
        .await;
        // Accept{Protocol: 1, Name: "echo-server", Kind: "echo"}
        let mut want = vec![0x01, 0x13, 0x01, 0x00, 0x0b];
        want.extend_from_slice(b"echo-server");
        want.push(0x04);
        want.extend_from_slice(b"echo");
        assert_eq!(raw.recv().await, (want[0], want[2..].to_vec()));
        // CER{Add: true, Type: "echo.Echo", Name: "echo", ID: 1}
        let mut want = vec![0x01, 0x09];
        want.extend_from_slice(b"echo.Echo");
        want.push(0x04);
        want.extend_from_slice(b"echo");
        want.extend_from_slice(&[0x01, 0x00, 0x00, 0x00]);
        assert_eq!(raw.recv().await, (0x06, want));

        // Call{ID: 1, Method: 0 (Echo), Service: 1, Params: [{"hi"}]}
        raw.write(&[
            0x04, 0x0d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x03, 0x02, b'h',
            b'i',
        ])
        .await;
        // Return{ID: 1, Service: 1, Params: [{"hi"}]}
        assert_eq!(
            raw.recv().await,
            (
                0x05,
                vec![
                    0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x03, 0x02, b'h', b'i'
                ]
            )
        );
        // Call{ID: 2, Method: 1 (Add), Service: 1, Params: [{2}, {-5}]}
        raw.write(&[
            0x04, 0x13, 0x02, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x04, 0x02, 0x00,
            0x00, 0x00, 0x04, 0xfb, 0xff, 0xff, 0xff,
        ])
        .await;
        // Return{ID: 2, Service: 1, Params: [{-3}]}
        assert_eq!(
            raw.recv().await,
            (
                0x05,
                vec![
                    0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0xfd, 0xff, 0xff, 0xff
                ]
            )
        );
        // Call{ID: 0x0203, Method: 3 (Pair), Service: 1, Params: []}
        raw.write(&[
            0x04, 0x09, 0x03, 0x02, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        ])
        .await;
        // Return{ID: 0x0203, Service: 1, Params: [{"pair"}, {42 as uint64}]}
        assert_eq!(
            raw.recv().await,
            (
                0x05,
                vec![
                    0x03, 0x02, 0x01, 0x00, 0x00, 0x00, 0x02, 0x05, 0x04, b'p', b'a', b'i', b'r',
                    0x08, 42, 0, 0, 0, 0, 0, 0, 0
                ]
            )
        );
        // Call{ID: 4, Method: 2 (Sqrt), Service: 1, Params: [{-1}]}
        raw.write(&[
            0x04, 0x0e, 0x04, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0xff, 0xff,
            0xff, 0xff,
        ])
        .await;
        // ErrReturn{ID: 4, Service: 1, UUID: the domain of echo.EchoError,
        // Code: 1 (Negative)}: the first 16 bytes of SHA-256 of
        // "gslang.error:echo.EchoError".
        let domain = &sha2::Sha256::digest(b"gslang.error:echo.EchoError")[..16];
        let mut want = vec![0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10];
        want.extend_from_slice(domain);
        want.extend_from_slice(&[0x01, 0x00, 0x00, 0x00]);
        assert_eq!(raw.recv().await, (0x07, want));
        // Call{ID: 5, Method: 99, Service: 1, Params: []}
        raw.write(&[
            0x04, 0x09, 0x05, 0x00, 0x63, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        ])
        .await;
        // ErrReturn{ID: 5, Service: 1, UUID: [], Code: 2 (UnknownMethod)}
        assert_eq!(
            raw.recv().await,
            (
                0x07,
                vec![
                    0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00
                ]
            )
        );
        raw.expect_silence(Duration::from_millis(100)).await;
        drop(server);
        raw.expect_closed(Duration::from_secs(5)).await;
    })
    .await;
}

#[tokio::test]
async fn the_echo_server_binary_requires_encryption_when_told_and_stops_on_sigterm() {
    bounded(30, async {
        let mut server = EchoServerProcess::start(&["--require-encryption"]).await;
        // A plain WhoAmI: Reject{Code: 3, …}, then the close.
        let mut raw = Raw::connect(server.addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(1, "plain", "raw", b""))
            .await;
        let (code, content) = raw.recv().await;
        assert_eq!(code, code::REJECT);
        assert_eq!(content[..4], [3, 0, 0, 0]);
        raw.expect_closed(Duration::from_secs(5)).await;

        // Encrypted: served. The generated client too.
        let mut raw = Raw::hello_encrypted(server.addr, "sealed").await;
        assert_eq!(
            raw.recv().await,
            (code::CER, cer(true, "echo.Echo", "echo", 1))
        );
        raw.send(code::CALL, &call(1, method::ECHO, 1, &[string("psst")]))
            .await;
        assert_eq!(
            raw.recv().await,
            (code::RETURN, ret(1, 1, &[string("psst")]))
        );
        let node = Node::builder("client").build();
        let peer = node.connect_with(server.addr.to_string(), ConnectOptions::new().encrypt(true));
        peer.connected(Duration::from_secs(5)).await.expect("up");
        let echo: EchoClient = peer.client();
        assert_eq!(echo.echo("sealed".into()).await.expect("echo"), "sealed");

        // SIGTERM: a graceful shutdown, and exit status 0.
        let status = Command::new("kill")
            .args(["-TERM", &server.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let exit = loop {
            if let Some(exit) = server.child.try_wait().expect("try_wait") {
                break exit;
            }
            assert!(
                Instant::now() < deadline,
                "echo-server did not exit on SIGTERM"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert!(exit.success(), "{exit:?}");
        raw.expect_closed(Duration::from_secs(5)).await;
        shutdown(&[&node]).await;
    })
    .await;
}

/// Sends a call and returns the first answer (skipping CERs).
async fn ask(raw: &mut Raw, content: &[u8]) -> (u8, Vec<u8>) {
    raw.send(code::CALL, content).await;
    raw.recv_answer().await
}

fn fault_of(id: u16, service: u32, code: i32) -> (u8, Vec<u8>) {
    (code::ERR_RETURN, err_ret(id, service, &[], code))
}

#[tokio::test]
async fn every_fault_code_byte_for_byte() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let mut raw = Raw::hello(s.addr, "raw").await;
        assert_eq!(
            raw.recv().await,
            (code::CER, cer(true, "echo.Echo", "echo", 1))
        );

        // UnknownService: a service id that was never announced, whatever
        // the method and params (checked first).
        let unknown = call(1, method::ECHO, 999, &[string("x")]);
        assert_eq!(
            ask(&mut raw, &unknown).await,
            fault_of(1, 999, fault::UNKNOWN_SERVICE)
        );
        let unknown = call(2, 99, 0, &[]);
        assert_eq!(
            ask(&mut raw, &unknown).await,
            fault_of(2, 0, fault::UNKNOWN_SERVICE)
        );
        // UnknownMethod: method id 99, whatever the params (checked next).
        let c = call(3, 99, 1, &[]);
        assert_eq!(
            ask(&mut raw, &c).await,
            fault_of(3, 1, fault::UNKNOWN_METHOD)
        );
        let c = call(4, 99, 1, &[vec![0xff; 3], vec![]]);
        assert_eq!(
            ask(&mut raw, &c).await,
            fault_of(4, 1, fault::UNKNOWN_METHOD)
        );

        // BadRequest: wrong param counts.
        for (id, list) in [(5u16, vec![]), (6, vec![string("a"), string("b")])] {
            let c = call(id, method::ECHO, 1, &list);
            assert_eq!(ask(&mut raw, &c).await, fault_of(id, 1, fault::BAD_REQUEST));
        }
        // A param that does not decode: invalid UTF-8, a truncated string,
        // a 3-byte int32.
        let c = call(7, method::ECHO, 1, &[vec![0x02, 0xc3, 0x28]]);
        assert_eq!(ask(&mut raw, &c).await, fault_of(7, 1, fault::BAD_REQUEST));
        let c = call(8, method::ECHO, 1, &[vec![0x05, b'a']]);
        assert_eq!(ask(&mut raw, &c).await, fault_of(8, 1, fault::BAD_REQUEST));
        let c = call(9, method::SQRT, 1, &[vec![1, 0, 0]]);
        assert_eq!(ask(&mut raw, &c).await, fault_of(9, 1, fault::BAD_REQUEST));
        // Trailing bytes in a param.
        let mut hi = string("hi");
        hi.push(0);
        let c = call(10, method::ECHO, 1, &[hi]);
        assert_eq!(ask(&mut raw, &c).await, fault_of(10, 1, fault::BAD_REQUEST));
        let c = call(11, method::ADD, 1, &[vec![1, 0, 0, 0, 0], vec![1, 0, 0, 0]]);
        assert_eq!(ask(&mut raw, &c).await, fault_of(11, 1, fault::BAD_REQUEST));
        // Bytes after the Params list.
        let mut c = call(12, method::ECHO, 1, &[string("hi")]);
        c.push(0);
        assert_eq!(ask(&mut raw, &c).await, fault_of(12, 1, fault::BAD_REQUEST));
        // A list whose count is more than it holds.
        let mut c = call(13, method::PAIR, 1, &[]);
        *c.last_mut().expect("count") = 5;
        assert_eq!(ask(&mut raw, &c).await, fault_of(13, 1, fault::BAD_REQUEST));
        // A Call that holds its id but not the rest of its header.
        let (code, content) = ask(&mut raw, &[14, 0, 1, 0]).await;
        assert_eq!(code, code::ERR_RETURN);
        assert_eq!(content[..2], [14, 0]);
        assert_eq!(content[6..], [0, 3, 0, 0, 0]);

        // Internal: the handler panicked; the connection goes on.
        let c = call(15, method::ECHO, 1, &[string("panic")]);
        assert_eq!(ask(&mut raw, &c).await, fault_of(15, 1, fault::INTERNAL));

        // After all of these, the connection still serves.
        let c = call(16, method::ECHO, 1, &[string("still here")]);
        assert_eq!(
            ask(&mut raw, &c).await,
            (code::RETURN, ret(16, 1, &[string("still here")]))
        );

        // Unavailable: over the concurrency limit.
        let s2 = server(Node::builder("server-2").max_concurrent_calls(1)).await;
        let mut raw2 = Raw::hello(s2.addr, "raw").await;
        raw2.send(code::CALL, &call(1, method::ECHO, 1, &[string("gate:a")]))
            .await;
        eventually(5, "the first call arrived", || s2.echo.arrived() == 1).await;
        let c = call(2, method::ECHO, 1, &[string("b")]);
        assert_eq!(ask(&mut raw2, &c).await, fault_of(2, 1, fault::UNAVAILABLE));
        s2.echo.open_gate();
        assert_eq!(
            raw2.recv_answer().await,
            (code::RETURN, ret(1, 1, &[string("gate:a")]))
        );
        let c = call(3, method::ECHO, 1, &[string("c")]);
        assert_eq!(
            ask(&mut raw2, &c).await,
            (code::RETURN, ret(3, 1, &[string("c")]))
        );
        shutdown(&[&s.node, &s2.node]).await;
    })
    .await;
}

#[tokio::test]
async fn unavailable_is_checked_after_the_method_and_the_params() {
    bounded(20, async {
        // wire.md §3.4 checks unknown service, unknown method, bad request,
        // then Unavailable: a call that could never be served says why,
        // also over the concurrency limit or during shutdown.
        let s = server(Node::builder("server").max_concurrent_calls(1)).await;
        let mut raw = Raw::hello(s.addr, "raw").await;
        raw.send(code::CALL, &call(1, method::ECHO, 1, &[string("gate:a")]))
            .await;
        eventually(5, "the first call arrived", || s.echo.arrived() == 1).await;
        let refused = [
            (
                call(2, method::ECHO, 9, &[string("x")]),
                fault_of(2, 9, fault::UNKNOWN_SERVICE),
            ),
            (call(3, 99, 1, &[]), fault_of(3, 1, fault::UNKNOWN_METHOD)),
            (
                call(4, method::ECHO, 1, &[]),
                fault_of(4, 1, fault::BAD_REQUEST),
            ),
            (
                call(5, method::ECHO, 1, &[string("x")]),
                fault_of(5, 1, fault::UNAVAILABLE),
            ),
        ];
        for (c, want) in &refused {
            assert_eq!(&ask(&mut raw, c).await, want);
        }
        s.echo.open_gate();
        assert_eq!(
            raw.recv_answer().await,
            (code::RETURN, ret(1, 1, &[string("gate:a")]))
        );

        // During shutdown.
        let s2 = server(Node::builder("server-2")).await;
        let mut raw2 = Raw::hello(s2.addr, "raw").await;
        let (c, _peer, echo) = client(Node::builder("client"), s2.addr).await;
        let held = {
            let echo = echo.clone();
            tokio::spawn(async move { echo.echo("gate:b".into()).await })
        };
        eventually(5, "the call arrived", || s2.echo.arrived() == 1).await;
        let node = s2.node.clone();
        let stopping = tokio::spawn(async move { node.shutdown(Duration::from_secs(5)).await });
        loop {
            let (code, content) = raw2.recv().await;
            assert_eq!(code, code::CER);
            if content == cer(false, "echo.Echo", "echo", 1) {
                break;
            }
        }
        for (c, want) in &refused {
            assert_eq!(&ask(&mut raw2, c).await, want);
        }
        s2.echo.open_gate();
        assert_eq!(held.await.expect("joins").expect("completes"), "gate:b");
        bounded(10, stopping).await.expect("shutdown returns");
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn calls_with_id_0_are_never_answered_not_even_with_a_fault() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let mut raw = Raw::hello(s.addr, "raw").await;
        for c in [
            // An unknown service, an unknown method, bad params.
            call(0, method::NOTIFY, 999, &[string("x")]),
            call(0, 99, 1, &[]),
            call(0, method::NOTIFY, 1, &[]),
            call(0, method::NOTIFY, 1, &[vec![0x02, 0xc3, 0x28]]),
            // A handler that panics.
            call(0, method::NOTIFY, 1, &[string("panic")]),
            // A method that has answers, and one that fails.
            call(0, method::ECHO, 1, &[string("dropped")]),
            call(0, method::SQRT, 1, &[(-1i32).to_le_bytes().to_vec()]),
            call(0, method::ECHO, 1, &[string("panic")]),
            // One that is counted.
            call(0, method::NOTIFY, 1, &[string("counted")]),
        ] {
            raw.send(code::CALL, &c).await;
        }
        raw.expect_silence(Duration::from_millis(300)).await;
        // The next answer is the Count's: 1 notification counted.
        let c = call(9, method::COUNT, 1, &[]);
        assert_eq!(
            ask(&mut raw, &c).await,
            (code::RETURN, ret(9, 1, &[1u64.to_le_bytes().to_vec()]))
        );
        raw.expect_silence(Duration::from_millis(200)).await;

        // Over the concurrency limit, a call with id 0 is dropped too.
        let s2 = server(Node::builder("server-2").max_concurrent_calls(1)).await;
        let mut raw2 = Raw::hello(s2.addr, "raw").await;
        raw2.send(code::CALL, &call(1, method::ECHO, 1, &[string("gate:a")]))
            .await;
        eventually(5, "the first call arrived", || s2.echo.arrived() == 1).await;
        raw2.send(code::CALL, &call(0, method::NOTIFY, 1, &[string("x")]))
            .await;
        raw2.expect_silence(Duration::from_millis(200)).await;
        s2.echo.open_gate();
        assert_eq!(
            raw2.recv_answer().await,
            (code::RETURN, ret(1, 1, &[string("gate:a")]))
        );
        raw2.expect_silence(Duration::from_millis(100)).await;
        shutdown(&[&s.node, &s2.node]).await;
    })
    .await;
}

#[tokio::test]
async fn a_call_of_an_async_method_with_an_id_is_answered_once() {
    bounded(20, async {
        // The callee answers by the call's id: only id 0 goes unanswered,
        // whatever the method.
        let s = server(Node::builder("server")).await;
        let mut raw = Raw::hello(s.addr, "raw").await;
        let c = call(7, method::NOTIFY, 1, &[string("x")]);
        assert_eq!(ask(&mut raw, &c).await, (code::RETURN, ret(7, 1, &[])));
        let c = call(8, method::NOTIFY, 1, &[]);
        assert_eq!(ask(&mut raw, &c).await, fault_of(8, 1, fault::BAD_REQUEST));
        let c = call(9, method::NOTIFY, 1, &[string("panic")]);
        assert_eq!(ask(&mut raw, &c).await, fault_of(9, 1, fault::INTERNAL));
        raw.expect_silence(Duration::from_millis(100)).await;
        let c = call(10, method::COUNT, 1, &[]);
        assert_eq!(
            ask(&mut raw, &c).await,
            (code::RETURN, ret(10, 1, &[1u64.to_le_bytes().to_vec()]))
        );
        shutdown(&[&s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn stray_answers_are_dropped_and_the_connection_stays_up() {
    bounded(20, async {
        // To a node that has called nothing.
        let s = server(Node::builder("server")).await;
        let mut raw = Raw::hello(s.addr, "raw").await;
        raw.send(code::RETURN, &ret(77, 1, &[string("stray")]))
            .await;
        raw.send(code::RETURN, &ret(0, 1, &[])).await;
        raw.send(code::RETURN, &ret(65535, 0, &[])).await;
        raw.send(code::ERR_RETURN, &err_ret(78, 1, &[], fault::INTERNAL))
            .await;
        raw.send(code::ERR_RETURN, &err_ret(79, 1, &[7; 16], 3))
            .await;
        let c = call(1, method::ECHO, 1, &[string("after")]);
        assert_eq!(
            ask(&mut raw, &c).await,
            (code::RETURN, ret(1, 1, &[string("after")]))
        );

        // To a node waiting for an answer: the stray answers before the
        // right one do not reach its call.
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let fake = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.expect("accept");
            let mut raw = Raw::over(stream);
            let (code, _) = raw.recv().await;
            assert_eq!(code, code::WHO_AM_I);
            raw.send(code::ACCEPT, &accept(1, "fake", "fake")).await;
            raw.send(code::CER, &cer(true, "echo.Echo", "echo", 1))
                .await;
            for _ in 0..2 {
                let (code, content) = raw.recv().await;
                assert_eq!(code, code::CALL);
                let id = u16::from_le_bytes([content[0], content[1]]);
                let stray = id.wrapping_add(100);
                raw.send(code::RETURN, &ret(stray, 1, &[string("wrong")]))
                    .await;
                raw.send(code::ERR_RETURN, &err_ret(stray, 1, &[], 4)).await;
                raw.send(code::RETURN, &ret(id, 1, &[string("right")]))
                    .await;
            }
            raw.expect_silence(Duration::from_millis(100)).await;
        });
        let (c, peer, echo) = client(Node::builder("client"), addr).await;
        assert_eq!(echo.echo("a".into()).await.expect("echo"), "right");
        assert_eq!(echo.echo("b".into()).await.expect("echo"), "right");
        assert!(
            !peer
                .connected(Duration::from_secs(1))
                .await
                .expect("up")
                .is_closed()
        );
        fake.await.expect("the fake server");
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn messages_that_cannot_be_answered_close_the_connection() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("a Call too short for its id", message(code::CALL, &[1])),
            ("an empty Call", message(code::CALL, &[])),
            ("an unknown code", message(9, &[])),
            ("code 255", message(255, &[1, 2, 3])),
            (
                "a WhoAmI after the handshake",
                message(code::WHO_AM_I, &who_am_i(1, "again", "raw", b"")),
            ),
            (
                "an Accept after the handshake",
                message(code::ACCEPT, &accept(1, "x", "y")),
            ),
            (
                "a Reject after the handshake",
                message(code::REJECT, &reject(1, "no")),
            ),
            (
                "a DHExchange after the handshake",
                message(
                    code::DH_EXCHANGE,
                    &dh_exchange("x25519-chacha20poly1305", &[9; 32]),
                ),
            ),
            ("a non-minimal length", vec![code::CALL, 0x80, 0x00]),
            (
                "a length of 6 bytes",
                vec![code::CALL, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
            ),
        ];
        for (what, bytes) in cases {
            let mut raw = Raw::hello(s.addr, "raw").await;
            raw.write(&bytes).await;
            let got = raw.recv_within(Duration::from_secs(5)).await;
            match got {
                Some(Got::Closed) => {}
                Some(Got::Message(code::CER, _)) => raw.expect_closed(Duration::from_secs(5)).await,
                other => panic!("{what}: expected the close, got {other:?}"),
            }
        }
        // The node still serves others.
        let mut raw = Raw::hello(s.addr, "raw").await;
        let c = call(1, method::ECHO, 1, &[string("ok")]);
        assert_eq!(
            ask(&mut raw, &c).await,
            (code::RETURN, ret(1, 1, &[string("ok")]))
        );
        shutdown(&[&s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn a_message_over_the_size_limit_is_refused_before_its_content() {
    bounded(20, async {
        let s = server(Node::builder("server").max_message_size(1024)).await;
        let mut raw = Raw::hello(s.addr, "raw").await;
        // A Call of exactly 1024 bytes of content is served: 8 header bytes,
        // the count, then a param of 1013 bytes (2 + 1011).
        let text = "y".repeat(1011);
        let c = call(1, method::ECHO, 1, &[string(&text)]);
        assert_eq!(c.len(), 1024);
        assert_eq!(
            ask(&mut raw, &c).await,
            (code::RETURN, ret(1, 1, &[string(&text)]))
        );
        // 1025: the header alone closes the connection, its content never
        // sent.
        let mut header = vec![code::CALL];
        varint(1025, &mut header);
        raw.write(&header).await;
        raw.expect_closed(Duration::from_secs(5)).await;
        // Far over it (4 GiB - 1): the same, nothing allocated for it.
        let mut raw = Raw::hello(s.addr, "raw").await;
        raw.write(&[code::CALL, 0xff, 0xff, 0xff, 0xff, 0x0f]).await;
        raw.expect_closed(Duration::from_secs(5)).await;
        // In the handshake too.
        let mut raw = Raw::connect(s.addr).await;
        raw.write(&[code::WHO_AM_I, 0xff, 0xff, 0xff, 0x7f]).await;
        raw.expect_closed(Duration::from_secs(5)).await;
        shutdown(&[&s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn garbage_or_no_handshake_closes_the_connection() {
    bounded(20, async {
        let s = server(Node::builder("server").handshake_timeout(Duration::from_millis(300))).await;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("garbage", vec![0xff; 16]),
            (
                "an HTTP request",
                b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(4),
            ),
            ("a Call first", message(code::CALL, &call(1, 0, 1, &[]))),
            ("a CER first", message(code::CER, &cer(true, "a.B", "b", 1))),
            (
                "an Accept first",
                message(code::ACCEPT, &accept(1, "x", "y")),
            ),
            (
                "a WhoAmI that does not decode",
                message(code::WHO_AM_I, &[1, 0, 9, b'x']),
            ),
            (
                "a WhoAmI with trailing bytes",
                message(
                    code::WHO_AM_I,
                    &[who_am_i(1, "a", "b", b""), vec![0]].concat(),
                ),
            ),
        ];
        for (what, bytes) in cases {
            let mut raw = Raw::connect(s.addr).await;
            raw.write(&bytes).await;
            let started = Instant::now();
            assert_eq!(
                raw.recv_within(Duration::from_secs(5)).await,
                Some(Got::Closed),
                "{what}"
            );
            assert!(started.elapsed() < Duration::from_secs(3), "{what}");
        }
        // Nothing at all, or half a WhoAmI: closed at the handshake timeout.
        let half = message(code::WHO_AM_I, &who_am_i(1, "slow", "raw", b""));
        for bytes in [vec![], half[..5].to_vec()] {
            let mut raw = Raw::connect(s.addr).await;
            raw.write(&bytes).await;
            let started = Instant::now();
            assert_eq!(
                raw.recv_within(Duration::from_secs(5)).await,
                Some(Got::Closed)
            );
            let took = started.elapsed();
            assert!(took >= Duration::from_millis(250), "closed after {took:?}");
            assert!(took < Duration::from_secs(3), "closed after {took:?}");
        }
        // A handshake in time still works.
        let mut raw = Raw::hello(s.addr, "raw").await;
        let c = call(1, method::ECHO, 1, &[string("ok")]);
        assert_eq!(
            ask(&mut raw, &c).await,
            (code::RETURN, ret(1, 1, &[string("ok")]))
        );
        shutdown(&[&s.node]).await;
    })
    .await;
}

/// Reads a Reject and the close that follows it; returns `Reject.Code`.
async fn rejected(raw: &mut Raw) -> i32 {
    let (code, content) = raw.recv().await;
    assert_eq!(code, code::REJECT, "{content:02x?}");
    let reason_len = usize::from(content[4]);
    assert_eq!(content.len(), 5 + reason_len, "Reject{{Code, Reason}}");
    assert!(std::str::from_utf8(&content[5..]).is_ok());
    raw.expect_closed(Duration::from_secs(5)).await;
    i32::from_le_bytes(content[..4].try_into().expect("4 bytes"))
}

#[tokio::test]
async fn rejects_with_codes_1_2_and_3() {
    bounded(20, async {
        let s = server(
            Node::builder("server")
                .require_encryption(true)
                .authenticator(tokens(["s3cret"])),
        )
        .await;
        // Plain, with the right token: 3.
        let mut raw = Raw::connect(s.addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(1, "plain", "raw", b"s3cret"))
            .await;
        assert_eq!(rejected(&mut raw).await, 3);
        // Encrypted, with a wrong token: 2 (sealed).
        let mut raw = Raw::key_exchange(s.addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(1, "guess", "raw", b"guess"))
            .await;
        assert_eq!(rejected(&mut raw).await, 2);
        // Encrypted, the right token, protocol 2: 1.
        let mut raw = Raw::key_exchange(s.addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(2, "future", "raw", b"s3cret"))
            .await;
        assert_eq!(rejected(&mut raw).await, 1);
        // Encrypted, the right token, protocol 1: accepted.
        let mut raw = Raw::key_exchange(s.addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(1, "good", "raw", b"s3cret"))
            .await;
        assert_eq!(
            raw.recv().await,
            (code::ACCEPT, accept(1, "server", "node"))
        );

        // Without encryption required: a wrong token is 2, protocol 0 is 1.
        let s2 = server(Node::builder("server-2").authenticator(tokens(["s3cret"]))).await;
        let mut raw = Raw::connect(s2.addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(1, "guess", "raw", b"s3cre"))
            .await;
        assert_eq!(rejected(&mut raw).await, 2);
        let mut raw = Raw::connect(s2.addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(0, "past", "raw", b"s3cret"))
            .await;
        assert_eq!(rejected(&mut raw).await, 1);
        let mut raw = Raw::connect(s2.addr).await;
        raw.send(code::WHO_AM_I, &who_am_i(1, "good", "raw", b"s3cret"))
            .await;
        assert_eq!(
            raw.recv().await,
            (code::ACCEPT, accept(1, "server-2", "node"))
        );
        shutdown(&[&s.node, &s2.node]).await;
    })
    .await;
}

#[tokio::test]
async fn sealed_messages_that_fail_to_open_close_the_connection() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        // Sealed both ways: the CER, a call, its answer.
        let mut raw = Raw::hello_encrypted(s.addr, "sealed").await;
        assert_eq!(
            raw.recv().await,
            (code::CER, cer(true, "echo.Echo", "echo", 1))
        );
        let c = call(1, method::ECHO, 1, &[string("sealed")]);
        assert_eq!(
            ask(&mut raw, &c).await,
            (code::RETURN, ret(1, 1, &[string("sealed")]))
        );

        // A flipped byte of the ciphertext, of the tag; the wrong code as
        // associated data; a replay; a plain message; a sealed content
        // shorter than a tag.
        for what in [
            "a flipped ciphertext byte",
            "a flipped tag byte",
            "another code",
            "a replay",
            "a plain call",
            "a short content",
        ] {
            let mut raw = Raw::hello_encrypted(s.addr, "sealed").await;
            assert_eq!(raw.recv().await.0, code::CER);
            let c = call(2, method::ECHO, 1, &[string("x")]);
            let mut sealed = raw.seal.as_mut().expect("sealed").seal(code::CALL, &c);
            let last = sealed.len() - 1;
            let bytes = match what {
                "a flipped ciphertext byte" => {
                    sealed[3] ^= 0x01;
                    message(code::CALL, &sealed)
                }
                "a flipped tag byte" => {
                    sealed[last] ^= 0x80;
                    message(code::CALL, &sealed)
                }
                "another code" => message(code::RETURN, &sealed),
                "a plain call" => message(code::CALL, &c),
                "a short content" => message(code::CALL, &[0; 15]),
                _ => message(code::CALL, &sealed),
            };
            raw.write(&bytes).await;
            // A replay: answered once, then the same bytes again close the
            // connection.
            if what == "a replay" {
                assert_eq!(raw.recv().await, (code::RETURN, ret(2, 1, &[string("x")])));
                raw.write(&bytes).await;
            }
            match raw.recv_within(Duration::from_secs(5)).await {
                Some(Got::Closed) => {}
                other => panic!("{what}: expected the close, got {other:?}"),
            }
        }
        // A tampered WhoAmI too.
        let mut raw = Raw::key_exchange(s.addr).await;
        let mut sealed = raw
            .seal
            .as_mut()
            .expect("sealed")
            .seal(code::WHO_AM_I, &who_am_i(1, "x", "raw", b""));
        sealed[0] ^= 0x01;
        raw.write(&message(code::WHO_AM_I, &sealed)).await;
        assert_eq!(
            raw.recv_within(Duration::from_secs(5)).await,
            Some(Got::Closed)
        );
        shutdown(&[&s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn low_order_keys_and_unknown_suites_are_refused() {
    bounded(20, async {
        let s = server(Node::builder("server")).await;
        let mut one = [0u8; 32];
        one[0] = 1;
        // A point of order 8 (from the list of Curve25519's low-order points).
        let order8: [u8; 32] = [
            0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f,
            0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16,
            0x5f, 0x49, 0xb8, 0x00,
        ];
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "the all-zero key",
                dh_exchange("x25519-chacha20poly1305", &[0; 32]),
            ),
            ("the key 1", dh_exchange("x25519-chacha20poly1305", &one)),
            (
                "a key of order 8",
                dh_exchange("x25519-chacha20poly1305", &order8),
            ),
            (
                "a short key",
                dh_exchange("x25519-chacha20poly1305", &[9; 31]),
            ),
            ("an unknown suite", dh_exchange("rsa-aes", &[9; 32])),
            (
                "a key that is not base64",
                [string("x25519-chacha20poly1305"), string("not base64!")].concat(),
            ),
        ];
        for (what, content) in cases {
            let mut raw = Raw::connect(s.addr).await;
            raw.send(code::DH_EXCHANGE, &content).await;
            assert_eq!(
                raw.recv_within(Duration::from_secs(5)).await,
                Some(Got::Closed),
                "{what}: no DHExchange answer, the close"
            );
        }

        // An opener refuses an acceptor's all-zero key: it closes without
        // sending its WhoAmI.
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let node = Node::builder("opener").build();
        let peer = node.connect_with(addr.to_string(), ConnectOptions::new().encrypt(true));
        let (stream, _) = tokio::time::timeout(Duration::from_secs(5), listener.accept())
            .await
            .expect("the node connects")
            .expect("accept");
        let mut raw = Raw::over(stream);
        let (code, content) = raw.recv().await;
        assert_eq!(code, code::DH_EXCHANGE);
        assert_eq!(parse_dh_exchange(&content).1.len(), 32);
        raw.send(
            code::DH_EXCHANGE,
            &dh_exchange("x25519-chacha20poly1305", &[0; 32]),
        )
        .await;
        assert_eq!(
            raw.recv_within(Duration::from_secs(5)).await,
            Some(Got::Closed)
        );
        assert!(peer.connected(Duration::from_millis(100)).await.is_err());
        shutdown(&[&node, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn a_peer_that_never_reads_is_closed_by_the_write_timeout() {
    bounded(30, async {
        let s = server(
            Node::builder("server")
                .write_timeout(Duration::from_millis(300))
                .max_write_buffer(64 * 1024),
        )
        .await;
        let raw = Raw::hello(s.addr, "sink").await;
        // The sink sends 16 MiB of Echo calls and reads none of the answers.
        let (_read_half, mut write_half) = raw.stream.into_split();
        let sender = tokio::spawn(async move {
            let text = "z".repeat(256 * 1024);
            for id in 1..=64u16 {
                let c = message(code::CALL, &call(id, method::ECHO, 1, &[string(&text)]));
                if write_half.write_all(&c).await.is_err() {
                    return;
                }
            }
            // Dropping the write half would end the stream (and the node
            // would close on that): the sink stays, silent.
            std::future::pending::<()>().await;
        });
        // Another peer is served all along.
        let (c, _peer, echo) = client(Node::builder("client"), s.addr).await;
        let started = Instant::now();
        let mut served = 0;
        while s
            .node
            .connections()
            .iter()
            .any(|conn| conn.peer().name == "sink")
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the sink's connection is still open"
            );
            let one = echo.with_timeout(Duration::from_secs(2));
            assert_eq!(one.add(served, 1).await.expect("served"), served + 1);
            served += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for i in 0..20 {
            assert_eq!(echo.add(i, 1).await.expect("still served"), i + 1);
        }
        sender.abort();
        shutdown(&[&c, &s.node]).await;
    })
    .await;
}

#[tokio::test]
async fn a_slow_reader_that_keeps_reading_is_not_cut_by_the_write_timeout() {
    bounded(30, async {
        // The write timeout is for a write that makes no progress, not for
        // a large batch of answers written slowly.
        let s = server(Node::builder("server").write_timeout(Duration::from_secs(1))).await;
        let socket = TcpSocket::new_v4().expect("socket");
        socket.set_recv_buffer_size(64 * 1024).expect("SO_RCVBUF");
        let stream = socket.connect(s.addr).await.expect("connect");
        let mut raw = Raw::over(stream);
        raw.send(code::WHO_AM_I, &who_am_i(1, "slow", "raw", b""))
            .await;
        assert_eq!(raw.recv().await.0, code::ACCEPT);
        // 16 MiB of answers, read at several MB/s: a couple of seconds in
        // all, each read within milliseconds of the last. (The kernel
        // signals room to write once a third of the send buffer, up to 4 MB,
        // has drained: the writer sees progress every 200 ms or so.)
        let text = "s".repeat(512 * 1024);
        let mut calls = Vec::new();
        for id in 1..=32u16 {
            calls.extend(message(
                code::CALL,
                &call(id, method::ECHO, 1, &[string(&text)]),
            ));
        }
        raw.write(&calls).await;
        raw.throttle = Some((64 * 1024, Duration::from_millis(5)));
        let started = Instant::now();
        let mut ids = Vec::new();
        while ids.len() < 32 {
            match raw.recv_within(Duration::from_secs(10)).await {
                Some(Got::Message(code::RETURN, content)) => {
                    assert_eq!(content[6..], params(&[string(&text)]));
                    ids.push(u16::from_le_bytes([content[0], content[1]]));
                }
                Some(Got::Message(code::CER, _)) => {}
                other => panic!(
                    "after {} answers in {:?}: {:?}",
                    ids.len(),
                    started.elapsed(),
                    other.map(|g| match g {
                        Got::Message(code, _) => format!("message {code}"),
                        Got::Closed => "the close".to_owned(),
                    })
                ),
            }
        }
        ids.sort_unstable();
        assert_eq!(ids, (1..=32).collect::<Vec<u16>>());
        eprintln!("32 answers read in {:?}", started.elapsed());
        shutdown(&[&s.node]).await;
    })
    .await;
}

/// A fake server: does the handshake, announces `echo.Echo` as id 1, and
/// answers each Echo call with what `answer` makes of its text (`None`:
/// sends nothing more and stops).
async fn scripted_acceptor(
    answer: fn(u16, &str) -> Option<Vec<u8>>,
) -> (SocketAddr, tokio::task::JoinHandle<()>) {
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
        loop {
            let (code, content) = raw.recv().await;
            assert_eq!(code, code::CALL);
            let id = u16::from_le_bytes([content[0], content[1]]);
            // Echo's one param: count 1, its length, the string's length, text.
            let text = std::str::from_utf8(&content[11..]).expect("utf-8");
            match answer(id, text) {
                Some(bytes) => raw.write(&bytes).await,
                None => {
                    raw.expect_silence(Duration::from_millis(100)).await;
                    return;
                }
            }
        }
    });
    (addr, task)
}

#[tokio::test]
async fn answers_the_caller_cannot_use() {
    bounded(20, async {
        let (addr, fake) = scripted_acceptor(|id, text| {
            let bytes = match text {
                "no params" => message(code::RETURN, &ret(id, 1, &[])),
                "two params" => message(code::RETURN, &ret(id, 1, &[string("a"), string("b")])),
                "bad utf-8" => message(code::RETURN, &ret(id, 1, &[vec![2, 0xc3, 0x28]])),
                "fault 42" => message(code::ERR_RETURN, &err_ret(id, 1, &[], 42)),
                "short domain" => message(code::ERR_RETURN, &err_ret(id, 1, &[1, 2, 3], 7)),
                "truncated error" => {
                    let mut e = err_ret(id, 1, &[9; 16], 7);
                    e.truncate(e.len() - 2);
                    message(code::ERR_RETURN, &e)
                }
                "unknown code" => message(9, &[]),
                "stop" => return None,
                other => message(code::RETURN, &ret(id, 1, &[string(other)])),
            };
            Some(bytes)
        })
        .await;
        let (c, peer, echo) = client(Node::builder("client"), addr).await;
        let conn = peer.connected(Duration::from_secs(1)).await.expect("up");
        for text in ["no params", "two params", "bad utf-8", "truncated error"] {
            match echo.echo(text.into()).await {
                Err(RpcError::BadReply(_)) => {}
                other => panic!("{text}: expected BadReply, got {other:?}"),
            }
        }
        match echo.echo("fault 42".into()).await {
            Err(e @ RpcError::UnknownFault(42)) => assert!(e.to_string().contains("42")),
            other => panic!("expected UnknownFault(42), got {other:?}"),
        }
        match echo.echo("short domain".into()).await {
            Err(RpcError::App(app)) => {
                assert_eq!(app.code(), 7);
                assert_eq!(app.domain()[..4], [1, 2, 3, 0]);
            }
            other => panic!("expected App, got {other:?}"),
        }
        // None of that broke the connection.
        assert_eq!(echo.echo("fine".into()).await.expect("echo"), "fine");
        assert!(!conn.is_closed());
        // A message it cannot answer: the connection closes, the call fails.
        match echo.echo("unknown code".into()).await {
            Err(RpcError::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::Protocol),
            other => panic!("expected a protocol error, got {other:?}"),
        }
        conn.closed().await;
        drop(fake);
        shutdown(&[&c]).await;
    })
    .await;
}

#[tokio::test]
async fn reconnection_attempts_back_off() {
    bounded(20, async {
        // A listener that takes each connection and closes it: every
        // handshake fails, and the peer tries again, less and less often.
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let node = Node::builder("client")
            .reconnect_backoff(Duration::from_millis(10), Duration::from_millis(160))
            .build();
        let _peer = node.connect(addr.to_string());
        let started = Instant::now();
        let mut attempts = Vec::new();
        while started.elapsed() < Duration::from_millis(1000) {
            if let Ok(Ok((stream, _))) =
                tokio::time::timeout(Duration::from_millis(50), listener.accept()).await
            {
                attempts.push(started.elapsed());
                drop(stream);
            }
        }
        // 10, 20, 40, 80, 160, 160, … ms apart: about 9 in a second, not
        // hundreds.
        assert!(
            (4..=15).contains(&attempts.len()),
            "{} attempts in 1 s: {attempts:?}",
            attempts.len()
        );
        let gaps: Vec<_> = attempts.windows(2).map(|w| w[1] - w[0]).collect();
        let last = *gaps.last().expect("gaps");
        assert!(last >= Duration::from_millis(120), "{gaps:?}");
        assert!(last < Duration::from_millis(400), "{gaps:?}");
        shutdown(&[&node]).await;
    })
    .await;
}

#[tokio::test]
async fn the_peer_reconnects_to_a_killed_and_restarted_echo_server() {
    bounded(40, async {
        let first = EchoServerProcess::start(&[]).await;
        let addr = first.addr;
        let node = Node::builder("client")
            .reconnect_backoff(Duration::from_millis(20), Duration::from_millis(200))
            .build();
        let peer = node.connect(addr.to_string());
        let echo: EchoClient = peer.client();
        assert_eq!(echo.echo("one".into()).await.expect("echo"), "one");
        let conn = peer.connected(Duration::from_secs(1)).await.expect("up");
        drop(first); // SIGKILL
        bounded(5, conn.closed()).await;
        let r = echo.echo("down".into()).await;
        assert!(matches!(r, Err(RpcError::Transport(_))), "{r:?}");
        let _second = EchoServerProcess::start_at(addr, &[]).await;
        peer.connected(Duration::from_secs(10))
            .await
            .expect("back up");
        assert_eq!(echo.echo("two".into()).await.expect("echo"), "two");
        shutdown(&[&node]).await;
    })
    .await;
}

/// The reader stops reading a peer's calls while their answers fill the
/// write buffer: a peer that never reads costs a bounded amount of memory.
/// (Two nodes that both stop reading, each with its buffer full of answers
/// to the other, wait for each other until the write timeout closes the
/// connection: the price of a bound.)
#[tokio::test]
async fn the_answers_queued_for_a_peer_that_never_reads_stay_bounded() {
    bounded(30, async {
        let s = server(
            Node::builder("server")
                .write_timeout(Duration::from_secs(10))
                .max_write_buffer(64 * 1024),
        )
        .await;
        let socket = TcpSocket::new_v4().expect("socket");
        socket.set_recv_buffer_size(16 * 1024).expect("SO_RCVBUF");
        let stream = socket.connect(s.addr).await.expect("connect");
        let mut raw = Raw::over(stream);
        raw.send(code::WHO_AM_I, &who_am_i(1, "sink", "raw", b""))
            .await;
        assert_eq!(raw.recv().await.0, code::ACCEPT);
        // 400 calls of 64 KiB each, 25 MiB of answers, none read.
        let (_read_half, mut write_half) = raw.stream.into_split();
        let sender = tokio::spawn(async move {
            let text = "q".repeat(64 * 1024);
            for id in 1..=400u16 {
                let c = message(code::CALL, &call(id, method::ECHO, 1, &[string(&text)]));
                if write_half.write_all(&c).await.is_err() {
                    return;
                }
            }
            std::future::pending::<()>().await;
        });
        tokio::time::sleep(Duration::from_secs(1)).await;
        // The kernel's buffers (a few MB) and the write buffer hold some
        // answers; past them the node should stop reading the sink's calls.
        let served = s.echo.served();
        sender.abort();
        assert!(
            served < 200,
            "{served} calls served, their answers queued, none read"
        );
        shutdown(&[&s.node]).await;
    })
    .await;
}
