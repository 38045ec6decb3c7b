//! End to end: clients over TCP and WebSocket, a gsgate, the chat server on
//! a fresh SQLite database, and (for pushes, kicks and slow readers) a test
//! backend that calls the gate's `gate.Gate` contract directly. Everything
//! runs in this process on 127.0.0.1, every test within a time bound.

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use gate_chat::proto::chat::ChatError;
use gate_chat::{CallError, ChatClient};
use gscluster::gslang::Fault;
use gscluster::rpc::{Connection, Node};
use gsgate::client::{Client, ClientError, ClientOptions};
use gsgate::protocol::{self, Message, MessageType, PacketType, Route};
use gsgate::{Gate, GateConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const T: Duration = Duration::from_secs(5);

async fn bounded<F: Future>(secs: u64, body: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(secs), body)
        .await
        .unwrap_or_else(|_| panic!("the test took longer than {secs} s"))
}

fn temp_db() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "gate-chat-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("chat.db")
}

/// A chat-server on `listen` and the SQLite file `db`: its node and address.
async fn serve(
    listen: &str,
    db: &std::path::Path,
) -> Result<(Node, std::net::SocketAddr), Box<dyn std::error::Error + Send + Sync>> {
    let db = db.to_str().expect("a UTF-8 path");
    let server = gate_chat::serve(gate_chat::ServerOptions::new(listen, db)).await?;
    Ok((server.node, server.addr))
}

/// A gate in front of a chat server and a test backend.
struct World {
    gate: Gate,
    tcp: String,
    ws: String,
    chat: Node,
    chat_addr: String,
    db: PathBuf,
    /// The test backend, which the gate connects to as well.
    backend: Node,
}

impl World {
    async fn new(config: GateConfig) -> World {
        let db = temp_db();
        let (chat, chat_addr) = serve("127.0.0.1:0", &db).await.expect("chat");
        let backend = Node::builder("test-backend").kind("test").build();
        let backend_addr = backend.listen("127.0.0.1:0").await.expect("backend");
        let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("chat.gs");
        let gate = Gate::start_with_schema_file(
            config,
            &schema,
            &[],
            &[chat_addr.to_string(), backend_addr.to_string()],
        )
        .expect("schema");
        let tcp = gate.listen_tcp("127.0.0.1:0").await.unwrap().to_string();
        let ws = gate.listen_ws("127.0.0.1:0").await.unwrap().to_string();
        assert!(gate.backend_ready("chat.Room", T).await, "the chat backend");
        World {
            gate,
            tcp,
            ws,
            chat,
            chat_addr: chat_addr.to_string(),
            db,
            backend,
        }
    }

    async fn client(&self, ws: bool) -> ChatClient {
        ChatClient::new(
            self.raw(ws, ClientOptions::default())
                .await
                .expect("connect"),
        )
    }

    async fn raw(&self, ws: bool, options: ClientOptions) -> Result<Client, ClientError> {
        if ws {
            Client::connect_ws(&self.ws, options).await
        } else {
            Client::connect_tcp(&self.tcp, options).await
        }
    }

