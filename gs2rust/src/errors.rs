//! Every diagnostic of the Rust back end, declared once (see
//! `gslang_syntax::codes`): the naming pass's clashes and the limits on
//! what gs2rust generates.

use gslang_syntax::{Diagnostic, Phase, Span};

gslang_syntax::diagnostics! {
    /// Errors of Rust code generation.
    #[phase = "Rust back end", location = "gs2rust, reported by `gsc compile` and `Builder`"]
    pub enum GenError {
        /// two gslang names that become one Rust name in one scope (fields `FooBar` and `foo_bar`, two types, two modules); points at both
        E0600 NameClash { what: &'static str, rust: String, original: String, span: Span, first: String, first_span: Span },
        /// method tables too large: every contract's method enum lists its whole flattened method list, so over 1,048,576 entries in all (a long inheritance chain) is refused rather than written out as gigabytes of Rust
        E0601 MethodTablesTooLarge { total: usize, max: usize, contract: String, span: Span, len: usize },
        /// a type whose values would take 2^61 bytes or more, rustc's bound on 64-bit targets (the contents of boxed arrays included)
        E0602 TypeTooLarge { ty: String, size: String, span: Span, field: Option<String> },
        /// a method with more than 16 params or 16 return values, the most the RPC stubs take (`gscluster::rpc::MAX_PARAMS`)
        E0603 TooManyParams { method: String, span: Span, count: usize, returns: bool, max: usize },
        /// a method of a contract exposed to clients (`@gate.Expose`, gsgate's module) whose first param is not a `gate.Session`; also reported by the gate when it loads the schema
        E0604 MissingSession { route: String, span: Span, contract_span: Span },
        /// a `@gate.Key` that cannot route: on the session param, or a second one in a method (a method is routed by one key)
        E0605 MisplacedKey { route: String, span: Span, first: Option<Span> },
    }
}

/// The phases of the back end, for `DIAGNOSTICS.md`.
pub const PHASES: &[Phase] = &[GenError::PHASE];

impl From<GenError> for Diagnostic {
    fn from(e: GenError) -> Diagnostic {
        let code = e.code();
        match e {
            GenError::NameClash {
                what,
                rust,
                original,
                span,
                first,
                first_span,
            } => Diagnostic::new(
                code,
                format!("`{first}` and `{original}` both become the Rust {what} `{rust}`"),
                span,
            )
            .with_label(format!("`{original}` becomes `{rust}`"))
            .with_secondary(first_span, format!("`{first}` becomes `{rust}` too"))
            .with_help(if what == "module" {
                "rename one of the files (a module's name is its file stem)"
            } else {
                "rename one of them in the schema"
            }),
            GenError::MethodTablesTooLarge {
                total,
                max,
                contract,
                span,
                len,
            } => Diagnostic::new(
                code,
                format!(
                    "the contracts' method tables would hold more than the {max} entries gs2rust generates"
                ),
                span,
            )
            .with_label(format!(
                "`{contract}` alone inherits or declares {len} methods, and the total reaches {total} here"
            ))
            .with_note(
                "every contract's method enum lists its whole flattened method list, so a long inheritance chain repeats each inherited method once per descendant",
            )
            .with_help(
                "shorten the inheritance chain, or split it into contracts that do not inherit from each other",
            ),
            GenError::TypeTooLarge {
                ty,
                size,
                span,
                field,
            } => {
                let (label, help) = match &field {
                    Some(field) => (
                        format!("the type of `{field}`"),
                        "use a list (`[]T`), whose values hold only the elements they have",
                    ),
                    None => (
                        "its fields together are too large".to_owned(),
                        "use lists (`[]T`), whose values hold only the elements they have",
                    ),
                };
                Diagnostic::new(
                    code,
                    format!("values of `{ty}` would take {size}, too many for Rust"),
                    span,
                )
                .with_label(label)
                .with_note(
                    "rustc refuses types of 2^61 bytes or more on 64-bit targets (2^31 on 32-bit ones): \"values of the type are too big for the target architecture\"; gs2rust applies that bound to whole values, the contents of the boxes it puts large arrays in included",
                )
                .with_help(help)
            }
            GenError::TooManyParams {
                method,
                span,
                count,
                returns,
                max,
            } => {
                let what = if returns { "return values" } else { "params" };
                Diagnostic::new(
                    code,
                    format!("method `{method}` has {count} {what}, more than the {max} the RPC stubs take"),
                    span,
                )
                .with_note("a method's params (and its return values) travel as a tuple, and the runtime handles tuples of up to 16 values")
                .with_help(format!("group some of the {what} in a struct"))
            }
            GenError::MissingSession {
                route,
                span,
                contract_span,
            } => Diagnostic::new(
                code,
                format!("exposed method `{route}` does not take a `gate.Session` first"),
                span,
            )
            .with_label("expected `s gate.Session` here")
            .with_secondary(contract_span, "the contract is exposed to clients")
            .with_help("the gate fills in the session; clients send the params after it"),
            GenError::MisplacedKey { route, span, first } => match first {
                Some(first) => Diagnostic::new(
                    code,
                    format!("method `{route}` has more than one `@gate.Key` param"),
                    span,
                )
                .with_label("a second key")
                .with_secondary(first, "the first key")
                .with_help("a method's calls are routed by one argument: keep one `@gate.Key`"),
                None => Diagnostic::new(
                    code,
                    format!("the session of `{route}` cannot be its `@gate.Key`"),
                    span,
                )
                .with_label("the gate fills this in")
                .with_help("mark a param the client sends, or use `@gate.Expose(Sticky: true)` to route by user"),
            },
        }
    }
}
