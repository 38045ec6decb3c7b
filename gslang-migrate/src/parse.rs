//! The reader of the old dialects: one tolerant recursive-descent parser for
//! the 2014 dialect (`[Attr]` annotations, `import "dir"`, names before
//! types), the 2015 dialect (`package`/`using`, types before names, postfix
//! arrays, `void`, `throws`) and the current language, which is what the
//! 2014 dialect became.
//!
//! It keeps byte ranges of everything the conversion rewrites; everything
//! else (comments, layout) stays in the source text, which the conversion
//! edits in place. It stops at the first token it cannot read, with a
//! message: a file it cannot read is not converted.

use std::ops::Range;

use gslang_syntax::lexer::{Comment, Lexer};
use gslang_syntax::token::Token;
use gslang_syntax::{Diagnostic, FileId};

/// A token with its byte range.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok<'s> {
    pub tok: Token<'s>,
    pub start: usize,
    pub end: usize,
}

/// The dialect a file is written in, as far as its syntax tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `package`/`using` headers, types before names, `void`, `throws`.
    Y2015,
    /// `[Attr]` annotations, `AttrUsage`/`AttrTarget`, imports of package directories.
    Y2014,
    /// Nothing of the old dialects.
    Current,
}

impl Dialect {
    /// The name diagnostics and the output's header use.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Y2015 => "the 2015 dialect",
            Dialect::Y2014 => "the 2014 dialect",
            Dialect::Current => "the current language",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Path {
    pub segs: Vec<String>,
    pub range: Range<usize>,
}

impl Path {
    pub fn text(&self) -> String {
        self.segs.join(".")
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Args {
    pub items: Vec<Arg>,
}

#[derive(Clone, Debug)]
pub(crate) enum Arg {
    Positional(Expr),
    Named { name: String, expr: Expr },
}

#[derive(Clone, Debug)]
pub(crate) struct Expr {
    pub terms: Vec<Term>,
}

#[derive(Clone, Debug)]
pub(crate) enum Term {
    /// A literal (with its sign), copied as written.
    Lit(Range<usize>),
    /// An enum constant.
    Path(Path),
    /// A table value.
    Table(Path, Args),
}

#[derive(Clone, Debug)]
pub(crate) struct Annotation {
    /// From `@` or `[` to the end of the arguments or the `]`.
    pub range: Range<usize>,
    pub path: Path,
    pub args: Option<Args>,
    /// Followed by `;` (a module annotation of the current language).
    pub semi: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum Base {
    Scalar(&'static str),
    Void,
    Path(Path),
}

#[derive(Clone, Debug)]
pub(crate) struct Type {
    pub base: Base,
    /// Dimensions in written order: `None` for `[]`, the literal for `[N]`.
    pub dims: Vec<Option<String>>,
    pub range: Range<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub annotations: Vec<Annotation>,
    pub ty: Type,
    pub name: String,
    pub name_range: Range<usize>,
    pub type_first: bool,
    /// Where a missing `;` goes.
    pub semi: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct Param {
    pub annotations: Vec<Annotation>,
    pub ty: Type,
    pub name: Option<(String, Range<usize>)>,
    pub type_first: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Method {
    pub annotations: Vec<Annotation>,
    /// The first token of the method after its annotations.
    pub start: usize,
    /// The 2015 return type, before the name.
    pub ret: Option<Type>,
    pub name_range: Range<usize>,
    pub params: Vec<Param>,
    /// Just after the `)` of the params.
    pub params_end: usize,
    /// The returns of `-> …`.
    pub returns: Vec<Param>,
    pub throws: Option<(Range<usize>, Vec<Type>)>,
    /// Whether the `;` was written.
    pub has_semi: bool,
    /// Where the method's text ends (after `;`, or where one goes).
    pub end: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct Value {
    pub annotations: Vec<Annotation>,
    pub number: Option<i64>,
}

#[derive(Clone, Debug)]
pub(crate) enum DeclKind {
    Record {
        fields: Vec<Field>,
    },
    Enum {
        base: Option<Range<usize>>,
        values: Vec<Value>,
    },
    Contract {
        bases: Vec<Path>,
        methods: Vec<Method>,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Decl {
    pub keyword: &'static str,
    pub name: String,
    pub name_range: Range<usize>,
    pub kind: DeclKind,
}

#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub annotations: Vec<Annotation>,
    /// `None` for annotations at the end of the file.
    pub decl: Option<Decl>,
}

#[derive(Clone, Debug)]
pub(crate) struct Using {
    pub range: Range<usize>,
    pub path: Path,
}

#[derive(Clone, Debug)]
pub(crate) struct ImportSpec {
    pub alias: Option<String>,
    /// The path, unquoted.
    pub path: String,
    pub range: Range<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct Import {
    pub range: Range<usize>,
    pub specs: Vec<ImportSpec>,
}

#[derive(Clone, Debug)]
pub(crate) struct OldFile {
    pub dialect: Dialect,
    /// Where the dialect shows first.
    pub marker: Range<usize>,
    pub package: Option<(String, Range<usize>)>,
    pub usings: Vec<Using>,
    pub imports: Vec<Import>,
    pub items: Vec<Item>,
    pub comments: Vec<Comment>,
}

pub(crate) struct Parser<'s> {
    src: &'s str,
    toks: Vec<Tok<'s>>,
    pos: usize,
    dialect: Dialect,
}

/// A syntax error: the message and where.
pub(crate) type PError = (String, Range<usize>);

/// Lexes and parses `src`. Lexical errors come back as diagnostics; a
/// syntax error stops the parse.
pub(crate) fn parse(id: FileId, src: &str) -> (Result<OldFile, PError>, Vec<Diagnostic>) {
    let mut lexer = Lexer::new(id, src);
    let toks: Vec<Tok<'_>> = lexer
        .by_ref()
        .flatten()
        .map(|(start, tok, end)| Tok { tok, start, end })
        .collect();
    let diags: Vec<Diagnostic> = lexer
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let comments = lexer.comments.clone();
    let (dialect, marker) = detect(src, &toks);
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        dialect,
    };
    let result = p.file(dialect, marker, comments);
    (result, diags)
}

/// The dialect of a token stream and where it first shows.
pub(crate) fn detect(src: &str, toks: &[Tok<'_>]) -> (Dialect, Range<usize>) {
    if let Some(first) = toks.first() {
        if matches!(first.tok, Token::Ident("package" | "using")) {
            return (Dialect::Y2015, first.start..first.end);
        }
    }
    for (i, t) in toks.iter().enumerate() {
        if let Token::Ident("void" | "throws") = t.tok {
            // `void Name(` or `) throws (`.
            let next = toks.get(i + 1).map(|t| t.tok);
            if matches!(next, Some(Token::Ident(_) | Token::LParen)) {
                return (Dialect::Y2015, t.start..t.end);
            }
        }
        if t.tok == Token::Import {
            // `import "github.com/a/b"`: a package directory, not a `.gs` file.
            let grouped = toks.get(i + 1).is_some_and(|t| t.tok == Token::LParen);
            let dir = toks[i + 1..]
                .iter()
                .skip(usize::from(grouped))
                .take_while(|t| matches!(t.tok, Token::Str(_) | Token::Ident(_)))
                .take(if grouped { usize::MAX } else { 2 })
                .any(|t| matches!(t.tok, Token::Str(s) if !s.trim_matches(['"', '\'']).ends_with(".gs")));
            if dir {
                return (Dialect::Y2014, t.start..t.end);
            }
        }
        if t.tok == Token::LBracket {
            if let Some(Token::Ident(_)) = toks.get(i + 1).map(|t| t.tok) {
                return (Dialect::Y2014, t.start..t.end);
            }
        }
    }
    // `@AttrUsage(AttrTarget.Table)`: the 2014 toolchain after it took `@`
    // (unless the file declares them: the current language allows that).
    let declares = toks.windows(2).any(|w| {
        matches!(
            (w[0].tok, w[1].tok),
            (Token::Table, Token::Ident("AttrUsage")) | (Token::Enum, Token::Ident("AttrTarget"))
        )
    });
    for w in toks.windows(2).filter(|_| !declares) {
        if let (Token::At, Token::Ident("AttrUsage" | "AttrTarget")) = (w[0].tok, w[1].tok) {
            return (Dialect::Y2014, w[0].start..w[1].end);
        }
    }
    let _ = src;
    (Dialect::Current, 0..0)
}

impl<'s> Parser<'s> {
    fn peek(&self) -> Option<Token<'s>> {
        self.toks.get(self.pos).map(|t| t.tok)
    }

    fn peek_at(&self, n: usize) -> Option<Token<'s>> {
        self.toks.get(self.pos + n).map(|t| t.tok)
    }

    fn here(&self) -> Range<usize> {
        match self.toks.get(self.pos) {
            Some(t) => t.start..t.end,
            None => self.src.len()..self.src.len(),
        }
    }

    fn start(&self) -> usize {
        self.here().start
    }

    /// The end of the previous token.
    fn last_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.toks[self.pos - 1].end
        }
    }

    fn bump(&mut self) -> Tok<'s> {
        let t = self.toks[self.pos];
        self.pos += 1;
        t
    }

    fn error<T>(&self, what: &str) -> Result<T, PError> {
        let found = match self.peek() {
            Some(t) => t.to_string(),
            None => "the end of the file".to_owned(),
        };
        Err((format!("expected {what}, found {found}"), self.here()))
    }

    fn eat(&mut self, tok: Token<'_>) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: Token<'_>, what: &str) -> Result<Tok<'s>, PError> {
        if self.peek() == Some(tok) {
            Ok(self.bump())
        } else {
            self.error(what)
        }
    }

    fn ident(&mut self, what: &str) -> Result<(String, Range<usize>), PError> {
        match self.peek() {
            Some(Token::Ident(name)) => {
                let t = self.bump();
                Ok((name.to_owned(), t.start..t.end))
            }
            _ => self.error(what),
        }
    }

    fn path(&mut self, what: &str) -> Result<Path, PError> {
        let (first, range) = self.ident(what)?;
        let mut segs = vec![first];
        let mut end = range.end;
        while self.peek() == Some(Token::Dot) && matches!(self.peek_at(1), Some(Token::Ident(_))) {
            self.pos += 1;
            let (seg, r) = self.ident(what)?;
            segs.push(seg);
            end = r.end;
        }
        Ok(Path {
            segs,
            range: range.start..end,
        })
    }

    fn file(
        &mut self,
        dialect: Dialect,
        marker: Range<usize>,
        comments: Vec<Comment>,
    ) -> Result<OldFile, PError> {
        let mut file = OldFile {
            dialect,
            marker,
            package: None,
            usings: Vec::new(),
            imports: Vec::new(),
            items: Vec::new(),
            comments,
        };
        if self.peek() == Some(Token::Ident("package")) {
            let start = self.bump().start;
            let path = self.path("a package name")?;
            let end = self.expect(Token::Semi, "`;` after the package name")?.end;
            file.package = Some((path.text(), start..end));
        }
        loop {
            match self.peek() {
                Some(Token::Ident("using")) => {
                    let start = self.bump().start;
                    let path = self.path("the full name of a type")?;
                    let end = self.expect(Token::Semi, "`;` after a `using`")?.end;
                    file.usings.push(Using {
                        range: start..end,
                        path,
                    });
                }
                Some(Token::Import) => {
                    let import = self.import()?;
                    file.imports.push(import);
                }
                _ => break,
            }
        }
        while self.peek().is_some() {
            let annotations = self.annotations()?;
            if self.peek().is_none() {
                file.items.push(Item {
                    annotations,
                    decl: None,
                });
                break;
            }
            if annotations.last().is_some_and(|a| a.semi) {
                // The current language's module annotations.
                file.items.push(Item {
                    annotations,
                    decl: None,
                });
                continue;
            }
            let decl = self.decl()?;
            file.items.push(Item {
                annotations,
                decl: Some(decl),
            });
        }
        Ok(file)
    }

    fn import(&mut self) -> Result<Import, PError> {
        let start = self.bump().start;
        let mut specs = Vec::new();
        let grouped = self.eat(Token::LParen);
        loop {
            let spec_start = self.start();
            let alias = match self.peek() {
                Some(Token::Ident(a)) => {
                    self.pos += 1;
                    Some(a.to_owned())
                }
                _ => None,
            };
            match self.peek() {
                Some(Token::Str(s)) => {
                    let t = self.bump();
                    let path = s.get(1..s.len().saturating_sub(1)).unwrap_or("").to_owned();
                    specs.push(ImportSpec {
                        alias,
                        path,
                        range: spec_start..t.end,
                    });
                }
                _ if grouped && alias.is_none() => break,
                _ => return self.error("the path of an import, a string"),
            }
            if !grouped {
                break;
            }
        }
        if grouped {
            self.expect(Token::RParen, "`)` closing the imports")?;
        }
        self.eat(Token::Semi);
        Ok(Import {
            range: start..self.last_end(),
            specs,
        })
    }

    fn annotations(&mut self) -> Result<Vec<Annotation>, PError> {
        let mut out = Vec::new();
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(Token::At), _) => {
                    let start = self.bump().start;
                    let path = self.path("the name of an annotation")?;
                    let args = self.opt_args()?;
                    let end = self.last_end();
                    let semi = self.eat(Token::Semi);
                    out.push(Annotation {
                        range: start..end,
                        path,
                        args,
                        semi,
                    });
                }
                (Some(Token::LBracket), Some(Token::Ident(_))) => {
                    let start = self.bump().start;
                    let path = self.path("the name of an attribute")?;
                    let args = self.opt_args()?;
                    let end = self
                        .expect(Token::RBracket, "`]` closing the attribute")?
                        .end;
                    out.push(Annotation {
                        range: start..end,
                        path,
                        args,
                        semi: false,
                    });
                }
                _ => return Ok(out),
            }
        }
    }

