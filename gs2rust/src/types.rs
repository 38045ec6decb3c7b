//! What the generator needs to know about types: their Rust spelling, the
//! fewest bytes they encode to, their size in memory, and which derives each
//! record can have.
//!
//! Every analysis over records is iterative (topological order or worklist),
//! so that long chains of records cannot overflow the stack.

use gslang_sema::ir::{ItemId, Model, ModuleId, RecordId, Type};

use rustc_hash::FxHashMap;

use crate::names;

/// Facts about the records of a model, indexed by `RecordId`.
#[derive(Debug)]
pub(crate) struct Facts {
    /// The fewest bytes a value encodes to.
    pub min_len: Vec<usize>,
    /// Every field is `Copy`.
    pub copy: Vec<bool>,
    /// No float anywhere inside: `Eq` and `Hash` can be derived.
    pub eq: Vec<bool>,
    /// Part of a cycle of references (through lists): decoding tracks depth.
    pub recursive: Vec<bool>,
    /// The Rust size and alignment, large arrays boxed (see [`BOX_ARRAYS_OVER`]).
    pub layout: Vec<Layout>,
    /// The bytes a value takes in memory, boxed arrays' contents included.
    pub flat_size: Vec<u128>,
    /// The Rust name of each module.
    pub module_names: Vec<String>,
}

