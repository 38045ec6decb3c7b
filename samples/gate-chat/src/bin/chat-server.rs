//! `chat-server --listen ADDR --db PATH|URL [--name NAME] [--etcd URL
//! [--cluster NAME] [--advertise ADDR]] [--log-dir DIR]`: hosts
//! `chat.Account` and `chat.Room` on the SQLite database at PATH (created if
//! missing) or the PostgreSQL database at `postgres://USER[:PASSWORD]@HOST:PORT/DB`.
//! With `--etcd` it registers in etcd, where gates find it. Its first
//! stdout line is `listening on ADDR`, the address bound, flushed. Ctrl-C
//! or SIGTERM shuts it down gracefully.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use gate_chat::ServerOptions;

#[derive(Parser)]
#[command(about = "The gate-chat sample's server: accounts and rooms on SQLite or PostgreSQL")]
struct Args {
    /// The address to listen on, e.g. 127.0.0.1:7100 (port 0: any free port).
    #[arg(long, value_name = "ADDR")]
    listen: String,
    /// The database: a SQLite file, or postgres://USER:PASSWORD@HOST:PORT/DB (the password optional),
    /// which every chat-server of a cluster shares (users, rooms, history).
    #[arg(long, value_name = "PATH|URL")]
    db: String,
    /// The node's name, unique in its cluster (default: chat-server@ADDR,
    /// ADDR the advertised address).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Register in the etcd at URL (`http://HOST:PORT`; repeatable, or
    /// comma-separated), under a lease kept alive while it runs.
    #[arg(long, value_name = "URL", value_delimiter = ',')]
    etcd: Vec<String>,
    /// The cluster to register in.
    #[arg(long, value_name = "NAME", default_value = gscluster::rpc::etcd::DEFAULT_CLUSTER, requires = "etcd")]
    cluster: String,
    /// The address gates connect to, registered in etcd (default: the
    /// address bound).
    #[arg(long, value_name = "ADDR", requires = "etcd")]
    advertise: Option<String>,
    /// Also write the logs (filtered by RUST_LOG, `info` by default) to
    /// DIR/chat-server.YYYY-MM-DD.log, a file a day.
    #[arg(long, value_name = "DIR")]
    log_dir: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let _logs = match gsgate::logs::init("chat-server", args.log_dir.as_deref()) {
        Ok(logs) => logs,
        Err(e) => {
            eprintln!("error: cannot write logs: {e}");
            return ExitCode::from(2);
        }
    };
    let mut options = ServerOptions::new(args.listen, args.db);
    options.name = args.name;
    options.etcd = args.etcd;
    options.cluster = args.cluster;
    options.advertise = args.advertise;
    let server = match gate_chat::serve(options).await {
        Ok(started) => started,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on {}", server.addr);
        let _ = stdout.flush();
    }
    gscluster::rpc::shutdown_signal().await;
    server.shutdown(Duration::from_secs(5)).await;
    ExitCode::SUCCESS
}
