//! The chat's database: SQLite (a file, one chat-server) or PostgreSQL
//! (shared by every chat-server of a cluster), with one schema and the same
//! numbered migrations, written once per dialect.
//!
//! Tables: `users` (accounts), `messages` (room history), `members` (who
//! joined which room: it outlives sessions, gates and chat-servers), and
//! `schema_migrations` (the versions applied). Migrations run in one
//! transaction holding a lock (SQLite's write lock, a PostgreSQL advisory
//! lock), so chat-servers starting at once apply each one once.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use gscluster::gslang::Fault;
use gscluster::rpc::RpcError;

use crate::proto::chat::Said;

/// A migration: its version, and its SQL for SQLite and for PostgreSQL.
struct Migration {
    version: i64,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sqlite: "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, hash TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, room TEXT NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL, sent_at INTEGER NOT NULL);
                 CREATE INDEX IF NOT EXISTS messages_room ON messages (room, id);",
        postgres: "CREATE TABLE users (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, hash TEXT NOT NULL);
                   CREATE TABLE messages (id BIGINT PRIMARY KEY, room TEXT NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL, sent_at BIGINT NOT NULL);
                   CREATE INDEX messages_room ON messages (room, id);",
    },
    Migration {
        version: 2,
        sqlite: "CREATE TABLE members (room TEXT NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (room, user_id));
                 CREATE INDEX members_user ON members (user_id);",
        postgres: "CREATE TABLE members (room TEXT NOT NULL, user_id BIGINT NOT NULL, PRIMARY KEY (room, user_id));
                   CREATE INDEX members_user ON members (user_id);
                   CREATE SEQUENCE chat_servers;",
    },
];

/// The key of the advisory lock migrations hold on PostgreSQL.
const MIGRATION_LOCK: i64 = 0x6773_6368_6174; // "gschat"

fn internal(e: impl std::fmt::Display) -> RpcError {
    tracing::warn!(error = %e, "database failure");
    RpcError::Fault(Fault::Internal)
}

/// An open database.
#[derive(Debug, Clone)]
pub struct Db(Backend);

#[derive(Debug, Clone)]
enum Backend {
    Sqlite(Arc<Mutex<rusqlite::Connection>>),
    Postgres(Arc<Pg>),
}

/// A PostgreSQL connection, made again when lost.
#[derive(Debug)]
struct Pg {
    url: String,
    client: tokio::sync::Mutex<Option<Arc<PgConn>>>,
}

/// A connection and the statements prepared on it, by SQL text: each
/// query is then one round trip.
#[derive(Debug)]
struct PgConn {
    client: tokio_postgres::Client,
    statements: Mutex<HashMap<&'static str, tokio_postgres::Statement>>,
}

type PgParams<'a> = &'a [&'a (dyn tokio_postgres::types::ToSql + Sync)];

impl PgConn {
    async fn statement(
        &self,
        sql: &'static str,
    ) -> Result<tokio_postgres::Statement, tokio_postgres::Error> {
        if let Some(s) = lock(&self.statements).get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.client.prepare(sql).await?;
        lock(&self.statements).insert(sql, prepared.clone());
        Ok(prepared)
    }

    async fn query(
        &self,
        sql: &'static str,
        params: PgParams<'_>,
    ) -> Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
        self.client.query(&self.statement(sql).await?, params).await
    }

    async fn query_opt(
        &self,
        sql: &'static str,
        params: PgParams<'_>,
    ) -> Result<Option<tokio_postgres::Row>, tokio_postgres::Error> {
        self.client
            .query_opt(&self.statement(sql).await?, params)
            .await
    }

    async fn query_one(
        &self,
        sql: &'static str,
        params: PgParams<'_>,
    ) -> Result<tokio_postgres::Row, tokio_postgres::Error> {
        self.client
            .query_one(&self.statement(sql).await?, params)
            .await
    }

    async fn execute(
        &self,
        sql: &'static str,
        params: PgParams<'_>,
    ) -> Result<u64, tokio_postgres::Error> {
        self.client
            .execute(&self.statement(sql).await?, params)
            .await
    }
}

