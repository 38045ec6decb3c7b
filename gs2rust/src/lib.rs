//! gs2rust
