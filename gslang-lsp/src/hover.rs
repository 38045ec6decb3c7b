//! Hover: what a name is (its kind and declaration), its documentation, and
//! the facts of the checked model about it: a method's id in each contract
//! that serves it, a record's encoded sizes, an enum value's number.
//!
//! The declaration and documentation come from the syntax tree, so they are
//! shown while the schema has errors; the model's facts need a schema
//! without errors, and hover says so when it has some.

use std::fmt::Write as _;

use gslang_sema::ir::{ItemId, Model};
use gslang_syntax::ast::{self, DeclKind};
use gslang_syntax::{SourceFile, Span};

use crate::index::{Def, Key};
use crate::world::Snapshot;

/// The Markdown shown for the item `key`, declared at `def`.
pub fn hover(snap: &Snapshot, key: &Key, def: &Def) -> Option<String> {
    let module = &snap.analysis.modules[def.module];
    let file = snap.file(module.file)?;
    let model = snap.analysis.model.as_ref();
    let mut out = String::new();
    let Some(item) = def.item else {
        let _ = writeln!(out, "```gslang\nmodule {}\n```", module.name);
        match &module.path {
            Some(path) => {
                let _ = writeln!(out, "`{}`", path.display());
            }
            None => out.push_str("the built-in module\n"),
        }
        docs(&mut out, &module.ast.docs.0);
        return Some(out);
    };
    let ast::Item::Decl(d) = module.ast.items.get(item)? else {
        return None;
    };
    let in_module = format!("in module `{}`", module.name);
    match def.member {
        None => {
            let _ = writeln!(out, "```gslang\n{}\n```", header(file, d));
            let _ = writeln!(out, "*{}* {in_module}", kind(d));
            docs(&mut out, &d.docs.0);
            facts(&mut out, model, |m| decl_facts(m, d));
        }
        Some(member) => {
            let (sig, what, docs_of) = member_signature(file, d, member)?;
            let _ = writeln!(out, "```gslang\n{sig}\n```");
            let _ = writeln!(out, "*{what}* of `{}` {in_module}", d.name.name);
            docs(&mut out, docs_of);
            facts(&mut out, model, |m| member_facts(m, d, member));
        }
    }
    let _ = key;
    Some(out)
}

/// The hover of a built-in type's keyword at `offset`, if there is one.
pub fn builtin_type(
    file: &SourceFile,
    id: gslang_syntax::FileId,
    offset: u32,
) -> Option<(Span, String)> {
    let lexer = gslang_syntax::lexer::Lexer::new(id, &file.text);
    let (start, scalar, end) = lexer
        .flatten()
        .find_map(|(start, token, end)| match token {
            gslang_syntax::token::Token::Scalar(s)
                if start as u32 <= offset && offset <= end as u32 =>
            {
                Some((start, s, end))
            }
            _ if start as u32 > offset => Some((start, gslang_syntax::Scalar::Bool, usize::MAX)),
            _ => None,
        })?;
    if end == usize::MAX {
        return None;
    }
    let size = match scalar.fixed_len() {
        Some(n) => format!("encoded in {}", bytes(n)),
        None => format!("at least {} encoded", bytes(scalar.min_len())),
    };
    let text = format!(
        "```gslang\n{}\n```\n*built-in type*, {size}\n",
        scalar.keyword()
    );
    Some((Span::new(id, start, end), text))
}

fn docs(out: &mut String, lines: &[String]) {
    if !lines.is_empty() {
        out.push_str("\n---\n\n");
        for line in lines {
            out.push_str(line.trim_start_matches(' '));
            out.push('\n');
        }
    }
}

fn facts(out: &mut String, model: Option<&Model>, f: impl FnOnce(&Model) -> Vec<String>) {
    let lines = match model {
        Some(model) => f(model),
        None => return,
    };
    if !lines.is_empty() {
        out.push_str("\n---\n\n");
        for line in lines {
            let _ = writeln!(out, "{line}  ");
        }
    }
}

/// `table Name`, `enum Name(uint16)`, `contract Name(A, b.B)`: the declaration up to its `{`.
fn header(file: &SourceFile, d: &ast::Decl) -> String {
    let span = Span {
        start: d.keyword_span.start,
        ..d.span
    };
    let text = file.slice(span);
    let head = text.split('{').next().unwrap_or(text);
    let head = collapse(head);
    let flag = d
        .annotations
        .iter()
        .filter(|a| {
            matches!(
                a.path.to_string().as_str(),
                "Flag" | "Error" | "gslang.Flag" | "gslang.Error"
            )
        })
        .map(|a| format!("@{}\n", a.path))
        .collect::<String>();
    format!("{flag}{head}")
}

/// Whitespace runs (line breaks, comments' indentation) as one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn kind(d: &ast::Decl) -> &'static str {
    match &d.kind {
        DeclKind::Table(_) => "table",
        DeclKind::Struct(_) => "struct",
        DeclKind::Enum { .. } => "enum",
        DeclKind::Contract { .. } => "contract",
    }
}

