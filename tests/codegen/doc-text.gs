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
