//! Emission of Rust source text, one function per gslang construct, each a
//! function of the model, the decided names and the layout; plugins are
//! called at the hook points of [`Plugin`].
//!
//! The generator writes formatted Rust directly rather than building token
//! streams and formatting them with prettyplease: on a 1,000-type schema the
//! quote → syn → prettyplease route spends ~270 ms where this takes a few.
//! The output is kept in prettyplease's format by construction (a test
//! checks that prettyplease leaves every generated file unchanged), so the
//! two are interchangeable for readers and diff tools; text that plugins
//! append is theirs to format (see [`GenOptions::format`](crate::GenOptions)).

mod contract;
pub(crate) mod docs;
mod enum_;
mod pusher;
mod record;
mod service;

use std::fmt::Write as _;

use gslang_sema::ir::{ContractId, EnumId, ItemId, MethodRef, Model, ModuleId, RecordId};
use gslang_syntax::Diagnostic;

use crate::names::Names;
use crate::plugin::{Attributes, Context, Plugin};
use crate::printer::Printer;
use crate::types::RustTypes;

/// What every emitter needs: the model, the names, the Rust facts, the
/// module being written, and the plugins to call.
pub(crate) struct Cx<'m, 'p> {
    pub model: &'m Model,
    pub names: &'m Names,
    pub types: &'m RustTypes,
    pub module: ModuleId,
    pub diags: &'m mut Vec<Diagnostic>,
    pub plugins: &'m mut [&'p mut dyn Plugin],
    /// Generate the RPC stubs of contracts and error enums.
    pub rpc: bool,
}

/// Where an attribute hook applies.
#[derive(Clone, Copy)]
pub(crate) enum Site {
    Item(ItemId),
    Field(RecordId, usize),
    Value(EnumId, usize),
    Method(ContractId, MethodRef),
}

impl Cx<'_, '_> {
    /// The Rust spelling of `ty` in this module.
    pub fn rust_type(&self, ty: &gslang_sema::ir::Type) -> String {
        self.types
            .rust_type(self.model, self.names, ty, self.module)
    }

    /// Runs `f` on every plugin with a context for this module.
    fn each_plugin(&mut self, mut f: impl FnMut(&mut dyn Plugin, &mut Context<'_>)) {
        let mut context = Context {
            model: self.model,
            names: self.names,
            module: self.module,
            types: self.types,
            diags: self.diags,
            rpc: self.rpc,
        };
        for plugin in self.plugins.iter_mut() {
            f(&mut **plugin, &mut context);
        }
    }

    /// The attributes plugins give `site`.
    pub fn attributes(&mut self, site: Site) -> Attributes {
        let mut attrs = Attributes::default();
        self.each_plugin(|plugin, cx| match site {
            Site::Item(item) => plugin.item_attributes(cx, item, &mut attrs),
            Site::Field(r, f) => plugin.field_attributes(cx, r, f, &mut attrs),
            Site::Value(e, v) => plugin.value_attributes(cx, e, v, &mut attrs),
            Site::Method(c, m) => plugin.method_attributes(cx, c, m, &mut attrs),
        });
        attrs
    }

    /// Writes the attribute lines plugins give `site`, and a `#[derive]` of
    /// `derives` followed by the plugins' derives (if there are any).
    pub fn attribute_lines(&mut self, p: &mut Printer, site: Site, derives: &[&str]) {
        let attrs = self.attributes(site);
        for line in &attrs.lines {
            p.line(line);
        }
        let mut all: Vec<&str> = derives.to_vec();
        for derive in &attrs.derives {
            if !all.iter().any(|d| same_derive(d, derive)) {
                all.push(derive);
            }
        }
        if !all.is_empty() {
            p.line(format_args!("#[derive({})]", all.join(", ")));
        }
    }

    /// The handler the dispatcher of `contract` serves method `m` with:
    /// `handler`, as plugins wrap it.
    pub fn wrap_server(&mut self, contract: ContractId, m: MethodRef, handler: String) -> String {
        let mut handler = handler;
        self.each_plugin(|plugin, cx| plugin.wrap_server(cx, contract, m, &mut handler));
        handler
    }

    /// The future the client function of method `m` of `contract` returns,
    /// as plugins wrap the variable `call`; `None` if none does.
    pub fn wrap_client(&mut self, contract: ContractId, m: MethodRef) -> Option<String> {
        let mut call = "call".to_owned();
        self.each_plugin(|plugin, cx| plugin.wrap_client(cx, contract, m, &mut call));
        (call != "call").then_some(call)
    }

    /// Lets plugins append items after `item`.
    fn after_item(&mut self, p: &mut Printer, item: ItemId) {
        self.each_plugin(|plugin, cx| plugin.after_item(cx, item, p));
    }
}

/// Whether derive `b` (a plugin's) names the trait `a` (gs2rust's, or an
/// earlier plugin's) does: the same path, or a std trait by its full path
/// (`::core::hash::Hash` is `Hash`).
fn same_derive(a: &str, b: &str) -> bool {
    fn std_name(path: &str) -> &str {
        let trimmed = path.trim_start_matches("::");
        if trimmed.starts_with("core::") || trimmed.starts_with("std::") {
            trimmed.rsplit("::").next().unwrap_or(trimmed)
        } else {
            path
        }
    }
    a == b || std_name(a) == std_name(b)
}

/// A Rust string literal for `s`.
pub(crate) fn str_lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            // Control characters, and the text-direction controls rustc
            // rejects raw in literals (`text_direction_codepoint_in_literal`).
            c if c.is_control() || gslang_syntax::chars::is_text_direction(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The items of one module, in schema order, each followed by what plugins
/// append to it; then what plugins append to the module.
pub(crate) fn module(cx: &mut Cx<'_, '_>, header: &str) -> String {
    let m = cx.model.module(cx.module);
    let mut p = Printer::new();
    p.line(header);
    p.line("use ::gscluster::Wire as _;");
    let gate = if cx.rpc {
        pusher::gate_module(cx.model)
    } else {
        None
    };
    for &item in &m.items {
        match item {
            ItemId::Record(id) => record::emit(cx, &mut p, id),
            ItemId::Enum(id) => enum_::emit(cx, &mut p, id),
            ItemId::Contract(id) => {
                contract::emit(cx, &mut p, id);
                if cx.rpc {
                    service::emit(cx, &mut p, id);
                }
                if let Some(gate) = &gate {
                    pusher::emit(cx, &mut p, id, gate);
                }
            }
        }
        cx.after_item(&mut p, item);
    }
    cx.each_plugin(|plugin, context| plugin.after_module(context, &mut p));
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::{same_derive, str_lit};

    #[test]
    fn derives_are_the_same_by_path_or_std_name() {
        assert!(same_derive("Hash", "Hash"));
        assert!(same_derive("Hash", "::core::hash::Hash"));
        assert!(same_derive("::std::hash::Hash", "core::hash::Hash"));
        assert!(!same_derive("Hash", "my::Hash"));
        assert!(!same_derive("Hash", "PartialOrd"));
    }

    #[test]
    fn string_literals_escape_what_rustc_rejects_raw() {
        assert_eq!(
            str_lit("a\"\\\r\u{7}\u{202E}\u{2066}\u{200F}\u{e9}"),
            // `é` is printable: it stays as it is.
            concat!(r#""a\"\\\r\u{7}\u{202e}\u{2066}\u{200f}"#, "\u{e9}\"")
        );
    }
}
