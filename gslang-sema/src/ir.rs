//! The checked model: the typed IR every back end reads.
//!
//! Everything in it is resolved: types name their records and enums by id,
//! contracts name their bases by id, enum values have their numbers, and
//! annotations are evaluated to typed values with every field filled in. A
//! [`Model`] exists only for a schema without errors, so back ends may rely
//! on every invariant the semantic pass checks (no duplicate names, no
//! recursive records, no inheritance cycles, enum values in range, ...);
//! [`Model::assert_valid`] states them as code.
//!
//! The model is an API for back ends, including third-party ones: its item
//! types are `#[non_exhaustive]` (a new field is not a breaking change), its
//! ids cannot be made outside this crate, and its arenas yield `(id, &item)`.
//! With the `serde` feature every type here implements `Serialize`.
//!
//! Spans are kept so that back ends can report their own errors.

use std::fmt;
use std::path::PathBuf;

use gslang_syntax::{FileId, Span};
use rustc_hash::FxHashSet;
use smol_str::SmolStr;

pub use crate::ids::{Arena, ContractId, EnumId, Id, ModuleId, RecordId};
pub use crate::layout::RecordLayout;
pub use gslang_syntax::{Scalar, ScalarClass};

/// The whole checked schema: every module loaded, the built-in one included.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Model {
    pub(crate) modules: Arena<ModuleId, Module>,
    pub(crate) roots: Vec<ModuleId>,
    pub(crate) records: Arena<RecordId, Record>,
    pub(crate) enums: Arena<EnumId, Enum>,
    pub(crate) contracts: Arena<ContractId, Contract>,
    pub(crate) builtins: Builtins,
    pub(crate) layouts: Vec<RecordLayout>,
}

/// The declarations of the built-in module `gslang` that the language gives meaning to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Builtins {
    /// The module itself.
    pub module: ModuleId,
    /// `enum Target`: where an annotation may be placed.
    pub target: EnumId,
    /// `table Usage`.
    pub usage: RecordId,
    /// `table Flag`.
    pub flag: RecordId,
    /// `table Error`.
    pub error: RecordId,
    /// `table Async`.
    pub async_: RecordId,
    /// `table Profile`.
    pub profile: RecordId,
    /// `table Deprecated`.
    pub deprecated: RecordId,
    /// `enum Fault`.
    pub fault: EnumId,
}

/// One source file.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Module {
    /// The module name: the file stem.
    pub name: SmolStr,
    /// The file in the source map.
    pub file: FileId,
    /// The canonical path of the file; `None` for the built-in module.
    pub path: Option<PathBuf>,
    /// The path as it is shown to the user (as given, or as imported).
    pub display_path: String,
    /// Whether this is the built-in module `gslang`.
    pub is_builtin: bool,
    /// The modules it imports.
    pub imports: Vec<Import>,
    /// The comment block at the top of the file.
    pub docs: Vec<String>,
    /// Module annotations (`@Name(args);`).
    pub annotations: Vec<Annotation>,
    /// The declarations, in source order.
    pub items: Vec<ItemId>,
}

/// An import of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Import {
    /// The name the module is referred to by: the alias, or the imported file's stem.
    pub name: SmolStr,
    /// The imported module.
    pub module: ModuleId,
    /// The path literal of the import.
    pub span: Span,
}

/// A declaration of a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum ItemId {
    /// A table or struct.
    Record(RecordId),
    /// An enum.
    Enum(EnumId),
    /// A contract.
    Contract(ContractId),
}

/// Whether a record was declared `table` or `struct`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "lowercase")
)]
pub enum RecordKind {
    /// `table`: may also be used as an annotation.
    Table,
    /// `struct`.
    Struct,
}

impl RecordKind {
    /// The keyword: `table` or `struct`.
    pub fn keyword(self) -> &'static str {
        match self {
            RecordKind::Table => "table",
            RecordKind::Struct => "struct",
        }
    }
}

/// A table or struct.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Record {
    /// The module that declares it.
    pub module: ModuleId,
    /// The name.
    pub name: SmolStr,
    /// `table` or `struct`.
    pub kind: RecordKind,
    /// The fields in declaration (and wire) order.
    pub fields: Vec<Field>,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Evaluated annotations.
    pub annotations: Vec<Annotation>,
    /// The name as written.
    pub span: Span,
}

