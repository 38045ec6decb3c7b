//! How long diagnostics take after an edit, in a project of 1,000 record
//! types: 20 modules of 50 records, each importing the one before, with
//! the last one open and edited. Measured through the protocol (an
//! in-memory connection, debounce 0), from the `didChange` to the
//! `publishDiagnostics` of the new version.
//!
//! `cargo bench -p gslang-lsp` prints the median and the slowest run.

use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request};
use serde_json::json;

const MODULES: usize = 20;
const RECORDS: usize = 50;

fn module(i: usize, edit: usize) -> String {
    let mut s = String::new();
    if i > 0 {
        s.push_str(&format!("import \"m{}.gs\"\n\n", i - 1));
    }
    for r in 0..RECORDS {
        s.push_str(&format!(
            "// Record {r} of module {i}, version {edit}.\ntable R{i}_{r} {{\n"
        ));
        s.push_str("    Id uint64;\n    Name string;\n    Tags []string;\n    Pos [3]float32;\n");
        if i > 0 {
            s.push_str(&format!("    Prev m{}.R{}_{r};\n", i - 1, i - 1));
        }
        if r > 0 {
            s.push_str(&format!("    Sibling R{i}_{};\n", r - 1));
        }
        s.push_str("}\n\n");
    }
    s.push_str(&format!(
        "contract Service{i} {{\n    Get(id uint64) -> (R{i}_0);\n}}\n"
    ));
    s
}

fn main() {
    let dir = std::env::temp_dir().join(format!("gslang-lsp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for i in 0..MODULES {
        std::fs::write(dir.join(format!("m{i}.gs")), module(i, 0)).expect("write");
    }
    let last = dir.join(format!("m{}.gs", MODULES - 1));
    let uri = gslang_lsp::convert::path_to_uri(&std::fs::canonicalize(&last).expect("path"))
        .expect("uri")
        .as_str()
        .to_string();

    let (server, client) = Connection::memory();
    let thread =
        std::thread::spawn(move || gslang_lsp::run(&server, gslang_lsp::Config::default()));
    let send = |m: Message| client.sender.send(m).expect("send");
    send(Message::Request(Request::new(
        1.into(),
        "initialize".into(),
        json!({ "capabilities": {}, "initializationOptions": { "debounceMs": 0 } }),
    )));
    let wait_for = |version: i32| loop {
        match client.receiver.recv().expect("recv") {
            Message::Notification(n)
                if n.method == "textDocument/publishDiagnostics"
                    && n.params["version"] == version =>
            {
                assert_eq!(
                    n.params["diagnostics"],
                    json!([]),
                    "the project has no errors"
                );
                return;
            }
            _ => {}
        }
    };
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({ "textDocument": { "uri": uri, "languageId": "gslang", "version": 1, "text": module(MODULES - 1, 0) } }),
    )));
    wait_for(1);

    let mut times = Vec::new();
    for v in 2..40 {
        let text = module(MODULES - 1, v as usize);
        let start = Instant::now();
        send(Message::Notification(Notification::new(
            "textDocument/didChange".into(),
            json!({ "textDocument": { "uri": uri, "version": v }, "contentChanges": [{ "text": text }] }),
        )));
        wait_for(v);
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    let max = times.last().copied().unwrap_or(Duration::ZERO);
    println!(
        "diagnostics after an edit, {} records in {MODULES} modules: median {:.1} ms, slowest {:.1} ms ({} runs)",
        MODULES * RECORDS,
        median.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        times.len()
    );
    send(Message::Request(Request::new(
        2.into(),
        "shutdown".into(),
        json!(null),
    )));
    send(Message::Notification(Notification::new(
        "exit".into(),
        json!(null),
    )));
    let _ = thread.join();
    let _ = std::fs::remove_dir_all(&dir);
}
