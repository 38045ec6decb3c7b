//! The gate's demo: `chat.gs`'s `Account` and `Room`, served by
//! [`ChatService`] (users, room membership and history in SQLite or
//! PostgreSQL ([`store`]), passwords hashed with argon2, ids from a
//! [`Snowflake`] generator) behind one gsgate or several, and
//! [`ChatClient`], a typed client of the client protocol.
//!
//! Rooms are groups of the gates: `Join` adds the session to its gate's
//! group `room:NAME` and the user to the room's members in the database,
//! `Say` broadcasts `chat.Client.OnSaid` to the group on every gate
//! connected through the pusher gs2rust generates for `chat.Client` (each
//! gate encodes it once for every member, the sender included), `Leave`
//! removes both. `Login` binds the session, kicks the user's sessions on
//! the other gates (`logged in elsewhere`; its own gate kicks an older one
//! there), and joins the session to the groups of the user's rooms. A
//! service cannot tell an HTTP call's session from a long connection's, so
//! a Login over HTTP (to get a bearer token) logs the user out of the other
//! gates too.
//!
//! With several chat-servers, the gates route each room's calls to one of
//! them (`@gate.Key room`); when that one goes, the room moves, and since
//! members and history are in the shared database and groups in the gates,
//! nobody joins again.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use gscluster::gslang::Fault;
use gscluster::rpc::etcd::Discovery;
use gscluster::rpc::{CallContext, ErrorEnum, Node, PushTarget, RpcError};
use gsgate::client::{Client, ClientError};

/// The code generated from `chat.gs` and the gate's module it imports.
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}

use proto::chat::{Account, ChatError, ClientPusher, Room, Said};
use proto::gate::{GateClient, Session};

pub use proto::chat::{AccountServer, RoomServer};
pub use store::Db;

pub mod store;

/// The longest text `Say` accepts, in bytes.
pub const MAX_TEXT: usize = 1000;

/// How many messages `Join` returns at most.
pub const HISTORY: usize = 50;

/// The route of the push of a message said.
pub const ON_SAID: &str = "chat.Client.OnSaid";

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Ids of 64 bits: 41 of milliseconds since 2024-01-01, 10 of node, 12 of
/// sequence. It never goes backwards: when the clock does, it refuses to
/// make ids until the clock passes the last one it made.
#[derive(Debug)]
pub struct Snowflake {
    node: u64,
    last: Mutex<(u64, u64)>,
}

/// 2024-01-01T00:00:00Z in unix milliseconds.
const EPOCH_MS: u64 = 1_704_067_200_000;

impl Snowflake {
    /// A generator for node `node` (0–1023) whose ids are all above `after`.
    pub fn new(node: u16, after: u64) -> Snowflake {
        Snowflake {
            node: u64::from(node & 0x3ff),
            last: Mutex::new((after >> 22, after & 0xfff)),
        }
    }

    /// The next id, or `None` if the clock is behind the last id made.
    pub fn next(&self) -> Option<u64> {
        self.next_at(now_ms() as u64)
    }

    /// The next id at time `unix_ms`.
    pub fn next_at(&self, unix_ms: u64) -> Option<u64> {
        let ms = unix_ms.saturating_sub(EPOCH_MS);
        let mut last = lock(&self.last);
        let (ms, seq) = match ms.cmp(&last.0) {
            std::cmp::Ordering::Less => return None,
            std::cmp::Ordering::Equal if last.1 >= 0xfff => return None,
            std::cmp::Ordering::Equal => (ms, last.1 + 1),
            std::cmp::Ordering::Greater => (ms, 0),
        };
        *last = (ms, seq);
        Some((ms << 22) | (self.node << 12) | seq)
    }
}

/// The chat service: `Account` and `Room` on a [`Db`], behind any number of
/// gates.
#[derive(Debug)]
pub struct ChatService {
    db: Db,
    ids: Snowflake,
    /// Users' names by id, as read.
    names: Mutex<HashMap<u64, String>>,
    /// The node serving it: its connections from gates, for pushes and
    /// kicks on the gates other than a caller's.
    node: OnceLock<Node>,
}

fn internal(e: impl std::fmt::Display) -> RpcError {
    tracing::warn!(error = %e, "chat-server failure");
    RpcError::Fault(Fault::Internal)
}

/// How many users' names a chat-server keeps in memory at most.
pub const NAMES_CACHED: usize = 100_000;

