//! The server driven through the protocol: JSON-RPC messages in, messages
//! out, over an in-memory connection. One test per feature, each with a
//! case that fails if the feature resolves the wrong thing.

mod support;

use serde_json::{Value, json};
use support::{Client, Workspace, pos, show_diagnostics, show_range};

const COMMON: &str = r#"// Shared types.

// The health of a service.
contract Health {
    Ping() -> (bool);
    Status() -> (string);
}

@Flag
enum Rights(uint16) { Read(1), Write(2), Admin(4) }

// A room's tag.
table Tag { Name string; Rights Rights; }
"#;

const CHAT: &str = r#"import (
    com "common.gs"
)

// Says what it is.
table Describe { Text string; Level Level; }

enum Level { Low, High }

// One message in a room.
@Describe("a message", Level.High)
struct Message {
    ID uint64;       // unique within the room
    Text string;
    Tags [4]com.Tag;
}

contract Chat(com.Health) {
    // Sends a message.
    Send(m Message) -> (bool);
    @Async
    Leave(room string);
}
"#;

fn workspace() -> Workspace {
    Workspace::new(&[("common.gs", COMMON), ("chat.gs", CHAT)])
}

fn definition(c: &mut Client, ws: &Workspace, needle: &str, n: usize, shift: usize) -> String {
    let result = c.at(
        "textDocument/definition",
        ws,
        "chat.gs",
        pos(CHAT, needle, n, shift),
    );
    if result.is_null() {
        return "none".into();
    }
    ws.show_location(&result)
}

#[test]
fn initialize_announces_the_features() {
    let ws = workspace();
    let (server, client) = lsp_server::Connection::memory();
    let thread =
        std::thread::spawn(move || gslang_lsp::run(&server, gslang_lsp::Config::default()));
    client
        .sender
        .send(lsp_server::Message::Request(lsp_server::Request::new(
            1.into(),
            "initialize".into(),
            json!({ "capabilities": {}, "rootUri": ws.uri("") }),
        )))
        .unwrap();
    let lsp_server::Message::Response(r) = client.receiver.recv().unwrap() else {
        panic!()
    };
    let mut caps = r.result.unwrap();
    caps["serverInfo"]["version"] = json!("[version]");
    insta::assert_snapshot!(serde_json::to_string_pretty(&caps).unwrap());
    drop(client);
    assert!(
        thread.join().unwrap().is_err(),
        "a client gone without exit is an error"
    );
}

#[test]
fn diagnostics_follow_the_buffer_not_the_disk() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    let uri = ws.uri("chat.gs");
    // An error after non-ASCII text on its line: columns are UTF-16 units.
    let broken = CHAT.replace(
        "Text string;\n    Tags",
        "Text string; // é😀\n    Kind Stauts; Tags",
    );
    c.open(&ws, "chat.gs", &broken);
    let d = c.diagnostics_for(&uri);
    assert_eq!(d["version"], 1);
    insta::assert_snapshot!(show_diagnostics(&d), @"15:10-15:16 E0304 1: cannot find type `Stauts` / not found in this module");
    // Fixed in the buffer (not on disk): no diagnostics.
    c.change(&ws, "chat.gs", 2, CHAT);
    let d = c.diagnostics_for(&uri);
    assert_eq!(d["version"], 2);
    assert_eq!(d["diagnostics"], json!([]));
    c.shutdown();
}

#[test]
fn each_open_document_gets_its_own_diagnostics() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    c.open(&ws, "x.gs", "struct X { A Nope; }");
    c.open(&ws, "y.gs", "struct Y { B Nada; }\nstruct Z { C byte; }");
    c.open(&ws, "chat.gs", CHAT);
    let x = c.diagnostics_for(&ws.uri("x.gs"));
    let y = c.diagnostics_for(&ws.uri("y.gs"));
    let chat = c.diagnostics_for(&ws.uri("chat.gs"));
    insta::assert_snapshot!(
        format!("x: {}\ny: {}\nchat: {}", show_diagnostics(&x), show_diagnostics(&y), show_diagnostics(&chat)),
        @r"
    x: 1:14-1:18 E0304 1: cannot find type `Nope` / not found in this module
    y: 1:14-1:18 E0304 1: cannot find type `Nada` / not found in this module
    chat:
    "
    );
    // Closing a document clears its diagnostics.
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": ws.uri("x.gs") } }),
    );
    assert_eq!(c.diagnostics_for(&ws.uri("x.gs"))["diagnostics"], json!([]));
    c.shutdown();
}

