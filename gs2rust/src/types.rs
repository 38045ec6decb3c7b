//! What the generator needs to know about types beyond the model's layout:
//! their Rust spelling, their size in memory (large arrays are boxed), and
//! which derives each record can have.
//!
//! Every analysis over records is iterative (topological order or worklist),
//! so that long chains of records cannot overflow the stack.

use gslang_sema::ir::{ItemId, Model, ModuleId, RecordId, Scalar, Type};

use crate::names::Names;

/// Rust facts about the records of a model, indexed by `RecordId`.
#[derive(Debug)]
pub(crate) struct RustTypes {
    /// Every field is `Copy`.
    pub copy: Vec<bool>,
    /// No float anywhere inside: `Eq` and `Hash` can be derived.
    pub eq: Vec<bool>,
    /// The Rust size and alignment, large arrays boxed (see [`BOX_ARRAYS_OVER`]).
    pub layout: Vec<Layout>,
    /// The bytes a value takes in memory, boxed arrays' contents included.
    pub flat_size: Vec<u128>,
}

/// Arrays whose Rust value would be larger than this many bytes are boxed:
/// spelled `::std::boxed::Box<[T; N]>`, decoded in place on the heap, built
/// there by `Default`. Inner arrays are decided first, so an array's size is
/// that of its elements as spelled: no unboxed array over 4 KiB appears in
/// generated code, and none passes through the stack (a record of 2 MiB
/// overflows tokio's default thread stack in a debug build).
pub(crate) const BOX_ARRAYS_OVER: u128 = 4096;

/// rustc's bound on the size of a type on 64-bit targets (`obj_size_bound`
/// in `rustc_abi`): a type of this size or more is a compile error ("values
/// of the type are too big for the target architecture"). 32-bit targets
/// allow less, 2^31.
pub(crate) const RUST_SIZE_BOUND: u128 = 1 << 61;

/// Size and alignment in memory, in bytes, on a 64-bit target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    pub size: u128,
    pub align: u128,
}

impl Layout {
    const fn of(size: u128) -> Layout {
        Layout { size, align: size }
    }
    /// A pointer.
    const WORD: Layout = Layout::of(8);
    /// A `String` or `Vec` (three words).
    const VEC: Layout = Layout { size: 24, align: 8 };

    /// A struct of these fields: Rust orders fields to avoid padding, which
    /// (every size being a multiple of its alignment) leaves only the padding
    /// at the end, up to the largest alignment.
    fn record(fields: impl Iterator<Item = Layout>) -> Layout {
        let (size, align) = fields.fold((0u128, 1u128), |(size, align), f| {
            (size.saturating_add(f.size), align.max(f.align))
        });
        Layout {
            size: size.div_ceil(align).saturating_mul(align),
            align,
        }
    }
}

/// The Rust spelling of a scalar.
pub(crate) fn scalar(s: Scalar) -> &'static str {
    match s {
        Scalar::Bool => "bool",
        Scalar::Byte => "u8",
        Scalar::SByte => "i8",
        Scalar::Int16 => "i16",
        Scalar::UInt16 => "u16",
        Scalar::Int32 => "i32",
        Scalar::UInt32 => "u32",
        Scalar::Int64 => "i64",
        Scalar::UInt64 => "u64",
        Scalar::Float32 => "f32",
        Scalar::Float64 => "f64",
        Scalar::String => "::std::string::String",
    }
}

/// The layout of a scalar, enum or list; `None` for arrays and records.
fn leaf_layout(model: &Model, ty: &Type) -> Option<Layout> {
    Some(match ty {
        Type::Scalar(Scalar::String) | Type::List(_) => Layout::VEC,
        Type::Scalar(s) => Layout::of(u128::from(s.min_len())),
        Type::Enum(id) => Layout::of(u128::from(model.enum_(*id).base.min_len())),
        Type::Array(..) | Type::Record(_) => return None,
    })
}

