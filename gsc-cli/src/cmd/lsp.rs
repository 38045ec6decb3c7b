//! `gsc lsp`: the language server (gslang-lsp) on standard input and output.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::Fatal;

/// Run the language server on standard input and output.
///
/// Speaks the Language Server Protocol for editors: diagnostics as you type,
/// go to definition, find references, hover, completion, document symbols
/// and formatting. Editors start it themselves; see the README for VS Code,
/// Neovim and Helix.
#[derive(Args, Debug)]
#[command(
    after_help = "Exit status: 0 after the client's shutdown and exit, 1 if the client went away without them, 2 on I/O errors.\n\nThe client may set `initializationOptions`: {\"includeDirs\": [\"proto\"], \"debounceMs\": 100}."
)]
pub struct Opts {
    /// Search DIR for imports after the importing file's directory (repeatable)
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    /// Accepted for editors that pass it (the server always speaks on stdio)
    #[arg(long, hide = true)]
    pub stdio: bool,
}

impl Opts {
    /// Serves one session.
    pub fn run(self) -> Result<ExitCode, Fatal> {
        let config = gslang_lsp::Config {
            include_dirs: self.include,
            ..gslang_lsp::Config::default()
        };
        let (connection, io_threads) = lsp_server::Connection::stdio();
        let result = gslang_lsp::run(&connection, config);
        // The writer thread ends when its sender is dropped.
        drop(connection);
        io_threads.join().map_err(|e| Fatal(format!("lsp: {e}")))?;
        match result {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(e) => {
                eprintln!("gsc lsp: {e}");
                Ok(ExitCode::from(1))
            }
        }
    }
}
