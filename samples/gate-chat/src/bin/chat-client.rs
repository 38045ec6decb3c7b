//! `chat-client (--tcp ADDR | --ws ADDR)`: an interactive client of the
//! chat behind a gsgate. Commands on standard input, one a line:
//! `/register USER PASSWORD`, `/login USER PASSWORD`, `/join ROOM`,
//! `/leave ROOM`, `/quit`; any other line is said in the room joined last.
//! Messages said in joined rooms are printed as they arrive.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use gate_chat::ChatClient;
use gsgate::client::{Client, ClientOptions};
use tokio::io::{AsyncBufReadExt as _, BufReader};

#[derive(Parser)]
#[command(about = "Chat through a gsgate")]
struct Args {
    /// The gate's TCP address.
    #[arg(long, value_name = "ADDR", conflicts_with = "ws")]
    tcp: Option<String>,
    /// The gate's WebSocket address (host:port).
    #[arg(long, value_name = "ADDR")]
    ws: Option<String>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let connected = match (&args.tcp, &args.ws) {
        (Some(addr), _) => Client::connect_tcp(addr, ClientOptions::default()).await,
        (None, Some(addr)) => Client::connect_ws(addr, ClientOptions::default()).await,
        (None, None) => {
            eprintln!("error: give --tcp ADDR or --ws ADDR");
            return ExitCode::from(2);
        }
    };
    let chat = match connected {
        Ok(raw) => Arc::new(ChatClient::new(raw)),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("connected: session {}", chat.raw.session);
    let printer = {
        let chat = chat.clone();
        tokio::spawn(async move {
            while !chat.raw.is_closed() {
                if let Some(said) = chat.next_said(Duration::from_millis(500)).await {
                    println!("[{}] {}: {}", said.room, said.from, said.text);
                }
            }
            if let Some(reason) = chat.raw.kick_reason() {
                println!("kicked: {reason}");
            }
        })
    };
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut room = None::<String>;
    while let Ok(Some(line)) = lines.next_line().await {
        let words: Vec<&str> = line.split_whitespace().collect();
        let result = match words.as_slice() {
            ["/quit"] => break,
            ["/register", user, password] => chat
                .register(user, password)
                .await
                .map(|id| format!("registered: id {id}")),
            ["/login", user, password] => chat
                .login(user, password)
                .await
                .map(|id| format!("logged in: id {id}")),
            ["/join", name] => match chat.join(name).await {
                Ok(history) => {
                    for said in &history {
                        println!("[{}] {}: {}", said.room, said.from, said.text);
                    }
                    room = Some((*name).to_owned());
                    Ok(format!("joined {name}"))
                }
                Err(e) => Err(e),
            },
            ["/leave", name] => chat.leave(name).await.map(|()| format!("left {name}")),
            [] => continue,
            _ if line.starts_with('/') => Ok("unknown command".to_owned()),
            _ => match &room {
                Some(r) => chat.say(r, &line).await.map(|_| String::new()),
                None => Ok("join a room first: /join ROOM".to_owned()),
            },
        };
        match result {
            Ok(text) if text.is_empty() => {}
            Ok(text) => println!("{text}"),
            Err(e) => println!("error: {e}"),
        }
        if chat.raw.is_closed() {
            break;
        }
    }
    printer.abort();
    ExitCode::SUCCESS
}
