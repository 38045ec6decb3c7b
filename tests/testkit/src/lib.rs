//! Servers the cluster tests start on loopback, each on ports chosen at run
//! time and in a directory of its own, stopped (and the directory removed)
//! when dropped: [`Etcd`] (Debian's `etcd-server`), [`Postgres`]
//! (Debian's `postgresql`, run as its `postgres` user when the tests run as
//! root), and [`ChromeDriver`] with headless Chromium (Debian's `chromium`
//! and `chromium-driver`). What is missing is installed by `scripts/setup.sh` first; where
//! that fails, `start` returns `None` after saying why on stderr, and the
//! test skips.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A port free on 127.0.0.1 now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Runs `scripts/setup.sh` once per test process; whether it succeeded.
fn setup() -> bool {
    static DONE: OnceLock<bool> = OnceLock::new();
    *DONE.get_or_init(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/setup.sh");
        match Command::new("bash")
            .arg(&script)
            .stdin(Stdio::null())
            .status()
        {
            Ok(s) if s.success() => true,
            Ok(s) => {
                eprintln!("testkit: {} failed ({s})", script.display());
                false
            }
            Err(e) => {
                eprintln!("testkit: cannot run {}: {e}", script.display());
                false
            }
        }
    })
}

/// Says why a server cannot start: a skip, or a failure under
/// `GS_TESTKIT_REQUIRED`.
fn unavailable(why: &str) {
    if std::env::var_os("GS_TESTKIT_REQUIRED").is_some() {
        panic!("testkit: {why} (GS_TESTKIT_REQUIRED is set)");
    }
    eprintln!("testkit: {why}; skipping");
}

/// A directory of its own under the system's temporary directory.
fn scratch(what: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "gs-testkit-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn find(binary: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(binary))
        .find(|p| p.is_file())
}

/// A GET of `path` on 127.0.0.1:`port`: the response, if any.
fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(1)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    read_reply(&mut s)
}

/// An HTTP reply, head and body: the body read by its Content-Length (some
/// servers keep the connection open whatever the request says), or to the
/// end.
fn read_reply(s: &mut TcpStream) -> Option<String> {
    let mut reply = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = reply.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&reply[..end]).to_ascii_lowercase();
            let length = head.lines().find_map(|l| {
                l.strip_prefix("content-length:")
                    .and_then(|v| v.trim().parse::<usize>().ok())
            });
            if let Some(length) = length
                && reply.len() >= end + 4 + length
            {
                reply.truncate(end + 4 + length);
                break;
            }
        }
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => reply.extend_from_slice(&chunk[..n]),
            Err(_) if !reply.is_empty() => break,
            Err(_) => return None,
        }
    }
    Some(String::from_utf8_lossy(&reply).into_owned())
}

/// An etcd server of one member on loopback.
#[derive(Debug)]
pub struct Etcd {
    binary: PathBuf,
    dir: PathBuf,
    client_port: u16,
    peer_port: u16,
    child: Option<Child>,
}

impl Etcd {
    /// Starts one, or says why it cannot and returns `None`.
    pub fn start() -> Option<Etcd> {
        let binary = find("etcd").or_else(|| {
            setup();
            find("etcd")
        });
        let Some(binary) = binary else {
            unavailable("etcd is not installed and could not be (Debian's etcd-server)");
            return None;
        };
        let mut etcd = Etcd {
            binary,
            dir: scratch("etcd"),
            client_port: free_port(),
            peer_port: free_port(),
            child: None,
        };
        etcd.resume();
        Some(etcd)
    }