    fn opt_args(&mut self) -> Result<Option<Args>, PError> {
        if self.peek() != Some(Token::LParen) {
            return Ok(None);
        }
        self.args().map(Some)
    }

    fn args(&mut self) -> Result<Args, PError> {
        self.pos += 1;
        let mut items = Vec::new();
        while self.peek() != Some(Token::RParen) {
            if let (Some(Token::Ident(name)), Some(Token::Colon)) = (self.peek(), self.peek_at(1)) {
                self.pos += 2;
                let expr = self.expr()?;
                items.push(Arg::Named {
                    name: name.to_owned(),
                    expr,
                });
            } else {
                items.push(Arg::Positional(self.expr()?));
            }
            if !self.eat(Token::Comma) {
                break;
            }
        }
        self.expect(Token::RParen, "`)` closing the arguments")?;
        Ok(Args { items })
    }

    fn expr(&mut self) -> Result<Expr, PError> {
        let mut terms = vec![self.term()?];
        while self.eat(Token::Pipe) {
            terms.push(self.term()?);
        }
        Ok(Expr { terms })
    }

    fn term(&mut self) -> Result<Term, PError> {
        let start = self.start();
        match self.peek() {
            Some(Token::Minus) => {
                self.pos += 1;
                match self.peek() {
                    Some(Token::Int(_) | Token::Float(_)) => {
                        let end = self.bump().end;
                        Ok(Term::Lit(start..end))
                    }
                    _ => self.error("a number after `-`"),
                }
            }
            Some(Token::Int(_) | Token::Float(_) | Token::Str(_) | Token::True | Token::False) => {
                let end = self.bump().end;
                Ok(Term::Lit(start..end))
            }
            Some(Token::Ident(_)) => {
                let path = self.path("a constant")?;
                if self.peek() == Some(Token::LParen) {
                    let args = self.args()?;
                    Ok(Term::Table(path, args))
                } else {
                    Ok(Term::Path(path))
                }
            }
            _ => self.error("an argument"),
        }
    }

