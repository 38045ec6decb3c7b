//! Wire compatibility between two versions of a gslang schema set, behind
//! `gsc compat`.
//!
//! [`compare`] takes the checked models of the old and the new version and
//! reports every change by the rules of the tagless format (wire.md §1–§3):
//! values are their fields in order without tags, a method is called by its
//! index in its contract's flattened method list, a service is found by its
//! contract's full name (the CER type), and an `@Error` enum's errors by a
//! hash of its full name. Changes that break what peers of the two versions
//! exchange are errors; changes of the same encoding that one side may
//! reject are warnings; changes that are compatible on the wire but break
//! source code or routing by name are notes ([`errors`] lists them all).
//!
//! How the versions are matched:
//! 1. modules by name (the file stem), several of one name by their path
//!    under the directory each version was given as;
//! 2. declarations by name within paired modules; then one left without a
//!    partner by name in another module (moved); then a contract by the
//!    methods it shares with one left over in the paired module (renamed),
//!    and an `@Error` enum by its values;
//! 3. records and enums left over, through their uses: where a field,
//!    param or return value of the old version names `A` and of the new one
//!    `B`, neither with another partner, `B` is `A` renamed. Types are then
//!    judged by structure, as the wire does: a renamed record with the same
//!    fields is a note, and the uses of one type replaced by another of the
//!    same encoding are notes.
//!
//! Every report of a type change says which contracts' calls it reaches:
//! the served contracts (each compared with its own flattened list) whose
//! methods' params or returns hold the type, directly or through other
//! records.
//!
//! Both versions' files end up in one [`SourceMap`] ([`SourceMap::append`]),
//! so that a diagnostic has its primary label in one version and its
//! secondary label in the other, and renders with the usual renderer.
//!
//! Every walk is iterative or bounded by the type nesting limit.
//!
//! ```
//! use gslang_sema::analyze_source;
//!
//! let old = analyze_source("chat.gs", "struct M { ID int32; } contract Chat { Post(m M); }");
//! let new = analyze_source("chat.gs", "struct M { ID int64; } contract Chat { Post(m M); }");
//! let (Some(old_model), Some(new_model)) = (&old.model, &new.model) else { panic!() };
//! let cmp = gslang_compat::compare(old_model, old.sources, new_model, new.sources, &Default::default());
//! assert!(!cmp.is_compatible());
//! assert_eq!(cmp.diagnostics[0].code, "E0703");
//! assert_eq!(cmp.diagnostics[0].notes[1], "breaks calls to `chat.Chat` (`Post`)");
//! ```

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod errors;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;
use std::path::PathBuf;

use gslang_sema::ir::{
    ContractId, EnumId, ItemId, MethodRef, Model, ModuleId, Param, RecordId, Type,
};
use gslang_syntax::{Diagnostic, FileId, Severity, SourceMap, Span};
use smol_str::SmolStr;

pub use errors::{CompatError, PHASES, Uses};

/// Settings of a comparison.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The directory the old version was given as (canonical): modules of
    /// one name are paired by their paths under the two directories.
    pub old_root: Option<PathBuf>,
    /// The directory the new version was given as (canonical).
    pub new_root: Option<PathBuf>,
    /// Pair the root modules of the two versions even if their names
    /// differ (when one file is compared with another); each version must
    /// have one root.
    pub pair_roots: bool,
}

/// The result of [`compare`].
#[derive(Debug)]
pub struct Comparison {
    /// The files of both versions: the old version's, then the new one's.
    pub sources: SourceMap,
    /// Errors, then warnings, then notes, each in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Comparison {
    /// Whether no change breaks wire compatibility (warnings and notes allowed).
    pub fn is_compatible(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Compares two checked versions of a schema set; `old_sources` and
/// `new_sources` are the source maps their analyses read their files into.
pub fn compare(
    old: &Model,
    old_sources: SourceMap,
    new: &Model,
    new_sources: SourceMap,
    options: &Options,
) -> Comparison {
    let mut sources = old_sources;
    let offset = sources.append(new_sources);
    let mut cx = Cx::new(old, new, offset);
    cx.pair_modules(options);
    cx.pair_items();
    cx.contracts();
    cx.roots();
    cx.drain();
    cx.leftovers();
    Comparison {
        sources,
        diagnostics: cx.finish(),
    }
}

/// Which contracts' methods reach a type: contract full name → method names.
type UsesMap = BTreeMap<String, BTreeSet<SmolStr>>;

/// A declaration's partner in the other version, both ways.
#[derive(Debug)]
struct Pairs<Id> {
    fwd: HashMap<Id, Id>,
    back: HashMap<Id, Id>,
}

impl<Id: Copy + Eq + Hash> Pairs<Id> {
    fn new() -> Self {
        Pairs {
            fwd: HashMap::new(),
            back: HashMap::new(),
        }
    }

    fn pair(&mut self, old: Id, new: Id) {
        self.fwd.insert(old, new);
        self.back.insert(new, old);
    }

    fn is_free(&self, old: Id, new: Id) -> bool {
        !self.fwd.contains_key(&old) && !self.back.contains_key(&new)
    }
}

/// A record or enum of the old version compared with one of the new.
#[derive(Debug)]
struct TypePair<Id> {
    old: Id,
    new: Id,
    uses: UsesMap,
    /// The pairs its fields reach.
    children: Vec<Node>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    Record(usize),
    Enum(usize),
}

/// Where the uses of a finding come from.
#[derive(Debug)]
enum Origin {
    /// It needs none (a note).
    None,
    /// A method's params or returns, in these contracts.
    Calls(UsesMap),
    /// A record or enum pair.
    Node(Node),
}

/// What a type comparison reached: the contracts' methods at a call site,
/// or the record pair whose field it is.
#[derive(Clone, Copy)]
enum Via<'u> {
    Calls(&'u UsesMap),
    Node(Node),
}

/// The first difference between the types at one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Diff {
    /// Encoded differently.
    Different,
    /// An array of another length.
    ArrayLen,
    /// An integer and an enum of that base.
    EnumInt,
    /// Another record or enum of the same encoding.
    Replaced,
}

type Make = Box<dyn FnOnce(Uses) -> CompatError>;

struct Cx<'a> {
    old: &'a Model,
    new: &'a Model,
    offset: u32,
    modules: Pairs<ModuleId>,
    records: Pairs<RecordId>,
    enums: Pairs<EnumId>,
    contracts: Pairs<ContractId>,
    record_pairs: Vec<TypePair<RecordId>>,
    record_index: HashMap<(RecordId, RecordId), usize>,
    enum_pairs: Vec<TypePair<EnumId>>,
    enum_index: HashMap<(EnumId, EnumId), usize>,
    /// Record pairs not compared yet.
    queue: Vec<usize>,
    findings: Vec<(Origin, Make)>,
}

