//! Routing between two backends: a sticky contract sends each session's
//! calls to one backend, chosen by its user; a keyed method each key's
//! calls to one, by rendezvous hashing; another goes round robin. The
//! backends are hand-written services (no generated code), which answer
//! with their node's name.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use gscluster::rpc::{Call, CallContext, Node, RpcError, Service};
use gsgate::client::{Client, ClientOptions};
use gsgate::proto::gate::Session;
use gsgate::{Gate, GateConfig};

const SCHEMA: &str = "import \"gate.gs\"\n\
@gate.Expose(Sticky: true)\ncontract S { Who(s gate.Session) -> (string); }\n\
@gate.Expose\ncontract R { Who(s gate.Session) -> (string); }\n\
@gate.Expose\ncontract Slow { Wait(s gate.Session, ms uint32) -> (string); }\n\
@gate.Expose\ncontract K { Who(s gate.Session, n int32, @gate.Key room string) -> (string); }\n";

struct Who {
    contract: &'static str,
    name: String,
}

struct WhoServer(Arc<Who>);

impl Service for WhoServer {
    fn contract(&self) -> &'static str {
        self.0.contract
    }

    fn call(&self, call: Call) {
        match call.method() {
            0 if self.0.contract == "t.Slow" => call.serve_value(
                self.0.clone(),
                |who: Arc<Who>, _cx: CallContext, _s: Session, ms: u32| async move {
                    tokio::time::sleep(Duration::from_millis(u64::from(ms))).await;
                    Ok::<_, RpcError>(who.name.clone())
                },
            ),
            0 if self.0.contract == "t.K" => call.serve_value(
                self.0.clone(),
                |who: Arc<Who>, _cx: CallContext, _s: Session, _n: i32, _room: String| async move {
                    Ok::<_, RpcError>(who.name.clone())
                },
            ),
            0 => call.serve_value(
                self.0.clone(),
                |who: Arc<Who>, _cx: CallContext, _s: Session| async move {
                    Ok::<_, RpcError>(who.name.clone())
                },
            ),
            _ => call.unknown_method(),
        }
    }
}

async fn backend(name: &str) -> (Node, String) {
    let node = Node::builder(name).build();
    for contract in ["t.S", "t.R", "t.Slow", "t.K"] {
        let who = Arc::new(Who {
            contract,
            name: name.to_owned(),
        });
        let _ = node.serve("who", WhoServer(who));
    }
    let addr = node.listen("127.0.0.1:0").await.unwrap().to_string();
    (node, addr)
}

fn temp_schema(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gsgate-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("t.gs");
    std::fs::write(&schema, SCHEMA).unwrap();
    schema
}

async fn who(c: &Client, route: &str) -> String {
    let answer = c.request(route, Vec::new()).await.unwrap();
    gscluster::from_bytes(&answer).unwrap()
}

/// A gate in front of backends `a` and `b`, both connected and announcing
/// `contract`, and two clients over TCP.
struct TwoBackends {
    schema: PathBuf,
    a: Node,
    addr_a: String,
    b: Node,
    addr_b: String,
    gate: Gate,
    one: Client,
    two: Client,
}

