use std::time::Duration;

use gscluster::rpc::Node;
use gscluster_echo::{EchoClient, EchoError, EchoServer, EchoService};

#[tokio::test]
async fn echo_round_trip() {
    let server = Node::builder("server").build();
    let _h = server.serve("echo", EchoServer::new(EchoService::default()));
    let addr = server.listen("127.0.0.1:0").await.expect("listen");
    let client = Node::builder("client").build();
    let peer = client.connect(addr.to_string());
    peer.connected(Duration::from_secs(5))
        .await
        .expect("connected");
    let echo: EchoClient = peer.client();
    assert_eq!(echo.echo("hi".into()).await.expect("echo"), "hi");
    assert_eq!(echo.add(2, 3).await.expect("add"), 5);
    assert_eq!(echo.pair().await.expect("pair"), ("pair".to_owned(), 42));
    let e = echo.sqrt(-1).await.expect_err("negative");
    assert_eq!(e.app::<EchoError>(), Some(EchoError::Negative));
    echo.notify("x".into()).await.expect("notify");
    echo.notify("y".into()).await.expect("notify");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(echo.count().await.expect("count"), 2);
    client.shutdown(Duration::from_secs(1)).await;
    server.shutdown(Duration::from_secs(1)).await;
}

/// tower layers around a client and around a hosted service.
#[tokio::test]
async fn tower_layers_wrap_clients_and_services() {
    use gscluster::rpc::RpcError;
    use gscluster::rpc::tower::{ClientLayerExt, map_layer_errors};
    use tower::ServiceBuilder;

    let server = Node::builder("server").build();
    let _h = server.serve_with(
        "echo",
        EchoServer::new(EchoService::default()),
        map_layer_errors(
            ServiceBuilder::new()
                .timeout(Duration::from_secs(1))
                .concurrency_limit(8),
        ),
    );
    let addr = server.listen("127.0.0.1:0").await.expect("listen");
    let client = Node::builder("client").build();
    let peer = client.connect(addr.to_string());
    peer.connected(Duration::from_secs(5))
        .await
        .expect("connected");
    let echo: EchoClient = peer
        .client::<EchoClient>()
        .layer(map_layer_errors(ServiceBuilder::new().concurrency_limit(4)));
    assert_eq!(echo.echo("hi".into()).await.expect("echo"), "hi");
    let e = echo.sqrt(-1).await.expect_err("negative");
    assert_eq!(e.app::<EchoError>(), Some(EchoError::Negative));
    let answers = futures_join(&echo).await;
    assert!(answers.iter().all(|r| matches!(r, Ok(3))), "{answers:?}");
    echo.notify("x".into()).await.expect("notify");
    assert!(matches!(echo.count().await, Ok(1) | Ok(0)));
    let _: Option<RpcError> = None;
    client.shutdown(Duration::from_secs(1)).await;
    server.shutdown(Duration::from_secs(1)).await;
}

async fn futures_join(echo: &EchoClient) -> Vec<Result<i32, gscluster::rpc::RpcError>> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..32 {
        let echo = echo.clone();
        set.spawn(async move { echo.add(1, 2).await });
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        out.push(r.expect("task"));
    }
    out
}
