//! enum → a `#[repr(base)]` Rust enum with `TryFrom<base>`, `From<Enum> for
//! base`, `Default` (the first value) and `Wire` (unknown values rejected);
//! `@Flag` enum → a newtype over the base, with the bit operations from
//! `gscluster::flags!`.

use gslang_sema::ir::EnumId;

use super::{Cx, Printer, str_lit};
use crate::names::{self, Scope};
use crate::types::{int_rust, int_width};

pub(crate) fn emit(cx: &mut Cx<'_>, p: &mut Printer, id: EnumId) {
    if cx.model.enum_(id).is_flag {
        emit_flags(cx, p, id);
    } else {
        emit_enum(cx, p, id);
    }
}

fn emit_enum(cx: &mut Cx<'_>, p: &mut Printer, id: EnumId) {
    let e = cx.model.enum_(id);
    let name = names::type_name(&e.name);
    let base = int_rust(e.base);
    let variants: Vec<String> = e.values.iter().map(|v| names::type_name(&v.name)).collect();
    let mut scope = Scope::new("enum variant");
    for (v, rust) in e.values.iter().zip(&variants) {
        scope.claim(rust, &v.name, v.span, cx.diags);
    }

    p.docs(&e.docs);
    cx.deprecated(p, &e.annotations);
    p.line("#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]");
    p.line(format_args!("#[repr({base})]"));
    p.open(format_args!("pub enum {name} {{"));
    for (i, (v, rust)) in e.values.iter().zip(&variants).enumerate() {
        p.docs(&v.docs);
        cx.deprecated(p, &v.annotations);
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
    for (v, rust) in e.values.iter().zip(&variants) {
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

    let width = int_width(e.base);
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

fn emit_flags(cx: &mut Cx<'_>, p: &mut Printer, id: EnumId) {
    let e = cx.model.enum_(id);
    let name = names::type_name(&e.name);
    let base = int_rust(e.base);
    let consts: Vec<String> = e
        .values
        .iter()
        .map(|v| names::const_name(&v.name))
        .collect();
    let mut scope = Scope::new("flag constant");
    for (v, rust) in e.values.iter().zip(&consts) {
        scope.claim(rust, &v.name, v.span, cx.diags);
    }
    p.docs(&e.docs);
    cx.deprecated(p, &e.annotations);
    p.line("#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]");
    p.line(format_args!("pub struct {name}({base});"));
    p.open(format_args!("impl {name} {{"));
    for (v, rust) in e.values.iter().zip(&consts) {
        p.docs(&v.docs);
        cx.deprecated(p, &v.annotations);
        p.line(format_args!("pub const {rust}: Self = Self({});", v.value));
    }
    p.close("}");
    p.line(format_args!(
        "::gscluster::flags!({name}({base}) {{ {} }});",
        consts.join(", ")
    ));
}
