//! The echo sample: `echo.gs`'s contract `Echo`, served by [`EchoService`].
//!
//! `echo-server` hosts it as instance `echo` of `echo.Echo`; `echo-client`
//! calls it. The tests of `gscluster` and the RPC benchmarks use it too.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use gscluster::rpc::{CallContext, RpcError};

/// The code generated from `echo.gs`.
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/gslang/mod.rs"));
}

pub use proto::echo::{Echo, EchoClient, EchoError, EchoServer};

/// The longest text `Echo` echoes; longer ones fail with `EchoError.TooLong`.
pub const MAX_TEXT: usize = 1 << 20;

/// The echo service.
#[derive(Debug, Default)]
pub struct EchoService {
    notified: AtomicU64,
}

impl Echo for EchoService {
    async fn echo(self: Arc<Self>, _cx: CallContext, text: String) -> Result<String, RpcError> {
        if text.len() > MAX_TEXT {
            return Err(EchoError::TooLong.into());
        }
        Ok(text)
    }

    async fn add(self: Arc<Self>, _cx: CallContext, a: i32, b: i32) -> Result<i32, RpcError> {
        Ok(a.wrapping_add(b))
    }

    async fn sqrt(self: Arc<Self>, _cx: CallContext, x: i32) -> Result<i32, RpcError> {
        if x < 0 {
            return Err(EchoError::Negative.into());
        }
        Ok(f64::from(x).sqrt() as i32)
    }

    async fn pair(self: Arc<Self>, _cx: CallContext) -> Result<(String, u64), RpcError> {
        Ok(("pair".to_owned(), 42))
    }

    async fn notify(self: Arc<Self>, _cx: CallContext, _text: String) -> Result<(), RpcError> {
        self.notified.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    async fn count(self: Arc<Self>, _cx: CallContext) -> Result<u64, RpcError> {
        Ok(self.notified.load(Ordering::Relaxed))
    }
}