/// How long a call to a gate other than the caller's may take.
pub const OTHER_GATES_TIMEOUT: Duration = Duration::from_secs(2);

/// The longest user or room name, in bytes.
pub const MAX_NAME: usize = 64;

/// The contract gates host for their backends.
const GATE_CONTRACT: &str = "gate.Gate";

impl ChatService {
    /// Opens (or creates) the database `db` (see [`Db::open`]).
    pub async fn open(db: &str) -> Result<ChatService, Box<dyn std::error::Error + Send + Sync>> {
        let db = Db::open(db).await?;
        let after = db.max_id().await.map_err(|e| e.to_string())?;
        let number = db.server_number().await.map_err(|e| e.to_string())?;
        Ok(ChatService {
            db,
            ids: Snowflake::new(number, after),
            names: Mutex::new(HashMap::new()),
            node: OnceLock::new(),
        })
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    fn id(&self) -> Result<u64, RpcError> {
        self.ids.next().ok_or(RpcError::Fault(Fault::Unavailable))
    }

    /// The name of the session's user: a user's name never changes, so
    /// names are kept once read (up to [`NAMES_CACHED`]).
    async fn user_name(&self, s: &Session) -> Result<String, RpcError> {
        if s.user_id == 0 {
            return Err(ChatError::NotLoggedIn.into());
        }
        if let Some(name) = lock(&self.names).get(&s.user_id) {
            return Ok(name.clone());
        }
        let name = self
            .db
            .user_name(s.user_id)
            .await?
            .ok_or(RpcError::from(ChatError::NotLoggedIn))?;
        let mut names = lock(&self.names);
        if names.len() >= NAMES_CACHED {
            names.clear();
        }
        names.insert(s.user_id, name.clone());
        Ok(name)
    }

    /// The gates connected now, by name, with clients whose calls wait
    /// [`OTHER_GATES_TIMEOUT`] at most: a gate that hangs delays the calls
    /// of the other gates' users that long, not for a whole deadline.
    fn gates(&self) -> Vec<(String, GateClient)> {
        let Some(node) = self.node.get() else {
            return Vec::new();
        };
        node.connections()
            .into_iter()
            .filter(|c| !c.is_closed() && c.announces(GATE_CONTRACT))
            .map(|c| {
                let client: GateClient = c.client();
                (
                    c.peer().name.to_string(),
                    client.with_timeout(OTHER_GATES_TIMEOUT),
                )
            })
            .collect()
    }
}

fn group(room: &str) -> String {
    format!("room:{room}")
}

impl Account for ChatService {
    async fn register(
        self: Arc<Self>,
        _cx: CallContext,
        _s: Session,
        user: String,
        password: String,
    ) -> Result<u64, RpcError> {
        if user.len() > MAX_NAME {
            return Err(ChatError::TooLong.into());
        }
        let id = self.id()?;
        // argon2 takes tens of milliseconds: off the async threads.
        let hash = tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut rand_core::OsRng);
            argon2::Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(internal)
        })
        .await
        .map_err(internal)??;
        match self.db.add_user(id, user, hash).await? {
            true => Ok(id),
            false => Err(ChatError::UserExists.into()),
        }
    }

    async fn login(
        self: Arc<Self>,
        cx: CallContext,
        s: Session,
        user: String,
        password: String,
    ) -> Result<u64, RpcError> {
        let Some((id, hash)) = self.db.user_by_name(user).await? else {
            return Err(ChatError::BadLogin.into());
        };
        tokio::task::spawn_blocking(move || {
            let hash = PasswordHash::new(&hash).map_err(internal)?;
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .map_err(|_| RpcError::from(ChatError::BadLogin))
        })
        .await
        .map_err(internal)??;
        // Binding kicks an older session of the user on this gate; on the
        // others, the chat-server kicks it.
        let gate: GateClient = cx.client();
        if !gate.bind(s.id, id).await? {
            // The session is gone: nothing to kick for it, nothing to join.
            return Ok(id);
        }
        let others = self.gates().into_iter().filter(|(name, _)| *name != s.gate);
        let kicks = others.map(|(name, g)| async move {
            if let Err(e) = g.kick(id, "logged in elsewhere".into()).await {
                tracing::warn!(gate = %name, error = %e, "could not kick an older session");
            }
        });
        futures_util::future::join_all(kicks).await;
        // The rooms the user is a member of, whichever session joined them.
        for room in self.db.rooms(id).await? {
            gate.join(group(&room), s.id).await?;
        }
        Ok(id)
    }
}

