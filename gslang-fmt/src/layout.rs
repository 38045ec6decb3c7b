//! The layout: the canonical style, as a walk over the AST that asks the
//! [`Printer`] for each token of the source in order, with the separator the
//! style puts before it.
//!
//! The style (docs/style.md):
//! - one top-level item (import statement, module annotation, declaration)
//!   per line, a blank line between two of them where the source has one;
//! - `{` on the declaration's line; a body the source writes on one line
//!   stays on one line (`{ X int32; Y int32; }`, `{}`), otherwise each
//!   member goes one level (4 spaces) deeper and `}` on a line of its own;
//!   members the source writes on one line stay together;
//! - a multi-line enum body ends with a `,`, a one-line body does not;
//! - bracketed lists (params, returns, bases, annotation arguments, import
//!   groups) break where the source breaks them, one level deeper;
//! - one space after `,` and `:`, around `->` and `|`, between a name and its
//!   type, and none inside brackets or before `;` `,` `(`.

use gslang_syntax::ast::{
    Annotation, Arg, Decl, DeclKind, Dim, EnumValue, Expr, Field, File, IntLit, Item, Method,
    Param, Path, Term, TypeBase, TypeExpr,
};
use gslang_syntax::token::Token;

use crate::printer::{Printer, Sep};

/// Writes `file` through `p`.
pub(crate) fn file(p: &mut Printer<'_>, file: &File) {
    let mut specs = 0;
    while p.peek_is(Token::Import) {
        p.tok(Sep::Line, Token::Import);
        if p.peek_is(Token::LParen) {
            p.tok(Sep::Space, Token::LParen);
            p.indent += 1;
            let mut sep = Sep::SoftGlue;
            while p.peek().is_some() && !p.peek_is(Token::RParen) {
                import_spec(p, sep);
                sep = Sep::SoftSpace;
                specs += 1;
            }
            close_list(p, specs == 0);
        } else {
            import_spec(p, Sep::Space);
            specs += 1;
        }
    }
    if specs != file.imports.len() {
        p.fail(format!(
            "{specs} import specs written, the file has {}",
            file.imports.len()
        ));
    }
    for item in &file.items {
        match item {
            Item::ModuleAnnotation(a) => {
                annotation(p, a, Sep::Line);
                p.tok(Sep::Glue, Token::Semi);
            }
            Item::Decl(d) => decl(p, d),
        }
    }
}

fn import_spec(p: &mut Printer<'_>, sep: Sep) {
    if p.peek_is(Token::Ident("")) {
        p.tok(sep, Token::Ident(""));
        p.tok(Sep::Space, Token::Str(""));
    } else {
        p.tok(sep, Token::Str(""));
    }
}

/// Annotations, each before the next thing with `SoftSpace`; returns the
/// separator for what follows them.
fn annotations(p: &mut Printer<'_>, annotations: &[Annotation], mut sep: Sep) -> Sep {
    for a in annotations {
        annotation(p, a, sep);
        sep = Sep::SoftSpace;
    }
    sep
}

fn decl(p: &mut Printer<'_>, d: &Decl) {
    let sep = annotations(p, &d.annotations, Sep::Line);
    let keyword = match d.kind {
        DeclKind::Table(_) => Token::Table,
        DeclKind::Struct(_) => Token::Struct,
        DeclKind::Enum { .. } => Token::Enum,
        DeclKind::Contract { .. } => Token::Contract,
    };
    p.tok(sep, keyword);
    p.tok(Sep::Space, Token::Ident(""));
    // The body's closing brace ends the declaration.
    let close = (d.span.end as usize).saturating_sub(1);
    match &d.kind {
        DeclKind::Table(fields) | DeclKind::Struct(fields) => {
            body(p, close, fields, field);
        }
        DeclKind::Enum { values, .. } => {
            if p.peek_is(Token::LParen) {
                p.tok(Sep::Glue, Token::LParen);
                p.tok(Sep::Glue, Token::Scalar(gslang_syntax::Scalar::Byte));
                p.tok(Sep::Glue, Token::RParen);
            }
            enum_body(p, close, values);
        }
        DeclKind::Contract { bases, methods } => {
            if p.peek_is(Token::LParen) {
                list(p, Sep::Glue, bases, path);
            }
            body(p, close, methods, method);
        }
    }
}

