//! The chat as a cluster, on loopback: a real etcd and PostgreSQL, two
//! chat-server processes registered in etcd, two gates discovering them.
//! Users on different gates chat in one room; a chat-server killed
//! (SIGKILL) moves its rooms to the other; a gate shut down kicks only its
//! sessions; an etcd restart breaks nothing. Skipped, saying so, where etcd
//! or PostgreSQL cannot be installed.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use gate_chat::proto::chat::ChatError;
use gate_chat::{CallError, ChatClient, Db};
use gs_testkit::{Announced, Etcd, Postgres};
use gscluster::gslang::Fault;
use gscluster::rpc::etcd::Discovery;
use gsgate::client::{Client, ClientError, ClientOptions};
use gsgate::{Gate, GateConfig};

const T: Duration = Duration::from_secs(10);

async fn bounded<F: Future>(secs: u64, f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(secs), f)
        .await
        .unwrap_or_else(|_| panic!("the test took longer than {secs} s"))
}

/// A chat-server process registered in etcd, killed when dropped.
struct ChatServer {
    process: Announced,
    addr: SocketAddr,
}

impl ChatServer {
    fn start(name: &str, db: &str, etcd: &str, cluster: &str) -> ChatServer {
        let mut command = Command::new(env!("CARGO_BIN_EXE_chat-server"));
        command
            .args(["--listen", "127.0.0.1:0", "--db", db, "--name", name])
            .args(["--etcd", etcd, "--cluster", cluster])
            .env("RUST_LOG", "warn");
        let process = Announced::spawn(&mut command, "listening on ");
        let addr = process.addr.parse().expect("an address");
        ChatServer { process, addr }
    }

    fn kill(&mut self) {
        self.process.kill();
    }
}

/// A gate named `name` discovering its backends in `cluster`.
async fn gate(name: &str, etcd: &str, cluster: &str) -> (Gate, String) {
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("chat.gs");
    let mut config = GateConfig::new(name);
    config.rate = 10_000;
    config.burst = 20_000;
    let gate = Gate::start_with_schema_file(config, &schema, &[], &[]).expect("schema");
    let _discovery = Discovery::builder([etcd])
        .cluster(cluster)
        .watch(gate.contracts())
        .peers_into(gate.backends().clone())
        .start(gate.node());
    let tcp = gate.listen_tcp("127.0.0.1:0").await.unwrap().to_string();
    (gate, tcp)
}

