//! The calls a connection has sent and not yet seen answered, by call id
//! (wire.md §3.4): ids in 1..=65535, never reused while an answer may still
//! come, late and stray answers dropped, every pending call failed at once
//! when the connection closes, and every call past its deadline failed by
//! [`Pending::sweep`] (one timer per connection, not one per call).

use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use tokio::time::Instant;

use super::error::{RpcError, TransportError};

/// The most call ids a connection has: 1..=65535 (0 marks `@Async` calls).
pub(crate) const MAX_IDS: usize = 65535;

/// How many abandoned ids (calls that timed out or were dropped before
/// their answer) a connection may hold before it is deemed broken: their
/// answers never came, so the peer is not answering.
pub(crate) const MAX_ABANDONED: usize = MAX_IDS / 2;

enum Slot {
    /// Not in use.
    Free,
    /// Sent; the caller waits (with its waker once it polled) until its
    /// deadline.
    Waiting {
        waker: Option<Waker>,
        deadline: Instant,
    },
    /// Its deadline passed before the answer came: the caller is told so
    /// when it polls, and the id then stays out of use until the answer.
    TimedOut,
    /// The answer came; the caller has not taken it yet.
    Answered(Result<Bytes, RpcError>),
    /// The caller gave up (timeout, drop): the id stays out of use until
    /// its answer comes, so that the answer cannot reach a later call.
    Abandoned,
}

/// The pending calls of a connection.
pub(crate) struct Pending {
    /// By id; slot 0 is never used.
    slots: Vec<Slot>,
    /// Ids whose calls ended, for reuse, oldest first.
    free: VecDeque<u16>,
    abandoned: usize,
    closed: Option<TransportError>,
    /// When the sweeper wakes next (no earlier than the earliest deadline
    /// of a waiting call), or `None` when it waits for a call.
    next_sweep: Option<Instant>,
}

/// What an answer did to the table.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// It reached its caller.
    Delivered,
    /// It was late (its caller gave up): the id is free again.
    Late,
    /// No call has that id: dropped.
    Stray,
}

impl Pending {
    pub fn new() -> Pending {
        Pending {
            slots: vec![Slot::Free],
            free: VecDeque::new(),
            abandoned: 0,
            closed: None,
            next_sweep: None,
        }
    }

    /// Takes a free id for a new call that waits for its answer until
    /// `deadline`; `Ok(None)` when all are in use. The id comes with
    /// whether the sweeper must be woken: the deadline is earlier than
    /// the sweeper's next wake.
    pub fn alloc(
        &mut self,
        deadline: Instant,
        waker: Option<Waker>,
    ) -> Result<Option<(u16, bool)>, TransportError> {
        if let Some(e) = &self.closed {
            return Err(e.clone());
        }
        let id = match self.free.pop_front() {
            Some(id) => id,
            None if self.slots.len() <= MAX_IDS => {
                self.slots.push(Slot::Free);
                (self.slots.len() - 1) as u16
            }
            None => return Ok(None),
        };
        self.slots[usize::from(id)] = Slot::Waiting { waker, deadline };
        let wake = self.next_sweep.is_none_or(|at| deadline < at);
        if wake {
            self.next_sweep = Some(deadline);
        }
        Ok(Some((id, wake)))
    }

