//! What the code gs2rust generates for `@Profile` methods (gslang.md §7)
//! calls: each call of a profiled method, served or made, is timed into
//! the `metrics` facade and traced as a `tracing` span. Methods without
//! `@Profile` get none of this: their generated code never calls here.
//!
//! Generated code declares one static [`Method`] per profiled method of a
//! contract, and wraps the method's handler in the dispatcher
//! ([`Method::server`]) and the future of its client function
//! ([`Method::client`]):
//!
//! ```text
//! static ECHO_PROFILE: [::gscluster::rpc::profile::Method; 1] =
//!     [::gscluster::rpc::profile::Method::new("echo.Echo", "Echo", 1)];
//! // in `EchoServer`'s dispatch:
//! 1 => call.serve_value(this, ECHO_PROFILE[0].server(T::echo)),
//! // in `EchoClient::echo`:
//! let call = ::gscluster::rpc::Client::call_value(&self.0, 1, params);
//! ECHO_PROFILE[0].client(call)
//! ```
//!
//! # Metrics
//!
//! | name | kind | labels |
//! | --- | --- | --- |
//! | `rpc_server_call_duration_seconds` | histogram | `rpc_service`, `rpc_method`, `outcome` |
//! | `rpc_client_call_duration_seconds` | histogram | `rpc_service`, `rpc_method`, `outcome` |
//! | `rpc_server_calls_in_flight` | gauge | `rpc_service`, `rpc_method` |
//! | `rpc_client_calls_in_flight` | gauge | `rpc_service`, `rpc_method` |
//!
//! `rpc_service` is the contract's full name (`echo.Echo`), `rpc_method`
//! the method's schema name (`Echo`), `outcome` one of `ok`, `app_error`,
//! `fault`, `timeout` and `transport` ([`RpcError::outcome`]). A call is
//! in flight from the first time it waits (a handler that answers at its
//! first poll is never counted, since no scrape could see it). A handler
//! that panics, or is stopped by the node's shutdown, counts as `fault`
//! (its caller gets `Fault.Internal`, or nothing). An `@Async` call counts
//! as `ok` once sent (client) or handled (server). A client call dropped
//! before it finished (its caller stopped waiting) leaves the in-flight
//! gauge and records no duration.
//!
//! The metric handles of a method are registered with the recorder once,
//! at its first call on each side, so a call formats no strings and looks
//! nothing up: install the recorder (e.g. `metrics-exporter-prometheus`)
//! before the first call, as for any `metrics` handle.
//!
//! # Spans
//!
//! Each call runs in a span, `rpc.server` or `rpc.client` (target
//! `gscluster::rpc::profile`), with the fields `service`, `method`,
//! `call_id`, `peer` (the peer's address) and `outcome`, recorded when the
//! call ends. A client span gets its `call_id` and `peer` once the call
//! has a connection and an id. The spans are at level `DEBUG`, as
//! tower-http's request spans are: a subscriber at `INFO` skips them at
//! the cost of a check, and `RUST_LOG=gscluster::rpc::profile=debug` (or
//! any filter that enables them) traces every profiled call.

use std::cell::Cell;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use metrics::{Gauge, Histogram};
use quanta::Instant;
use tracing::Span;
use tracing::field::{Empty, display};

use super::error::RpcError;
use super::service::{CallContext, Handler};

/// The outcomes, in the order of [`Side::durations`].
const OUTCOMES: [&str; 5] = ["ok", "app_error", "fault", "timeout", "transport"];

/// The index in [`OUTCOMES`] of a call's result.
/// (The label is [`RpcError::outcome`]'s; a test checks that they agree.)
fn outcome<T>(result: &Result<T, RpcError>) -> usize {
    match result {
        Ok(_) => 0,
        Err(RpcError::App(_)) => 1,
        Err(RpcError::Timeout) => 3,
        Err(RpcError::Transport(_)) => 4,
        Err(_) => 2,
    }
}

/// A profiled method of a contract, with its metric handles: what
/// generated code declares as a `static` and wraps the method's calls in.
#[derive(Debug)]
pub struct Method {
    service: &'static str,
    method: &'static str,
    id: u16,
    server: OnceLock<Side>,
    client: OnceLock<Side>,
}

