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
//! gs2rust's own handling of `@Deprecated` is a plugin ([`Deprecated`]),
//! and so are the features that follow it.

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