#[test]
fn include_dirs_from_the_initialization_options() {
    let ws = Workspace::new(&[("vendor/common.gs", COMMON), ("app/chat.gs", CHAT)]);
    let mut c = Client::start(&ws);
    c.open(&ws, "app/chat.gs", CHAT);
    let d = c.diagnostics_for(&ws.uri("app/chat.gs"));
    assert!(
        show_diagnostics(&d).contains("common.gs"),
        "not found without -I: {d}"
    );
    c.shutdown();

    let mut c = Client::start_with(
        &ws,
        json!({ "debounceMs": 10, "includeDirs": ["vendor"] }),
        json!({}),
    );
    c.open(&ws, "app/chat.gs", CHAT);
    assert_eq!(
        c.diagnostics_for(&ws.uri("app/chat.gs"))["diagnostics"],
        json!([])
    );
    let r = c.at(
        "textDocument/definition",
        &ws,
        "app/chat.gs",
        pos(CHAT, "com.Tag", 0, 5),
    );
    assert_eq!(ws.show_location(&r), "vendor/common.gs:13:7-13:10");
    c.shutdown();
}

#[test]
fn a_burst_of_edits_is_analyzed_once() {
    let ws = workspace();
    let mut c = Client::start_with(&ws, json!({ "debounceMs": 300 }), json!({}));
    let uri = ws.uri("chat.gs");
    c.open(&ws, "chat.gs", CHAT);
    for v in 2..=5 {
        c.change(
            &ws,
            "chat.gs",
            v,
            &CHAT.replace("ID uint64", &format!("ID uint6{v}")),
        );
    }
    let d = c.diagnostics_for(&uri);
    assert_eq!(d["version"], 5, "the first publication is of the last edit");
    assert!(show_diagnostics(&d).contains("uint65"), "{d}");
    c.shutdown();
}

#[test]
fn an_open_buffer_shadows_its_file_for_the_files_importing_it() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    c.open(&ws, "chat.gs", CHAT);
    assert_eq!(
        c.diagnostics_for(&ws.uri("chat.gs"))["diagnostics"],
        json!([])
    );
    // `Tag` renamed in the unsaved buffer of common.gs: chat.gs breaks.
    c.open(
        &ws,
        "common.gs",
        &COMMON.replace("table Tag", "table Label"),
    );
    let d = c.diagnostics_for(&ws.uri("chat.gs"));
    insta::assert_snapshot!(show_diagnostics(&d), @"15:17-15:20 E0302 1: cannot find type `Tag` in module `com` / not declared in `com`");
    // And an error inside an imported module is shown at the import.
    c.change(
        &ws,
        "common.gs",
        2,
        &COMMON.replace("Ping()", "Ping(x Nope)"),
    );
    let d = c.diagnostics_for(&ws.uri("chat.gs"));
    insta::assert_snapshot!(show_diagnostics(&d), @"2:9-2:20 - 1: module `com` has 1 error; the first: cannot find type `Nope`");
    c.shutdown();
}

#[test]
fn files_changed_on_disk_are_seen_when_the_client_says_so() {
    let ws = workspace();
    let mut c = Client::start_with(
        &ws,
        json!({ "debounceMs": 10 }),
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    c.open(&ws, "chat.gs", CHAT);
    assert_eq!(
        c.diagnostics_for(&ws.uri("chat.gs"))["diagnostics"],
        json!([])
    );
    let register = c
        .server_requests
        .iter()
        .find(|r| r.method == "client/registerCapability");
    assert!(register.is_some(), "the server asks to watch schema files");
    std::fs::write(
        ws.path("common.gs"),
        COMMON.replace("table Tag", "table Label"),
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": ws.uri("common.gs"), "type": 2 }] }),
    );
    let d = c.diagnostics_for(&ws.uri("chat.gs"));
    assert!(
        show_diagnostics(&d).contains("cannot find type `Tag`"),
        "{d}"
    );
    c.shutdown();
}

#[test]
fn go_to_definition() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    c.open(&ws, "chat.gs", CHAT);
    let cases = [
        ("a type", definition(&mut c, &ws, "Message)", 0, 2)),
        (
            "a type of an imported module",
            definition(&mut c, &ws, "com.Tag", 0, 5),
        ),
        (
            "an imported module, by its alias",
            definition(&mut c, &ws, "com.Tag", 0, 1),
        ),
        (
            "an imported module, by its path",
            definition(&mut c, &ws, "\"common.gs\"", 0, 3),
        ),
        (
            "an annotation table",
            definition(&mut c, &ws, "@Describe", 0, 3),
        ),
        (
            "a built-in annotation table",
            definition(&mut c, &ws, "@Async", 0, 2),
        ),
        (
            "an enum constant's enum",
            definition(&mut c, &ws, "Level.High", 0, 1),
        ),
        (
            "an enum constant",
            definition(&mut c, &ws, "Level.High", 0, 7),
        ),
        (
            "a contract base",
            definition(&mut c, &ws, "com.Health", 0, 6),
        ),
        (
            "a declaration itself",
            definition(&mut c, &ws, "Level {", 0, 0),
        ),
        ("a keyword", definition(&mut c, &ws, "struct", 0, 1)),
    ];
    let text: String = cases
        .iter()
        .map(|(what, at)| format!("{what}: {at}\n"))
        .collect();
    insta::assert_snapshot!(text);
    c.shutdown();
}

