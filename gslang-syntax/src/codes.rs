//! The registry of diagnostic codes.
//!
//! Every phase declares its diagnostics once, as an enum made by
//! [`diagnostics!`](crate::diagnostics): one variant per code, holding the
//! data of the report (spans, names), with a one-line summary as its doc
//! comment. The phase converts its enum into [`Diagnostic`](crate::Diagnostic)s
//! in one place. The enums' `CODES` lists are the registry that
//! `DIAGNOSTICS.md` is generated from and that the test suite checks every
//! code against (each has a UI test).

use crate::diag::Severity;

/// A diagnostic code: its stable id and the one-line summary `DIAGNOSTICS.md` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Code {
    /// `E0301` (an error), `W0320` (a warning) or `N0740` (a note).
    pub id: &'static str,
    /// What it reports, in a phrase.
    pub summary: &'static str,
}

impl Code {
    /// A code; `summary` may carry the leading space of a doc comment.
    pub const fn new(id: &'static str, summary: &'static str) -> Code {
        Code {
            id,
            summary: summary.trim_ascii(),
        }
    }

    /// Errors are `E` codes, warnings `W` codes, notes `N` codes.
    pub const fn severity(&self) -> Severity {
        match self.id.as_bytes() {
            [b'W', ..] => Severity::Warning,
            [b'N', ..] => Severity::Note,
            _ => Severity::Error,
        }
    }
}

/// The diagnostics of one phase, as `DIAGNOSTICS.md` lists them.
#[derive(Clone, Copy, Debug)]
pub struct Phase {
    /// The section title (`Modules and imports`).
    pub title: &'static str,
    /// Where the phase lives (`gslang-sema::load`).
    pub location: &'static str,
    /// Its codes, in order.
    pub codes: &'static [Code],
}

/// Declares the diagnostics of a phase: an enum with one variant per code,
/// its `CODES`, its [`Phase`], and `code()`.
///
/// ```
/// gslang_syntax::diagnostics! {
///     /// Example errors.
///     #[phase = "Examples", location = "demo"]
///     pub enum DemoError {
///         /// a thing that is wrong
///         E9999 Wrong { span: gslang_syntax::Span },
///     }
/// }
/// let e = DemoError::Wrong { span: Default::default() };
/// assert_eq!(e.code().id, "E9999");
/// assert_eq!(DemoError::CODES[0].summary, "a thing that is wrong");
/// ```
#[macro_export]
macro_rules! diagnostics {
    (
        $(#[doc = $doc:literal])*
        #[phase = $title:literal, location = $location:literal]
        $vis:vis enum $name:ident {
            $(
                #[doc = $summary:literal]
                $(#[doc = $more:literal])*
                $code:ident $variant:ident { $($field:ident : $ty:ty),* $(,)? }
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        // The variant's doc says what it reports; its fields are the data of the report.
        #[allow(missing_docs)]
        $vis enum $name {
            $(
                #[doc = concat!("`", stringify!($code), "`: ", $summary)]
                $(#[doc = $more])*
                $variant { $($field: $ty),* },
            )*
        }

        impl $name {
            /// Every code of this phase, in order.
            pub const CODES: &'static [$crate::codes::Code] =
                &[$($crate::codes::Code::new(stringify!($code), $summary)),*];

            /// The phase, as `DIAGNOSTICS.md` lists it.
            pub const PHASE: $crate::codes::Phase = $crate::codes::Phase {
                title: $title,
                location: $location,
                codes: Self::CODES,
            };

            /// The code of this diagnostic.
            pub fn code(&self) -> $crate::codes::Code {
                match self {
                    $(Self::$variant { .. } => $crate::codes::Code::new(stringify!($code), $summary),)*
                }
            }
        }
    };
}