impl Room for ChatService {
    async fn join(
        self: Arc<Self>,
        cx: CallContext,
        s: Session,
        room: String,
    ) -> Result<Vec<Said>, RpcError> {
        if room.len() > MAX_NAME {
            return Err(ChatError::TooLong.into());
        }
        self.user_name(&s).await?;
        let gate: GateClient = cx.client();
        gate.join(group(&room), s.id).await?;
        self.db.join(room.clone(), s.user_id).await?;
        self.db.history(room, HISTORY).await
    }

    async fn leave(
        self: Arc<Self>,
        cx: CallContext,
        s: Session,
        room: String,
    ) -> Result<(), RpcError> {
        self.user_name(&s).await?;
        let gate: GateClient = cx.client();
        gate.leave(group(&room), s.id).await?;
        self.db.leave(room, s.user_id).await
    }

    async fn say(
        self: Arc<Self>,
        cx: CallContext,
        s: Session,
        room: String,
        text: String,
    ) -> Result<i64, RpcError> {
        if text.len() > MAX_TEXT || room.len() > MAX_NAME {
            return Err(ChatError::TooLong.into());
        }
        let from = self.user_name(&s).await?;
        let id = self.id()?;
        let said = Said {
            room,
            from,
            text,
            sent_at: now_ms(),
        };
        self.db.add_message(id, &said).await?;
        // The generated pusher of chat.Client: Gate.Broadcast with route
        // chat.Client.OnSaid, the Said encoded once for every member of
        // the room on each gate (the caller's gate at least).
        let mut gates = self.gates();
        if gates.is_empty() {
            gates.push((s.gate.clone(), cx.client()));
        }
        let sent_at = said.sent_at;
        let target = PushTarget::Group(group(&said.room));
        let pushes = gates.into_iter().map(|(name, gate)| {
            let pusher = ClientPusher {
                gate,
                target: target.clone(),
            };
            let said = said.clone();
            async move {
                if let Err(e) = pusher.on_said(said).await {
                    tracing::warn!(gate = %name, error = %e, "could not push a message said");
                }
            }
        });
        futures_util::future::join_all(pushes).await;
        Ok(sent_at)
    }
}

/// How to run a chat-server: [`serve`].
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The address to listen on (port 0: any free port).
    pub listen: String,
    /// The database: a SQLite path or a `postgres://` URL.
    pub db: String,
    /// The node's name (its etcd key): `chat-server@ADDR` unless set.
    pub name: Option<String>,
    /// etcd endpoints to register with; none: no registration.
    pub etcd: Vec<String>,
    /// The cluster to register in.
    pub cluster: String,
    /// The address registered, the bound one unless set.
    pub advertise: Option<String>,
}

impl ServerOptions {
    /// A chat-server on `listen` and database `db`, not registered.
    pub fn new(listen: impl Into<String>, db: impl Into<String>) -> ServerOptions {
        ServerOptions {
            listen: listen.into(),
            db: db.into(),
            name: None,
            etcd: Vec::new(),
            cluster: gscluster::rpc::etcd::DEFAULT_CLUSTER.into(),
            advertise: None,
        }
    }
}

/// A running chat-server.
#[derive(Debug)]
pub struct Server {
    /// Its node.
    pub node: Node,
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Its registration, with `etcd` given.
    pub discovery: Option<Discovery>,
    /// The service.
    pub service: Arc<ChatService>,
}

impl Server {
    /// Shuts the node down gracefully: its services are withdrawn, the
    /// calls being served finish, then it deregisters and closes.
    pub async fn shutdown(&self, grace: Duration) {
        self.node.shutdown(grace).await;
    }
}