#[test]
fn go_to_definition_in_annotation_arguments() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    let text = "import com \"common.gs\"\ntable Wrap { T com.Tag; }\n@Wrap(T: com.Tag(\"x\", com.Rights.Read | com.Rights.Write))\nstruct S {}\n";
    c.open(&ws, "d.gs", text);
    let mut out = String::new();
    for (what, needle, shift) in [
        ("a named argument's field", "T:", 0),
        ("a table value's table", "Tag(", 1),
        ("an imported enum's constant, after `|`", "Write", 2),
        ("the enum of a constant", "Rights.Read", 2),
    ] {
        let r = c.at(
            "textDocument/definition",
            &ws,
            "d.gs",
            pos(text, needle, 0, shift),
        );
        out.push_str(&format!("{what}: {}\n", ws.show_location(&r)));
    }
    insta::assert_snapshot!(out, @r"
    a named argument's field: d.gs:2:14-2:15
    a table value's table: common.gs:13:7-13:10
    an imported enum's constant, after `|`: common.gs:10:32-10:37
    the enum of a constant: common.gs:10:6-10:12
    ");
    c.shutdown();
}

#[test]
fn find_references_across_the_workspace() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    // Only common.gs is open: chat.gs is found in the workspace folder.
    c.open(&ws, "common.gs", COMMON);
    let refs = |c: &mut Client, needle: &str, shift: usize, decl: bool| -> String {
        let r = c.call(
            "textDocument/references",
            json!({
                "textDocument": { "uri": ws.uri("common.gs") },
                "position": pos(COMMON, needle, 0, shift),
                "context": { "includeDeclaration": decl },
            }),
        );
        r.as_array()
            .unwrap()
            .iter()
            .map(|l| ws.show_location(l))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let text = format!(
        "Health: {}\nHealth, with the declaration: {}\nTag: {}\nRights (enum): {}\n",
        refs(&mut c, "Health", 1, false),
        refs(&mut c, "Health", 1, true),
        refs(&mut c, "Tag {", 0, false),
        refs(&mut c, "Rights(", 0, true),
    );
    insta::assert_snapshot!(text);
    c.shutdown();
}

#[test]
fn rename_across_the_workspace() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    c.open(&ws, "common.gs", COMMON);
    let at = pos(COMMON, "Rights(", 0, 0);
    let prepared = c.at("textDocument/prepareRename", &ws, "common.gs", at.clone());
    assert_eq!(show_range(&prepared), "10:6-10:12");
    let edit = c.call(
        "textDocument/rename",
        json!({ "textDocument": { "uri": ws.uri("common.gs") }, "position": at, "newName": "Access" }),
    );
    let mut lines: Vec<String> = Vec::new();
    for (uri, edits) in edit["changes"].as_object().unwrap() {
        for e in edits.as_array().unwrap() {
            lines.push(format!(
                "{}:{} {}",
                ws.show_uri(uri),
                show_range(&e["range"]),
                e["newText"]
            ));
        }
    }
    lines.sort();
    insta::assert_snapshot!(lines.join("\n"), @r#"
    common.gs:10:6-10:12 "Access"
    common.gs:13:33-13:39 "Access"
    "#);
    // Not an identifier, or a keyword: refused. A built-in: not renamable.
    let r = c.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": ws.uri("common.gs") }, "position": pos(COMMON, "Rights(", 0, 0), "newName": "uint8" }),
    );
    assert!(r.error.is_none(), "uint8 is not a keyword");
    for bad in ["9x", "a-b", "string", ""] {
        let r = c.request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": ws.uri("common.gs") }, "position": pos(COMMON, "Rights(", 0, 0), "newName": bad }),
        );
        assert!(r.error.is_some(), "{bad}");
    }
    let r = c.at(
        "textDocument/prepareRename",
        &ws,
        "common.gs",
        pos(COMMON, "@Flag", 0, 1),
    );
    assert_eq!(r, Value::Null);
    c.shutdown();
}

