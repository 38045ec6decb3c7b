//! Code that `gsc compile` wrote into this crate's `src/`, checked in, as the
//! README's `gsc compile` workflow does; CI compiles it under clippy with
//! `-D warnings`, and `gsc-cli/tests/cli.rs` fails when it is stale
//! (`gsc compile --check`).
//!
//! Each directory is one way a directory name goes wrong as a module name.

/// `gsc compile samples/game.gs -o tests/checked-in/src/gen`: `gen` is a
/// keyword from edition 2024 on, so the module is declared `r#gen`.
pub mod r#gen;

/// `gsc compile samples/chat.gs -o tests/checked-in/src/chat`: `chat/mod.rs`
/// declares `chat` again, which clippy's `module_inception` would reject.
pub mod chat;
