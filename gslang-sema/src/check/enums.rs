//! Enums (spec §5): values numbered and in range of the base, unique names
//! and numbers, at least one value; `@Flag` values that are neither a single
//! bit nor a combination of the other flags are warned about.

use gslang_syntax::Diagnostic;
use rustc_hash::FxHashMap;

use crate::cx::Cx;
use crate::ir::{EnumId, int_type_name, int_type_range};

impl Cx<'_> {
    pub(crate) fn check_enums(&mut self) {
        for id in 0..self.enums.len() {
            self.number_values(EnumId(id as u32));
        }
    }

    fn number_values(&mut self, id: EnumId) {
        let values = self.enum_values(id);
        let e = &self.enums[id.index()];
        let (base, span, name) = (e.base, e.span, e.name.clone());
        if values.is_empty() {
            self.error(
                Diagnostic::error("E0330", format!("enum `{name}` has no values"), span)
                    .with_label("declared here")
                    .with_note("an enum must have at least one value"),
            );
            return;
        }
        let (lo, hi) = int_type_range(base);
        let base_name = int_type_name(base);
        let mut next: Option<i128> = Some(0);
        let mut by_number: FxHashMap<i64, usize> = FxHashMap::default();
        for (index, value) in values.iter().enumerate() {
            let number = match &value.value {
                Some(lit) => lit.value(),
                None => next,
            };
            match number {
                Some(n) if (i128::from(lo)..=i128::from(hi)).contains(&n) => {
                    let n = n as i64;
                    self.enums[id.index()].values[index].value = n;
                    next = Some(i128::from(n) + 1);
                    match by_number.get(&n) {
                        Some(&first) => {
                            let first = &values[first];
                            self.error(
                                Diagnostic::error(
                                    "E0333",
                                    format!("enum value number {n} is used twice"),
                                    value.value.as_ref().map_or(value.name.span, |l| l.span),
                                )
                                .with_label(format!("`{}` is {n}", value.name))
                                .with_secondary(
                                    first.value.as_ref().map_or(first.name.span, |l| l.span),
                                    format!("`{}` is {n} already", first.name),
                                ),
                            );
                        }
                        None => {
                            by_number.insert(n, index);
                        }
                    }
                }
                _ => {
                    let range = format!("`{base_name}` holds {lo} to {hi}");
                    let diag = match &value.value {
                        Some(lit) => Diagnostic::error(
                            "E0331",
                            format!(
                                "enum value `{}` is out of range for `{base_name}`",
                                value.name
                            ),
                            lit.span,
                        )
                        .with_label(match lit.value() {
                            Some(n) => format!("{n} does not fit in `{base_name}`"),
                            None => "this number is too large".to_owned(),
                        }),
                        None => Diagnostic::error(
                            "E0331",
                            format!(
                                "enum value `{}` is out of range for `{base_name}`",
                                value.name
                            ),
                            value.name.span,
                        )
                        .with_label(match number {
                            Some(n) => format!(
                                "`{}` takes {n}: one more than the value before it",
                                value.name
                            ),
                            None => "no number follows the value before it".to_owned(),
                        }),
                    };
                    self.error(diag.with_note(range).with_help_opt(
                        (base_name != "uint32" && base_name != "int32").then(|| {
                            format!("declare the enum with a wider base, e.g. `enum {name}(int32)`")
                        }),
                    ));
                    next = number.map(|n| n + 1);
                }
            }
        }
        super::duplicates(
            values.iter().map(|v| (v.name.name.as_str(), v.name.span)),
            "E0332",
            "enum value",
            &mut self.diags,
        );
    }

    /// Warns about `@Flag` values that are not a bit nor a combination of bits of other values.
    pub(crate) fn check_flags(&mut self) {
        for id in 0..self.enums.len() {
            let e = &self.enums[id];
            if !e.is_flag {
                continue;
            }
            let bits = |v: i64| -> u64 {
                match e.base {
                    crate::ir::IntType::Byte | crate::ir::IntType::SByte => v as u64 & 0xff,
                    crate::ir::IntType::Int16 | crate::ir::IntType::UInt16 => v as u64 & 0xffff,
                    _ => v as u64 & 0xffff_ffff,
                }
            };
            let singles: u64 = e
                .values
                .iter()
                .map(|v| bits(v.value))
                .filter(|b| b.is_power_of_two())
                .fold(0, |acc, b| acc | b);
            let mut warnings = Vec::new();
            for v in &e.values {
                let b = bits(v.value);
                if b != 0 && !b.is_power_of_two() && b & !singles != 0 {
                    warnings.push(
                        Diagnostic::warning(
                            "W0334",
                            format!("flag `{}` is neither a single bit nor a combination of other flags", v.name),
                            v.span,
                        )
                        .with_label(format!("{:#x} has bits no single-bit flag names", b))
                        .with_note("each value of a `@Flag` enum should be a power of two, or an or of other values"),
                    );
                }
            }
            self.diags.extend(warnings);
        }
    }
}
