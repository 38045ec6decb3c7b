//! Servers the cluster tests start on loopback, each on ports chosen at run
//! time and in a directory of its own, stopped (and the directory removed)
//! when dropped: [`Etcd`] (Debian's `etcd-server`) and [`Postgres`]
//! (Debian's `postgresql`, run as its `postgres` user when the tests run as
//! root). What is missing is installed by `scripts/setup.sh` first; where
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
        match Command::new("bash").arg(&script).status() {
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
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
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
            eprintln!("testkit: etcd is not installed and could not be (Debian's etcd-server); skipping");
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
            eprintln!("testkit: PostgreSQL is not installed and could not be (Debian's postgresql); skipping");
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
                eprintln!("testkit: cannot give {} to the postgres user; skipping", pg.dir.display());
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
                eprintln!("testkit: initdb failed; skipping:\n{}", String::from_utf8_lossy(&o.stderr));
                return None;
            }
            Err(e) => {
                eprintln!("testkit: cannot run initdb ({e}); skipping");
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
            eprintln!("testkit: PostgreSQL did not start; skipping; its log:\n{log}");
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
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", db])
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
