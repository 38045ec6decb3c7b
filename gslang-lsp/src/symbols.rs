//! Document symbols (the outline) and formatting, both per document.

use gslang_syntax::SourceFile;
use gslang_syntax::ast::{self, DeclKind};
use lsp_types::{DocumentSymbol, Position, Range, SymbolKind, TextEdit};

use crate::convert::{self, Encoding};

/// The outline of a file: its declarations with their fields, values and methods.
pub fn document_symbols(file: &SourceFile, ast: &ast::File, enc: Encoding) -> Vec<DocumentSymbol> {
    let range = |span| convert::range(file, span, enc);
    let mut out = Vec::new();
    for item in &ast.items {
        let ast::Item::Decl(d) = item else { continue };
        let (kind, children) = match &d.kind {
            DeclKind::Table(fields) | DeclKind::Struct(fields) => (
                SymbolKind::STRUCT,
                fields
                    .iter()
                    .map(|f| {
                        symbol(
                            &f.name,
                            SymbolKind::FIELD,
                            Some(file.slice(f.ty.span)),
                            range(f.span),
                            range(f.name.span),
                            None,
                        )
                    })
                    .collect(),
            ),
            DeclKind::Enum { values, .. } => (
                SymbolKind::ENUM,
                values
                    .iter()
                    .map(|v| {
                        symbol(
                            &v.name,
                            SymbolKind::ENUM_MEMBER,
                            None,
                            range(v.span),
                            range(v.name.span),
                            None,
                        )
                    })
                    .collect(),
            ),
            DeclKind::Contract { methods, .. } => (
                SymbolKind::INTERFACE,
                methods
                    .iter()
                    .map(|m| {
                        symbol(
                            &m.name,
                            SymbolKind::METHOD,
                            None,
                            range(m.span),
                            range(m.name.span),
                            None,
                        )
                    })
                    .collect(),
            ),
        };
        out.push(symbol(
            &d.name,
            kind,
            Some(d.kind.keyword()),
            range(d.span),
            range(d.name.span),
            Some(children),
        ));
    }
    out
}

fn symbol(
    name: &gslang_syntax::Ident,
    kind: SymbolKind,
    detail: Option<&str>,
    range: Range,
    selection: Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    // The outline needs the selection inside the range; a recovered node's
    // spans might not nest, so widen the range.
    let range = Range::new(
        range.start.min(selection.start),
        range.end.max(selection.end),
    );
    #[allow(deprecated)]
    DocumentSymbol {
        // An empty name is refused by some clients; a recovered node may have one.
        name: if name.name.is_empty() {
            "?".into()
        } else {
            name.name.to_string()
        },
        detail: detail.map(convert_ws),
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children,
    }
}

fn convert_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The edit that turns `text` into its formatted form: the changed middle,
/// so that the client keeps the cursor and folds of the unchanged parts;
/// `None` when the file has syntax errors, empty when it is formatted.
pub fn format(file: &SourceFile, enc: Encoding) -> Option<Vec<TextEdit>> {
    let text = &file.text;
    let formatted = gslang_fmt::format_str(text).ok()?;
    if &formatted == text {
        return Some(Vec::new());
    }
    let (a, b) = (text.as_bytes(), formatted.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !text.is_char_boundary(prefix) || !formatted.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = a.len().min(b.len()) - prefix;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while !text.is_char_boundary(a.len() - suffix) || !formatted.is_char_boundary(b.len() - suffix)
    {
        suffix -= 1;
    }
    let start: Position = convert::position(file, prefix as u32, enc);
    let end = convert::position(file, (a.len() - suffix) as u32, enc);
    Some(vec![TextEdit::new(
        Range::new(start, end),
        formatted[prefix..b.len() - suffix].to_string(),
    )])
}
