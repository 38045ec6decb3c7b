//! A client for the tests: drives a server running on a thread through an
//! in-memory connection, with JSON-RPC messages in and out, and renders its
//! answers compactly for snapshots.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::Uri;
use serde_json::{Value, json};

/// A directory of schema files, removed when dropped.
pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    pub fn new(files: &[(&str, &str)]) -> Workspace {
        static N: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "gslang-lsp-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let root = std::fs::canonicalize(&root).unwrap();
        for (name, text) in files {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Workspace { root }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    pub fn uri(&self, name: &str) -> String {
        gslang_lsp::convert::path_to_uri(&self.path(name))
            .unwrap()
            .as_str()
            .to_string()
    }

    /// A URI as shown in snapshots: relative to the workspace.
    pub fn show_uri(&self, uri: &str) -> String {
        let uri = Uri::from_str(uri).unwrap();
        let path = gslang_lsp::convert::uri_to_path(&uri).unwrap();
        match path.strip_prefix(&self.root) {
            Ok(rel) => rel.display().to_string().replace('\\', "/"),
            Err(_) => path
                .file_name()
                .map(|n| format!("<{}>", n.to_string_lossy()))
                .unwrap_or_default(),
        }
    }

    /// `file:line:col-line:col` (1-based) of an LSP location.
    pub fn show_location(&self, loc: &Value) -> String {
        format!(
            "{}:{}",
            self.show_uri(loc["uri"].as_str().unwrap()),
            show_range(&loc["range"])
        )
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub fn show_range(range: &Value) -> String {
    let p = |v: &Value| {
        format!(
            "{}:{}",
            v["line"].as_u64().unwrap() + 1,
            v["character"].as_u64().unwrap() + 1
        )
    };
    format!("{}-{}", p(&range["start"]), p(&range["end"]))
}

/// The position of the `n`th occurrence (from 0) of `needle` in `text`, plus
/// `shift` characters, in UTF-16 units.
pub fn pos(text: &str, needle: &str, n: usize, shift: usize) -> Value {
    let at = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` #{n} not in the text"))
        .0;
    let before = &text[..at];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..at].encode_utf16().count() + shift;
    json!({ "line": line, "character": character })
}

pub struct Client {
    pub conn: Connection,
    server: Option<JoinHandle<Result<(), gslang_lsp::Error>>>,
    next_id: i32,
    /// Notifications received while waiting for a response.
    pub notifications: Vec<Notification>,
    /// Requests from the server.
    pub server_requests: Vec<Request>,
}

pub const TIMEOUT: Duration = Duration::from_secs(20);

impl Client {
    /// A server over `ws` with default settings but a short debounce.
    pub fn start(ws: &Workspace) -> Client {
        Client::start_with(ws, json!({ "debounceMs": 10 }), json!({}))
    }

    pub fn start_with(ws: &Workspace, options: Value, capabilities: Value) -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || {
            gslang_lsp::run(&server_side, gslang_lsp::Config::default())
        });
        let mut client = Client {
            conn: client_side,
            server: Some(server),
            next_id: 0,
            notifications: Vec::new(),
            server_requests: Vec::new(),
        };
        let root = ws.uri("");
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": capabilities,
                "initializationOptions": options,
                "workspaceFolders": [{ "uri": root, "name": "ws" }],
            }),
        );
        assert!(result.error.is_none(), "{:?}", result.error);
        client.notify("initialized", json!({}));
        client
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .unwrap();
    }

    /// Sends a request and waits for its response, keeping the notifications that come first.
    pub fn request(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .unwrap();
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(TIMEOUT)
                .expect("no response")
            {
                Message::Response(r) if r.id == id => return r,
                Message::Response(r) => panic!("unexpected response {r:?}"),
                Message::Notification(n) => self.notifications.push(n),
                Message::Request(r) => self.server_requests.push(r),
            }
        }
    }

    /// The result of a request that must succeed.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.error.is_none(), "{method}: {:?}", r.error);
        r.result.unwrap_or(Value::Null)
    }

    pub fn open(&self, ws: &Workspace, name: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": ws.uri(name), "languageId": "gslang", "version": 1, "text": text } }),
        );
    }

    pub fn change(&self, ws: &Workspace, name: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": ws.uri(name), "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// The next `publishDiagnostics` for `uri`, skipping others.
    pub fn diagnostics_for(&mut self, uri: &str) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
        {
            return self.notifications.remove(i).params;
        }
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(TIMEOUT)
                .expect("no diagnostics")
            {
                Message::Notification(n)
                    if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri =>
                {
                    return n.params;
                }
                Message::Notification(n) => self.notifications.push(n),
                Message::Request(r) => self.server_requests.push(r),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// Requests at a position of a document.
    pub fn at(&mut self, method: &str, ws: &Workspace, name: &str, pos: Value) -> Value {
        self.call(
            method,
            json!({ "textDocument": { "uri": ws.uri(name) }, "position": pos }),
        )
    }

    pub fn shutdown(mut self) {
        self.call("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let result = self.server.take().unwrap().join().unwrap();
        assert!(result.is_ok(), "{result:?}");
    }
}

/// Diagnostics as `range code severity: message` lines.
pub fn show_diagnostics(params: &Value) -> String {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}: {}",
                show_range(&d["range"]),
                d["code"].as_str().unwrap_or("-"),
                d["severity"],
                d["message"].as_str().unwrap().replace('\n', " / ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}
