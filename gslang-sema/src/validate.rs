//! The invariants of a [`Model`], stated as code: what the semantic pass
//! guarantees every back end. [`Model::assert_valid`] checks them all;
//! debug builds run it at the end of every analysis, so that a pass that
//! breaks one fails loudly in tests instead of confusing a back end.

use rustc_hash::FxHashSet;

use crate::ids::{ContractId, EnumId, ModuleId, RecordId};
use crate::ir::{Annotation, ItemId, Model, RecordKind, RecordValue, Scalar, Target, Type, Value};

impl Model {
    /// Panics, naming the broken invariant, if the model is inconsistent:
    /// ids out of range, items listed by the wrong module, annotations that
    /// do not match their tables, enum values out of range or repeated,
    /// records containing themselves by value, inheritance cycles,
    /// duplicate names in a record or a flattened method list, more than
    /// 65,535 methods, `@Async` methods with returns, wrong layouts.
    ///
    /// A model made by [`analyze`](crate::analyze) always passes; the check
    /// is for the semantic pass's own tests and for tools that build on it.
    pub fn assert_valid(&self) {
        if let Err(broken) = self.check_valid() {
            panic!("invalid gslang model: {broken}");
        }
    }

    fn check_valid(&self) -> Result<(), String> {
        let ensure = |ok: bool, what: &dyn Fn() -> String| if ok { Ok(()) } else { Err(what()) };
        let module_ok = |m: ModuleId| m.index() < self.modules.len();
        let record_ok = |r: RecordId| r.index() < self.records.len();
        let enum_ok = |e: EnumId| e.index() < self.enums.len();
        let contract_ok = |c: ContractId| c.index() < self.contracts.len();
        let type_ok = |ty: &Type| {
            ty.walk().all(|t| match t {
                Type::Record(r) => record_ok(*r),
                Type::Enum(e) => enum_ok(*e),
                Type::Array(n, _) => (1..=65535).contains(n),
                _ => true,
            })
        };

        let b = &self.builtins;
        ensure(
            module_ok(b.module)
                && [b.usage, b.flag, b.error, b.async_, b.profile, b.deprecated]
                    .iter()
                    .all(|&r| record_ok(r) && self.records[r].kind == RecordKind::Table)
                && enum_ok(b.target)
                && enum_ok(b.fault),
            &|| "a built-in id is out of range or not a table".into(),
        )?;
        ensure(self.roots.iter().all(|&m| module_ok(m)), &|| {
            "a root is out of range".into()
        })?;
        ensure(self.layouts.len() == self.records.len(), &|| {
            "one layout per record".into()
        })?;

        // Every item is listed by exactly the module that declares it.
        let mut listed = FxHashSet::default();
        for (id, module) in self.modules.iter() {
            for import in &module.imports {
                ensure(module_ok(import.module), &|| {
                    format!("module `{}` imports an unknown module", module.name)
                })?;
            }
            for &item in &module.items {
                let in_range = match item {
                    ItemId::Record(r) => record_ok(r),
                    ItemId::Enum(e) => enum_ok(e),
                    ItemId::Contract(c) => contract_ok(c),
                };
                ensure(in_range && self.item_module(item) == id, &|| {
                    format!("module `{}` lists an item it does not declare", module.name)
                })?;
                ensure(listed.insert(item), &|| format!("{item:?} is listed twice"))?;
            }
            self.check_annotations(&module.annotations, Target::Module)?;
        }
        let items = self.records.len() + self.enums.len() + self.contracts.len();
        ensure(listed.len() == items, &|| {
            "an item is listed by no module".into()
        })?;

        for (id, r) in self.records.iter() {
            let mut names = FxHashSet::default();
            for f in &r.fields {
                ensure(type_ok(&f.ty), &|| {
                    format!("field `{}.{}` has an unknown type", r.name, f.name)
                })?;
                ensure(names.insert(&f.name), &|| {
                    format!("`{}` has two fields `{}`", r.name, f.name)
                })?;
                self.check_annotations(&f.annotations, Target::Field)?;
            }
            let target = match r.kind {
                RecordKind::Table => Target::Table,
                RecordKind::Struct => Target::Struct,
            };
            self.check_annotations(&r.annotations, target)?;
            let layout = self.layout(id);
            let min: u64 = r
                .fields
                .iter()
                .fold(0, |acc, f| acc.saturating_add(self.min_len(&f.ty)));
            ensure(layout.min_len == min, &|| {
                format!("the layout of `{}` has a wrong minimum length", r.name)
            })?;
        }
        self.check_containment()?;

        for (_, e) in self.enums.iter() {
            ensure(e.base.is_enum_base() && !e.values.is_empty(), &|| {
                format!("enum `{}` has a bad base or no values", e.name)
            })?;
            let (lo, hi) = e.base.int_range().unwrap_or((0, 0));
            let mut names = FxHashSet::default();
            let mut numbers = FxHashSet::default();
            for v in &e.values {
                ensure(
                    (lo..=hi).contains(&i128::from(v.value))
                        && names.insert(&v.name)
                        && numbers.insert(v.value),
                    &|| format!("value `{}.{}` is out of range or repeated", e.name, v.name),
                )?;
                self.check_annotations(&v.annotations, Target::EnumValue)?;
            }
            self.check_annotations(&e.annotations, Target::Enum)?;
            ensure(
                e.is_flag == self.has(&e.annotations, b.flag)
                    && e.is_error == self.has(&e.annotations, b.error),
                &|| {
                    format!(
                        "the flags of enum `{}` disagree with its annotations",
                        e.name
                    )
                },
            )?;
        }

        for (id, c) in self.contracts.iter() {
            ensure(
                c.bases.iter().all(|&base| contract_ok(base) && base != id),
                &|| format!("contract `{}` has a bad base", c.name),
            )?;
            self.check_annotations(&c.annotations, Target::Contract)?;
            for m in &c.methods {
                ensure(!m.is_async || m.returns.is_empty(), &|| {
                    format!("`@Async` method `{}.{}` has returns", c.name, m.name)
                })?;
                ensure(m.is_async == self.has(&m.annotations, b.async_), &|| {
                    format!("method `{}.{}` disagrees with its `@Async`", c.name, m.name)
                })?;
                self.check_annotations(&m.annotations, Target::Method)?;
                for (p, target) in m
                    .params
                    .iter()
                    .map(|p| (p, Target::Param))
                    .chain(m.returns.iter().map(|p| (p, Target::Return)))
                {
                    ensure(type_ok(&p.ty), &|| {
                        format!("a param of `{}.{}` has an unknown type", c.name, m.name)
                    })?;
                    self.check_annotations(&p.annotations, target)?;
                }
            }
        }
        self.check_inheritance()
    }

