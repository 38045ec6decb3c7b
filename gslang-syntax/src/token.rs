//! The tokens of gslang (spec §1), recognised by a logos DFA.
//!
//! This is the raw token set. The [`lexer`](crate::lexer) module wraps it to
//! keep comments aside, validate literals and turn every lexical error into a
//! diagnostic, so that the parser only ever sees well-formed tokens.

use std::fmt;

use logos::Logos;

use crate::scalar::Scalar;

/// A lexical error of the raw DFA: a character that starts no token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnexpectedChar;

/// One token. Literals and identifiers borrow their text from the source.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(error = UnexpectedChar)]
#[logos(skip r"[ \t\r\n]+")]
pub enum Token<'src> {
    // Keywords.
    /// `import`
    #[token("import")]
    Import,
    /// `table`
    #[token("table")]
    Table,
    /// `struct`
    #[token("struct")]
    Struct,
    /// `enum`
    #[token("enum")]
    Enum,
    /// `contract`
    #[token("contract")]
    Contract,
    /// `true`
    #[token("true")]
    True,
    /// `false`
    #[token("false")]
    False,
    /// A built-in type: `bool`, `byte`, … `string`, one token for all of
    /// them ([`Scalar`] knows their keywords).
    #[regex(
        "bool|byte|sbyte|int16|uint16|int32|uint32|int64|uint64|float32|float64|string",
        |lex| Scalar::from_keyword(lex.slice()),
        priority = 10
    )]
    Scalar(Scalar),

    /// An identifier, ASCII only.
    #[regex("[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice())]
    Ident(&'src str),
    /// A decimal or hexadecimal integer literal, unsigned.
    #[regex("[0-9]+", |lex| lex.slice())]
    #[regex("0[xX][0-9A-Fa-f]*", |lex| lex.slice())]
    Int(&'src str),
    /// A float literal, unsigned.
    #[regex(r"[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?", |lex| lex.slice())]
    #[regex(r"[0-9]+[eE][+-]?[0-9]+", |lex| lex.slice())]
    Float(&'src str),
    /// A string literal, raw: quotes and escapes included.
    #[token("\"", |lex| string_literal(lex, b'"'))]
    #[token("'", |lex| string_literal(lex, b'\''))]
    Str(&'src str),

    /// `{`
    #[token("{")]
    LBrace,
    /// `}`
    #[token("}")]
    RBrace,
    /// `(`
    #[token("(")]
    LParen,
    /// `)`
    #[token(")")]
    RParen,
    /// `[`
    #[token("[")]
    LBracket,
    /// `]`
    #[token("]")]
    RBracket,
    /// `;`
    #[token(";")]
    Semi,
    /// `,`
    #[token(",")]
    Comma,
    /// `.`
    #[token(".")]
    Dot,
    /// `@`
    #[token("@")]
    At,
    /// `|`
    #[token("|")]
    Pipe,
    /// `:`
    #[token(":")]
    Colon,
    /// `->`
    #[token("->")]
    Arrow,
    /// `-`
    #[token("-")]
    Minus,

    /// `// …` up to the end of the line.
    #[regex("//[^\n]*", allow_greedy = true)]
    LineComment,
    /// `/* … */`; the flag is false when the comment runs to the end of the file.
    #[token("/*", block_comment)]
    BlockComment(bool),
}

/// Scans a string literal whose opening quote was just matched. The literal
/// ends at the matching quote, or, unterminated, before the end of the line.
fn string_literal<'src>(lex: &mut logos::Lexer<'src, Token<'src>>, quote: u8) -> &'src str {
    let rest = lex.remainder().as_bytes();
    let mut i = 0;
    while i < rest.len() {
        match rest[i] {
            b'\\' if i + 1 < rest.len() && rest[i + 1] != b'\n' => i += 2,
            b'\n' => break,
            c if c == quote => {
                i += 1;
                break;
            }
            _ => i += 1,
        }
    }
    // `i` may land inside a multi-byte character only after a backslash; step
    // forward to the next character boundary.
    let rem = lex.remainder();
    while i < rem.len() && !rem.is_char_boundary(i) {
        i += 1;
    }
    lex.bump(i.min(rem.len()));
    lex.slice()
}

/// Scans a block comment whose `/*` was just matched.
fn block_comment<'src>(lex: &mut logos::Lexer<'src, Token<'src>>) -> bool {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(end) => {
            lex.bump(end + 2);
            true
        }
        None => {
            lex.bump(rest.len());
            false
        }
    }
}

impl Token<'_> {
    /// The keyword's text, if the token is a keyword.
    pub fn keyword(&self) -> Option<&'static str> {
        Some(match self {
            Token::Import => "import",
            Token::Table => "table",
            Token::Struct => "struct",
            Token::Enum => "enum",
            Token::Contract => "contract",
            Token::True => "true",
            Token::False => "false",
            Token::Scalar(s) => s.keyword(),
            _ => return None,
        })
    }
}

impl fmt::Display for Token<'_> {
    /// How the token is named in "found …" messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(kw) = self.keyword() {
            return write!(f, "keyword `{kw}`");
        }
        let punct = match self {
            Token::Ident(name) => return write!(f, "identifier `{name}`"),
            Token::Int(text) | Token::Float(text) => return write!(f, "number `{text}`"),
            Token::Str(_) => return f.write_str("string literal"),
            Token::LineComment | Token::BlockComment(_) => return f.write_str("comment"),
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::LParen => "(",
            Token::RParen => ")",
            Token::LBracket => "[",
            Token::RBracket => "]",
            Token::Semi => ";",
            Token::Comma => ",",
            Token::Dot => ".",
            Token::At => "@",
            Token::Pipe => "|",
            Token::Colon => ":",
            Token::Arrow => "->",
            Token::Minus => "-",
            _ => "?",
        };
        write!(f, "`{punct}`")
    }
}
