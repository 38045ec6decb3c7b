//! The server side of a call: [`Service`], which generated dispatchers
//! implement, and [`Call`], through which they decode the params, run the
//! handler and answer.
//!
//! A handler is polled once in the connection's reader and, if it waits,
//! goes on in a task of its own (calls are served concurrently); a panic in
//! it fails that call with `Fault.Internal` and nothing else.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use bytes::Bytes;
use tracing::{debug, warn};

use super::client::{Client, Target, TypedClient};
use super::conn::{Conn, PeerInfo};
use super::error::RpcError;
use super::frame::{CallHeader, EncodedParams, Params};
use super::node::Connection;
use crate::Wire;
use crate::gslang::Fault;

/// A service a [`Node`](super::Node) can host: what gs2rust generates as
/// `<Contract>Server` for every contract.
pub trait Service: Send + Sync + 'static {
    /// The contract's full name, announced as `CER.Type` (`echo.Echo`).
    fn contract(&self) -> &'static str;

    /// Serves one call: typically `match call.method() { … }`, then
    /// [`Call::serve`], [`Call::serve_oneway`] or [`Call::unknown_method`].
    fn call(&self, call: Call);
}

/// What a handler knows about the call it serves.
#[derive(Clone)]
pub struct CallContext {
    conn: Arc<Conn>,
    id: u16,
}

impl std::fmt::Debug for CallContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallContext")
            .field("id", &self.id)
            .field("peer", &self.conn.peer)
            .finish()
    }
}

impl CallContext {
    #[cfg(feature = "tower")]
    pub(crate) fn new(conn: Arc<Conn>, id: u16) -> CallContext {
        CallContext { conn, id }
    }

    /// The call's id (0 for an `@Async` call).
    pub fn id(&self) -> u16 {
        self.id
    }

    /// Who called.
    pub fn peer(&self) -> &PeerInfo {
        &self.conn.peer
    }

    /// The connection the call came on.
    pub fn connection(&self) -> Connection {
        Connection {
            conn: self.conn.clone(),
        }
    }

    /// A client of a service the caller hosts (calls go both ways on a
    /// connection: this is how a server pushes to its caller).
    pub fn client<C: TypedClient>(&self) -> C {
        C::from_client(Client::new(
            Target::Conn(self.conn.clone()),
            C::CONTRACT,
            None,
            self.conn.node.config.call_timeout,
        ))
    }
}

/// One call of a peer to a hosted service, to be served exactly once.
///
/// Dropping it unserved answers `Fault.Internal`.
pub struct Call {
    conn: Arc<Conn>,
    header: CallHeader,
    params: Bytes,
    done: bool,
    /// Where the answer goes: the connection, or (under a tower stack) a
    /// future handed back to the stack.
    #[cfg(feature = "tower")]
    capture: Option<super::tower::Slot>,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("id", &self.header.id)
            .field("method", &self.header.method)
            .field("service", &self.header.service)
            .finish()
    }
}

impl Call {
    pub(crate) fn new(conn: Arc<Conn>, header: CallHeader, params: Bytes) -> Call {
        Call {
            conn,
            header,
            params,
            done: false,
            #[cfg(feature = "tower")]
            capture: None,
        }
    }

    /// A call whose answer is captured as a future in `slot` rather than
    /// sent: what a tower stack's innermost service runs. It is not counted
    /// as served again (the call that reached the stack is).
    #[cfg(feature = "tower")]
    pub(crate) fn captured(
        conn: Arc<Conn>,
        header: CallHeader,
        params: Bytes,
        slot: super::tower::Slot,
    ) -> Call {
        Call {
            conn,
            header,
            params,
            done: false,
            capture: Some(slot),
        }
    }

    /// The call's parts, for a tower stack: it is served there.
    #[cfg(feature = "tower")]
    pub(crate) fn into_parts(mut self) -> (Arc<Conn>, CallHeader, Bytes) {
        self.done = true;
        let header = CallHeader {
            id: self.header.id,
            method: self.header.method,
            service: self.header.service,
        };
        (self.conn.clone(), header, std::mem::take(&mut self.params))
    }

    /// The method id.
    pub fn method(&self) -> u16 {
        self.header.method
    }

    /// The call id (0 for an `@Async` call, which gets no answer).
    pub fn id(&self) -> u16 {
        self.header.id
    }

    /// The context handlers get.
    pub fn context(&self) -> CallContext {
        CallContext {
            conn: self.conn.clone(),
            id: self.header.id,
        }
    }

    /// Decodes the params as `P` (a wrong count, a param that does not
    /// decode, or bytes after them: `Fault.BadRequest`), runs `handler`
    /// (polled once here, then, if it waits, in a task of its own), and
    /// answers with its returns (a tuple, or `()`) or its error.
    ///
    /// Generated dispatchers pass the service trait's method:
    /// `call.serve(this, S::pair)`.
    pub fn serve<S, P, R, H>(mut self, service: Arc<S>, handler: H)
    where
        P: Params,
        R: Params,
        H: Handler<S, P, R>,
    {
        let Some(params) = self.decode::<P>() else {
            return;
        };
        let future = handler.call(service, self.context(), params);
        self.spawn(
            future,
            |conn, id, service, result| match result {
                Ok(returns) => conn.send_return(id, service, &returns),
                Err(e) => conn.send_error(id, service, &e),
            },
            EncodedParams::encode,
        );
    }

