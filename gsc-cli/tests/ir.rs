//! `gsc ir`: snapshots of the model JSON of samples, validation of every
//! schema's JSON against the committed `docs/ir.schema.json`, determinism.

mod support;

use std::path::PathBuf;

use support::{fresh_dir, root, run};

/// The JSON of `gsc ir ARGS`, which must succeed.
fn ir(args: &[&str]) -> String {
    let mut all = vec!["ir"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(&all);
    assert_eq!(code, 0, "gsc {}: {stderr}", all.join(" "));
    stdout
}

#[test]
fn snapshots() {
    for (name, file) in [
        ("chat", "samples/chat.gs"),
        ("game", "samples/game.gs"),
        ("annotations", "tests/valid/annotations.gs"),
        ("inheritance", "tests/valid/inheritance.gs"),
        ("same_stem", "tests/valid/same-stem.gs"),
    ] {
        insta::assert_snapshot!(name, ir(&[file]));
    }
}

/// Every schema of the repository that checks, as JSON, against the schema.
#[test]
fn every_schema_validates_against_the_json_schema() {
    let root = root();
    let mut schemas = Vec::new();
    for dir in [
        "samples",
        "samples/echo",
        "tests/valid",
        "tests/codegen",
        "tests/cli",
    ] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("a schema directory")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "gs"))
            .collect();
        entries.sort();
        schemas.extend(entries);
    }
    schemas.push(root.join("gscluster/gscluster.gs"));
    let out = fresh_dir("ir_validate");
    let mut written = Vec::new();
    for (i, schema) in schemas.iter().enumerate() {
        let json = out.join(format!("{i}.json"));
        let (code, _, _) = run(&[
            "ir",
            "-I",
            "tests/cli",
            schema.to_str().expect("a UTF-8 path"),
            "-o",
            json.to_str().expect("a UTF-8 path"),
        ]);
        // The CLI cases include schemas with errors on purpose.
        if code == 0 {
            written.push(json);
        }
    }
    assert!(written.len() > 25, "only {} schemas checked", written.len());
    support::validate("Model", &written);
}

#[test]
fn output_is_deterministic_and_compact_is_the_same_json() {
    let args = ["samples/chat.gs", "samples/game.gs"];
    let first = ir(&args);
    for _ in 0..3 {
        assert_eq!(ir(&args), first);
    }
    let compact = ir(&["--compact", args[0], args[1]]);
    assert_eq!(compact.lines().count(), 1);
    let a: serde_json::Value = serde_json::from_str(&first).expect("JSON");
    let b: serde_json::Value = serde_json::from_str(&compact).expect("JSON");
    assert_eq!(a, b);
    assert_eq!(a["version"], 1);
}

#[test]
fn references_are_indices_and_methods_are_flattened() {
    let json: serde_json::Value =
        serde_json::from_str(&ir(&["tests/valid/same-stem.gs"])).expect("JSON");
    // Two modules named `common`: their `Point`s share a full name, and are
    // told apart by index.
    let both = json["records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|r| r["full_name"] == "same-stem.Both")
        .expect("Both");
    let a = &both["fields"][0]["type"];
    let b = &both["fields"][1]["type"];
    assert_eq!(a["full_name"], b["full_name"]);
    assert_ne!(a["index"], b["index"]);
    let b_point = &json["records"][b["index"].as_u64().expect("an index") as usize];
    assert_eq!(b_point["fields"].as_array().expect("fields").len(), 3);

    let json: serde_json::Value = serde_json::from_str(&ir(&["samples/chat.gs"])).expect("JSON");
    let chat = &json["contracts"]
        .as_array()
        .expect("contracts")
        .iter()
        .find(|c| c["full_name"] == "chat.Chat")
        .expect("chat.Chat")
        .clone();
    let methods = chat["methods"].as_array().expect("methods");
    for (i, m) in methods.iter().enumerate() {
        assert_eq!(m["id"], i);
    }
    // The inherited method comes first, from its base.
    assert_eq!(methods[0]["declared_in"]["full_name"], "common.Health");
    assert_eq!(chat["annotations"][0]["type"], "gslang.Profile");
    let leave = methods
        .iter()
        .find(|m| m["name"] == "Leave")
        .expect("Leave");
    assert_eq!(leave["async"], true);
    let domain = json["enums"]
        .as_array()
        .expect("enums")
        .iter()
        .find(|e| e["full_name"] == "chat.ChatError")
        .expect("ChatError")["error_domain"]
        .clone();
    // The first bytes gs2rust writes in the `DOMAIN` of `ChatError`.
    assert!(
        domain.as_str().is_some_and(|d| d.starts_with("f61e898f")),
        "{domain}"
    );
}

#[test]
fn help() {
    let (code, stdout, stderr) = run(&["ir", "--help"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("ir_help", stdout);
}

#[test]
fn errors_print_no_model() {
    let (code, stdout, stderr) = run(&["ir", "tests/cli/errors.gs"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(stderr.contains("error["), "{stderr}");
}

#[test]
fn long_inheritance_chains_are_refused() {
    // 1,500 contracts, each inheriting from the one before: 1,125,750 methods
    // in all the flattened lists, over the bound.
    let dir = support::fresh_dir("ir_chain");
    let mut text = String::from("contract C0 { M0(); }\n");
    for i in 1..1500 {
        text.push_str(&format!("contract C{i}(C{}) {{ M{i}(); }}\n", i - 1));
    }
    let path = dir.join("chain.gs");
    std::fs::write(&path, text).expect("writable");
    let (code, stdout, stderr) = run(&["ir", path.to_str().expect("a UTF-8 path")]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("the model is too large to write as JSON"),
        "{stderr}"
    );
}

#[test]
fn json_diagnostics_need_an_output_file() {
    let (code, stdout, stderr) = run(&["ir", "--message-format", "json", "samples/chat.gs"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("-o FILE"), "{stderr}");
}