/// The metric handles of one side (server or client) of a method.
#[derive(Debug)]
struct Side {
    in_flight: Gauge,
    /// By outcome, in the order of [`OUTCOMES`].
    durations: [Histogram; 5],
}

impl Side {
    fn register(kind: Kind, method: &Method) -> Side {
        let (gauge, histogram) = match kind {
            Kind::Server => (
                "rpc_server_calls_in_flight",
                "rpc_server_call_duration_seconds",
            ),
            Kind::Client => (
                "rpc_client_calls_in_flight",
                "rpc_client_call_duration_seconds",
            ),
        };
        let (service, name) = (method.service, method.method);
        Side {
            in_flight: metrics::gauge!(gauge, "rpc_service" => service, "rpc_method" => name),
            durations: OUTCOMES.map(|outcome| {
                metrics::histogram!(
                    histogram,
                    "rpc_service" => service,
                    "rpc_method" => name,
                    "outcome" => outcome
                )
            }),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Server,
    Client,
}

impl Method {
    /// Method `method` (its schema name) of contract `service` (its full
    /// name, `echo.Echo`), whose id is `id`.
    pub const fn new(service: &'static str, method: &'static str, id: u16) -> Method {
        Method {
            service,
            method,
            id,
            server: OnceLock::new(),
            client: OnceLock::new(),
        }
    }

    /// The contract's full name.
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The method's schema name.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The method's id.
    pub fn id(&self) -> u16 {
        self.id
    }

    fn side(&'static self, kind: Kind) -> &'static Side {
        let cell = match kind {
            Kind::Server => &self.server,
            Kind::Client => &self.client,
        };
        cell.get_or_init(|| Side::register(kind, self))
    }

    /// `handler`, the dispatcher's handler of this method, profiled: each
    /// call it serves is timed and traced.
    pub fn server<H>(&'static self, handler: H) -> ServerHandler<H> {
        ServerHandler {
            method: self,
            handler,
        }
    }

    /// `call`, the future of a call of this method, profiled.
    pub fn client<F, T>(&'static self, call: F) -> Profiled<F>
    where
        F: Future<Output = Result<T, RpcError>>,
    {
        let span = if tracing::dispatcher::has_been_set() {
            tracing::debug_span!(
                "rpc.client",
                service = self.service,
                method = self.method,
                call_id = Empty,
                peer = Empty,
                outcome = Empty,
            )
        } else {
            // No subscriber, ever: nothing could record the span.
            Span::none()
        };
        Profiled {
            inner: call,
            span,
            timer: Timer::start(self.side(Kind::Client), false),
            client: true,
        }
    }
}

/// A handler wrapped by [`Method::server`].
#[derive(Debug)]
pub struct ServerHandler<H> {
    method: &'static Method,
    handler: H,
}

impl<S, P, R, H> Handler<S, P, R> for ServerHandler<H>
where
    H: Handler<S, P, R>,
{
    type Future = Profiled<H::Future>;

    fn call(self, service: Arc<S>, cx: CallContext, params: P) -> Self::Future {
        let method = self.method;
        let span = if tracing::dispatcher::has_been_set() {
            tracing::debug_span!(
                "rpc.server",
                service = method.service,
                method = method.method,
                call_id = cx.id(),
                peer = display(cx.peer().addr),
                outcome = Empty,
            )
        } else {
            Span::none()
        };
        Profiled {
            inner: self.handler.call(service, cx, params),
            span,
            // A handler dropped before it finished panicked (its caller gets
            // `Fault.Internal`) or was stopped by the node's shutdown.
            timer: Timer::start(method.side(Kind::Server), true),
            client: false,
        }
    }
}

/// Times one call, from its start, and counts it in flight from the first
/// time it waits until it ends: a call that is done at its first poll (a
/// handler that answers without waiting, which most do) leaves the gauge
/// alone, since no scrape could tell it apart from one that never came.
struct Timer {
    side: &'static Side,
    start: Instant,
    /// Whether the duration is recorded (as `fault`) if the call is dropped
    /// unfinished.
    record_drop: bool,
    /// Whether the gauge counts it.
    counted: bool,
    finished: bool,
}

impl Timer {
    fn start(side: &'static Side, record_drop: bool) -> Timer {
        Timer {
            side,
            start: Instant::now(),
            record_drop,
            counted: false,
            finished: false,
        }
    }

    /// The call waits: count it in flight, once.
    fn waiting(&mut self) {
        if !self.counted {
            self.counted = true;
            self.side.in_flight.increment(1.0);
        }
    }

    fn finish(&mut self, outcome: usize) {
        self.finished = true;
        self.side.durations[outcome].record(self.start.elapsed().as_secs_f64());
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if !self.finished && self.record_drop {
            self.finish(2);
        }
        if self.counted {
            self.side.in_flight.decrement(1.0);
        }
    }
}

/// A profiled call's future: [`Method::server`]'s handlers return them,
/// [`Method::client`] makes them.
pub struct Profiled<F> {
    inner: F,
    span: Span,
    timer: Timer,
    client: bool,
}

impl<F> std::fmt::Debug for Profiled<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profiled")
            .field("span", &self.span)
            .finish_non_exhaustive()
    }
}

impl<F, T> Future for Profiled<F>
where
    F: Future<Output = Result<T, RpcError>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: `inner` is structurally pinned: it is never moved out of
        // the pinned `self`, and `Profiled` has no `Drop` of its own that
        // could move it. The other fields are not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above.
        let inner = unsafe { Pin::new_unchecked(&mut this.inner) };
        let polled = if this.span.is_disabled() {
            inner.poll(cx)
        } else {
            let _entered = this.span.enter();
            let _client = this.client.then(|| ClientCall::enter(&this.span));
            inner.poll(cx)
        };
        let Poll::Ready(result) = polled else {
            this.timer.waiting();
            return Poll::Pending;
        };
        if !this.timer.finished {
            let outcome = outcome(&result);
            this.timer.finish(outcome);
            if !this.span.is_disabled() {
                this.span.record("outcome", OUTCOMES[outcome]);
            }
        }
        Poll::Ready(result)
    }
}

