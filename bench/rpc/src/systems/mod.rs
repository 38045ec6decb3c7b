//! The systems under test. Each binds a server on 127.0.0.1 and connects
//! clients to it, on the runtime of the caller, with TCP_NODELAY on both
//! sides and one connection per client (a client's calls are multiplexed
//! over it).

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use crate::data::{game_message, serde_mirror};
use crate::harness::{Sample, drive};
use crate::pb;

pub mod gs;
pub mod mux;
pub mod tarpc_echo;
pub mod tonic_echo;

/// A system under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum System {
    /// gscluster::rpc: a gs2rust `GameEcho` contract, plain TCP.
    Gscluster,
    /// The same over an encrypted connection (X25519, ChaCha20-Poly1305).
    GsclusterEncrypted,
    /// The same contract `@Profile`d, with a Prometheus recorder installed.
    GsclusterProfiled,
    /// tarpc 0.38, bincode over length-delimited frames.
    Tarpc,
    /// tonic 0.14, a unary gRPC call with prost messages, HTTP/2.
    Tonic,
    /// A hand-written multiplexer: length-prefixed frames with a u16 call
    /// id, a map of oneshot waiters, no deadlines or errors.
    Mux,
}

impl System {
    /// Every system, in the order of the tables.
    pub const ALL: [System; 6] = [
        System::Gscluster,
        System::GsclusterEncrypted,
        System::GsclusterProfiled,
        System::Tarpc,
        System::Tonic,
        System::Mux,
    ];

    /// Its name on the command line and in the tables.
    pub fn name(self) -> &'static str {
        match self {
            System::Gscluster => "gscluster",
            System::GsclusterEncrypted => "gscluster-enc",
            System::GsclusterProfiled => "gscluster-profiled",
            System::Tarpc => "tarpc",
            System::Tonic => "tonic",
            System::Mux => "mux",
        }
    }

    /// The system named `name`.
    pub fn from_name(name: &str) -> Option<System> {
        System::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A running server of some system.
#[derive(Debug)]
pub enum Server {
    /// gscluster.
    Gs(gs::GsServer),
    /// tarpc.
    Tarpc(tarpc_echo::TarpcServer),
    /// tonic.
    Tonic(tonic_echo::TonicServer),
    /// The multiplexer.
    Mux(mux::MuxServer),
}

impl Server {
    /// Starts `system`'s echo server on 127.0.0.1, any port.
    pub async fn start(system: System) -> (Server, SocketAddr) {
        match system {
            System::Gscluster | System::GsclusterEncrypted => {
                let (s, a) = gs::GsServer::start(false).await;
                (Server::Gs(s), a)
            }
            System::GsclusterProfiled => {
                gs::install_recorder();
                let (s, a) = gs::GsServer::start(true).await;
                (Server::Gs(s), a)
            }
            System::Tarpc => {
                let (s, a) = tarpc_echo::TarpcServer::start().await;
                (Server::Tarpc(s), a)
            }
            System::Tonic => {
                let (s, a) = tonic_echo::TonicServer::start().await;
                (Server::Tonic(s), a)
            }
            System::Mux => {
                let (s, a) = mux::MuxServer::start().await;
                (Server::Mux(s), a)
            }
        }
    }

    /// Stops it.
    pub async fn stop(self) {
        match self {
            Server::Gs(s) => s.stop().await,
            Server::Tarpc(s) => s.stop().await,
            Server::Tonic(s) => s.stop().await,
            Server::Mux(s) => s.stop(),
        }
    }
}

/// Measures `system` with `inflight` calls in flight on the current
/// runtime: a server, one client connection, warm-up, window.
pub async fn measure(
    system: System,
    inflight: usize,
    warmup: Duration,
    window: Duration,
) -> Sample {
    let (server, addr) = Server::start(system).await;
    let msg = game_message();
    let sample = match system {
        System::Gscluster | System::GsclusterEncrypted => {
            let encrypt = system == System::GsclusterEncrypted;
            let client = gs::GsClients::start(addr, 1, encrypt).await;
            let caller = client.callers()[0].clone();
            let s = drive(caller, msg, inflight, warmup, window).await;
            client.stop().await;
            s
        }
        System::GsclusterProfiled => {
            let client = gs::GsClients::start(addr, 1, false).await;
            let s = drive(client.profiled_caller(), msg, inflight, warmup, window).await;
            client.stop().await;
            s
        }
        System::Tarpc => {
            let caller = tarpc_echo::connect(addr).await;
            drive(
                caller,
                serde_mirror::GameMessage::from(&msg),
                inflight,
                warmup,
                window,
            )
            .await
        }
        System::Tonic => {
            let caller = tonic_echo::connect(addr).await;
            drive(
                caller,
                pb::GameMessage::from(&msg),
                inflight,
                warmup,
                window,
            )
            .await
        }
        System::Mux => {
            let caller = mux::MuxClient::connect(addr).await;
            let s = drive(caller.clone(), msg, inflight, warmup, window).await;
            caller.stop();
            s
        }
    };
    server.stop().await;
    sample
}
