//! gslang-sema
