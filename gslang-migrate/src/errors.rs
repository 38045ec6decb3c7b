//! Every diagnostic of the migration, declared once (see
//! [`gslang_syntax::codes`]): errors for what cannot be converted (the file
//! is not written), warnings for what is converted with a loss (the file is
//! written, the loss said), notes for what changes meaning on the wire or
//! is kept in a form of its own.

use gslang_syntax::codes::Phase;
use gslang_syntax::{Diagnostic, Span};

gslang_syntax::diagnostics! {
    /// Migration from the old dialects (`gsc migrate`).
    #[phase = "Migration", location = "gslang-migrate"]
    pub enum MigrateError {
        /// the file cannot be read in any dialect: the first token that fits none; the file is not converted
        E0801 Syntax { span: Span, message: String },
        /// a `using` (or a full name) names a package that no file of the run declares and no `--map` maps; the help names the option
        E0802 UnknownPackage { span: Span, package: String, name: String },
        /// a `using` names a type its package's files do not declare
        E0803 UnknownType { span: Span, package: String, name: String },
        /// a type with no counterpart in the current language (`int`, `void` as a field type), or an enum with no values
        E0804 NoCounterpart { span: Span, what: String, help: Option<String> },
        /// a 2014 import of a package directory that no `--map` maps: it is dropped (kept as a comment)
        W0805 DroppedImport { span: Span, path: String },
        /// an annotation whose built-in cannot be placed there in the current language (`@Flag` on a table, `@Async` on a param): it is dropped (kept as a comment)
        W0806 DroppedAnnotation { span: Span, name: String, reason: &'static str },
        /// a built-in of the 2015 dialect used without its `using`: taken for the built-in
        W0807 ImplicitBuiltin { span: Span, name: String },
        /// `throws` has no counterpart (errors are values of `@Error` enums): the list is kept as `@gslang2015.Throws` annotations
        N0808 ThrowsKept { span: Span },
        /// the file was written in an old dialect, whose wire format is not this toolchain's: peers built from the old schema cannot talk to peers built from the migrated one
        N0809 WireFormat { span: Span, dialect: &'static str },
        /// `@Exception` on an enum becomes `@Error`: the enum is an error domain
        N0810 ExceptionEnum { span: Span },
        /// a 2015 enum whose values do not fit `byte` (the current default base) gets the base `int32`, the 2015 dialect's
        N0811 EnumBase { span: Span, name: String },
        /// the converted text does not parse: an error of the original that the migration passes on (an enum base that is not an integer type), or a bug of the migration; the file is not written
        E0812 Internal { span: Span, message: String },
    }
}

/// The phases of this crate, for `DIAGNOSTICS.md`.
pub const PHASES: &[Phase] = &[MigrateError::PHASE];

impl From<MigrateError> for Diagnostic {
    fn from(e: MigrateError) -> Diagnostic {
        let code = e.code();
        match e {
            MigrateError::Syntax { span, message } => {
                Diagnostic::new(code, format!("cannot read the file: {message}"), span)
                    .with_label("not in the 2014 or 2015 dialect, nor in the current language")
                    .with_note("the file is not converted")
            }
            MigrateError::UnknownPackage {
                span,
                package,
                name,
            } => Diagnostic::new(
                code,
                format!("no file of this run declares package `{package}`"),
                span,
            )
            .with_label(format!("`{name}` is declared in `{package}`"))
            .with_help(format!(
                "migrate the files of `{package}` in the same run, or pass `--map {package}=FILE` with the file that declares it"
            )),
            MigrateError::UnknownType {
                span,
                package,
                name,
            } => Diagnostic::new(
                code,
                format!("package `{package}` declares no type `{name}`"),
                span,
            )
            .with_label("not declared by any file of the package in this run"),
            MigrateError::NoCounterpart { span, what, help } => Diagnostic::new(
                code,
                format!("{what} has no counterpart in the current language"),
                span,
            )
            .with_label("cannot be converted")
            .with_help_opt(help),
            MigrateError::DroppedImport { span, path } => Diagnostic::new(
                code,
                format!("the import of package directory \"{path}\" is dropped"),
                span,
            )
            .with_label("kept as a comment")
            .with_help(format!(
                "pass `--map {path}=FILE` to import the file that replaces it"
            )),
            MigrateError::DroppedAnnotation { span, name, reason } => Diagnostic::new(
                code,
                format!("annotation `@{name}` is dropped: {reason}"),
                span,
            )
            .with_label("kept as a comment"),
            MigrateError::ImplicitBuiltin { span, name } => Diagnostic::new(
                code,
                format!("`{name}` is used without `using gslang.{name};`"),
                span,
            )
            .with_label("taken for the built-in `gslang.{name}`".replace("{name}", &name)),
            MigrateError::ThrowsKept { span } => Diagnostic::new(
                code,
                "`throws` has no counterpart: the exceptions are kept as `@gslang2015.Throws` annotations",
                span,
            )
            .with_label("kept as annotations of the method")
            .with_note("the current language reports failures as values of `@Error` enums (wire.md, ErrReturn)"),
            MigrateError::WireFormat { span, dialect } => Diagnostic::new(
                code,
                format!("this file is written in {dialect}, whose wire format is not this toolchain's"),
                span,
            )
            .with_label(format!("{dialect} starts here"))
            .with_note("peers generated from the old schema cannot talk to peers generated from the migrated one (docs/migrate.md)"),
            MigrateError::ExceptionEnum { span } => Diagnostic::new(
                code,
                "`@Exception` on an enum becomes `@Error`",
                span,
            )
            .with_label("the enum becomes an error domain"),
            MigrateError::EnumBase { span, name } => Diagnostic::new(
                code,
                format!("the values of `{name}` do not fit `byte`: its base becomes `int32`"),
                span,
            )
            .with_label("2015 enums were `int32`"),
            MigrateError::Internal { span, message } => Diagnostic::new(
                code,
                format!("the converted file does not parse: {message}"),
                span,
            )
            .with_label("in this file")
            .with_note("the file is not written; if the original has no such error, this is a bug of gsc migrate"),
        }
    }
}
