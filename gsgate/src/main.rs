//! `gsgate --tcp ADDR --ws ADDR [--backend ADDR]… [--etcd URL [--cluster NAME]]
//! --schema FILE [-I DIR]… [--page FILE] [--heartbeat SECS] [--metrics ADDR] [--log-dir DIR]`:
//! a gate for the contracts FILE exposes, routing to the gscluster backends
//! given and to those etcd knows hosting them. Its first stdout lines
//! are `tcp on ADDR` and `ws on ADDR`, the addresses bound (port 0 works),
//! then `metrics on ADDR` with `--metrics`, flushed. Ctrl-C or SIGTERM shuts
//! it down gracefully.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use gscluster::rpc::prometheus::Exporter;
use gsgate::{Gate, GateConfig};

#[derive(Parser)]
#[command(about = "A TCP and WebSocket gate in front of gslang services on gscluster nodes")]
struct Args {
    /// The address clients connect to over TCP, e.g. 127.0.0.1:3250.
    #[arg(long, value_name = "ADDR")]
    tcp: Option<String>,
    /// The address clients connect to over WebSocket (any path).
    #[arg(long, value_name = "ADDR")]
    ws: Option<String>,
    /// A gscluster backend to route to (repeatable).
    #[arg(long, value_name = "ADDR")]
    backend: Vec<String>,
    /// Discover backends through the etcd at URL (`http://HOST:PORT`;
    /// repeatable, or comma-separated): the members of the cluster hosting
    /// an exposed contract.
    #[cfg(feature = "etcd")]
    #[arg(long, value_name = "URL", value_delimiter = ',')]
    etcd: Vec<String>,
    /// The cluster whose members `--etcd` discovers.
    #[cfg(feature = "etcd")]
    #[arg(long, value_name = "NAME", default_value = gscluster::rpc::etcd::DEFAULT_CLUSTER, requires = "etcd")]
    cluster: String,
    /// The schema whose `@gate.Expose` contracts clients may call.
    #[arg(long, value_name = "FILE")]
    schema: PathBuf,
    /// A directory searched for the schema's imports (repeatable).
    #[arg(short = 'I', value_name = "DIR")]
    include: Vec<PathBuf>,
    /// The heartbeat interval clients are asked for, in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    heartbeat: u64,
    /// Seconds a new connection has to send its handshake.
    #[arg(long, default_value_t = 5, value_name = "SECS")]
    handshake_timeout: u64,
    /// The most sessions at once.
    #[arg(long, default_value_t = 100_000)]
    max_connections: usize,
    /// Messages a second a client may send (bursts of twice that).
    #[arg(long, default_value_t = 100)]
    rate: u32,
    /// The gate's name (its sessions' `Gate`, its gscluster node name).
    #[arg(long, default_value = "gate")]
    name: String,
    /// Serve the gate's metrics at `GET /metrics` on this address, in the
    /// Prometheus text format (port 0: any free port).
    #[arg(long, value_name = "ADDR")]
    metrics: Option<String>,
    /// Also write the logs (filtered by RUST_LOG, `info` by default) to
    /// DIR/gsgate.YYYY-MM-DD.log, a file a day.
    #[arg(long, value_name = "DIR")]
    log_dir: Option<PathBuf>,
    /// An HTML file answered to `GET /` on the WebSocket listener (read at
    /// start), e.g. samples/gate-chat/web/chat.html.
    #[arg(long, value_name = "FILE")]
    page: Option<PathBuf>,
    /// The secret HTTP calls' bearer tokens are signed with; give every
    /// gate of a cluster the same one (default: the environment variable
    /// GSGATE_TOKEN_SECRET, which `ps` does not show, else a random key per
    /// start).
    #[arg(long, value_name = "SECRET")]
    token_secret: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _logs = match gsgate::logs::init("gsgate", args.log_dir.as_deref()) {
        Ok(logs) => logs,
        Err(e) => {
            eprintln!("error: cannot write logs: {e}");
            return ExitCode::from(2);
        }
    };
    // Installed before the gate starts: it registers its metrics then.
    let metrics = match &args.metrics {
        Some(addr) => match Exporter::bind(addr).await {
            Ok(e) => Some(e),
            Err(e) => {
                eprintln!("error: cannot serve metrics on {addr}: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let mut config = GateConfig::new(args.name);
    config.heartbeat = Duration::from_secs(args.heartbeat.max(1));
    config.handshake_timeout = Duration::from_secs(args.handshake_timeout.max(1));
    config.max_connections = args.max_connections;
    config.rate = args.rate;
    config.burst = args.rate.saturating_mul(2);
    config.token_secret = args
        .token_secret
        .or_else(|| std::env::var("GSGATE_TOKEN_SECRET").ok())
        .map(String::into_bytes);
    if let Some(path) = &args.page {
        match std::fs::read(path) {
            Ok(html) => config.page = Some(html.into()),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let gate =
        match Gate::start_with_schema_file(config, &args.schema, &args.include, &args.backend) {
            Ok(gate) => gate,
            Err(e) => {
                eprint!("{e}");
                return ExitCode::from(2);
            }
        };
    #[cfg(feature = "etcd")]
    #[cfg(feature = "etcd")]
    if !args.etcd.is_empty() && gate.node().name() == "gate" {
        tracing::warn!(
            "with --etcd, give each gate of the cluster its own --name: backends tell gates apart by name"
        );
    }
    // Its tasks are the gate node's: they end when the gate shuts down.
    let _discovery = (!args.etcd.is_empty()).then(|| {
        gscluster::rpc::etcd::Discovery::builder(&args.etcd)
            .cluster(&args.cluster)
            .watch(gate.contracts())
            .peers_into(gate.backends().clone())
            .start(gate.node())
    });
    let mut lines = Vec::new();
    if let Some(addr) = &args.tcp {
        match gate.listen_tcp(addr).await {
            Ok(a) => lines.push(format!("tcp on {a}")),
            Err(e) => {
                eprintln!("error: cannot listen on {addr}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(addr) = &args.ws {
        match gate.listen_ws(addr).await {
            Ok(a) => lines.push(format!("ws on {a}")),
            Err(e) => {
                eprintln!("error: cannot listen on {addr}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(metrics) = &metrics {
        lines.push(format!("metrics on {}", metrics.addr()));
    }
    let _serving = metrics.map(Exporter::serve);
    {
        let mut stdout = std::io::stdout().lock();
        for line in lines {
            let _ = writeln!(stdout, "{line}");
        }
        let _ = stdout.flush();
    }
    gscluster::rpc::shutdown_signal().await;
    gate.shutdown(Duration::from_secs(5)).await;
    ExitCode::SUCCESS
}
