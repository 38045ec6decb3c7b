//! The calls a connection has sent and not yet seen answered, by call id
//! (wire.md §3.4): ids in 1..=65535, never reused while an answer may still
//! come, late and stray answers dropped, every pending call failed at once
//! when the connection closes.

use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;

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
    /// Sent; the caller waits (with its waker once it polled).
    Waiting(Option<Waker>),
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
        }
    }

    /// Takes a free id for a new call; `Ok(None)` when all are in use.
    pub fn alloc(&mut self) -> Result<Option<u16>, TransportError> {
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
        self.slots[usize::from(id)] = Slot::Waiting(None);
        Ok(Some(id))
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
            Slot::Waiting(waker) => {
                let waker = waker.take();
                *slot = Slot::Answered(result);
                if let Some(w) = waker {
                    w.wake();
                }
                Answer::Delivered
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

    /// Polls for the answer to call `id`; once ready, the id is free.
    pub fn poll_answer(&mut self, id: u16, cx: &mut Context<'_>) -> Poll<Result<Bytes, RpcError>> {
        let slot = &mut self.slots[usize::from(id)];
        match slot {
            Slot::Answered(_) => {
                let Slot::Answered(result) = std::mem::replace(slot, Slot::Free) else {
                    return Poll::Pending;
                };
                self.free.push_back(id);
                Poll::Ready(result)
            }
            Slot::Waiting(waker) => {
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
            Slot::Waiting(_) if self.closed.is_none() => {
                *slot = Slot::Abandoned;
                self.abandoned += 1;
            }
            Slot::Waiting(_) | Slot::Answered(_) => {
                *slot = Slot::Free;
                self.free.push_back(id);
            }
            Slot::Free | Slot::Abandoned => {}
        }
        self.abandoned > MAX_ABANDONED
    }

    /// Whether an id could be had now.
    pub fn has_free(&self) -> bool {
        !self.free.is_empty() || self.slots.len() <= MAX_IDS
    }

    /// Fails every waiting call with `error`, and every later one.
    pub fn close(&mut self, error: TransportError) {
        for slot in &mut self.slots {
            if let Slot::Waiting(waker) = slot {
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
            .filter(|s| matches!(s, Slot::Waiting(_)))
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

    #[test]
    fn ids_are_reused_only_after_their_answer() {
        let mut p = Pending::new();
        let a = p.alloc().expect("open").expect("free");
        let b = p.alloc().expect("open").expect("free");
        assert_eq!((a, b), (1, 2));
        assert_eq!(p.answer(a, Ok(Bytes::from_static(b"x"))), Answer::Delivered);
        assert!(matches!(p.poll_answer(a, &mut noop()), Poll::Ready(Ok(_))));
        // `b` times out: its id stays out of use until its late answer.
        assert!(!p.abandon(b));
        let c = p.alloc().expect("open").expect("free");
        assert_eq!(c, a);
        let d = p.alloc().expect("open").expect("free");
        assert_eq!(d, 3);
        assert_eq!(p.answer(b, Ok(Bytes::new())), Answer::Late);
        assert_eq!(p.answer(b, Ok(Bytes::new())), Answer::Stray);
        assert_eq!(p.answer(0, Ok(Bytes::new())), Answer::Stray);
        assert_eq!(p.answer(999, Ok(Bytes::new())), Answer::Stray);
        let e = p.alloc().expect("open").expect("free");
        assert_eq!(e, b);
    }

    #[test]
    fn all_ids_in_use_then_backpressure_then_close_fails_everyone() {
        let mut p = Pending::new();
        for _ in 0..MAX_IDS {
            assert!(p.alloc().expect("open").is_some());
        }
        assert!(!p.has_free());
        assert_eq!(p.alloc().expect("open"), None);
        p.close(TransportError::new(TransportErrorKind::Closed, None));
        assert_eq!(p.waiting(), 0);
        assert!(matches!(
            p.poll_answer(7, &mut noop()),
            Poll::Ready(Err(RpcError::Transport(_)))
        ));
        assert!(p.alloc().is_err());
    }

    #[test]
    fn too_many_abandoned_ids_ask_for_the_connection_to_close() {
        let mut p = Pending::new();
        let mut broken = false;
        for _ in 0..=MAX_ABANDONED {
            let id = p.alloc().expect("open").expect("free");
            broken = p.abandon(id);
        }
        assert!(broken);
    }
}