    fn decl(&mut self) -> Result<Decl, PError> {
        let keyword = match self.peek() {
            Some(Token::Table) => "table",
            Some(Token::Struct) => "struct",
            Some(Token::Enum) => "enum",
            Some(Token::Contract) => "contract",
            _ => return self.error("a declaration (`table`, `struct`, `enum` or `contract`)"),
        };
        self.pos += 1;
        let (name, name_range) = self.ident("the name of the declaration")?;
        let kind = match keyword {
            "enum" => {
                let base = if self.peek() == Some(Token::LParen) {
                    let start = self.bump().start;
                    if !matches!(self.peek(), Some(Token::Scalar(_) | Token::Ident(_))) {
                        return self.error("the base type of the enum");
                    }
                    self.pos += 1;
                    let end = self.expect(Token::RParen, "`)` after the enum's base")?.end;
                    Some(start..end)
                } else {
                    None
                };
                self.expect(Token::LBrace, "`{`")?;
                let mut values = Vec::new();
                while self.peek() != Some(Token::RBrace) {
                    let annotations = self.annotations()?;
                    self.ident("an enum value")?;
                    let mut number = None;
                    if self.eat(Token::LParen) {
                        let neg = self.eat(Token::Minus);
                        let Some(Token::Int(text)) = self.peek() else {
                            return self.error("the number of the value");
                        };
                        self.pos += 1;
                        let n = parse_int(text).unwrap_or(0);
                        number = Some(if neg { -n } else { n });
                        self.expect(Token::RParen, "`)`")?;
                    }
                    values.push(Value {
                        annotations,
                        number,
                    });
                    if !self.eat(Token::Comma) {
                        break;
                    }
                }
                self.expect(Token::RBrace, "`,` or `}`")?;
                DeclKind::Enum { base, values }
            }
            "contract" => {
                let mut bases = Vec::new();
                if self.eat(Token::LParen) {
                    loop {
                        bases.push(self.path("a base contract")?);
                        if !self.eat(Token::Comma) {
                            break;
                        }
                    }
                    self.expect(Token::RParen, "`)` after the bases")?;
                }
                self.expect(Token::LBrace, "`{`")?;
                let mut methods = Vec::new();
                loop {
                    let annotations = self.annotations()?;
                    if self.peek() == Some(Token::RBrace) {
                        if let Some(a) = annotations.first() {
                            return Err((
                                "an annotation with no method after it".to_owned(),
                                a.range.clone(),
                            ));
                        }
                        break;
                    }
                    methods.push(self.method(annotations)?);
                }
                self.expect(Token::RBrace, "`}`")?;
                DeclKind::Contract { bases, methods }
            }
            _ => {
                self.expect(Token::LBrace, "`{`")?;
                let mut fields = Vec::new();
                loop {
                    let annotations = self.annotations()?;
                    if self.peek() == Some(Token::RBrace) {
                        break;
                    }
                    fields.push(self.field(annotations)?);
                }
                self.expect(Token::RBrace, "`}`")?;
                DeclKind::Record { fields }
            }
        };
        Ok(Decl {
            keyword,
            name,
            name_range,
            kind,
        })
    }

