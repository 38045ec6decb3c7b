//! Discovery through a real etcd (`gscluster::rpc::etcd`): registration
//! under a lease, the watch that connects to members and drops them, and
//! an etcd restart. Skipped, saying so, where etcd cannot be installed.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::bounded;
use gs_testkit::Etcd;
use gscluster::rpc::Node;
use gscluster::rpc::etcd::{Discovery, Member};
use gscluster_echo::{EchoClient, EchoServer, EchoService};

/// An echo server registered in `cluster` as `name`.
async fn server(etcd: &Etcd, cluster: &str, name: &str) -> (Node, Discovery, String) {
    let node = Node::builder(name).kind("echo").build();
    let _ = node.serve(
        "echo",
        EchoServer::from_arc(Arc::new(EchoService::default())),
    );
    let addr = node.listen("127.0.0.1:0").await.unwrap().to_string();
    let discovery = Discovery::builder([etcd.url()])
        .cluster(cluster)
        .register(addr.clone())
        .start(&node);
    assert!(discovery.ready(Duration::from_secs(10)).await, "registered");
    (node, discovery, addr)
}

/// A node calling echo.Echo on the members of `cluster` that host it.
async fn caller(etcd: &Etcd, cluster: &str) -> (Node, Discovery) {
    let node = Node::builder("caller").kind("client").build();
    let discovery = Discovery::builder([etcd.url()])
        .cluster(cluster)
        .watch(["echo.Echo"])
        .start(&node);
    assert!(discovery.ready(Duration::from_secs(10)).await, "listed");
    (node, discovery)
}

