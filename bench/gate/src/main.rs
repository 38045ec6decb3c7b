//! `gate-bench`: the gate's figures on this machine, in one run.
//!
//! - Requests/s at `--conns` connections × `--inflight` requests in flight
//!   (100 × 16): through the gate (client → gsgate → gscluster backend →
//!   back, WebSocket and TCP), against a hand-written WebSocket echo server
//!   (tokio-tungstenite, no routing: the ceiling), and against direct
//!   gscluster calls to the same backend.
//! - The memory of `--idle` idle sessions after their handshake (10,000):
//!   the RSS of the gate's process before and after, per session.
//! - Broadcast deliveries/s to a group of `--group` sessions (1,000).
//!
//! The gate runs in a child process (this binary with `--child-gate`) so
//! that its RSS is its own.

use std::io::BufRead as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use clap::Parser;
use futures_util::{SinkExt as _, StreamExt as _};
use gscluster::rpc::{CallContext, Node, RpcError};
use gsgate::client::{Client, ClientOptions};
use gsgate::protocol::{self, Message, MessageType, PacketType, Route};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message as WsMessage;

mod proto {
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}

use proto::bench::{Echo, EchoClient, EchoServer};
use proto::gate::{GateClient, Session};

#[derive(Parser)]
struct Args {
    /// Seconds each request measurement runs.
    #[arg(long, default_value_t = 5)]
    secs: u64,
    /// Connections of the request measurements.
    #[arg(long, default_value_t = 100)]
    conns: usize,
    /// Requests in flight per connection.
    #[arg(long, default_value_t = 16)]
    inflight: usize,
    /// Idle sessions for the memory measurement.
    #[arg(long, default_value_t = 10_000)]
    idle: usize,
    /// Members of the broadcast group.
    #[arg(long, default_value_t = 1000)]
    group: usize,
    /// Internal: run a gate in front of this backend, for the parent.
    #[arg(long, hide = true)]
    child_gate: Option<String>,
}

struct EchoService;

impl Echo for EchoService {
    async fn echo(
        self: Arc<Self>,
        _cx: CallContext,
        _s: Session,
        text: String,
    ) -> Result<String, RpcError> {
        Ok(text)
    }
}

const SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/bench.gs");
const TEXT: &str = "hello, gate";

fn main() {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match &args.child_gate {
        Some(backend) => runtime.block_on(child_gate(backend)),
        None => runtime.block_on(parent(&args)),
    }
}

async fn child_gate(backend: &str) {
    let mut config = gsgate::GateConfig::new("bench-gate");
    config.rate = 10_000_000;
    config.burst = 10_000_000;
    config.send_queue = 4096;
    let gate = gsgate::Gate::start_with_schema_file(
        config,
        std::path::Path::new(SCHEMA),
        &[],
        &[backend.to_owned()],
    )
    .expect("schema");
    let tcp = gate.listen_tcp("127.0.0.1:0").await.expect("tcp");
    let ws = gate.listen_ws("127.0.0.1:0").await.expect("ws");
    assert!(
        gate.backend_ready("bench.Echo", Duration::from_secs(10))
            .await
    );
    println!("tcp on {tcp}");
    println!("ws on {ws}");
    // Until the parent closes our stdin.
    let mut stdin = tokio::io::stdin();
    let mut buf = [0u8; 16];
    while matches!(stdin.read(&mut buf).await, Ok(n) if n > 0) {}
    gate.shutdown(Duration::from_secs(1)).await;
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn request_data() -> Bytes {
    gscluster::to_bytes(&TEXT.to_owned()).into()
}

/// Runs `per_conn` on `conns` connections for `secs`; requests/s.
async fn measure<F, Fut>(secs: u64, conns: usize, per_conn: F) -> f64
where
    F: Fn(Arc<AtomicU64>, Arc<AtomicBool>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..conns {
        tasks.push(tokio::spawn(per_conn(done.clone(), stop.clone())));
    }
    // Warm up, then count.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let start = (Instant::now(), done.load(Ordering::Relaxed));
    tokio::time::sleep(Duration::from_secs(secs)).await;
    let n = done.load(Ordering::Relaxed) - start.1;
    let rate = n as f64 / start.0.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(5), t).await;
    }
    rate
}