/// A method as declared: its contract and its index there.
type MethodKey = (ContractId, usize);

fn key(m: MethodRef) -> MethodKey {
    (m.contract, m.index)
}

impl<'a> Cx<'a> {
    fn new(old: &'a Model, new: &'a Model, offset: u32) -> Self {
        Cx {
            old,
            new,
            offset,
            modules: Pairs::new(),
            records: Pairs::new(),
            enums: Pairs::new(),
            contracts: Pairs::new(),
            record_pairs: Vec::new(),
            record_index: HashMap::new(),
            enum_pairs: Vec::new(),
            enum_index: HashMap::new(),
            queue: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// A span of the new version, in the merged source map.
    fn n(&self, span: Span) -> Span {
        Span {
            file: FileId(span.file.0 + self.offset),
            ..span
        }
    }

    /// The start of the new version's file for the old module `module`
    /// (or of its first root), for reports of what the new version lacks.
    fn new_file(&self, module: ModuleId) -> Span {
        let file = match self.modules.fwd.get(&module) {
            Some(&m) => self.new.module(m).file,
            None => self
                .new
                .roots()
                .first()
                .map_or(FileId(0), |&m| self.new.module(m).file),
        };
        self.n(Span::new(file, 0, 0))
    }

    fn report(&mut self, origin: Origin, make: impl FnOnce(Uses) -> CompatError + 'static) {
        self.findings.push((origin, Box::new(make)));
    }

    fn note(&mut self, error: CompatError) {
        self.findings.push((Origin::None, Box::new(move |_| error)));
    }

    // ------------------------------------------------------------ pairing

    fn pair_modules(&mut self, options: &Options) {
        let group = |model: &Model| {
            let mut by_name: BTreeMap<SmolStr, Vec<ModuleId>> = BTreeMap::new();
            for (id, m) in model.modules().iter() {
                by_name.entry(m.name.clone()).or_default().push(id);
            }
            by_name
        };
        let relative = |model: &Model, id: ModuleId, root: &Option<PathBuf>| -> Option<PathBuf> {
            let path = model.module(id).path.as_deref()?;
            Some(path.strip_prefix(root.as_deref()?).ok()?.to_path_buf())
        };
        let news = group(self.new);
        for (name, olds) in group(self.old) {
            let Some(candidates) = news.get(&name) else {
                continue;
            };
            if let ([one], [other]) = (olds.as_slice(), candidates.as_slice()) {
                self.modules.pair(*one, *other);
                continue;
            }
            for &o in &olds {
                let Some(rel) = relative(self.old, o, &options.old_root) else {
                    continue;
                };
                let found = candidates.iter().copied().find(|&c| {
                    relative(self.new, c, &options.new_root).as_deref() == Some(rel.as_path())
                });
                if let Some(c) = found {
                    if self.modules.is_free(o, c) {
                        self.modules.pair(o, c);
                    }
                }
            }
        }
        if options.pair_roots {
            if let ([o], [n]) = (self.old.roots(), self.new.roots()) {
                if self.modules.fwd.get(o) != Some(n) {
                    if let Some(other) = self.modules.fwd.remove(o) {
                        self.modules.back.remove(&other);
                    }
                    if let Some(other) = self.modules.back.remove(n) {
                        self.modules.fwd.remove(&other);
                    }
                    self.modules.pair(*o, *n);
                }
            }
        }
    }

    fn pair_items(&mut self) {
        let (old, new) = (self.old, self.new);
        let mut module_pairs: Vec<(ModuleId, ModuleId)> =
            self.modules.fwd.iter().map(|(&o, &n)| (o, n)).collect();
        module_pairs.sort_by_key(|&(o, _)| o.index());
        // By name, within paired modules.
        for &(om, nm) in &module_pairs {
            let by_name: HashMap<&str, ItemId> = new
                .module(nm)
                .items
                .iter()
                .map(|&i| (new.item_name(i), i))
                .collect();
            for &item in &old.module(om).items {
                if let Some(&other) = by_name.get(old.item_name(item)) {
                    self.pair_item(item, other);
                }
            }
        }
        // Moved: a declaration without a partner whose name is declared,
        // without a partner, in exactly one other module.
        let mut free_new: HashMap<&str, Vec<ItemId>> = HashMap::new();
        for (_, m) in new.modules().iter() {
            for &i in &m.items {
                if self.is_free_new(i) {
                    free_new.entry(new.item_name(i)).or_default().push(i);
                }
            }
        }
        for (_, m) in old.modules().iter() {
            for &item in &m.items {
                if !self.is_free_old(item) {
                    continue;
                }
                let candidates: Vec<ItemId> = free_new
                    .get(old.item_name(item))
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&c| same_kind(item, c) && self.is_free_new(c))
                    .collect();
                if let [one] = candidates.as_slice() {
                    self.pair_item(item, *one);
                }
            }
        }
        // Renamed contracts: the one left over in the paired module that
        // shares the most method names, if it shares at least half of them.
        for &(om, nm) in &module_pairs {
            for &item in &old.module(om).items {
                let ItemId::Contract(oc) = item else { continue };
                if self.contracts.fwd.contains_key(&oc) {
                    continue;
                }
                let names: HashSet<&str> = old
                    .methods(oc)
                    .into_iter()
                    .map(|m| old.method(m).name.as_str())
                    .collect();
                let best = new
                    .module(nm)
                    .items
                    .iter()
                    .filter_map(|&i| match i {
                        ItemId::Contract(nc) if !self.contracts.back.contains_key(&nc) => Some(nc),
                        _ => None,
                    })
                    .map(|nc| {
                        let shared = new
                            .methods(nc)
                            .into_iter()
                            .filter(|&m| names.contains(new.method(m).name.as_str()))
                            .count();
                        (shared, std::cmp::Reverse(nc.index()), nc)
                    })
                    .max();
                // At least half of its methods: a contract that merely
                // shares a `Ping` with a new one was removed, not renamed.
                if let Some((shared, _, nc)) = best {
                    if shared > 0 && shared * 2 >= names.len() {
                        self.contracts.pair(oc, nc);
                    }
                }
            }
        }
        // Renamed error enums: the one left over with the same values.
        let values = |model: &Model, id: EnumId| -> Vec<(SmolStr, i64)> {
            model
                .enum_(id)
                .values
                .iter()
                .map(|v| (v.name.clone(), v.value))
                .collect()
        };
        for (oe, e) in old.enums().iter() {
            if !e.is_error || self.enums.fwd.contains_key(&oe) || old.module(e.module).is_builtin {
                continue;
            }
            let candidates: Vec<EnumId> = new
                .enums()
                .iter()
                .filter(|&(ne, n)| {
                    n.is_error
                        && !self.enums.back.contains_key(&ne)
                        && values(new, ne) == values(old, oe)
                })
                .map(|(ne, _)| ne)
                .collect();
            if let [one] = candidates.as_slice() {
                self.enums.pair(oe, *one);
            }
        }
    }

    fn pair_item(&mut self, old: ItemId, new: ItemId) {
        match (old, new) {
            (ItemId::Record(a), ItemId::Record(b)) if self.records.is_free(a, b) => {
                self.records.pair(a, b);
            }
            (ItemId::Enum(a), ItemId::Enum(b)) if self.enums.is_free(a, b) => self.enums.pair(a, b),
            (ItemId::Contract(a), ItemId::Contract(b)) if self.contracts.is_free(a, b) => {
                self.contracts.pair(a, b);
            }
            _ => {}
        }
    }

    fn is_free_old(&self, item: ItemId) -> bool {
        match item {
            ItemId::Record(id) => !self.records.fwd.contains_key(&id),
            ItemId::Enum(id) => !self.enums.fwd.contains_key(&id),
            ItemId::Contract(id) => !self.contracts.fwd.contains_key(&id),
        }
    }

    fn is_free_new(&self, item: ItemId) -> bool {
        match item {
            ItemId::Record(id) => !self.records.back.contains_key(&id),
            ItemId::Enum(id) => !self.enums.back.contains_key(&id),
            ItemId::Contract(id) => !self.contracts.back.contains_key(&id),
        }
    }

    // ---------------------------------------------------------- contracts

    /// Compares every paired contract's method list, then the signatures of
    /// the methods paired in them; reports the contracts that are gone.
    fn contracts(&mut self) {
        let old = self.old;
        let mut pairs: Vec<(ContractId, ContractId)> =
            self.contracts.fwd.iter().map(|(&o, &n)| (o, n)).collect();
        pairs.sort_by_key(|&(o, _)| o.index());
        let mut methods: HashMap<(MethodKey, MethodKey), Vec<ContractId>> = HashMap::new();
        for (oc, nc) in pairs {
            self.method_list(oc, nc, &mut methods);
        }
        let mut methods: Vec<((MethodKey, MethodKey), Vec<ContractId>)> =
            methods.into_iter().collect();
        methods.sort_by_key(|&(((oc, oi), (nc, ni)), _)| (oc.index(), oi, nc.index(), ni));
        for ((o, n), served) in methods {
            self.signature(o, n, &served);
        }
        for (oc, c) in old.contracts().iter() {
            if !self.contracts.fwd.contains_key(&oc) {
                let new_file = self.new_file(c.module);
                self.note(CompatError::ContractRemoved {
                    contract: old.full_name(ItemId::Contract(oc)),
                    span: c.span,
                    new_file,
                });
            }
        }
    }

    fn method_list(
        &mut self,
        oc: ContractId,
        nc: ContractId,
        methods: &mut HashMap<(MethodKey, MethodKey), Vec<ContractId>>,
    ) {
        let (old, new) = (self.old, self.new);
        let old_name = old.full_name(ItemId::Contract(oc));
        let new_name = new.full_name(ItemId::Contract(nc));
        let (oc_span, nc_span) = (old.contract(oc).span, self.n(new.contract(nc).span));
        if old_name != new_name {
            self.note(CompatError::ContractRenamed {
                old_name: old_name.clone(),
                new_name: new_name.clone(),
                span: nc_span,
                old: oc_span,
            });
        }
        let ol = old.methods(oc);
        let nl = new.methods(nc);
        let name_o = |i: usize| old.method(ol[i]).name.clone();
        let name_n = |j: usize| new.method(nl[j]).name.clone();
        let by_name: HashMap<SmolStr, usize> = (0..nl.len()).map(|j| (name_n(j), j)).collect();
        let mut o_to_n: Vec<Option<usize>> = (0..ol.len())
            .map(|i| by_name.get(&name_o(i)).copied())
            .collect();
        let mut n_to_o: Vec<Option<usize>> = vec![None; nl.len()];
        for (i, j) in o_to_n.iter().enumerate() {
            if let Some(j) = *j {
                n_to_o[j] = Some(i);
            }
        }
        // At one id, a method gone and one that is new: the same method, renamed.
        for i in 0..ol.len().min(nl.len()) {
            if o_to_n[i].is_none() && n_to_o[i].is_none() {
                o_to_n[i] = Some(i);
                n_to_o[i] = Some(i);
            }
        }
        for (i, j) in o_to_n.iter().enumerate() {
            if let Some(j) = *j {
                methods
                    .entry((key(ol[i]), key(nl[j])))
                    .or_default()
                    .push(nc);
            }
        }

        let moves: Vec<(usize, usize)> = o_to_n
            .iter()
            .enumerate()
            .filter_map(|(i, j)| j.filter(|&j| j != i).map(|j| (i, j)))
            .collect();
        let shifts: Vec<String> = moves
            .iter()
            .map(|&(i, j)| format!("`{}` {i} → {j}", name_n(j)))
            .collect();
        let order_kept = o_to_n.iter().flatten().is_sorted();
        let last_paired = n_to_o.iter().rposition(Option::is_some);
        let removed: Vec<usize> = (0..ol.len()).filter(|&i| o_to_n[i].is_none()).collect();
        let inserted: Vec<usize> = (0..nl.len())
            .filter(|&j| n_to_o[j].is_none() && last_paired.is_some_and(|l| j < l))
            .collect();
        let appended: Vec<usize> = (0..nl.len())
            .filter(|&j| n_to_o[j].is_none() && last_paired.is_none_or(|l| j >= l))
            .collect();
        let bases = |model: &Model, c: ContractId| -> String {
            model
                .contract(c)
                .bases
                .iter()
                .map(|&b| format!("`{}`", model.full_name(ItemId::Contract(b))))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (old_bases, new_bases) = (bases(old, oc), bases(new, nc));
        let bases_changed = old_bases != new_bases;
        let fold = removed.len() + inserted.len() == 1 && order_kept && !bases_changed;

        for &i in &removed {
            let m = old.method(ol[i]);
            self.note(CompatError::MethodRemoved {
                contract: new_name.clone(),
                method: m.name.clone(),
                id: i as u16,
                inherited_from: (ol[i].contract != oc)
                    .then(|| old.full_name(ItemId::Contract(ol[i].contract))),
                span: m.span,
                new: nc_span,
                now: (i < nl.len()).then(|| name_n(i)),
                shifts: if fold { shifts.clone() } else { Vec::new() },
            });
        }
        for &j in &inserted {
            let m = new.method(nl[j]);
            self.note(CompatError::MethodInserted {
                contract: new_name.clone(),
                method: m.name.clone(),
                id: j as u16,
                inherited_from: (nl[j].contract != nc)
                    .then(|| new.full_name(ItemId::Contract(nl[j].contract))),
                span: self.n(m.span),
                displaced: (j < ol.len()).then(|| (name_o(j), old.method(ol[j]).span)),
                shifts: if fold { shifts.clone() } else { Vec::new() },
            });
        }
        if !moves.is_empty() && !fold {
            self.note(CompatError::MethodIdsChanged {
                contract: new_name.clone(),
                span: nc_span,
                old: oc_span,
                moves: shifts,
                bases: bases_changed.then_some((old_bases, new_bases)),
            });
        }
        for &j in &appended {
            let m = new.method(nl[j]);
            self.note(CompatError::MethodAppended {
                contract: new_name.clone(),
                method: m.name.clone(),
                id: j as u16,
                span: self.n(m.span),
                old: oc_span,
            });
        }
    }

    /// Compares a method of the old version with its partner, served by
    /// the contracts `served` of the new version: renamed, `@Async`, params
    /// and returns.
    fn signature(&mut self, o: MethodKey, n: MethodKey, served: &[ContractId]) {
        let (old, new) = (self.old, self.new);
        let om = &old.contract(o.0).methods[o.1];
        let nm = &new.contract(n.0).methods[n.1];
        // The contracts' names are written only for a method whose
        // signature may have changed: a method's pairs number as many as
        // the contracts that inherit it, quadratic in an inheritance chain.
        let user_type = |ty: &Type| {
            ty.walk()
                .any(|t| matches!(t, Type::Record(_) | Type::Enum(_)))
        };
        let may_differ = om.is_async != nm.is_async
            || om.params.len() != nm.params.len()
            || om.returns.len() != nm.returns.len()
            || om
                .params
                .iter()
                .chain(&om.returns)
                .zip(nm.params.iter().chain(&nm.returns))
                .any(|(a, b)| a.ty != b.ty || user_type(&a.ty) || user_type(&b.ty));
        let mut uses = UsesMap::new();
        if may_differ {
            for &c in served {
                uses.entry(new.full_name(ItemId::Contract(c)))
                    .or_default()
                    .insert(nm.name.clone());
            }
        }
        let uses = &uses;
        let owner = new.full_name(ItemId::Contract(n.0));
        let method = format!("{owner}.{}", nm.name);
        let (span, old_span) = (self.n(nm.span), om.span);
        if om.name != nm.name {
            self.note(CompatError::MethodRenamed {
                contract: owner,
                old_name: om.name.clone(),
                new_name: nm.name.clone(),
                span,
                old: old_span,
            });
        }
        if om.is_async != nm.is_async {
            let (method, now_async) = (method.clone(), nm.is_async);
            self.report(Origin::Calls(uses.clone()), move |uses| {
                CompatError::AsyncChanged {
                    method,
                    now_async,
                    span,
                    old: old_span,
                    uses,
                }
            });
        }
        for is_return in [false, true] {
            let (op, np) = if is_return {
                (&om.returns, &nm.returns)
            } else {
                (&om.params, &nm.params)
            };
            if op.len() != np.len() {
                let (method, old_count, new_count) = (method.clone(), op.len(), np.len());
                self.report(Origin::Calls(uses.clone()), move |uses| {
                    if is_return {
                        CompatError::ReturnCount {
                            method,
                            old_count,
                            new_count,
                            span,
                            old: old_span,
                            uses,
                        }
                    } else {
                        CompatError::ParamCount {
                            method,
                            old_count,
                            new_count,
                            span,
                            old: old_span,
                            uses,
                        }
                    }
                });
                continue;
            }
            for (index, (a, b)) in op.iter().zip(np).enumerate() {
                self.param(&method, index, is_return, a, b, uses);
            }
        }
    }

    fn param(
        &mut self,
        method: &str,
        index: usize,
        is_return: bool,
        a: &Param,
        b: &Param,
        uses: &UsesMap,
    ) {
        let (span, old_span) = (self.n(b.span), a.span);
        if a.name != b.name {
            self.note(CompatError::ParamRenamed {
                method: method.to_owned(),
                index,
                is_return,
                old_name: a.name.clone(),
                new_name: b.name.clone(),
                span,
                old: old_span,
            });
        }
        let Some(diff) = self.cmp_type(&a.ty, &b.ty, Via::Calls(uses)) else {
            return;
        };
        let (old_ty, new_ty) = (
            self.old.display_type(&a.ty).to_string(),
            self.new.display_type(&b.ty).to_string(),
        );
        let what = if is_return { "return value" } else { "param" };
        let place = match &b.name {
            Some(name) => format!("{what} `{name}` of `{method}`"),
            None => format!("{what} {} of `{method}`", index + 1),
        };
        let (method, name) = (method.to_owned(), b.name.clone());
        let origin = Origin::Calls(uses.clone());
        match diff {
            Diff::Different => self.report(origin, move |uses| {
                if is_return {
                    CompatError::ReturnRetyped {
                        method,
                        index,
                        name,
                        old_ty,
                        new_ty,
                        span,
                        old: old_span,
                        uses,
                    }
                } else {
                    CompatError::ParamRetyped {
                        method,
                        index,
                        name,
                        old_ty,
                        new_ty,
                        span,
                        old: old_span,
                        uses,
                    }
                }
            }),
            Diff::ArrayLen => self.report(origin, move |uses| CompatError::ArrayLength {
                place,
                old_ty,
                new_ty,
                span,
                old: old_span,
                uses,
            }),
            Diff::EnumInt => self.report(origin, move |uses| CompatError::EnumAndInteger {
                place,
                old_ty,
                new_ty,
                span,
                old: old_span,
                uses,
            }),
            Diff::Replaced => self.note(CompatError::TypeReplaced {
                place,
                old_ty,
                new_ty,
                span,
                old: old_span,
            }),
        }
    }

    // -------------------------------------------------------------- types

    /// Compares a type of the old version with one of the new at one place;
    /// the records and enums they name are paired (and compared later) where
    /// they can be, and what the place reaches is recorded on the pair.
    fn cmp_type(&mut self, a: &Type, b: &Type, via: Via<'_>) -> Option<Diff> {
        let (mut a, mut b) = (a, b);
        loop {
            match (a, b) {
                (Type::List(x), Type::List(y)) => (a, b) = (x, y),
                (Type::Array(n, x), Type::Array(m, y)) => {
                    if n != m {
                        return Some(Diff::ArrayLen);
                    }
                    (a, b) = (x, y);
                }
                (Type::Scalar(s), Type::Scalar(t)) => return (s != t).then_some(Diff::Different),
                (Type::Record(r), Type::Record(q)) => return self.record_use(*r, *q, via),
                (Type::Enum(e), Type::Enum(f)) => return self.enum_use(*e, *f, via),
                (Type::Enum(e), Type::Scalar(s)) if self.old.enum_(*e).base == *s => {
                    return Some(Diff::EnumInt);
                }
                (Type::Scalar(s), Type::Enum(f)) if self.new.enum_(*f).base == *s => {
                    return Some(Diff::EnumInt);
                }
                _ => return Some(Diff::Different),
            }
        }
    }

    fn record_use(&mut self, r: RecordId, q: RecordId, via: Via<'_>) -> Option<Diff> {
        let paired = match (self.records.fwd.get(&r), self.records.back.get(&q)) {
            (Some(&x), _) => x == q,
            (None, None) => {
                self.records.pair(r, q);
                true
            }
            (None, Some(_)) => false,
        };
        if paired {
            let node = self.record_pair(r, q);
            self.add_use(node, via);
            return None;
        }
        Some(if self.same_encoding(&Type::Record(r), &Type::Record(q)) {
            Diff::Replaced
        } else {
            Diff::Different
        })
    }

    fn enum_use(&mut self, e: EnumId, f: EnumId, via: Via<'_>) -> Option<Diff> {
        let paired = match (self.enums.fwd.get(&e), self.enums.back.get(&f)) {
            (Some(&x), _) => x == f,
            (None, None) => {
                self.enums.pair(e, f);
                true
            }
            (None, Some(_)) => false,
        };
        if paired {
            let node = self.enum_pair(e, f);
            self.add_use(node, via);
            return None;
        }
        Some(if self.same_encoding(&Type::Enum(e), &Type::Enum(f)) {
            Diff::Replaced
        } else {
            Diff::Different
        })
    }

    fn add_use(&mut self, node: Node, via: Via<'_>) {
        match via {
            Via::Calls(uses) => {
                let target = match node {
                    Node::Record(i) => &mut self.record_pairs[i].uses,
                    Node::Enum(i) => &mut self.enum_pairs[i].uses,
                };
                merge(target, uses);
            }
            Via::Node(Node::Record(parent)) => {
                let children = &mut self.record_pairs[parent].children;
                if !children.contains(&node) {
                    children.push(node);
                }
            }
            Via::Node(Node::Enum(_)) => {}
        }
    }

    fn record_pair(&mut self, r: RecordId, q: RecordId) -> Node {
        if let Some(&i) = self.record_index.get(&(r, q)) {
            return Node::Record(i);
        }
        let i = self.record_pairs.len();
        self.record_pairs.push(TypePair {
            old: r,
            new: q,
            uses: UsesMap::new(),
            children: Vec::new(),
        });
        self.record_index.insert((r, q), i);
        self.queue.push(i);
        Node::Record(i)
    }

    fn enum_pair(&mut self, e: EnumId, f: EnumId) -> Node {
        if let Some(&i) = self.enum_index.get(&(e, f)) {
            return Node::Enum(i);
        }
        let i = self.enum_pairs.len();
        self.enum_pairs.push(TypePair {
            old: e,
            new: f,
            uses: UsesMap::new(),
            children: Vec::new(),
        });
        self.enum_index.insert((e, f), i);
        self.compare_enums(i);
        Node::Enum(i)
    }

    /// Whether every value of `a` (old) encodes as a value of `b` (new) and
    /// back: the same shape, the same scalars, records with fields of the
    /// same encodings in order, enums of one base with the same numbers.
    fn same_encoding(&self, a: &'a Type, b: &'a Type) -> bool {
        let (old, new) = (self.old, self.new);
        let mut stack: Vec<(&Type, &Type)> = vec![(a, b)];
        let mut seen: HashSet<(RecordId, RecordId)> = HashSet::new();
        while let Some((a, b)) = stack.pop() {
            match (a, b) {
                (Type::List(x), Type::List(y)) => stack.push((x, y)),
                (Type::Array(n, x), Type::Array(m, y)) if n == m => stack.push((x, y)),
                (Type::Scalar(s), Type::Scalar(t)) if s == t => {}
                (Type::Enum(e), Type::Enum(f)) => {
                    let (e, f) = (old.enum_(*e), new.enum_(*f));
                    let numbers = |e: &gslang_sema::ir::Enum| {
                        e.values.iter().map(|v| v.value).collect::<BTreeSet<_>>()
                    };
                    if e.base != f.base || e.is_flag != f.is_flag || numbers(e) != numbers(f) {
                        return false;
                    }
                }
                (Type::Record(r), Type::Record(q)) => {
                    if !seen.insert((*r, *q)) {
                        continue;
                    }
                    let (r, q) = (&old.record(*r).fields, &new.record(*q).fields);
                    if r.len() != q.len() {
                        return false;
                    }
                    stack.extend(r.iter().zip(q).map(|(x, y)| (&x.ty, &y.ty)));
                }
                _ => return false,
            }
        }
        true
    }

    // ------------------------------------------------------------ records

    /// Pairs compared by name whether or not a contract uses them.
    fn roots(&mut self) {
        let mut records: Vec<(RecordId, RecordId)> =
            self.records.fwd.iter().map(|(&o, &n)| (o, n)).collect();
        records.sort_by_key(|&(o, _)| o.index());
        for (o, n) in records {
            if !self.old.module(self.old.record(o).module).is_builtin {
                self.record_pair(o, n);
            }
        }
        let mut enums: Vec<(EnumId, EnumId)> =
            self.enums.fwd.iter().map(|(&o, &n)| (o, n)).collect();
        enums.sort_by_key(|&(o, _)| o.index());
        for (o, n) in enums {
            if !self.old.module(self.old.enum_(o).module).is_builtin {
                self.enum_pair(o, n);
            }
        }
    }

    /// Compares the record pairs until none is left (comparing one may pair more).
    fn drain(&mut self) {
        let mut next = 0;
        while next < self.queue.len() {
            let i = self.queue[next];
            next += 1;
            self.compare_records(i);
        }
    }

    fn compare_records(&mut self, index: usize) {
        let (old, new) = (self.old, self.new);
        let (r, q) = (self.record_pairs[index].old, self.record_pairs[index].new);
        let node = Node::Record(index);
        let (or, nr) = (old.record(r), new.record(q));
        let (old_name, new_name) = (
            old.full_name(ItemId::Record(r)),
            new.full_name(ItemId::Record(q)),
        );
        let (span, old_span) = (self.n(nr.span), or.span);
        if old_name != new_name {
            self.note(CompatError::TypeRenamed {
                what: "record",
                old_name,
                new_name: new_name.clone(),
                span,
                old: old_span,
            });
        }
        if or.kind != nr.kind {
            self.note(CompatError::RecordKindChanged {
                record: new_name.clone(),
                old_kind: or.kind.keyword(),
                new_kind: nr.kind.keyword(),
                span,
                old: old_span,
            });
        }
        let (of, nf) = (&or.fields, &nr.fields);
        let by_name: HashMap<&str, usize> = nf
            .iter()
            .enumerate()
            .map(|(j, f)| (f.name.as_str(), j))
            .collect();
        let mut o_to_n: Vec<Option<usize>> = of
            .iter()
            .map(|f| by_name.get(f.name.as_str()).copied())
            .collect();
        let mut n_to_o: Vec<Option<usize>> = vec![None; nf.len()];
        for (i, j) in o_to_n.iter().enumerate() {
            if let Some(j) = *j {
                n_to_o[j] = Some(i);
            }
        }
        // At one position, a field gone and one that is new: the same field, renamed.
        for i in 0..of.len().min(nf.len()) {
            if o_to_n[i].is_none() && n_to_o[i].is_none() {
                o_to_n[i] = Some(i);
                n_to_o[i] = Some(i);
            }
        }
        // Reordered: the paired fields, in the new order, are not in the old order.
        let in_new_order: Vec<(usize, usize)> = n_to_o
            .iter()
            .enumerate()
            .filter_map(|(j, i)| i.map(|i| (i, j)))
            .collect();
        if let Some(w) = in_new_order.windows(2).find(|w| w[1].0 < w[0].0) {
            let ((i0, j0), (_, j1)) = (w[0], w[1]);
            let (record, moved, before) =
                (new_name.clone(), nf[j0].name.clone(), nf[j1].name.clone());
            let (span, old) = (self.n(nf[j0].span), of[i0].span);
            self.report(Origin::Node(node), move |uses| {
                CompatError::FieldsReordered {
                    record,
                    moved,
                    before,
                    span,
                    old,
                    uses,
                }
            });
        }
        for (i, f) in of.iter().enumerate() {
            if o_to_n[i].is_none() {
                let (record, field, span, new_span) =
                    (new_name.clone(), f.name.clone(), f.span, self.n(nr.span));
                self.report(Origin::Node(node), move |uses| CompatError::FieldRemoved {
                    record,
                    field,
                    index: i,
                    span,
                    new: new_span,
                    uses,
                });
            }
        }
        for (j, f) in nf.iter().enumerate() {
            if n_to_o[j].is_none() {
                let (record, field, span) = (new_name.clone(), f.name.clone(), self.n(f.span));
                self.report(Origin::Node(node), move |uses| CompatError::FieldAdded {
                    record,
                    field,
                    index: j,
                    span,
                    old: old_span,
                    uses,
                });
            }
        }
        for (i, j) in o_to_n.iter().enumerate() {
            let Some(j) = *j else { continue };
            let (a, b) = (&of[i], &nf[j]);
            let (span, field_old) = (self.n(b.span), a.span);
            if a.name != b.name {
                self.note(CompatError::FieldRenamed {
                    record: new_name.clone(),
                    old_name: a.name.clone(),
                    new_name: b.name.clone(),
                    span,
                    old: field_old,
                });
            }
            let Some(diff) = self.cmp_type(&a.ty, &b.ty, Via::Node(node)) else {
                continue;
            };
            let (old_ty, new_ty) = (
                old.display_type(&a.ty).to_string(),
                new.display_type(&b.ty).to_string(),
            );
            let place = format!("field `{}` of `{new_name}`", b.name);
            let (record, field) = (new_name.clone(), b.name.clone());
            let origin = Origin::Node(node);
            match diff {
                Diff::Different => self.report(origin, move |uses| CompatError::FieldRetyped {
                    record,
                    field,
                    old_ty,
                    new_ty,
                    span,
                    old: field_old,
                    uses,
                }),
                Diff::ArrayLen => self.report(origin, move |uses| CompatError::ArrayLength {
                    place,
                    old_ty,
                    new_ty,
                    span,
                    old: field_old,
                    uses,
                }),
                Diff::EnumInt => self.report(origin, move |uses| CompatError::EnumAndInteger {
                    place,
                    old_ty,
                    new_ty,
                    span,
                    old: field_old,
                    uses,
                }),
                Diff::Replaced => self.note(CompatError::TypeReplaced {
                    place,
                    old_ty,
                    new_ty,
                    span,
                    old: field_old,
                }),
            }
        }
    }

    // -------------------------------------------------------------- enums

    fn compare_enums(&mut self, index: usize) {
        let (old, new) = (self.old, self.new);
        let (e, f) = (self.enum_pairs[index].old, self.enum_pairs[index].new);
        let node = Node::Enum(index);
        let (oe, ne) = (old.enum_(e), new.enum_(f));
        let (old_name, name) = (
            old.full_name(ItemId::Enum(e)),
            new.full_name(ItemId::Enum(f)),
        );
        let (span, old_span) = (self.n(ne.span), oe.span);
        if old_name != name {
            if oe.is_error && ne.is_error {
                self.note(CompatError::ErrorDomainRenamed {
                    old_name,
                    new_name: name.clone(),
                    span,
                    old: old_span,
                });
            } else {
                self.note(CompatError::TypeRenamed {
                    what: "enum",
                    old_name,
                    new_name: name.clone(),
                    span,
                    old: old_span,
                });
            }
        }
        if oe.is_error && !ne.is_error {
            self.note(CompatError::ErrorRemoved {
                name: name.clone(),
                span,
                old: old_span,
            });
        }
        if oe.base != ne.base {
            let (name, old_base, new_base) = (name.clone(), oe.base, ne.base);
            self.report(Origin::Node(node), move |uses| CompatError::EnumBase {
                name,
                old_base,
                new_base,
                span,
                old: old_span,
                uses,
            });
        }
        if oe.is_flag && !ne.is_flag {
            let name = name.clone();
            self.report(Origin::Node(node), move |uses| CompatError::FlagRemoved {
                name,
                span,
                old: old_span,
                uses,
            });
        }
        if !oe.is_flag && ne.is_flag {
            let name = name.clone();
            self.report(Origin::Node(node), move |uses| CompatError::FlagAdded {
                name,
                span,
                old: old_span,
                uses,
            });
        }
        let old_by_name: HashMap<&str, i64> = oe
            .values
            .iter()
            .map(|v| (v.name.as_str(), v.value))
            .collect();
        let old_numbers: HashSet<i64> = oe.values.iter().map(|v| v.value).collect();
        for v in &oe.values {
            let same_name = ne.values.iter().find(|w| w.name == v.name);
            let same_number = ne.values.iter().find(|w| w.value == v.value);
            match (same_name, same_number) {
                (Some(w), _) if w.value != v.value => {
                    let (name, value, old_number, new_number, span, old) = (
                        name.clone(),
                        v.name.clone(),
                        v.value,
                        w.value,
                        self.n(w.span),
                        v.span,
                    );
                    self.report(Origin::Node(node), move |uses| {
                        CompatError::ValueRenumbered {
                            name,
                            value,
                            old_number,
                            new_number,
                            span,
                            old,
                            uses,
                        }
                    });
                }
                (Some(_), _) => {}
                (None, Some(w)) if !old_by_name.contains_key(w.name.as_str()) => {
                    self.note(CompatError::ValueRenamed {
                        name: name.clone(),
                        number: v.value,
                        old_name: v.name.clone(),
                        new_name: w.name.clone(),
                        span: self.n(w.span),
                        old: v.span,
                    });
                }
                (None, _) if ne.is_flag => self.note(CompatError::FlagValueRemoved {
                    name: name.clone(),
                    value: v.name.clone(),
                    number: v.value,
                    span: v.span,
                    new: span,
                }),
                (None, _) => {
                    let (name, value, number, span, new) =
                        (name.clone(), v.name.clone(), v.value, v.span, span);
                    self.report(Origin::Node(node), move |uses| CompatError::ValueRemoved {
                        name,
                        value,
                        number,
                        span,
                        new,
                        uses,
                    });
                }
            }
        }
        for w in &ne.values {
            if old_numbers.contains(&w.value) || old_by_name.contains_key(w.name.as_str()) {
                continue;
            }
            let (value_span, value) = (self.n(w.span), w.name.clone());
            if oe.is_flag {
                self.note(CompatError::FlagValueAdded {
                    name: name.clone(),
                    value,
                    number: w.value,
                    span: value_span,
                    old: old_span,
                });
            } else {
                let (name, number) = (name.clone(), w.value);
                self.report(Origin::Node(node), move |uses| CompatError::ValueAdded {
                    name,
                    value,
                    number,
                    span: value_span,
                    old: old_span,
                    uses,
                });
            }
        }
    }

    // ---------------------------------------------------------- leftovers

    /// What the old version declares and the new one has no partner for.
    fn leftovers(&mut self) {
        let old = self.old;
        for (id, e) in old.enums().iter() {
            if self.enums.fwd.contains_key(&id) || old.module(e.module).is_builtin {
                continue;
            }
            let new_file = self.new_file(e.module);
            let name = old.full_name(ItemId::Enum(id));
            if e.is_error {
                self.note(CompatError::ErrorDomainRemoved {
                    name,
                    span: e.span,
                    new_file,
                });
            } else {
                self.note(CompatError::TypeRemoved {
                    what: "enum",
                    name,
                    span: e.span,
                    new_file,
                });
            }
        }
        for (id, r) in old.records().iter() {
            if self.records.fwd.contains_key(&id) || old.module(r.module).is_builtin {
                continue;
            }
            let new_file = self.new_file(r.module);
            self.note(CompatError::TypeRemoved {
                what: "record",
                name: old.full_name(ItemId::Record(id)),
                span: r.span,
                new_file,
            });
        }
    }

    // ------------------------------------------------------------- finish

    /// The uses of every pair, including those of the pairs that hold it;
    /// then the findings as diagnostics, errors first.
    fn finish(mut self) -> Vec<Diagnostic> {
        let mut work: Vec<usize> = (0..self.record_pairs.len())
            .filter(|&i| !self.record_pairs[i].uses.is_empty())
            .collect();
        while let Some(i) = work.pop() {
            let uses = self.record_pairs[i].uses.clone();
            for child in self.record_pairs[i].children.clone() {
                let target = match child {
                    Node::Record(c) => &mut self.record_pairs[c].uses,
                    Node::Enum(c) => &mut self.enum_pairs[c].uses,
                };
                if merge(target, &uses) {
                    if let Node::Record(c) = child {
                        work.push(c);
                    }
                }
            }
        }
        let findings = std::mem::take(&mut self.findings);
        let mut diags: Vec<Diagnostic> = findings
            .into_iter()
            .map(|(origin, make)| {
                let uses = match origin {
                    Origin::None => UsesMap::new(),
                    Origin::Calls(uses) => uses,
                    Origin::Node(Node::Record(i)) => self.record_pairs[i].uses.clone(),
                    Origin::Node(Node::Enum(i)) => self.enum_pairs[i].uses.clone(),
                };
                let uses = Uses(
                    uses.into_iter()
                        .map(|(c, ms)| (c, ms.into_iter().collect()))
                        .collect(),
                );
                make(uses).into()
            })
            .collect();
        let rank = |s: Severity| match s {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        };
        diags.sort_by_key(|d| {
            (
                rank(d.severity),
                d.primary.span.file,
                d.primary.span.start,
                d.primary.span.end,
            )
        });
        diags
    }
}

/// Adds `from` to `into`; whether anything was new.
fn merge(into: &mut UsesMap, from: &UsesMap) -> bool {
    let mut grew = false;
    for (contract, methods) in from {
        let entry = into.entry(contract.clone()).or_default();
        for m in methods {
            grew |= entry.insert(m.clone());
        }
    }
    grew
}

fn same_kind(a: ItemId, b: ItemId) -> bool {
    matches!(
        (a, b),
        (ItemId::Record(_), ItemId::Record(_))
            | (ItemId::Enum(_), ItemId::Enum(_))
            | (ItemId::Contract(_), ItemId::Contract(_))
    )
}