thread_local! {
    /// The span of the profiled client call being polled on this thread,
    /// if any and enabled (else null): the runtime records its connection's peer and
    /// its id there. Set only while [`Profiled::poll`] polls the call, so
    /// the span it points to is alive whenever it is set.
    static CLIENT_SPAN: Cell<*const Span> = const { Cell::new(std::ptr::null()) };
}

/// Points [`CLIENT_SPAN`] at a client call's span while it is polled.
struct ClientCall(*const Span);

impl ClientCall {
    fn enter(span: &Span) -> ClientCall {
        ClientCall(CLIENT_SPAN.replace(span as *const Span))
    }
}

impl Drop for ClientCall {
    fn drop(&mut self) {
        CLIENT_SPAN.set(self.0);
    }
}

/// Runs `f` on the span of the profiled client call being polled, if any.
fn client_span(f: impl FnOnce(&Span)) {
    let span = CLIENT_SPAN.get();
    if !span.is_null() {
        // SAFETY: `CLIENT_SPAN` is non-null only while `Profiled::poll`
        // polls the call whose span it points to (the guard resets it when
        // that poll returns or unwinds), and that span is a field of the
        // pinned `Profiled`, alive and not moved for the whole poll.
        f(unsafe { &*span });
    }
}

/// Records the peer of a profiled client call being polled in its span.
pub(crate) fn note_peer(addr: SocketAddr) {
    client_span(|span| {
        span.record("peer", display(addr));
    });
}

/// Records the id of a profiled client call being polled in its span.
pub(crate) fn note_call_id(id: u16) {
    client_span(|span| {
        span.record("call_id", id);
    });
}

#[cfg(test)]
mod tests {
    use super::{OUTCOMES, outcome};
    use crate::gslang::Fault;
    use crate::rpc::{RpcError, TransportErrorKind};

    #[test]
    fn outcome_labels_are_the_errors_own() {
        assert_eq!(OUTCOMES[outcome(&Ok::<(), RpcError>(()))], "ok");
        let app = RpcError::App(crate::rpc::AppError::new([7; 16], 3));
        for e in [
            app,
            RpcError::Fault(Fault::Internal),
            RpcError::UnknownFault(99),
            RpcError::Timeout,
            RpcError::transport(TransportErrorKind::Closed),
        ] {
            assert_eq!(
                OUTCOMES[outcome(&Err::<(), _>(e.clone()))],
                e.outcome(),
                "{e:?}"
            );
        }
    }
}