    /// Fails every waiting call whose deadline is not after `now`, and
    /// returns the earliest deadline of those left (when to sweep next).
    pub fn sweep(&mut self, now: Instant) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        for slot in &mut self.slots {
            if let Slot::Waiting { waker, deadline } = slot {
                if *deadline <= now {
                    let waker = waker.take();
                    *slot = Slot::TimedOut;
                    if let Some(w) = waker {
                        w.wake();
                    }
                } else if next.is_none_or(|n| *deadline < n) {
                    next = Some(*deadline);
                }
            }
        }
        self.next_sweep = next;
        next
    }

    /// Returns an id whose call was never sent.
    pub fn release_unsent(&mut self, id: u16) {
        self.slots[usize::from(id)] = Slot::Free;
        self.free.push_back(id);
    }

    /// Records the answer to call `id`, waking its caller.
    pub fn answer(&mut self, id: u16, result: Result<Bytes, RpcError>) -> Answer {
        let Some(slot) = self.slots.get_mut(usize::from(id)).filter(|_| id != 0) else {
            return Answer::Stray;
        };
        match slot {
            Slot::Waiting { waker, .. } => {
                let waker = waker.take();
                *slot = Slot::Answered(result);
                if let Some(w) = waker {
                    w.wake();
                }
                Answer::Delivered
            }
            // Too late for its caller, who has not yet been told: it takes
            // the timeout, and the id is then free.
            Slot::TimedOut => {
                *slot = Slot::Answered(Err(RpcError::Timeout));
                Answer::Late
            }
            Slot::Abandoned => {
                *slot = Slot::Free;
                self.abandoned -= 1;
                self.free.push_back(id);
                Answer::Late
            }
            Slot::Free | Slot::Answered(_) => Answer::Stray,
        }
    }

    /// Polls for the answer to call `id`; once ready, the id is free (or,
    /// after a timeout, abandoned until its answer comes).
    pub fn poll_answer(&mut self, id: u16, cx: &mut Context<'_>) -> Poll<Result<Bytes, RpcError>> {
        let slot = &mut self.slots[usize::from(id)];
        match slot {
            Slot::TimedOut => {
                if self.closed.is_some() {
                    *slot = Slot::Free;
                } else {
                    *slot = Slot::Abandoned;
                    self.abandoned += 1;
                }
                Poll::Ready(Err(RpcError::Timeout))
            }
            Slot::Answered(_) => {
                let Slot::Answered(result) = std::mem::replace(slot, Slot::Free) else {
                    return Poll::Pending;
                };
                self.free.push_back(id);
                Poll::Ready(result)
            }
            Slot::Waiting { waker, .. } => {
                if let Some(e) = &self.closed {
                    *slot = Slot::Free;
                    return Poll::Ready(Err(RpcError::Transport(e.clone())));
                }
                match waker {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => *waker = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
            // The caller polls only its own live id.
            Slot::Free | Slot::Abandoned => Poll::Pending,
        }
    }

    /// The caller of `id` gave up before taking an answer. Returns whether
    /// too many ids are now abandoned, so that the connection should close.
    pub fn abandon(&mut self, id: u16) -> bool {
        let slot = &mut self.slots[usize::from(id)];
        match slot {
            Slot::Waiting { .. } | Slot::TimedOut if self.closed.is_none() => {
                *slot = Slot::Abandoned;
                self.abandoned += 1;
            }
            Slot::Waiting { .. } | Slot::TimedOut | Slot::Answered(_) => {
                *slot = Slot::Free;
                self.free.push_back(id);
            }
            Slot::Free | Slot::Abandoned => {}
        }
        self.abandoned > MAX_ABANDONED
    }

    /// Whether so many ids are abandoned that the peer is deemed not to
    /// answer (the connection should close).
    pub fn too_many_abandoned(&self) -> bool {
        self.abandoned > MAX_ABANDONED
    }

    /// Whether a caller may be waiting for a free id: only once every id
    /// has been in use.
    pub fn may_have_id_waiters(&self) -> bool {
        self.slots.len() > MAX_IDS
    }

    /// Whether an id could be had now.
    pub fn has_free(&self) -> bool {
        !self.free.is_empty() || self.slots.len() <= MAX_IDS
    }

    /// Fails every waiting call with `error`, and every later one.
    pub fn close(&mut self, error: TransportError) {
        for slot in &mut self.slots {
            if let Slot::Waiting { waker, .. } = slot {
                let waker = waker.take();
                *slot = Slot::Answered(Err(RpcError::Transport(error.clone())));
                if let Some(w) = waker {
                    w.wake();
                }
            }
        }
        self.closed = Some(error);
    }

    /// Calls waiting for an answer now.
    #[cfg(test)]
    pub fn waiting(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| matches!(s, Slot::Waiting { .. }))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpc::error::TransportErrorKind;

    fn noop() -> Context<'static> {
        Context::from_waker(Waker::noop())
    }

    fn far() -> Instant {
        Instant::now() + std::time::Duration::from_secs(3600)
    }

    /// A free id for a call with a far deadline.
    fn take(p: &mut Pending) -> u16 {
        p.alloc(far(), None).expect("open").expect("free").0
    }

    #[test]
    fn ids_are_reused_only_after_their_answer() {
        let mut p = Pending::new();
        let a = take(&mut p);
        let b = take(&mut p);
        assert_eq!((a, b), (1, 2));
        assert_eq!(p.answer(a, Ok(Bytes::from_static(b"x"))), Answer::Delivered);
        assert!(matches!(p.poll_answer(a, &mut noop()), Poll::Ready(Ok(_))));
        // `b` times out: its id stays out of use until its late answer.
        assert!(!p.abandon(b));
        let c = take(&mut p);
        assert_eq!(c, a);
        let d = take(&mut p);
        assert_eq!(d, 3);
        assert_eq!(p.answer(b, Ok(Bytes::new())), Answer::Late);
        assert_eq!(p.answer(b, Ok(Bytes::new())), Answer::Stray);
        assert_eq!(p.answer(0, Ok(Bytes::new())), Answer::Stray);
        assert_eq!(p.answer(999, Ok(Bytes::new())), Answer::Stray);
        let e = take(&mut p);
        assert_eq!(e, b);
    }

    #[test]
    fn all_ids_in_use_then_backpressure_then_close_fails_everyone() {
        let mut p = Pending::new();
        for _ in 0..MAX_IDS {
            assert!(p.alloc(far(), None).expect("open").is_some());
        }
        assert!(!p.has_free());
        assert_eq!(p.alloc(far(), None).expect("open"), None);
        p.close(TransportError::new(TransportErrorKind::Closed, None));
        assert_eq!(p.waiting(), 0);
        assert!(matches!(
            p.poll_answer(7, &mut noop()),
            Poll::Ready(Err(RpcError::Transport(_)))
        ));
        assert!(p.alloc(far(), None).is_err());
    }

    #[test]
    fn too_many_abandoned_ids_ask_for_the_connection_to_close() {
        let mut p = Pending::new();
        let mut broken = false;
        for _ in 0..=MAX_ABANDONED {
            let id = take(&mut p);
            broken = p.abandon(id);
        }
        assert!(broken);
    }

    #[test]
    fn a_sweep_times_out_the_calls_past_their_deadline_and_keeps_their_ids() {
        let mut p = Pending::new();
        let now = Instant::now();
        let soon = now + std::time::Duration::from_millis(10);
        let later = now + std::time::Duration::from_secs(10);
        // The first deadline, and every earlier one, wakes the sweeper.
        let (late, wake) = p.alloc(later, None).expect("open").expect("free");
        assert!(wake);
        let (early, wake) = p.alloc(soon, None).expect("open").expect("free");
        assert!(wake);
        let (_, wake) = p.alloc(later, None).expect("open").expect("free");
        assert!(!wake);
        assert_eq!(p.sweep(now), Some(soon));
        assert_eq!(p.sweep(soon), Some(later));
        assert!(matches!(
            p.poll_answer(early, &mut noop()),
            Poll::Ready(Err(RpcError::Timeout))
        ));
        assert!(p.poll_answer(late, &mut noop()).is_pending());
        // The timed-out id is not reused until its answer comes.
        assert_eq!(take(&mut p), 4);
        assert_eq!(p.answer(early, Ok(Bytes::new())), Answer::Late);
        assert_eq!(take(&mut p), early);
    }

    #[test]
    fn an_answer_after_the_deadline_but_before_the_caller_polls_is_a_timeout() {
        let mut p = Pending::new();
        let now = Instant::now();
        let (id, _) = p.alloc(now, None).expect("open").expect("free");
        assert_eq!(p.sweep(now), None);
        assert_eq!(p.answer(id, Ok(Bytes::new())), Answer::Late);
        assert!(matches!(
            p.poll_answer(id, &mut noop()),
            Poll::Ready(Err(RpcError::Timeout))
        ));
        assert_eq!(take(&mut p), id);
        assert!(!p.too_many_abandoned());
    }
}
