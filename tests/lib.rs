//! Helpers shared by the test suites of the workspace: run the front end on a
//! file or a string and render what it says in a stable, compact form.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gslang_sema::ir::{self, Model, Type, Value};
use gslang_sema::{Analysis, Options};
use gslang_syntax::diag;

/// Checks `path` (relative to the `tests/` directory) with `tests/` itself as include dir.
pub fn check_file(path: &Path) -> Analysis {
    let options = Options {
        include_dirs: vec![PathBuf::from("ui/include")],
    };
    gslang_sema::analyze_files(&[path.to_path_buf()], &options)
}

/// Every diagnostic rendered as on a terminal, without colour.
pub fn render_diagnostics(analysis: &Analysis) -> String {
    let mut out = String::new();
    for d in &analysis.diagnostics {
        out.push_str(&diag::render(&analysis.sources, d));
    }
    for e in &analysis.root_errors {
        let _ = writeln!(out, "cannot read `{}`: {}", e.path.display(), e.error);
    }
    out
}

/// A compact, human-readable dump of the user modules of a model (the
/// built-in module is left out): one line per declaration and member.
pub fn dump_model(model: &Model) -> String {
    let mut out = String::new();
    for module in model.modules().values() {
        if module.is_builtin {
            continue;
        }
        let _ = writeln!(out, "module {} ({})", module.name, module.display_path);
        for import in &module.imports {
            let _ = writeln!(
                out,
                "  import {} = {}",
                import.name,
                model.module(import.module).name
            );
        }
        for line in &module.docs {
            let _ = writeln!(out, "  //! {line}");
        }
        for a in &module.annotations {
            let _ = writeln!(out, "  {}", annotation(model, a));
        }
        for item in &module.items {
            dump_item(model, *item, &mut out);
        }
    }
    out
}

fn docs(out: &mut String, indent: &str, docs: &[String]) {
    for line in docs {
        let _ = writeln!(out, "{indent}/// {line}");
    }
}

fn annotations(model: &Model, anns: &[ir::Annotation]) -> String {
    anns.iter()
        .map(|a| format!("{} ", annotation(model, a)))
        .collect()
}

fn dump_item(model: &Model, item: ir::ItemId, out: &mut String) {
    match item {
        ir::ItemId::Record(id) => {
            let r = model.record(id);
            docs(out, "  ", &r.docs);
            let kind = match r.kind {
                ir::RecordKind::Table => "table",
                ir::RecordKind::Struct => "struct",
            };
            let _ = writeln!(
                out,
                "  {}{kind} {}",
                annotations(model, &r.annotations),
                r.name
            );
            for f in &r.fields {
                docs(out, "    ", &f.docs);
                let _ = writeln!(
                    out,
                    "    {}{}: {}",
                    annotations(model, &f.annotations),
                    f.name,
                    type_name(model, &f.ty)
                );
            }
        }
        ir::ItemId::Enum(id) => {
            let e = model.enum_(id);
            docs(out, "  ", &e.docs);
            let mut flags = String::new();
            if e.is_flag {
                flags.push_str(" flag");
            }
            if e.is_error {
                flags.push_str(" error");
            }
            let _ = writeln!(
                out,
                "  {}enum {}({}){flags}",
                annotations(model, &e.annotations),
                e.name,
                e.base
            );
            for v in &e.values {
                docs(out, "    ", &v.docs);
                let _ = writeln!(
                    out,
                    "    {}{} = {}",
                    annotations(model, &v.annotations),
                    v.name,
                    v.value
                );
            }
        }
        ir::ItemId::Contract(id) => {
            let c = model.contract(id);
            docs(out, "  ", &c.docs);
            let bases: Vec<String> = c
                .bases
                .iter()
                .map(|b| model.full_name(ir::ItemId::Contract(*b)))
                .collect();
            let _ = writeln!(
                out,
                "  {}contract {}({})",
                annotations(model, &c.annotations),
                c.name,
                bases.join(", ")
            );
            for m in model.methods(id) {
                let method = model.method(m);
                let owner = model.contract(m.contract);
                let from = if m.contract == id {
                    String::new()
                } else {
                    format!(" (from {})", owner.name)
                };
                docs(out, "    ", &method.docs);
                let _ = writeln!(
                    out,
                    "    #{} {}{}({}) -> ({}){}{from}",
                    m.id,
                    annotations(model, &method.annotations),
                    method.name,
                    params(model, &method.params),
                    params(model, &method.returns),
                    if method.is_async { " async" } else { "" },
                );
                for p in method.params.iter().chain(&method.returns) {
                    let name = p.name.as_deref().unwrap_or("_");
                    for line in &p.docs {
                        let _ = writeln!(out, "      /// {name}: {line}");
                    }
                }
            }
        }
    }
}

fn params(model: &Model, params: &[ir::Param]) -> String {
    params
        .iter()
        .map(|p| {
            let anns = annotations(model, &p.annotations);
            match &p.name {
                Some(name) => format!("{anns}{name} {}", type_name(model, &p.ty)),
                None => format!("{anns}{}", type_name(model, &p.ty)),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A type written as in gslang, with module-qualified user types.
pub fn type_name(model: &Model, ty: &Type) -> String {
    model.display_type(ty).to_string()
}

fn annotation(model: &Model, a: &ir::Annotation) -> String {
    format!("@{}", record_value(model, &a.value))
}

fn record_value(model: &Model, v: &ir::RecordValue) -> String {
    let record = model.record(v.record);
    let fields: Vec<String> = v
        .fields
        .iter()
        .filter(|f| f.given)
        .map(|f| format!("{}: {}", f.name, value(model, &f.value)))
        .collect();
    if fields.is_empty() {
        record.name.to_string()
    } else {
        format!("{}({})", record.name, fields.join(", "))
    }
}

fn value(model: &Model, v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::String(s) => format!("{s:?}"),
        Value::Enum(e, n) => {
            let e = model.enum_(*e);
            if let Some(x) = e.values.iter().find(|x| x.value == *n) {
                return format!("{}.{}", e.name, x.name);
            }
            // A combination of flags: name the single bits.
            let names: Vec<String> = e
                .values
                .iter()
                .filter(|x| x.value != 0 && (x.value & (x.value - 1)) == 0 && n & x.value != 0)
                .map(|x| format!("{}.{}", e.name, x.name))
                .collect();
            names.join(" | ")
        }
        Value::Record(r) => record_value(model, r),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|v| value(model, v)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Array { len, element } => format!("[{len}]{{{}}}", value(model, element)),
    }
}