/// `{ members }`: members with `each(member, separator)`.
fn body<T>(
    p: &mut Printer<'_>,
    close: usize,
    members: &[T],
    each: impl Fn(&mut Printer<'_>, &T, Sep),
) {
    let (_, open) = p.tok(Sep::Space, Token::LBrace);
    if members.is_empty() && !p.comments_before(close) {
        p.close(Sep::Glue, Token::RBrace);
        return;
    }
    if !p.source_has_break(open, close) {
        for m in members {
            each(p, m, Sep::Space);
        }
        p.close(Sep::Space, Token::RBrace);
        return;
    }
    p.indent += 1;
    let mut sep = Sep::Line;
    for m in members {
        each(p, m, sep);
        sep = Sep::SoftSpace;
    }
    p.flush(p.next_start(), true);
    p.indent -= 1;
    p.close(Sep::Line, Token::RBrace);
}

fn enum_body(p: &mut Printer<'_>, close: usize, values: &[EnumValue]) {
    let (_, open) = p.tok(Sep::Space, Token::LBrace);
    if values.is_empty() && !p.comments_before(close) {
        p.close(Sep::Glue, Token::RBrace);
        return;
    }
    let multiline = p.source_has_break(open, close);
    if multiline {
        p.indent += 1;
    }
    let mut sep = if multiline { Sep::Line } else { Sep::Space };
    for (i, v) in values.iter().enumerate() {
        enum_value(p, v, sep);
        sep = if multiline {
            Sep::SoftSpace
        } else {
            Sep::Space
        };
        let last = i + 1 == values.len();
        if !last {
            p.tok(Sep::Glue, Token::Comma);
        } else if p.peek_is(Token::Comma) {
            if multiline {
                p.tok(Sep::Glue, Token::Comma);
            } else {
                p.skip(Token::Comma);
            }
        } else if multiline {
            p.synth(",");
        }
    }
    if multiline {
        p.flush(p.next_start(), true);
        p.indent -= 1;
        p.close(Sep::Line, Token::RBrace);
    } else {
        p.close(Sep::Space, Token::RBrace);
    }
}

/// `( items )`, items separated by `,`; the list breaks where the source
/// breaks it, one level deeper.
fn list<T>(p: &mut Printer<'_>, open: Sep, items: &[T], each: impl Fn(&mut Printer<'_>, &T, Sep)) {
    p.tok(open, Token::LParen);
    p.indent += 1;
    let mut sep = Sep::SoftGlue;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            p.tok(Sep::Glue, Token::Comma);
        }
        each(p, item, sep);
        sep = Sep::SoftSpace;
    }
    close_list(p, items.is_empty());
}

/// The `)` of a list whose items were written one level deeper: on a line
/// of its own if the source has it so, after the comments inside the list.
fn close_list(p: &mut Printer<'_>, empty: bool) {
    let close = p.next_start();
    if empty && !p.comments_before(close) {
        p.indent -= 1;
        p.close(Sep::Glue, Token::RParen);
        return;
    }
    if p.source_breaks_before(close) {
        p.flush(close, true);
    }
    p.indent -= 1;
    p.close(Sep::SoftGlue, Token::RParen);
}

fn field(p: &mut Printer<'_>, f: &Field, sep: Sep) {
    let sep = annotations(p, &f.annotations, sep);
    p.tok(sep, Token::Ident(""));
    type_expr(p, &f.ty, Sep::Space);
    p.tok(Sep::Glue, Token::Semi);
}

fn enum_value(p: &mut Printer<'_>, v: &EnumValue, sep: Sep) {
    let sep = annotations(p, &v.annotations, sep);
    p.tok(sep, Token::Ident(""));
    if let Some(n) = &v.value {
        p.tok(Sep::Glue, Token::LParen);
        int(p, n, Sep::Glue);
        p.tok(Sep::Glue, Token::RParen);
    }
}

