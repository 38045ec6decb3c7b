//! The abstract syntax tree: what the user wrote, with a span on every node
//! and the documentation comments attached. Nothing in it is resolved.
//!
//! Types are flat (a list of `[]`/`[N]` prefixes over a base), so that no
//! node nests deeper than the bracket limit of the lexer allows.

use smol_str::SmolStr;

pub use crate::scalar::Scalar;
use crate::span::{Ident, Span};

/// Documentation comments of an item, one entry per line, comment markers removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docs(pub Vec<String>);

impl Docs {
    /// Whether there is no documentation.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The lines joined with `\n`.
    pub fn text(&self) -> String {
        self.0.join("\n")
    }
}

/// One source file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    /// The comment block at the top of the file, when it is not an item's documentation.
    pub docs: Docs,
    /// The imports, in order.
    pub imports: Vec<Import>,
    /// Module annotations and declarations, in order.
    pub items: Vec<Item>,
}

/// `import alias "path"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The alias, if any.
    pub alias: Option<Ident>,
    /// The path as written, escapes resolved.
    pub path: StrLit,
    /// The whole import spec.
    pub span: Span,
}

/// A string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrLit {
    /// The value, escapes resolved.
    pub value: String,
    /// The literal, quotes included.
    pub span: Span,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `@Name(args);` annotating the module.
    ModuleAnnotation(Annotation),
    /// A declaration.
    Decl(Decl),
}

/// A declaration: table, struct, enum or contract.
#[derive(Clone, Debug, PartialEq)]
pub struct Decl {
    /// Annotations before the keyword.
    pub annotations: Vec<Annotation>,
    /// Documentation.
    pub docs: Docs,
    /// The declared name.
    pub name: Ident,
    /// What is declared.
    pub kind: DeclKind,
    /// From the first annotation (or the keyword) to the closing brace.
    pub span: Span,
    /// The keyword.
    pub keyword_span: Span,
}

/// The body of a declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum DeclKind {
    /// `table Name { fields }`
    Table(Vec<Field>),
    /// `struct Name { fields }`
    Struct(Vec<Field>),
    /// `enum Name(base) { values }`
    Enum {
        /// The base type, if written.
        base: Option<(Scalar, Span)>,
        /// The values.
        values: Vec<EnumValue>,
    },
    /// `contract Name(bases) { methods }`
    Contract {
        /// The contracts inherited from.
        bases: Vec<Path>,
        /// The methods declared here.
        methods: Vec<Method>,
    },
}

impl DeclKind {
    /// The keyword that introduces this kind of declaration.
    pub fn keyword(&self) -> &'static str {
        match self {
            DeclKind::Table(_) => "table",
            DeclKind::Struct(_) => "struct",
            DeclKind::Enum { .. } => "enum",
            DeclKind::Contract { .. } => "contract",
        }
    }
}

/// A field of a table or struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Annotations.
    pub annotations: Vec<Annotation>,
    /// Documentation.
    pub docs: Docs,
    /// The name.
    pub name: Ident,
    /// The type.
    pub ty: TypeExpr,
    /// From the first annotation to the `;`.
    pub span: Span,
}

/// An enum value.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// Annotations.
    pub annotations: Vec<Annotation>,
    /// Documentation.
    pub docs: Docs,
    /// The name.
    pub name: Ident,
    /// The explicit number, if written.
    pub value: Option<IntLit>,
    /// From the first annotation to the `)` or the name.
    pub span: Span,
}

/// An integer literal with an optional minus sign, not yet evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntLit {
    /// A `-` was written before the digits.
    pub negative: bool,
    /// The digits as written (`42`, `0x2A`).
    pub digits: SmolStr,
    /// Sign and digits.
    pub span: Span,
}

impl IntLit {
    /// Whether the lexer already reported this literal (`0x` without digits,
    /// whose [`value`](Self::value) reads as 0): checks of the value should
    /// not report it again.
    pub fn is_malformed(&self) -> bool {
        matches!(self.digits.as_str(), "0x" | "0X")
    }