#[test]
fn hover() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    c.open(&ws, "chat.gs", CHAT);
    let mut text = String::new();
    for (needle, shift) in [
        ("Message {", 0),
        ("ID uint64", 0),
        ("Send(", 0),
        ("Leave(", 0),
        ("Level.High", 7),
        ("com.Health", 5),
        ("com \"", 0),
        ("@Async", 1),
        ("uint64", 2),
        ("string;", 0),
    ] {
        let h = c.at(
            "textDocument/hover",
            &ws,
            "chat.gs",
            pos(CHAT, needle, 0, shift),
        );
        text.push_str(&format!(
            "===== {needle} at {}\n{}\n",
            show_range(&h["range"]),
            h["contents"]["value"].as_str().unwrap()
        ));
    }
    insta::assert_snapshot!(text.replace(&ws.root.display().to_string(), "[ws]"));
    // With an error anywhere, the model's facts are left out, the rest stays.
    c.change(
        &ws,
        "chat.gs",
        2,
        &CHAT.replace("Text string;\n    Tags", "Text Nope;\n    Tags"),
    );
    let h = c.at(
        "textDocument/hover",
        &ws,
        "chat.gs",
        pos(CHAT, "Message {", 0, 0),
    );
    insta::assert_snapshot!(h["contents"]["value"].as_str().unwrap(), @r"
    ```gslang
    struct Message
    ```
    *struct* in module `chat`

    ---

    One message in a room.
    ");
    c.shutdown();
}

fn labels(v: &Value) -> String {
    let mut labels: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    labels.sort();
    labels.join(" ")
}

#[test]
fn completion() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    // Typed so far: the text up to each `$`.
    let cases = [
        ("a field's type", "table T { X $ }"),
        ("a type of an imported module", "table T { X com.$ }"),
        ("an annotation table", "@$\ntable T {}"),
        (
            "an imported module's annotation tables",
            "@com.$\ntable T {}",
        ),
        (
            "an enum constant for an enum field",
            "@Describe(\"x\", $)\ntable T {}",
        ),
        ("an enum's constants", "@Usage(Target.$)\ntable T {}"),
        (
            "an imported enum's constants",
            "@com.Tag(\"x\", com.Rights.$)\ntable T {}",
        ),
        ("a named argument", "@com.Tag(Rights: $)\ntable T {}"),
        ("the first argument", "@com.Tag($)\ntable T {}"),
        (
            "after a named argument",
            "@com.Tag(Name: \"x\", $)\ntable T {}",
        ),
        ("a contract base", "contract C($) {}"),
        ("a param type", "contract C { M(x $) }"),
        ("the top level", "$"),
        ("a name being declared", "table $"),
    ];
    let mut text = String::new();
    for (i, (what, src)) in cases.iter().enumerate() {
        let at = src.find('$').unwrap();
        let body = format!(
            "import com \"common.gs\"\ntable Describe {{ Text string; Level Level; }}\nenum Level {{ Low, High }}\n{}",
            src.replace('$', "")
        );
        let line = 3 + src[..at].matches('\n').count();
        let col = at - src[..at].rfind('\n').map_or(0, |i| i + 1);
        let name = format!("c{i}.gs");
        c.open(&ws, &name, &body);
        let r = c.at(
            "textDocument/completion",
            &ws,
            &name,
            json!({ "line": line, "character": col }),
        );
        text.push_str(&format!("{what}: {}\n", labels(&r)));
    }
    insta::assert_snapshot!(text);
    c.shutdown();
}

