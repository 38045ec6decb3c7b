//! Completion: what may be written at the cursor, found from the tokens
//! before it (the syntax tree of a half-typed line is not to be trusted)
//! and the names of the file's analysis.
//!
//! Contexts, from the innermost unclosed bracket before the cursor:
//! - after `@` (and `module.`): annotation tables;
//! - inside an annotation's arguments: the table's field names (`Field:`)
//!   and the values the field at the cursor takes (`Enum.Value` constants,
//!   `true`/`false`, table values); after `Enum.`: its values;
//! - a field, param or return type, or after `[]`/`[N]`: types in scope and
//!   module names, or after `module.`: that module's types;
//! - a contract's bases: contracts; an enum's base: the integer types;
//! - at the top level: the keywords that start items;
//! - in an import's path: the `.gs` files and directories next to the file
//!   and in the include directories.

use std::path::{Path, PathBuf};

use gslang_sema::ir::ModuleId;
use gslang_syntax::ast::{self, DeclKind};
use gslang_syntax::lexer::Lexer;
use gslang_syntax::token::Token;
use gslang_syntax::{FileId, Scalar};
use lsp_types::{CompletionItem, CompletionItemKind};

use crate::index::{Scope, builtin};
use crate::world::Snapshot;

/// What the cursor is at.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    /// The start of an item at the top level.
    TopLevel,
    /// A type.
    Type,
    /// An annotation's table, after `@`.
    Annotation,
    /// A contract's base.
    Base,
    /// An enum's base type.
    EnumBase,
    /// An annotation argument of the table `table` (a path), at argument
    /// `position`, or at the named argument `named`; `fresh` when nothing
    /// of the argument is written yet and it may be a named one (it is the
    /// first, or the first was named: the two forms don't mix).
    Arg {
        table: Vec<String>,
        position: usize,
        named: Option<String>,
        fresh: bool,
    },
    /// The path of an import, with what is typed of it so far.
    ImportPath(String),
    /// Nothing to offer (a name being declared).
    None,
}

