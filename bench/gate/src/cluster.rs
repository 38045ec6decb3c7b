//! `cluster-bench`: the chat as a cluster on loopback, measured in one run.
//!
//! etcd and PostgreSQL (started on loopback, as the tests do), two
//! `chat-server` processes registered in etcd and sharing the database, two
//! `gsgate` processes discovering them, and in this process `--sessions`
//! logged-in sessions on each gate (5,000), spread over `--rooms` rooms
//! (100) whose members are on both gates. Then:
//!
//! - `--senders` sessions of their own (200, half on each gate) say things
//!   in the rooms for `--secs` seconds (10), first each as soon as its last
//!   `Say` is answered (what the cluster takes at most), then `--rate`
//!   messages a second in all (100): messages said a second, deliveries a
//!   second (every member of the room gets each message), and the delivery
//!   latency (from the `Say` sent to the push received) of the deliveries
//!   to the other gate, p50 and p99;
//! - failover: one chat-server is killed (SIGKILL), and a room it owned is
//!   said in every 10 ms until a `Say` succeeds again: the time that takes,
//!   and the time until etcd's lease expiry drops it from the gates.
//!
//! Needs the release `gsgate` and `chat-server` beside this binary:
//! `cargo build --release --bin gsgate --bin chat-server --bin cluster-bench`.
//! The bench's accounts are hashed with cheap argon2 parameters (the hash
//! carries them), so that 10,000 logins do not make the setup minutes long.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHasher as _, SaltString};
use clap::Parser;
use gate_chat::{ChatClient, Db};
use gs_testkit::{Announced, Etcd, Postgres};
use gsgate::client::{Client, ClientOptions};
use tokio::sync::Mutex;

#[derive(Parser)]
struct Args {
    /// Sessions on each gate.
    #[arg(long, default_value_t = 5000)]
    sessions: usize,
    /// Rooms, each with members on both gates.
    #[arg(long, default_value_t = 100)]
    rooms: usize,
    /// Sessions saying things at once (half on each gate).
    #[arg(long, default_value_t = 200)]
    senders: usize,
    /// Seconds each message measurement runs.
    #[arg(long, default_value_t = 10)]
    secs: u64,
    /// Messages a second in all in the paced measurement.
    #[arg(long, default_value_t = 100)]
    rate: u32,
}

/// A release binary beside this one.
fn sibling(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("this binary's path");
    let binary = exe.with_file_name(name);
    if !binary.is_file() {
        eprintln!(
            "error: {} is missing: cargo build --release --bin gsgate --bin chat-server --bin cluster-bench",
            binary.display()
        );
        std::process::exit(2);
    }
    binary
}

/// A chat-server process registered in etcd.
fn chat_server(name: &str, db: &str, etcd: &str) -> (Announced, SocketAddr) {
    let mut command = Command::new(sibling("chat-server"));
    command
        .args(["--listen", "127.0.0.1:0", "--db", db, "--name", name])
        .args(["--etcd", etcd, "--cluster", "bench"])
        .env("RUST_LOG", "warn");
    let process = Announced::spawn(&mut command, "listening on ");
    let addr = process.addr.parse().expect("an address");
    (process, addr)
}

/// A gsgate process discovering the chat-servers through etcd.
fn gate(name: &str, etcd: &str) -> Announced {
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples/gate-chat/chat.gs");
    let mut command = Command::new(sibling("gsgate"));
    command
        .args(["--name", name, "--tcp", "127.0.0.1:0", "--etcd", etcd])
        .args(["--cluster", "bench", "--rate", "100000"])
        .args(["--max-connections", "1000000"])
        .arg("--schema")
        .arg(schema)
        .env("RUST_LOG", "warn");
    Announced::spawn(&mut command, "tcp on ")
}

/// The chat-servers registered in etcd now.
async fn registered(etcd: &str) -> usize {
    let Ok(mut c) = etcd_client::Client::connect([etcd], None).await else {
        return 0;
    };
    let options = etcd_client::GetOptions::new().with_prefix();
    c.get("/gscluster/bench/nodes/", Some(options))
        .await
        .map_or(0, |r| r.kvs().len())
}

/// Logs `c` in as `name`, retrying while the gate finds its backends.
async fn login(c: &ChatClient, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match c.login(name, "pw").await {
            Ok(_) => return,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("login of {name}: {e}"),
        }
    }
}