/// A minimal WebSocket echo server: every binary frame back as it came.
async fn ceiling() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let _ = stream.set_nodelay(true);
                let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                let (mut tx, mut rx) = ws.split();
                while let Some(Ok(m)) = rx.next().await {
                    if m.is_binary() && tx.send(m).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

async fn parent(args: &Args) {
    let backend = Node::builder("bench-backend").kind("bench").build();
    let _echo = backend.serve("echo", EchoServer::new(EchoService));
    let backend_addr = backend.listen("127.0.0.1:0").await.expect("listen");

    let exe = std::env::current_exe().expect("exe");
    let mut child = std::process::Command::new(exe)
        .arg("--child-gate")
        .arg(backend_addr.to_string())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the gate's process");
    let pid = child.id();
    let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let next = |lines: &mut std::io::Lines<_>, prefix: &str| -> String {
        let line: String = lines.next().expect("a line").expect("a line");
        line.strip_prefix(prefix).expect("the address").to_owned()
    };
    let tcp = next(&mut lines, "tcp on ");
    let ws = next(&mut lines, "ws on ");
    let ceiling = ceiling().await;
    let (secs, conns, inflight) = (args.secs, args.conns, args.inflight);
    println!("requests/s at {conns} connections x {inflight} in flight, {secs} s each:");

    // The ceiling: the same request packets over WebSocket, echoed.
    let mut packet = BytesMut::new();
    let request = Message {
        id: 1,
        route: Route::Name("bench.Echo.Echo".into()),
        ..Message::new(MessageType::Request, request_data())
    };
    protocol::put_packet(&mut packet, PacketType::Data, false, &request.to_bytes());
    let packet = packet.freeze();
    let url = format!("ws://{ceiling}/");
    let ceiling_rate = measure(secs, conns, |done, stop| {
        let url = url.clone();
        let packet = packet.clone();
        async move {
            let Ok((ws, _)) = tokio_tungstenite::connect_async(url).await else {
                return;
            };
            let (mut tx, mut rx) = ws.split();
            for _ in 0..inflight {
                let _ = tx.feed(WsMessage::Binary(packet.clone())).await;
            }
            let _ = tx.flush().await;
            while !stop.load(Ordering::Relaxed) {
                let Some(Ok(_)) = rx.next().await else { break };
                done.fetch_add(1, Ordering::Relaxed);
                if tx.send(WsMessage::Binary(packet.clone())).await.is_err() {
                    break;
                }
            }
        }
    })
    .await;
    println!("  ceiling (WebSocket echo, no routing): {ceiling_rate:>10.0}");

    let through_gate = |ws_transport: bool| {
        let addr = if ws_transport {
            ws.clone()
        } else {
            tcp.clone()
        };
        move |done: Arc<AtomicU64>, stop: Arc<AtomicBool>| {
            let addr = addr.clone();
            async move {
                let options = ClientOptions::default();
                let client = if ws_transport {
                    Client::connect_ws(&addr, options).await
                } else {
                    Client::connect_tcp(&addr, options).await
                };
                let Ok(client) = client else { return };
                let client = Arc::new(client);
                let mut tasks = Vec::new();
                for _ in 0..inflight {
                    let (client, done, stop) = (client.clone(), done.clone(), stop.clone());
                    tasks.push(tokio::spawn(async move {
                        while !stop.load(Ordering::Relaxed) {
                            if client
                                .request_compressed("bench.Echo.Echo", request_data())
                                .await
                                .is_err()
                            {
                                break;
                            }
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                    }));
                }
                for t in tasks {
                    let _ = t.await;
                }
            }
        }
    };
    let gate_ws = measure(secs, conns, through_gate(true)).await;
    println!("  gate, WebSocket:                      {gate_ws:>10.0}");
    let gate_tcp = measure(secs, conns, through_gate(false)).await;
    println!("  gate, TCP:                            {gate_tcp:>10.0}");

    let client_node = Node::builder("bench-client").build();
    let direct = measure(secs, conns, |done, stop| {
        let peer = client_node.connect(backend_addr.to_string());
        async move {
            if peer.connected(Duration::from_secs(5)).await.is_err() {
                return;
            }
            let echo: EchoClient = peer.client();
            let mut tasks = Vec::new();
            for _ in 0..inflight {
                let (echo, done, stop) = (echo.clone(), done.clone(), stop.clone());
                tasks.push(tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        if echo
                            .echo(Session::default(), TEXT.to_owned())
                            .await
                            .is_err()
                        {
                            break;
                        }
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
            for t in tasks {
                let _ = t.await;
            }
        }
    })
    .await;
    println!("  direct gscluster call:                {direct:>10.0}");
    println!(
        "  gate (WebSocket) / ceiling: {:.2}, gate (TCP) / direct gscluster: {:.2}",
        gate_ws / ceiling_rate,
        gate_tcp / direct
    );
    client_node.shutdown(Duration::from_secs(1)).await;

    // Idle sessions.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(pid);
    let mut idle = Vec::with_capacity(args.idle);
    for chunk in 0..args.idle.div_ceil(200) {
        let n = (args.idle - chunk * 200).min(200);
        let mut batch = Vec::new();
        for _ in 0..n {
            let tcp = tcp.clone();
            batch.push(tokio::spawn(async move { handshake(&tcp).await }));
        }
        for b in batch {
            if let Ok(Some((s, _))) = b.await {
                idle.push(s);
            }
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_kib(pid);
    println!(
        "{} idle sessions: gate RSS {before} KiB -> {after} KiB, {:.1} KiB a session",
        idle.len(),
        (after.saturating_sub(before)) as f64 / idle.len().max(1) as f64
    );
    // The same sessions idle again after one request each (what a session
    // keeps once it has had traffic).
    let mut request = BytesMut::new();
    let message = Message {
        id: 1,
        route: Route::Name("bench.Echo.Echo".into()),
        ..Message::new(MessageType::Request, request_data())
    };
    protocol::put_packet(&mut request, PacketType::Data, false, &message.to_bytes());
    let request = request.freeze();
    let mut answered = 0usize;
    for s in idle.iter_mut() {
        answered += usize::from(round_trip(s, &request).await.is_some());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after_request = rss_kib(pid);
    println!(
        "  after one request each ({answered} answered): {after_request} KiB, {:.1} KiB a session",
        (after_request.saturating_sub(before)) as f64 / idle.len().max(1) as f64
    );
    drop(idle);
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Broadcast to a group.
    let gate_conn = backend
        .connections()
        .into_iter()
        .find(|c| c.announces("gate.Gate"))
        .expect("the gate's connection");
    let gate: GateClient = gate_conn.client();
    let received = Arc::new(AtomicU64::new(0));
    let mut members = Vec::new();
    for _ in 0..args.group {
        let Some((mut s, session)) = handshake(&tcp).await else {
            continue;
        };
        gate.join("bench".into(), session).await.expect("join");
        let received = received.clone();
        members.push(tokio::spawn(async move {
            let mut buf = BytesMut::with_capacity(64 * 1024);
            loop {
                match s.read_buf(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                while let Ok(Some(p)) = protocol::next_packet(&mut buf) {
                    if p.ty == PacketType::Data {
                        received.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let data = gscluster::to_bytes(&TEXT.to_owned());
    let start = (Instant::now(), received.load(Ordering::Relaxed));
    let mut reached = 0u64;
    while start.0.elapsed() < Duration::from_secs(secs) {
        let mut calls = Vec::new();
        for _ in 0..8 {
            let gate = gate.clone();
            let data = data.clone();
            calls.push(tokio::spawn(async move {
                gate.broadcast("bench".into(), "bench.Client.Tick".into(), data)
                    .await
                    .unwrap_or(0)
            }));
        }
        for c in calls {
            reached += u64::from(c.await.unwrap_or(0));
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let elapsed = start.0.elapsed().as_secs_f64();
    let delivered = received.load(Ordering::Relaxed) - start.1;
    println!(
        "broadcast to {} members: {:.0} deliveries/s received ({:.0}/s queued)",
        members.len(),
        delivered as f64 / elapsed,
        reached as f64 / elapsed
    );
    for m in members {
        m.abort();
    }

    drop(child.stdin.take());
    let _ = child.wait();
    backend.shutdown(Duration::from_secs(1)).await;
}

/// Writes `packet` on a raw session and reads one packet back.
async fn round_trip(s: &mut TcpStream, packet: &[u8]) -> Option<()> {
    s.write_all(packet).await.ok()?;
    let mut buf = BytesMut::new();
    loop {
        if protocol::next_packet(&mut buf).ok()?.is_some() {
            return Some(());
        }
        if s.read_buf(&mut buf).await.ok()? == 0 {
            return None;
        }
    }
}

/// A raw TCP session after its handshake, and its id.
async fn handshake(addr: &str) -> Option<(TcpStream, u64)> {
    let mut s = TcpStream::connect(addr).await.ok()?;
    let mut out = BytesMut::new();
    protocol::put_packet(&mut out, PacketType::Handshake, false, b"");
    s.write_all(&out).await.ok()?;
    let mut buf = BytesMut::new();
    loop {
        if let Some(p) = protocol::next_packet(&mut buf).ok()? {
            let v: serde_json::Value = serde_json::from_slice(&p.body).ok()?;
            return Some((s, v["sys"]["session"].as_u64()?));
        }
        if s.read_buf(&mut buf).await.ok()? == 0 {
            return None;
        }
    }
}