/// A field of a record.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Field {
    /// The name.
    pub name: SmolStr,
    /// The type.
    pub ty: Type,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Evaluated annotations.
    pub annotations: Vec<Annotation>,
    /// The name as written.
    pub span: Span,
}

/// A resolved type.
///
/// Not `#[non_exhaustive]`: a new kind of type changes what every back end
/// must generate, so it should not compile silently.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Type {
    /// A built-in type.
    Scalar(Scalar),
    /// `[]T`
    List(Box<Type>),
    /// `[N]T`, 1 ≤ N ≤ 65535.
    Array(u32, Box<Type>),
    /// A table or struct.
    Record(RecordId),
    /// An enum.
    Enum(EnumId),
}

impl Type {
    /// The scalar this type is, if it is one.
    pub fn as_scalar(&self) -> Option<Scalar> {
        match self {
            Type::Scalar(s) => Some(*s),
            _ => None,
        }
    }

    /// The innermost element type under any arrays (`[4][2]T` → `T`).
    pub fn under_arrays(&self) -> &Type {
        let mut ty = self;
        while let Type::Array(_, inner) = ty {
            ty = inner;
        }
        ty
    }

    /// `self` and every type inside it, outermost first.
    pub fn walk(&self) -> impl Iterator<Item = &Type> {
        std::iter::successors(Some(self), |ty| match ty {
            Type::List(inner) | Type::Array(_, inner) => Some(inner),
            _ => None,
        })
    }
}

/// An enum.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Enum {
    /// The module that declares it.
    pub module: ModuleId,
    /// The name.
    pub name: SmolStr,
    /// The underlying integer type: one for which [`Scalar::is_enum_base`] holds.
    pub base: Scalar,
    /// The values, in declaration order; at least one.
    pub values: Vec<EnumValue>,
    /// Whether it carries `@Flag`: a bit set, where any bits are legal on the wire.
    pub is_flag: bool,
    /// Whether it carries `@Error`: an error domain.
    pub is_error: bool,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Evaluated annotations.
    pub annotations: Vec<Annotation>,
    /// The name as written.
    pub span: Span,
}

impl Enum {
    /// The value with this number, if any.
    pub fn value_of(&self, number: i64) -> Option<&EnumValue> {
        self.values.iter().find(|v| v.value == number)
    }
}

/// A value of an enum.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct EnumValue {
    /// The name.
    pub name: SmolStr,
    /// The number, within the range of the enum's base.
    pub value: i64,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Evaluated annotations.
    pub annotations: Vec<Annotation>,
    /// The name as written.
    pub span: Span,
}

/// A contract.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Contract {
    /// The module that declares it.
    pub module: ModuleId,
    /// The name.
    pub name: SmolStr,
    /// The contracts it inherits from, in order, each once.
    pub bases: Vec<ContractId>,
    /// The methods it declares itself, in order.
    pub methods: Vec<Method>,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Evaluated annotations.
    pub annotations: Vec<Annotation>,
    /// The name as written.
    pub span: Span,
}

/// A method of a contract.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Method {
    /// The name.
    pub name: SmolStr,
    /// The params.
    pub params: Vec<Param>,
    /// The return values.
    pub returns: Vec<Param>,
    /// Whether it carries `@Async` (then it has no returns).
    pub is_async: bool,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Evaluated annotations.
    pub annotations: Vec<Annotation>,
    /// The name as written.
    pub span: Span,
}

/// A param or return value.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Param {
    /// The name, if the schema gives one.
    pub name: Option<SmolStr>,
    /// The type.
    pub ty: Type,
    /// Documentation lines.
    pub docs: Vec<String>,
    /// Evaluated annotations.
    pub annotations: Vec<Annotation>,
    /// The param as written.
    pub span: Span,
}

/// A method in the flattened method list of a contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct MethodRef {
    /// The method id: its index in the flattened list.
    pub id: u16,
    /// The contract that declares the method.
    pub contract: ContractId,
    /// The index of the method in that contract's own methods.
    pub index: usize,
}

