//! Discovery through etcd (feature `etcd`): a node registers itself under a
//! lease, and connects to the peers that host the contracts it calls.
//!
//! A registered node is the key `/gscluster/<cluster>/nodes/<node name>`
//! (cluster `default` unless set) whose value is the JSON of a [`Member`]:
//!
//! ```json
//! {"addr": "127.0.0.1:7100", "kind": "chat", "services": ["chat.Account", "chat.Room"]}
//! ```
//!
//! It lives under a lease of [`DiscoveryBuilder::ttl`] (10 s unless set),
//! kept alive every third of it: when a node dies, etcd deletes its key
//! within the TTL; when it shuts down, it revokes the lease and its key goes
//! at once.
//!
//! A node that [`watch`](DiscoveryBuilder::watch)es contracts lists the
//! prefix, then watches it from the revision it listed: it connects to each
//! member hosting one of them (into a [`PeerSet`], which routing reads) and
//! drops the peers whose key is deleted or whose lease expired. When etcd is
//! unreachable it keeps the last set it knew, logs, and retries with a
//! backoff of at most 2 s; its watch resumes from the last revision it saw
//! (it lists again when etcd compacted past it), and its registration is
//! kept alive on the same lease when etcd comes back within the TTL, or made
//! again under a new one after.
//!
//! ```no_run
//! # async fn f(node: gscluster::rpc::Node) {
//! use gscluster::rpc::etcd::Discovery;
//!
//! let discovery = Discovery::builder(["http://127.0.0.1:2379"])
//!     .register("127.0.0.1:7100")   // the address peers connect to
//!     .watch(["chat.Account"])      // connect to whoever hosts these
//!     .start(&node);
//! let backends = discovery.peers(); // the peers hosting chat.Account, kept up to date
//! # let _ = backends;
//! # }
//! ```

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use etcd_client::{
    Client, ConnectOptions, EventType, GetOptions, PutOptions, WatchOptions, WatchStream,
};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument as _, debug, info, warn};

use super::node::{Node, Peer, PeerSet};

/// The cluster name used unless one is given.
pub const DEFAULT_CLUSTER: &str = "default";

/// The lease TTL used unless one is given.
pub const DEFAULT_TTL: Duration = Duration::from_secs(10);

/// The longest wait between two attempts to reach etcd.
pub const MAX_BACKOFF: Duration = Duration::from_secs(2);

const MIN_BACKOFF: Duration = Duration::from_millis(100);

/// How long one request to etcd may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);

/// The key prefix of the nodes of `cluster`.
pub fn nodes_prefix(cluster: &str) -> String {
    format!("/gscluster/{cluster}/nodes/")
}

/// A registered node, as its key's JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The address its peers connect to (`IP:PORT` or `HOST:PORT`).
    pub addr: String,
    /// Its kind (`WhoAmI.Kind`).
    pub kind: String,
    /// The full names of the contracts it hosts.
    pub services: Vec<String>,
}

/// Sets up [`Discovery`]; from [`Discovery::builder`].
#[derive(Debug, Clone)]
pub struct DiscoveryBuilder {
    endpoints: Vec<String>,
    cluster: String,
    ttl: Duration,
    advertise: Option<String>,
    watch: Vec<String>,
    peers: Option<PeerSet>,
}

impl DiscoveryBuilder {
    /// The cluster: nodes see the members of their own cluster only.
    pub fn cluster(mut self, name: impl Into<String>) -> Self {
        self.cluster = name.into();
        self
    }

