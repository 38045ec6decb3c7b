//! The checked model: the typed IR every back end reads.
//!
//! Everything in it is resolved: types name their records and enums by id,
//! contracts name their bases by id, enum values have their numbers, and
//! annotations are evaluated to typed values. A `Model` exists only for a
//! schema without errors, so back ends may rely on every invariant the
//! semantic pass checks (no duplicate names, no recursive records, no
//! inheritance cycles, enum values in range, ...).
//!
//! Spans are kept so that back ends can report their own errors.

use std::path::PathBuf;

use gslang_syntax::{FileId, Span};
use smol_str::SmolStr;

pub use gslang_syntax::ast::IntType;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The index of the item in its arena.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// A module (one source file) of the model.
    ModuleId
);
id_type!(
    /// A table or struct.
    RecordId
);
id_type!(
    /// An enum.
    EnumId
);
id_type!(
    /// A contract.
    ContractId
);

/// The whole checked schema: every module loaded, the built-in one included.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Modules, each after the modules it imports; the built-in `gslang` is first.
    pub modules: Vec<Module>,
    /// The modules named on the command line (or given to the build API), in order.
    pub roots: Vec<ModuleId>,
    /// Every table and struct.
    pub records: Vec<Record>,
    /// Every enum.
    pub enums: Vec<Enum>,
    /// Every contract.
    pub contracts: Vec<Contract>,
    /// The declarations of the built-in module that the language gives meaning to.
    pub builtins: Builtins,
}

/// The declarations of the built-in module `gslang`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// The modules it imports, with the name each is referred to by.
    pub imports: Vec<(SmolStr, ModuleId)>,
    /// The comment block at the top of the file.
    pub docs: Vec<String>,
    /// Module annotations (`@Name(args);`).
    pub annotations: Vec<Annotation>,
    /// The declarations, in source order.
    pub items: Vec<ItemId>,
}

/// A declaration of a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
pub enum RecordKind {
    /// `table`: may also be used as an annotation.
    Table,
    /// `struct`.
    Struct,
}

/// A table or struct.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `bool`
    Bool,
    /// `byte`
    Byte,
    /// `sbyte`
    SByte,
    /// `int16`
    Int16,
    /// `uint16`
    UInt16,
    /// `int32`
    Int32,
    /// `uint32`
    UInt32,
    /// `int64`
    Int64,
    /// `uint64`
    UInt64,
    /// `float32`
    Float32,
    /// `float64`
    Float64,
    /// `string`
    String,
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
    /// The type of an enum base.
    pub fn from_int_type(int: IntType) -> Type {
        match int {
            IntType::Byte => Type::Byte,
            IntType::SByte => Type::SByte,
            IntType::Int16 => Type::Int16,
            IntType::UInt16 => Type::UInt16,
            IntType::Int32 => Type::Int32,
            IntType::UInt32 => Type::UInt32,
        }
    }

    /// The range of an integer type, `None` for other types.
    pub fn int_range(&self) -> Option<(i128, i128)> {
        Some(match self {
            Type::Byte => (0, u8::MAX.into()),
            Type::SByte => (i8::MIN.into(), i8::MAX.into()),
            Type::Int16 => (i16::MIN.into(), i16::MAX.into()),
            Type::UInt16 => (0, u16::MAX.into()),
            Type::Int32 => (i32::MIN.into(), i32::MAX.into()),
            Type::UInt32 => (0, u32::MAX.into()),
            Type::Int64 => (i64::MIN.into(), i64::MAX.into()),
            Type::UInt64 => (0, u64::MAX.into()),
            _ => return None,
        })
    }
}

/// The range of values an enum base can hold.
pub fn int_type_range(int: IntType) -> (i64, i64) {
    match int {
        IntType::Byte => (0, u8::MAX.into()),
        IntType::SByte => (i8::MIN.into(), i8::MAX.into()),
        IntType::Int16 => (i16::MIN.into(), i16::MAX.into()),
        IntType::UInt16 => (0, u16::MAX.into()),
        IntType::Int32 => (i32::MIN.into(), i32::MAX.into()),
        IntType::UInt32 => (0, u32::MAX.into()),
    }
}