    /// Its client URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.client_port)
    }

    /// Kills it (SIGKILL, as a crash would), keeping its data.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on its data and ports, and waits until it is healthy.
    pub fn resume(&mut self) {
        self.kill();
        let client = self.url();
        let peer = format!("http://127.0.0.1:{}", self.peer_port);
        let log = std::fs::File::create(self.dir.join("etcd.log")).expect("etcd's log file");
        let child = Command::new(&self.binary)
            .arg("--name=testkit")
            .arg(format!("--data-dir={}", self.dir.join("data").display()))
            .arg(format!("--listen-client-urls={client}"))
            .arg(format!("--advertise-client-urls={client}"))
            .arg(format!("--listen-peer-urls={peer}"))
            .arg(format!("--initial-advertise-peer-urls={peer}"))
            .arg(format!("--initial-cluster=testkit={peer}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("etcd starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if http_get(self.client_port, "/health").is_some_and(|r| r.contains("\"true\"")) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let log = std::fs::read_to_string(self.dir.join("etcd.log")).unwrap_or_default();
        panic!("etcd did not become healthy in 20 s; its log:\n{log}");
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A PostgreSQL server on loopback, trusting local connections, with the
/// superuser `postgres`.
#[derive(Debug)]
pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

fn postgres_bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|d| d.join("initdb").is_file())
        .collect();
    dirs.sort();
    dirs.pop()
}

impl Postgres {
    /// Starts one, or says why it cannot and returns `None`.
    pub fn start() -> Option<Postgres> {
        let bin = postgres_bin().or_else(|| {
            setup();
            postgres_bin()
        });
        let Some(bin) = bin else {
            unavailable("PostgreSQL is not installed and could not be (Debian's postgresql)");
            return None;
        };
        // PostgreSQL refuses to run as root: as root, run it as `postgres`.
        let as_postgres = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        let pg = Postgres {
            bin,
            dir: scratch("postgres"),
            port: free_port(),
            as_postgres,
        };
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&pg.dir)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                unavailable(&format!(
                    "cannot give {} to the postgres user",
                    pg.dir.display()
                ));
                return None;
            }
        }
        let data = pg.dir.join("data");
        let out = pg
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .output();
        match out {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                unavailable(&format!(
                    "initdb failed:\n{}",
                    String::from_utf8_lossy(&o.stderr)
                ));
                return None;
            }
            Err(e) => {
                unavailable(&format!("cannot run initdb ({e})"));
                return None;
            }
        }
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            pg.port,
            pg.dir.display()
        );
        let status = pg
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-w", "-t", "30", "-l"])
            .arg(pg.dir.join("postgres.log"))
            .arg("start")
            .stdout(Stdio::null())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            let log = std::fs::read_to_string(pg.dir.join("postgres.log")).unwrap_or_default();
            unavailable(&format!("PostgreSQL did not start; its log:\n{log}"));
            return None;
        }
        Some(pg)
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// The URL of database `db` (created first when not `postgres`).
    pub fn url(&self, db: &str) -> String {
        if db != "postgres" {
            let _ = self
                .command("createdb")
                .args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-U",
                    "postgres",
                    db,
                ])
                .stderr(Stdio::null())
                .status();
        }
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A headless Chromium driven through ChromeDriver (WebDriver over HTTP on
/// loopback): one browser per [`ChromeDriver::open`], closed when dropped.
#[derive(Debug)]
pub struct ChromeDriver {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl ChromeDriver {
    /// Starts ChromeDriver, or says why it cannot and returns `None`.
    pub fn start() -> Option<ChromeDriver> {
        let found = || Some((find("chromedriver")?, find("chromium")?));
        let Some((driver, _)) = found().or_else(|| {
            setup();
            found()
        }) else {
            unavailable(
                "chromium or chromedriver is not installed and could not be (Debian's chromium, chromium-driver)",
            );
            return None;
        };
        let port = free_port();
        let dir = scratch("chrome");
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = ChromeDriver { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if http_get(port, "/status").is_some_and(|r| r.contains("\"ready\"")) {
                return Some(driver);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        unavailable("chromedriver did not become ready");
        None
    }

    /// A new headless browser (a profile of its own).
    pub fn open(&self) -> Browser {
        static N: AtomicU32 = AtomicU32::new(0);
        let profile = self
            .dir
            .join(format!("profile-{}", N.fetch_add(1, Ordering::Relaxed)));
        let caps = serde_json::json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": find("chromium").unwrap_or_else(|| "/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=900,760",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let reply = webdriver(self.port, "POST", "/session", Some(&caps));
        let session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {reply}"))
            .to_owned();
        Browser {
            port: self.port,
            session,
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One WebDriver request: the reply's JSON.
fn webdriver(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> serde_json::Value {
    let body = body.map_or_else(String::new, |b| b.to_string());
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("chromedriver is up");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let reply = read_reply(&mut s).expect("a WebDriver reply");
    let json = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(json).unwrap_or_else(|e| panic!("WebDriver said {reply:?}: {e}"))
}

/// A browser: a WebDriver session.
#[derive(Debug)]
pub struct Browser {
    port: u16,
    session: String,
}

impl Browser {
    fn call(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
        let path = format!("/session/{}{path}", self.session);
        let reply = webdriver(self.port, method, &path, body.as_ref());
        if reply["value"].get("error").is_some() {
            panic!("WebDriver {method} {path}: {}", reply["value"]);
        }
        reply["value"].clone()
    }

    /// Opens `url`.
    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(serde_json::json!({"url": url})));
    }

    fn element(&self, css: &str) -> String {
        let found = self.call(
            "POST",
            "/element",
            Some(serde_json::json!({"using": "css selector", "value": css})),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .expect("an element reference")
            .to_owned()
    }

    /// Types `text` into the element `css` selects, after clearing it.
    pub fn fill(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.call(
            "POST",
            &format!("/element/{e}/clear"),
            Some(serde_json::json!({})),
        );
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(serde_json::json!({"text": text})),
        );
    }

    /// Clicks the element `css` selects.
    pub fn click(&self, css: &str) {
        let e = self.element(css);
        self.call(
            "POST",
            &format!("/element/{e}/click"),
            Some(serde_json::json!({})),
        );
    }

    /// Runs `script` (a function body) in the page: what it returns.
    pub fn eval(&self, script: &str) -> serde_json::Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(serde_json::json!({"script": script, "args": []})),
        )
    }

    /// Waits up to `timeout` until `script` returns `true`.
    pub fn wait_for(&self, script: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.eval(script) == serde_json::Value::Bool(true) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// A PNG of the page as it is shown now.
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine as _;
        let b64 = self.call("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().expect("base64"))
            .expect("a screenshot in base64")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.session);
        let _ = std::panic::catch_unwind(|| webdriver(self.port, "DELETE", &path, None));
    }
}

/// A server process of the project's (`chat-server`, `gsgate`) whose first
/// stdout line announces where it listens, `PREFIX ADDR`; killed (SIGKILL,
/// as a crash) when dropped.
#[derive(Debug)]
pub struct Announced {
    child: Child,
    /// What followed the prefix: the address bound.
    pub addr: String,
}

impl Announced {
    /// Runs `command` (its stdout piped, stdin closed) and reads its first
    /// line, which must start with `prefix`.
    pub fn spawn(command: &mut Command, prefix: &str) -> Announced {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{:?} does not start: {e}", command.get_program()));
        let mut line = String::new();
        let stdout = child.stdout.take().expect("a piped stdout");
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
        let Some(addr) = line.trim().strip_prefix(prefix) else {
            let _ = child.kill();
            panic!("{:?} said {line:?}, not {prefix:?}…", command.get_program());
        };
        let addr = addr.trim().to_owned();
        Announced { child, addr }
    }

    /// Kills it (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Announced {
    fn drop(&mut self) {
        self.kill();
    }
}
