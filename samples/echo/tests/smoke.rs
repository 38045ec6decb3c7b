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