/// The Rust layout of `ty` as gs2rust spells it (boxed arrays are a
/// pointer); `records` must hold those of the records `ty` contains by value.
fn type_layout(model: &Model, ty: &Type, records: &[Layout]) -> Layout {
    match ty {
        Type::Array(n, inner) => {
            let element = type_layout(model, inner, records);
            let size = element.size.saturating_mul(u128::from(*n));
            if size > BOX_ARRAYS_OVER {
                Layout::WORD
            } else {
                Layout {
                    size,
                    align: element.align,
                }
            }
        }
        Type::Record(id) => records[id.index()],
        _ => leaf_layout(model, ty).unwrap_or(Layout::WORD),
    }
}

/// Whether gs2rust boxes this array type: its elements as spelled take more
/// than [`BOX_ARRAYS_OVER`] bytes.
fn is_boxed(model: &Model, ty: &Type, records: &[Layout]) -> bool {
    match ty {
        Type::Array(n, inner) => {
            type_layout(model, inner, records)
                .size
                .saturating_mul(u128::from(*n))
                > BOX_ARRAYS_OVER
        }
        _ => false,
    }
}

/// The bytes a value of `ty` takes in memory, the contents of boxed arrays
/// included (lists count their header only); `records` must hold those of
/// the records `ty` contains by value.
fn type_flat_size(model: &Model, ty: &Type, records: &[u128]) -> u128 {
    match ty {
        Type::Array(n, inner) => {
            type_flat_size(model, inner, records).saturating_mul(u128::from(*n))
        }
        Type::Record(id) => records[id.index()],
        _ => leaf_layout(model, ty).map_or(8, |l| l.size),
    }
}

/// Whether `ty` is `Copy`: no string or list, and no boxed array.
fn type_copy(model: &Model, ty: &Type, records: &[bool], layouts: &[Layout]) -> bool {
    match ty {
        Type::Array(_, inner) => {
            !is_boxed(model, ty, layouts) && type_copy(model, inner, records, layouts)
        }
        Type::Scalar(Scalar::String) | Type::List(_) => false,
        Type::Record(id) => records[id.index()],
        _ => true,
    }
}

impl RustTypes {
    pub fn new(model: &Model) -> RustTypes {
        let records: Vec<_> = model.records().values().collect();
        let n = records.len();
        let by_value = |id: usize| -> Vec<usize> {
            records[id]
                .fields
                .iter()
                .filter_map(|f| match f.ty.under_arrays() {
                    Type::Record(r) => Some(r.index()),
                    _ => None,
                })
                .collect()
        };
        // Records contain each other by value as a DAG (the front end rejects
        // cycles): compute copy, layouts and sizes in post-order.
        let mut copy = vec![true; n];
        let mut layout = vec![Layout::of(1); n];
        let mut flat_size = vec![0u128; n];
        let mut state = vec![0u8; n];
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            let mut stack = vec![(start, by_value(start), 0usize)];
            state[start] = 1;
            while let Some((node, deps, next)) = stack.last_mut() {
                if let Some(&dep) = deps.get(*next) {
                    *next += 1;
                    if state[dep] == 0 {
                        state[dep] = 1;
                        stack.push((dep, by_value(dep), 0));
                    }
                    continue;
                }
                let node = *node;
                stack.pop();
                state[node] = 2;
                let fields = &records[node].fields;
                copy[node] = fields
                    .iter()
                    .all(|f| type_copy(model, &f.ty, &copy, &layout));
                layout[node] =
                    Layout::record(fields.iter().map(|f| type_layout(model, &f.ty, &layout)));
                // Flat sizes only bound the whole (see `RUST_SIZE_BOUND`):
                // no padding.
                flat_size[node] = fields.iter().fold(0u128, |acc, f| {
                    acc.saturating_add(type_flat_size(model, &f.ty, &flat_size))
                });
            }
        }

