//! The extension points of the generator: hooks that add to the module
//! being written, with the checked model (annotations evaluated) in view.
//!
//! A [`Plugin`] is called at fixed points of emission, in the shape of
//! prost-build's `ServiceGenerator` and pilota-build's `Plugin`: it reserves
//! the Rust names it will add (before the naming pass decides the schema's),
//! adds attributes and derives to the types, fields and enum values being
//! written, and appends items after a type or contract, or at the end of a
//! module. It reads the schema's annotations, its own tables included, from
//! the [`Context`], and can report diagnostics with spans.
//!
//! A plugin can also wrap the call path of a contract's methods, on the
//! server side (the handler the dispatcher serves a method with) and on
//! the client side (the future a client function returns).
//!
//! gs2rust's own handling of `@Deprecated` ([`Deprecated`]) and of
//! `@Profile` ([`Profile`]) are plugins of this API.

use gslang_sema::ir::{ContractId, EnumId, ItemId, MethodRef, Model, ModuleId, RecordId, Type};
use gslang_syntax::Diagnostic;

use crate::emit::str_lit;
use crate::names::{Names, Reservations};
use crate::printer::Printer;
use crate::types::RustTypes;

/// What a plugin sees while a module is written.
#[derive(Debug)]
pub struct Context<'a> {
    /// The checked model.
    pub model: &'a Model,
    /// Every Rust name, decided.
    pub names: &'a Names,
    /// The module being written.
    pub module: ModuleId,
    pub(crate) types: &'a RustTypes,
    pub(crate) diags: &'a mut Vec<Diagnostic>,
    pub(crate) rpc: bool,
}

impl Context<'_> {
    /// Reports a diagnostic; an error makes the generation fail.
    pub fn report(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    /// The Rust spelling of `ty` in the module being written.
    pub fn rust_type(&self, ty: &Type) -> String {
        self.types
            .rust_type(self.model, self.names, ty, self.module)
    }

    /// The path of an item's Rust type from the module being written.
    pub fn item_path(&self, item: ItemId) -> String {
        self.names.item_path(self.model, item, self.module)
    }

    /// Whether contracts get their RPC stubs (services, dispatchers,
    /// clients: [`GenOptions::rpc`](crate::GenOptions::rpc)); without them
    /// the call-path hooks are not called.
    pub fn rpc(&self) -> bool {
        self.rpc
    }
}

/// Attributes to write above a declaration: whole attribute lines, and
/// traits for its `#[derive(...)]` (merged with the ones gs2rust derives).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Attributes {
    /// Attribute lines, e.g. `#[serde(rename_all = "camelCase")]`.
    pub lines: Vec<String>,
    /// Trait paths to derive, e.g. `::serde::Serialize`.
    pub derives: Vec<String>,
}

impl Attributes {
    /// Adds an attribute line.
    pub fn line(&mut self, attribute: impl Into<String>) {
        self.lines.push(attribute.into());
    }

    /// Adds a derive.
    pub fn derive(&mut self, path: impl Into<String>) {
        self.derives.push(path.into());
    }
}

/// A hook into code generation. Every method does nothing by default.
pub trait Plugin {
    /// The plugin's name, for messages.
    fn name(&self) -> &str;

    /// Reserves the Rust item names the plugin adds to modules, so that the
    /// naming pass reports a schema item that would take one.
    fn reserve(&mut self, model: &Model, names: &mut Reservations) {
        let _ = (model, names);
    }

    /// Attributes for a record, enum or contract's generated type.
    fn item_attributes(&mut self, cx: &mut Context<'_>, item: ItemId, attrs: &mut Attributes) {
        let _ = (cx, item, attrs);
    }

    /// Attributes for field `field` of a record.
    fn field_attributes(
        &mut self,
        cx: &mut Context<'_>,
        record: RecordId,
        field: usize,
        attrs: &mut Attributes,
    ) {
        let _ = (cx, record, field, attrs);
    }

