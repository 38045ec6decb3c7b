//! Routing between two backends: a sticky contract sends each session's
//! calls to one backend, chosen by its key; another goes round robin. The
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
@gate.Expose\ncontract R { Who(s gate.Session) -> (string); }\n";

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
    for contract in ["t.S", "t.R"] {
        let who = Arc::new(Who {
            contract,
            name: name.to_owned(),
        });
        let _ = node.serve("who", WhoServer(who));
    }
    let addr = node.listen("127.0.0.1:0").await.unwrap().to_string();
    (node, addr)
}

async fn who(c: &Client, route: &str) -> String {
    let answer = c.request(route, Vec::new()).await.unwrap();
    gscluster::from_bytes(&answer).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sticky_contracts_keep_a_session_on_one_backend_others_go_round_robin() {
    let test = async {
        let dir = std::env::temp_dir().join(format!("gsgate-routing-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let schema = dir.join("t.gs");
        std::fs::write(&schema, SCHEMA).unwrap();
        let (a, addr_a) = backend("a").await;
        let (b, addr_b) = backend("b").await;
        let gate = Gate::start_with_schema_file(
            GateConfig::new("gate"),
            &schema,
            &[] as &[PathBuf],
            &[addr_a, addr_b],
        )
        .unwrap();
        let tcp = gate.listen_tcp("127.0.0.1:0").await.unwrap().to_string();
        while a.connections().is_empty() || b.connections().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(gate.backend_ready("t.S", Duration::from_secs(5)).await);
        tokio::time::sleep(Duration::from_millis(100)).await;

        let one = Client::connect_tcp(&tcp, ClientOptions::default())
            .await
            .unwrap();
        let two = Client::connect_tcp(&tcp, ClientOptions::default())
            .await
            .unwrap();
        let mut sticky = Vec::new();
        for c in [&one, &two] {
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
            seen.insert(who(&one, "t.R.Who").await);
        }
        assert_eq!(seen.len(), 2, "round robin reaches both");

        gate.shutdown(Duration::from_secs(1)).await;
        a.shutdown(Duration::from_secs(1)).await;
        b.shutdown(Duration::from_secs(1)).await;
        let _ = std::fs::remove_dir_all(dir);
    };
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("within 20 s");
}
