//! Every diagnostic of the semantic pass, declared once: one enum per phase
//! (loading, names, declarations, annotations), one variant per code with
//! the data of the report, and one conversion into [`Diagnostic`] that
//! writes its message, labels, notes and help.
//!
//! The passes build these values; only this file writes prose. The `CODES`
//! of each enum are the registry `DIAGNOSTICS.md` is generated from.

use gslang_syntax::{Diagnostic, Phase, Scalar, Span};
use smol_str::SmolStr;

use crate::load::elide_cycle;

gslang_syntax::diagnostics! {
    /// Errors of module loading (spec §3).
    #[phase = "Modules and imports", location = "gslang-sema::load"]
    pub enum LoadError {
        /// an imported file is not found (the note lists where gsc looked)
        E0200 ModuleNotFound { path: String, span: Span, looked: Vec<String>, has_include_dirs: bool },
        /// an imported file exists but cannot be read (CLI test)
        E0201 UnreadableImport { path: String, error: String, span: Span },
        /// two imports of one file, or two imports, share a name
        E0202 DuplicateImport { name: SmolStr, span: Span, first: Span, same_file: Option<String> },
        /// a file stem that is not an identifier, imported without an alias
        E0203 BadModuleName { stem: String, span: Span, alias: String, literal: String },
        /// an import named `gslang`, the built-in module
        E0204 ImportNamedGslang { span: Span },
        /// a file larger than 4 GiB (not tested)
        E0205 FileTooLarge { path: String, size: usize, max: usize, span: Span },
        /// an import cycle (the note prints it), or a module importing itself
        E0207 ImportCycle { span: Span, cycle: Vec<String> },
    }
}

