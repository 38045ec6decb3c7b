//! The gate's demo: `chat.gs`'s `Account` and `Room`, served by
//! [`ChatService`] (users and room history in SQLite, passwords hashed with
//! argon2, ids from a [`Snowflake`] generator) behind a gsgate, and
//! [`ChatClient`], a typed client of the client protocol.
//!
//! Rooms are groups of the gate: `Join` adds the session to the gate's
//! group `room:NAME`, `Say` broadcasts `chat.Client.OnSaid` to it through
//! the pusher gs2rust generates for `chat.Client` (the gate encodes it once
//! for every member, the sender included), `Leave` removes the session.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use gscluster::gslang::Fault;
use gscluster::rpc::{CallContext, ErrorEnum, PushTarget, RpcError};
use gsgate::client::{Client, ClientError};

/// The code generated from `chat.gs` and the gate's module it imports.
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}

use proto::chat::{Account, ChatError, ClientPusher, Room, Said};
use proto::gate::{GateClient, Session};

pub use proto::chat::{AccountServer, RoomServer};

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

/// The chat service: `Account` and `Room` on one SQLite database.
#[derive(Debug)]
pub struct ChatService {
    db: Arc<Mutex<rusqlite::Connection>>,
    ids: Snowflake,
}

fn internal(e: impl std::fmt::Display) -> RpcError {
    tracing::warn!(error = %e, "chat-server failure");
    RpcError::Fault(Fault::Internal)
}

impl ChatService {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> rusqlite::Result<ChatService> {
        let db = rusqlite::Connection::open(path)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, hash TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, room TEXT NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL, sent_at INTEGER NOT NULL);
             CREATE INDEX IF NOT EXISTS messages_room ON messages (room, id);",
        )?;
        let max: i64 = db.query_row(
            "SELECT MAX(m) FROM (SELECT COALESCE(MAX(id), 0) AS m FROM users UNION ALL SELECT COALESCE(MAX(id), 0) FROM messages)",
            [],
            |r| r.get(0),
        )?;
        Ok(ChatService {
            db: Arc::new(Mutex::new(db)),
            ids: Snowflake::new(1, max as u64),
        })
    }

    /// Runs `f` on the database on a blocking thread.
    async fn db<T, F>(&self, f: F) -> Result<T, RpcError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T, RpcError> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || f(&lock(&db)))
            .await
            .map_err(internal)?
    }

    fn id(&self) -> Result<u64, RpcError> {
        self.ids.next().ok_or(RpcError::Fault(Fault::Unavailable))
    }

    async fn user_name(&self, s: &Session) -> Result<String, RpcError> {
        if s.user_id == 0 {
            return Err(ChatError::NotLoggedIn.into());
        }
        let id = s.user_id as i64;
        let name = self
            .db(move |db| {
                db.query_row("SELECT name FROM users WHERE id = ?1", [id], |r| r.get(0))
                    .map_err(|_| RpcError::from(ChatError::NotLoggedIn))
            })
            .await?;
        Ok(name)
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
        let id = self.id()?;
        self.db(move |db| {
            let salt = SaltString::generate(&mut rand_core::OsRng);
            let hash = argon2::Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map_err(internal)?
                .to_string();
            match db.execute(
                "INSERT INTO users (id, name, hash) VALUES (?1, ?2, ?3)",
                rusqlite::params![id as i64, user, hash],
            ) {
                Ok(_) => Ok(id),
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Err(ChatError::UserExists.into())
                }
                Err(e) => Err(internal(e)),
            }
        })
        .await
    }

    async fn login(
        self: Arc<Self>,
        cx: CallContext,
        s: Session,
        user: String,
        password: String,
    ) -> Result<u64, RpcError> {
        let id = self
            .db(move |db| {
                let row: Option<(i64, String)> = db
                    .query_row("SELECT id, hash FROM users WHERE name = ?1", [&user], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .ok();
                let Some((id, hash)) = row else {
                    return Err(ChatError::BadLogin.into());
                };
                let hash = PasswordHash::new(&hash).map_err(internal)?;
                argon2::Argon2::default()
                    .verify_password(password.as_bytes(), &hash)
                    .map_err(|_| RpcError::from(ChatError::BadLogin))?;
                Ok(id as u64)
            })
            .await?;
        let gate: GateClient = cx.client();
        gate.bind(s.id, id).await?;
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
        self.user_name(&s).await?;
        let gate: GateClient = cx.client();
        gate.join(group(&room), s.id).await?;
        self.db(move |db| {
            let mut stmt = db
                .prepare(
                    "SELECT sender, text, sent_at FROM messages WHERE room = ?1 ORDER BY id DESC LIMIT ?2",
                )
                .map_err(internal)?;
            let rows = stmt
                .query_map(rusqlite::params![room, HISTORY as i64], |r| {
                    Ok(Said {
                        room: room.clone(),
                        from: r.get(0)?,
                        text: r.get(1)?,
                        sent_at: r.get(2)?,
                    })
                })
                .map_err(internal)?;
            let mut said = rows.collect::<Result<Vec<_>, _>>().map_err(internal)?;
            said.reverse();
            Ok(said)
        })
        .await
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
        Ok(())
    }

    async fn say(
        self: Arc<Self>,
        cx: CallContext,
        s: Session,
        room: String,
        text: String,
    ) -> Result<i64, RpcError> {
        if text.len() > MAX_TEXT {
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
        let row = said.clone();
        self.db(move |db| {
            db.execute(
                "INSERT INTO messages (id, room, sender, text, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![id as i64, row.room, row.from, row.text, row.sent_at],
            )
            .map_err(internal)
        })
        .await?;
        // The generated pusher of chat.Client: Gate.Broadcast with route
        // chat.Client.OnSaid, the Said encoded once for every member.
        let pusher = ClientPusher {
            gate: cx.client(),
            target: PushTarget::Group(group(&said.room)),
        };
        let sent_at = said.sent_at;
        pusher.on_said(said).await?;
        Ok(sent_at)
    }
}

/// Starts a chat-server node hosting `Account` and `Room` on `db`,
/// listening on `listen`; returns the node and the address bound.
pub async fn serve(
    listen: &str,
    db: &Path,
) -> Result<(gscluster::rpc::Node, std::net::SocketAddr), Box<dyn std::error::Error>> {
    let service = Arc::new(ChatService::open(db)?);
    let node = gscluster::rpc::Node::builder("chat-server")
        .kind("chat")
        .build();
    let _ = node.serve("chat", AccountServer::from_arc(service.clone()));
    let _ = node.serve("chat", RoomServer::from_arc(service));
    let addr = node.listen(listen).await?;
    Ok((node, addr))
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
