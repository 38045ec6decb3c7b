//! Generates the types the `decode` target decodes into: every type shape,
//! recursive ones included, and values too large for the stack.

fn main() -> Result<(), gs2rust::Error> {
    gs2rust::Builder::new().compile(
        &["../tests/codegen/shapes.gs", "../tests/codegen/big-values.gs"],
        &[] as &[&str],
    )
}