    /// [`serve`](Self::serve) for a method with one return value.
    pub fn serve_value<S, P, V, H>(mut self, service: Arc<S>, handler: H)
    where
        P: Params,
        V: Wire + Send + Sync + 'static,
        H: Handler<S, P, V>,
    {
        let Some(params) = self.decode::<P>() else {
            return;
        };
        let future = handler.call(service, self.context(), params);
        self.spawn(
            future,
            |conn, id, service, result| match result {
                Ok(value) => conn.send_return(id, service, &(value,)),
                Err(e) => conn.send_error(id, service, &e),
            },
            EncodedParams::encode_one,
        );
    }

    /// [`serve`](Self::serve) for an `@Async` method. Callers send it with
    /// id 0, and then no answer is sent, whatever the outcome; a call of it
    /// with another id is answered like any other (wire.md §3.4: the callee
    /// answers every call but those with id 0), with no return values.
    pub fn serve_oneway<S, P, H>(self, service: Arc<S>, handler: H)
    where
        P: Params,
        H: Handler<S, P, ()>,
    {
        self.serve(service, handler);
    }

    /// Answers `Fault.UnknownMethod`.
    pub fn unknown_method(mut self) {
        self.fail(Fault::UnknownMethod);
    }

    fn decode<P: Params>(&mut self) -> Option<P> {
        match P::decode_params(&self.params) {
            Ok(params) => Some(params),
            Err(e) => {
                debug!(method = self.header.method, error = %e, "params do not decode");
                self.fail(Fault::BadRequest);
                None
            }
        }
    }

    fn fail(&mut self, fault: Fault) {
        self.done = true;
        #[cfg(feature = "tower")]
        if let Some(slot) = self.capture.take() {
            slot.put(Box::pin(std::future::ready(Err(RpcError::Fault(fault)))));
            return;
        }
        self.conn
            .send_fault(self.header.id, self.header.service, fault);
    }

    /// Runs `future` in a task, then `answer`s with its result, or with
    /// `Fault.Internal` if it panicked. The node's shutdown stops it. Under
    /// a tower stack, the future (its result `encode`d) goes to the stack.
    /// A node shutting down, or a peer over its concurrency limit, gets
    /// `Fault.Unavailable` instead: checked after the method and the
    /// params (wire.md §3.4).
    fn spawn<T, Fut>(
        mut self,
        future: Fut,
        answer: fn(&Conn, u16, u32, Result<T, RpcError>),
        encode: fn(&T) -> EncodedParams,
    ) where
        T: Send + 'static,
        Fut: Future<Output = Result<T, RpcError>> + Send + 'static,
    {
        let limit = self.conn.node.config.max_concurrent_calls;
        // `serving` counts the calls served in tasks of their own (a call
        // that finishes at its first poll, in the reader, is never served
        // alongside another): this one is not counted yet, unless a tower
        // stack's task serves it.
        #[cfg(feature = "tower")]
        let counted = usize::from(self.capture.is_some());
        #[cfg(not(feature = "tower"))]
        let counted = 0;
        if self.conn.node.is_shutting_down()
            || self.conn.serving.load(Ordering::Acquire) >= limit + counted
        {
            debug!(limit, "shutting down or over the concurrency limit");
            self.fail(Fault::Unavailable);
            return;
        }
        self.done = true;
        #[cfg(feature = "tower")]
        if let Some(slot) = self.capture.take() {
            slot.put(Box::pin(async move {
                match CatchUnwind(future).await {
                    Ok(result) => result.map(|value| encode(&value)),
                    Err(()) => Err(RpcError::Fault(Fault::Internal)),
                }
            }));
            return;
        }
        #[cfg(not(feature = "tower"))]
        let _ = encode;
        let (id, service) = (self.header.id, self.header.service);
        let mut future = Box::pin(CatchUnwind(future));
        // Most handlers finish without waiting: poll once here, in the
        // reader, and answer at once, without a task. The waker is a no-op:
        // a handler that waits is polled again, with its own waker, by the
        // task it then gets.
        let mut cx = Context::from_waker(std::task::Waker::noop());
        if let Poll::Ready(outcome) = future.as_mut().poll(&mut cx) {
            finish(&self.conn, id, service, outcome, answer);
            return;
        }
        let guard = Served::start(self.conn.clone());
        let stop = self.conn.node.hard_stop.clone();
        self.conn.node.tasks.spawn(async move {
            let outcome = tokio::select! {
                outcome = future => outcome,
                () = stop.cancelled() => return,
            };
            finish(&guard.conn, id, service, outcome, answer);
        });
    }
}

