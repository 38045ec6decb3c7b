//! Logs of the gate's and the servers' binaries (`gsgate`, `chat-server`):
//! `tracing` events to the terminal (stderr, so that the stdout lines
//! scripts read stay what they are) and, with `--log-dir DIR`, to a file
//! in DIR that rolls over daily, `<name>.YYYY-MM-DD.log` (UTC dates), as
//! the seed framework's logs did.
//!
//! The filter is `RUST_LOG` (`info` when unset), for both. The file is
//! written by a worker thread through a bounded queue (tracing-appender's
//! non-blocking writer: events past 128,000 waiting lines are dropped, and
//! no task ever waits on the disk); keep the [`Logs`] guard alive for the
//! life of the program, so that what is queued is written at exit.

use std::io::{self, IsTerminal as _};
use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Keeps the log file's writer running; dropping it flushes the file.
#[must_use = "the log file is written only while this lives"]
#[derive(Debug)]
pub struct Logs {
    _file: Option<WorkerGuard>,
}

/// Installs the global subscriber: the terminal, and a daily file
/// `<name>.YYYY-MM-DD.log` in `dir` (created if missing) when given.
pub fn init(name: &str, dir: Option<&Path>) -> io::Result<Logs> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let terminal = tracing_subscriber::fmt::layer()
        .with_ansi(io::stderr().is_terminal())
        .with_writer(io::stderr);
    let (file, guard) = match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            let appender = Builder::new()
                .rotation(Rotation::DAILY)
                .filename_prefix(name)
                .filename_suffix("log")
                .build(dir)
                .map_err(io::Error::other)?;
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(writer);
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(filter)
        .with(terminal)
        .with(file)
        .try_init()
        .map_err(io::Error::other)?;
    Ok(Logs { _file: guard })
}
