// Schema comments are plain text; the generated rustdoc must build cleanly
// (no doctests, no broken links, no HTML warnings) whatever they contain.
// See [Inventory], List<Item> and https://example.com/spec.

// An inventory. Example of use:
//
//     let inv = load();
//     inv.items[0] = Item::default();
//
// Rust code in a fence is not compiled either:
// ```
// fn broken( {
// ```
// A `[literal]` and `<literal>` in backticks stay as written; so does \[this\].
struct Inventory {
    // The items; see [Item].
    Items []Item;
}

// An item <b>bold?</b> no: escaped.
struct Item {
    Id uint32; // Matches http://example.com/items/{id}.
}

// A fence whose info string has only rustdoc attributes is Rust to rustdoc:
// ```no_run
// fn broken( {
// ```
// ```should_panic,ignore
// not rust either
// ```
// ```compile_fail edition2021
// fn compiles() {}
// ```
// ```no_run,json
// {"an attribute first": "still Rust"}
// ```
// ```json,no_run
// {"another language first": "not Rust"}
// ```
// ```Compile-Fail
// a typo rustdoc warns about
// ```
//
// # Indented lines right after a heading
//     are a code block too (let x = broken(;)
// Text after a fence:
// ```text
// ```
//     is not a paragraph either (let y = broken(;)
// Setext heading
// ==============
//     and after one (let z = broken(;)
struct Fences {}