impl TwoBackends {
    async fn start(name: &str, contract: &str) -> TwoBackends {
        let schema = temp_schema(name);
        let (a, addr_a) = backend("a").await;
        let (b, addr_b) = backend("b").await;
        let gate = Gate::start_with_schema_file(
            GateConfig::new("gate"),
            &schema,
            &[] as &[PathBuf],
            &[addr_a.clone(), addr_b.clone()],
        )
        .unwrap();
        let tcp = gate.listen_tcp("127.0.0.1:0").await.unwrap().to_string();
        while a.connections().is_empty() || b.connections().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(gate.backend_ready(contract, Duration::from_secs(5)).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let one = Client::connect_tcp(&tcp, ClientOptions::default())
            .await
            .unwrap();
        let two = Client::connect_tcp(&tcp, ClientOptions::default())
            .await
            .unwrap();
        TwoBackends {
            schema,
            a,
            addr_a,
            b,
            addr_b,
            gate,
            one,
            two,
        }
    }

    async fn stop(self) {
        self.gate.shutdown(Duration::from_secs(1)).await;
        self.a.shutdown(Duration::from_secs(1)).await;
        self.b.shutdown(Duration::from_secs(1)).await;
        let _ = std::fs::remove_dir_all(self.schema.parent().unwrap());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sticky_contracts_keep_a_session_on_one_backend_others_go_round_robin() {
    let test = async {
        let w = TwoBackends::start("routing", "t.S").await;
        let (one, two) = (&w.one, &w.two);
        let mut sticky = Vec::new();
        for c in [one, two] {
            let first = who(c, "t.S.Who").await;
            for _ in 0..5 {
                assert_eq!(who(c, "t.S.Who").await, first, "sticky");
            }
            sticky.push(first);
        }
        // Consecutive session ids: one on each backend.
        assert_ne!(sticky[0], sticky[1]);

        let mut seen = std::collections::HashSet::new();
        for _ in 0..4 {
            seen.insert(who(one, "t.R.Who").await);
        }
        assert_eq!(seen.len(), 2, "round robin reaches both");

        w.stop().await;
    };
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("within 20 s");
}

fn wait(ms: u32) -> Vec<u8> {
    gscluster::to_bytes(&ms)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drains_requests_in_flight_and_a_lost_backend_fails_them_at_once() {
    let test = async {
        let schema = temp_schema("drain");
        let (a, addr_a) = backend("a").await;
        let gate = Gate::start_with_schema_file(
            GateConfig::new("gate"),
            &schema,
            &[] as &[PathBuf],
            &[addr_a],
        )
        .unwrap();
        let tcp = gate.listen_tcp("127.0.0.1:0").await.unwrap().to_string();
        assert!(gate.backend_ready("t.Slow", Duration::from_secs(5)).await);
        let c = Arc::new(
            Client::connect_tcp(&tcp, ClientOptions::default())
                .await
                .unwrap(),
        );

        // A backend connection lost: the pending request fails at once.
        let pending = {
            let c = c.clone();
            tokio::spawn(async move { c.request("t.Slow.Wait", wait(10_000)).await })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        let start = tokio::time::Instant::now();
        for conn in a.connections() {
            conn.close();
        }
        match pending.await.unwrap() {
            Err(gsgate::client::ClientError::Remote(e)) => assert_eq!(e.code, 5),
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed() < Duration::from_secs(1));
        assert!(gate.backend_ready("t.Slow", Duration::from_secs(5)).await);

        // A client's own deadline: the request fails with Timeout, soon
        // after it (the sweeper keeps it to a tenth), and the client goes on.
        let hasty = Client::connect_tcp(
            &tcp,
            ClientOptions::default().timeout(Duration::from_millis(300)),
        )
        .await
        .unwrap();
        let start = tokio::time::Instant::now();
        match hasty.request("t.Slow.Wait", wait(1_000)).await {
            Err(gsgate::client::ClientError::Timeout) => {}
            other => panic!("{other:?}"),
        }
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(300), "{waited:?}");
        assert!(waited < Duration::from_millis(900), "{waited:?}");
        let answer = hasty.request("t.Slow.Wait", wait(0)).await.unwrap();
        assert_eq!(gscluster::from_bytes::<String>(&answer).unwrap(), "a");

        // Shutdown: the request in flight is answered, then the kick.
        let slow = {
            let c = c.clone();
            tokio::spawn(async move { c.request("t.Slow.Wait", wait(300)).await })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        gate.shutdown(Duration::from_secs(3)).await;
        let answer = slow.await.unwrap().unwrap();
        assert_eq!(gscluster::from_bytes::<String>(&answer).unwrap(), "a");
        assert_eq!(
            c.closed(Duration::from_secs(2)).await.unwrap().as_deref(),
            Some("shutting down")
        );
        a.shutdown(Duration::from_secs(1)).await;
        let _ = std::fs::remove_dir_all(schema.parent().unwrap());
    };
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("within 20 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_at_its_in_flight_limit_waits_unread_and_is_not_taken_for_silent() {
    let test = async {
        let schema = temp_schema("in-flight");
        let (a, addr_a) = backend("a").await;
        let mut config = GateConfig::new("gate");
        config.max_in_flight = 1;
        // Silent for 400 ms: kicked; each request waits 300 ms, three in a row.
        config.heartbeat = Duration::from_millis(200);
        let gate =
            Gate::start_with_schema_file(config, &schema, &[] as &[PathBuf], &[addr_a]).unwrap();
        let tcp = gate.listen_tcp("127.0.0.1:0").await.unwrap().to_string();
        assert!(gate.backend_ready("t.Slow", Duration::from_secs(5)).await);
        let mut options = ClientOptions::default();
        options.heartbeat = false;
        let c = Arc::new(Client::connect_tcp(&tcp, options).await.unwrap());

        let start = tokio::time::Instant::now();
        let requests: Vec<_> = (0..3)
            .map(|_| {
                let c = c.clone();
                tokio::spawn(async move { c.request("t.Slow.Wait", wait(300)).await })
            })
            .collect();
        for r in requests {
            let answer = r.await.unwrap().unwrap();
            assert_eq!(gscluster::from_bytes::<String>(&answer).unwrap(), "a");
        }
        // One at a time: the second and third were read only as the one
        // before them ended, and the 900 ms the client spent unanswered
        // did not count as silence.
        assert!(start.elapsed() >= Duration::from_millis(900));
        assert!(!c.is_closed());

        // Silent now, with nothing in flight: kicked.
        assert_eq!(
            c.closed(Duration::from_secs(3)).await.unwrap().as_deref(),
            Some("heartbeat timeout")
        );
        gate.shutdown(Duration::from_secs(1)).await;
        a.shutdown(Duration::from_secs(1)).await;
        let _ = std::fs::remove_dir_all(schema.parent().unwrap());
    };
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("within 20 s");
}

async fn keyed_who(c: &Client, data: Vec<u8>) -> String {
    gscluster::from_bytes(&c.request("t.K.Who", data).await.unwrap()).unwrap()
}

/// The instance `gate.gs` documents for a key: the highest SipHash-2-4
/// (keys 0) of its address, a 0xFF byte, and the key's encoding.
fn expected_instance<'a>(instances: &[(&'a str, &str)], key: &[u8]) -> &'a str {
    use std::hash::Hasher as _;
    let score = |addr: &str| {
        let mut h = siphasher::sip::SipHasher24::new_with_keys(0, 0);
        h.write(addr.as_bytes());
        h.write(&[0xff]);
        h.write(key);
        h.finish()
    };
    instances
        .iter()
        .max_by_key(|(_, addr)| score(addr))
        .map(|(name, _)| *name)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyed_methods_go_by_rendezvous_hashing_and_only_a_lost_instances_keys_move() {
    let test = async {
        let w = TwoBackends::start("keyed", "t.K").await;
        let (one, two) = (&w.one, &w.two);
        let request = |room: &str, n: i32| {
            let mut data = gscluster::to_bytes(&n);
            data.extend(gscluster::to_bytes(&room.to_owned()));
            data
        };
        let rooms: Vec<String> = (0..24).map(|i| format!("room-{i}")).collect();
        let both = [("a", w.addr_a.as_str()), ("b", w.addr_b.as_str())];
        let mut placed = Vec::new();
        for room in &rooms {
            let key = gscluster::to_bytes(room);
            let expected = expected_instance(&both, &key);
            // Whatever the session and the other arguments.
            assert_eq!(keyed_who(one, request(room, 1)).await, expected, "{room}");
            assert_eq!(keyed_who(two, request(room, -7)).await, expected, "{room}");
            placed.push(expected);
        }
        assert!(placed.contains(&"a") && placed.contains(&"b"), "{placed:?}");

        // Instance a goes: its keys move to b, b's stay where they were.
        w.a.shutdown(Duration::from_secs(1)).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        for room in &rooms {
            assert_eq!(keyed_who(one, request(room, 1)).await, "b", "{room}");
        }
        w.stop().await;
    };
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("within 20 s");
}
