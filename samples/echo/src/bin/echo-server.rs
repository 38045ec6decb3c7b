//! `echo-server --listen ADDR [--require-encryption] [--metrics ADDR]`: hosts
//! `echo.Echo` as instance `echo`. Its first line on stdout is `listening on
//! ADDR`, the address bound (so that `--listen 127.0.0.1:0` works for
//! scripts); with `--metrics`, the second is `metrics on ADDR`, where
//! `GET /metrics` answers the Prometheus text format of the calls' metrics
//! (`echo.Echo` is `@Profile`d). Ctrl-C or SIGTERM shuts it down gracefully.

use std::io::Write as _;
use std::time::Duration;

use clap::Parser;
use gscluster::rpc::Node;
use gscluster::rpc::prometheus;
use gscluster_echo::{EchoServer, EchoService};

#[derive(Parser)]
#[command(about = "Serve the echo sample's contract echo.Echo")]
struct Args {
    /// The address to listen on, e.g. 127.0.0.1:7000 (port 0: any free port).
    #[arg(long, value_name = "ADDR")]
    listen: String,
    /// Refuse peers that do not encrypt their connection.
    #[arg(long)]
    require_encryption: bool,
    /// Serve the calls' metrics at `GET /metrics` on this address, in the
    /// Prometheus text format (port 0: any free port).
    #[arg(long, value_name = "ADDR")]
    metrics: Option<String>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    // Installed before the first call: profiled methods register their
    // metrics at their first call.
    let metrics = match &args.metrics {
        Some(addr) => Some(prometheus::Exporter::bind(addr).await?),
        None => None,
    };
    let node = Node::builder("echo-server")
        .kind("echo")
        .require_encryption(args.require_encryption)
        .build();
    let _echo = node.serve("echo", EchoServer::new(EchoService::default()));
    let addr = node.listen(&args.listen).await?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on {addr}")?;
    if let Some(metrics) = &metrics {
        writeln!(stdout, "metrics on {}", metrics.addr())?;
    }
    stdout.flush()?;
    drop(stdout);
    let _serving = metrics.map(prometheus::Exporter::serve);
    gscluster::rpc::shutdown_signal().await;
    node.shutdown(Duration::from_secs(5)).await;
    Ok(())
}