    /// Whether the dialect writes types before names.
    fn type_first(&self) -> bool {
        self.dialect == Dialect::Y2015
    }

    fn field(&mut self, annotations: Vec<Annotation>) -> Result<Field, PError> {
        let (ty, name, name_range, type_first) = if self.type_first() {
            let ty = self.ty("the type of a field")?;
            let (name, r) = self.ident("the name of the field")?;
            (ty, name, r, true)
        } else {
            let (name, r) = self.ident("the name of a field")?;
            let ty = self.ty("the type of the field")?;
            (ty, name, r, false)
        };
        let semi = if self.eat(Token::Semi) {
            None
        } else if self.peek() == Some(Token::RBrace) {
            Some(self.last_end())
        } else {
            return self.error("`;` after the field");
        };
        Ok(Field {
            annotations,
            ty,
            name,
            name_range,
            type_first,
            semi,
        })
    }

    fn method(&mut self, annotations: Vec<Annotation>) -> Result<Method, PError> {
        let start = self.start();
        let ret = if self.type_first() {
            Some(self.ty("the return type of a method (or `void`)")?)
        } else {
            None
        };
        let (_, name_range) = self.ident("the name of a method")?;
        self.expect(Token::LParen, "`(` before the params")?;
        let params = self.params(Token::RParen)?;
        let params_end = self.expect(Token::RParen, "`,` or `)` after a param")?.end;
        let mut returns = Vec::new();
        if self.eat(Token::Arrow) {
            if self.eat(Token::LParen) {
                returns = self.params(Token::RParen)?;
                self.expect(Token::RParen, "`,` or `)` after a return")?;
            } else {
                let annotations = self.annotations()?;
                let ty = self.ty("the return type")?;
                returns.push(Param {
                    annotations,
                    ty,
                    name: None,
                    type_first: false,
                });
            }
        }
        let mut throws = None;
        if self.peek() == Some(Token::Ident("throws")) {
            let tstart = self.bump().start;
            self.expect(Token::LParen, "`(` after `throws`")?;
            let mut types = Vec::new();
            loop {
                types.push(self.ty("an exception type")?);
                if !self.eat(Token::Comma) {
                    break;
                }
            }
            let tend = self
                .expect(Token::RParen, "`)` closing the exceptions")?
                .end;
            throws = Some((tstart..tend, types));
        }
        let has_semi = self.eat(Token::Semi);
        if !has_semi
            && !matches!(
                self.peek(),
                Some(Token::RBrace | Token::Ident(_) | Token::At)
            )
        {
            return self.error("`;` after the method");
        }
        Ok(Method {
            annotations,
            start,
            ret,
            name_range,
            params,
            params_end,
            returns,
            throws,
            has_semi,
            end: self.last_end(),
        })
    }