    /// The TTL of the registration's lease (whole seconds, at least 2).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl.max(Duration::from_secs(2));
        self
    }

    /// Registers the node, reachable at `addr`, with the contracts it
    /// hosts when discovery starts (host them first).
    pub fn register(mut self, addr: impl Into<String>) -> Self {
        self.advertise = Some(addr.into());
        self
    }

    /// Connects to the members hosting any of `contracts` (full names).
    pub fn watch<I, S>(mut self, contracts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.watch.extend(contracts.into_iter().map(Into::into));
        self
    }

    /// Keeps the peers discovered in `peers` (which may hold others, given
    /// statically) rather than in a set of its own.
    pub fn peers_into(mut self, peers: PeerSet) -> Self {
        self.peers = Some(peers);
        self
    }

    /// Starts registering and watching, in tasks of `node` that end when it
    /// shuts down, once the calls it serves have finished (or at
    /// [`Discovery::stop`]). It does not wait for etcd:
    /// see [`Discovery::ready`].
    pub fn start(self, node: &Node) -> Discovery {
        let (members_tx, _) = watch::channel(Arc::new(BTreeMap::new()));
        let (listed_tx, _) = watch::channel(false);
        let (registered_tx, _) = watch::channel(false);
        let shared = Arc::new(Shared {
            prefix: nodes_prefix(&self.cluster),
            node: node.clone(),
            watch: self.watch,
            registers: self.advertise.is_some(),
            peers: self.peers.unwrap_or_default(),
            connected: Mutex::new(HashMap::new()),
            members: members_tx,
            listed: listed_tx,
            registered: registered_tx,
            stop: node.hard_stop_token().child_token(),
            tasks: TaskTracker::new(),
        });
        // HTTP/2 pings find a dead etcd behind a silent network; etcd closes
        // connections that ping more often than every 5 s, or with no
        // stream open (its keepalive enforcement policy's defaults). A
        // member cut off from its cluster's leader refuses requests rather
        // than serving a stale view.
        let options = ConnectOptions::new()
            .with_connect_timeout(REQUEST_TIMEOUT)
            .with_keep_alive(Duration::from_secs(10), Duration::from_secs(5))
            .with_keep_alive_while_idle(false)
            .with_require_leader(true);
        let etcd = Etcd {
            endpoints: self.endpoints,
            options,
            client: None,
        };
        let span = tracing::info_span!("etcd", node = %node.name(), cluster = %self.cluster);
        if let Some(addr) = self.advertise {
            let registration = register(shared.clone(), etcd.clone(), addr, self.ttl);
            let task = shared
                .tasks
                .track_future(registration.instrument(span.clone()));
            node.spawn(task);
        }
        if !shared.watch.is_empty() {
            let task = shared
                .tasks
                .track_future(watch_members(shared.clone(), etcd).instrument(span));
            node.spawn(task);
        } else {
            shared.listed.send_replace(true);
        }
        shared.tasks.close();
        Discovery { shared }
    }
}

/// A node's registration in etcd and its view of the other members; from
/// [`Discovery::builder`]. Cloning gives another handle to the same one.
#[derive(Debug, Clone)]
pub struct Discovery {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    prefix: String,
    node: Node,
    watch: Vec<String>,
    registers: bool,
    peers: PeerSet,
    /// The members connected to: name → address, and the peer this
    /// discovery added for it (none when the set had one of that address).
    connected: Mutex<HashMap<String, (String, Option<Peer>)>>,
    members: watch::Sender<Arc<BTreeMap<String, Member>>>,
    listed: watch::Sender<bool>,
    registered: watch::Sender<bool>,
    stop: CancellationToken,
    tasks: TaskTracker,
}

impl Discovery {
    /// Discovery through the etcd cluster at `endpoints`
    /// (`http://HOST:PORT`, or `HOST:PORT`).
    pub fn builder<I, S>(endpoints: I) -> DiscoveryBuilder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        DiscoveryBuilder {
            endpoints: endpoints.into_iter().map(Into::into).collect(),
            cluster: DEFAULT_CLUSTER.into(),
            ttl: DEFAULT_TTL,
            advertise: None,
            watch: Vec::new(),
            peers: None,
        }
    }

    /// The peers connected to: the members hosting a contract watched.
    pub fn peers(&self) -> &PeerSet {
        &self.shared.peers
    }

    /// Every member of the cluster known now (itself included), by name.
    /// Empty when nothing is watched.
    pub fn members(&self) -> Arc<BTreeMap<String, Member>> {
        self.shared.members.borrow().clone()
    }

    /// A receiver that sees every change of [`members`](Self::members).
    pub fn subscribe(&self) -> watch::Receiver<Arc<BTreeMap<String, Member>>> {
        self.shared.members.subscribe()
    }

    /// Waits (up to `timeout`) until the members have been listed once, and
    /// the node is registered if it registers; whether it happened.
    pub async fn ready(&self, timeout: Duration) -> bool {
        let mut listed = self.shared.listed.subscribe();
        let mut registered = self.shared.registered.subscribe();
        let registers = self.shared.registers;
        tokio::time::timeout(timeout, async {
            let _ = listed.wait_for(|l| *l).await;
            if registers {
                let _ = registered.wait_for(|r| *r).await;
            }
        })
        .await
        .is_ok()
    }

    /// Whether the node's key is in etcd now, as far as it knows.
    pub fn is_registered(&self) -> bool {
        *self.shared.registered.borrow()
    }

    /// Stops: revokes the registration's lease (so its key goes at once),
    /// closes the peers it connected to, and waits for its tasks.
    pub async fn stop(&self) {
        self.shared.stop.cancel();
        self.shared.tasks.wait().await;
    }
}