#[test]
fn completion_of_import_paths() {
    let ws = Workspace::new(&[
        ("common.gs", COMMON),
        ("imp.gs", ""),
        ("proto/x.gs", ""),
        ("proto/notes.txt", ""),
        ("vendor/v.gs", ""),
    ]);
    let mut c = Client::start_with(
        &ws,
        json!({ "debounceMs": 10, "includeDirs": ["vendor"] }),
        json!({}),
    );
    c.open(&ws, "imp.gs", "import \"");
    let r = c.at(
        "textDocument/completion",
        &ws,
        "imp.gs",
        json!({ "line": 0, "character": 8 }),
    );
    assert_eq!(labels(&r), "common.gs proto/ v.gs vendor/");
    c.change(&ws, "imp.gs", 2, "import (\n    p \"proto/\"\n)");
    let r = c.at(
        "textDocument/completion",
        &ws,
        "imp.gs",
        json!({ "line": 1, "character": 13 }),
    );
    assert_eq!(labels(&r), "x.gs");
    // The edit replaces what follows the last `/`: nothing yet.
    assert_eq!(show_range(&r[0]["textEdit"]["range"]), "2:14-2:14");
    c.shutdown();
}

#[test]
fn document_symbols() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    c.open(&ws, "chat.gs", CHAT);
    let r = c.call(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": ws.uri("chat.gs") } }),
    );
    let mut text = String::new();
    for s in r.as_array().unwrap() {
        text.push_str(&format!(
            "{} {} {}\n",
            s["kind"],
            s["name"],
            show_range(&s["selectionRange"])
        ));
        for child in s["children"].as_array().unwrap() {
            text.push_str(&format!(
                "  {} {} {}\n",
                child["kind"],
                child["name"],
                show_range(&child["range"])
            ));
        }
    }
    insta::assert_snapshot!(text);
    c.shutdown();
}

/// Applies `TextEdit`s (UTF-16 positions) to a text.
fn apply(text: &str, edits: &Value) -> String {
    let mut out = text.to_string();
    let mut edits: Vec<&Value> = edits.as_array().unwrap().iter().collect();
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    let offset = |text: &str, p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let ch = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= ch {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    for e in edits {
        let s = offset(&out, &e["range"]["start"]);
        let t = offset(&out, &e["range"]["end"]);
        out.replace_range(s..t, e["newText"].as_str().unwrap());
    }
    out
}

#[test]
fn formatting() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    let messy =
        "// é😀 keep\nenum Color{Red,Green,Blue}\nstruct P{X float32;  // x\nYy float32; // y\n}\n";
    c.open(&ws, "f.gs", messy);
    let format = |c: &mut Client| {
        c.call(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": ws.uri("f.gs") }, "options": { "tabSize": 4, "insertSpaces": true } }),
        )
    };
    let edits = format(&mut c);
    assert_eq!(apply(messy, &edits), gslang_fmt::format_str(messy).unwrap());
    // The edit starts after the unchanged first line (with its non-ASCII text).
    assert_eq!(edits[0]["range"]["start"]["line"], 1, "{edits}");
    // A formatted file: no edits; a file with syntax errors: none either.
    c.change(&ws, "f.gs", 2, &gslang_fmt::format_str(messy).unwrap());
    assert_eq!(format(&mut c), json!([]));
    c.change(&ws, "f.gs", 3, "struct {");
    assert_eq!(format(&mut c), Value::Null);
    c.shutdown();
}

#[test]
fn positions_in_utf8_when_the_client_offers_it() {
    let ws = workspace();
    let mut c = Client::start_with(
        &ws,
        json!({ "debounceMs": 10 }),
        json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
    );
    c.open(
        &ws,
        "u.gs",
        "// é😀\nstruct S { X Nope; }\n// é😀 X Nope2\ntable T { é Nope3; }",
    );
    let d = c.diagnostics_for(&ws.uri("u.gs"));
    let ranges: Vec<String> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| show_range(&d["range"]))
        .collect();
    // `é` is 2 bytes: the column of `Nope3` counts bytes.
    assert!(ranges.iter().any(|r| r.starts_with("4:14")), "{ranges:?}");
    c.shutdown();
}

#[test]
fn an_unsaved_buffer_is_analyzed_under_its_own_uri() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    let uri = "untitled:Untitled-1";
    let text = "enum Color { Red }\nstruct P { C Color; D Nope; }\n";
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "gslang", "version": 1, "text": text } }),
    );
    let d = c.diagnostics_for(uri);
    assert!(
        show_diagnostics(&d).contains("cannot find type `Nope`"),
        "{d}"
    );
    let r = c.call(
        "textDocument/definition",
        json!({ "textDocument": { "uri": uri }, "position": pos(text, "Color;", 0, 1) }),
    );
    assert_eq!(r["uri"], uri);
    assert_eq!(show_range(&r["range"]), "1:6-1:11");
    c.shutdown();
}

