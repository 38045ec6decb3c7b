//! `echo-server --metrics ADDR`: its second stdout line names where
//! `GET /metrics` answers, in the Prometheus text format, the durations and
//! in-flight gauges of the `@Profile`d calls it served.

use std::io::BufRead as _;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use gscluster::rpc::Node;
use gscluster_echo::EchoClient;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// Kills the server when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("reads");
    answer
}

#[tokio::test]
async fn metrics_of_profiled_calls_are_served_in_the_prometheus_format() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_echo-server"))
        .args(["--listen", "127.0.0.1:0", "--metrics", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("echo-server starts");
    let stdout = child.stdout.take().expect("stdout");
    let _server = Killed(child);
    let lines = tokio::task::spawn_blocking(move || {
        let mut lines = std::io::BufReader::new(stdout).lines();
        let mut next = || lines.next().expect("a line").expect("reads");
        (next(), next())
    });
    let (first, second) = tokio::time::timeout(Duration::from_secs(20), lines)
        .await
        .expect("echo-server says where it listens")
        .expect("joins");
    let listen = first
        .strip_prefix("listening on ")
        .expect(&first)
        .to_owned();
    let metrics = second
        .strip_prefix("metrics on ")
        .expect(&second)
        .to_owned();

    tokio::time::timeout(Duration::from_secs(20), async {
        let client = Node::builder("client").build();
        let peer = client.connect(listen);
        peer.connected(Duration::from_secs(5)).await.expect("up");
        let echo: EchoClient = peer.client();
        echo.echo("a".into()).await.expect("echo");
        echo.echo("b".into()).await.expect("echo");
        echo.sqrt(-1).await.expect_err("negative");
        client.shutdown(Duration::from_secs(1)).await;

        let answer = get(&metrics, "/metrics").await;
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        let labels = r#"rpc_service="echo.Echo",rpc_method="Echo""#;
        for line in [
            format!(r#"rpc_server_call_duration_seconds_count{{{labels},outcome="ok"}} 2"#),
            r#"rpc_server_call_duration_seconds_count{rpc_service="echo.Echo",rpc_method="Sqrt",outcome="app_error"} 1"#.to_owned(),
            format!(r#"rpc_server_call_duration_seconds_bucket{{{labels},outcome="ok",le="+Inf"}} 2"#),
            format!("rpc_server_calls_in_flight{{{labels}}} 0"),
        ] {
            assert!(answer.lines().any(|l| l == line), "no `{line}` in:\n{answer}");
        }
        assert!(answer.contains("# TYPE rpc_server_call_duration_seconds histogram"), "{answer}");

        let other = get(&metrics, "/other").await;
        assert!(other.starts_with("HTTP/1.1 404 "), "{other}");
    })
    .await
    .expect("bounded");
}
