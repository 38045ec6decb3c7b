//! [`RpcError`]: how a call fails, on both sides of it.
//!
//! A handler fails a call with a value of any `@Error` enum (an
//! [`AppError`]), or with a [`Fault`] of the RPC layer; the caller sees the
//! same, plus what can go wrong on its own side: its deadline passing
//! ([`RpcError::Timeout`]), the connection failing ([`RpcError::Transport`]),
//! or an answer it cannot decode ([`RpcError::BadReply`]).

use std::fmt;
use std::sync::Arc;

use crate::DecodeError;
use crate::gslang::Fault;

/// An `@Error` enum of a schema: an error domain (wire.md §3). gs2rust
/// implements it for every `@Error` enum; its [`DOMAIN`](Self::DOMAIN) is
/// the first 16 bytes of SHA-256 of `"gslang.error:"` ‖ its full name.
pub trait ErrorEnum: Copy + Send + Sync + 'static {
    /// The enum's 16-byte error domain id.
    const DOMAIN: [u8; 16];
    /// Its full name, `module.Enum`.
    const NAME: &'static str;
    /// The value's number, as `ErrReturn.Code` carries it.
    fn code(self) -> i32;
    /// The value with this number, if any.
    fn from_code(code: i32) -> Option<Self>;
    /// The value's name in the schema.
    fn value_name(self) -> &'static str;
}

/// A value of an `@Error` enum, as it travels: its domain and its number.
///
/// ```
/// # use gscluster::rpc::{AppError, ErrorEnum};
/// # #[derive(Clone, Copy, Debug, PartialEq)] enum EchoError { Negative }
/// # impl ErrorEnum for EchoError {
/// #     const DOMAIN: [u8; 16] = [7; 16]; const NAME: &'static str = "echo.EchoError";
/// #     fn code(self) -> i32 { 1 } fn from_code(c: i32) -> Option<Self> { (c == 1).then_some(EchoError::Negative) }
/// #     fn value_name(self) -> &'static str { "Negative" }
/// # }
/// let e = AppError::from(EchoError::Negative);
/// assert_eq!(e.get::<EchoError>(), Some(EchoError::Negative));
/// assert_eq!(e.to_string(), "echo.EchoError.Negative (1)");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AppError {
    domain: [u8; 16],
    code: i32,
    /// The enum's and the value's names, when the error was made from a
    /// typed value (or recognized as one).
    names: Option<(&'static str, &'static str)>,
}

impl AppError {
    /// An error of `domain` with number `code`, as it came off the wire.
    pub fn new(domain: [u8; 16], code: i32) -> AppError {
        AppError {
            domain,
            code,
            names: None,
        }
    }

    /// The 16-byte id of the error's enum.
    pub fn domain(&self) -> [u8; 16] {
        self.domain
    }

    /// The value's number.
    pub fn code(&self) -> i32 {
        self.code
    }

    /// Whether this is a value of enum `E`.
    pub fn is<E: ErrorEnum>(&self) -> bool {
        self.domain == E::DOMAIN
    }

    /// The typed value, if this is one of `E` (and a number `E` declares).
    pub fn get<E: ErrorEnum>(&self) -> Option<E> {
        if self.is::<E>() {
            E::from_code(self.code)
        } else {
            None
        }
    }
}

