//! enum → a `#[repr(base)]` Rust enum with `TryFrom<base>`, `From<Enum> for
//! base`, `Default` (the first value) and `Wire` (unknown values rejected);
//! `@Flag` enum → a newtype over the base, with the bit operations from
//! `gscluster::flags!`.

use gslang_sema::ir::{EnumId, ItemId};

use super::{Cx, Printer, Site, str_lit};
use crate::printer::Arm;
use crate::types::scalar;

pub(crate) fn emit(cx: &mut Cx<'_, '_>, p: &mut Printer, id: EnumId) {
    let e = cx.model.enum_(id);
    if e.is_flag {
        emit_flags(cx, p, id);
    } else {
        emit_enum(cx, p, id);
    }
    // `gslang.Fault` travels with an empty domain (wire.md §3): it is no
    // application error.
    if cx.rpc && e.is_error && id != cx.model.builtins().fault {
        emit_error_domain(cx, p, id);
    }
}

/// An `@Error` enum's `ErrorEnum` impl: its domain id and its codes, so
/// that handlers fail calls with its values and callers match on them.
fn emit_error_domain(cx: &mut Cx<'_, '_>, p: &mut Printer, id: EnumId) {
    let model = cx.model;
    let e = model.enum_(id);
    let names = cx.names.enum_(id);
    let name = &names.ty;
    let base = scalar(e.base);
    // A byte string, one token: an array of 16 numbers would be laid out
    // by a formatter in rows.
    let domain: String = model
        .error_domain(id)
        .iter()
        .map(|b| format!("\\x{b:02x}"))
        .collect();
    p.open(format_args!(
        "impl ::gscluster::rpc::ErrorEnum for {name} {{"
    ));
    p.line(format_args!(
        "/// The first 16 bytes of SHA-256 of `\"gslang.error:{}\"`.",
        model.full_name(gslang_sema::ir::ItemId::Enum(id))
    ));
    p.line(format_args!("const DOMAIN: [u8; 16] = *b\"{domain}\";"));
    p.line(format_args!(
        "const NAME: &'static str = {};",
        str_lit(&model.full_name(gslang_sema::ir::ItemId::Enum(id)))
    ));
    // `ErrReturn.Code` is an `int32`: a `uint32` value travels as its bits.
    let wide = e.base == gslang_sema::ir::Scalar::UInt32;
    p.open("fn code(self) -> i32 {");
    match (e.is_flag, wide) {
        (true, true) => p.line("self.bits() as i32"),
        (true, false) if e.base == gslang_sema::ir::Scalar::Int32 => p.line("self.bits()"),
        (true, false) => p.line("i32::from(self.bits())"),
        (false, true) => p.line("self as u32 as i32"),
        (false, false) if e.base == gslang_sema::ir::Scalar::Int32 => p.line("self as i32"),
        (false, false) => p.line(format_args!("i32::from(self as {base})")),
    }
    p.close("}");
    p.open("fn from_code(code: i32) -> ::core::option::Option<Self> {");
    match (e.is_flag, wide) {
        (true, true) => p.line("::core::option::Option::Some(Self::from_bits_retain(code as u32))"),
        (true, false) if e.base == gslang_sema::ir::Scalar::Int32 => {
            p.line("::core::option::Option::Some(Self::from_bits_retain(code))")
        }
        (true, false) => p.line(format_args!(
            "{base}::try_from(code).ok().map(Self::from_bits_retain)"
        )),
        (false, true) => p.line("Self::try_from(code as u32).ok()"),
        (false, false) if e.base == gslang_sema::ir::Scalar::Int32 => {
            p.line("Self::try_from(code).ok()")
        }
        (false, false) => p.line(format_args!(
            "{base}::try_from(code).ok().and_then(|v| Self::try_from(v).ok())"
        )),
    }
    p.close("}");
    p.open("fn value_name(self) -> &'static str {");
    if e.is_flag {
        p.line(str_lit(&e.name));
    } else {
        p.open("match self {");
        for (v, rust) in e.values.iter().zip(&names.values) {
            let name = str_lit(&v.name);
            p.arm(format_args!("Self::{rust}"), Arm::Plain(&name));
        }
        p.close("}");
    }
    p.close("}");
    p.close("}");
}

