//! `DIAGNOSTICS.md` lists every diagnostic code, generated from the
//! registry each phase declares its diagnostics in (`diagnostics!`): a code
//! added, removed or reworded in the code and not in the document fails
//! here. `GSLANG_BLESS=1 cargo test -p gsc-cli --test diagnostics_md`
//! rewrites the tables.

use std::path::Path;

use gslang_syntax::Phase;

/// Where the generated tables start; the text above is written by hand.
const MARKER: &str = "<!-- The tables below are generated from the diagnostics registry: \
                      GSLANG_BLESS=1 cargo test -p gsc-cli --test diagnostics_md -->\n";

fn registry() -> Vec<Phase> {
    let mut phases = Vec::new();
    phases.extend_from_slice(gslang_syntax::errors::PHASES);
    phases.extend_from_slice(gslang_sema::PHASES);
    phases.extend_from_slice(gs2rust::errors::PHASES);
    phases.extend_from_slice(gslang_compat::PHASES);
    phases.extend_from_slice(gslang_migrate::PHASES);
    phases
}

fn tables() -> String {
    let mut out = String::new();
    for phase in registry() {
        out.push_str(&format!(
            "\n## {} (`{}`)\n\n| code | meaning |\n| --- | --- |\n",
            phase.title, phase.location
        ));
        for code in phase.codes {
            out.push_str(&format!("| {} | {} |\n", code.id, code.summary));
        }
    }
    out
}

#[test]
fn diagnostics_md_lists_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../DIAGNOSTICS.md");
    let text = std::fs::read_to_string(&path).expect("DIAGNOSTICS.md");
    let (prose, generated) = text.split_once(MARKER).expect("the marker line");
    let expected = tables();
    if std::env::var_os("GSLANG_BLESS").is_some() {
        std::fs::write(&path, format!("{prose}{MARKER}{expected}")).expect("writable");
        return;
    }
    assert!(
        generated == expected,
        "DIAGNOSTICS.md is stale: run `GSLANG_BLESS=1 cargo test -p gsc-cli --test diagnostics_md`"
    );
}

#[test]
fn codes_are_unique_and_well_formed() {
    let mut seen = std::collections::BTreeSet::new();
    for phase in registry() {
        for code in phase.codes {
            let id = code.id.as_bytes();
            assert!(
                id.len() == 5
                    && matches!(id[0], b'E' | b'W' | b'N')
                    && id[1..].iter().all(u8::is_ascii_digit),
                "{}",
                code.id
            );
            assert!(seen.insert(&code.id[1..]), "{} is declared twice", code.id);
            assert!(!code.summary.is_empty(), "{} has no summary", code.id);
        }
    }
    assert!(seen.len() > 60, "only {} codes", seen.len());
}
