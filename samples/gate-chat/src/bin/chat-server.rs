//! `chat-server --listen ADDR --db PATH [--log-dir DIR]`: hosts `chat.Account` and
//! `chat.Room` on the SQLite database at PATH (created if missing). Its
//! first stdout line is `listening on ADDR`, the address bound, flushed.
//! Ctrl-C or SIGTERM shuts it down gracefully.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

#[derive(Parser)]
#[command(about = "The gate-chat sample's server: accounts and rooms on SQLite")]
struct Args {
    /// The address to listen on, e.g. 127.0.0.1:7100 (port 0: any free port).
    #[arg(long, value_name = "ADDR")]
    listen: String,
    /// The SQLite database (users and room history).
    #[arg(long, value_name = "PATH")]
    db: PathBuf,
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
    let (node, addr) = match gate_chat::serve(&args.listen, &args.db).await {
        Ok(started) => started,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on {addr}");
        let _ = stdout.flush();
    }
    gscluster::rpc::shutdown_signal().await;
    node.shutdown(Duration::from_secs(5)).await;
    ExitCode::SUCCESS
}
