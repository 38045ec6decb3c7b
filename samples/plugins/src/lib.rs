//! The plugins sample: `shop.gs` declares annotation tables of its own,
//! `@Derive` and `@Range`, and the gs2rust plugin in `plugin.rs`, run by
//! `build.rs`, turns them into derives and a `validate()` method.
//!
//! ```
//! use gslang_plugins_sample::proto::shop::{Item, RangeError};
//!
//! let mut item = Item { name: "apple".into(), count: 3, cents: 120 };
//! assert_eq!(item.validate(), Ok(()));
//! item.count = 100;
//! assert_eq!(
//!     item.validate(),
//!     Err(RangeError { field: "Count", value: 100, min: 1, max: 99 })
//! );
//! ```

/// The code generated from `shop.gs`.
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}