    fn params(&mut self, close: Token<'_>) -> Result<Vec<Param>, PError> {
        let mut params = Vec::new();
        while self.peek() != Some(close) {
            let annotations = self.annotations()?;
            let param = if self.type_first() {
                let ty = self.ty("the type of a param")?;
                let name = match self.peek() {
                    Some(Token::Ident(_)) => Some(self.ident("a param name")?),
                    _ => None,
                };
                Param {
                    annotations,
                    ty,
                    name,
                    type_first: true,
                }
            } else {
                // `[name] type`: a lone identifier is a type.
                let named = matches!(self.peek(), Some(Token::Ident(_)))
                    && !matches!(
                        self.peek_at(1),
                        Some(Token::Comma | Token::RParen | Token::Dot)
                    );
                let name = if named {
                    Some(self.ident("a param name")?)
                } else {
                    None
                };
                let ty = self.ty("the type of a param")?;
                Param {
                    annotations,
                    ty,
                    name,
                    type_first: false,
                }
            };
            params.push(param);
            if !self.eat(Token::Comma) {
                break;
            }
        }
        Ok(params)
    }

    /// A type: prefix dimensions (`[]T`, `[4]T`), then a built-in, `void` or a
    /// path, then postfix dimensions (`T[]`, `T[4]`, the 2015 dialect).
    fn ty(&mut self, what: &str) -> Result<Type, PError> {
        let start = self.start();
        let mut dims = Vec::new();
        while self.peek() == Some(Token::LBracket) {
            self.pos += 1;
            dims.push(self.dim_close()?);
        }
        let base = match self.peek() {
            Some(Token::Scalar(s)) => {
                self.pos += 1;
                Base::Scalar(s.keyword())
            }
            Some(Token::Ident("void")) if dims.is_empty() => {
                self.pos += 1;
                Base::Void
            }
            Some(Token::Ident(_)) => Base::Path(self.path(what)?),
            _ => return self.error(what),
        };
        // Postfix dimensions, but never the `[Attr]` of the next item.
        while self.peek() == Some(Token::LBracket)
            && matches!(self.peek_at(1), Some(Token::RBracket | Token::Int(_)))
        {
            self.pos += 1;
            dims.push(self.dim_close()?);
        }
        Ok(Type {
            base,
            dims,
            range: start..self.last_end(),
        })
    }

    /// After `[`: `]` or `N]`.
    fn dim_close(&mut self) -> Result<Option<String>, PError> {
        let len = match self.peek() {
            Some(Token::Int(text)) => {
                self.pos += 1;
                Some(text.to_owned())
            }
            _ => None,
        };
        self.expect(Token::RBracket, "`]` closing an array dimension")?;
        Ok(len)
    }
}

/// A decimal or `0x` integer literal.
pub(crate) fn parse_int(text: &str) -> Option<i64> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}