/// The innermost element type under arrays.
fn under_arrays(ty: &Type) -> &Type {
    let mut ty = ty;
    while let Type::Array(_, inner) = ty {
        ty = inner;
    }
    ty
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
    /// A pointer, or a `String` or `Vec` (three words).
    const WORD: Layout = Layout::of(8);
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

/// The layout of a scalar, string or list; `None` for arrays and records.
fn leaf_layout(model: &Model, ty: &Type) -> Option<Layout> {
    Some(match ty {
        Type::Bool | Type::Byte | Type::SByte => Layout::of(1),
        Type::Int16 | Type::UInt16 => Layout::of(2),
        Type::Int32 | Type::UInt32 | Type::Float32 => Layout::of(4),
        Type::Int64 | Type::UInt64 | Type::Float64 => Layout::of(8),
        Type::String | Type::List(_) => Layout::VEC,
        Type::Enum(id) => Layout::of(int_width(model.enum_(*id).base) as u128),
        Type::Array(..) | Type::Record(_) => return None,
    })
}

/// The Rust layout of `ty` as gs2rust spells it (boxed arrays are a
/// pointer); `records` must hold those of the records `ty` contains by value.
pub(crate) fn type_layout(model: &Model, ty: &Type, records: &[Layout]) -> Layout {
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
pub(crate) fn is_boxed(model: &Model, ty: &Type, records: &[Layout]) -> bool {
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
pub(crate) fn type_flat_size(model: &Model, ty: &Type, records: &[u128]) -> u128 {
    match ty {
        Type::Array(n, inner) => {
            type_flat_size(model, inner, records).saturating_mul(u128::from(*n))
        }
        Type::Record(id) => records[id.index()],
        _ => leaf_layout(model, ty).map_or(8, |l| l.size),
    }
}

impl Facts {
    pub fn new(model: &Model) -> Facts {
        let n = model.records.len();
        let by_value = |id: usize| -> Vec<usize> {
            model.records[id]
                .fields
                .iter()
                .filter_map(|f| match under_arrays(&f.ty) {
                    Type::Record(r) => Some(r.index()),
                    _ => None,
                })
                .collect()
        };
        // Records contain each other by value as a DAG (the front end rejects
        // cycles): compute min_len and copy in post-order.
        let mut min_len = vec![0usize; n];
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
                let fields = &model.records[node].fields;
                min_len[node] = fields.iter().fold(0usize, |acc, f| {
                    acc.saturating_add(type_min_len(model, &f.ty, &min_len))
                });
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
        for (id, record) in model.records.iter().enumerate() {
            for f in &record.fields {
                let mut float = false;
                visit(&f.ty, &mut |t| match t {
                    Type::Float32 | Type::Float64 => float = true,
                    Type::Record(r) => mentions[r.index()].push(id),
                    _ => {}
                });
                if float && eq[id] {
                    eq[id] = false;
                    work.push(id);
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

        let recursive = recursive_records(model);
        let module_names = module_names(model);
        Facts {
            min_len,
            copy,
            eq,
            recursive,
            layout,
            flat_size,
            module_names,
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
        fn walk(facts: &Facts, model: &Model, ty: &Type) -> (u128, bool) {
            match ty {
                Type::Array(_, inner) => {
                    let (below, recursive) = walk(facts, model, inner);
                    let own = if facts.is_boxed(model, ty) {
                        0
                    } else {
                        type_layout(model, ty, &facts.layout).size
                    };
                    (below.saturating_add(own), recursive)
                }
                Type::List(inner) => walk(facts, model, inner),
                Type::Record(id) => (0, facts.recursive[id.index()]),
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
    pub fn rust_type(&self, model: &Model, ty: &Type, from: ModuleId) -> String {
        match ty {
            Type::Bool => "bool".into(),
            Type::Byte => "u8".into(),
            Type::SByte => "i8".into(),
            Type::Int16 => "i16".into(),
            Type::UInt16 => "u16".into(),
            Type::Int32 => "i32".into(),
            Type::UInt32 => "u32".into(),
            Type::Int64 => "i64".into(),
            Type::UInt64 => "u64".into(),
            Type::Float32 => "f32".into(),
            Type::Float64 => "f64".into(),
            Type::String => "::std::string::String".into(),
            Type::List(inner) => format!("::std::vec::Vec<{}>", self.rust_type(model, inner, from)),
            Type::Array(n, inner) => {
                let array = format!("[{}; {n}]", self.rust_type(model, inner, from));
                if self.is_boxed(model, ty) {
                    format!("::std::boxed::Box<{array}>")
                } else {
                    array
                }
            }
            Type::Record(id) => self.item_path(model, ItemId::Record(*id), from),
            Type::Enum(id) => self.item_path(model, ItemId::Enum(*id), from),
        }
    }

    /// The path to a declaration from module `from`.
    pub fn item_path(&self, model: &Model, item: ItemId, from: ModuleId) -> String {
        let module = model.item_module(item);
        let name = names::type_name(model.item_name(item));
        if module == from {
            name
        } else if module == model.builtins.module {
            format!("::gscluster::gslang::{name}")
        } else {
            format!("super::{}::{name}", self.module_names[module.index()])
        }
    }
}

/// Calls `f` on `ty` and every type inside it.
fn visit(ty: &Type, f: &mut impl FnMut(&Type)) {
    let mut ty = ty;
    loop {
        f(ty);
        match ty {
            Type::List(inner) | Type::Array(_, inner) => ty = inner,
            _ => return,
        }
    }
}

/// The fewest bytes a value of `ty` encodes to; `records` must hold the
/// values of the records `ty` contains by value.
pub(crate) fn type_min_len(model: &Model, ty: &Type, records: &[usize]) -> usize {
    match ty {
        Type::Bool | Type::Byte | Type::SByte => 1,
        Type::Int16 | Type::UInt16 => 2,
        Type::Int32 | Type::UInt32 | Type::Float32 => 4,
        Type::Int64 | Type::UInt64 | Type::Float64 => 8,
        Type::String | Type::List(_) => 1,
        Type::Array(n, inner) => (*n as usize).saturating_mul(type_min_len(model, inner, records)),
        Type::Record(id) => records[id.index()],
        Type::Enum(id) => int_width(model.enum_(*id).base),
    }
}

/// The width in bytes of an enum base.
pub(crate) fn int_width(base: gslang_sema::ir::IntType) -> usize {
    use gslang_sema::ir::IntType;
    match base {
        IntType::Byte | IntType::SByte => 1,
        IntType::Int16 | IntType::UInt16 => 2,
        IntType::Int32 | IntType::UInt32 => 4,
    }
}

/// The Rust integer type of an enum base.
pub(crate) fn int_rust(base: gslang_sema::ir::IntType) -> &'static str {
    use gslang_sema::ir::IntType;
    match base {
        IntType::Byte => "u8",
        IntType::SByte => "i8",
        IntType::Int16 => "i16",
        IntType::UInt16 => "u16",
        IntType::Int32 => "i32",
        IntType::UInt32 => "u32",
    }
}

/// Whether `ty` is `Copy`: no string or list, and no boxed array.
fn type_copy(model: &Model, ty: &Type, records: &[bool], layouts: &[Layout]) -> bool {
    match ty {
        Type::Array(_, inner) => {
            !is_boxed(model, ty, layouts) && type_copy(model, inner, records, layouts)
        }
        Type::String | Type::List(_) => false,
        Type::Record(id) => records[id.index()],
        _ => true,
    }
}

/// Records on a cycle of references (through lists or arrays): Tarjan's
/// strongly connected components, iteratively.
fn recursive_records(model: &Model) -> Vec<bool> {
    let n = model.records.len();
    let edges: Vec<Vec<usize>> = model
        .records
        .iter()
        .map(|r| {
            let mut out = Vec::new();
            for f in &r.fields {
                visit(&f.ty, &mut |t| {
                    if let Type::Record(id) = t {
                        out.push(id.index());
                    }
                });
            }
            out
        })
        .collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut recursive = vec![false; n];
    let mut counter = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = counter;
        low[start] = counter;
        counter += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut next)) = call.last_mut() {
            if let Some(&w) = edges[v].get(*next) {
                *next += 1;
                if w == v {
                    recursive[v] = true;
                }
                if index[w] == usize::MAX {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                if members.len() > 1 {
                    for m in members {
                        recursive[m] = true;
                    }
                }
            }
        }
    }
    recursive
}

/// The Rust module name of every gslang module: the module's name in
/// snake_case. Modules that share a name (files with one stem in different
/// directories, imported under aliases) are told apart by as many of their
/// parent directories as it takes: `x/common.gs` and `y/common.gs` become
/// `x_common` and `y_common`.
fn module_names(model: &Model) -> Vec<String> {
    let mut names: Vec<String> = model
        .modules
        .iter()
        .map(|m| names::module_name(&m.name))
        .collect();
    let mut groups: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (index, module) in model.modules.iter().enumerate() {
        groups.entry(module.name.as_str()).or_default().push(index);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    for group in groups {
        // Parent directories, nearest first.
        let dirs: Vec<Vec<String>> = group
            .iter()
            .map(|&i| {
                let path = model.modules[i].path.as_deref();
                path.and_then(std::path::Path::parent)
                    .map(|dir| {
                        dir.components()
                            .rev()
                            .map(|c| c.as_os_str().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let deepest = dirs.iter().map(Vec::len).max().unwrap_or(0);
        let distinct = (1..=deepest).find_map(|depth| {
            let candidates: Vec<String> = group
                .iter()
                .zip(&dirs)
                .map(|(&i, dirs)| {
                    let mut parts: Vec<&str> =
                        dirs.iter().take(depth).map(String::as_str).collect();
                    parts.reverse();
                    parts.push(&model.modules[i].name);
                    names::module_name(&parts.join("_"))
                })
                .collect();
            let mut sorted = candidates.clone();
            sorted.sort_unstable();
            sorted.dedup();
            (sorted.len() == candidates.len()).then_some(candidates)
        });
        // Without paths to tell them apart (not for files), the clash is
        // reported as two modules with one Rust name.
        if let Some(candidates) = distinct {
            for (&i, name) in group.iter().zip(candidates) {
                names[i] = name;
            }
        }
    }
    names
}