/// The gslang keyword of an enum base.
pub fn int_type_name(int: IntType) -> &'static str {
    match int {
        IntType::Byte => "byte",
        IntType::SByte => "sbyte",
        IntType::Int16 => "int16",
        IntType::UInt16 => "uint16",
        IntType::Int32 => "int32",
        IntType::UInt32 => "uint32",
    }
}

/// An enum.
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    /// The module that declares it.
    pub module: ModuleId,
    /// The name.
    pub name: SmolStr,
    /// The underlying integer type.
    pub base: IntType,
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

/// A value of an enum.
#[derive(Clone, Debug, PartialEq)]
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
pub struct Contract {
    /// The module that declares it.
    pub module: ModuleId,
    /// The name.
    pub name: SmolStr,
    /// The contracts it inherits from, in order.
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
pub struct Annotation {
    /// The annotation's table.
    pub table: RecordId,
    /// The arguments, one per field of the table.
    pub value: RecordValue,
    /// The annotation as written.
    pub span: Span,
}

/// The value of a table (or struct) built by an annotation.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordValue {
    /// The record.
    pub record: RecordId,
    /// One entry per field, in order. `None` where the field was not given:
    /// its value is the zero value of its type (0, false, "", empty list,
    /// the first enum value, a record of zero values).
    pub fields: Vec<Option<Value>>,
}

/// A typed value in an annotation.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A `bool` field.
    Bool(bool),
    /// An integer field of any width; within the field type's range.
    Int(i128),
    /// A float field.
    Float(f64),
    /// A `string` field.
    String(String),
    /// An enum field: the number of the value (for `@Flag` enums, the bits).
    Enum(EnumId, i64),
    /// A record field.
    Record(RecordValue),
}

impl RecordValue {
    /// The value of field `index`, if it was given.
    pub fn get(&self, index: usize) -> Option<&Value> {
        self.fields.get(index)?.as_ref()
    }

    /// The string value of field `index`; `""` when not given.
    pub fn str(&self, index: usize) -> &str {
        match self.get(index) {
            Some(Value::String(s)) => s,
            _ => "",
        }
    }
}

/// Where an annotation is placed, as named by `gslang.Target`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// The module with this id.
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.index()]
    }

    /// The record with this id.
    pub fn record(&self, id: RecordId) -> &Record {
        &self.records[id.index()]
    }

    /// The enum with this id.
    pub fn enum_(&self, id: EnumId) -> &Enum {
        &self.enums[id.index()]
    }

    /// The contract with this id.
    pub fn contract(&self, id: ContractId) -> &Contract {
        &self.contracts[id.index()]
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

    /// The full name of an item: `module.Name`.
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
    pub fn linearization(&self, id: ContractId) -> Vec<ContractId> {
        linearize(
            id,
            |c| &self.contract(c).bases,
            &mut vec![false; self.contracts.len()],
        )
    }

    /// The flattened method list of a contract; a method's id is its index.
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

    /// Annotations of `annotations` whose table is `table`.
    pub fn find<'a>(
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
        self.find(annotations, self.builtins.deprecated)
            .next()
            .map(|a| a.value.str(0))
    }
}

/// Post-order walk of the inheritance graph from `root`, skipping contracts
/// already seen: the linearization of spec §5. Iterative, so that long
/// inheritance chains cannot overflow the stack. `seen` must be all `false`
/// and is left so.
pub(crate) fn linearize<'a, F>(root: ContractId, bases: F, seen: &mut [bool]) -> Vec<ContractId>
where
    F: Fn(ContractId) -> &'a [ContractId],
{
    let mut out = Vec::new();
    let mut stack: Vec<(ContractId, usize)> = vec![(root, 0)];
    seen[root.index()] = true;
    while let Some((id, next)) = stack.pop() {
        let list = bases(id);
        match list.get(next) {
            Some(&base) => {
                stack.push((id, next + 1));
                if !seen[base.index()] {
                    seen[base.index()] = true;
                    stack.push((base, 0));
                }
            }
            None => out.push(id),
        }
    }
    for id in &out {
        seen[id.index()] = false;
    }
    out
}