        // Eq: a record is not Eq if a float is in it anywhere, lists included;
        // propagate "not Eq" to the records that mention it.
        let mut mentions: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut eq = vec![true; n];
        let mut work = Vec::new();
        for (id, record) in records.iter().enumerate() {
            for t in record.fields.iter().flat_map(|f| f.ty.walk()) {
                match t {
                    Type::Scalar(s) if s.is_float() && eq[id] => {
                        eq[id] = false;
                        work.push(id);
                    }
                    Type::Record(r) => mentions[r.index()].push(id),
                    _ => {}
                }
            }
        }
        while let Some(id) = work.pop() {
            for &user in &mentions[id] {
                if eq[user] {
                    eq[user] = false;
                    work.push(user);
                }
            }
        }
        RustTypes {
            copy,
            eq,
            layout,
            flat_size,
        }
    }

    /// Whether a field of this type keeps `Default` derivable: std implements
    /// `Default` for arrays of at most 32 elements only, and a boxed array's
    /// would be built on the stack.
    pub fn default_derivable(&self, model: &Model, ty: &Type) -> bool {
        let mut ty = ty;
        while let Type::Array(n, inner) = ty {
            if *n > 32 || self.is_boxed(model, ty) {
                return false;
            }
            ty = inner;
        }
        true
    }

    /// The bytes of the unboxed arrays a decoder of a recursive record holds
    /// on its stack on the way from the record to the next level of the
    /// recursion (a field `Kids [][2]Node` holds a `[Node; 2]`), the most over
    /// the fields that lead to recursive records. They are charged to the
    /// stack budget with the record itself (`Reader::enter`).
    pub fn recursion_arrays(&self, model: &Model, record: RecordId) -> u128 {
        /// The sum of the unboxed arrays' sizes in `ty`, and whether it
        /// contains a recursive record.
        fn walk(types: &RustTypes, model: &Model, ty: &Type) -> (u128, bool) {
            match ty {
                Type::Array(_, inner) => {
                    let (below, recursive) = walk(types, model, inner);
                    let own = if types.is_boxed(model, ty) {
                        0
                    } else {
                        type_layout(model, ty, &types.layout).size
                    };
                    (below.saturating_add(own), recursive)
                }
                Type::List(inner) => walk(types, model, inner),
                Type::Record(id) => (0, model.layout(*id).recursive),
                _ => (0, false),
            }
        }
        model
            .record(record)
            .fields
            .iter()
            .map(|f| walk(self, model, &f.ty))
            .filter(|&(_, recursive)| recursive)
            .map(|(bytes, _)| bytes)
            .max()
            .unwrap_or(0)
    }

    /// Whether `ty` is `Copy`.
    pub fn is_copy(&self, model: &Model, ty: &Type) -> bool {
        type_copy(model, ty, &self.copy, &self.layout)
    }

    /// Whether `ty` holds a boxed array of values that are not `Copy`, which
    /// std's `Clone` would clone on the stack: records with such fields get a
    /// `Clone` impl that clones them element by element in place.
    pub fn clone_in_place(&self, model: &Model, ty: &Type) -> bool {
        match ty {
            Type::Array(_, inner) => {
                (self.is_boxed(model, ty) && !self.is_copy(model, inner))
                    || self.clone_in_place(model, inner)
            }
            Type::List(inner) => self.clone_in_place(model, inner),
            _ => false,
        }
    }

    /// Whether this array type is spelled boxed (see [`BOX_ARRAYS_OVER`]).
    pub fn is_boxed(&self, model: &Model, ty: &Type) -> bool {
        is_boxed(model, ty, &self.layout)
    }

    /// The bytes a value of `ty` takes in memory, boxed arrays' contents
    /// included.
    pub fn flat_size(&self, model: &Model, ty: &Type) -> u128 {
        type_flat_size(model, ty, &self.flat_size)
    }

    /// The Rust spelling of `ty` as written in module `from`.
    pub fn rust_type(&self, model: &Model, names: &Names, ty: &Type, from: ModuleId) -> String {
        match ty {
            Type::Scalar(s) => scalar(*s).to_owned(),
            Type::List(inner) => format!(
                "::std::vec::Vec<{}>",
                self.rust_type(model, names, inner, from)
            ),
            Type::Array(n, inner) => {
                let array = format!("[{}; {n}]", self.rust_type(model, names, inner, from));
                if self.is_boxed(model, ty) {
                    format!("::std::boxed::Box<{array}>")
                } else {
                    array
                }
            }
            Type::Record(id) => names.item_path(model, ItemId::Record(*id), from),
            Type::Enum(id) => names.item_path(model, ItemId::Enum(*id), from),
        }
    }
}