impl<E: ErrorEnum> From<E> for AppError {
    fn from(e: E) -> AppError {
        AppError {
            domain: E::DOMAIN,
            code: e.code(),
            names: Some((E::NAME, e.value_name())),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.names {
            Some((enum_, value)) => write!(f, "{enum_}.{value} ({})", self.code),
            None => {
                write!(f, "error {} of domain ", self.code)?;
                for b in self.domain {
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AppError({self})")
    }
}

/// Why a connection failed or closed.
#[derive(Clone, Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Option<Arc<std::io::Error>>,
}

/// What kind of transport failure an [`RpcError::Transport`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection closed (the peer, a failure, or our side shutting down).
    Closed,
    /// Connecting failed, or there is no connection now (it is being re-established).
    NotConnected,
    /// The peer broke the protocol, and the connection was closed.
    Protocol,
    /// No peer announced the service within the wait.
    NoService,
    /// A message over the size limit.
    TooLarge,
}

impl TransportError {
    /// A failure of `kind`, with the I/O error behind it if any.
    pub fn new(kind: TransportErrorKind, source: Option<std::io::Error>) -> TransportError {
        TransportError {
            kind,
            source: source.map(Arc::new),
        }
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Closed => "the connection closed",
            TransportErrorKind::NotConnected => "not connected",
            TransportErrorKind::Protocol => "the peer broke the protocol",
            TransportErrorKind::NoService => "no peer announced the service",
            TransportErrorKind::TooLarge => "the message is over the size limit",
        };
        f.write_str(what)?;
        if let Some(e) = &self.source {
            write!(f, ": {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// How a call failed.
///
/// Handlers return it too: `Err(EchoError::Negative.into())` fails the call
/// with an application error, `Err(RpcError::Fault(Fault::BadRequest))`
/// with a fault; an error a handler got from a call of its own
/// ([`Timeout`](Self::Timeout), [`Transport`](Self::Transport), …) reaches
/// its caller as [`Fault::Timeout`] or [`Fault::Unavailable`].
///
/// ```
/// # use gscluster::rpc::RpcError;
/// # use gscluster::gslang::Fault;
/// # fn answer() -> Result<i32, RpcError> { Err(RpcError::Fault(Fault::Unavailable)) }
/// match answer() {
///     Ok(n) => println!("{n}"),
///     Err(RpcError::Fault(Fault::Unavailable)) => println!("try later"),
///     Err(e) => println!("failed: {e}"),
/// }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum RpcError {
    /// The callee failed the call with a value of an `@Error` enum.
    App(AppError),
    /// The callee's RPC layer failed the call (wire.md §3).
    Fault(Fault),
    /// A fault code this runtime does not know (a newer peer's).
    UnknownFault(i32),
    /// The caller's deadline passed before the answer came.
    Timeout,
    /// The connection failed or closed, or there was none.
    Transport(TransportError),
    /// The answer did not decode as the method's returns.
    BadReply(DecodeError),
}

impl RpcError {
    /// The typed application error, if the call failed with a value of `E`.
    pub fn app<E: ErrorEnum>(&self) -> Option<E> {
        match self {
            RpcError::App(e) => e.get::<E>(),
            _ => None,
        }
    }

    /// The outcome label of the call's metrics: `app_error`, `fault`,
    /// `timeout` or `transport`.
    pub fn outcome(&self) -> &'static str {
        match self {
            RpcError::App(_) => "app_error",
            RpcError::Fault(_) | RpcError::UnknownFault(_) | RpcError::BadReply(_) => "fault",
            RpcError::Timeout => "timeout",
            RpcError::Transport(_) => "transport",
        }
    }

    /// A transport error of `kind`.
    pub fn transport(kind: TransportErrorKind) -> RpcError {
        RpcError::Transport(TransportError::new(kind, None))
    }

    /// What the callee's `ErrReturn` carries for this error: the domain
    /// (empty for a fault) and the code.
    pub(crate) fn to_wire(&self) -> (Option<[u8; 16]>, i32) {
        let fault = match self {
            RpcError::App(e) => return (Some(e.domain), e.code),
            RpcError::Fault(f) => *f,
            RpcError::UnknownFault(code) => return (None, *code),
            RpcError::Timeout => Fault::Timeout,
            RpcError::Transport(_) => Fault::Unavailable,
            RpcError::BadReply(_) => Fault::Internal,
        };
        (None, i32::from(fault))
    }

    /// The error an `ErrReturn` stands for.
    pub(crate) fn from_wire(domain: &[u8], code: i32) -> RpcError {
        if domain.is_empty() {
            return match Fault::try_from(code) {
                Ok(fault) => RpcError::Fault(fault),
                Err(_) => RpcError::UnknownFault(code),
            };
        }
        // A domain of another length than 16 bytes breaks the protocol; it
        // is kept as it reads (cut or zero-padded), so that the caller still
        // sees the code.
        let mut padded = [0u8; 16];
        let n = domain.len().min(16);
        padded[..n].copy_from_slice(&domain[..n]);
        RpcError::App(AppError::new(padded, code))
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RpcError::App(e) => write!(f, "the call failed: {e}"),
            RpcError::Fault(fault) => write!(f, "the call failed: fault {fault:?}"),
            RpcError::UnknownFault(code) => write!(f, "the call failed: unknown fault {code}"),
            RpcError::Timeout => f.write_str("the call timed out"),
            RpcError::Transport(e) => write!(f, "the call failed: {e}"),
            RpcError::BadReply(e) => write!(f, "the answer does not decode: {e}"),
        }
    }
}

impl std::error::Error for RpcError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RpcError::Transport(e) => Some(e),
            RpcError::BadReply(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: ErrorEnum> From<E> for RpcError {
    fn from(e: E) -> RpcError {
        RpcError::App(e.into())
    }
}

impl From<Fault> for RpcError {
    fn from(f: Fault) -> RpcError {
        RpcError::Fault(f)
    }
}

impl From<AppError> for RpcError {
    fn from(e: AppError) -> RpcError {
        RpcError::App(e)
    }
}