/// Starts a chat-server node hosting `Account` and `Room`.
pub async fn serve(
    options: ServerOptions,
) -> Result<Server, Box<dyn std::error::Error + Send + Sync>> {
    let service = Arc::new(ChatService::open(&options.db).await?);
    let listener = tokio::net::TcpListener::bind(&options.listen).await?;
    let addr = listener.local_addr()?;
    if !options.etcd.is_empty() && options.advertise.is_none() && addr.ip().is_unspecified() {
        return Err(format!(
            "listening on {addr}, which peers cannot connect to: give --advertise ADDR to register with etcd"
        )
        .into());
    }
    let advertise = options.advertise.unwrap_or_else(|| addr.to_string());
    let name = options
        .name
        .unwrap_or_else(|| format!("chat-server@{advertise}"));
    let node = Node::builder(name).kind("chat").build();
    let _ = service.node.set(node.clone());
    let _ = node.serve("chat", AccountServer::from_arc(service.clone()));
    let _ = node.serve("chat", RoomServer::from_arc(service.clone()));
    let addr = node.listen_on(listener)?;
    let discovery = (!options.etcd.is_empty()).then(|| {
        Discovery::builder(&options.etcd)
            .cluster(&options.cluster)
            .register(advertise)
            .start(&node)
    });
    Ok(Server {
        node,
        addr,
        discovery,
        service,
    })
}

/// Why a chat call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// The chat server said no.
    Chat(ChatError),
    /// Anything else: the gate's errors, the connection.
    Other(ClientError),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Chat(e) => write!(f, "{}", e.value_name()),
            CallError::Other(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CallError {}

impl From<ClientError> for CallError {
    fn from(e: ClientError) -> Self {
        if let ClientError::Remote(r) = &e
            && r.domain == ChatError::DOMAIN
            && let Some(c) = ChatError::from_code(r.code)
        {
            return CallError::Chat(c);
        }
        CallError::Other(e)
    }
}

/// A typed chat client over a gsgate [`Client`].
#[derive(Debug)]
pub struct ChatClient {
    /// The protocol client.
    pub raw: Client,
}

fn decode<T: gscluster::Wire>(bytes: &[u8]) -> Result<T, CallError> {
    gscluster::from_bytes(bytes).map_err(|e| CallError::Other(ClientError::Protocol(e.to_string())))
}

impl ChatClient {
    /// Wraps a connected client.
    pub fn new(raw: Client) -> ChatClient {
        ChatClient { raw }
    }

    /// `Account.Register`: the new user's id.
    pub async fn register(&self, user: &str, password: &str) -> Result<u64, CallError> {
        let data = gscluster::to_bytes(&(user.to_owned(), password.to_owned()));
        decode(&self.raw.request("chat.Account.Register", data).await?)
    }

    /// `Account.Login`: the user's id.
    pub async fn login(&self, user: &str, password: &str) -> Result<u64, CallError> {
        let data = gscluster::to_bytes(&(user.to_owned(), password.to_owned()));
        decode(
            &self
                .raw
                .request_compressed("chat.Account.Login", data)
                .await?,
        )
    }

    /// `Room.Join`: the last messages, oldest first.
    pub async fn join(&self, room: &str) -> Result<Vec<Said>, CallError> {
        let data = gscluster::to_bytes(&room.to_owned());
        decode(&self.raw.request_compressed("chat.Room.Join", data).await?)
    }

    /// `Room.Leave`.
    pub async fn leave(&self, room: &str) -> Result<(), CallError> {
        let data = gscluster::to_bytes(&room.to_owned());
        decode(&self.raw.request("chat.Room.Leave", data).await?)
    }

    /// `Room.Say`: the message's SentAt.
    pub async fn say(&self, room: &str, text: &str) -> Result<i64, CallError> {
        let data = gscluster::to_bytes(&(room.to_owned(), text.to_owned()));
        decode(&self.raw.request_compressed("chat.Room.Say", data).await?)
    }

    /// The next message said in a room joined, waiting up to `timeout`.
    pub async fn next_said(&self, timeout: Duration) -> Option<Said> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let push = self.raw.next_push(left).await?;
            let named = matches!(&push.route, gsgate::protocol::Route::Name(r) if r == ON_SAID);
            if named && let Ok(said) = gscluster::from_bytes::<Said>(&push.data) {
                return Some(said);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflake_ids_grow_and_never_go_backwards() {
        let s = Snowflake::new(3, 0);
        let t = EPOCH_MS + 1000;
        let a = s.next_at(t).unwrap();
        let b = s.next_at(t).unwrap();
        let c = s.next_at(t + 1).unwrap();
        assert!(a < b && b < c);
        assert_eq!((a >> 12) & 0x3ff, 3);
        assert_eq!(s.next_at(t - 5), None);
        // After a restart, above every id made before.
        let s2 = Snowflake::new(3, c);
        assert_eq!(s2.next_at(t), None);
        assert!(s2.next_at(t + 2).unwrap() > c);
    }
}