    /// Attributes for value `value` of an enum (its variant, or its
    /// constant for a `@Flag` enum).
    fn value_attributes(
        &mut self,
        cx: &mut Context<'_>,
        enum_: EnumId,
        value: usize,
        attrs: &mut Attributes,
    ) {
        let _ = (cx, enum_, value, attrs);
    }

    /// Attributes for method `method` wherever contract `contract`'s code
    /// names it (its variant in the methods enum; later its trait and
    /// client functions).
    fn method_attributes(
        &mut self,
        cx: &mut Context<'_>,
        contract: ContractId,
        method: MethodRef,
        attrs: &mut Attributes,
    ) {
        let _ = (cx, contract, method, attrs);
    }

    /// Wraps the handler with which contract `contract`'s dispatcher serves
    /// method `method`. `handler` is an expression of a
    /// `::gscluster::rpc::Handler`: at first the service trait's method
    /// (`T::echo`); a plugin replaces it with an expression of a handler
    /// that calls it, e.g. `my_timer(T::echo)`. Plugins wrap in their
    /// order, so the first is innermost.
    fn wrap_server(
        &mut self,
        cx: &mut Context<'_>,
        contract: ContractId,
        method: MethodRef,
        handler: &mut String,
    ) {
        let _ = (cx, contract, method, handler);
    }

    /// Wraps the future that contract `contract`'s client function of
    /// method `method` returns. `call` is an expression of an
    /// `impl ::gscluster::rpc::Reply<T> + '_` (the method's returns `T`):
    /// at first the variable `call`, bound to the runtime's call; a plugin
    /// replaces it with an expression of a future of the same output that
    /// awaits it, e.g. `my_timer(call)`. Plugins wrap in their order, so
    /// the first is innermost.
    fn wrap_client(
        &mut self,
        cx: &mut Context<'_>,
        contract: ContractId,
        method: MethodRef,
        call: &mut String,
    ) {
        let _ = (cx, contract, method, call);
    }

    /// Appends items after the code of a record, enum or contract.
    fn after_item(&mut self, cx: &mut Context<'_>, item: ItemId, out: &mut Printer) {
        let _ = (cx, item, out);
    }

    /// Appends items at the end of the module being written.
    fn after_module(&mut self, cx: &mut Context<'_>, out: &mut Printer) {
        let _ = (cx, out);
    }
}

/// `@Deprecated` (spec §7) as `#[deprecated]`, with its note.
#[derive(Debug, Default, Clone, Copy)]
pub struct Deprecated;

impl Deprecated {
    fn attribute(
        model: &Model,
        annotations: &[gslang_sema::ir::Annotation],
        attrs: &mut Attributes,
    ) {
        if let Some(note) = model.deprecated(annotations) {
            if note.is_empty() {
                attrs.line("#[deprecated]");
            } else {
                attrs.line(format!("#[deprecated(note = {})]", str_lit(note)));
            }
        }
    }
}

impl Plugin for Deprecated {
    fn name(&self) -> &str {
        "deprecated"
    }

    fn item_attributes(&mut self, cx: &mut Context<'_>, item: ItemId, attrs: &mut Attributes) {
        Self::attribute(cx.model, cx.model.item_annotations(item), attrs);
    }

    fn field_attributes(
        &mut self,
        cx: &mut Context<'_>,
        record: RecordId,
        field: usize,
        attrs: &mut Attributes,
    ) {
        let annotations = &cx.model.record(record).fields[field].annotations;
        Self::attribute(cx.model, annotations, attrs);
    }

    fn value_attributes(
        &mut self,
        cx: &mut Context<'_>,
        enum_: EnumId,
        value: usize,
        attrs: &mut Attributes,
    ) {
        let annotations = &cx.model.enum_(enum_).values[value].annotations;
        Self::attribute(cx.model, annotations, attrs);
    }

    fn method_attributes(
        &mut self,
        cx: &mut Context<'_>,
        _contract: ContractId,
        method: MethodRef,
        attrs: &mut Attributes,
    ) {
        Self::attribute(cx.model, &cx.model.method(method).annotations, attrs);
    }
}

