//! The plugin hooks: names reserved before the naming pass, attributes and
//! derives at each site, items after an item and at the end of a module,
//! diagnostics; and the optional prettyplease pass for plugins' text.

use gs2rust::names::Reservations;
use gs2rust::{
    Attributes, Context, GenOptions, Plugin, Printer, generate_with_plugins, generate_with_warnings,
};
use gslang_sema::ir::{ContractId, EnumId, ItemId, MethodRef, Model, RecordId};
use gslang_syntax::{Diagnostic, Span};

const SCHEMA: &str = r#"
table Tag { Name string; }
@Tag("point")
struct Point { @Tag("x") X float32; Y float32; }
enum Color { Red, @Tag("green") Green }
contract Paint { @Tag("fill") Fill(c Color); }
"#;

fn model(src: &str) -> Model {
    let analysis = gslang_sema::analyze_source("plug.gs", src);
    analysis.model.expect("a valid schema")
}

/// Adds what `@Tag` asks for everywhere it may, and a `Tagged` trait per module.
#[derive(Default)]
struct Tags {
    warned: bool,
}

fn tag(cx: &Context<'_>, annotations: &[gslang_sema::ir::Annotation]) -> Option<String> {
    let (table, _) = cx.model.records().iter().find(|(_, r)| r.name == "Tag")?;
    cx.model
        .annotation(annotations, table)
        .and_then(|a| a.value.str("Name"))
        .map(str::to_owned)
}

impl Plugin for Tags {
    fn name(&self) -> &str {
        "tags"
    }

    fn reserve(&mut self, model: &Model, names: &mut Reservations) {
        for &root in model.roots() {
            let span = Span::new(model.module(root).file, 0, 0);
            names.reserve(root, "Tagged", "Tagged (plugin tags)", span);
        }
    }

    fn item_attributes(&mut self, cx: &mut Context<'_>, item: ItemId, attrs: &mut Attributes) {
        if let Some(name) = tag(cx, cx.model.item_annotations(item)) {
            attrs.line(format!("#[doc(alias = \"{name}\")]"));
            if matches!(item, ItemId::Record(_)) {
                attrs.derive("::core::cmp::PartialOrd");
            }
        }
    }

    fn field_attributes(
        &mut self,
        cx: &mut Context<'_>,
        record: RecordId,
        field: usize,
        attrs: &mut Attributes,
    ) {
        let annotations = &cx.model.record(record).fields[field].annotations;
        if let Some(name) = tag(cx, annotations) {
            attrs.line(format!("#[doc(alias = \"{name}\")]"));
        }
    }

    fn value_attributes(
        &mut self,
        cx: &mut Context<'_>,
        enum_: EnumId,
        value: usize,
        attrs: &mut Attributes,
    ) {
        let annotations = &cx.model.enum_(enum_).values[value].annotations;
        if let Some(name) = tag(cx, annotations) {
            attrs.line(format!("#[doc(alias = \"{name}\")]"));
        }
    }

    fn method_attributes(
        &mut self,
        cx: &mut Context<'_>,
        _contract: ContractId,
        method: MethodRef,
        attrs: &mut Attributes,
    ) {
        if let Some(name) = tag(cx, &cx.model.method(method).annotations) {
            attrs.line(format!("#[doc(alias = \"{name}\")]"));
        }
    }

    fn after_item(&mut self, cx: &mut Context<'_>, item: ItemId, out: &mut Printer) {
        if let Some(name) = tag(cx, cx.model.item_annotations(item)) {
            let ty = cx.item_path(item);
            out.open(format_args!("impl Tagged for {ty} {{"));
            out.line(format_args!("const TAG: &'static str = \"{name}\";"));
            out.close("}");
            if !self.warned {
                self.warned = true;
                let span = cx.model.item_span(item);
                cx.report(Diagnostic::warning("W9000", "tagged", span));
            }
        }
    }

    fn after_module(&mut self, _cx: &mut Context<'_>, out: &mut Printer) {
        out.open("pub trait Tagged {");
        out.line("const TAG: &'static str;");
        out.close("}");
    }
}

fn root_file(files: &[gs2rust::File]) -> &str {
    &files
        .iter()
        .find(|f| f.name == "plug.rs")
        .expect("plug.rs")
        .contents
}