fn emit_enum(cx: &mut Cx<'_, '_>, p: &mut Printer, id: EnumId) {
    let e = cx.model.enum_(id);
    let names = cx.names.enum_(id);
    let name = &names.ty;
    let base = scalar(e.base);
    let variants = &names.values;

    p.docs(&e.docs);
    cx.attribute_lines(
        p,
        Site::Item(ItemId::Enum(id)),
        &[
            "Clone",
            "Copy",
            "Debug",
            "Default",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
    );
    p.line(format_args!("#[repr({base})]"));
    p.open(format_args!("pub enum {name} {{"));
    for (i, (v, rust)) in e.values.iter().zip(variants).enumerate() {
        p.docs(&v.docs);
        cx.attribute_lines(p, Site::Value(id, i), &[]);
        if i == 0 {
            p.line("#[default]");
        }
        p.line(format_args!("{rust} = {},", v.value));
    }
    p.close("}");

    p.open(format_args!(
        "impl ::core::convert::TryFrom<{base}> for {name} {{"
    ));
    p.line(format_args!("type Error = {base};"));
    p.line("#[inline]");
    p.open(format_args!(
        "fn try_from(value: {base}) -> ::core::result::Result<Self, {base}> {{"
    ));
    p.open("match value {");
    for (v, rust) in e.values.iter().zip(variants) {
        p.arm(
            v.value,
            Arm::Call("::core::result::Result::Ok", &[format!("Self::{rust}")]),
        );
    }
    p.line("_ => ::core::result::Result::Err(value),");
    p.close("}");
    p.close("}");
    p.close("}");

    p.open(format_args!(
        "impl ::core::convert::From<{name}> for {base} {{"
    ));
    p.line("#[inline]");
    p.open(format_args!("fn from(value: {name}) -> {base} {{"));
    p.line(format_args!("value as {base}"));
    p.close("}");
    p.close("}");

    let width = e.base.min_len();
    p.open(format_args!("impl ::gscluster::Wire for {name} {{"));
    p.line(format_args!("const MIN_LEN: usize = {width};"));
    p.line("#[inline]");
    p.open("fn encoded_len(&self) -> usize {");
    p.line(width);
    p.close("}");
    p.line("#[inline]");
    p.open("fn encode(&self, w: &mut ::gscluster::Writer<'_>) {");
    p.line(format_args!("{base}::from(*self).encode(w);"));
    p.close("}");
    p.line("#[inline]");
    p.open("fn decode(r: &mut ::gscluster::Reader<'_>) -> ::gscluster::Result<Self> {");
    p.list(
        &format!("::gscluster::encoding::decode_enum::<{base}, Self>("),
        &[
            "r".to_owned(),
            str_lit(&e.name),
            "Self::try_from".to_owned(),
        ],
        ")",
    );
    p.close("}");
    p.close("}");
}

fn emit_flags(cx: &mut Cx<'_, '_>, p: &mut Printer, id: EnumId) {
    let e = cx.model.enum_(id);
    let names = cx.names.enum_(id);
    let name = &names.ty;
    let base = scalar(e.base);
    let consts = &names.values;
    p.docs(&e.docs);
    cx.attribute_lines(
        p,
        Site::Item(ItemId::Enum(id)),
        &[
            "Clone",
            "Copy",
            "Default",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
    );
    p.line(format_args!("pub struct {name}({base});"));
    p.open(format_args!("impl {name} {{"));
    for (i, (v, rust)) in e.values.iter().zip(consts).enumerate() {
        p.docs(&v.docs);
        cx.attribute_lines(p, Site::Value(id, i), &[]);
        p.line(format_args!("pub const {rust}: Self = Self({});", v.value));
    }
    p.close("}");
    p.line(format_args!(
        "::gscluster::flags!({name}({base}) {{ {} }});",
        consts.join(", ")
    ));
}
