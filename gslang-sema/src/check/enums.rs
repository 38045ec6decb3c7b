//! Enums (spec §5): values numbered and in range of the base, unique names
//! and numbers, at least one value; `@Flag` values that are neither a single
//! bit nor a combination of the other flags are warned about.
//!
//! Numbering makes the IR enums: [`number`] returns them with every value's
//! number, for the passes after it.

use gslang_syntax::{Diagnostic, Scalar};
use rustc_hash::FxHashMap;

use crate::collect::Collected;
use crate::errors::{CheckError, EnumNumber};
use crate::ids::{Arena, EnumId};
use crate::ir;

/// Numbers the values of every enum and checks them.
pub(crate) fn number(
    collected: &Collected<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Arena<EnumId, ir::Enum> {
    let mut enums = Arena::new();
    for (id, decl) in collected.enums.iter() {
        let base = match &decl.ast.kind {
            gslang_syntax::ast::DeclKind::Enum { base, .. } => {
                base.map_or(Scalar::Byte, |(b, _)| b)
            }
            _ => Scalar::Byte,
        };
        let values = collected.enum_values(id);
        let name = decl.ast.name.name.clone();
        if values.is_empty() {
            diags.push(
                CheckError::EmptyEnum {
                    name: name.clone(),
                    span: decl.ast.name.span,
                }
                .into(),
            );
        }
        let (lo, hi) = base.int_range().unwrap_or((0, 0));
        let mut next: Option<i128> = Some(0);
        let mut by_number: FxHashMap<i64, usize> = FxHashMap::default();
        let mut ir_values = Vec::with_capacity(values.len());
        for (index, value) in values.iter().enumerate() {
            let number = match &value.value {
                Some(lit) => lit.value(),
                None => next,
            };
            let span = value.value.as_ref().map_or(value.name.span, |l| l.span);
            let n = match number {
                Some(n) if (lo..=hi).contains(&n) => {
                    let n = n as i64;
                    next = Some(i128::from(n) + 1);
                    match by_number.get(&n) {
                        Some(&first) => {
                            let first = &values[first];
                            diags.push(
                                CheckError::DuplicateEnumNumber {
                                    number: n,
                                    name: value.name.name.clone(),
                                    span,
                                    first_name: first.name.name.clone(),
                                    first: first.value.as_ref().map_or(first.name.span, |l| l.span),
                                }
                                .into(),
                            );
                        }
                        None => {
                            by_number.insert(n, index);
                        }
                    }
                    n
                }
                _ => {
                    diags.push(
                        CheckError::EnumValueOutOfRange {
                            enum_name: name.clone(),
                            value: value.name.name.clone(),
                            base,
                            span,
                            number: match &value.value {
                                Some(lit) => EnumNumber::Explicit(lit.value()),
                                None => EnumNumber::Implicit(number),
                            },
                        }
                        .into(),
                    );
                    next = number.map(|n| n + 1);
                    0
                }
            };
            ir_values.push(ir::EnumValue {
                name: value.name.name.clone(),
                value: n,
                docs: value.docs.0.clone(),
                annotations: Vec::new(),
                span: value.name.span,
            });
        }
        super::duplicates(
            values.iter().map(|v| (v.name.name.as_str(), v.name.span)),
            diags,
            |name, span, first| CheckError::DuplicateEnumValue {
                name: name.into(),
                span,
                first,
            },
        );
        let pushed = enums.push(ir::Enum {
            module: decl.module,
            name,
            base,
            values: ir_values,
            is_flag: false,
            is_error: false,
            docs: decl.ast.docs.0.clone(),
            annotations: Vec::new(),
            span: decl.ast.name.span,
        });
        debug_assert_eq!(pushed, id);
    }
    enums
}

/// Warns about `@Flag` values that are not a bit nor a combination of bits
/// of other values. Runs after annotations, which mark the `@Flag` enums.
pub(crate) fn check_flags(enums: &Arena<EnumId, ir::Enum>, diags: &mut Vec<Diagnostic>) {
    for e in enums.values().filter(|e| e.is_flag) {
        let mask = match e.base.fixed_len() {
            Some(1) => 0xff,
            Some(2) => 0xffff,
            _ => 0xffff_ffff,
        };
        let bits = |v: i64| -> u64 { v as u64 & mask };
        let singles: u64 = e
            .values
            .iter()
            .map(|v| bits(v.value))
            .filter(|b| b.is_power_of_two())
            .fold(0, |acc, b| acc | b);
        for v in &e.values {
            let b = bits(v.value);
            if b != 0 && !b.is_power_of_two() && b & !singles != 0 {
                diags.push(
                    CheckError::FlagNotBits {
                        name: v.name.clone(),
                        span: v.span,
                        bits: b,
                    }
                    .into(),
                );
            }
        }
    }
}
