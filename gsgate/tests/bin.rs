//! The `gsgate` binary: its first stdout lines name the addresses bound,
//! clients shake hands on both, its metrics are served, and a schema with an exposed method that
//! does not take a session first is refused with a rendered diagnostic.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use gsgate::client::{Client, ClientOptions};

fn schema(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gsgate-bin-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("app.gs");
    std::fs::write(&path, text).unwrap();
    path
}

/// Kills the child process it holds when dropped (a failed assertion included).
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn prints_the_addresses_bound_and_serves_both_transports() {
    let path = schema(
        "ok",
        "import \"gate.gs\"\n@gate.Expose\ncontract Hello { Hi(s gate.Session, name string) -> (string); }\n",
    );
    let child = Command::new(env!("CARGO_BIN_EXE_gsgate"))
        .args([
            "--tcp",
            "127.0.0.1:0",
            "--ws",
            "127.0.0.1:0",
            "--heartbeat",
            "7",
            "--metrics",
            "127.0.0.1:0",
        ])
        .arg("--schema")
        .arg(&path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Killed(child);
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let tcp = lines.next().unwrap().unwrap();
    let ws = lines.next().unwrap().unwrap();
    let tcp = tcp.strip_prefix("tcp on ").expect(&tcp).to_owned();
    let ws = ws.strip_prefix("ws on ").expect(&ws).to_owned();
    let metrics = lines.next().unwrap().unwrap();
    let metrics = metrics
        .strip_prefix("metrics on ")
        .expect(&metrics)
        .to_owned();
    let options = ClientOptions::default().timeout(Duration::from_secs(5));
    let a = Client::connect_tcp(&tcp, options.clone()).await.unwrap();
    let b = Client::connect_ws(&ws, options).await.unwrap();
    assert_eq!(a.heartbeat, 7);
    assert_eq!(a.dict.get("app.Hello.Hi"), Some(&1));
    assert_eq!(b.dict, a.dict);
    // No backend: Unavailable.
    let data = gscluster::to_bytes(&"me".to_owned());
    match a.request("app.Hello.Hi", data).await {
        Err(gsgate::client::ClientError::Remote(e)) => assert_eq!(e.code, 5),
        other => panic!("{other:?}"),
    }
    let scraped = scrape(&metrics).await;
    assert!(scraped.starts_with("HTTP/1.1 200 OK\r\n"), "{scraped}");
    for line in [
        "gsgate_sessions 2",
        "gsgate_requests{route=\"app.Hello.Hi\"} 1",
    ] {
        assert!(scraped.lines().any(|l| l == line), "{line} in {scraped}");
    }
    drop(child);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

/// `GET /metrics` from `addr`, the whole answer.
async fn scrape(addr: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nhost: gate\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut answer))
        .await
        .unwrap()
        .unwrap();
    answer
}

#[test]
fn an_exposed_method_without_a_session_is_refused() {
    let path = schema(
        "bad",
        "import \"gate.gs\"\n@gate.Expose\ncontract Hello {\n    Hi(name string);\n}\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_gsgate"))
        .args(["--tcp", "127.0.0.1:0", "--schema"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E0604]"), "{stderr}");
    assert!(
        stderr.contains("does not take a `gate.Session` first"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn with_log_dir_the_logs_go_to_a_daily_file_too() {
    let path = schema(
        "logs",
        "import \"gate.gs\"\n@gate.Expose\ncontract Hello { Hi(s gate.Session) -> (string); }\n",
    );
    let dir = path.parent().unwrap().join("logs");
    let child = Command::new(env!("CARGO_BIN_EXE_gsgate"))
        .args(["--tcp", "127.0.0.1:0", "--log-dir"])
        .arg(&dir)
        .arg("--schema")
        .arg(&path)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Killed(child);
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let tcp = lines.next().unwrap().unwrap();
    assert!(tcp.starts_with("tcp on "), "{tcp}");
    // Written by a worker thread: wait for it (up to 5 s).
    let mut found = None;
    for _ in 0..100 {
        let logs: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        if let [file] = logs.as_slice() {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            if text.contains("listening") {
                found = Some((file.clone(), text));
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let (file, text) = found.expect("a log file that says the gate is listening");
    let name = file.file_name().unwrap().to_str().unwrap().to_owned();
    // gsgate.YYYY-MM-DD.log
    let date = name
        .strip_prefix("gsgate.")
        .and_then(|n| n.strip_suffix(".log"))
        .expect(&name);
    assert!(
        date.len() == 10 && date.bytes().filter(|&b| b == b'-').count() == 2,
        "{name}"
    );
    assert!(text.contains(" INFO "), "{text}");
    assert!(!text.contains('\u{1b}'), "no colours in the file: {text}");
    drop(child);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
