//! The memory of idle connections: what a server pays per connected client.
//!
//! The server runs in a child process (`rpc-bench idle-server SYSTEM`, on a
//! current-thread runtime in a thread of its own) and reports, when asked
//! on stdin, its resident set (`VmRSS` of `/proc/self/status`) and the heap
//! bytes it holds (allocated and not freed, from [`crate::alloc`]); the
//! clients run in this process. The server's growth from before the first
//! connection is divided by the number of connections, at three points:
//! after `n` handshakes, after one echo on each of them (buffers grown by a
//! call stay until they shrink back), and for `n` more connections after
//! that (the marginal cost, without the one-time growth of the process).
//! The kernel's socket memory is not in either figure.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use futures::future::join_all;

use crate::data::{game_message, serde_mirror};
use crate::harness::Caller as _;
use crate::pb;
use crate::systems::{Server, System, gs, mux, tarpc_echo, tonic_echo};

/// The resident set of this process, in KiB.
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

/// The child's side: serves `system` and answers `rss` lines with its
/// resident set in KiB and its live heap in bytes, until stdin closes.
pub fn serve_child(system: System) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let (_server, addr) = Server::start(system).await;
            tx.send(addr).expect("send");
            std::future::pending::<()>().await;
        });
    });
    let addr = rx.recv().expect("the server started");
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {addr}").expect("stdout");
    out.flush().expect("stdout");
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { break };
        if line.trim() == "rss" {
            writeln!(out, "{} {}", rss_kib(), crate::alloc::live_bytes()).expect("stdout");
            out.flush().expect("stdout");
        }
    }
}

struct ChildServer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    addr: SocketAddr,
}

impl ChildServer {
    fn start(system: System) -> ChildServer {
        let exe = std::env::current_exe().expect("current_exe");
        let mut child = Command::new(exe)
            .args(["idle-server", system.name()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn the server process");
        let stdin = child.stdin.take().expect("stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("the server's first line");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        ChildServer {
            child,
            stdin,
            stdout,
            addr,
        }
    }

    /// Its resident set in bytes, and its live heap in bytes.
    fn memory(&mut self) -> (u64, u64) {
        writeln!(self.stdin, "rss").expect("ask");
        self.stdin.flush().expect("ask");
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("answer");
        let mut fields = line.split_whitespace().map(|f| f.parse::<u64>());
        match (fields.next(), fields.next()) {
            (Some(Ok(rss)), Some(Ok(heap))) => (rss * 1024, heap),
            _ => panic!("unexpected answer {line:?}"),
        }
    }

    fn stop(mut self) {
        drop(self.stdin);
        let _ = self.child.wait();
    }
}

/// What an idle connection costs the server, in bytes per connection: its
/// resident set and its live heap.
#[derive(Clone, Copy, Debug)]
pub struct PerConn {
    /// Resident set.
    pub rss: f64,
    /// Heap allocated and not freed.
    pub heap: f64,
}

/// What idle connections cost the server.
#[derive(Clone, Debug)]
pub struct IdleSample {
    /// Connections in each batch.
    pub n: usize,
    /// After `n` handshakes.
    pub handshake: PerConn,
    /// After one echo on each.
    pub after_call: PerConn,
    /// `n` more connections (handshakes only), marginal.
    pub marginal: PerConn,
}

enum Clients {
    Gs(gs::GsClients),
    Tarpc(Vec<tarpc_echo::GameEchoClient>),
    Tonic(Vec<crate::tonic_gen::game_echo_client::GameEchoClient<tonic::transport::Channel>>),
    Mux(Vec<mux::MuxClient>),
}

impl Clients {
    async fn connect(system: System, addr: SocketAddr, n: usize) -> Clients {
        match system {
            System::Gscluster | System::GsclusterEncrypted | System::GsclusterProfiled => {
                Clients::Gs(
                    gs::GsClients::start(addr, n, system == System::GsclusterEncrypted).await,
                )
            }
            System::Tarpc => {
                Clients::Tarpc(join_all((0..n).map(|_| tarpc_echo::connect(addr))).await)
            }
            System::Tonic => {
                Clients::Tonic(join_all((0..n).map(|_| tonic_echo::connect(addr))).await)
            }
            System::Mux => {
                Clients::Mux(join_all((0..n).map(|_| mux::MuxClient::connect(addr))).await)
            }
        }
    }

    /// One echo on every connection.
    async fn call_each(&mut self) {
        let msg = game_message();
        match self {
            Clients::Gs(c) => {
                let mut callers = c.callers().to_vec();
                join_all(callers.iter_mut().map(|c| c.call(msg.clone()))).await;
            }
            Clients::Tarpc(c) => {
                let m = serde_mirror::GameMessage::from(&msg);
                join_all(c.iter_mut().map(|c| c.call(m.clone()))).await;
            }
            Clients::Tonic(c) => {
                let m = pb::GameMessage::from(&msg);
                join_all(c.iter_mut().map(|c| c.call(m.clone()))).await;
            }
            Clients::Mux(c) => {
                join_all(c.iter_mut().map(|c| c.call(msg.clone()))).await;
            }
        }
    }

    async fn stop(self) {
        match self {
            Clients::Gs(c) => c.stop().await,
            Clients::Mux(c) => c.iter().for_each(mux::MuxClient::stop),
            Clients::Tarpc(_) | Clients::Tonic(_) => {}
        }
    }
}

/// Measures `n` idle connections (then `n` more) of `system` to a server
/// in a child process. `settle`: how long to wait before each reading.
pub fn measure(system: System, n: usize, settle: Duration) -> IdleSample {
    let mut server = ChildServer::start(system);
    let addr = server.addr;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sample = rt.block_on(async {
        tokio::time::sleep(settle).await;
        let m0 = server.memory();
        let mut first = Clients::connect(system, addr, n).await;
        tokio::time::sleep(settle).await;
        let m1 = server.memory();
        first.call_each().await;
        tokio::time::sleep(settle).await;
        let m2 = server.memory();
        let second = Clients::connect(system, addr, n).await;
        tokio::time::sleep(settle).await;
        let m3 = server.memory();
        first.stop().await;
        second.stop().await;
        let per = |a: (u64, u64), b: (u64, u64)| PerConn {
            rss: (b.0 as f64 - a.0 as f64) / n as f64,
            heap: (b.1 as f64 - a.1 as f64) / n as f64,
        };
        IdleSample {
            n,
            handshake: per(m0, m1),
            after_call: per(m0, m2),
            marginal: per(m2, m3),
        }
    });
    drop(rt);
    server.stop();
    sample
}
