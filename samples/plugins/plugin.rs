//! The sample's gs2rust plugin, run by `build.rs`: it gives meaning to two
//! annotation tables the schema declares itself (any module may declare
//! them; the plugin knows them by their name, `Derive` and `Range`).
//!
//! - `@Derive("Trait")` on a table or struct derives `Trait` for its Rust
//!   type (a path: `Hash`, `::serde::Serialize`).
//! - `@Range(Min, Max)` on an integer field gives the type a
//!   `validate(&self) -> Result<(), RangeError>` method, which checks every
//!   ranged field, and the module a `RangeError` type.
//!
//! A `@Range` on a field that is not an integer, one whose bounds are
//! reversed or outside the field's type, or a `@Derive` whose trait is not
//! a path, is reported as an error with its span, and fails the build.

use gs2rust::names::Reservations;
use gs2rust::{Attributes, Context, Plugin, Printer};
use gslang_sema::ir::{Annotation, ItemId, Model, ModuleId, RecordId};
use gslang_syntax::Diagnostic;

/// The plugin's diagnostic codes (its own, not gslang's).
pub const BAD_RANGE: &str = "SHOP1";
/// A `@Derive` trait that is not a Rust path.
pub const BAD_DERIVE: &str = "SHOP2";

/// The plugin.
#[derive(Debug, Default)]
pub struct Shop;

/// A `@Range` of an integer field, checked.
struct Ranged {
    field: usize,
    min: i64,
    max: i64,
}

fn is(model: &Model, annotation: &Annotation, table: &str) -> bool {
    model.record(annotation.table).name == table
}

impl Shop {
    /// The checked `@Range`s of `record`'s fields; the others reported.
    fn ranges(model: &Model, record: RecordId, diags: Option<&mut Vec<Diagnostic>>) -> Vec<Ranged> {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for (i, field) in model.record(record).fields.iter().enumerate() {
            for a in field.annotations.iter().filter(|a| is(model, a, "Range")) {
                let (min, max) = (a.value.int("Min"), a.value.int("Max"));
                let (Some(min), Some(max)) = (min, max) else {
                    continue;
                };
                let limits = field.ty.as_scalar().and_then(|s| s.int_range());
                let Some((lo, hi)) = limits else {
                    errors.push(
                        Diagnostic::error(
                            BAD_RANGE,
                            format!("`@Range` on a `{}` field", model.display_type(&field.ty)),
                            a.span,
                        )
                        .with_label("only integer fields have a range")
                        .with_secondary(field.span, "this field"),
                    );
                    continue;
                };
                if min > max {
                    errors.push(
                        Diagnostic::error(
                            BAD_RANGE,
                            format!("`@Range` with `Min` {min} above `Max` {max}"),
                            a.span,
                        )
                        .with_label("no value is in this range"),
                    );
                    continue;
                }
                if min < lo || max > hi {
                    errors.push(
                        Diagnostic::error(
                            BAD_RANGE,
                            format!(
                                "`@Range({min}, {max})` reaches outside `{}` ({lo} to {hi})",
                                model.display_type(&field.ty)
                            ),
                            a.span,
                        )
                        .with_label("the bounds must be values of the field's type"),
                    );
                    continue;
                }
                // `Range`'s fields are int64: gslang checked the bounds fit.
                out.push(Ranged {
                    field: i,
                    min: min as i64,
                    max: max as i64,
                });
            }
        }
        if let Some(diags) = diags {
            diags.extend(errors);
        }
        out
    }

    fn module_has_ranges(model: &Model, module: ModuleId) -> bool {
        model.module(module).items.iter().any(|item| match item {
            ItemId::Record(id) => model
                .record(*id)
                .fields
                .iter()
                .any(|f| f.annotations.iter().any(|a| is(model, a, "Range"))),
            _ => false,
        })
    }
}

impl Plugin for Shop {
    fn name(&self) -> &str {
        "shop"
    }

    fn reserve(&mut self, model: &Model, names: &mut Reservations) {
        for (id, module) in model.modules().iter() {
            if Self::module_has_ranges(model, id) {
                let span = gslang_syntax::Span::new(module.file, 0, 0);
                names.reserve(id, "RangeError", "`RangeError` (plugin shop)", span);
            }
        }
    }

    fn item_attributes(&mut self, cx: &mut Context<'_>, item: ItemId, attrs: &mut Attributes) {
        let ItemId::Record(_) = item else {
            return;
        };
        let model = cx.model;
        for a in model
            .item_annotations(item)
            .iter()
            .filter(|a| is(model, a, "Derive"))
        {
            let name = a.value.str("Trait").unwrap_or("");
            let is_path = !name.is_empty()
                && name.trim_start_matches("::").split("::").all(|part| {
                    part.chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_')
                        && part.chars().all(|c| c.is_alphanumeric() || c == '_')
                });
            if is_path {
                attrs.derive(name);
            } else {
                cx.report(
                    Diagnostic::error(
                        BAD_DERIVE,
                        format!("`@Derive({name:?})` is not a trait path"),
                        a.span,
                    )
                    .with_label("expected a path such as `Hash` or `::serde::Serialize`"),
                );
            }
        }
    }

    fn after_item(&mut self, cx: &mut Context<'_>, item: ItemId, out: &mut Printer) {
        let ItemId::Record(id) = item else {
            return;
        };
        let model = cx.model;
        let mut diags = Vec::new();
        let ranges = Self::ranges(model, id, Some(&mut diags));
        for d in diags {
            cx.report(d);
        }
        if ranges.is_empty() {
            return;
        }
        let names = cx.names.record(id);
        let record = model.record(id);
        out.open(format_args!("impl {} {{", names.ty));
        out.line(
            "/// Checks every field with a `@Range`: the first out of its range is the error.",
        );
        out.open("pub fn validate(&self) -> ::core::result::Result<(), RangeError> {");
        for r in &ranges {
            let field = &names.fields[r.field];
            out.line(format_args!("let value = i128::from(self.{field});"));
            out.open(format_args!(
                "if !({}..={}).contains(&value) {{",
                r.min, r.max
            ));
            out.open("return Err(RangeError {");
            out.line(format_args!(
                "field: {:?},",
                record.fields[r.field].name.as_str()
            ));
            out.line("value,");
            out.line(format_args!("min: {},", r.min));
            out.line(format_args!("max: {},", r.max));
            out.close("});");
            out.close("}");
        }
        out.line("Ok(())");
        out.close("}");
        out.close("}");
    }

    fn after_module(&mut self, cx: &mut Context<'_>, out: &mut Printer) {
        if !Self::module_has_ranges(cx.model, cx.module) {
            return;
        }
        out.line("/// A field outside its `@Range`.");
        out.line("#[derive(Clone, Debug, PartialEq, Eq)]");
        out.open("pub struct RangeError {");
        out.line("/// The field's schema name.");
        out.line("pub field: &'static str,");
        out.line("/// Its value.");
        out.line("pub value: i128,");
        out.line("/// The least value it may have.");
        out.line("pub min: i64,");
        out.line("/// The greatest value it may have.");
        out.line("pub max: i64,");
        out.close("}");
        out.open("impl ::core::fmt::Display for RangeError {");
        out.open("fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {");
        out.line(
            "write!(f, \"{} is {}, outside {}..={}\", self.field, self.value, self.min, self.max)",
        );
        out.close("}");
        out.close("}");
        out.line("impl ::std::error::Error for RangeError {}");
    }
}