/// An evaluated annotation.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Annotation {
    /// The annotation's table.
    pub table: RecordId,
    /// Its value: every field of the table, given or defaulted.
    pub value: RecordValue,
    /// The annotation as written.
    pub span: Span,
}

/// The value of a table (or struct) built by an annotation: one entry per
/// field of the record, in order, with the fields not given filled with
/// their zero value (spec §6: 0, false, "", an empty list, the first enum
/// value, a record of zero values).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct RecordValue {
    /// The record.
    pub record: RecordId,
    /// The fields, in the record's order.
    pub fields: Vec<FieldValue>,
}

/// One field of a [`RecordValue`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct FieldValue {
    /// The field's name.
    pub name: SmolStr,
    /// Its value.
    pub value: Value,
    /// Whether the annotation gave it (`false`: `value` is the zero value).
    pub given: bool,
}

/// A typed value in an annotation.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Value {
    /// A `bool` field.
    Bool(bool),
    /// An integer field of any width; within the field type's range.
    Int(i128),
    /// A float field.
    Float(f64),
    /// A `string` field.
    String(String),
    /// An enum field: the enum and the number of the value (for `@Flag`
    /// enums, the bits, which may combine several values).
    Enum(EnumId, i64),
    /// A record field.
    Record(RecordValue),
    /// A list field. Annotations cannot write lists, so this is the zero
    /// value: an empty list.
    List(Vec<Value>),
    /// An array field of `len` elements, each equal to `element`.
    /// Annotations cannot write arrays, so this is the zero value: `len`
    /// zero values, held once.
    Array {
        /// The number of elements.
        len: u32,
        /// The value of every element.
        element: Box<Value>,
    },
}

impl RecordValue {
    /// The field named `name`; `None` if the record has no such field.
    pub fn field(&self, name: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The value of field `name` (given or zero); `None` if the record has no such field.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.field(name).map(|f| &f.value)
    }

    /// Whether the annotation gave field `name`.
    pub fn is_given(&self, name: &str) -> bool {
        self.field(name).is_some_and(|f| f.given)
    }

    /// The value of a `string` field.
    pub fn str(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value of an integer field.
    pub fn int(&self, name: &str) -> Option<i128> {
        match self.get(name)? {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The value of a `bool` field.
    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value of a float field.
    pub fn float(&self, name: &str) -> Option<f64> {
        match self.get(name)? {
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The number (or, for a `@Flag` enum, the bits) of an enum field.
    pub fn enum_value(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            Value::Enum(_, v) => Some(*v),
            _ => None,
        }
    }

    /// The value of a record field.
    pub fn record(&self, name: &str) -> Option<&RecordValue> {
        match self.get(name)? {
            Value::Record(r) => Some(r),
            _ => None,
        }
    }
}

/// Where an annotation is placed, as named by `gslang.Target`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Target {
    /// A module annotation.
    Module,
    /// A table.
    Table,
    /// A struct.
    Struct,
    /// An enum.
    Enum,
    /// An enum value.
    EnumValue,
    /// A field.
    Field,
    /// A contract.
    Contract,
    /// A method.
    Method,
    /// A method param.
    Param,
    /// A method return value.
    Return,
}

impl Target {
    /// Every target, in the order of the bits of `gslang.Target`.
    pub const ALL: [Target; 10] = [
        Target::Module,
        Target::Table,
        Target::Struct,
        Target::Enum,
        Target::EnumValue,
        Target::Field,
        Target::Contract,
        Target::Method,
        Target::Param,
        Target::Return,
    ];

    /// The bit of this target in `gslang.Target`.
    pub fn bit(self) -> i64 {
        1 << (self as u32)
    }

    /// How the target is named in messages ("a field").
    pub fn describe(self) -> &'static str {
        match self {
            Target::Module => "a module",
            Target::Table => "a table",
            Target::Struct => "a struct",
            Target::Enum => "an enum",
            Target::EnumValue => "an enum value",
            Target::Field => "a field",
            Target::Contract => "a contract",
            Target::Method => "a method",
            Target::Param => "a param",
            Target::Return => "a return value",
        }
    }

    /// The name of the value in `gslang.Target`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Module => "Module",
            Target::Table => "Table",
            Target::Struct => "Struct",
            Target::Enum => "Enum",
            Target::EnumValue => "EnumValue",
            Target::Field => "Field",
            Target::Contract => "Contract",
            Target::Method => "Method",
            Target::Param => "Param",
            Target::Return => "Return",
        }
    }
}

