//! The syntax of gslang: source files, tokens, the parser, the AST and diagnostics.
//!
//! This crate knows nothing of code generation or of Rust. Its one entry point
//! is [`parse`], which never fails: whatever bytes it is given, it returns an
//! AST of what it could read and a diagnostic for every error.
//!
//! ```
//! use gslang_syntax::{parse, SourceMap};
//!
//! let mut sources = SourceMap::new();
//! let id = sources.add("demo.gs", None, b"struct Point { X float32; Y float32; }".to_vec()).unwrap();
//! let parsed = parse(id, sources.file(id));
//! assert!(parsed.diagnostics.is_empty());
//! assert_eq!(parsed.file.items.len(), 1);
//! ```

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod ast;
pub mod chars;
pub mod codes;
pub mod diag;
mod docs;
pub mod errors;
pub mod lexer;
pub mod parser;
mod scalar;
pub mod source;
pub mod span;
pub mod token;

pub use codes::{Code, Phase};
pub use diag::{Diagnostic, Label, Severity};
pub use parser::{Parsed, parse};
pub use scalar::{Scalar, ScalarClass};
pub use source::{SourceFile, SourceMap};
pub use span::{FileId, Ident, Span};