impl Shared {
    /// Connects to the members hosting a contract watched, and drops the
    /// others.
    fn apply(&self, members: &BTreeMap<String, Member>) {
        let own = self.node.name();
        let wanted: HashMap<&str, &str> = members
            .iter()
            .filter(|(name, m)| {
                name.as_str() != own && m.services.iter().any(|s| self.watch.contains(s))
            })
            .map(|(name, m)| (name.as_str(), m.addr.as_str()))
            .collect();
        let mut connected = self.connected.lock().unwrap_or_else(|e| e.into_inner());
        connected.retain(|name, (addr, peer)| {
            let keep = wanted.get(name.as_str()) == Some(&addr.as_str());
            if !keep {
                info!(peer = %name, %addr, "member gone; dropping its connection");
                if let Some(peer) = peer {
                    self.peers.remove_peer(peer);
                }
            }
            keep
        });
        for (name, addr) in wanted {
            if !connected.contains_key(name) {
                // A peer of that address already there (given statically,
                // or another name's) serves this member too.
                let peer = if self.peers.load().iter().any(|p| p.addr() == addr) {
                    info!(peer = %name, %addr, "member found; connected already");
                    None
                } else {
                    info!(peer = %name, %addr, "member found; connecting");
                    let peer = self.node.connect(addr);
                    self.peers.insert(peer.clone());
                    Some(peer)
                };
                connected.insert(name.to_owned(), (addr.to_owned(), peer));
            }
        }
        self.members.send_replace(Arc::new(members.clone()));
    }

    /// The node name of a key under the prefix.
    fn name_of<'k>(&self, key: &'k [u8]) -> Option<&'k str> {
        let name = std::str::from_utf8(key.strip_prefix(self.prefix.as_bytes())?).ok()?;
        (!name.is_empty() && !name.contains('/')).then_some(name)
    }

    /// Waits `backoff`, or until stopped; whether to go on.
    async fn pause(&self, backoff: &mut Duration) -> bool {
        let wait = *backoff;
        *backoff = (*backoff * 2).min(MAX_BACKOFF);
        tokio::select! {
            () = tokio::time::sleep(wait) => true,
            () = self.stop.cancelled() => false,
        }
    }
}

/// The etcd client, made on first use and again after a failure to make it.
#[derive(Clone)]
struct Etcd {
    endpoints: Vec<String>,
    options: ConnectOptions,
    client: Option<Client>,
}

impl Etcd {
    async fn client(&mut self) -> Result<Client, String> {
        if let Some(c) = &self.client {
            return Ok(c.clone());
        }
        let connect = Client::connect(&self.endpoints, Some(self.options.clone()));
        let client = timed(connect).await?;
        self.client = Some(client.clone());
        Ok(client)
    }
}

/// `f` within the request timeout, its error as text.
async fn timed<T, E: std::fmt::Display>(
    f: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(REQUEST_TIMEOUT, f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("etcd did not answer in time".into()),
    }
}

/// Logs a failure to reach etcd: a warning the first time in a row, then
/// at debug level.
fn failed(streak: &mut u32, what: &str, error: &str) {
    if *streak == 0 {
        warn!(%error, "{what} failed; retrying");
    } else {
        debug!(%error, attempt = *streak + 1, "{what} failed again");
    }
    *streak += 1;
}

/// Keeps the node's key in etcd, under a lease kept alive, until stopped;
/// then revokes the lease.
async fn register(shared: Arc<Shared>, mut etcd: Etcd, addr: String, ttl: Duration) {
    let key = format!("{}{}", shared.prefix, shared.node.name());
    let ttl_secs = ttl.as_secs().max(2) as i64;
    let beat = ttl / 3;
    let mut lease: Option<i64> = None;
    let mut backoff = MIN_BACKOFF;
    let mut streak = 0;
    loop {
        let attempt = async {
            let mut client = etcd.client().await?;
            let id = match lease {
                Some(id) => id,
                None => {
                    let granted = timed(client.lease_grant(ttl_secs, None)).await?;
                    lease = Some(granted.id());
                    shared.registered.send_replace(false);
                    granted.id()
                }
            };
            if !*shared.registered.borrow() {
                let member = Member {
                    addr: addr.clone(),
                    kind: shared.node.kind().to_owned(),
                    services: shared
                        .node
                        .contracts()
                        .into_iter()
                        .map(Into::into)
                        .collect(),
                };
                let value = serde_json::to_string(&member).map_err(|e| e.to_string())?;
                let options = PutOptions::new().with_lease(id).with_prev_key();
                let put = timed(client.put(key.as_str(), value, Some(options))).await?;
                if let Some(prev) = put.prev_key()
                    && prev.lease() != id
                    && serde_json::from_slice::<Member>(prev.value()).is_ok_and(|m| m.addr != addr)
                {
                    warn!(%key, "replaced the registration of another node of the same name");
                }
                info!(%key, %addr, lease = id, "registered");
                shared.registered.send_replace(true);
            }
            let (mut keeper, mut replies) = timed(client.lease_keep_alive(id)).await?;
            loop {
                timed(keeper.keep_alive()).await?;
                match timed(replies.message()).await? {
                    Some(reply) if reply.ttl() > 0 => {}
                    Some(_) => {
                        // Expired while etcd was away (or etcd lost it):
                        // register again under a new lease.
                        warn!(%key, "the registration's lease expired; registering again");
                        lease = None;
                        shared.registered.send_replace(false);
                        return Ok::<(), String>(());
                    }
                    None => return Err("etcd closed the keep-alive stream".into()),
                }
                streak = 0;
                backoff = MIN_BACKOFF;
                tokio::time::sleep(beat).await;
            }
        };
        tokio::select! {
            r = attempt => match r {
                Ok(()) => continue,
                Err(e) => {
                    etcd.client = None;
                    if e.contains("lease not found") {
                        // Expired while this node could not reach etcd (etcd
                        // kept running): register again under a new lease.
                        warn!(%key, "the registration's lease expired; registering again");
                        lease = None;
                        shared.registered.send_replace(false);
                        continue;
                    }
                    failed(&mut streak, "keeping the registration", &e);
                }
            },
            () = shared.stop.cancelled() => break,
        }
        if !shared.pause(&mut backoff).await {
            break;
        }
    }
    if let (Some(id), Ok(mut client)) = (lease, etcd.client().await) {
        match tokio::time::timeout(Duration::from_secs(1), client.lease_revoke(id)).await {
            Ok(Ok(_)) => info!(%key, "deregistered"),
            _ => debug!(%key, "could not revoke the lease; the key expires with it"),
        }
    }
    shared.registered.send_replace(false);
}