/// Waits until the caller is connected to `n` peers.
async fn peers(d: &Discovery, n: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while d.peers().len() != n {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} peers, not {n}: {:?}",
            d.peers().len(),
            d.members()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn echo_all(d: &Discovery) {
    for peer in d.peers().load().iter() {
        let echo: EchoClient = peer.client();
        assert_eq!(echo.echo("hi".into()).await.unwrap(), "hi");
    }
}

async fn etcd_get(etcd: &Etcd, key: &str) -> Option<(Vec<u8>, i64)> {
    let mut c = etcd_client::Client::connect([etcd.url()], None)
        .await
        .unwrap();
    let r = c.get(key, None).await.unwrap();
    r.kvs().first().map(|kv| (kv.value().to_vec(), kv.lease()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_registers_is_called_and_goes_when_it_stops() {
    let Some(etcd) = Etcd::start() else { return };
    bounded(60, async {
        let (server_node, registration, addr) = server(&etcd, "one", "echo-1").await;
        // The registration, as other programs read it.
        let (value, lease) = etcd_get(&etcd, "/gscluster/one/nodes/echo-1")
            .await
            .unwrap();
        let member: Member = serde_json::from_slice(&value).unwrap();
        assert_eq!(
            member,
            Member {
                addr: addr.clone(),
                kind: "echo".into(),
                services: vec!["echo.Echo".into()],
            }
        );
        assert_ne!(lease, 0, "under a lease");
        // Another cluster's members are not seen.
        let (other_node, other, _) = server(&etcd, "two", "echo-2").await;

        let (caller_node, discovery) = caller(&etcd, "one").await;
        peers(&discovery, 1).await;
        assert_eq!(discovery.peers().load()[0].addr(), addr);
        assert!(discovery.members().contains_key("echo-1"));
        assert!(!discovery.members().contains_key("echo-2"));
        echo_all(&discovery).await;

        // Stopping revokes the lease: the key goes at once, the peer with it.
        registration.stop().await;
        assert_eq!(etcd_get(&etcd, "/gscluster/one/nodes/echo-1").await, None);
        peers(&discovery, 0).await;

        other.stop().await;
        caller_node.shutdown(Duration::from_secs(1)).await;
        server_node.shutdown(Duration::from_secs(1)).await;
        other_node.shutdown(Duration::from_secs(1)).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_whose_lease_expires_is_dropped_and_junk_is_ignored() {
    let Some(etcd) = Etcd::start() else { return };
    bounded(60, async {
        let node = Node::builder("echo-x").kind("echo").build();
        let _ = node.serve(
            "echo",
            EchoServer::from_arc(Arc::new(EchoService::default())),
        );
        let addr = node.listen("127.0.0.1:0").await.unwrap().to_string();
        let (caller_node, discovery) = caller(&etcd, "lease").await;

        // A registration by hand, under a lease nobody keeps alive (as a
        // node that died leaves), and a value that is not a member's JSON.
        let mut c = etcd_client::Client::connect([etcd.url()], None)
            .await
            .unwrap();
        let lease = c.lease_grant(2, None).await.unwrap().id();
        let json = format!(r#"{{"addr":"{addr}","kind":"echo","services":["echo.Echo"]}}"#);
        let put = etcd_client::PutOptions::new().with_lease(lease);
        c.put("/gscluster/lease/nodes/echo-x", json, Some(put))
            .await
            .unwrap();
        c.put("/gscluster/lease/nodes/junk", "{not json", None)
            .await
            .unwrap();
        peers(&discovery, 1).await;
        echo_all(&discovery).await;
        assert!(!discovery.members().contains_key("junk"));

        // etcd deletes the key when the lease expires: the peer goes.
        peers(&discovery, 0).await;
        assert!(discovery.members().is_empty());

        caller_node.shutdown(Duration::from_secs(1)).await;
        node.shutdown(Duration::from_secs(1)).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_etcd_restart_and_a_compaction_keep_the_members_and_the_registrations() {
    let Some(mut etcd) = Etcd::start() else {
        return;
    };
    bounded(90, async {
        let (server_node, registration, _) = server(&etcd, "restart", "echo-1").await;
        let (caller_node, discovery) = caller(&etcd, "restart").await;
        peers(&discovery, 1).await;
        let (_, lease) = etcd_get(&etcd, "/gscluster/restart/nodes/echo-1")
            .await
            .unwrap();

        // While etcd is down the caller keeps the set it knew, and calls go on.
        etcd.kill();
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(discovery.peers().len(), 1);
        echo_all(&discovery).await;

        // Back within the TTL: the same lease, the same key; and the watch
        // resumes, seeing a member that registers after the restart.
        etcd.resume();
        let (second_node, second, _) = server(&etcd, "restart", "echo-2").await;
        // Compacted right away, most likely before the caller's watch is
        // back (it retries every 2 s by then): it lists again.
        let mut c = etcd_client::Client::connect([etcd.url()], None)
            .await
            .unwrap();
        let now = c.get("/", None).await.unwrap().header().unwrap().revision();
        c.compact(now, None).await.unwrap();
        peers(&discovery, 2).await;
        echo_all(&discovery).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (_, lease_after) = etcd_get(&etcd, "/gscluster/restart/nodes/echo-1")
            .await
            .unwrap();
        assert_eq!(lease_after, lease, "the lease survived the outage");
        assert!(registration.is_registered());

        // Shutting a node down deregisters it too.
        second_node.shutdown(Duration::from_secs(1)).await;
        second.stop().await;
        peers(&discovery, 1).await;

        caller_node.shutdown(Duration::from_secs(1)).await;
        server_node.shutdown(Duration::from_secs(1)).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_whose_lease_is_lost_is_made_again() {
    let Some(etcd) = Etcd::start() else { return };
    bounded(60, async {
        let node = Node::builder("echo-1").kind("echo").build();
        let _ = node.serve(
            "echo",
            EchoServer::from_arc(Arc::new(EchoService::default())),
        );
        let addr = node.listen("127.0.0.1:0").await.unwrap().to_string();
        let registration = Discovery::builder([etcd.url()])
            .cluster("lost")
            .ttl(Duration::from_secs(3))
            .register(addr)
            .start(&node);
        assert!(registration.ready(Duration::from_secs(10)).await);
        let key = "/gscluster/lost/nodes/echo-1";
        let (_, lease) = etcd_get(&etcd, key).await.unwrap();

        // As if it expired while the node could not reach etcd.
        let mut c = etcd_client::Client::connect([etcd.url()], None)
            .await
            .unwrap();
        c.lease_revoke(lease).await.unwrap();
        assert_eq!(etcd_get(&etcd, key).await, None);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        let again = loop {
            if let Some((_, l)) = etcd_get(&etcd, key).await {
                break l;
            }
            assert!(tokio::time::Instant::now() < deadline, "registered again");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_ne!(again, lease, "under a new lease");

        node.shutdown(Duration::from_secs(1)).await;
        assert_eq!(etcd_get(&etcd, key).await, None, "deregistered at shutdown");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_static_peer_stays_when_the_member_of_its_address_goes() {
    let Some(etcd) = Etcd::start() else { return };
    bounded(60, async {
        let (server_node, registration, addr) = server(&etcd, "static", "echo-1").await;
        let node = Node::builder("caller").kind("client").build();
        let set = gscluster::rpc::PeerSet::new(vec![node.connect(addr.clone())]);
        let discovery = Discovery::builder([etcd.url()])
            .cluster("static")
            .watch(["echo.Echo"])
            .peers_into(set.clone())
            .start(&node);
        assert!(discovery.ready(Duration::from_secs(10)).await);
        assert!(discovery.members().contains_key("echo-1"));
        // The member's address is connected already: no second peer.
        assert_eq!(set.len(), 1);
        registration.stop().await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while discovery.members().contains_key("echo-1") {
            assert!(tokio::time::Instant::now() < deadline, "the member went");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // The static peer is not discovery's to drop.
        assert_eq!(set.len(), 1);
        echo_all(&discovery).await;

        node.shutdown(Duration::from_secs(1)).await;
        server_node.shutdown(Duration::from_secs(1)).await;
    })
    .await;
}
