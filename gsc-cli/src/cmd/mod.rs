//! One module per subcommand; each exposes `Opts` with a `run` method.

pub mod check;
pub mod compile;