/// The signature, the kind and the documentation of a member.
fn member_signature<'a>(
    file: &SourceFile,
    d: &'a ast::Decl,
    member: usize,
) -> Option<(String, &'static str, &'a [String])> {
    let owner = &d.name.name;
    Some(match &d.kind {
        DeclKind::Table(fields) | DeclKind::Struct(fields) => {
            let f = fields.get(member)?;
            (
                format!(
                    "{owner}.{} {}",
                    f.name.name,
                    collapse(file.slice(f.ty.span))
                ),
                "field",
                &f.docs.0,
            )
        }
        DeclKind::Enum { values, .. } => {
            let v = values.get(member)?;
            let number = enum_numbers(values).get(member).copied().flatten();
            let sig = match number {
                Some(n) => format!("{owner}.{} = {n}", v.name.name),
                None => format!("{owner}.{}", v.name.name),
            };
            (sig, "enum value", &v.docs.0)
        }
        DeclKind::Contract { methods, .. } => {
            let m = methods.get(member)?;
            let span = Span {
                start: m.name.span.start,
                ..m.span
            };
            let text = collapse(file.slice(span));
            let text = text.trim_end_matches(';').trim_end();
            (format!("{owner}.{text}"), "method", &m.docs.0)
        }
    })
}

/// The numbers of enum values as the language assigns them (spec §5), from
/// the syntax tree; `None` after a number that does not parse.
fn enum_numbers(values: &[ast::EnumValue]) -> Vec<Option<i128>> {
    let mut next = Some(0i128);
    values
        .iter()
        .map(|v| {
            let n = match &v.value {
                Some(lit) => lit.value(),
                None => next,
            };
            next = n.map(|n| n + 1);
            n
        })
        .collect()
}

fn bytes(n: u64) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{n} bytes")
    }
}

fn find_item(model: &Model, span: Span) -> Option<ItemId> {
    if let Some((id, _)) = model.records().iter().find(|(_, r)| r.span == span) {
        return Some(ItemId::Record(id));
    }
    if let Some((id, _)) = model.enums().iter().find(|(_, e)| e.span == span) {
        return Some(ItemId::Enum(id));
    }
    model
        .contracts()
        .iter()
        .find(|(_, c)| c.span == span)
        .map(|(id, _)| ItemId::Contract(id))
}

fn decl_facts(model: &Model, d: &ast::Decl) -> Vec<String> {
    let mut out = Vec::new();
    match find_item(model, d.name.span) {
        Some(ItemId::Record(id)) => {
            let layout = model.layout(id);
            out.push(format!("minimum encoded size: {}", bytes(layout.min_len)));
            if let Some(fixed) = layout.fixed_len {
                out.push(format!("every value encodes to {}", bytes(fixed)));
            }
            if layout.recursive {
                out.push("recursive: reaches itself through lists".into());
            }
        }
        Some(ItemId::Enum(id)) => {
            let e = model.enum_(id);
            let base = e.base.keyword();
            out.push(format!(
                "{} values, encoded as `{base}` ({})",
                e.values.len(),
                bytes(e.base.min_len())
            ));
        }
        Some(ItemId::Contract(id)) => {
            let n = model.methods(id).len();
            match n {
                0 => out.push("no methods".into()),
                1 => out.push("1 method, id 0".into()),
                n => out.push(format!(
                    "{n} methods with inherited ones, ids 0 to {}",
                    n - 1
                )),
            }
        }
        None => {}
    }
    out
}

fn member_facts(model: &Model, d: &ast::Decl, member: usize) -> Vec<String> {
    let mut out = Vec::new();
    match find_item(model, d.name.span) {
        Some(ItemId::Record(id)) => {
            if let Some(f) = model.record(id).fields.get(member) {
                out.push(format!(
                    "minimum encoded size: {}",
                    bytes(model.min_len(&f.ty))
                ));
            }
        }
        Some(ItemId::Enum(id)) => {
            if let Some(v) = model.enum_(id).values.get(member) {
                out.push(format!("value: {}", v.value));
            }
        }
        Some(ItemId::Contract(id)) => {
            let mut served = Vec::new();
            for (cid, c) in model.contracts().iter() {
                if let Some(m) = model
                    .methods(cid)
                    .into_iter()
                    .find(|m| m.contract == id && m.index == member)
                {
                    served.push((cid == id, c.name.clone(), m.id));
                }
            }
            // The declaring contract first, then the contracts inheriting the method.
            served.sort_by_key(|(own, name, _)| (!own, name.clone()));
            for (own, name, mid) in served {
                if own {
                    out.push(format!("method id: {mid}"));
                } else {
                    out.push(format!("method id in `{name}`: {mid}"));
                }
            }
            if model
                .contract(id)
                .methods
                .get(member)
                .is_some_and(|m| m.is_async)
            {
                out.push("`@Async`: no reply is sent".into());
            }
        }
        None => {}
    }
    out
}