#[test]
fn hooks_add_attributes_derives_and_items_where_they_belong() {
    let model = model(SCHEMA);
    let mut tags = Tags::default();
    let files =
        generate_with_plugins(&model, &GenOptions::default(), &mut [&mut tags]).expect("generates");
    let rust = root_file(&files);
    assert!(
        rust.contains(
            "#[doc(alias = \"point\")]\n#[derive(Clone, Copy, Debug, Default, PartialEq, ::core::cmp::PartialOrd)]\npub struct Point {"
        ),
        "{rust}"
    );
    assert!(
        rust.contains("    #[doc(alias = \"x\")]\n    pub x: f32,\n    pub y: f32,"),
        "{rust}"
    );
    assert!(
        rust.contains("    Red = 0,\n    #[doc(alias = \"green\")]\n    Green = 1,"),
        "{rust}"
    );
    assert!(
        rust.contains("    #[doc(alias = \"fill\")]\n    Fill = 0,"),
        "{rust}"
    );
    let impl_at = rust
        .find("impl Tagged for Point {")
        .expect("impl after Point");
    let point_at = rust.find("pub struct Point {").expect("Point");
    let color_at = rust.find("pub enum Color {").expect("Color");
    assert!(point_at < impl_at && impl_at < color_at, "{rust}");
    assert!(
        rust.ends_with("pub trait Tagged {\n    const TAG: &'static str;\n}\n"),
        "{rust}"
    );
    // gs2rust's own output and these hooks' are still prettyplease's format.
    let body = rust.split_once('\n').expect("header").1;
    let parsed = syn::parse_file(body).expect("parses");
    assert_eq!(prettyplease::unparse(&parsed), body);
}

#[test]
fn a_warning_from_a_plugin_does_not_fail_generation_but_an_error_does() {
    struct Fails;
    impl Plugin for Fails {
        fn name(&self) -> &str {
            "fails"
        }
        fn after_item(&mut self, cx: &mut Context<'_>, item: ItemId, _out: &mut Printer) {
            let span = cx.model.item_span(item);
            cx.report(Diagnostic::error("E9001", "this plugin refuses", span));
        }
    }
    let model = model(SCHEMA);
    let mut tags = Tags::default();
    let (_, warnings) = generate_with_warnings(&model, &GenOptions::default(), &mut [&mut tags])
        .expect("a warning does not fail it");
    assert_eq!(warnings.len(), 1, "the warning is returned: {warnings:?}");
    assert!(!warnings[0].is_error());
    let errors = generate_with_plugins(&model, &GenOptions::default(), &mut [&mut Fails])
        .expect_err("an error");
    assert!(errors.iter().all(|d| d.code == "E9001"));
    assert_eq!(errors.len(), 4);
}

#[test]
fn reserved_names_clash_with_the_schema() {
    let model = model("struct Tagged { X byte; }");
    let mut tags = Tags::default();
    let errors =
        generate_with_plugins(&model, &GenOptions::default(), &mut [&mut tags]).expect_err("clash");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "E0600");
    assert_eq!(
        errors[0].message,
        "`Tagged (plugin tags)` and `Tagged` both become the Rust type `Tagged`"
    );
}

#[test]
fn the_format_option_formats_plugins_text() {
    struct Messy;
    impl Plugin for Messy {
        fn name(&self) -> &str {
            "messy"
        }
        fn after_module(&mut self, _cx: &mut Context<'_>, out: &mut Printer) {
            out.line("pub fn   messy( a:u8 )->u8{a}");
        }
    }
    let model = model("struct A { X byte; }");
    let plain = generate_with_plugins(&model, &GenOptions::default(), &mut [&mut Messy])
        .expect("generates");
    assert!(root_file(&plain).contains("pub fn   messy( a:u8 )->u8{a}"));
    let mut options = GenOptions::default();
    options.format = true;
    let formatted = generate_with_plugins(&model, &options, &mut [&mut Messy]).expect("generates");
    let rust = root_file(&formatted);
    assert!(rust.starts_with("// @generated by gsc "), "{rust}");
    assert!(
        rust.contains("pub fn messy(a: u8) -> u8 {\n    a\n}"),
        "{rust}"
    );
}