fn method(p: &mut Printer<'_>, m: &Method, sep: Sep) {
    let sep = annotations(p, &m.annotations, sep);
    p.tok(sep, Token::Ident(""));
    list(p, Sep::Glue, &m.params, param);
    if p.peek_is(Token::Arrow) {
        p.tok(Sep::Space, Token::Arrow);
        if p.peek_is(Token::LParen) {
            list(p, Sep::Space, &m.returns, param);
        } else if let Some(r) = m.returns.first() {
            type_expr(p, &r.ty, Sep::Space);
        }
    }
    p.tok(Sep::Glue, Token::Semi);
}

fn param(p: &mut Printer<'_>, x: &Param, sep: Sep) {
    let mut sep = annotations(p, &x.annotations, sep);
    if x.name.is_some() {
        p.tok(sep, Token::Ident(""));
        sep = Sep::Space;
    }
    type_expr(p, &x.ty, sep);
}

fn type_expr(p: &mut Printer<'_>, ty: &TypeExpr, mut sep: Sep) {
    for dim in &ty.dims {
        p.tok(sep, Token::LBracket);
        if let Dim::Array(n, _) = dim {
            int(p, n, Sep::Glue);
        }
        p.tok(Sep::Glue, Token::RBracket);
        sep = Sep::Glue;
    }
    match &ty.base {
        TypeBase::Scalar(..) => {
            p.tok(sep, Token::Scalar(gslang_syntax::Scalar::Byte));
        }
        TypeBase::Path(path_) => path(p, path_, sep),
    }
}

fn path(p: &mut Printer<'_>, path: &Path, sep: Sep) {
    for (i, _) in path.segments.iter().enumerate() {
        if i > 0 {
            p.tok(Sep::Glue, Token::Dot);
        }
        p.tok(if i == 0 { sep } else { Sep::Glue }, Token::Ident(""));
    }
}

fn int(p: &mut Printer<'_>, n: &IntLit, sep: Sep) {
    if n.negative {
        p.tok(sep, Token::Minus);
        p.tok(Sep::Glue, Token::Int(""));
    } else {
        p.tok(sep, Token::Int(""));
    }
}

fn annotation(p: &mut Printer<'_>, a: &Annotation, sep: Sep) {
    p.tok(sep, Token::At);
    path(p, &a.path, Sep::Glue);
    if let Some(args_) = &a.args {
        list(p, Sep::Glue, args_, arg);
    }
}

fn arg(p: &mut Printer<'_>, a: &Arg, sep: Sep) {
    if a.name.is_some() {
        p.tok(sep, Token::Ident(""));
        p.tok(Sep::Glue, Token::Colon);
        expr(p, &a.value, Sep::Space);
    } else {
        expr(p, &a.value, sep);
    }
}

fn expr(p: &mut Printer<'_>, e: &Expr, sep: Sep) {
    for (i, t) in e.terms.iter().enumerate() {
        if i > 0 {
            p.tok(Sep::Space, Token::Pipe);
        }
        term(p, t, if i == 0 { sep } else { Sep::Space });
    }
}

fn term(p: &mut Printer<'_>, t: &Term, sep: Sep) {
    match t {
        Term::Int(n) => int(p, n, sep),
        Term::Float { negative, .. } => {
            if *negative {
                p.tok(sep, Token::Minus);
                p.tok(Sep::Glue, Token::Float(""));
            } else {
                p.tok(sep, Token::Float(""));
            }
        }
        Term::Str(_) => {
            p.tok(sep, Token::Str(""));
        }
        Term::Bool(true, _) => {
            p.tok(sep, Token::True);
        }
        Term::Bool(false, _) => {
            p.tok(sep, Token::False);
        }
        Term::Path(path_) => path(p, path_, sep),
        Term::Table {
            path: path_, args, ..
        } => {
            path(p, path_, sep);
            list(p, Sep::Glue, args, arg);
        }
    }
}