/// `@Profile` (spec §7): the dispatcher and client of each profiled method
/// time and trace its calls through `::gscluster::rpc::profile`; other
/// methods get no code at all.
///
/// A contract with profiled methods gets a static array of their
/// descriptors after its stubs, `<CONTRACT>_PROFILE` (`ECHO_PROFILE`), one
/// `::gscluster::rpc::profile::Method` per profiled method in id order;
/// the dispatcher serves such a method with `ECHO_PROFILE[i].server(T::f)`
/// and its client function returns `ECHO_PROFILE[i].client(call)`.
#[derive(Debug, Default)]
pub struct Profile {
    /// The contract whose descriptors `slots` indexes, and for each method
    /// id, its index in them (`None`: not profiled).
    slots: Option<(ContractId, Vec<Option<usize>>)>,
}

impl Profile {
    /// The name of the static array of `contract`'s descriptors.
    fn array(model: &Model, contract: ContractId) -> String {
        format!(
            "{}_PROFILE",
            crate::names::const_name(&model.contract(contract).name)
        )
    }

    /// The index of method `id` in `contract`'s descriptors, if profiled.
    fn slot(&mut self, model: &Model, contract: ContractId, id: u16) -> Option<usize> {
        if self.slots.as_ref().is_none_or(|(c, _)| *c != contract) {
            let mut next = 0;
            let slots = model
                .methods(contract)
                .iter()
                .map(|&m| {
                    model.is_profiled(contract, m).then(|| {
                        next += 1;
                        next - 1
                    })
                })
                .collect();
            self.slots = Some((contract, slots));
        }
        let (_, slots) = self.slots.as_ref()?;
        slots.get(usize::from(id)).copied().flatten()
    }

    fn profiled(model: &Model, contract: ContractId) -> Vec<MethodRef> {
        model
            .methods(contract)
            .into_iter()
            .filter(|&m| model.is_profiled(contract, m))
            .collect()
    }
}

impl Plugin for Profile {
    fn name(&self) -> &str {
        "profile"
    }

    fn reserve(&mut self, model: &Model, names: &mut Reservations) {
        for (id, contract) in model.contracts().iter() {
            let methods = model.methods(id);
            if methods.iter().any(|&m| model.is_profiled(id, m)) {
                names.reserve(
                    contract.module,
                    Self::array(model, id),
                    format!("the `@Profile` descriptors of `{}`", contract.name),
                    contract.span,
                );
            }
        }
    }

    fn wrap_server(
        &mut self,
        cx: &mut Context<'_>,
        contract: ContractId,
        method: MethodRef,
        handler: &mut String,
    ) {
        if let Some(slot) = self.slot(cx.model, contract, method.id) {
            *handler = format!(
                "{}[{slot}].server({handler})",
                Self::array(cx.model, contract)
            );
        }
    }

    fn wrap_client(
        &mut self,
        cx: &mut Context<'_>,
        contract: ContractId,
        method: MethodRef,
        call: &mut String,
    ) {
        if let Some(slot) = self.slot(cx.model, contract, method.id) {
            *call = format!("{}[{slot}].client({call})", Self::array(cx.model, contract));
        }
    }

    fn after_item(&mut self, cx: &mut Context<'_>, item: ItemId, out: &mut Printer) {
        let ItemId::Contract(contract) = item else {
            return;
        };
        if !cx.rpc() {
            return;
        }
        let model = cx.model;
        let profiled = Self::profiled(model, contract);
        if profiled.is_empty() {
            return;
        }
        let full_name = model.full_name(item);
        out.line(format_args!(
            "/// What the calls of the profiled methods of contract `{full_name}` are recorded under."
        ));
        out.open(format_args!(
            "static {}: [::gscluster::rpc::profile::Method; {}] = [",
            Self::array(model, contract),
            profiled.len()
        ));
        for m in profiled {
            let args = [
                str_lit(&full_name),
                str_lit(&model.method(m).name),
                m.id.to_string(),
            ];
            out.list("::gscluster::rpc::profile::Method::new(", &args, "),");
        }
        out.close("];");
    }
}