gslang_syntax::diagnostics! {
    /// Errors of name resolution (spec §3–§4).
    #[phase = "Names and types", location = "gslang-sema::collect, resolve"]
    pub enum NameError {
        /// two declarations with the same name in a module
        E0300 DuplicateDecl { name: SmolStr, span: Span, first: Span },
        /// an unknown module qualifier
        E0301 UnknownModule { name: SmolStr, span: Span, suggestion: Option<SmolStr> },
        /// an unknown name in an imported module
        E0302 UnknownInModule { noun: &'static str, name: SmolStr, module: SmolStr, span: Span, suggestion: Option<SmolStr> },
        /// a path with more than one `.` where a declaration is named
        E0303 PathTooLong { noun: &'static str, path: String, span: Span },
        /// an unknown type, contract or annotation (with "did you mean")
        E0304 UnknownName { noun: &'static str, name: SmolStr, span: Span, hint: NameHint },
        /// a type nested more than 64 lists and arrays deep
        E0310 TypeTooDeep { span: Span, depth: usize, max: usize },
        /// an array length outside 1..=65535
        E0311 ArrayLength { span: Span, len: Option<i128>, max: i128 },
        /// a contract used as a data type
        E0312 ContractAsType { path: String, span: Span, declared: Span },
        /// a base listed twice in one contract
        W0320 RepeatedBase { base: String, span: Span, first: Span },
        /// a contract base that is not a contract
        E0321 NotAContract { base: String, span: Span, what: String, declared: Span },
    }
}

/// What an unknown name probably meant.
#[derive(Clone, Debug, PartialEq)]
pub enum NameHint {
    /// Nothing close.
    None,
    /// A type name from another IDL or language (`int` → `int32`).
    Foreign(&'static str),
    /// A close name in scope.
    Similar(SmolStr),
    /// The name is declared in an imported module, known by this name.
    Imported(SmolStr),
}

gslang_syntax::diagnostics! {
    /// Errors of the declarations' checks (spec §4–§5).
    #[phase = "Declarations", location = "gslang-sema::check"]
    pub enum CheckError {
        /// an enum without values
        E0330 EmptyEnum { name: SmolStr, span: Span },
        /// an enum value outside the range of its base (the note gives the range)
        E0331 EnumValueOutOfRange { enum_name: SmolStr, value: SmolStr, base: Scalar, span: Span, number: EnumNumber },
        /// two enum values with one name
        E0332 DuplicateEnumValue { name: SmolStr, span: Span, first: Span },
        /// two enum values with one number
        E0333 DuplicateEnumNumber { number: i64, name: SmolStr, span: Span, first_name: SmolStr, first: Span },
        /// a `@Flag` value that is neither a bit nor a combination of other flags
        W0334 FlagNotBits { name: SmolStr, span: Span, bits: u64 },
        /// two fields with one name
        E0340 DuplicateField { name: SmolStr, span: Span, first: Span },
        /// a record that contains itself by value (the note prints the cycle)
        E0341 RecursiveRecord { name: SmolStr, span: Span, steps: Vec<(Span, SmolStr)>, cycle: Vec<String> },
        /// two methods with one name in a contract
        E0350 DuplicateMethod { name: SmolStr, span: Span, first: Span },
        /// two params (or two return values) with one name
        E0351 DuplicateParam { name: SmolStr, span: Span, first: Span, is_return: bool },
        /// an inheritance cycle (the note prints it)
        E0352 InheritanceCycle { span: Span, cycle: Vec<SmolStr> },
        /// two methods with one name in the flattened method list of a contract
        E0353 InheritedClash { method: SmolStr, contract: SmolStr, span: Span, owner: SmolStr, first: Span, first_owner: SmolStr, inherited_by: Option<Span> },
        /// more than 65535 methods in a contract (robustness test)
        E0354 TooManyMethods { name: SmolStr, span: Span, count: usize, max: usize },
        /// an `@Async` method with return values
        E0360 AsyncWithReturns { method: SmolStr, span: Span, annotation: Span },
    }
}

/// How the number of an enum value that does not fit came about.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EnumNumber {
    /// Written, and this large (`None`: too large to read).
    Explicit(Option<i128>),
    /// One more than the previous value (`None`: the previous had no number).
    Implicit(Option<i128>),
}

gslang_syntax::diagnostics! {
    /// Errors of annotations (spec §6).
    #[phase = "Annotations", location = "gslang-sema::annotations"]
    pub enum AnnotationError {
        /// an annotation that names a struct, enum or contract instead of a table
        E0500 NotATable { path: String, span: Span, what: String, declared: Span, record: Option<SmolStr>, shadows: bool },
        /// more arguments than the table has fields
        E0501 TooManyArguments { table: SmolStr, span: Span, table_span: Span, fields: usize },
        /// a named argument for a field the table does not have
        E0502 UnknownField { table: SmolStr, name: SmolStr, span: Span, fields: Vec<SmolStr>, suggestion: Option<SmolStr> },
        /// a field given twice
        E0503 FieldGivenTwice { field: SmolStr, span: Span, first: Span },
        /// a value of the wrong type for its field
        E0504 MismatchedValue { field: SmolStr, span: Span, expected: String, found: String, help: Option<String> },
        /// `|` on a field that is not a `@Flag` enum
        E0505 PipeOnNonFlag { field: SmolStr, span: Span, expected: String, enum_decl: Option<(SmolStr, Span)> },
        /// a number out of the range of its field
        E0506 ValueOutOfRange { field: SmolStr, span: Span, ty: Scalar, limit: Limit },
        /// a value for a list or array field (annotations cannot write them)
        E0507 ListValue { field: SmolStr, span: Span, is_list: bool },
        /// an enum constant written without its enum
        E0508 UnqualifiedConstant { name: SmolStr, span: Span, field: SmolStr, enum_name: SmolStr, known: bool, suggestion: Option<SmolStr>, values: Vec<SmolStr> },
        /// a constant of another enum than the field's
        E0509 WrongEnum { field: SmolStr, span: Span, expected: String, found: String, found_decl: Span, shadows: bool },
        /// an enum value that does not exist
        E0510 UnknownEnumValue { enum_name: SmolStr, value: SmolStr, span: Span, suggestion: Option<SmolStr>, values: Vec<SmolStr> },
        /// an annotation placed where its table's `@Usage` does not allow it
        E0511 UsageViolation { table: SmolStr, span: Span, target: &'static str, usage: Span, allowed: Vec<&'static str> },
        /// a `@Usage` that allows no target, so that its table can annotate nothing
        W0512 UsageAllowsNothing { table: SmolStr, span: Span },
        /// the zero value of an annotation's table is too large to evaluate (nested records)
        E0513 ValueTooLarge { table: SmolStr, span: Span, size: u64, depth: u32, max_size: u64, max_depth: u32 },
        /// an annotation that names a table of this module hiding a built-in one (`@Flag` for a local `table Flag`)
        W0514 ShadowedAnnotation { name: SmolStr, span: Span, declared: Span },
    }
}

/// Why a number does not fit its field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Limit {
    /// An integer field holds these values.
    Range(i128, i128),
    /// A float beyond the field's float type.
    Float,
    /// The literal is too large to read at all.
    Unreadable,
}

/// Every phase of the semantic pass, in order, for `DIAGNOSTICS.md`.
pub const PHASES: &[Phase] = &[
    LoadError::PHASE,
    NameError::PHASE,
    CheckError::PHASE,
    AnnotationError::PHASE,
];

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn quoted_list(names: &[SmolStr]) -> String {
    let quoted: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    let mut out = quoted.join(", ");
    if names.len() > 12 {
        out.push_str(", …");
    }
    out
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

impl From<LoadError> for Diagnostic {
    fn from(e: LoadError) -> Diagnostic {
        let code = e.code();
        match e {
            LoadError::ModuleNotFound {
                path,
                span,
                looked,
                has_include_dirs,
            } => {
                let looked: Vec<String> = looked.iter().map(|p| format!("`{p}`")).collect();
                let diag = Diagnostic::new(code, format!("cannot find module `{path}`"), span)
                    .with_label("no such file")
                    .with_note(format!("looked for {}", looked.join(", ")));
                if has_include_dirs {
                    diag
                } else {
                    diag.with_help("add the directory that holds it with `-I DIR`")
                }
            }
            LoadError::UnreadableImport { path, error, span } => {
                Diagnostic::new(code, format!("cannot read `{path}`: {error}"), span)
                    .with_label("imported here")
            }
            LoadError::DuplicateImport {
                name,
                span,
                first,
                same_file,
            } => {
                let message = match &same_file {
                    Some(path) => format!("`{path}` is imported twice as `{name}`"),
                    None => format!("the name `{name}` is imported twice"),
                };
                Diagnostic::new(code, message, span)
                    .with_label(format!("`{name}` imported again here"))
                    .with_secondary(first, format!("`{name}` first imported here"))
                    .with_help_opt(same_file.is_none().then(|| {
                        "give one of the imports an alias: `import other \"path.gs\"`".to_owned()
                    }))
            }
            LoadError::BadModuleName {
                stem,
                span,
                alias,
                literal,
            } => Diagnostic::new(
                code,
                format!("module name `{stem}` is not an identifier"),
                span,
            )
            .with_label("it could not be referred to")
            .with_help(format!(
                "give the import an alias: `import {alias} {literal}`"
            )),
            LoadError::ImportNamedGslang { span } => {
                Diagnostic::new(code, "`gslang` is the name of the built-in module", span)
                    .with_label("this import would hide it")
                    .with_help("give the import another alias")
            }
            LoadError::FileTooLarge {
                path,
                size,
                max,
                span,
            } => Diagnostic::new(
                code,
                format!("`{path}` is too large ({size} bytes; at most {max} bytes)"),
                span,
            ),
            LoadError::ImportCycle { span, cycle } => match cycle.as_slice() {
                [one] => Diagnostic::new(code, format!("module `{one}` imports itself"), span)
                    .with_label("imported here"),
                _ => {
                    let names: Vec<&str> = cycle
                        .iter()
                        .chain(cycle.first())
                        .map(String::as_str)
                        .collect();
                    Diagnostic::new(code, "import cycle", span)
                        .with_label("this import closes the cycle")
                        .with_note(format!("cycle: {}", elide_cycle(&names)))
                }
            },
        }
    }
}

impl From<NameError> for Diagnostic {
    fn from(e: NameError) -> Diagnostic {
        let code = e.code();
        match e {
            NameError::DuplicateDecl { name, span, first } => {
                Diagnostic::new(code, format!("the name `{name}` is declared twice"), span)
                    .with_label(format!("`{name}` declared again here"))
                    .with_secondary(first, format!("`{name}` first declared here"))
            }
            NameError::UnknownModule {
                name,
                span,
                suggestion,
            } => {
                let diag = Diagnostic::new(code, format!("cannot find module `{name}`"), span)
                    .with_label("not imported");
                match suggestion {
                    Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                    None => diag.with_help(format!("import it first: `import \"{name}.gs\"`")),
                }
            }
            NameError::UnknownInModule {
                noun,
                name,
                module,
                span,
                suggestion,
            } => Diagnostic::new(
                code,
                format!("cannot find {noun} `{name}` in module `{module}`"),
                span,
            )
            .with_label(format!("not declared in `{module}`"))
            .with_help_opt(suggestion.map(|s| format!("did you mean `{module}.{s}`?"))),
            NameError::PathTooLong { noun, path, span } => {
                Diagnostic::new(code, format!("`{path}` is not a valid {noun} name"), span)
                    .with_label("too many `.`")
                    .with_note(
                        "a declaration is named `Name`, or `module.Name` when it is imported",
                    )
            }
            NameError::UnknownName {
                noun,
                name,
                span,
                hint,
            } => {
                let diag = Diagnostic::new(code, format!("cannot find {noun} `{name}`"), span)
                    .with_label("not found in this module");
                match hint {
                    NameHint::None => diag,
                    NameHint::Foreign(ours) => diag
                        .with_label(format!("`{name}` is not a gslang type"))
                        .with_help(format!("did you mean `{ours}`?")),
                    NameHint::Similar(s) => diag.with_help(format!("did you mean `{s}`?")),
                    NameHint::Imported(alias) => diag.with_help(format!(
                        "`{name}` is declared in module `{alias}`: write `{alias}.{name}`"
                    )),
                }
            }
            NameError::TypeTooDeep { span, depth, max } => {
                Diagnostic::new(code, "type is nested too deeply", span)
                    .with_label(format!("{depth} levels of `[]` or `[N]`"))
                    .with_note(format!("a type may nest at most {max} lists and arrays"))
            }
            NameError::ArrayLength { span, len, max } => {
                Diagnostic::new(code, "array length out of range", span)
                    .with_label(match len {
                        Some(n) => format!("an array of {n} elements"),
                        None => "this number is too large".to_owned(),
                    })
                    .with_note(format!("an array `[N]T` has 1 to {max} elements"))
                    .with_help_opt((len == Some(0)).then(|| {
                        "use a list `[]T` for a variable number of elements".to_owned()
                    }))
            }
            NameError::ContractAsType {
                path,
                span,
                declared,
            } => Diagnostic::new(code, format!("contract `{path}` is not a data type"), span)
                .with_label("used as a type here")
                .with_secondary(declared, "contract declared here")
                .with_note(
                    "contracts declare services; fields, params and elements are tables, structs, enums or built-in types",
                ),
            NameError::RepeatedBase { base, span, first } => {
                Diagnostic::new(code, format!("`{base}` is listed twice as a base"), span)
                    .with_label("listed again here")
                    .with_secondary(first, "first listed here")
                    .with_note("a repeated base adds nothing: its methods appear once")
            }
            NameError::NotAContract {
                base,
                span,
                what,
                declared,
            } => Diagnostic::new(code, format!("`{base}` is not a contract"), span)
                .with_label(format!("this is {what}"))
                .with_secondary(declared, "declared here")
                .with_note("a contract can only inherit from contracts"),
        }
    }
}

impl From<CheckError> for Diagnostic {
    fn from(e: CheckError) -> Diagnostic {
        let code = e.code();
        let duplicate = |what: &str, name: &SmolStr, span: Span, first: Span| {
            Diagnostic::new(code, format!("duplicate {what} `{name}`"), span)
                .with_label(format!("`{name}` declared again here"))
                .with_secondary(first, format!("`{name}` first declared here"))
        };
        match e {
            CheckError::EmptyEnum { name, span } => {
                Diagnostic::new(code, format!("enum `{name}` has no values"), span)
                    .with_label("declared here")
                    .with_note("an enum must have at least one value")
            }
            CheckError::EnumValueOutOfRange {
                enum_name,
                value,
                base,
                span,
                number,
            } => {
                let label = match number {
                    EnumNumber::Explicit(Some(n)) => format!("{n} does not fit in `{base}`"),
                    EnumNumber::Explicit(None) => "this number is too large".to_owned(),
                    EnumNumber::Implicit(Some(n)) => {
                        format!("`{value}` takes {n}: one more than the value before it")
                    }
                    EnumNumber::Implicit(None) => {
                        "no number follows the value before it".to_owned()
                    }
                };
                let (lo, hi) = base.int_range().unwrap_or((0, 0));
                Diagnostic::new(
                    code,
                    format!("enum value `{value}` is out of range for `{base}`"),
                    span,
                )
                .with_label(label)
                .with_note(format!("`{base}` holds {lo} to {hi}"))
                .with_help_opt(
                    (base != Scalar::UInt32 && base != Scalar::Int32).then(|| {
                        format!(
                            "declare the enum with a wider base, e.g. `enum {enum_name}(int32)`"
                        )
                    }),
                )
            }
            CheckError::DuplicateEnumValue { name, span, first } => {
                duplicate("enum value", &name, span, first)
            }
            CheckError::DuplicateEnumNumber {
                number,
                name,
                span,
                first_name,
                first,
            } => Diagnostic::new(
                code,
                format!("enum value number {number} is used twice"),
                span,
            )
            .with_label(format!("`{name}` is {number}"))
            .with_secondary(first, format!("`{first_name}` is {number} already")),
            CheckError::FlagNotBits { name, span, bits } => Diagnostic::new(
                code,
                format!("flag `{name}` is neither a single bit nor a combination of other flags"),
                span,
            )
            .with_label(format!("{bits:#x} has bits no single-bit flag names"))
            .with_note(
                "each value of a `@Flag` enum should be a power of two, or an or of other values",
            ),
            CheckError::DuplicateField { name, span, first } => {
                duplicate("field", &name, span, first)
            }
            CheckError::RecursiveRecord {
                name,
                span,
                steps,
                cycle,
            } => {
                let mut diag = Diagnostic::new(
                    code,
                    format!("recursive type `{name}` has infinite size"),
                    span,
                )
                .with_label("contains itself by value");
                for (field, next) in steps {
                    diag = diag.with_secondary(field, format!("contains `{next}` by value"));
                }
                let names: Vec<&str> = cycle.iter().map(String::as_str).collect();
                diag.with_note(format!("cycle: {}", elide_cycle(&names)))
                    .with_help("break the cycle with a list, which may be empty: `[]T`")
            }
            CheckError::DuplicateMethod { name, span, first } => {
                duplicate("method", &name, span, first)
            }
            CheckError::DuplicateParam {
                name,
                span,
                first,
                is_return,
            } => duplicate(
                if is_return { "return value" } else { "param" },
                &name,
                span,
                first,
            ),
            CheckError::InheritanceCycle { span, cycle } => match cycle.as_slice() {
                [one] => {
                    Diagnostic::new(code, format!("contract `{one}` inherits from itself"), span)
                        .with_label("inherits from itself here")
                }
                _ => {
                    let names: Vec<&str> = cycle
                        .iter()
                        .chain(cycle.first())
                        .map(SmolStr::as_str)
                        .collect();
                    Diagnostic::new(
                        code,
                        format!("inheritance cycle through contract `{}`", cycle[0]),
                        span,
                    )
                    .with_label("this base closes the cycle")
                    .with_note(format!("cycle: {}", elide_cycle(&names)))
                }
            },
            CheckError::InheritedClash {
                method,
                contract,
                span,
                owner,
                first,
                first_owner,
                inherited_by,
            } => {
                let mut diag = Diagnostic::new(
                    code,
                    format!(
                        "method `{method}` appears twice in the methods of contract `{contract}`"
                    ),
                    span,
                )
                .with_label(format!("`{owner}.{method}`"))
                .with_secondary(first, format!("`{first_owner}.{method}` comes first"));
                if let Some(at) = inherited_by {
                    diag = diag.with_secondary(at, format!("both are inherited by `{contract}`"));
                }
                diag.with_note(
                    "a contract's methods, inherited ones included, must have distinct names",
                )
            }
            CheckError::TooManyMethods {
                name,
                span,
                count,
                max,
            } => Diagnostic::new(
                code,
                format!("contract `{name}` has too many methods"),
                span,
            )
            .with_label(format!("{count} methods, inherited ones included"))
            .with_note(format!(
                "method ids are 16-bit: a contract has at most {max} methods"
            )),
            CheckError::AsyncWithReturns {
                method,
                span,
                annotation,
            } => Diagnostic::new(
                code,
                format!("`@Async` method `{method}` cannot return values"),
                span,
            )
            .with_label("returns declared here")
            .with_secondary(annotation, "the method is one-way")
            .with_note("an `@Async` call gets no reply, so it cannot carry return values")
            .with_help("remove the returns, or remove `@Async`"),
        }
    }
}

impl From<AnnotationError> for Diagnostic {
    fn from(e: AnnotationError) -> Diagnostic {
        let code = e.code();
        match e {
            AnnotationError::NotATable {
                path,
                span,
                what,
                declared,
                record,
                shadows,
            } => {
                let mut diag = Diagnostic::new(
                    code,
                    format!("`{path}` cannot be used as an annotation"),
                    span,
                )
                .with_label(format!("this is {what}"))
                .with_secondary(declared, "declared here")
                .with_note("an annotation names a table");
                if shadows {
                    diag = diag
                        .with_note(format!(
                            "this module's `{path}` hides the built-in `gslang.{path}`"
                        ))
                        .with_help(format!("write `@gslang.{path}` for the built-in annotation"));
                } else if let Some(record) = record {
                    diag = diag.with_help(format!(
                        "declare it with `table {record}` to use it as an annotation"
                    ));
                }
                diag
            }
            AnnotationError::TooManyArguments {
                table,
                span,
                table_span,
                fields,
            } => Diagnostic::new(code, format!("too many arguments for `{table}`"), span)
                .with_label("unexpected argument")
                .with_secondary(
                    table_span,
                    format!("`{table}` has {}", plural(fields, "field", "fields")),
                ),
            AnnotationError::UnknownField {
                table,
                name,
                span,
                fields,
                suggestion,
            } => {
                let listing = if fields.is_empty() {
                    format!("`{table}` has no fields")
                } else {
                    let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
                    format!("the fields of `{table}` are {}", names.join(", "))
                };
                Diagnostic::new(code, format!("`{table}` has no field `{name}`"), span)
                    .with_label("unknown field")
                    .with_note(listing)
                    .with_help_opt(suggestion.map(|s| format!("did you mean `{s}`?")))
            }
            AnnotationError::FieldGivenTwice { field, span, first } => {
                Diagnostic::new(code, format!("field `{field}` is given twice"), span)
                    .with_label("given again here")
                    .with_secondary(first, "first given here")
            }
            AnnotationError::MismatchedValue {
                field,
                span,
                expected,
                found,
                help,
            } => Diagnostic::new(code, format!("mismatched value for field `{field}`"), span)
                .with_label(format!("expected {expected}, found {found}"))
                .with_help_opt(help),
            AnnotationError::PipeOnNonFlag {
                field,
                span,
                expected,
                enum_decl,
            } => {
                let diag = Diagnostic::new(code, "`|` only combines values of a `@Flag` enum", span)
                    .with_label(format!("field `{field}` expects {expected}"));
                match enum_decl {
                    Some((name, decl)) => diag
                        .with_secondary(decl, format!("`{name}` is not a `@Flag` enum"))
                        .with_help("annotate the enum with `@Flag` to make it a bit set"),
                    None => diag,
                }
            }
            AnnotationError::ValueOutOfRange {
                field,
                span,
                ty,
                limit,
            } => {
                let diag =
                    Diagnostic::new(code, format!("value out of range for field `{field}`"), span);
                match limit {
                    Limit::Range(lo, hi) => diag
                        .with_label(format!("does not fit in `{ty}`"))
                        .with_note(format!("`{ty}` holds {lo} to {hi}")),
                    Limit::Float => diag.with_label(format!("does not fit in `{ty}`")),
                    Limit::Unreadable => diag.with_label("this number is too large"),
                }
            }
            AnnotationError::ListValue {
                field,
                span,
                is_list,
            } => {
                let (what, zero) = if is_list {
                    ("a list", "it is then empty")
                } else {
                    ("an array", "its elements are then zero values")
                };
                Diagnostic::new(
                    code,
                    format!("field `{field}` is {what} and cannot be given in an annotation"),
                    span,
                )
                .with_label("annotation arguments cannot write lists or arrays")
                .with_help(format!("leave the field out: {zero}"))
            }
            AnnotationError::UnqualifiedConstant {
                name,
                span,
                field,
                enum_name,
                known,
                suggestion,
                values,
            } => {
                let diag = Diagnostic::new(code, format!("cannot find value `{name}`"), span)
                    .with_label(format!(
                        "field `{field}` expects a value of enum `{enum_name}`"
                    ));
                if known {
                    diag.with_help(format!(
                        "enum constants are qualified: write `{enum_name}.{name}`"
                    ))
                } else {
                    match suggestion {
                        Some(s) => diag.with_help(format!("did you mean `{enum_name}.{s}`?")),
                        None => diag.with_note(format!(
                            "the values of `{enum_name}` are {}",
                            quoted_list(&values)
                        )),
                    }
                }
            }
            AnnotationError::WrongEnum {
                field,
                span,
                expected,
                found,
                found_decl,
                shadows,
            } => {
                let mut diag = Diagnostic::new(
                    code,
                    format!("field `{field}` expects a value of enum `{expected}`"),
                    span,
                )
                .with_label(format!("this is a value of enum `{found}`"))
                .with_secondary(found_decl, format!("`{found}` declared here"));
                if shadows {
                    diag = diag
                        .with_note(format!(
                            "this module's `{found}` hides the built-in `gslang.{found}`"
                        ))
                        .with_help(format!("write `gslang.{found}.…` for a built-in value"));
                }
                diag
            }
            AnnotationError::UnknownEnumValue {
                enum_name,
                value,
                span,
                suggestion,
                values,
            } => {
                let diag = Diagnostic::new(
                    code,
                    format!("enum `{enum_name}` has no value `{value}`"),
                    span,
                )
                .with_label("unknown value");
                match suggestion {
                    Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                    None => diag.with_note(format!(
                        "the values of `{enum_name}` are {}",
                        quoted_list(&values)
                    )),
                }
            }
            AnnotationError::UsageViolation {
                table,
                span,
                target,
                usage,
                allowed,
            } => {
                let note = if allowed.is_empty() {
                    format!("`@{table}` may not be placed anywhere")
                } else {
                    format!("`@{table}` may only be placed on {}", join_or(&allowed))
                };
                Diagnostic::new(code, format!("`@{table}` cannot be placed on {target}"), span)
                    .with_label("not allowed here")
                    .with_secondary(usage, format!("`{table}` is restricted here"))
                    .with_note(note)
            }
            AnnotationError::UsageAllowsNothing { table, span } => Diagnostic::new(
                code,
                format!("`@Usage` allows `@{table}` on no target"),
                span,
            )
            .with_label("no target given")
            .with_note(format!(
                "every use of `@{table}` will be an error; a table without `@Usage` may annotate anything"
            ))
            .with_help("name the targets, e.g. `@Usage(Target.Field | Target.Method)`, or remove `@Usage`"),
            AnnotationError::ValueTooLarge {
                table,
                span,
                size,
                depth,
                max_size,
                max_depth,
            } => Diagnostic::new(
                code,
                format!("the value of `@{table}` is too large to evaluate"),
                span,
            )
            .with_label(if depth > max_depth {
                format!("its value nests records {depth} deep")
            } else {
                format!("its value holds {size} values")
            })
            .with_note(format!(
                "an annotation's value, with the zero values of the fields not given, holds at most {max_size} values nested at most {max_depth} records deep"
            )),
            AnnotationError::ShadowedAnnotation {
                name,
                span,
                declared,
            } => Diagnostic::new(
                code,
                format!("`@{name}` names this module's table, not the built-in `gslang.{name}`"),
                span,
            )
            .with_label(format!("this is the table `{name}` declared in this module"))
            .with_secondary(declared, format!("`{name}` declared here, hiding `gslang.{name}`"))
            .with_help(format!(
                "write `@gslang.{name}` for the built-in annotation, or rename the table"
            )),
        }
    }
}