fn room_of(user: usize, rooms: usize) -> String {
    format!("room-{}", user % rooms)
}

/// The gate (0 or 1) of user `user`: each room has members on both.
fn gate_of(user: usize, rooms: usize) -> usize {
    (user / rooms) % 2
}

fn percentile(sorted: &[u64], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    Duration::from_nanos(sorted[i])
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let (Some(etcd), Some(pg)) = (Etcd::start(), Postgres::start()) else {
        eprintln!("error: the bench needs etcd and PostgreSQL (scripts/setup.sh installs them)");
        std::process::exit(2);
    };
    let (url, db_url) = (etcd.url(), pg.url("bench"));

    // Accounts and room membership, written directly; logins join the rooms.
    let users = 2 * args.sessions;
    let db = Db::open(&db_url).await.expect("the database");
    let params = argon2::Params::new(8, 1, 1, None).unwrap();
    let cheap = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let hash = cheap
        .hash_password(b"pw", &SaltString::generate(&mut rand_core::OsRng))
        .unwrap()
        .to_string();
    let setup = Instant::now();
    for u in 0..users {
        db.add_user(u as u64 + 1, format!("u{u}"), hash.clone())
            .await
            .unwrap();
        db.join(room_of(u, args.rooms), u as u64 + 1).await.unwrap();
    }
    // The senders: accounts of their own, members of no room (they say,
    // and hear nothing).
    for s in 0..args.senders {
        let id = (users + s) as u64 + 1;
        db.add_user(id, format!("s{s}"), hash.clone())
            .await
            .unwrap();
    }

    let (mut a, a_addr) = chat_server("chat-a", &db_url, &url);
    let (b, b_addr) = chat_server("chat-b", &db_url, &url);
    let g1 = gate("gate-1", &url);
    let g2 = gate("gate-2", &url);
    let (tcp1, tcp2) = (g1.addr.clone(), g2.addr.clone());
    while registered(&url).await < 2 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Sessions: user u on gate gate_of(u), logged in (which joins its room).
    let rooms = args.rooms;
    let clients: Arc<Vec<Mutex<Option<ChatClient>>>> =
        Arc::new((0..users).map(|_| Mutex::new(None)).collect());
    let next = Arc::new(AtomicU64::new(0));
    let logins: Vec<_> = (0..200)
        .map(|_| {
            let (clients, next, tcp1, tcp2) =
                (clients.clone(), next.clone(), tcp1.clone(), tcp2.clone());
            tokio::spawn(async move {
                loop {
                    let u = next.fetch_add(1, Ordering::Relaxed) as usize;
                    if u >= clients.len() {
                        return;
                    }
                    let tcp = if gate_of(u, rooms) == 0 { &tcp1 } else { &tcp2 };
                    let options = ClientOptions::default().timeout(Duration::from_secs(60));
                    let raw = Client::connect_tcp(tcp, options).await.expect("connect");
                    let c = ChatClient::new(raw);
                    login(&c, &format!("u{u}")).await;
                    *clients[u].lock().await = Some(c);
                }
            })
        })
        .collect();
    for l in logins {
        l.await.unwrap();
    }
    println!(
        "{} sessions on 2 gates, {} rooms, set up in {:.1?}",
        users,
        args.rooms,
        setup.elapsed()
    );

    // Messages: senders say "<gate>:<phase>:<nanos since start>"; every
    // session counts deliveries and records the latency of the cross-gate
    // ones. Phase 1: each sender says again as soon as answered (the most
    // the cluster takes); phase 2: `--rate` messages a second in all.
    let start = Instant::now();
    let phase = Arc::new(AtomicU64::new(0));
    let delivered: Arc<[AtomicU64; 3]> = Arc::new(Default::default());
    let mut listeners = Vec::new();
    for u in 0..users {
        let (clients, phase, delivered) = (clients.clone(), phase.clone(), delivered.clone());
        listeners.push(tokio::spawn(async move {
            let mut cross: [Vec<u64>; 3] = Default::default();
            let guard = clients[u].lock().await;
            let c = guard.as_ref().unwrap();
            while phase.load(Ordering::Relaxed) < 3 {
                let Some(said) = c.next_said(Duration::from_millis(200)).await else {
                    continue;
                };
                let mut parts = said.text.splitn(3, ':');
                let (Some(gate), Some(Ok(p)), Some(Ok(n))) = (
                    parts.next(),
                    parts.next().map(str::parse::<usize>),
                    parts.next().map(str::parse::<u64>),
                ) else {
                    continue;
                };
                let p = p.min(2);
                delivered[p].fetch_add(1, Ordering::Relaxed);
                if gate != gate_of(u, rooms).to_string() {
                    cross[p].push((start.elapsed().as_nanos() as u64).saturating_sub(n));
                }
            }
            cross
        }));
    }
    let said: Arc<[AtomicU64; 3]> = Arc::new(Default::default());
    let pause = Duration::from_secs_f64(args.senders as f64 / f64::from(args.rate.max(1)));
    let mut senders = Vec::new();
    let n_senders = args.senders;
    for s in 0..args.senders {
        let (said, phase) = (said.clone(), phase.clone());
        let tcp = if s % 2 == 0 {
            tcp1.clone()
        } else {
            tcp2.clone()
        };
        let (room, name) = (room_of(s, args.rooms), format!("s{s}"));
        senders.push(tokio::spawn(async move {
            let raw = Client::connect_tcp(&tcp, ClientOptions::default())
                .await
                .unwrap();
            let c = ChatClient::new(raw);
            login(&c, &name).await;
            // Paced senders start spread over one pause.
            let mut next = None;
            loop {
                let p = phase.load(Ordering::Relaxed) as usize;
                if p >= 3 {
                    return;
                }
                if p == 2 {
                    let at = *next.get_or_insert_with(|| {
                        tokio::time::Instant::now() + pause.mul_f64(s as f64 / n_senders as f64)
                    });
                    tokio::time::sleep_until(at).await;
                    next = Some(at + pause);
                }
                let text = format!("{}:{p}:{}", s % 2, start.elapsed().as_nanos());
                if c.say(&room, &text).await.is_ok() {
                    said[p].fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let mut report = Vec::new();
    for p in [1, 2] {
        tokio::time::sleep(Duration::from_secs(1)).await;
        phase.store(p, Ordering::Relaxed);
        let t0 = Instant::now();
        tokio::time::sleep(Duration::from_secs(args.secs)).await;
        report.push(t0.elapsed().as_secs_f64());
    }
    phase.store(3, Ordering::Relaxed);
    for s in senders {
        let _ = s.await;
    }
    let mut cross: [Vec<u64>; 3] = Default::default();
    for l in listeners {
        for (all, mine) in cross.iter_mut().zip(l.await.unwrap()) {
            all.extend(mine);
        }
    }
    for (p, what) in [(1, "as fast as answered"), (2, "paced")] {
        let elapsed = report[p - 1];
        cross[p].sort_unstable();
        println!(
            "messages, {what}: {:.0} said/s, {:.0} deliveries/s; cross-gate delivery latency p50 {:.2?}, p99 {:.2?} ({} samples)",
            said[p].load(Ordering::Relaxed) as f64 / elapsed,
            delivered[p].load(Ordering::Relaxed) as f64 / elapsed,
            percentile(&cross[p], 0.50),
            percentile(&cross[p], 0.99),
            cross[p].len()
        );
    }

    // Failover: kill the chat-server that owns a room; say in it until a
    // Say succeeds again.
    let servers = [a_addr, b_addr];
    let owner = |room: &str| {
        let key = gscluster::to_bytes(&room.to_owned());
        *servers
            .iter()
            .max_by_key(|s| gsgate::rendezvous_score(**s, &key))
            .unwrap()
    };
    let u = (0..users)
        .find(|&u| gate_of(u, rooms) == 0 && owner(&room_of(u, args.rooms)) == a_addr)
        .expect("a room on chat-a");
    let raw = Client::connect_tcp(&tcp1, ClientOptions::default())
        .await
        .unwrap();
    let c = ChatClient::new(raw);
    login(&c, &format!("u{u}")).await;
    let room = room_of(u, args.rooms);
    a.kill();
    let killed = Instant::now();
    let mut failed = 0;
    loop {
        match c.say(&room, "0:0").await {
            Ok(_) => break,
            Err(_) => failed += 1,
        }
        if killed.elapsed() > Duration::from_secs(30) {
            panic!("the room did not answer again in 30 s");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let moved = killed.elapsed();
    while registered(&url).await > 1 && killed.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "failover: the killed chat-server's room answered again after {moved:.1?} ({failed} Says failed meanwhile); its lease expired, dropping it from etcd, after {:.1?}",
        killed.elapsed()
    );
    drop((g1, g2, b));
}