/// Waits until `gate` is connected to `n` chat-servers.
async fn backends(gate: &Gate, n: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let up = gate
            .backends()
            .load()
            .iter()
            .filter(|p| p.connection().is_some_and(|c| c.announces("chat.Room")))
            .count();
        if up == n && gate.backends().len() == n {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{up} of {n} chat-servers up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn user(tcp: &str, name: &str, register: bool) -> ChatClient {
    let raw = Client::connect_tcp(tcp, ClientOptions::default())
        .await
        .expect("connect");
    let c = ChatClient::new(raw);
    if register {
        c.register(name, "pw").await.unwrap();
    }
    c.login(name, "pw").await.unwrap();
    c
}

/// The chat-server of `servers` that owns `room` (rendezvous hashing of
/// the room's encoding, as the gates do).
fn owner(servers: &[SocketAddr], room: &str) -> SocketAddr {
    let key = gscluster::to_bytes(&room.to_owned());
    *servers
        .iter()
        .max_by_key(|a| gsgate::rendezvous_score(**a, &key))
        .unwrap()
}

/// The text of the next message said that `c` hears.
async fn hears(c: &ChatClient) -> String {
    c.next_said(T).await.expect("a message").text
}

fn fault(e: CallError) -> Option<i32> {
    match e {
        CallError::Other(ClientError::Remote(r)) if r.domain.is_empty() => Some(r.code),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_run_once_when_two_servers_start_at_once() {
    let Some(pg) = Postgres::start() else { return };
    bounded(60, async {
        let url = pg.url("race");
        let (a, b) = tokio::join!(Db::open(&url), Db::open(&url));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.dialect(), "postgres");
        // Shared: a user added through one is seen through the other.
        assert!(a.add_user(7, "ann".into(), "h".into()).await.unwrap());
        assert!(!b.add_user(8, "ann".into(), "h".into()).await.unwrap());
        assert_eq!(
            b.user_by_name("ann".into()).await.unwrap(),
            Some((7, "h".into()))
        );
        b.join("den".into(), 7).await.unwrap();
        b.join("den".into(), 7).await.unwrap();
        assert_eq!(a.rooms(7).await.unwrap(), ["den"]);
        a.leave("den".into(), 7).await.unwrap();
        assert!(b.rooms(7).await.unwrap().is_empty());
        // Distinct server numbers: distinct ids.
        assert_ne!(
            a.server_number().await.unwrap(),
            b.server_number().await.unwrap()
        );
        assert_eq!(a.max_id().await.unwrap(), 7);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_gates_and_two_chat_servers_survive_their_faults() {
    let Some(mut etcd) = Etcd::start() else {
        return;
    };
    let Some(pg) = Postgres::start() else { return };
    bounded(120, async {
        let (url, db) = (etcd.url(), pg.url("chat"));
        let mut a = ChatServer::start("chat-a", &db, &url, "c1");
        let b = ChatServer::start("chat-b", &db, &url, "c1");
        let (g1, tcp1) = gate("gate-1", &url, "c1").await;
        let (g2, tcp2) = gate("gate-2", &url, "c1").await;
        backends(&g1, 2).await;
        backends(&g2, 2).await;

        // A room on each chat-server, so that killing chat-a moves one.
        let servers = [a.addr, b.addr];
        let on_a = (0..64)
            .map(|i| format!("room-{i}"))
            .find(|r| owner(&servers, r) == a.addr);
        let on_b = (0..64)
            .map(|i| format!("room-{i}"))
            .find(|r| owner(&servers, r) == b.addr);
        let (on_a, on_b) = (on_a.unwrap(), on_b.unwrap());

        // Users on different gates chat in both rooms.
        let alice = user(&tcp1, "alice", true).await;
        let bob = user(&tcp2, "bob", true).await;
        for room in [&on_a, &on_b] {
            alice.join(room).await.unwrap();
            bob.join(room).await.unwrap();
            alice.say(room, &format!("hi in {room}")).await.unwrap();
            assert_eq!(hears(&bob).await, format!("hi in {room}"));
            assert_eq!(hears(&alice).await, format!("hi in {room}"));
        }

        // Logging in on the other gate kicks the session on the first.
        let alice2 = user(&tcp2, "alice", false).await;
        assert_eq!(
            alice.raw.closed(T).await.unwrap().as_deref(),
            Some("logged in elsewhere")
        );
        // The new session is in alice's rooms without joining them.
        bob.say(&on_b, "welcome back").await.unwrap();
        assert_eq!(hears(&alice2).await, "welcome back");
        assert_eq!(hears(&bob).await, "welcome back");
        let alice = user(&tcp1, "alice", false).await;
        assert_eq!(
            alice2.raw.closed(T).await.unwrap().as_deref(),
            Some("logged in elsewhere")
        );

        // Kill chat-a with calls in flight to it: each fails with
        // Unavailable or succeeds. Its room moves to chat-b, with its
        // members; the sessions stay logged in.
        let says = (0..20).map(|i| {
            let data = gscluster::to_bytes(&(on_a.clone(), format!("in flight {i}")));
            alice.raw.request("chat.Room.Say", data)
        });
        let (results, ()) = tokio::join!(futures_util::future::join_all(says), async {
            tokio::task::yield_now().await;
            a.kill();
        });
        let mut landed = 0;
        for r in results {
            match r {
                Ok(_) => landed += 1,
                Err(ClientError::Remote(r)) => assert!(
                    r.domain.is_empty() && r.code == i32::from(Fault::Unavailable),
                    "{r:?}"
                ),
                Err(e) => panic!("{e}"),
            }
        }
        eprintln!("{landed} of 20 Says in flight landed before the kill");
        let killed = tokio::time::Instant::now();
        let moved = loop {
            match bob.say(&on_a, "after the kill").await {
                Ok(_) => break killed.elapsed(),
                Err(e) => assert_eq!(fault(e), Some(i32::from(Fault::Unavailable))),
            }
            assert!(
                killed.elapsed() < Duration::from_secs(12),
                "the room did not move"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        eprintln!("the room answered again {moved:?} after its chat-server was killed");
        // What landed of the Says in flight, then the one after the kill.
        for c in [&alice, &bob] {
            let mut text = hears(c).await;
            while text.starts_with("in flight") {
                text = hears(c).await;
            }
            assert_eq!(text, "after the kill");
        }
        let history = alice.join(&on_a).await.unwrap();
        assert_eq!(
            history.last().map(|s| s.text.as_str()),
            Some("after the kill")
        );
        // A Say killed after its message was stored, before its answer,
        // failed and is in the history: at least those that landed are.
        let in_flight = history
            .iter()
            .filter(|s| s.text.starts_with("in flight"))
            .count();
        assert!((landed..=20).contains(&in_flight), "{history:?}");
        assert_eq!(history.len(), 2 + in_flight, "{history:?}");
        // etcd drops chat-a when its lease expires; the gates drop it then.
        backends(&g1, 1).await;
        backends(&g2, 1).await;

        // An etcd restart: nothing in flight breaks, chat-b stays registered.
        etcd.kill();
        for i in 0..5 {
            alice.say(&on_b, &format!("etcd down {i}")).await.unwrap();
            assert_eq!(hears(&bob).await, format!("etcd down {i}"));
            assert_eq!(hears(&alice).await, format!("etcd down {i}"));
        }
        etcd.resume();
        let mut c = etcd_client::Client::connect([url.as_str()], None)
            .await
            .unwrap();
        let deadline = tokio::time::Instant::now() + T;
        loop {
            let r = c.get("/gscluster/c1/nodes/chat-b", None).await.unwrap();
            if !r.kvs().is_empty() {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "chat-b is registered"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        backends(&g1, 1).await;
        bob.say(&on_b, "etcd is back").await.unwrap();
        assert_eq!(hears(&alice).await, "etcd is back");
        assert_eq!(hears(&bob).await, "etcd is back");

        // Shut gate-2 down: bob is kicked, alice on gate-1 goes on.
        g2.shutdown(Duration::from_secs(1)).await;
        assert_eq!(
            bob.raw.closed(T).await.unwrap().as_deref(),
            Some("shutting down")
        );
        assert!(!alice.raw.is_closed());
        alice.say(&on_b, "still here").await.unwrap();
        assert_eq!(hears(&alice).await, "still here");
        assert_eq!(
            alice.register("bob", "x").await,
            Err(CallError::Chat(ChatError::UserExists))
        );

        g1.shutdown(Duration::from_secs(1)).await;
        drop(b);
    })
    .await;
}
