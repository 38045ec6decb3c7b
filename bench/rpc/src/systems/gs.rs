//! gscluster: a node hosting `GameEcho` and a node calling it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::future::join_all;
use gscluster::rpc::{CallContext, ConnectOptions, Node, Peer, RpcError};

use crate::harness::Caller;
use crate::proto::game_echo::{
    GameEcho, GameEchoClient, GameEchoServer, GameMessage, ProfiledGameEcho,
    ProfiledGameEchoClient, ProfiledGameEchoServer,
};

/// The service: answers with the message it got.
#[derive(Debug)]
pub struct Echo;

impl GameEcho for Echo {
    async fn echo(
        self: Arc<Self>,
        _cx: CallContext,
        msg: GameMessage,
    ) -> Result<GameMessage, RpcError> {
        Ok(msg)
    }
}

impl ProfiledGameEcho for Echo {
    async fn echo(
        self: Arc<Self>,
        _cx: CallContext,
        msg: GameMessage,
    ) -> Result<GameMessage, RpcError> {
        Ok(msg)
    }
}

impl Caller for ProfiledGameEchoClient {
    type Msg = GameMessage;

    async fn call(&mut self, msg: GameMessage) -> GameMessage {
        self.echo(msg).await.expect("gscluster profiled echo")
    }

    fn id(msg: &GameMessage) -> u64 {
        msg.id
    }
}

/// Installs a Prometheus recorder (`metrics-exporter-prometheus`, as
/// `echo-server --metrics` does: durations in buckets) as the global
/// recorder, once, with a thread running its upkeep every second as its
/// HTTP listener would.
pub fn install_recorder() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        // Durations as histograms of buckets, as `echo-server --metrics`
        // configures them (the exporter's default is a summary).
        let buckets = [
            0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
        ];
        let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
            .set_buckets_for_metric(
                metrics_exporter_prometheus::Matcher::Suffix("_seconds".into()),
                &buckets,
            )
            .expect("buckets")
            .install_recorder()
            .expect("the only recorder");
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                handle.run_upkeep();
            }
        });
    });
}

impl Caller for GameEchoClient {
    type Msg = GameMessage;

    async fn call(&mut self, msg: GameMessage) -> GameMessage {
        self.echo(msg).await.expect("gscluster echo")
    }

    fn id(msg: &GameMessage) -> u64 {
        msg.id
    }
}

/// A node serving `GameEcho` (or `ProfiledGameEcho`) as instance `echo`.
#[derive(Debug)]
pub struct GsServer {
    node: Node,
}

impl GsServer {
    /// Listens on 127.0.0.1, any port.
    pub async fn start(profiled: bool) -> (GsServer, SocketAddr) {
        let node = Node::builder("bench-server").kind("bench").build();
        let _service = if profiled {
            node.serve("echo", ProfiledGameEchoServer::new(Echo))
        } else {
            node.serve("echo", GameEchoServer::new(Echo))
        };
        let addr = node.listen("127.0.0.1:0").await.expect("listen");
        (GsServer { node }, addr)
    }

    /// Shuts the node down.
    pub async fn stop(self) {
        self.node.shutdown(Duration::from_secs(1)).await;
    }
}

/// A client node with `n` connections (peers) to one server, each
/// established and its service announced.
#[derive(Debug)]
pub struct GsClients {
    node: Node,
    peers: Vec<Peer>,
    callers: Vec<GameEchoClient>,
}

impl GsClients {
    /// Connects `n` times to `addr` and waits for every handshake and
    /// announcement (a first `Echo` on each would allocate call state, so
    /// the announcement is awaited through the connection instead).
    pub async fn start(addr: SocketAddr, n: usize, encrypt: bool) -> GsClients {
        let node = Node::builder("bench-client")
            .kind("client")
            .max_connections(n + 16)
            .build();
        let peers: Vec<Peer> = (0..n)
            .map(|_| node.connect_with(addr.to_string(), ConnectOptions::new().encrypt(encrypt)))
            .collect();
        for r in join_all(peers.iter().map(|p| p.connected(Duration::from_secs(30)))).await {
            r.expect("connected");
        }
        let callers = peers.iter().map(|p| p.client::<GameEchoClient>()).collect();
        GsClients {
            node,
            peers,
            callers,
        }
    }

    /// A client per connection.
    pub fn callers(&self) -> &[GameEchoClient] {
        &self.callers
    }

    /// A client of `ProfiledGameEcho` over the first connection.
    pub fn profiled_caller(&self) -> ProfiledGameEchoClient {
        self.peers[0].client()
    }

    /// How many connections.
    pub fn len(&self) -> usize {
        self.peers.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.peers.is_empty()
    }

    /// Shuts the client node down.
    pub async fn stop(self) {
        drop(self.callers);
        drop(self.peers);
        self.node.shutdown(Duration::from_secs(1)).await;
    }
}
