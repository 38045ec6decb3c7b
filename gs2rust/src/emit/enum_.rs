//! enum → a `#[repr(base)]` Rust enum with `TryFrom<base>`, `From<Enum> for
//! base`, `Default` (the first value) and `Wire` (unknown values rejected);
//! `@Flag` enum → a newtype over the base, with the bit operations from
//! `gscluster::flags!`.

use gslang_sema::ir::{EnumId, ItemId};

use super::{Cx, Printer, Site, str_lit};
use crate::types::scalar;

pub(crate) fn emit(cx: &mut Cx<'_, '_>, p: &mut Printer, id: EnumId) {
    if cx.model.enum_(id).is_flag {
        emit_flags(cx, p, id);
    } else {
        emit_enum(cx, p, id);
    }
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
        p.line(format_args!(
            "{} => ::core::result::Result::Ok(Self::{rust}),",
            v.value
        ));
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
    p.line(format_args!(
        "::gscluster::encoding::decode_enum::<{base}, Self>(r, {}, Self::try_from)",
        str_lit(&e.name)
    ));
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
