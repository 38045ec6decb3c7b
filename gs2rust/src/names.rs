//! Rust names for gslang names (spec §8), and the check that two gslang
//! names do not become the same Rust name in one scope.
//!
//! This is the only place that escapes identifiers.

use gslang_syntax::{Diagnostic, Span};
use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use rustc_hash::FxHashMap;

/// Rust's keywords, strict and reserved (2024 edition), which need `r#`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: they get a trailing `_`.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

fn escape(name: String) -> String {
    let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A type, enum value or contract: `UpperCamelCase` (`CER` → `Cer`).
pub fn type_name(name: &str) -> String {
    escape(name.to_upper_camel_case())
}

/// A field, method or param: `snake_case` (`OSVersion` → `os_version`).
pub fn field_name(name: &str) -> String {
    escape(name.to_snake_case())
}

/// A constant (a flag of a `@Flag` enum): `SHOUTY_SNAKE_CASE`.
pub fn const_name(name: &str) -> String {
    escape(name.to_shouty_snake_case())
}

/// A module: `snake_case`; keywords get a trailing `_` instead of `r#`, so
/// that the name is also a plain file name.
pub fn module_name(name: &str) -> String {
    let snake = name.to_snake_case();
    let escaped = escape(snake);
    match escaped.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => escaped,
    }
}

/// The Rust names given in one scope, to find two gslang names that become one.
#[derive(Debug)]
pub struct Scope<'a> {
    what: &'a str,
    taken: FxHashMap<String, (String, Span)>,
}

impl<'a> Scope<'a> {
    /// A scope of `what` ("type", "field of `Message`", …).
    pub fn new(what: &'a str) -> Scope<'a> {
        Scope {
            what,
            taken: FxHashMap::default(),
        }
    }

    /// Records that `original` (at `span`) becomes `rust` here; reports a clash.
    pub fn claim(&mut self, rust: &str, original: &str, span: Span, diags: &mut Vec<Diagnostic>) {
        let key = rust.strip_prefix("r#").unwrap_or(rust);
        match self.taken.get(key) {
            Some((first, first_span)) => diags.push(
                Diagnostic::error(
                    "E0600",
                    format!(
                        "`{first}` and `{original}` both become the Rust {} `{rust}`",
                        self.what
                    ),
                    span,
                )
                .with_label(format!("`{original}` becomes `{rust}`"))
                .with_secondary(*first_span, format!("`{first}` becomes `{rust}` too"))
                .with_help(if self.what == "module" {
                    "rename one of the files (a module's name is its file stem)"
                } else {
                    "rename one of them in the schema"
                }),
            ),
            None => {
                self.taken
                    .insert(key.to_owned(), (original.to_owned(), span));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        assert_eq!(type_name("CER"), "Cer");
        assert_eq!(type_name("DHExchange"), "DhExchange");
        assert_eq!(type_name("OSType"), "OsType");
        assert_eq!(type_name("WhoAmI"), "WhoAmI");
        assert_eq!(field_name("ID"), "id");
        assert_eq!(field_name("OSVersion"), "os_version");
        assert_eq!(field_name("SayHello"), "say_hello");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(field_name("super"), "super_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(module_name("every-construct"), "every_construct");
        assert_eq!(module_name("type"), "type_");
        assert_eq!(const_name("ReadWrite"), "READ_WRITE");
        assert_eq!(field_name("_"), "__");
    }
}
