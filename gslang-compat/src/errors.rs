//! Every diagnostic of the compatibility check, declared once: errors for
//! changes that break wire compatibility (wire.md §1–§3), warnings for
//! changes whose encoding is the same but whose values old or new peers
//! reject, notes for changes that are compatible on the wire but break
//! source code or routing by name.
//!
//! Spans named `span` are the primary label: in the new version for what
//! is new or changed, in the old version for what is gone; `old` and `new`
//! are the secondary label in the other version. Only this file writes prose.

use gslang_syntax::{Diagnostic, Phase, Scalar, Span};
use smol_str::SmolStr;

gslang_syntax::diagnostics! {
    /// What `gsc compat` reports between two versions of a schema set.
    #[phase = "Wire compatibility", location = "gslang-compat, reported by `gsc compat`"]
    pub enum CompatError {
        /// a field added to a record: the encoding is tagless, so old and new peers disagree on every value of it
        E0700 FieldAdded { record: String, field: SmolStr, index: usize, span: Span, old: Span, uses: Uses },
        /// a field removed from a record
        E0701 FieldRemoved { record: String, field: SmolStr, index: usize, span: Span, new: Span, uses: Uses },
        /// fields of a record reordered
        E0702 FieldsReordered { record: String, moved: SmolStr, before: SmolStr, span: Span, old: Span, uses: Uses },
        /// a field whose type encodes differently (records and enums are judged by structure: a renamed record with the same fields is no change)
        E0703 FieldRetyped { record: String, field: SmolStr, old_ty: String, new_ty: String, span: Span, old: Span, uses: Uses },
        /// the length of an array changed, in a field, param or return value
        E0704 ArrayLength { place: String, old_ty: String, new_ty: String, span: Span, old: Span, uses: Uses },
        /// the base type of an enum changed
        E0705 EnumBase { name: String, old_base: Scalar, new_base: Scalar, span: Span, old: Span, uses: Uses },
        /// an enum value that has another number
        E0706 ValueRenumbered { name: String, value: SmolStr, old_number: i64, new_number: i64, span: Span, old: Span, uses: Uses },
        /// an enum value removed (not `@Flag`): new peers reject it when old peers send it
        E0707 ValueRemoved { name: String, value: SmolStr, number: i64, span: Span, new: Span, uses: Uses },
        /// `@Flag` removed from an enum: combinations of bits old peers send are rejected
        E0708 FlagRemoved { name: String, span: Span, old: Span, uses: Uses },
        /// a method removed from a contract's method list: calls to its id reach another method or fail
        E0710 MethodRemoved { contract: String, method: SmolStr, id: u16, inherited_from: Option<String>, span: Span, new: Span, now: Option<SmolStr>, shifts: Vec<String> },
        /// a method inserted before methods of the old version: the ids after it shift
        E0711 MethodInserted { contract: String, method: SmolStr, id: u16, inherited_from: Option<String>, span: Span, displaced: Option<(SmolStr, Span)>, shifts: Vec<String> },
        /// method ids of a contract changed: methods reordered, or its bases changed
        E0712 MethodIdsChanged { contract: String, span: Span, old: Span, moves: Vec<String>, bases: Option<(String, String)> },
        /// a method takes another number of params
        E0713 ParamCount { method: String, old_count: usize, new_count: usize, span: Span, old: Span, uses: Uses },
        /// a param whose type encodes differently
        E0714 ParamRetyped { method: String, index: usize, name: Option<SmolStr>, old_ty: String, new_ty: String, span: Span, old: Span, uses: Uses },
        /// a method returns another number of values
        E0715 ReturnCount { method: String, old_count: usize, new_count: usize, span: Span, old: Span, uses: Uses },
        /// a return value whose type encodes differently
        E0716 ReturnRetyped { method: String, index: usize, name: Option<SmolStr>, old_ty: String, new_ty: String, span: Span, old: Span, uses: Uses },
        /// `@Async` added to or removed from a method: one side waits for a reply the other never sends
        E0717 AsyncChanged { method: String, now_async: bool, span: Span, old: Span, uses: Uses },
        /// a contract removed: its CER type is no longer announced
        E0718 ContractRemoved { contract: String, span: Span, new_file: Span },
        /// a contract renamed or moved to another module: its full name is its CER type, by which callers find it
        E0719 ContractRenamed { old_name: String, new_name: String, span: Span, old: Span },
        /// an `@Error` enum renamed or moved: its full name is hashed into its error domain id
        E0720 ErrorDomainRenamed { old_name: String, new_name: String, span: Span, old: Span },
        /// `@Error` removed from an enum: it is no longer an error domain
        E0721 ErrorRemoved { name: String, span: Span, old: Span },
        /// an enum value added (not `@Flag`): old peers reject it
        W0730 ValueAdded { name: String, value: SmolStr, number: i64, span: Span, old: Span, uses: Uses },
        /// `@Flag` added to an enum: old peers reject the combinations new peers may send
        W0731 FlagAdded { name: String, span: Span, old: Span, uses: Uses },
        /// an integer became an enum of that base, or back: the bytes are the same, but the enum side rejects numbers it does not declare
        W0732 EnumAndInteger { place: String, old_ty: String, new_ty: String, span: Span, old: Span, uses: Uses },
        /// an `@Error` enum removed: new clients do not know the errors old servers fail with in its domain
        W0733 ErrorDomainRemoved { name: String, span: Span, new_file: Span },
        /// a field renamed (compatible on the wire; generated code changes)
        N0740 FieldRenamed { record: String, old_name: SmolStr, new_name: SmolStr, span: Span, old: Span },
        /// a param or return value renamed, or its name added or removed (compatible on the wire)
        N0741 ParamRenamed { method: String, index: usize, is_return: bool, old_name: Option<SmolStr>, new_name: Option<SmolStr>, span: Span, old: Span },
        /// a method renamed (compatible on the wire: calls carry its id; what routes by name breaks, such as the gate's routes)
        N0742 MethodRenamed { contract: String, old_name: SmolStr, new_name: SmolStr, span: Span, old: Span },
        /// an enum value renamed (compatible on the wire: values travel as numbers)
        N0743 ValueRenamed { name: String, number: i64, old_name: SmolStr, new_name: SmolStr, span: Span, old: Span },
        /// a record or enum renamed or moved to another module, used as before (compatible on the wire: judged by structure)
        N0744 TypeRenamed { what: &'static str, old_name: String, new_name: String, span: Span, old: Span },
        /// a `struct` turned into a `table` or back (compatible on the wire)
        N0745 RecordKindChanged { record: String, old_kind: &'static str, new_kind: &'static str, span: Span, old: Span },
        /// a method added at the end of a contract's method list (compatible)
        N0746 MethodAppended { contract: String, method: SmolStr, id: u16, span: Span, old: Span },
        /// a value added to a `@Flag` enum (compatible: any bits are legal)
        N0747 FlagValueAdded { name: String, value: SmolStr, number: i64, span: Span, old: Span },
        /// a value removed from a `@Flag` enum (compatible on the wire: any bits are legal)
        N0748 FlagValueRemoved { name: String, value: SmolStr, number: i64, span: Span, new: Span },
        /// a field, param or return value that names another record or enum, of the same encoding
        N0749 TypeReplaced { place: String, old_ty: String, new_ty: String, span: Span, old: Span },
        /// a record or enum removed (compatible on the wire: no call of the new version uses it)
        N0750 TypeRemoved { what: &'static str, name: String, span: Span, new_file: Span },
    }
}

/// The phases of the compatibility check, for `DIAGNOSTICS.md`.
pub const PHASES: &[Phase] = &[CompatError::PHASE];

/// The calls a change reaches: each contract (by its full name, in the new
/// version) with the methods whose params or returns hold the changed type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Uses(pub Vec<(String, Vec<SmolStr>)>);

/// How many contracts a note lists before it counts the rest.
const LISTED: usize = 6;

impl Uses {
    /// `calls to `a.X` (`M`, `N`) and `a.Y` (`M`)`, or `None` if no contract uses it.
    fn calls(&self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let mut parts: Vec<String> = self
            .0
            .iter()
            .take(LISTED)
            .map(|(contract, methods)| {
                let methods: Vec<String> = methods.iter().map(|m| format!("`{m}`")).collect();
                format!("`{contract}` ({})", methods.join(", "))
            })
            .collect();
        if self.0.len() > LISTED {
            parts.push(format!("{} more contracts", self.0.len() - LISTED));
        }
        let list = match parts.len() {
            1 => parts.remove(0),
            _ => {
                let last = parts.pop().unwrap_or_default();
                format!("{} and {last}", parts.join(", "))
            }
        };
        Some(format!("calls to {list}"))
    }

    /// The note of a breaking change.
    fn breaks(&self) -> String {
        match self.calls() {
            Some(calls) => format!("breaks {calls}"),
            None => "no contract uses it: it breaks values encoded elsewhere (stored, or sent in other messages)".into(),
        }
    }

    /// The note of a change old or new peers may reject.
    fn affects(&self) -> String {
        match self.calls() {
            Some(calls) => format!("affects {calls}"),
            None => "no contract uses it: it affects values encoded elsewhere".into(),
        }
    }
}

/// `moved to` when only the module of a full name changed, else `renamed to`.
fn renamed_or_moved(old: &str, new: &str) -> &'static str {
    let name = |full: &str| full.rsplit('.').next().map(str::to_owned);
    if name(old) == name(new) {
        "moved to"
    } else {
        "renamed to"
    }
}

fn ordinal(index: usize) -> String {
    let n = index + 1;
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn param_place(index: usize, name: &Option<SmolStr>, is_return: bool) -> String {
    let what = if is_return { "return value" } else { "param" };
    match name {
        Some(name) => format!("{what} `{name}`"),
        None => format!("{} {what}", ordinal(index)),
    }
}

fn shifted(diag: Diagnostic, shifts: Vec<String>) -> Diagnostic {
    if shifts.is_empty() {
        return diag;
    }
    let n = shifts.len();
    diag.with_note(format!(
        "the id{} of {} after it shift{}: {}",
        if n == 1 { "" } else { "s" },
        if n == 1 {
            "the method".to_owned()
        } else {
            format!("the {n} methods")
        },
        if n == 1 { "s" } else { "" },
        shifts.join(", ")
    ))
}

impl From<CompatError> for Diagnostic {
    fn from(e: CompatError) -> Diagnostic {
        let code = e.code();
        match e {
            CompatError::FieldAdded { record, field, index, span, old, uses } => Diagnostic::new(
                code,
                format!("field `{field}` was added to `{record}`"),
                span,
            )
            .with_label(format!("added as the {} field", ordinal(index)))
            .with_secondary(old, "the old version has no such field")
            .with_note("values are encoded without tags: old peers read the bytes of the new field as what follows, new peers expect bytes old peers do not send")
            .with_note(uses.breaks())
            .with_help("add a new record (or a new method taking it) instead"),
            CompatError::FieldRemoved { record, field, index, span, new, uses } => Diagnostic::new(
                code,
                format!("field `{field}` was removed from `{record}`"),
                span,
            )
            .with_label(format!("the {} field of the old version", ordinal(index)))
            .with_secondary(new, "the new version has no such field")
            .with_note("values are encoded without tags: old and new peers disagree on where every field after it starts")
            .with_note(uses.breaks()),
            CompatError::FieldsReordered { record, moved, before, span, old, uses } => Diagnostic::new(
                code,
                format!("the fields of `{record}` were reordered"),
                span,
            )
            .with_label(format!("`{moved}` is now before `{before}`"))
            .with_secondary(old, format!("`{moved}` was after `{before}`"))
            .with_note("fields are encoded in declaration order, without tags")
            .with_note(uses.breaks()),
            CompatError::FieldRetyped { record, field, old_ty, new_ty, span, old, uses } => Diagnostic::new(
                code,
                format!("field `{field}` of `{record}` changed type from `{old_ty}` to `{new_ty}`"),
                span,
            )
            .with_label(format!("now `{new_ty}`"))
            .with_secondary(old, format!("was `{old_ty}`"))
            .with_note("the two types are encoded differently")
            .with_note(uses.breaks()),
            CompatError::ArrayLength { place, old_ty, new_ty, span, old, uses } => Diagnostic::new(
                code,
                format!("the array length of {place} changed: `{old_ty}` became `{new_ty}`"),
                span,
            )
            .with_label(format!("now `{new_ty}`"))
            .with_secondary(old, format!("was `{old_ty}`"))
            .with_note("an array is encoded as exactly its length of elements, with no count")
            .with_note(uses.breaks()),
            CompatError::EnumBase { name, old_base, new_base, span, old, uses } => Diagnostic::new(
                code,
                format!("the base of enum `{name}` changed from `{old_base}` to `{new_base}`"),
                span,
            )
            .with_label(format!("now `{new_base}`"))
            .with_secondary(old, format!("was `{old_base}`"))
            .with_note("an enum is encoded as its base integer type")
            .with_note(uses.breaks()),
            CompatError::ValueRenumbered { name, value, old_number, new_number, span, old, uses } => Diagnostic::new(
                code,
                format!("value `{value}` of `{name}` was renumbered from {old_number} to {new_number}"),
                span,
            )
            .with_label(format!("now {new_number}"))
            .with_secondary(old, format!("was {old_number}"))
            .with_note("enum values travel as their numbers: old and new peers read each other's numbers as other values")
            .with_note(uses.breaks()),
            CompatError::ValueRemoved { name, value, number, span, new, uses } => Diagnostic::new(
                code,
                format!("value `{value}` ({number}) was removed from `{name}`"),
                span,
            )
            .with_label("removed")
            .with_secondary(new, format!("the new version has no value {number}"))
            .with_note(format!("new peers reject {number} when old peers send it"))
            .with_note(uses.breaks()),
            CompatError::FlagRemoved { name, span, old, uses } => Diagnostic::new(
                code,
                format!("enum `{name}` is no longer `@Flag`"),
                span,
            )
            .with_label("not a bit set any more")
            .with_secondary(old, "a `@Flag` enum here")
            .with_note("any bits are legal in a `@Flag` enum: new peers reject the combinations old peers send")
            .with_note(uses.breaks()),
            CompatError::MethodRemoved { contract, method, id, inherited_from, span, new, now, shifts } => {
                let now = match now {
                    Some(m) => format!("old clients' calls to id {id} now reach `{m}`"),
                    None => format!("old clients' calls to id {id} now fail with `UnknownMethod`"),
                };
                shifted(
                    Diagnostic::new(
                        code,
                        format!("method `{method}` (id {id}) was removed from `{contract}`"),
                        span,
                    )
                    .with_label(match &inherited_from {
                        Some(base) => format!("inherited from `{base}` in the old version"),
                        None => "removed".to_owned(),
                    })
                    .with_secondary(new, format!("the new `{contract}` has no method `{method}`"))
                    .with_note(now),
                    shifts,
                )
                .with_note(format!("breaks calls to `{contract}`"))
            }
            CompatError::MethodInserted { contract, method, id, inherited_from, span, displaced, shifts } => {
                let diag = Diagnostic::new(
                    code,
                    format!("method `{method}` was inserted at id {id} of `{contract}`, before methods of the old version"),
                    span,
                )
                .with_label(match &inherited_from {
                    Some(base) => format!("inherited from `{base}`, takes id {id}"),
                    None => format!("takes id {id}"),
                });
                let diag = match displaced {
                    Some((name, old)) => diag.with_secondary(old, format!("id {id} was `{name}`")),
                    None => diag,
                };
                shifted(diag, shifts)
                    .with_note(format!("a method's id is its index in the contract's method list: breaks calls to `{contract}`"))
                    .with_help("add new methods at the end of the contract (and of the contracts it inherits from, if they are served too)")
            }
            CompatError::MethodIdsChanged { contract, span, old, moves, bases } => {
                let diag = Diagnostic::new(
                    code,
                    format!("the method ids of `{contract}` changed"),
                    span,
                )
                .with_label("methods at other ids")
                .with_secondary(old, "the old version");
                let diag = match bases {
                    Some((was, now)) => {
                        let list = |bases: &str| if bases.is_empty() { "none".to_owned() } else { format!("({bases})") };
                        diag.with_note(format!("its bases changed from {} to {}: the method list is each base's list, in order, then its own methods", list(&was), list(&now)))
                    }
                    None => diag,
                };
                diag.with_note(format!("moved: {}", moves.join(", ")))
                    .with_note(format!("calls carry the method id: breaks calls to `{contract}`"))
            }
            CompatError::ParamCount { method, old_count, new_count, span, old, uses } => Diagnostic::new(
                code,
                format!("method `{method}` takes {new_count} param{} instead of {old_count}", if new_count == 1 { "" } else { "s" }),
                span,
            )
            .with_label(format!("{new_count} now"))
            .with_secondary(old, format!("{old_count} in the old version"))
            .with_note("a call carries one encoded value per param: a callee of the other version refuses it (`BadRequest`)")
            .with_note(uses.breaks()),
            CompatError::ParamRetyped { method, index, name, old_ty, new_ty, span, old, uses } => Diagnostic::new(
                code,
                format!("the {} of `{method}` changed type from `{old_ty}` to `{new_ty}`", param_place(index, &name, false)),
                span,
            )
            .with_label(format!("now `{new_ty}`"))
            .with_secondary(old, format!("was `{old_ty}`"))
            .with_note("the two types are encoded differently")
            .with_note(uses.breaks()),
            CompatError::ReturnCount { method, old_count, new_count, span, old, uses } => Diagnostic::new(
                code,
                format!("method `{method}` returns {new_count} value{} instead of {old_count}", if new_count == 1 { "" } else { "s" }),
                span,
            )
            .with_label(format!("{new_count} now"))
            .with_secondary(old, format!("{old_count} in the old version"))
            .with_note("a reply carries one encoded value per return value")
            .with_note(uses.breaks()),
            CompatError::ReturnRetyped { method, index, name, old_ty, new_ty, span, old, uses } => Diagnostic::new(
                code,
                format!("the {} of `{method}` changed type from `{old_ty}` to `{new_ty}`", param_place(index, &name, true)),
                span,
            )
            .with_label(format!("now `{new_ty}`"))
            .with_secondary(old, format!("was `{old_ty}`"))
            .with_note("the two types are encoded differently")
            .with_note(uses.breaks()),
            CompatError::AsyncChanged { method, now_async, span, old, uses } => {
                let (message, label, other, note) = if now_async {
                    (
                        format!("method `{method}` is now `@Async`"),
                        "one-way now",
                        "the old version waits for a reply",
                        "new callers send it as a call without id and expect no reply; old callers wait for a reply new servers never send",
                    )
                } else {
                    (
                        format!("method `{method}` is no longer `@Async`"),
                        "waits for a reply now",
                        "one-way in the old version",
                        "old callers send it without an id and old servers never reply; new callers wait for a reply until they time out",
                    )
                };
                Diagnostic::new(code, message, span)
                    .with_label(label)
                    .with_secondary(old, other)
                    .with_note(note)
                    .with_note(uses.breaks())
            }
            CompatError::ContractRemoved { contract, span, new_file } => Diagnostic::new(
                code,
                format!("contract `{contract}` was removed"),
                span,
            )
            .with_label("removed")
            .with_secondary(new_file, format!("the new version has no contract `{contract}`"))
            .with_note(format!("old clients find no service of CER type `{contract}`: breaks calls to `{contract}`")),
            CompatError::ContractRenamed { old_name, new_name, span, old } => Diagnostic::new(
                code,
                format!("contract `{old_name}` was {} `{new_name}`", renamed_or_moved(&old_name, &new_name)),
                span,
            )
            .with_label(format!("announced as `{new_name}` now"))
            .with_secondary(old, format!("announced as `{old_name}`"))
            .with_note(format!("a contract's full name is the CER type callers find its services by: old clients find no `{old_name}`, new clients no `{new_name}` on old servers; breaks calls to `{old_name}`")),
            CompatError::ErrorDomainRenamed { old_name, new_name, span, old } => Diagnostic::new(
                code,
                format!("error enum `{old_name}` was {} `{new_name}`", renamed_or_moved(&old_name, &new_name)),
                span,
            )
            .with_label(format!("error domain `{new_name}` now"))
            .with_secondary(old, format!("error domain `{old_name}`"))
            .with_note("an `@Error` enum's domain id is a hash of its full name: peers of the other version do not recognize its errors")
            .with_note(format!("breaks the error replies of every call that fails with `{old_name}` (the schema does not say which)")),
            CompatError::ErrorRemoved { name, span, old } => Diagnostic::new(
                code,
                format!("enum `{name}` is no longer an `@Error` enum"),
                span,
            )
            .with_label("not an error domain any more")
            .with_secondary(old, "an error domain here")
            .with_note(format!("new clients do not recognize the errors old servers fail with in domain `{name}`"))
            .with_note(format!("breaks the error replies of every call that fails with `{name}` (the schema does not say which)")),
            CompatError::ValueAdded { name, value, number, span, old, uses } => Diagnostic::new(
                code,
                format!("value `{value}` ({number}) was added to `{name}`"),
                span,
            )
            .with_label("added")
            .with_secondary(old, format!("the old version has no value {number}"))
            .with_note(format!("old peers reject {number}: new peers must not send it to them"))
            .with_note(uses.affects()),
            CompatError::FlagAdded { name, span, old, uses } => Diagnostic::new(
                code,
                format!("enum `{name}` is now `@Flag`"),
                span,
            )
            .with_label("a bit set now")
            .with_secondary(old, "not a bit set in the old version")
            .with_note("old peers reject the combinations of bits new peers may send")
            .with_note(uses.affects()),
            CompatError::EnumAndInteger { place, old_ty, new_ty, span, old, uses } => Diagnostic::new(
                code,
                format!("{place} changed type from `{old_ty}` to `{new_ty}`, of the same encoding"),
                span,
            )
            .with_label(format!("now `{new_ty}`"))
            .with_secondary(old, format!("was `{old_ty}`"))
            .with_note("an enum is encoded as its base integer: the bytes are the same, but the enum side rejects numbers it does not declare")
            .with_note(uses.affects()),
            CompatError::ErrorDomainRemoved { name, span, new_file } => Diagnostic::new(
                code,
                format!("error enum `{name}` was removed"),
                span,
            )
            .with_label("removed")
            .with_secondary(new_file, format!("the new version has no `{name}`"))
            .with_note(format!("new clients do not recognize the errors old servers fail with in domain `{name}`")),
            CompatError::FieldRenamed { record, old_name, new_name, span, old } => Diagnostic::new(
                code,
                format!("field `{old_name}` of `{record}` was renamed to `{new_name}`"),
                span,
            )
            .with_label("renamed")
            .with_secondary(old, format!("`{old_name}` in the old version"))
            .with_note("compatible on the wire (fields travel by position); the generated code's field names change"),
            CompatError::ParamRenamed { method, index, is_return, old_name, new_name, span, old } => {
                let what = format!("the {} {} of `{method}`", ordinal(index), if is_return { "return value" } else { "param" });
                let (message, was) = match (&old_name, &new_name) {
                    (Some(o), Some(n)) => (format!("{what} was renamed from `{o}` to `{n}`"), format!("`{o}` in the old version")),
                    (None, Some(n)) => (format!("{what} is now named `{n}`"), "unnamed in the old version".to_owned()),
                    (Some(o), None) => (format!("{what} is no longer named `{o}`"), format!("`{o}` in the old version")),
                    (None, None) => (format!("{what} was renamed"), "the old version".to_owned()),
                };
                Diagnostic::new(code, message, span)
                .with_label("renamed")
                .with_secondary(old, was)
                .with_note("compatible on the wire (values travel by position); the generated code's names change")
            }
            CompatError::MethodRenamed { contract, old_name, new_name, span, old } => Diagnostic::new(
                code,
                format!("method `{old_name}` of `{contract}` was renamed to `{new_name}`"),
                span,
            )
            .with_label("renamed")
            .with_secondary(old, format!("`{old_name}` in the old version"))
            .with_note("compatible on the wire (calls carry the id); what routes calls by name breaks, such as the gate's routes, and the generated code's names change"),
            CompatError::ValueRenamed { name, number, old_name, new_name, span, old } => Diagnostic::new(
                code,
                format!("value {number} of `{name}` was renamed from `{old_name}` to `{new_name}`"),
                span,
            )
            .with_label("renamed")
            .with_secondary(old, format!("`{old_name}` in the old version"))
            .with_note("compatible on the wire (values travel as numbers); the generated code's names change"),
            CompatError::TypeRenamed { what, old_name, new_name, span, old } => Diagnostic::new(
                code,
                format!("{what} `{old_name}` was {} `{new_name}`", renamed_or_moved(&old_name, &new_name)),
                span,
            )
            .with_label(if renamed_or_moved(&old_name, &new_name) == "moved to" { "moved" } else { "renamed" })
            .with_secondary(old, format!("`{old_name}` in the old version"))
            .with_note("names of records and enums do not travel: compatible on the wire as far as the name goes (changes to what it holds are reported on their own); the generated code's names change"),
            CompatError::RecordKindChanged { record, old_kind, new_kind, span, old } => Diagnostic::new(
                code,
                format!("`{record}` was a {old_kind} and is now a {new_kind}"),
                span,
            )
            .with_label(format!("a {new_kind} now"))
            .with_secondary(old, format!("a {old_kind} in the old version"))
            .with_note(if new_kind == "struct" {
                "compatible on the wire; annotations that use it as a table no longer check"
            } else {
                "compatible on the wire"
            }),
            CompatError::MethodAppended { contract, method, id, span, old } => Diagnostic::new(
                code,
                format!("method `{method}` was added at the end of `{contract}` (id {id})"),
                span,
            )
            .with_label("added")
            .with_secondary(old, "the old version")
            .with_note("compatible: the ids of the old methods stay; old servers answer a call to it with `UnknownMethod`"),
            CompatError::FlagValueAdded { name, value, number, span, old } => Diagnostic::new(
                code,
                format!("value `{value}` ({number}) was added to `@Flag` enum `{name}`"),
                span,
            )
            .with_label("added")
            .with_secondary(old, "the old version")
            .with_note("compatible: any bits are legal in a `@Flag` enum"),
            CompatError::FlagValueRemoved { name, value, number, span, new } => Diagnostic::new(
                code,
                format!("value `{value}` ({number}) was removed from `@Flag` enum `{name}`"),
                span,
            )
            .with_label("removed")
            .with_secondary(new, "the new version")
            .with_note("compatible on the wire (any bits are legal in a `@Flag` enum); the generated constant is gone"),
            CompatError::TypeReplaced { place, old_ty, new_ty, span, old } => Diagnostic::new(
                code,
                format!("{place} changed type from `{old_ty}` to `{new_ty}`, of the same encoding"),
                span,
            )
            .with_label(format!("now `{new_ty}`"))
            .with_secondary(old, format!("was `{old_ty}`"))
            .with_note("compatible on the wire: the two types encode the same; the generated code's types change"),
            CompatError::TypeRemoved { what, name, span, new_file } => Diagnostic::new(
                code,
                format!("{what} `{name}` was removed"),
                span,
            )
            .with_label("removed")
            .with_secondary(new_file, format!("the new version has no `{name}`"))
            .with_note("compatible on the wire as far as the contracts go; code that uses it breaks"),
        }
    }
}
