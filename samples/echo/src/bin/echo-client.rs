//! `echo-client ADDR [--encrypt] TEXT`: calls `Echo` on the echo server at
//! ADDR and prints the answer.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use gscluster::rpc::{ConnectOptions, Node};
use gscluster_echo::EchoClient;

#[derive(Parser)]
#[command(about = "Call the echo sample's Echo method")]
struct Args {
    /// The server's address, e.g. 127.0.0.1:7000.
    addr: String,
    /// The text to echo.
    text: String,
    /// Encrypt the connection.
    #[arg(long)]
    encrypt: bool,
    /// Seconds to wait for the connection and the answer.
    #[arg(long, default_value_t = 5)]
    timeout: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let timeout = Duration::from_secs(args.timeout);
    let node = Node::builder("echo-client").kind("client").build();
    let peer = node.connect_with(&args.addr, ConnectOptions::new().encrypt(args.encrypt));
    let code = match peer.connected(timeout).await {
        Err(e) => {
            eprintln!("error: cannot connect to {}: {e}", args.addr);
            ExitCode::FAILURE
        }
        Ok(_) => {
            let echo: EchoClient = peer.client();
            match echo.with_timeout(timeout).echo(args.text).await {
                Ok(text) => {
                    println!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    };
    node.shutdown(Duration::from_secs(1)).await;
    code
}
