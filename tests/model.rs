//! Snapshots of the checked model for valid schemas: `valid/*.gs`, the
//! samples, and the runtime's own protocol schema.

use std::path::Path;

use gslang_tests::{check_file, dump_model, render_diagnostics};

fn model_snapshot(rel: &Path) -> String {
    let analysis = check_file(rel);
    let diagnostics = render_diagnostics(&analysis);
    assert!(
        !analysis.has_errors(),
        "{} has errors:\n{diagnostics}",
        rel.display()
    );
    let model = analysis.model.expect("a schema without errors has a model");
    let mut out = dump_model(&model);
    if !diagnostics.is_empty() {
        out.push_str("----- WARNINGS\n");
        out.push_str(&diagnostics);
    }
    out
}

#[test]
fn valid_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    insta::glob!("valid/*.gs", |path| {
        let rel = path.strip_prefix(root).expect("under the manifest dir");
        insta::assert_snapshot!(model_snapshot(rel));
    });
}

#[test]
fn samples() {
    insta::glob!("../samples", "*.gs", |path| {
        let name = path.file_name().expect("a file");
        insta::assert_snapshot!(model_snapshot(&Path::new("../samples").join(name)));
    });
}

#[test]
fn gscluster_protocol() {
    insta::assert_snapshot!(model_snapshot(Path::new("../gscluster/gscluster.gs")));
}