impl Pg {
    async fn connect(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "the PostgreSQL connection failed");
            }
        });
        Ok(client)
    }

    /// The connection up, made again if it was lost.
    async fn client(&self) -> Result<Arc<PgConn>, RpcError> {
        let mut client = self.client.lock().await;
        if let Some(c) = &*client
            && !c.client.is_closed()
        {
            return Ok(c.clone());
        }
        let c = tokio::time::timeout(std::time::Duration::from_secs(5), Pg::connect(&self.url))
            .await
            .map_err(|_| RpcError::Fault(Fault::Unavailable))?
            .map_err(internal)?;
        let c = Arc::new(PgConn {
            client: c,
            statements: Mutex::new(HashMap::new()),
        });
        *client = Some(c.clone());
        Ok(c)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Db {
    /// Opens `spec` — `postgres://USER[:PASSWORD]@HOST:PORT/DB`, or the
    /// path of a SQLite file (created if missing) — and migrates it.
    pub async fn open(spec: &str) -> Result<Db, Box<dyn std::error::Error + Send + Sync>> {
        if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
            let mut client = Pg::connect(spec).await?;
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                .await?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)",
            )
            .await?;
            for m in MIGRATIONS {
                let done = tx
                    .query_opt(
                        "SELECT 1 FROM schema_migrations WHERE version = $1",
                        &[&m.version],
                    )
                    .await?
                    .is_some();
                if !done {
                    tx.batch_execute(m.postgres).await?;
                    tx.execute(
                        "INSERT INTO schema_migrations (version) VALUES ($1)",
                        &[&m.version],
                    )
                    .await?;
                }
            }
            tx.commit().await?;
            return Ok(Db(Backend::Postgres(Arc::new(Pg {
                url: spec.to_owned(),
                client: tokio::sync::Mutex::new(Some(Arc::new(PgConn {
                    client,
                    statements: Mutex::new(HashMap::new()),
                }))),
            }))));
        }
        let path = Path::new(spec).to_owned();
        let db = tokio::task::spawn_blocking(move || -> rusqlite::Result<rusqlite::Connection> {
            let mut db = rusqlite::Connection::open(path)?;
            db.busy_timeout(std::time::Duration::from_secs(5))?;
            db.execute_batch("PRAGMA journal_mode = WAL;")?;
            let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
            )?;
            for m in MIGRATIONS {
                let done: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
                    [m.version],
                    |r| r.get(0),
                )?;
                if !done {
                    tx.execute_batch(m.sqlite)?;
                    tx.execute(
                        "INSERT INTO schema_migrations (version) VALUES (?1)",
                        [m.version],
                    )?;
                }
            }
            tx.commit()?;
            Ok(db)
        })
        .await??;
        Ok(Db(Backend::Sqlite(Arc::new(Mutex::new(db)))))
    }

    /// Which database it is: `sqlite` or `postgres`.
    pub fn dialect(&self) -> &'static str {
        match &self.0 {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Runs `f` on the SQLite connection on a blocking thread.
    async fn sqlite<T, F>(db: &Arc<Mutex<rusqlite::Connection>>, f: F) -> Result<T, RpcError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let db = db.clone();
        tokio::task::spawn_blocking(move || f(&lock(&db)))
            .await
            .map_err(internal)?
            .map_err(internal)
    }

    /// The highest id of a user or a message, 0 when there is none.
    pub async fn max_id(&self) -> Result<u64, RpcError> {
        const SQL: &str = "SELECT MAX(m) FROM (SELECT COALESCE(MAX(id), 0) AS m FROM users UNION ALL SELECT COALESCE(MAX(id), 0) FROM messages) AS ids";
        let max = match &self.0 {
            Backend::Sqlite(db) => Db::sqlite(db, |db| db.query_row(SQL, [], |r| r.get(0))).await?,
            Backend::Postgres(pg) => pg
                .client()
                .await?
                .query_one(SQL, &[])
                .await
                .map_err(internal)?
                .get::<_, i64>(0),
        };
        Ok(max as u64)
    }

    /// A number for this chat-server's ids, distinct among the
    /// chat-servers sharing a PostgreSQL database (up to 1024 of them).
    pub async fn server_number(&self) -> Result<u16, RpcError> {
        match &self.0 {
            Backend::Sqlite(_) => Ok(1),
            Backend::Postgres(pg) => {
                let row = pg
                    .client()
                    .await?
                    .query_one("SELECT nextval('chat_servers')", &[])
                    .await
                    .map_err(internal)?;
                Ok((row.get::<_, i64>(0) % 1024) as u16)
            }
        }
    }

    /// Adds a user; false when the name is taken.
    pub async fn add_user(&self, id: u64, name: String, hash: String) -> Result<bool, RpcError> {
        match &self.0 {
            Backend::Sqlite(db) => {
                Db::sqlite(db, move |db| {
                    match db.execute(
                        "INSERT INTO users (id, name, hash) VALUES (?1, ?2, ?3)",
                        rusqlite::params![id as i64, name, hash],
                    ) {
                        Ok(_) => Ok(true),
                        Err(rusqlite::Error::SqliteFailure(e, _))
                            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                        {
                            Ok(false)
                        }
                        Err(e) => Err(e),
                    }
                })
                .await
            }
            Backend::Postgres(pg) => {
                let n = pg
                    .client()
                    .await?
                    .execute(
                        "INSERT INTO users (id, name, hash) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
                        &[&(id as i64), &name, &hash],
                    )
                    .await
                    .map_err(internal)?;
                Ok(n == 1)
            }
        }
    }

    /// The id and password hash of the user named `name`.
    pub async fn user_by_name(&self, name: String) -> Result<Option<(u64, String)>, RpcError> {
        match &self.0 {
            Backend::Sqlite(db) => {
                Db::sqlite(db, move |db| {
                    let mut stmt =
                        db.prepare_cached("SELECT id, hash FROM users WHERE name = ?1")?;
                    let mut rows = stmt.query([&name])?;
                    rows.next()?
                        .map(|r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
                        .transpose()
                })
                .await
            }
            Backend::Postgres(pg) => {
                let row = pg
                    .client()
                    .await?
                    .query_opt("SELECT id, hash FROM users WHERE name = $1", &[&name])
                    .await
                    .map_err(internal)?;
                Ok(row.map(|r| (r.get::<_, i64>(0) as u64, r.get(1))))
            }
        }
    }

    /// The name of user `id`.
    pub async fn user_name(&self, id: u64) -> Result<Option<String>, RpcError> {
        match &self.0 {
            Backend::Sqlite(db) => {
                Db::sqlite(db, move |db| {
                    let mut stmt = db.prepare_cached("SELECT name FROM users WHERE id = ?1")?;
                    let mut rows = stmt.query([id as i64])?;
                    rows.next()?.map(|r| r.get(0)).transpose()
                })
                .await
            }
            Backend::Postgres(pg) => {
                let row = pg
                    .client()
                    .await?
                    .query_opt("SELECT name FROM users WHERE id = $1", &[&(id as i64)])
                    .await
                    .map_err(internal)?;
                Ok(row.map(|r| r.get(0)))
            }
        }
    }

    /// Keeps a message said, as message `id`.
    pub async fn add_message(&self, id: u64, said: &Said) -> Result<(), RpcError> {
        match &self.0 {
            Backend::Sqlite(db) => {
                let s = said.clone();
                Db::sqlite(db, move |db| {
                    db.prepare_cached(
                        "INSERT INTO messages (id, room, sender, text, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(rusqlite::params![id as i64, s.room, s.from, s.text, s.sent_at])
                    .map(drop)
                })
                .await
            }
            Backend::Postgres(pg) => {
                pg.client()
                    .await?
                    .execute(
                        "INSERT INTO messages (id, room, sender, text, sent_at) VALUES ($1, $2, $3, $4, $5)",
                        &[&(id as i64), &said.room, &said.from, &said.text, &said.sent_at],
                    )
                    .await
                    .map_err(internal)?;
                Ok(())
            }
        }
    }

    /// The last `limit` messages said in `room`, oldest first.
    pub async fn history(&self, room: String, limit: usize) -> Result<Vec<Said>, RpcError> {
        let mut said = match &self.0 {
            Backend::Sqlite(db) => {
                Db::sqlite(db, move |db| {
                    let mut stmt = db.prepare_cached(
                        "SELECT sender, text, sent_at FROM messages WHERE room = ?1 ORDER BY id DESC LIMIT ?2",
                    )?;
                    let rows = stmt.query_map(rusqlite::params![room, limit as i64], |r| {
                        Ok(Said {
                            room: room.clone(),
                            from: r.get(0)?,
                            text: r.get(1)?,
                            sent_at: r.get(2)?,
                        })
                    })?;
                    rows.collect::<Result<Vec<_>, _>>()
                })
                .await?
            }
            Backend::Postgres(pg) => pg
                .client()
                .await?
                .query(
                    "SELECT sender, text, sent_at FROM messages WHERE room = $1 ORDER BY id DESC LIMIT $2",
                    &[&room, &(limit as i64)],
                )
                .await
                .map_err(internal)?
                .into_iter()
                .map(|r| Said {
                    room: room.clone(),
                    from: r.get(0),
                    text: r.get(1),
                    sent_at: r.get(2),
                })
                .collect(),
        };
        said.reverse();
        Ok(said)
    }

    /// Makes `user` a member of `room`.
    pub async fn join(&self, room: String, user: u64) -> Result<(), RpcError> {
        self.write_member(room, user, true).await
    }

    /// Makes `user` no member of `room`.
    pub async fn leave(&self, room: String, user: u64) -> Result<(), RpcError> {
        self.write_member(room, user, false).await
    }

    async fn write_member(&self, room: String, user: u64, join: bool) -> Result<(), RpcError> {
        match &self.0 {
            Backend::Sqlite(db) => {
                Db::sqlite(db, move |db| {
                    let sql = if join {
                        "INSERT INTO members (room, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING"
                    } else {
                        "DELETE FROM members WHERE room = ?1 AND user_id = ?2"
                    };
                    db.prepare_cached(sql)?
                        .execute(rusqlite::params![room, user as i64])
                        .map(drop)
                })
                .await
            }
            Backend::Postgres(pg) => {
                let sql = if join {
                    "INSERT INTO members (room, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                } else {
                    "DELETE FROM members WHERE room = $1 AND user_id = $2"
                };
                pg.client()
                    .await?
                    .execute(sql, &[&room, &(user as i64)])
                    .await
                    .map_err(internal)?;
                Ok(())
            }
        }
    }

    /// The rooms `user` is a member of, by name.
    pub async fn rooms(&self, user: u64) -> Result<Vec<String>, RpcError> {
        match &self.0 {
            Backend::Sqlite(db) => {
                Db::sqlite(db, move |db| {
                    let mut stmt = db.prepare_cached(
                        "SELECT room FROM members WHERE user_id = ?1 ORDER BY room",
                    )?;
                    let rows = stmt.query_map([user as i64], |r| r.get(0))?;
                    rows.collect::<Result<Vec<String>, _>>()
                })
                .await
            }
            Backend::Postgres(pg) => Ok(pg
                .client()
                .await?
                .query(
                    "SELECT room FROM members WHERE user_id = $1 ORDER BY room",
                    &[&(user as i64)],
                )
                .await
                .map_err(internal)?
                .into_iter()
                .map(|r| r.get(0))
                .collect()),
        }
    }
}
