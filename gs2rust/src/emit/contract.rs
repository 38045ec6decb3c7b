//! contract → an enum of its methods by method id (the flattened method list
//! of spec §5), with the contract's full name. Service traits and clients
//! come with the RPC layer.

use gslang_sema::ir::{ContractId, ItemId};

use super::{Cx, Printer, Site, str_lit};
use crate::printer::Arm;

pub(crate) fn emit(cx: &mut Cx<'_, '_>, p: &mut Printer, id: ContractId) {
    let model = cx.model;
    let c = model.contract(id);
    let name = &cx.names.contract(id).methods_enum;
    let methods = model.methods(id);
    let variants: Vec<&String> = methods
        .iter()
        .map(|m| &cx.names.method(m.contract, m.index).variant)
        .collect();
    let full_name = model.full_name(ItemId::Contract(id));

    p.line(format_args!(
        "/// The methods of contract `{full_name}`, by method id."
    ));
    if !c.docs.is_empty() {
        p.line("///");
        p.docs(&c.docs);
    }
    cx.attribute_lines(
        p,
        Site::Item(ItemId::Contract(id)),
        &[
            "Clone",
            "Copy",
            "Debug",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
    );
    if methods.is_empty() {
        p.line(format_args!("pub enum {name} {{}}"));
    } else {
        p.line("#[repr(u16)]");
        p.open(format_args!("pub enum {name} {{"));
        for (m, rust) in methods.iter().zip(&variants) {
            let method = model.method(*m);
            p.docs(&method.docs);
            cx.attribute_lines(p, Site::Method(id, *m), &[]);
            p.line(format_args!("{rust} = {},", m.id));
        }
        p.close("}");
    }

    p.open(format_args!("impl {name} {{"));
    p.line("/// The contract's full name, as announced in `CER.Type`.");
    p.line(format_args!(
        "pub const CONTRACT: &'static str = {};",
        str_lit(&full_name)
    ));
    p.line("/// The number of methods.");
    p.line(format_args!("pub const COUNT: u16 = {};", methods.len()));
    p.line("/// The method id.");
    p.open("pub fn id(self) -> u16 {");
    if methods.is_empty() {
        p.line("match self {}");
    } else {
        p.line("self as u16");
    }
    p.close("}");
    p.line("/// The method with this id, if any.");
    if methods.is_empty() {
        p.open("pub fn from_id(_id: u16) -> ::core::option::Option<Self> {");
        p.line("::core::option::Option::None");
    } else {
        p.open("pub fn from_id(id: u16) -> ::core::option::Option<Self> {");
        p.open("match id {");
        for (m, rust) in methods.iter().zip(&variants) {
            p.arm(
                m.id,
                Arm::Call("::core::option::Option::Some", &[format!("Self::{rust}")]),
            );
        }
        p.line("_ => ::core::option::Option::None,");
        p.close("}");
    }
    p.close("}");
    p.line("/// The method's name in the schema.");
    p.open("pub fn name(self) -> &'static str {");
    if methods.is_empty() {
        p.line("match self {}");
    } else {
        p.open("match self {");
        for (m, rust) in methods.iter().zip(&variants) {
            let name = str_lit(&model.method(*m).name);
            p.arm(format_args!("Self::{rust}"), Arm::Plain(&name));
        }
        p.close("}");
    }
    p.close("}");
    p.line("/// Whether the method is `@Async`: the caller gets no reply.");
    p.open("pub fn is_async(self) -> bool {");
    let asyncs: Vec<&&String> = methods
        .iter()
        .zip(&variants)
        .filter(|(m, _)| model.method(**m).is_async)
        .map(|(_, v)| v)
        .collect();
    if asyncs.is_empty() {
        p.line("false");
    } else {
        let pattern: Vec<String> = asyncs.iter().map(|v| format!("Self::{v}")).collect();
        p.line(format_args!("matches!(self, {})", pattern.join(" | ")));
    }
    p.close("}");
    p.close("}");
}
