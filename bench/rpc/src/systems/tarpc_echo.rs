//! tarpc: the `GameEcho` service with the serde mirror of the message,
//! bincode over tokio-util's length-delimited frames, a task per request on
//! the server (tarpc's `execute` + `spawn`), tarpc's default deadline (10 s)
//! on every call.

use std::net::SocketAddr;

use futures::StreamExt as _;
use tarpc::client;
use tarpc::context;
use tarpc::server::{BaseChannel, Channel as _};
use tarpc::tokio_serde::formats::Bincode;
use tarpc::tokio_util::codec::{Framed, LengthDelimitedCodec};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::data::serde_mirror::GameMessage;
use crate::harness::Caller;

/// The echo service.
#[tarpc::service]
pub trait GameEcho {
    /// Answers with the message it got.
    async fn echo(msg: GameMessage) -> GameMessage;
}

#[derive(Clone)]
struct Echo;

impl GameEcho for Echo {
    async fn echo(self, _: context::Context, msg: GameMessage) -> GameMessage {
        msg
    }
}

fn transport<Item, SinkItem>(
    stream: TcpStream,
) -> tarpc::serde_transport::Transport<TcpStream, Item, SinkItem, Bincode<Item, SinkItem>>
where
    Item: for<'de> serde::Deserialize<'de>,
    SinkItem: serde::Serialize,
{
    stream.set_nodelay(true).expect("nodelay");
    tarpc::serde_transport::new(
        Framed::new(stream, LengthDelimitedCodec::new()),
        Bincode::default(),
    )
}

/// The server: every accepted connection is a channel, every request a task.
#[derive(Debug)]
pub struct TarpcServer {
    accept: JoinHandle<()>,
}

impl TarpcServer {
    /// Listens on 127.0.0.1, any port.
    pub async fn start() -> (TarpcServer, SocketAddr) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let accept = tokio::spawn(async move {
            let mut channels = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                let channel = BaseChannel::with_defaults(transport(stream));
                channels.push(tokio::spawn(channel.execute(Echo.serve()).for_each(
                    |response| async move {
                        tokio::spawn(response);
                    },
                )));
            }
        });
        (TarpcServer { accept }, addr)
    }

    /// Stops accepting (the connections end with their clients).
    pub async fn stop(self) {
        self.accept.abort();
        let _ = self.accept.await;
    }
}

/// A tarpc client over a new connection to `addr` (its dispatch task
/// spawned on the runtime).
pub async fn connect(addr: SocketAddr) -> GameEchoClient {
    let stream = TcpStream::connect(addr).await.expect("connect");
    GameEchoClient::new(client::Config::default(), transport(stream)).spawn()
}

impl Caller for GameEchoClient {
    type Msg = GameMessage;

    async fn call(&mut self, msg: GameMessage) -> GameMessage {
        self.echo(context::current(), msg)
            .await
            .expect("tarpc echo")
    }

    fn id(msg: &GameMessage) -> u64 {
        msg.id
    }
}