    /// No record contains itself by value.
    fn check_containment(&self) -> Result<(), String> {
        let all: Vec<_> = self.records.values().collect();
        let cycles = crate::graph::cycles(all.len(), |node, i| {
            all[node].fields.get(i).map(|f| match f.ty.under_arrays() {
                Type::Record(r) => Some(r.index()),
                _ => None,
            })
        });
        match cycles.first() {
            Some(cycle) => Err(format!(
                "record `{}` contains itself by value",
                all[cycle[0].0].name
            )),
            None => Ok(()),
        }
    }

    /// No inheritance cycle; unique names and at most 65,535 entries in every
    /// flattened method list.
    fn check_inheritance(&self) -> Result<(), String> {
        let all: Vec<_> = self.contracts.values().collect();
        let cycles = crate::graph::cycles(all.len(), |node, i| {
            all[node].bases.get(i).map(|b| Some(b.index()))
        });
        if let Some(cycle) = cycles.first() {
            return Err(format!(
                "contract `{}` inherits from itself",
                all[cycle[0].0].name
            ));
        }
        // Every flattened list together is quadratic in the depth of an
        // inheritance chain: check them while they total at most this many
        // entries, which covers real schemas whole; the semantic pass
        // checked all.
        let mut budget: usize = 1 << 16;
        for (id, c) in self.contracts.iter() {
            if budget == 0 {
                break;
            }
            let linearization = self.linearization(id);
            let count: usize = linearization
                .iter()
                .map(|&l| self.contract(l).methods.len())
                .sum();
            if count > crate::check::contracts::MAX_METHODS {
                return Err(format!("contract `{}` has {count} methods", c.name));
            }
            budget = budget.saturating_sub(count.max(1));
            let mut names = FxHashSet::default();
            for &l in &linearization {
                for m in &self.contract(l).methods {
                    if !names.insert(&m.name) {
                        return Err(format!(
                            "method `{}` appears twice in contract `{}`",
                            m.name, c.name
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Each annotation names a table allowed at `target`, and its value holds
    /// every field of the table, with values of the fields' types.
    fn check_annotations(&self, annotations: &[Annotation], target: Target) -> Result<(), String> {
        for a in annotations {
            let ok = a.table.index() < self.records.len()
                && self.records[a.table].kind == RecordKind::Table
                && a.value.record == a.table
                && self.value_ok(&a.value);
            if !ok {
                return Err(format!(
                    "an annotation at {:?} does not match its table",
                    a.span
                ));
            }
            let usage = self.annotation(&self.records[a.table].annotations, self.builtins.usage);
            if let Some(usage) = usage {
                let bits = usage.value.enum_value("Target").unwrap_or(0);
                if bits & target.bit() == 0 {
                    return Err(format!(
                        "`@{}` is placed on {}, which its `@Usage` forbids",
                        self.records[a.table].name,
                        target.describe()
                    ));
                }
            }
        }
        Ok(())
    }

    fn value_ok(&self, v: &RecordValue) -> bool {
        let r = &self.records[v.record];
        r.fields.len() == v.fields.len()
            && r.fields
                .iter()
                .zip(&v.fields)
                .all(|(f, fv)| f.name == fv.name && self.value_of_type(&fv.value, &f.ty))
    }

    fn value_of_type(&self, value: &Value, ty: &Type) -> bool {
        match (value, ty) {
            (Value::Bool(_), Type::Scalar(Scalar::Bool)) => true,
            (Value::String(_), Type::Scalar(Scalar::String)) => true,
            (Value::Float(_), Type::Scalar(s)) => s.is_float(),
            (Value::Int(i), Type::Scalar(s)) => {
                s.int_range().is_some_and(|(lo, hi)| (lo..=hi).contains(i))
            }
            (Value::Enum(e, n), Type::Enum(want)) => {
                e == want && (self.enums[*e].is_flag || self.enums[*e].value_of(*n).is_some())
            }
            (Value::Record(r), Type::Record(want)) => r.record == *want && self.value_ok(r),
            (Value::List(items), Type::List(inner)) => {
                items.iter().all(|item| self.value_of_type(item, inner))
            }
            (Value::Array { len, element }, Type::Array(n, inner)) => {
                len == n && self.value_of_type(element, inner)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ids::make;
    use crate::ir::{Model, Type, Value};

    fn model() -> Model {
        let src = "@Usage(Target.Field) table Note { Text string; }\n\
                   enum E { A(1), B(2) }\n\
                   struct S { @Note(\"x\") X E; Y int32; }\n\
                   contract C { M(a int32) -> (bool); }";
        crate::analyze_source("v.gs", src).model.expect("valid")
    }

    fn broken(edit: impl FnOnce(&mut Model)) -> String {
        let mut m = model();
        assert_eq!(m.check_valid(), Ok(()));
        edit(&mut m);
        m.check_valid().expect_err("the edit breaks an invariant")
    }

    fn record_s(m: &mut Model) -> &mut crate::ir::Record {
        let id = m.records.ids().last().expect("S");
        m.records.iter_mut().find(|(r, _)| *r == id).expect("S").1
    }

    #[test]
    fn each_broken_invariant_is_named() {
        let e = broken(|m| record_s(m).fields[1].ty = Type::Record(make(999)));
        assert!(e.contains("unknown type"), "{e}");
        let e = broken(|m| record_s(m).fields[1].name = "X".into());
        assert!(e.contains("two fields"), "{e}");
        let e = broken(|m| {
            let last = m.enums.ids().last().expect("E");
            m.enums
                .iter_mut()
                .find(|(id, _)| *id == last)
                .expect("E")
                .1
                .values[1]
                .value = 1;
        });
        assert!(e.contains("repeated"), "{e}");
        let e = broken(|m| {
            let s = record_s(m);
            s.fields[0].annotations[0].value.fields[0].value = Value::Int(3);
        });
        assert!(e.contains("does not match its table"), "{e}");
        let e = broken(|m| {
            let s = record_s(m);
            let note = s.fields[0].annotations.remove(0);
            s.annotations.push(note);
        });
        assert!(e.contains("forbids"), "{e}");
        let e = broken(|m| {
            let c = m.contracts.iter_mut().last().expect("C").1;
            c.methods[0].is_async = true;
        });
        assert!(e.contains("has returns"), "{e}");
        let e = broken(|m| m.layouts.pop().map(drop).unwrap_or(()));
        assert!(e.contains("layout"), "{e}");
    }

    #[test]
    #[should_panic(expected = "invalid gslang model")]
    fn assert_valid_panics() {
        let mut m = model();
        m.roots.push(make(99));
        m.assert_valid();
    }
}
