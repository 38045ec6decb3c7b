//! `GET /metrics` in the Prometheus text format (feature `prometheus`):
//! a `metrics-exporter-prometheus` recorder, rendered by a minimal HTTP/1.1
//! responder on tokio (the exporter's own listener would bring hyper in for
//! one route). What `echo-server --metrics ADDR` and `gsgate --metrics
//! ADDR` serve: the [`profile`](super::profile) metrics of `@Profile`
//! methods, and whatever else the process records.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let exporter = gscluster::rpc::prometheus::Exporter::bind("127.0.0.1:9100").await?;
//! println!("metrics on {}", exporter.addr());
//! let _serving = exporter.serve();
//! // … start nodes, record metrics …
//! # Ok(())
//! # }
//! ```
//!
//! Each connection gets one answer and is closed; a request head must come
//! within [`REQUEST_TIMEOUT`] and fit in [`MAX_REQUEST_HEAD`] bytes, and at
//! most [`MAX_CONNECTIONS`] scrapes are served at once.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

/// The longest request head read.
pub const MAX_REQUEST_HEAD: usize = 8 * 1024;
/// How long a scraper has to send its request and read the answer.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How many scrapes are served at once; more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 16;
/// The buckets of the `_seconds` histograms (the calls' durations), in
/// seconds: from 25 µs, a loopback call, to 10 s.
pub const BUCKETS: [f64; 17] = [
    0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1,
    0.25, 0.5, 1.0, 2.5, 10.0,
];
/// How often the recorder's histograms are compacted.
const UPKEEP: Duration = Duration::from_secs(5);

/// The installed recorder and the bound listener.
#[derive(Debug)]
pub struct Exporter {
    handle: PrometheusHandle,
    listener: TcpListener,
    addr: SocketAddr,
}

impl Exporter {
    /// Installs a Prometheus recorder as the global `metrics` recorder
    /// (durations as histograms of [`BUCKETS`]) and binds `addr`.
    pub async fn bind(addr: &str) -> std::io::Result<Exporter> {
        // Bound first: a failed bind leaves no recorder installed.
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &BUCKETS)
            .map_err(std::io::Error::other)?
            .install_recorder()
            .map_err(std::io::Error::other)?;
        Ok(Exporter {
            handle,
            listener,
            addr,
        })
    }

    /// The address bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The metrics as `GET /metrics` answers them.
    pub fn render(&self) -> String {
        self.handle.render()
    }

    /// Serves scrapes until the returned task is aborted (or dropped with
    /// the runtime); the recorder's upkeep ends with it, and each scrape
    /// within [`REQUEST_TIMEOUT`].
    pub fn serve(self) -> JoinHandle<()> {
        tokio::spawn(async move {
            let handle = Arc::new(self.handle);
            let _upkeep = AbortOnDrop({
                let handle = handle.clone();
                tokio::spawn(async move {
                    let mut tick = tokio::time::interval(UPKEEP);
                    loop {
                        tick.tick().await;
                        handle.run_upkeep();
                    }
                })
            });
            let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
            loop {
                let Ok(slot) = slots.clone().acquire_owned().await else {
                    break;
                };
                let Ok((stream, _)) = self.listener.accept().await else {
                    // Out of descriptors, most likely: let some close.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                let handle = handle.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(REQUEST_TIMEOUT, answer(stream, &handle)).await;
                    drop(slot);
                });
            }
        })
    }
}

/// Aborts the task when dropped (with the task that holds it, aborted).
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Reads one request head and answers it: the metrics for `GET /metrics`,
/// 404 for another path, 405 for another method, 400 for a head that is
/// not HTTP or too long.
async fn answer(mut stream: TcpStream, handle: &PrometheusHandle) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() >= MAX_REQUEST_HEAD {
            return respond(&mut stream, "400 Bad Request", "request head too long\n").await;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&chunk[..n]);
    }
    let line = head.split(|&b| b == b'\r').next().unwrap_or_default();
    let mut parts = line.split(|&b| b == b' ');
    let (method, target) = (parts.next(), parts.next());
    match (method, target) {
        (Some(b"GET"), Some(b"/metrics")) => respond(&mut stream, "200 OK", &handle.render()).await,
        (Some(b"GET"), Some(_)) => respond(&mut stream, "404 Not Found", "not found\n").await,
        (Some(_), Some(_)) => respond(&mut stream, "405 Method Not Allowed", "only GET\n").await,
        _ => respond(&mut stream, "400 Bad Request", "not an HTTP request\n").await,
    }
}

async fn respond(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain; version=0.0.4\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}