/// The tokens of `text` before `offset`, without the identifier being typed,
/// and that identifier's segments before it (`a.b.` of `a.b.pre`).
fn analyze_context(text: &str, offset: usize) -> (Context, Vec<String>) {
    let mut lexer = Lexer::new(FileId(0), text);
    let mut tokens: Vec<(usize, Token<'_>, usize)> = Vec::new();
    for (start, token, end) in lexer.by_ref().flatten() {
        if let Token::Str(literal) = token {
            let closed = literal.len() >= 2 && literal.ends_with(&literal[..1]);
            if start < offset && (end > offset || (end == offset && !closed)) {
                let typed = text.get(start + 1..offset).unwrap_or("").to_string();
                return (import_path(&tokens, typed), Vec::new());
            }
        }
        if end > offset {
            // A token the cursor is inside of: the prefix being typed, if a name.
            if start < offset && !matches!(token, Token::Ident(_) | Token::Scalar(_)) {
                return (Context::None, Vec::new());
            }
            break;
        }
        tokens.push((start, token, end));
    }
    // Inside a comment or a string there is nothing to complete.
    if lexer
        .comments
        .iter()
        .any(|c| (c.span.start as usize) < offset && offset <= c.span.end as usize)
    {
        return (Context::None, Vec::new());
    }
    // The identifier being typed, ending at the cursor.
    if let Some((_, Token::Ident(_) | Token::Scalar(_), end)) = tokens.last() {
        if *end == offset {
            tokens.pop();
        }
    }
    let mut qualifier = Vec::new();
    while let [.., (_, Token::Ident(name), _), (_, Token::Dot, _)] = tokens.as_slice() {
        qualifier.insert(0, (*name).to_string());
        tokens.truncate(tokens.len() - 2);
    }
    if let Some((_, Token::At, _)) = tokens.last() {
        return (Context::Annotation, qualifier);
    }
    (classify(&tokens), qualifier)
}

/// In a string literal after `tokens`: an import's path, or nothing.
fn import_path(tokens: &[(usize, Token<'_>, usize)], typed: String) -> Context {
    let mut end = tokens.len();
    if let Some((_, Token::Ident(_), _)) = tokens.last() {
        end -= 1;
    }
    let after_import = matches!(end.checked_sub(1).map(|i| tokens[i].1), Some(Token::Import));
    let in_group = innermost_open(tokens, end).is_some_and(|open| {
        tokens[open].1 == Token::LParen && open >= 1 && tokens[open - 1].1 == Token::Import
    });
    if after_import || in_group {
        Context::ImportPath(typed)
    } else {
        Context::None
    }
}

/// The context of a position after `tokens`.
fn classify(tokens: &[(usize, Token<'_>, usize)]) -> Context {
    let Some(open) = innermost_open(tokens, tokens.len()) else {
        return match tokens.last() {
            None | Some((_, Token::Semi | Token::RBrace | Token::RParen, _)) => Context::TopLevel,
            Some((_, Token::Ident(_), _)) if is_annotation_end(tokens, tokens.len()) => {
                Context::TopLevel
            }
            _ => Context::None,
        };
    };
    match tokens[open].1 {
        Token::LParen => paren(tokens, open),
        Token::LBrace => {
            let body = &tokens[open + 1..];
            let statement_start = body
                .iter()
                .rposition(|(_, t, _)| matches!(t, Token::Semi))
                .map_or(0, |i| i + 1);
            let statement = strip_annotations(&body[statement_start..]);
            match decl_keyword(&tokens[..open]) {
                Some(Token::Table | Token::Struct) => match statement.as_slice() {
                    [Token::Ident(_), rest @ ..] if rest.iter().all(is_dim_token) => Context::Type,
                    _ => Context::None,
                },
                Some(Token::Contract) => {
                    if statement.last() == Some(&Token::Arrow) {
                        Context::Type
                    } else {
                        Context::None
                    }
                }
                _ => Context::None,
            }
        }
        Token::LBracket => Context::None,
        _ => Context::None,
    }
}

fn is_dim_token(t: &Token<'_>) -> bool {
    matches!(t, Token::LBracket | Token::RBracket | Token::Int(_))
}

/// Whether the tokens before `end` end with a complete annotation `@path` or `@path(...)`.
fn is_annotation_end(tokens: &[(usize, Token<'_>, usize)], end: usize) -> bool {
    let mut i = end;
    while i >= 2 && matches!(tokens[i - 1].1, Token::Ident(_)) && tokens[i - 2].1 == Token::Dot {
        i -= 2;
    }
    i >= 2 && matches!(tokens[i - 1].1, Token::Ident(_)) && tokens[i - 2].1 == Token::At
}

/// The tokens of a statement with its leading annotations left out.
fn strip_annotations<'a>(tokens: &[(usize, Token<'a>, usize)]) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].1 == Token::At {
            i += 1;
            while i < tokens.len() && matches!(tokens[i].1, Token::Ident(_) | Token::Dot) {
                i += 1;
            }
            if i < tokens.len() && tokens[i].1 == Token::LParen {
                let mut depth = 0;
                while i < tokens.len() {
                    match tokens[i].1 {
                        Token::LParen => depth += 1,
                        Token::RParen => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(tokens[i].1);
        i += 1;
    }
    out
}

/// The index of the innermost bracket open before `end`.
fn innermost_open(tokens: &[(usize, Token<'_>, usize)], end: usize) -> Option<usize> {
    let mut depth = 0usize;
    for i in (0..end).rev() {
        match tokens[i].1 {
            Token::RParen | Token::RBrace | Token::RBracket => depth += 1,
            Token::LParen | Token::LBrace | Token::LBracket => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// The keyword of the declaration whose body starts after `tokens`.
fn decl_keyword<'a>(tokens: &[(usize, Token<'a>, usize)]) -> Option<Token<'a>> {
    tokens
        .iter()
        .rev()
        .find(|(_, t, _)| {
            matches!(
                t,
                Token::Table
                    | Token::Struct
                    | Token::Enum
                    | Token::Contract
                    | Token::Semi
                    | Token::RBrace
            )
        })
        .map(|(_, t, _)| *t)
}

/// The path that ends just before index `end`: `a.b.C`.
fn path_before(tokens: &[(usize, Token<'_>, usize)], end: usize) -> Option<(usize, Vec<String>)> {
    let mut i = end;
    let mut path = Vec::new();
    while let Some((_, Token::Ident(name), _)) = i.checked_sub(1).map(|j| &tokens[j]) {
        path.insert(0, (*name).to_string());
        i -= 1;
        if i >= 1 && tokens[i - 1].1 == Token::Dot {
            i -= 1;
        } else {
            break;
        }
    }
    (!path.is_empty()).then_some((i, path))
}

/// Whether the `(` at `open` holds annotation arguments: its path follows
/// `@`, or it is a table value inside annotation arguments.
fn in_annotation(tokens: &[(usize, Token<'_>, usize)], open: usize) -> bool {
    let mut open = open;
    loop {
        let Some((start, _)) = path_before(tokens, open) else {
            return false;
        };
        if start >= 1 && tokens[start - 1].1 == Token::At {
            return true;
        }
        match innermost_open(tokens, start) {
            Some(outer) if tokens[outer].1 == Token::LParen => open = outer,
            _ => return false,
        }
    }
}

fn paren(tokens: &[(usize, Token<'_>, usize)], open: usize) -> Context {
    if in_annotation(tokens, open) {
        let table = path_before(tokens, open)
            .map(|(_, p)| p)
            .unwrap_or_default();
        // The arguments before the cursor at this level.
        let mut position = 0;
        let mut depth = 0usize;
        let mut arg_start = open + 1;
        for (i, (_, t, _)) in tokens.iter().enumerate().skip(open + 1) {
            match t {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                Token::Comma if depth == 0 => {
                    position += 1;
                    arg_start = i + 1;
                }
                _ => {}
            }
        }
        let arg = &tokens[arg_start..];
        let first_named = matches!(
            tokens.get(open + 1..open + 3),
            Some([(_, Token::Ident(_), _), (_, Token::Colon, _)])
        );
        let (named, fresh) = match arg {
            [(_, Token::Ident(name), _), (_, Token::Colon, _), ..] => {
                (Some((*name).to_string()), false)
            }
            [] => (None, position == 0 || first_named),
            _ => (None, false),
        };
        // After named arguments no positional one may follow: no field's values.
        let position = if first_named && named.is_none() {
            usize::MAX
        } else {
            position
        };
        return Context::Arg {
            table,
            position,
            named,
            fresh,
        };
    }
    let before = &tokens[..open];
    match before {
        [.., (_, Token::Contract, _), (_, Token::Ident(_), _)] => Context::Base,
        [.., (_, Token::Enum, _), (_, Token::Ident(_), _)] => Context::EnumBase,
        // A method's params or returns.
        [.., (_, Token::Ident(_) | Token::Arrow, _)] => {
            match decl_keyword(&tokens[..innermost_open(tokens, open).unwrap_or(0)]) {
                Some(Token::Contract) => param_type(&tokens[open + 1..]),
                _ => Context::None,
            }
        }
        _ => Context::None,
    }
}

/// In a param list: a type, unless a param's name was just written without one.
fn param_type(params: &[(usize, Token<'_>, usize)]) -> Context {
    let start = params
        .iter()
        .rposition(|(_, t, _)| *t == Token::Comma)
        .map_or(0, |i| i + 1);
    let current = strip_annotations(&params[start..]);
    match current.as_slice() {
        [] => Context::Type,
        [Token::Ident(_), rest @ ..] if rest.iter().all(is_dim_token) => Context::Type,
        rest if rest.iter().all(is_dim_token) => Context::Type,
        _ => Context::None,
    }
}

const TOP_KEYWORDS: [&str; 5] = ["import", "table", "struct", "enum", "contract"];

fn item(
    label: impl Into<String>,
    kind: CompletionItemKind,
    detail: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label: label.into(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

fn decl_kind(d: &ast::Decl) -> CompletionItemKind {
    match d.kind {
        DeclKind::Table(_) | DeclKind::Struct(_) => CompletionItemKind::STRUCT,
        DeclKind::Enum { .. } => CompletionItemKind::ENUM,
        DeclKind::Contract { .. } => CompletionItemKind::INTERFACE,
    }
}

/// What each kind of context accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Type,
    Table,
    Contract,
}

fn accepts(want: Want, d: &ast::Decl) -> bool {
    matches!(
        (want, &d.kind),
        (
            Want::Type,
            DeclKind::Table(_) | DeclKind::Struct(_) | DeclKind::Enum { .. }
        ) | (Want::Table, DeclKind::Table(_))
            | (Want::Contract, DeclKind::Contract { .. })
    )
}

/// The completions at byte `offset` of `module`'s file, whose text is `text`.
/// Completions, and where the text they replace starts (for import paths,
/// the last segment of the path; else the word at the cursor).
#[derive(Debug, Default)]
pub struct Completions {
    /// The items.
    pub items: Vec<CompletionItem>,
    /// The byte offset the items replace the text from, up to the cursor.
    pub replace_from: Option<usize>,
}

/// The completions at byte `offset` of `module`'s file, whose text is
/// `text`; imports are looked up in the file's directory, then `include_dirs`.
pub fn complete(
    snap: &Snapshot,
    module: ModuleId,
    text: &str,
    offset: usize,
    include_dirs: &[PathBuf],
) -> Completions {
    let (context, qualifier) = analyze_context(text, offset);
    if let Context::ImportPath(typed) = &context {
        let dir = snap.analysis.modules[module]
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let own = snap.analysis.modules[module].path.clone();
        let items = import_paths(dir.iter().chain(include_dirs), typed, own.as_deref());
        let last = typed.rfind('/').map_or(0, |i| i + 1);
        return Completions {
            items,
            replace_from: Some(offset - typed.len() + last),
        };
    }
    Completions {
        items: complete_names(snap, module, context, qualifier),
        replace_from: None,
    }
}

/// The `.gs` files and directories under each base directory, in the
/// directory `typed` names so far.
fn import_paths<'a>(
    bases: impl Iterator<Item = &'a PathBuf>,
    typed: &str,
    own: Option<&Path>,
) -> Vec<CompletionItem> {
    let sub = &typed[..typed.rfind('/').map_or(0, |i| i + 1)];
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for base in bases {
        let Ok(entries) = std::fs::read_dir(base.join(sub)) else {
            continue;
        };
        for entry in entries.flatten().take(1000) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name.starts_with('.') || own.is_some_and(|own| crate::world::canonical(&path) == own)
            {
                continue;
            }
            let Ok(ty) = entry.file_type() else { continue };
            let (label, kind) = if ty.is_dir() {
                (format!("{name}/"), CompletionItemKind::FOLDER)
            } else if path.extension().is_some_and(|e| e == "gs") {
                (name, CompletionItemKind::FILE)
            } else {
                continue;
            };
            if seen.insert(label.clone()) {
                out.push(item(label, kind, Some(base.display().to_string())));
            }
        }
    }
    out
}

fn complete_names(
    snap: &Snapshot,
    module: ModuleId,
    context: Context,
    qualifier: Vec<String>,
) -> Vec<CompletionItem> {
    let scope = Scope {
        analysis: &snap.analysis,
        index: &snap.index,
        module,
    };
    let mut out = Vec::new();
    match context {
        Context::TopLevel if qualifier.is_empty() => {
            for kw in TOP_KEYWORDS {
                out.push(item(kw, CompletionItemKind::KEYWORD, None));
            }
        }
        Context::Type => {
            if qualifier.is_empty() {
                for s in Scalar::ALL {
                    out.push(item(
                        s.keyword(),
                        CompletionItemKind::KEYWORD,
                        Some("built-in type".into()),
                    ));
                }
            }
            names(&scope, &qualifier, Want::Type, &mut out);
        }
        Context::Annotation => names(&scope, &qualifier, Want::Table, &mut out),
        Context::Base => names(&scope, &qualifier, Want::Contract, &mut out),
        Context::EnumBase if qualifier.is_empty() => {
            for s in Scalar::ALL.iter().filter(|s| s.is_enum_base()) {
                out.push(item(s.keyword(), CompletionItemKind::KEYWORD, None));
            }
        }
        Context::Arg {
            table,
            position,
            named,
            fresh,
        } => args(&scope, &table, position, named, fresh, &qualifier, &mut out),
        _ => {}
    }
    out
}

/// The declarations `want` accepts as written after `qualifier`, with the
/// module names when nothing is qualified.
fn names(scope: &Scope<'_>, qualifier: &[String], want: Want, out: &mut Vec<CompletionItem>) {
    let analysis = scope.analysis;
    let add_decls = |m: ModuleId, shadowing: &[&str], out: &mut Vec<CompletionItem>| {
        for item_ in &analysis.modules[m].ast.items {
            if let ast::Item::Decl(d) = item_ {
                if accepts(want, d) && !shadowing.contains(&d.name.name.as_str()) {
                    let detail = format!("{} in `{}`", d.kind.keyword(), analysis.modules[m].name);
                    out.push(item(d.name.name.as_str(), decl_kind(d), Some(detail)));
                }
            }
        }
    };
    match qualifier {
        [] => {
            add_decls(scope.module, &[], out);
            let own: Vec<&str> = scope.index.scopes[scope.module.index()]
                .keys()
                .map(|k| k.as_str())
                .collect();
            if let Some(b) = builtin(analysis) {
                if b != scope.module {
                    add_decls(b, &own, out);
                }
            }
            for import in &analysis.modules[scope.module].imports {
                out.push(item(
                    import.name.as_str(),
                    CompletionItemKind::MODULE,
                    Some(format!("module `{}`", analysis.modules[import.module].name)),
                ));
            }
            out.push(item(
                gslang_sema::load::BUILTIN_NAME,
                CompletionItemKind::MODULE,
                Some("the built-in module".into()),
            ));
        }
        [q] => {
            if let Some(m) = scope.module_named(q) {
                add_decls(m, &[], out);
            }
        }
        _ => {}
    }
}

/// Completions inside annotation arguments.
fn args(
    scope: &Scope<'_>,
    table: &[String],
    position: usize,
    named: Option<String>,
    fresh: bool,
    qualifier: &[String],
    out: &mut Vec<CompletionItem>,
) {
    let segments: Vec<gslang_syntax::Ident> = table
        .iter()
        .map(|s| gslang_syntax::Ident::new(s.as_str(), gslang_syntax::Span::new(FileId(0), 0, 0)))
        .collect();
    // `Enum.` or `module.Enum.`: the values of that enum, whatever the field.
    if !qualifier.is_empty() {
        let path: Vec<gslang_syntax::Ident> = qualifier
            .iter()
            .map(|s| {
                gslang_syntax::Ident::new(s.as_str(), gslang_syntax::Span::new(FileId(0), 0, 0))
            })
            .collect();
        if let Some((_, d)) = scope.path(&path, &mut Vec::new()) {
            if let DeclKind::Enum { values, .. } = &d.kind {
                for v in values {
                    out.push(item(
                        v.name.name.as_str(),
                        CompletionItemKind::ENUM_MEMBER,
                        Some(d.name.name.to_string()),
                    ));
                }
                return;
            }
        }
        // `module.`: its enums and tables.
        if let [q] = qualifier {
            if let Some(m) = scope.module_named(q) {
                for item_ in &scope.analysis.modules[m].ast.items {
                    if let ast::Item::Decl(d) = item_ {
                        if matches!(d.kind, DeclKind::Enum { .. } | DeclKind::Table(_)) {
                            out.push(item(d.name.name.as_str(), decl_kind(d), None));
                        }
                    }
                }
            }
        }
        return;
    }
    let Some((_, table)) = scope.path(&segments, &mut Vec::new()) else {
        return;
    };
    let DeclKind::Table(fields) = &table.kind else {
        return;
    };
    if fresh {
        for f in fields {
            let mut it = item(
                format!("{}:", f.name.name),
                CompletionItemKind::FIELD,
                Some(f.ty.base_name()),
            );
            it.insert_text = Some(format!("{}: ", f.name.name));
            out.push(it);
        }
    }
    let field = match &named {
        Some(name) => fields.iter().find(|f| f.name.name == name.as_str()),
        None => fields.get(position),
    };
    let Some(field) = field else { return };
    if !field.ty.dims.is_empty() {
        return;
    }
    match &field.ty.base {
        ast::TypeBase::Scalar(Scalar::Bool, _) => {
            out.push(item("true", CompletionItemKind::KEYWORD, None));
            out.push(item("false", CompletionItemKind::KEYWORD, None));
        }
        ast::TypeBase::Path(path) => {
            // The field's type is named as seen from the table's module.
            let Some((tm, _)) = scope.path(&segments, &mut Vec::new()) else {
                return;
            };
            let table_scope = Scope {
                module: tm,
                ..*scope
            };
            let Some((em, d)) = table_scope.path(&path.segments, &mut Vec::new()) else {
                return;
            };
            let prefix = qualify(scope, em, &d.name.name);
            match &d.kind {
                DeclKind::Enum { values, .. } => {
                    for v in values {
                        out.push(item(
                            format!("{prefix}.{}", v.name.name),
                            CompletionItemKind::ENUM_MEMBER,
                            Some(format!("{} value", d.name.name)),
                        ));
                    }
                }
                DeclKind::Table(_) => {
                    out.push(item(
                        format!("{prefix}()"),
                        CompletionItemKind::STRUCT,
                        Some("table value".into()),
                    ));
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// How the declaration `name` of module `m` is written from the scope's module.
fn qualify(scope: &Scope<'_>, m: ModuleId, name: &str) -> String {
    if m == scope.module {
        return name.to_string();
    }
    if Some(m) == builtin(scope.analysis) {
        // Unqualified, unless the module declares the same name.
        return if scope.decl_in(scope.module, name).is_some() {
            format!("gslang.{name}")
        } else {
            name.to_string()
        };
    }
    match scope.analysis.modules[scope.module]
        .imports
        .iter()
        .find(|i| i.module == m)
    {
        Some(import) => format!("{}.{name}", import.name),
        None => name.to_string(),
    }
}

trait BaseName {
    fn base_name(&self) -> String;
}

impl BaseName for ast::TypeExpr {
    fn base_name(&self) -> String {
        let dims: String = self
            .dims
            .iter()
            .map(|d| match d {
                ast::Dim::List(_) => "[]".to_string(),
                ast::Dim::Array(n, _) => format!("[{}]", n.digits),
            })
            .collect();
        let base = match &self.base {
            ast::TypeBase::Scalar(s, _) => s.keyword().to_string(),
            ast::TypeBase::Path(p) => p.to_string(),
        };
        format!("{dims}{base}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text_with_cursor: &str) -> (Context, Vec<String>) {
        let offset = text_with_cursor.find('$').unwrap();
        let text = text_with_cursor.replace('$', "");
        analyze_context(&text, offset)
    }

    #[test]
    fn contexts() {
        assert_eq!(ctx("$").0, Context::TopLevel);
        assert_eq!(ctx("table T { X $ }").0, Context::Type);
        assert_eq!(ctx("table T { X []$ }").0, Context::Type);
        assert_eq!(ctx("table T { X Co$ }").0, Context::Type);
        assert_eq!(
            ctx("table T { X com.Co$ }"),
            (Context::Type, vec!["com".into()])
        );
        assert_eq!(ctx("table T { @$ }").0, Context::Annotation);
        assert_eq!(ctx("@Dep$").0, Context::Annotation);
        assert_eq!(ctx("table T { $ }").0, Context::None);
        assert_eq!(ctx("contract C(A, $) {}").0, Context::Base);
        assert_eq!(ctx("enum E($) {}").0, Context::EnumBase);
        assert_eq!(ctx("contract C { M(x $) }").0, Context::Type);
        assert_eq!(ctx("contract C { M($) }").0, Context::Type);
        assert_eq!(ctx("contract C { M() -> $ }").0, Context::Type);
        assert_eq!(ctx("contract C { M() -> (a $) }").0, Context::Type);
        assert_eq!(
            ctx("@Usage(Target.Table | $)").0,
            Context::Arg {
                table: vec!["Usage".into()],
                position: 0,
                named: None,
                fresh: false
            }
        );
        assert_eq!(
            ctx("@a.T(1, Name: $").0,
            Context::Arg {
                table: vec!["a".into(), "T".into()],
                position: 1,
                named: Some("Name".into()),
                fresh: false
            }
        );
        assert_eq!(
            ctx("@Usage(Target.$)"),
            (
                Context::Arg {
                    table: vec!["Usage".into()],
                    position: 0,
                    named: None,
                    fresh: true
                },
                vec!["Target".into()]
            )
        );
        assert_eq!(ctx("// table T { X $").0, Context::None);
        assert_eq!(
            ctx("import \"sub/co$").0,
            Context::ImportPath("sub/co".into())
        );
        assert_eq!(
            ctx("import (\n a \"x$\"\n)").0,
            Context::ImportPath("x".into())
        );
        assert_eq!(ctx("@Deprecated(\"sub/co$").0, Context::None);
        assert_eq!(ctx("@Deprecated(\"a $\")").0, Context::None);
    }
}