    /// The value, or `None` if its magnitude does not fit in a `u64`.
    /// `0x` without digits (a lexical error) counts as 0.
    pub fn value(&self) -> Option<i128> {
        let digits = self.digits.as_str();
        let magnitude = match digits
            .strip_prefix("0x")
            .or_else(|| digits.strip_prefix("0X"))
        {
            Some("") => 0,
            Some(hex) => u64::from_str_radix(hex, 16).ok()?,
            None => digits.parse::<u64>().ok()?,
        };
        let magnitude = i128::from(magnitude);
        Some(if self.negative { -magnitude } else { magnitude })
    }
}

/// A contract method.
#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    /// Annotations.
    pub annotations: Vec<Annotation>,
    /// Documentation.
    pub docs: Docs,
    /// The name.
    pub name: Ident,
    /// The params.
    pub params: Vec<Param>,
    /// The returns: `-> (a, b)` or `-> T`; empty when `->` is left out.
    pub returns: Vec<Param>,
    /// From the first annotation to the `;`.
    pub span: Span,
}

/// A method param or return value.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Annotations.
    pub annotations: Vec<Annotation>,
    /// Documentation.
    pub docs: Docs,
    /// The name, if given.
    pub name: Option<Ident>,
    /// The type.
    pub ty: TypeExpr,
    /// The whole param.
    pub span: Span,
}

/// A type as written: `[]` and `[N]` prefixes over a base type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    /// The prefixes, outermost first: `[4][]string` is `[Array(4), List]`.
    pub dims: Vec<Dim>,
    /// The innermost type.
    pub base: TypeBase,
    /// The whole type.
    pub span: Span,
}

/// One list or array prefix.
#[derive(Clone, Debug, PartialEq)]
pub enum Dim {
    /// `[]`
    List(Span),
    /// `[N]`
    Array(IntLit, Span),
}

/// The innermost part of a type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeBase {
    /// A built-in type.
    Scalar(Scalar, Span),
    /// A user type: `Name` or `module.Name`.
    Path(Path),
}

/// `Name` or `a.b.Name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// The segments, at least one.
    pub segments: Vec<Ident>,
    /// The whole path.
    pub span: Span,
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(&seg.name)?;
        }
        Ok(())
    }
}

/// `@Name` or `@Name(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    /// The annotation table.
    pub path: Path,
    /// The arguments, `None` without parentheses.
    pub args: Option<Vec<Arg>>,
    /// From `@` to the closing parenthesis.
    pub span: Span,
}

/// An argument: positional (`expr`) or named (`Name: expr`).
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// The field name, for a named argument.
    pub name: Option<Ident>,
    /// The value.
    pub value: Expr,
    /// The whole argument.
    pub span: Span,
}

/// An argument value: one term, or terms combined with `|`.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// The terms, at least one.
    pub terms: Vec<Term>,
    /// The whole expression.
    pub span: Span,
}

/// One operand of an argument value.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// An integer, possibly negative.
    Int(IntLit),
    /// A float, possibly negative.
    Float {
        /// A `-` was written before it.
        negative: bool,
        /// The literal as written.
        text: SmolStr,
        /// Sign and literal.
        span: Span,
    },
    /// A string.
    Str(StrLit),
    /// `true` or `false`.
    Bool(bool, Span),
    /// An enum constant: `Enum.Value` or `module.Enum.Value`.
    Path(Path),
    /// A table value: `Duration(5, TimeUnit.Second)`.
    Table {
        /// The table.
        path: Path,
        /// The arguments.
        args: Vec<Arg>,
        /// From the path to `)`.
        span: Span,
    },
}

impl Term {
    /// The span of the term.
    pub fn span(&self) -> Span {
        match self {
            Term::Int(lit) => lit.span,
            Term::Float { span, .. } | Term::Bool(_, span) | Term::Table { span, .. } => *span,
            Term::Str(lit) => lit.span,
            Term::Path(path) => path.span,
        }
    }
}