/// Answers a call with the outcome of its handler: its result, or
/// `Fault.Internal` if it panicked; nothing for a call with id 0.
fn finish<T>(
    conn: &Conn,
    id: u16,
    service: u32,
    outcome: Result<Result<T, RpcError>, ()>,
    answer: fn(&Conn, u16, u32, Result<T, RpcError>),
) {
    match outcome {
        Ok(result) if id == 0 => answer_oneway(result),
        Ok(result) => answer(conn, id, service, result),
        Err(()) => {
            warn!(id, service, "a handler panicked");
            conn.send_fault(id, service, Fault::Internal);
        }
    }
}

/// Serves, in a task of its own, a call whose answer `future` computes
/// encoded (a tower stack's): answers it unless it is `@Async` (id 0),
/// counts it served until then.
#[cfg(feature = "tower")]
pub(crate) fn spawn_served<Fut>(conn: Arc<Conn>, id: u16, service: u32, future: Fut)
where
    Fut: Future<Output = Result<EncodedParams, RpcError>> + Send + 'static,
{
    let guard = Served::start(conn.clone());
    let stop = conn.node.hard_stop.clone();
    conn.node.tasks.spawn(async move {
        let outcome = tokio::select! {
            outcome = CatchUnwind(future) => outcome,
            () = stop.cancelled() => return,
        };
        finish(
            &guard.conn,
            id,
            service,
            outcome,
            |conn, id, service, result| match result {
                Ok(returns) => conn.send_return(id, service, &returns),
                Err(e) => conn.send_error(id, service, &e),
            },
        );
    });
}

fn answer_oneway<T>(result: Result<T, RpcError>) {
    if let Err(e) = result {
        debug!(error = %e, "a call without an answer (id 0) failed");
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        #[cfg(feature = "tower")]
        if self.capture.is_some() {
            // Unserved under a tower stack: the stack's future fails.
            return;
        }
        if !self.done {
            // A dispatcher that neither served nor failed the call.
            self.conn
                .send_fault(self.header.id, self.header.service, Fault::Internal);
        }
    }
}

/// Counts a call as served (for the concurrency limit and the shutdown's
/// wait) while its task runs, however the task ends.
struct Served {
    conn: Arc<Conn>,
}

impl Served {
    fn start(conn: Arc<Conn>) -> Served {
        conn.serving.fetch_add(1, Ordering::AcqRel);
        conn.node.call_started();
        Served { conn }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.conn.serving.fetch_sub(1, Ordering::AcqRel);
        self.conn.node.call_ended();
    }
}

/// What a service trait's methods return: a future of the method's result
/// that can be sent between threads. Implemented by every such future, so
/// that an `async fn` implements a method declared `-> impl Reply<T>`.
pub trait Reply<T>: Future<Output = Result<T, RpcError>> + Send {}

impl<T, F> Reply<T> for F where F: Future<Output = Result<T, RpcError>> + Send {}

/// A method of a service trait, as [`Call::serve`] runs it: a function of
/// the service, the call's context and its params, one by one. Implemented
/// for functions of up to 16 params.
pub trait Handler<S, P, R>: Send + 'static {
    /// The method's future.
    type Future: Future<Output = Result<R, RpcError>> + Send + 'static;
    /// Runs the method.
    fn call(self, service: Arc<S>, cx: CallContext, params: P) -> Self::Future;
}

macro_rules! handler {
    ($($name:ident),*) => {
        impl<S, F, Fut, R, $($name),*> Handler<S, ($($name,)*), R> for F
        where
            F: FnOnce(Arc<S>, CallContext, $($name),*) -> Fut + Send + 'static,
            Fut: Future<Output = Result<R, RpcError>> + Send + 'static,
        {
            type Future = Fut;

            #[allow(non_snake_case)]
            fn call(self, service: Arc<S>, cx: CallContext, ($($name,)*): ($($name,)*)) -> Fut {
                self(service, cx, $($name),*)
            }
        }
    };
}

handler!();
handler!(A);
handler!(A, B);
handler!(A, B, C);
handler!(A, B, C, D);
handler!(A, B, C, D, E);
handler!(A, B, C, D, E, F1);
handler!(A, B, C, D, E, F1, G);
handler!(A, B, C, D, E, F1, G, H);
handler!(A, B, C, D, E, F1, G, H, I);
handler!(A, B, C, D, E, F1, G, H, I, J);
handler!(A, B, C, D, E, F1, G, H, I, J, K);
handler!(A, B, C, D, E, F1, G, H, I, J, K, L);
handler!(A, B, C, D, E, F1, G, H, I, J, K, L, M);
handler!(A, B, C, D, E, F1, G, H, I, J, K, L, M, N);
handler!(A, B, C, D, E, F1, G, H, I, J, K, L, M, N, O);
handler!(A, B, C, D, E, F1, G, H, I, J, K, L, M, N, O, P);

/// A future whose panics become `Err(())`.
struct CatchUnwind<F>(F);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, ()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `self.0` is never moved out of the pinned `self`: this is
        // plain structural pinning of the only field.
        let inner = unsafe { self.map_unchecked_mut(|s| &mut s.0) };
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(out)) => Poll::Ready(Ok(out)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(Err(())),
        }
    }
}