impl Model {
    /// Every module, the built-in `gslang` first, each after the modules it imports.
    pub fn modules(&self) -> &Arena<ModuleId, Module> {
        &self.modules
    }

    /// The modules named on the command line (or given to the build API), in order.
    pub fn roots(&self) -> &[ModuleId] {
        &self.roots
    }

    /// Every table and struct.
    pub fn records(&self) -> &Arena<RecordId, Record> {
        &self.records
    }

    /// Every enum.
    pub fn enums(&self) -> &Arena<EnumId, Enum> {
        &self.enums
    }

    /// Every contract.
    pub fn contracts(&self) -> &Arena<ContractId, Contract> {
        &self.contracts
    }

    /// The declarations of the built-in module the language gives meaning to.
    pub fn builtins(&self) -> &Builtins {
        &self.builtins
    }

    /// The module with this id.
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id]
    }

    /// The record with this id.
    pub fn record(&self, id: RecordId) -> &Record {
        &self.records[id]
    }

    /// The enum with this id.
    pub fn enum_(&self, id: EnumId) -> &Enum {
        &self.enums[id]
    }

    /// The contract with this id.
    pub fn contract(&self, id: ContractId) -> &Contract {
        &self.contracts[id]
    }

    /// The name of an item.
    pub fn item_name(&self, item: ItemId) -> &str {
        match item {
            ItemId::Record(id) => &self.record(id).name,
            ItemId::Enum(id) => &self.enum_(id).name,
            ItemId::Contract(id) => &self.contract(id).name,
        }
    }

    /// The module that declares an item.
    pub fn item_module(&self, item: ItemId) -> ModuleId {
        match item {
            ItemId::Record(id) => self.record(id).module,
            ItemId::Enum(id) => self.enum_(id).module,
            ItemId::Contract(id) => self.contract(id).module,
        }
    }

    /// The span of an item's name.
    pub fn item_span(&self, item: ItemId) -> Span {
        match item {
            ItemId::Record(id) => self.record(id).span,
            ItemId::Enum(id) => self.enum_(id).span,
            ItemId::Contract(id) => self.contract(id).span,
        }
    }

    /// The annotations of an item.
    pub fn item_annotations(&self, item: ItemId) -> &[Annotation] {
        match item {
            ItemId::Record(id) => &self.record(id).annotations,
            ItemId::Enum(id) => &self.enum_(id).annotations,
            ItemId::Contract(id) => &self.contract(id).annotations,
        }
    }

    /// The full name of an item: `module.Name`, as in a CER's `Type` and an
    /// error domain's id.
    pub fn full_name(&self, item: ItemId) -> String {
        format!(
            "{}.{}",
            self.module(self.item_module(item)).name,
            self.item_name(item)
        )
    }

    /// The contracts whose own methods make up the method list of `id`, in
    /// order: for each base in order, that base's list; then `id` itself.
    /// A contract that appears more than once is kept at its first place.
    ///
    /// Time and memory are linear in the length of the result.
    pub fn linearization(&self, id: ContractId) -> Vec<ContractId> {
        let mut seen = FxHashSet::default();
        crate::inherit::linearize(id, |c| &self.contract(c).bases, |c| seen.insert(c))
    }

    /// The flattened method list of a contract (spec §5); a method's id is
    /// its index.
    ///
    /// Built on demand, in time and memory linear in the length of the list:
    /// storing every contract's list would be quadratic in the depth of an
    /// inheritance chain.
    pub fn methods(&self, id: ContractId) -> Vec<MethodRef> {
        let mut out = Vec::new();
        for contract in self.linearization(id) {
            for index in 0..self.contract(contract).methods.len() {
                out.push(MethodRef {
                    // The semantic pass checks that a contract has at most 65535 methods.
                    id: out.len() as u16,
                    contract,
                    index,
                });
            }
        }
        out
    }

    /// The method a reference points to.
    pub fn method(&self, m: MethodRef) -> &Method {
        &self.contract(m.contract).methods[m.index]
    }

    /// The layout facts of a record: its encoded sizes, whether it is recursive.
    pub fn layout(&self, id: RecordId) -> &RecordLayout {
        &self.layouts[id.index()]
    }

    /// The fewest bytes a value of `ty` encodes to (saturating at `u64::MAX`).
    pub fn min_len(&self, ty: &Type) -> u64 {
        crate::layout::min_len(ty, &self.layouts, |e| self.enum_(e).base)
    }

    /// The number of bytes every value of `ty` encodes to, if they all encode
    /// to the same number (no string or list inside).
    pub fn fixed_len(&self, ty: &Type) -> Option<u64> {
        crate::layout::fixed_len(ty, &self.layouts, |e| self.enum_(e).base)
    }

    /// The error domain id of an enum (wire.md §3): the first 16 bytes of
    /// SHA-256 of `"gslang.error:"` ‖ its full name. Meaningful for `@Error`
    /// enums; `gslang.Fault` is always sent with an empty domain instead.
    pub fn error_domain(&self, id: EnumId) -> [u8; 16] {
        use sha2::Digest as _;
        let mut hash = sha2::Sha256::new();
        hash.update(b"gslang.error:");
        hash.update(self.full_name(ItemId::Enum(id)).as_bytes());
        let digest = hash.finalize();
        let mut domain = [0u8; 16];
        domain.copy_from_slice(&digest[..16]);
        domain
    }

    /// The first annotation of table `table` among `annotations`.
    pub fn annotation<'a>(
        &self,
        annotations: &'a [Annotation],
        table: RecordId,
    ) -> Option<&'a Annotation> {
        annotations.iter().find(|a| a.table == table)
    }

    /// Every annotation of table `table` among `annotations`.
    pub fn annotations<'a>(
        &self,
        annotations: &'a [Annotation],
        table: RecordId,
    ) -> impl Iterator<Item = &'a Annotation> {
        annotations.iter().filter(move |a| a.table == table)
    }

    /// Whether `annotations` include one of table `table`.
    pub fn has(&self, annotations: &[Annotation], table: RecordId) -> bool {
        annotations.iter().any(|a| a.table == table)
    }

    /// The note of a `@Deprecated` annotation among `annotations`, if any
    /// (`Some("")` when it has no note).
    pub fn deprecated<'a>(&self, annotations: &'a [Annotation]) -> Option<&'a str> {
        self.annotation(annotations, self.builtins.deprecated)
            .map(|a| a.value.str("Note").unwrap_or(""))
    }

    /// Whether method `m` of the flattened list of `contract` is profiled
    /// (spec §7): `@Profile` on the method, on the contract that declares it,
    /// or on `contract`, which serves it.
    pub fn is_profiled(&self, contract: ContractId, m: MethodRef) -> bool {
        let profile = self.builtins.profile;
        self.has(&self.method(m).annotations, profile)
            || self.has(&self.contract(m.contract).annotations, profile)
            || self.has(&self.contract(contract).annotations, profile)
    }

    /// A type as gslang spells it, user types by their full name
    /// (`[]chat.Message`, `[4]uint16`).
    pub fn display_type<'a>(&'a self, ty: &'a Type) -> impl fmt::Display + 'a {
        DisplayType { model: self, ty }
    }
}

struct DisplayType<'a> {
    model: &'a Model,
    ty: &'a Type,
}

impl fmt::Display for DisplayType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for ty in self.ty.walk() {
            match ty {
                Type::List(_) => f.write_str("[]")?,
                Type::Array(n, _) => write!(f, "[{n}]")?,
                Type::Scalar(s) => f.write_str(s.keyword())?,
                Type::Record(id) => f.write_str(&self.model.full_name(ItemId::Record(*id)))?,
                Type::Enum(id) => f.write_str(&self.model.full_name(ItemId::Enum(*id)))?,
            }
        }
        Ok(())
    }
}