/// Lists the members, then watches them, until stopped.
async fn watch_members(shared: Arc<Shared>, mut etcd: Etcd) {
    let mut members: BTreeMap<String, Member> = BTreeMap::new();
    // The last revision seen; 0: list first.
    let mut revision: i64 = 0;
    let mut backoff = MIN_BACKOFF;
    let mut streak = 0;
    loop {
        let attempt = async {
            let mut client = etcd.client().await?;
            if revision == 0 {
                let options = GetOptions::new().with_prefix();
                let listed = timed(client.get(shared.prefix.as_str(), Some(options))).await?;
                members.clear();
                for kv in listed.kvs() {
                    if let Some(name) = shared.name_of(kv.key())
                        && let Some(m) = parse(name, kv.value())
                    {
                        members.insert(name.to_owned(), m);
                    }
                }
                revision = listed.header().map_or(1, |h| h.revision());
                debug!(members = members.len(), revision, "listed");
                shared.apply(&members);
                shared.listed.send_replace(true);
            }
            let options = WatchOptions::new()
                .with_prefix()
                .with_start_revision(revision + 1);
            let mut stream: WatchStream =
                timed(client.watch(shared.prefix.as_str(), Some(options))).await?;
            loop {
                let Some(reply) = stream.message().await.map_err(|e| e.to_string())? else {
                    return Err("etcd closed the watch".into());
                };
                if reply.compact_revision() > 0 {
                    // Compacted past the revision: list again.
                    info!(
                        revision,
                        compacted = reply.compact_revision(),
                        "the watch fell behind a compaction; listing again"
                    );
                    revision = 0;
                    return Ok::<(), String>(());
                }
                if reply.canceled() {
                    return Err(format!(
                        "etcd cancelled the watch: {}",
                        reply.cancel_reason()
                    ));
                }
                streak = 0;
                backoff = MIN_BACKOFF;
                if reply.events().is_empty() {
                    continue;
                }
                for event in reply.events() {
                    let Some(kv) = event.kv() else { continue };
                    revision = revision.max(kv.mod_revision());
                    let Some(name) = shared.name_of(kv.key()) else {
                        continue;
                    };
                    match event.event_type() {
                        EventType::Put => match parse(name, kv.value()) {
                            Some(m) => {
                                members.insert(name.to_owned(), m);
                            }
                            None => {
                                members.remove(name);
                            }
                        },
                        EventType::Delete => {
                            members.remove(name);
                        }
                    }
                }
                shared.apply(&members);
            }
        };
        tokio::select! {
            r = attempt => match r {
                Ok(()) => continue,
                Err(e) => {
                    etcd.client = None;
                    failed(&mut streak, "watching the members", &e);
                }
            },
            () = shared.stop.cancelled() => break,
        }
        if !shared.pause(&mut backoff).await {
            break;
        }
    }
    let connected =
        std::mem::take(&mut *shared.connected.lock().unwrap_or_else(|e| e.into_inner()));
    for (_, peer) in connected.values() {
        if let Some(peer) = peer {
            shared.peers.remove_peer(peer);
        }
    }
}

fn parse(name: &str, value: &[u8]) -> Option<Member> {
    match serde_json::from_slice(value) {
        Ok(m) => Some(m),
        Err(e) => {
            warn!(member = %name, error = %e, "ignoring a registration that is not a member's JSON");
            None
        }
    }
}