    /// The gate's connection to the test backend.
    async fn gate_conn(&self) -> Connection {
        let deadline = tokio::time::Instant::now() + T;
        loop {
            if let Some(c) = self
                .backend
                .connections()
                .into_iter()
                .find(|c| c.announces("gate.Gate"))
            {
                return c;
            }
            assert!(tokio::time::Instant::now() < deadline, "no gate connection");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn stop(self) {
        self.gate.shutdown(Duration::from_secs(1)).await;
        self.chat.shutdown(Duration::from_secs(1)).await;
        self.backend.shutdown(Duration::from_secs(1)).await;
        if let Some(dir) = self.db.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn config() -> GateConfig {
    let mut c = GateConfig::new("gate-1");
    c.handshake_timeout = Duration::from_millis(500);
    c
}

fn remote(e: CallError) -> gsgate::proto::gate::Error {
    match e {
        CallError::Other(ClientError::Remote(e)) => e,
        other => panic!("expected a gate error, got {other:?}"),
    }
}

fn fault(e: CallError) -> i32 {
    let e = remote(e);
    assert!(e.domain.is_empty(), "a fault has an empty domain: {e:?}");
    e.code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_gives_the_dictionary_heartbeat_and_session() {
    bounded(20, async {
        let w = World::new(config()).await;
        let c = w.raw(false, ClientOptions::default()).await.unwrap();
        assert_eq!(c.heartbeat, 30);
        assert!(c.session > 0);
        let mut routes: Vec<_> = c.dict.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        routes.sort_by_key(|r| r.1);
        assert_eq!(
            routes,
            [
                ("chat.Account.Register", 1),
                ("chat.Account.Login", 2),
                ("chat.Room.Join", 3),
                ("chat.Room.Leave", 4),
                ("chat.Room.Say", 5),
            ]
        );
        let ws = w.raw(true, ClientOptions::default()).await.unwrap();
        assert_eq!(ws.dict, c.dict);
        assert_ne!(ws.session, c.session);
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_login_join_say_and_pushes_on_both_transports() {
    bounded(30, async {
        let w = World::new(config()).await;
        let alice = w.client(false).await;
        let bob = w.client(true).await;
        let a = alice.register("alice", "pw-a").await.unwrap();
        let b = bob.register("bob", "pw-b").await.unwrap();
        assert!(a > 0 && b > a);
        assert_eq!(
            alice.register("alice", "x").await,
            Err(CallError::Chat(ChatError::UserExists))
        );
        assert_eq!(
            bob.login("bob", "wrong").await,
            Err(CallError::Chat(ChatError::BadLogin))
        );
        assert_eq!(
            bob.join("lobby").await,
            Err(CallError::Chat(ChatError::NotLoggedIn))
        );
        assert_eq!(alice.login("alice", "pw-a").await, Ok(a));
        assert_eq!(bob.login("bob", "pw-b").await, Ok(b));
        assert_eq!(alice.join("lobby").await, Ok(vec![]));
        assert_eq!(bob.join("lobby").await, Ok(vec![]));

        let sent = alice.say("lobby", "hello").await.unwrap();
        for c in [&alice, &bob] {
            let said = c.next_said(T).await.expect("OnSaid");
            assert_eq!(
                (said.room.as_str(), said.from.as_str(), said.text.as_str()),
                ("lobby", "alice", "hello")
            );
            assert_eq!(said.sent_at, sent);
        }
        bob.say("lobby", "hi alice").await.unwrap();
        assert_eq!(alice.next_said(T).await.unwrap().from, "bob");
        assert_eq!(bob.next_said(T).await.unwrap().text, "hi alice");

        assert_eq!(
            alice.say("lobby", &"x".repeat(1001)).await,
            Err(CallError::Chat(ChatError::TooLong))
        );

        // After Leave, no more OnSaid for the room.
        bob.leave("lobby").await.unwrap();
        alice.say("lobby", "bye").await.unwrap();
        assert_eq!(alice.next_said(T).await.unwrap().text, "bye");
        assert!(bob.next_said(Duration::from_millis(300)).await.is_none());

        // History, oldest first, for a newcomer.
        let carol = w.client(true).await;
        carol.register("carol", "c").await.unwrap();
        carol.login("carol", "c").await.unwrap();
        let history: Vec<_> = carol
            .join("lobby")
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(history, ["hello", "hi alice", "bye"]);
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_bad_data_and_unexposed_contracts_are_errors() {
    bounded(20, async {
        let w = World::new(config()).await;
        let c = w.raw(false, ClientOptions::default()).await.unwrap();
        let err = |r: Result<Bytes, ClientError>| match r {
            Err(ClientError::Remote(e)) => (e.domain.is_empty(), e.code),
            other => panic!("expected an error, got {other:?}"),
        };
        let unknown = (true, i32::from(Fault::UnknownMethod));
        assert_eq!(
            err(c.request("chat.Room.Dance", Bytes::new()).await),
            unknown
        );
        assert_eq!(
            err(c.request_route(Route::Code(99), Bytes::new()).await),
            unknown
        );
        // chat.Client is not exposed: clients implement it.
        let said = gscluster::to_bytes(&gate_chat::proto::chat::Said::default());
        assert_eq!(err(c.request("chat.Client.OnSaid", said).await), unknown);
        // Data that does not decode as (string, string), checked at the gate.
        let bad = (true, i32::from(Fault::BadRequest));
        assert_eq!(
            err(c.request("chat.Account.Register", vec![5, b'a']).await),
            bad
        );
        let mut trailing = gscluster::to_bytes(&("u".to_owned(), "p".to_owned()));
        trailing.push(0);
        assert_eq!(err(c.request("chat.Account.Login", trailing).await), bad);
        // The same request, compressed and plain, reaches the server.
        let ok = gscluster::to_bytes(&("dave".to_owned(), "p".to_owned()));
        c.request_compressed("chat.Account.Register", ok.clone())
            .await
            .unwrap();
        let e = err(c.request("chat.Account.Register", ok).await);
        assert_eq!(e, (false, 1), "UserExists, with the chat domain");
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_in_elsewhere_kicks_the_first_session() {
    bounded(20, async {
        let w = World::new(config()).await;
        let first = w.client(false).await;
        first.register("erin", "pw").await.unwrap();
        first.login("erin", "pw").await.unwrap();
        let second = w.client(true).await;
        second.login("erin", "pw").await.unwrap();
        assert_eq!(
            first.raw.closed(T).await.unwrap().as_deref(),
            Some("logged in elsewhere")
        );
        second.join("r").await.unwrap();
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_session_is_kicked_after_twice_the_heartbeat() {
    bounded(20, async {
        let mut c = config();
        c.heartbeat = Duration::from_millis(300);
        let w = World::new(c).await;
        let silent = w
            .raw(false, ClientOptions::default().heartbeat(false))
            .await
            .unwrap();
        let start = tokio::time::Instant::now();
        assert_eq!(
            silent.closed(T).await.unwrap().as_deref(),
            Some("heartbeat timeout")
        );
        assert!(start.elapsed() >= Duration::from_millis(500));
        // A client that sends heartbeats stays.
        let alive = w
            .raw(true, ClientOptions::default().heartbeat(false))
            .await
            .unwrap();
        let mut hb = BytesMut::new();
        protocol::put_packet(&mut hb, PacketType::Heartbeat, false, &[]);
        for _ in 0..8 {
            alive.send_packet(hb.clone().freeze()).await.unwrap();
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        assert!(!alive.is_closed());
        w.stop().await;
    })
    .await;
}

/// Reads until the gate closes the connection; the Kick's reason, if one came.
async fn read_to_close(stream: &mut TcpStream) -> Option<String> {
    let mut buf = BytesMut::new();
    let mut reason = None;
    loop {
        while let Ok(Some(p)) = protocol::next_packet(&mut buf) {
            if p.ty == PacketType::Kick {
                let v: serde_json::Value = serde_json::from_slice(&p.body).unwrap();
                reason = v["reason"].as_str().map(str::to_owned);
            }
        }
        match tokio::time::timeout(T, stream.read_buf(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return reason,
            Ok(Ok(_)) => {}
            Err(_) => panic!("the gate did not close the connection"),
        }
    }
}

/// A raw TCP session after its handshake; its session id.
async fn raw_session(addr: &str) -> (TcpStream, u64) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut out = BytesMut::new();
    protocol::put_packet(&mut out, PacketType::Handshake, false, b"");
    s.write_all(&out).await.unwrap();
    let mut buf = BytesMut::new();
    loop {
        if let Some(p) = protocol::next_packet(&mut buf).unwrap() {
            assert_eq!(p.ty, PacketType::HandshakeAck);
            let v: serde_json::Value = serde_json::from_slice(&p.body).unwrap();
            assert_eq!(v["code"], 200);
            return (s, v["sys"]["session"].as_u64().unwrap());
        }
        s.read_buf(&mut buf).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_handshake_garbage_and_oversize_packets_close_the_connection() {
    bounded(20, async {
        let w = World::new(config()).await;
        // Never shakes hands: closed after the handshake timeout.
        let mut idle = TcpStream::connect(&w.tcp).await.unwrap();
        assert_eq!(read_to_close(&mut idle).await, None);
        // Another packet first.
        let mut early = TcpStream::connect(&w.tcp).await.unwrap();
        early.write_all(&[3, 0, 0, 0, 0]).await.unwrap();
        assert_eq!(read_to_close(&mut early).await, None);
        // Garbage after the handshake.
        let (mut s, _) = raw_session(&w.tcp).await;
        s.write_all(b"\x77garbage\xff\xfe").await.unwrap();
        assert!(
            read_to_close(&mut s)
                .await
                .unwrap()
                .starts_with("protocol error")
        );
        // A declared body over 64 KiB: kicked before the body is sent.
        let (mut s, _) = raw_session(&w.tcp).await;
        s.write_all(&[4, 0x01, 0x00, 0x01, 0]).await.unwrap();
        assert_eq!(
            read_to_close(&mut s).await.as_deref(),
            Some("packet too large")
        );
        // A Data message that is not a message.
        let (mut s, _) = raw_session(&w.tcp).await;
        s.write_all(&[4, 0, 0, 1, 0, 0xff]).await.unwrap();
        assert!(
            read_to_close(&mut s)
                .await
                .unwrap()
                .starts_with("protocol error")
        );
        // Over WebSocket: a text frame, and a frame over one packet.
        for frame in [
            tokio_tungstenite::tungstenite::Message::text("hello"),
            tokio_tungstenite::tungstenite::Message::binary(vec![4u8; 70_000]),
        ] {
            use futures_util::{SinkExt as _, StreamExt as _};
            let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/", w.ws))
                .await
                .unwrap();
            let mut hs = BytesMut::new();
            protocol::put_packet(&mut hs, PacketType::Handshake, false, b"{}");
            ws.send(tokio_tungstenite::tungstenite::Message::binary(hs.freeze()))
                .await
                .unwrap();
            let _ack = ws.next().await.unwrap().unwrap();
            let _ = ws.send(frame).await;
            let closed =
                tokio::time::timeout(T, async { while let Some(Ok(_)) = ws.next().await {} }).await;
            assert!(closed.is_ok(), "the gate closes the WebSocket");
        }
        // The gate goes on serving.
        let c = w.client(false).await;
        c.register("frank", "pw").await.unwrap();
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sub_packages_are_reassembled_up_to_the_limit() {
    bounded(20, async {
        let w = World::new(config()).await;
        let c = w.client(true).await;
        c.register("gina", "pw").await.unwrap();
        c.login("gina", "pw").await.unwrap();
        // 200 KB of text: four packets, reassembled, validated, routed.
        assert_eq!(
            c.say("room", &"y".repeat(200_000)).await,
            Err(CallError::Chat(ChatError::TooLong))
        );
        // Over the 1 MiB limit: kicked.
        let big = gscluster::to_bytes(&("room".to_owned(), "z".repeat(1_100_000)));
        let r = c.raw.request("chat.Room.Say", big).await;
        assert!(matches!(r, Err(ClientError::Closed(_))), "{r:?}");
        assert_eq!(c.raw.kick_reason().as_deref(), Some("message too large"));
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_over_the_rate_limit_is_kicked() {
    bounded(20, async {
        let mut c = config();
        c.rate = 10;
        c.burst = 20;
        let w = World::new(c).await;
        let client = w.raw(false, ClientOptions::default()).await.unwrap();
        let mut hb = BytesMut::new();
        protocol::put_packet(&mut hb, PacketType::Heartbeat, false, &[]);
        for _ in 0..50 {
            if client.send_packet(hb.clone().freeze()).await.is_err() {
                break;
            }
        }
        assert_eq!(
            client.closed(T).await.unwrap().as_deref(),
            Some("rate limit")
        );
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_connections_get_503() {
    bounded(20, async {
        let mut c = config();
        c.max_connections = 2;
        let w = World::new(c).await;
        let _a = w.raw(false, ClientOptions::default()).await.unwrap();
        let _b = w.raw(true, ClientOptions::default()).await.unwrap();
        assert_eq!(
            w.raw(false, ClientOptions::default()).await.unwrap_err(),
            ClientError::Refused(503)
        );
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_push_kick_and_broadcast_through_the_gate_contract() {
    use gsgate::proto::gate::GateClient;
    bounded(20, async {
        let mut c = config();
        c.ack_timeout = Duration::from_millis(300);
        let w = World::new(c).await;
        let gate: GateClient = w.gate_conn().await.client();
        let a = w.raw(false, ClientOptions::default()).await.unwrap();
        let b = w
            .raw(true, ClientOptions::default().auto_ack(false))
            .await
            .unwrap();
        assert!(gate.bind(a.session, 100).await.unwrap());
        assert!(gate.bind(b.session, 200).await.unwrap());
        assert!(!gate.bind(999_999, 300).await.unwrap());

        // A push waiting for the Ack: a acks, b does not.
        let data = gscluster::to_bytes(&gate_chat::proto::chat::Said::default());
        let route = "chat.Client.OnSaid".to_owned();
        assert_eq!(
            gate.push(100, route.clone(), data.clone(), true)
                .await
                .unwrap(),
            1
        );
        let push = a.next_push(T).await.unwrap();
        assert_eq!(push.ty, MessageType::Push);
        assert_eq!(push.route, Route::Name(route.clone()));
        assert_eq!(push.object, "chat.Said");
        assert!(push.id != 0);
        assert_eq!(
            gate.push(200, route.clone(), data.clone(), false)
                .await
                .unwrap(),
            1
        );
        assert_eq!(b.next_push(T).await.unwrap().id, 0);
        // b never acks: a push with an ack reaches nobody, after the ack timeout.
        let unacked = gate.push(200, route.clone(), data.clone(), true).await;
        assert_eq!(unacked.unwrap(), 0);
        assert!(b.next_push(T).await.unwrap().id != 0);
        assert_eq!(
            gate.push(7, route.clone(), data.clone(), false)
                .await
                .unwrap(),
            0
        );

        // A group of two, then one.
        assert!(gate.join("g".into(), a.session).await.unwrap());
        assert!(gate.join("g".into(), b.session).await.unwrap());
        assert_eq!(
            gate.broadcast("g".into(), route.clone(), data.clone())
                .await
                .unwrap(),
            2
        );
        assert!(a.next_push(T).await.is_some() && b.next_push(T).await.is_some());
        assert!(gate.leave("g".into(), b.session).await.unwrap());
        assert_eq!(
            gate.broadcast("g".into(), route.clone(), data.clone())
                .await
                .unwrap(),
            1
        );

        assert_eq!(gate.kick(200, "bye".into()).await.unwrap(), 1);
        assert_eq!(b.closed(T).await.unwrap().as_deref(), Some("bye"));
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_kicked_not_buffered() {
    // Bounded in packets, then in bytes.
    for (packets, bytes) in [(8, 4 << 20), (1024, 256 << 10)] {
        slow_reader(packets, bytes).await;
    }
}

async fn slow_reader(packets: usize, bytes: usize) {
    use gsgate::proto::gate::GateClient;
    bounded(30, async {
        let mut c = config();
        c.send_queue = packets;
        c.send_queue_bytes = bytes;
        let w = World::new(c).await;
        let gate: GateClient = w.gate_conn().await.client();
        let (mut slow, session) = raw_session(&w.tcp).await;
        assert!(gate.join("flood".into(), session).await.unwrap());
        let fast = w.raw(false, ClientOptions::default()).await.unwrap();
        assert!(gate.join("flood".into(), fast.session).await.unwrap());
        let data = vec![0u8; 60_000];
        let mut reached_slow_only_sometimes = false;
        for _ in 0..2000 {
            let n = gate
                .broadcast("flood".into(), "x.Y.Z".into(), data.clone())
                .await
                .unwrap();
            if n < 2 {
                reached_slow_only_sometimes = true;
                break;
            }
            // The fast client reads everything.
            while fast.next_push(Duration::ZERO).await.is_some() {}
        }
        assert!(
            reached_slow_only_sometimes,
            "the slow reader was never kicked"
        );
        assert!(!fast.is_closed());
        // The slow client's connection ends (with the Kick, once it reads).
        let mut sink = vec![0u8; 1 << 16];
        let end = tokio::time::timeout(T, async {
            loop {
                match slow.read(&mut sink).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        })
        .await;
        assert!(end.is_ok());
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_restart_fails_requests_then_serves_again_with_its_data() {
    bounded(30, async {
        let w = World::new(config()).await;
        let c = w.client(false).await;
        let id = c.register("hank", "pw").await.unwrap();
        c.login("hank", "pw").await.unwrap();
        c.join("den").await.unwrap();
        c.say("den", "before the restart").await.unwrap();
        w.chat.shutdown(Duration::from_secs(1)).await;
        let start = tokio::time::Instant::now();
        let e = c.login("hank", "pw").await.unwrap_err();
        assert_eq!(fault(e), i32::from(Fault::Unavailable));
        assert!(start.elapsed() < Duration::from_secs(2));

        // The same database on the same port: users and history survive,
        // and new ids are above the old ones.
        let (chat, _) = serve(&w.chat_addr, &w.db).await.expect("restart");
        assert!(
            w.gate
                .backend_ready("chat.Account", Duration::from_secs(10))
                .await
        );
        assert_eq!(c.login("hank", "pw").await, Ok(id));
        assert_eq!(
            c.register("hank", "x").await,
            Err(CallError::Chat(ChatError::UserExists))
        );
        let history = c.join("den").await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(
            (history[0].from.as_str(), history[0].text.as_str()),
            ("hank", "before the restart")
        );
        assert!(c.register("ian", "pw").await.unwrap() > id);
        chat.shutdown(Duration::from_secs(1)).await;
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_kicks_every_session() {
    bounded(20, async {
        let w = World::new(config()).await;
        let a = w.raw(false, ClientOptions::default()).await.unwrap();
        let b = w.raw(true, ClientOptions::default()).await.unwrap();
        let c = w.client(false).await;
        c.register("ivy", "pw").await.unwrap();
        w.gate.shutdown(Duration::from_secs(2)).await;
        for client in [&a, &b, &c.raw] {
            assert_eq!(
                client.closed(T).await.unwrap().as_deref(),
                Some("shutting down")
            );
        }
        assert!(TcpStream::connect(&w.tcp).await.is_err());
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifies_reach_the_backend_without_an_answer() {
    bounded(20, async {
        let w = World::new(config()).await;
        let c = w.client(false).await;
        // A Notify is sent as call id 0: the user is registered, nothing answers.
        let data = gscluster::to_bytes(&("jo".to_owned(), "pw".to_owned()));
        c.raw.notify("chat.Account.Register", data).await.unwrap();
        let deadline = tokio::time::Instant::now() + T;
        loop {
            match c.login("jo", "pw").await {
                Ok(_) => break,
                Err(CallError::Chat(ChatError::BadLogin)) => {}
                Err(e) => panic!("{e}"),
            }
            assert!(tokio::time::Instant::now() < deadline);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Nothing else comes for it.
        let m = Message {
            route: Route::Name("chat.Room.Nope".into()),
            ..Message::new(MessageType::Notify, Bytes::new())
        };
        c.raw.send_message(&m).await.unwrap();
        assert!(c.raw.next_push(Duration::from_millis(200)).await.is_none());
        assert!(!c.raw.is_closed());
        w.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_go_round_robin_to_the_backends_that_announce_the_contract() {
    bounded(30, async {
        // Two chat servers, each with a database of its own, and a node
        // that announces nothing the gate routes to.
        let (db_a, db_b) = (temp_db(), temp_db());
        let (a, addr_a) = serve("127.0.0.1:0", &db_a).await.unwrap();
        let (b, addr_b) = serve("127.0.0.1:0", &db_b).await.unwrap();
        let other = Node::builder("other").build();
        let addr_o = other.listen("127.0.0.1:0").await.unwrap();
        let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("chat.gs");
        let backends = [addr_o, addr_a, addr_b].map(|a| a.to_string());
        let gate = Gate::start_with_schema_file(config(), &schema, &[], &backends).unwrap();
        let tcp = gate.listen_tcp("127.0.0.1:0").await.unwrap().to_string();
        let deadline = tokio::time::Instant::now() + T;
        while a.connections().is_empty() || b.connections().is_empty() {
            assert!(tokio::time::Instant::now() < deadline);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(gate.backend_ready("chat.Account", T).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let c = ChatClient::new(
            Client::connect_tcp(&tcp, ClientOptions::default())
                .await
                .unwrap(),
        );
        // The same name registers once on each server, then exists on both.
        let mut outcomes = Vec::new();
        for _ in 0..4 {
            outcomes.push(c.register("kim", "pw").await.is_ok());
        }
        assert_eq!(outcomes, [true, true, false, false]);
        gate.shutdown(Duration::from_secs(1)).await;
        for node in [a, b, other] {
            node.shutdown(Duration::from_secs(1)).await;
        }
        for db in [db_a, db_b] {
            let _ = std::fs::remove_dir_all(db.parent().unwrap());
        }
    })
    .await;
}

/// An HTTP answer: status, headers (names lowercased), body.
struct HttpAnswer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpAnswer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// One HTTP request to the gate's WebSocket listener.
async fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpAnswer {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: gate\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(T, stream.read_to_end(&mut answer))
        .await
        .expect("an answer in time")
        .unwrap();
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = std::str::from_utf8(&answer[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    HttpAnswer {
        status,
        headers,
        body: answer[end + 4..].to_vec(),
    }
}

async fn post_json(
    w: &World,
    route: &str,
    body: serde_json::Value,
    token: Option<&str>,
) -> HttpAnswer {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(b) = &bearer {
        headers.push(("authorization", b));
    }
    http(
        &w.ws,
        "POST",
        &format!("/call/{route}"),
        &headers,
        body.to_string().as_bytes(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_calls_in_json_and_binary_with_a_bearer_token_from_login() {
    bounded(20, async {
        let w = World::new(config()).await;
        let register = post_json(&w, "chat.Account.Register", serde_json::json!({"user": "hugo", "password": "pw"}), None).await;
        assert_eq!(register.status, 200, "{}", String::from_utf8_lossy(&register.body));
        assert_eq!(register.header("content-type"), Some("application/json"));
        let id = register.json()[0].as_u64().expect("the new user's id");
        assert!(register.header("x-gsgate-token").is_none(), "no login, no token");

        // Not logged in: the service's error, as JSON, status 422.
        let join = post_json(&w, "chat.Room.Join", serde_json::json!({"room": "http"}), None).await;
        assert_eq!(join.status, 422);
        let error = join.json();
        assert_eq!(error["message"], "chat.ChatError.NotLoggedIn");
        assert_eq!(error["code"], ChatError::NotLoggedIn as i32);

        let login = post_json(&w, "chat.Account.Login", serde_json::json!({"user": "hugo", "password": "pw"}), None).await;
        assert_eq!(login.status, 200);
        assert_eq!(login.json(), serde_json::json!([id]));
        let token = login.header("x-gsgate-token").expect("a token").to_owned();

        let said = post_json(&w, "chat.Room.Say", serde_json::json!({"room": "http", "text": "over http"}), Some(&token)).await;
        assert_eq!(said.status, 200, "{}", String::from_utf8_lossy(&said.body));
        let sent_at = said.json()[0].as_i64().expect("SentAt");
        assert!(said.header("x-gsgate-token").is_none(), "a token is not renewed");
        let join = post_json(&w, "chat.Room.Join", serde_json::json!({"room": "http"}), Some(&token)).await;
        assert_eq!(join.status, 200);
        assert_eq!(
            join.json(),
            serde_json::json!([[{"Room": "http", "From": "hugo", "Text": "over http", "SentAt": sent_at}]])
        );

        // Binary: the params' encoding in, the returns' out.
        let mut data = gscluster::to_bytes(&"hugo".to_owned());
        data.extend(gscluster::to_bytes(&"pw".to_owned()));
        let binary = http(&w.ws, "POST", "/call/chat.Account.Login", &[("content-type", "application/octet-stream")], &data).await;
        assert_eq!(binary.status, 200);
        assert_eq!(binary.body, gscluster::to_bytes(&id));
        let wrong = http(&w.ws, "POST", "/call/chat.Account.Login", &[], &data[..3]).await;
        assert_eq!(wrong.status, 400);
        let error: gsgate::proto::gate::Error = gscluster::from_bytes(&wrong.body).unwrap();
        assert_eq!(error.code, Fault::BadRequest as i32);

        // Errors of the request itself.
        let bad = post_json(&w, "chat.Room.Say", serde_json::json!({"room": "http"}), Some(&token)).await;
        assert_eq!(bad.status, 400);
        assert_eq!(bad.json()["detail"], "`text`: missing");
        let forged = post_json(&w, "chat.Room.Say", serde_json::json!({"room": "r", "text": "t"}), Some("AAAA")).await;
        assert_eq!(forged.status, 400);
        let unknown = post_json(&w, "chat.Room.Dance", serde_json::json!({}), None).await;
        assert_eq!(unknown.status, 404);
        let unexposed = post_json(&w, "chat.Client.OnSaid", serde_json::json!({}), None).await;
        assert_eq!(unexposed.status, 404);
        assert_eq!(http(&w.ws, "GET", "/call/chat.Room.Join", &[], b"").await.status, 405);
        assert_eq!(http(&w.ws, "GET", "/nothing", &[], b"").await.status, 404);
        // The scheme's case does not matter.
        let lower = format!("bearer {token}");
        let headers = [("content-type", "application/json"), ("authorization", lower.as_str())];
        let body = serde_json::json!({"room": "http"}).to_string();
        let join = http(&w.ws, "POST", "/call/chat.Room.Join", &headers, body.as_bytes()).await;
        assert_eq!(join.status, 200);
        // Too large a body is refused before it is read, and the answer
        // still arrives (the gate reads on for a moment before it closes).
        let mut raw = TcpStream::connect(&w.ws).await.unwrap();
        raw.write_all(b"POST /call/chat.Room.Say HTTP/1.1\r\ncontent-length: 2000000\r\n\r\n")
            .await
            .unwrap();
        raw.write_all(&[b'x'; 1000]).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(T, raw.read_to_end(&mut answer)).await.unwrap().unwrap();
        assert!(answer.starts_with(b"HTTP/1.1 413 "), "{}", String::from_utf8_lossy(&answer));

        // The WebSocket upgrade still works on the same listener.
        let c = w.client(true).await;
        c.login("hugo", "pw").await.unwrap();
        w.stop().await;
    })
    .await;
}