#[test]
fn bad_requests_are_answered_and_the_server_goes_on() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    let r = c.request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(
        r.error.unwrap().code,
        lsp_server::ErrorCode::InvalidParams as i32
    );
    let r = c.request("gslang/unknown", json!({}));
    assert_eq!(
        r.error.unwrap().code,
        lsp_server::ErrorCode::MethodNotFound as i32
    );
    // A document never opened, and a position far outside one.
    let r = c.at(
        "textDocument/hover",
        &ws,
        "chat.gs",
        json!({ "line": 0, "character": 0 }),
    );
    assert_eq!(r, Value::Null);
    c.open(&ws, "chat.gs", CHAT);
    let r = c.at(
        "textDocument/definition",
        &ws,
        "chat.gs",
        json!({ "line": 9999, "character": 9999 }),
    );
    assert_eq!(r, Value::Null);
    // A change whose range is outside the buffer, and a malformed notification.
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": ws.uri("chat.gs"), "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 500, "character": 3 }, "end": { "line": 1, "character": 0 } }, "text": "x" }],
        }),
    );
    c.notify("textDocument/didOpen", json!({ "garbage": 1 }));
    let h = c.at(
        "textDocument/hover",
        &ws,
        "chat.gs",
        pos(CHAT, "Message {", 0, 0),
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("struct Message")
    );
    c.shutdown();
}

#[test]
fn every_request_at_every_position_of_strange_text() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    let texts = [
        "\u{feff}table T { X uint8; }\r\nenum E { A, B }\r\n",
        "import (\n    com \"common.gs\"\n    \"nope\n",
        "@@@ table { ]]] ((( \"unterminated\n/* unterminated",
        "contract C(C, com.Health, com.Nope, a.b.c) { M(x, y z) -> (; }",
        "@com.Tag(Name: com.Rights.Read | com.Rights.Nope, \"x\", Nope: 1)\nstruct Bad é { Fïeld 😀; }",
        "import com \"common.gs\"\n@Usage(Target.Table)\ntable A { B []com.Tag; }\nenum F(uint8) { X(-1), Y(0x) }",
        "",
        "\n\n\t\u{202e}\u{0}",
    ];
    for (i, text) in texts.iter().enumerate() {
        let name = format!("strange{i}.gs");
        c.open(&ws, &name, text);
        let lines: Vec<&str> = text.split('\n').collect();
        for (line, content) in lines.iter().enumerate() {
            for character in 0..=content.encode_utf16().count() + 1 {
                let at = json!({ "line": line, "character": character });
                for method in [
                    "textDocument/hover",
                    "textDocument/definition",
                    "textDocument/completion",
                ] {
                    c.at(method, &ws, &name, at.clone());
                }
                c.call(
                    "textDocument/references",
                    json!({
                        "textDocument": { "uri": ws.uri(&name) },
                        "position": at,
                        "context": { "includeDeclaration": true },
                    }),
                );
            }
        }
        for method in ["textDocument/documentSymbol", "textDocument/formatting"] {
            c.call(
                method,
                json!({ "textDocument": { "uri": ws.uri(&name) }, "options": { "tabSize": 4, "insertSpaces": true } }),
            );
        }
        c.diagnostics_for(&ws.uri(&name));
    }
    c.shutdown();
}

#[test]
fn incremental_changes_and_every_position_of_broken_text() {
    let ws = workspace();
    let mut c = Client::start(&ws);
    c.open(&ws, "chat.gs", "");
    // Type the file character by character (incremental changes, UTF-16
    // ranges), asking for everything at the cursor after each one.
    let text = CHAT.replace("unique within", "unique — 😀 within");
    let mut line = 0;
    let mut col = 0;
    for (v, ch) in text.chars().enumerate() {
        c.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": ws.uri("chat.gs"), "version": v + 2 },
                "contentChanges": [{
                    "range": { "start": { "line": line, "character": col }, "end": { "line": line, "character": col } },
                    "text": ch.to_string(),
                }],
            }),
        );
        if ch == '\n' {
            line += 1;
            col = 0;
        } else {
            col += ch.len_utf16();
        }
        if v % 7 == 0 {
            let at = json!({ "line": line, "character": col });
            for method in [
                "textDocument/hover",
                "textDocument/definition",
                "textDocument/completion",
            ] {
                c.at(method, &ws, "chat.gs", at.clone());
            }
        }
    }
    // The buffer is now the text: the last positions resolve.
    let h = c.at(
        "textDocument/hover",
        &ws,
        "chat.gs",
        pos(&text, "Send(", 0, 1),
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("method id: 2"),
        "{h}"
    );
    c.shutdown();
}
