//! Generates the types the `decode` target decodes into: every type shape,
//! recursive ones included.

fn main() -> Result<(), gs2rust::Error> {
    gs2rust::Builder::new().compile(&["../tests/codegen/shapes.gs"], &[] as &[&str])
}
