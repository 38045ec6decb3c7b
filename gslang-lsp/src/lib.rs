//! The gslang language server, behind `gsc lsp`.
//!
//! It speaks the Language Server Protocol over a [`Connection`] (standard
//! input and output for `gsc lsp`, an in-memory pair in tests) with
//! rust-analyzer's `lsp-server` and `lsp-types`, and offers:
//! - diagnostics as the user types: each open document is analyzed from the
//!   open buffers overlaid on the file system, a moment after the last edit
//!   (the edits of a burst are analyzed once);
//! - go to definition and find references, for types, imported modules,
//!   annotation tables and their fields, enum constants in annotation
//!   arguments and contract bases; rename of declarations and members;
//! - hover: the declaration, its kind and documentation, a method's id, a
//!   record's encoded sizes;
//! - completion of types in scope, module names, annotation tables, enum
//!   constants in annotation arguments and keywords;
//! - document symbols, and formatting with `gslang-fmt`.
//!
//! Data flow: the client's notifications update the [`World`]
//! (open buffers, settings); a request takes the [`Snapshot`](world::Snapshot)
//! of its document (the semantic pass's `Analysis` and an [`Index`](index::Index)
//! of names), cached until the next change, and answers from it.
//!
//! The server runs on one thread and never panics on a request: a request
//! it cannot serve is answered with an error, and a panic inside a handler
//! (a bug) is caught and answered as an internal error, so that the session
//! goes on.
//!
//! ```no_run
//! let (connection, io) = lsp_server::Connection::stdio();
//! gslang_lsp::run(&connection, gslang_lsp::Config::default()).unwrap();
//! io.join().unwrap();
//! ```

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod completion;
pub mod convert;
mod hover;
pub mod index;
mod symbols;
pub mod world;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    self as lsp, CompletionOptions, HoverProviderCapability, InitializeParams, OneOf,
    PositionEncodingKind, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    Uri,
};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde_json::Value;

use convert::Encoding;
use gslang_syntax::{Diagnostic, Severity};
use world::{Doc, World};

/// Settings of a server; the client may override them with its
/// `initializationOptions`: `{"includeDirs": ["proto"], "debounceMs": 100}`.
#[derive(Clone, Debug)]
pub struct Config {
    /// Directories searched for imports after the importing file's own
    /// directory; relative ones are relative to the first workspace folder.
    pub include_dirs: Vec<PathBuf>,
    /// How long after the last edit diagnostics are computed.
    pub debounce: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            include_dirs: Vec::new(),
            debounce: Duration::from_millis(100),
        }
    }
}

/// The `initializationOptions` the server reads.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct InitOptions {
    include_dirs: Vec<PathBuf>,
    debounce_ms: Option<u64>,
}

/// An error that ends the session: the connection broke or the client
/// broke the protocol's lifecycle.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<lsp_server::ProtocolError> for Error {
    fn from(e: lsp_server::ProtocolError) -> Error {
        Error(e.to_string())
    }
}

/// The capabilities the server announces, for the negotiated encoding.
fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match enc {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![
                ".".into(),
                "@".into(),
                "(".into(),
                ",".into(),
                "\"".into(),
                "/".into(),
            ]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
        })),
        ..ServerCapabilities::default()
    }
}

/// Serves one session on `connection`: the initialize handshake, then
/// requests and notifications until `exit`. Returns an error if the client
/// exits without `shutdown`, or the connection breaks.
pub fn run(connection: &Connection, config: Config) -> Result<(), Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let enc = negotiate(&params);
    let result = lsp::InitializeResult {
        capabilities: capabilities(enc),
        server_info: Some(lsp::ServerInfo {
            name: "gsc lsp".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection.initialize_finish(
        id,
        serde_json::to_value(result).map_err(|e| Error(e.to_string()))?,
    )?;

    let mut world = World::default();
    #[allow(deprecated)]
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| convert::uri_to_path(&f.uri))
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        roots.extend(params.root_uri.as_ref().and_then(convert::uri_to_path));
    }
    let options: InitOptions = params
        .initialization_options
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let mut config = config;
    config.include_dirs.extend(options.include_dirs);
    if let Some(ms) = options.debounce_ms {
        config.debounce = Duration::from_millis(ms);
    }
    let base = roots.first().cloned().unwrap_or_default();
    world.include_dirs = config
        .include_dirs
        .iter()
        .map(|d| world::canonical(&base.join(d)))
        .collect();
    world.roots = roots;

    // Files changed on disk (a branch checked out, a file saved by another
    // program) change what the open documents import.
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    if watch {
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String("**/*.gs".into()),
                kind: None,
            }],
        };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "gsc-watch-schemas".into(),
                method: lsp::notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let _ = connection.sender.send(Message::Request(Request::new(
            RequestId::from("gsc-register-watchers".to_string()),
            lsp::request::RegisterCapability::METHOD.into(),
            params,
        )));
    }

    let mut server = Server {
        connection,
        world,
        enc,
        debounce: config.debounce,
        deadline: None,
        edited: Vec::new(),
        published: FxHashMap::default(),
        shut_down: false,
    };
    server.main_loop()
}

/// UTF-8 if the client offers it (no conversion), else the default UTF-16.
fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

struct Server<'a> {
    connection: &'a Connection,
    world: World,
    enc: Encoding,
    debounce: Duration,
    /// When the pending diagnostics are due.
    deadline: Option<Instant>,
    /// The documents edited since diagnostics were last published.
    edited: Vec<Uri>,
    /// What was last published for each document.
    published: FxHashMap<Uri, Vec<lsp::Diagnostic>>,
    shut_down: bool,
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), Error> {
        loop {
            let message = match self.deadline {
                Some(deadline) => {
                    let wait = deadline.saturating_duration_since(Instant::now());
                    match self.connection.receiver.recv_timeout(wait) {
                        Ok(message) => message,
                        Err(RecvTimeoutError::Timeout) => {
                            self.publish_diagnostics();
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => {
                            return Err(Error("the client disconnected".into()));
                        }
                    }
                }
                None => match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Err(Error("the client disconnected".into())),
                },
            };
            match message {
                Message::Request(req) => self.request(req),
                Message::Notification(not) => {
                    if not.method == lsp::notification::Exit::METHOD {
                        return if self.shut_down {
                            Ok(())
                        } else {
                            Err(Error("exit before shutdown".into()))
                        };
                    }
                    if !self.shut_down {
                        self.notification(not);
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // A closed connection ends the loop at the next receive.
        let _ = self.connection.sender.send(message.into());
    }

    fn request(&mut self, req: Request) {
        if self.shut_down {
            self.send(Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ));
            return;
        }
        if req.method == lsp::request::Shutdown::METHOD {
            self.shut_down = true;
            self.send(Response::new_ok(req.id, ()));
            return;
        }
        let id: RequestId = req.id.clone();
        let outcome = catch_unwind(AssertUnwindSafe(|| self.dispatch(req)));
        let response = match outcome {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "internal error (a bug of gsc lsp): the request failed".into(),
            ),
        };
        self.send(response);
    }

    fn dispatch(&mut self, req: Request) -> Result<Value, (ErrorCode, String)> {
        use lsp::request::{
            Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
            PrepareRenameRequest, References, Rename,
        };
        fn params<T: serde::de::DeserializeOwned>(req: Request) -> Result<T, (ErrorCode, String)> {
            serde_json::from_value(req.params)
                .map_err(|e| (ErrorCode::InvalidParams, format!("invalid params: {e}")))
        }
        fn json(v: impl serde::Serialize) -> Result<Value, (ErrorCode, String)> {
            serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
        }
        match req.method.as_str() {
            GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = params(req)?;
                json(self.definition(&p.text_document_position_params))
            }
            References::METHOD => {
                let p: lsp::ReferenceParams = params(req)?;
                json(self.references(&p))
            }
            HoverRequest::METHOD => {
                let p: lsp::HoverParams = params(req)?;
                json(self.hover(&p.text_document_position_params))
            }
            Completion::METHOD => {
                let p: lsp::CompletionParams = params(req)?;
                json(self.completion(&p.text_document_position))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = params(req)?;
                json(self.document_symbols(&p.text_document.uri))
            }
            Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams = params(req)?;
                json(self.format(&p.text_document.uri))
            }
            PrepareRenameRequest::METHOD => {
                let p: lsp::TextDocumentPositionParams = params(req)?;
                json(self.prepare_rename(&p))
            }
            Rename::METHOD => {
                let p: lsp::RenameParams = params(req)?;
                self.rename(&p).map(json)?
            }
            method => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method `{method}`"),
            )),
        }
    }

    fn notification(&mut self, not: Notification) {
        use lsp::notification::{
            DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
            DidOpenTextDocument, DidSaveTextDocument,
        };
        match not.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(not.params)
                else {
                    return;
                };
                let doc = p.text_document;
                let path = world::canonical(&world::uri_path(&doc.uri));
                self.world.docs.insert(
                    doc.uri.clone(),
                    Doc {
                        uri: doc.uri.clone(),
                        path,
                        text: doc.text,
                        version: doc.version,
                    },
                );
                self.edited(doc.uri);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(not.params)
                else {
                    return;
                };
                let enc = self.enc;
                let Some(doc) = self.world.docs.get_mut(&p.text_document.uri) else {
                    return;
                };
                for change in p.content_changes {
                    apply_change(&mut doc.text, change, enc);
                }
                doc.version = p.text_document.version;
                self.edited(p.text_document.uri);
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(not.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                self.world.docs.remove(&uri);
                self.world.changed();
                self.edited.retain(|u| u != &uri);
                self.published.remove(&uri);
                self.publish(uri, Vec::new(), None);
                self.schedule();
            }
            DidSaveTextDocument::METHOD | DidChangeWatchedFiles::METHOD => {
                // Files on disk that no buffer shadows may have changed.
                self.world.changed();
                self.schedule();
            }
            _ => {}
        }
    }

    fn edited(&mut self, uri: Uri) {
        self.world.changed();
        if !self.edited.contains(&uri) {
            self.edited.push(uri);
        }
        self.schedule();
    }

    fn schedule(&mut self) {
        self.deadline = Some(Instant::now() + self.debounce);
    }

    /// Analyzes every open document and publishes the diagnostics that
    /// changed, and those of the documents edited.
    fn publish_diagnostics(&mut self) {
        self.deadline = None;
        let uris: Vec<Uri> = self.world.docs.keys().cloned().collect();
        for uri in uris {
            let diagnostics =
                catch_unwind(AssertUnwindSafe(|| self.diagnostics(&uri))).unwrap_or_default();
            let edited = self.edited.contains(&uri);
            if !edited && self.published.get(&uri) == Some(&diagnostics) {
                continue;
            }
            self.published.insert(uri.clone(), diagnostics.clone());
            let version = self.world.docs.get(&uri).map(|d| d.version);
            self.publish(uri, diagnostics, version);
        }
        self.edited.clear();
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(
            lsp::notification::PublishDiagnostics::METHOD.into(),
            params,
        ));
    }

    /// The diagnostics of one open document.
    fn diagnostics(&self, uri: &Uri) -> Vec<lsp::Diagnostic> {
        let Some(doc) = self.world.docs.get(uri) else {
            return Vec::new();
        };
        let snap = self.world.open_documents();
        let Some((module, file)) = snap.module_at(&doc.path) else {
            return Vec::new();
        };
        let analysis = &snap.analysis;
        let mut out: Vec<lsp::Diagnostic> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.primary.span.file == file)
            .filter_map(|d| self.convert_diagnostic(&snap, d))
            .collect();
        // Errors in imported modules stop the schema from compiling: say so
        // at the import.
        for import in &analysis.modules[module].imports {
            let target = analysis.modules[import.module].file;
            let errors: Vec<&Diagnostic> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.is_error() && d.primary.span.file == target)
                .collect();
            let Some(first) = errors.first() else {
                continue;
            };
            let Some(range) = snap.range(import.span, self.enc) else {
                continue;
            };
            let n = errors.len();
            let plural = if n == 1 { "" } else { "s" };
            out.push(lsp::Diagnostic {
                range,
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                source: Some("gsc".into()),
                message: format!(
                    "module `{}` has {n} error{plural}; the first: {}",
                    import.name, first.message
                ),
                related_information: snap.location(first.primary.span, self.enc).map(|location| {
                    vec![lsp::DiagnosticRelatedInformation {
                        location,
                        message: first.message.clone(),
                    }]
                }),
                ..lsp::Diagnostic::default()
            });
        }
        out
    }

    fn convert_diagnostic(
        &self,
        snap: &world::Snapshot,
        d: &Diagnostic,
    ) -> Option<lsp::Diagnostic> {
        let range = snap.range(d.primary.span, self.enc)?;
        let mut message = d.message.clone();
        if !d.primary.message.is_empty() {
            message.push_str(&format!("\n{}", d.primary.message));
        }
        for note in &d.notes {
            message.push_str(&format!("\nnote: {note}"));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .secondary
            .iter()
            .filter_map(|l| {
                Some(lsp::DiagnosticRelatedInformation {
                    location: snap.location(l.span, self.enc)?,
                    message: if l.message.is_empty() {
                        "here".into()
                    } else {
                        l.message.clone()
                    },
                })
            })
            .collect();
        Some(lsp::Diagnostic {
            range,
            severity: Some(match d.severity {
                Severity::Error => lsp::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
            }),
            code: Some(lsp::NumberOrString::String(d.code.into())),
            source: Some("gsc".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..lsp::Diagnostic::default()
        })
    }

    /// The snapshot of a document, its module and file, and the byte offset of `pos`.
    fn at(
        &self,
        pos: &lsp::TextDocumentPositionParams,
    ) -> Option<(
        std::rc::Rc<world::Snapshot>,
        gslang_sema::ir::ModuleId,
        gslang_syntax::FileId,
        u32,
    )> {
        let doc = self.world.docs.get(&pos.text_document.uri)?;
        let snap = self.world.snapshot(&doc.path);
        let (module, file) = snap.module_at(&doc.path)?;
        let offset = convert::offset(snap.file(file)?, pos.position, self.enc);
        Some((snap, module, file, offset))
    }

    fn definition(
        &self,
        pos: &lsp::TextDocumentPositionParams,
    ) -> Option<lsp::GotoDefinitionResponse> {
        let (snap, _, file, offset) = self.at(pos)?;
        let (_, key) = snap.index.at(file, offset)?;
        let def = snap.index.defs.get(key)?;
        let location = snap.location(def.span, self.enc)?;
        Some(lsp::GotoDefinitionResponse::Scalar(location))
    }

    fn references(&self, p: &lsp::ReferenceParams) -> Option<Vec<lsp::Location>> {
        let (snap, _, file, offset) = self.at(&p.text_document_position)?;
        let (_, key) = snap.index.at(file, offset)?;
        let key = key.clone();
        let workspace = self.world.workspace();
        let def_span = workspace.index.defs.get(&key).map(|d| d.span);
        let mut spans: Vec<gslang_syntax::Span> = workspace
            .index
            .references(&key)
            .filter(|s| p.context.include_declaration || Some(*s) != def_span)
            .collect();
        spans.sort_by_key(|s| (s.file, s.start));
        spans.dedup();
        let mut out: Vec<lsp::Location> = spans
            .into_iter()
            .filter_map(|s| workspace.location(s, self.enc))
            .collect();
        out.sort_by(|a, b| {
            (a.uri.as_str(), a.range.start.line, a.range.start.character).cmp(&(
                b.uri.as_str(),
                b.range.start.line,
                b.range.start.character,
            ))
        });
        Some(out)
    }

    /// The name at the cursor, if it can be renamed: a declaration, field,
    /// enum value or method of a file (not a module, nor a built-in).
    fn renamable(
        &self,
        pos: &lsp::TextDocumentPositionParams,
    ) -> Option<(
        std::rc::Rc<world::Snapshot>,
        gslang_syntax::Span,
        index::Key,
    )> {
        let (snap, _, file, offset) = self.at(pos)?;
        let (span, key) = snap.index.at(file, offset)?;
        match key {
            index::Key::Decl(index::ModKey::File(_), _)
            | index::Key::Member(index::ModKey::File(_), _, _) => {}
            _ => return None,
        }
        let key = key.clone();
        Some((snap, span, key))
    }

    fn prepare_rename(
        &self,
        pos: &lsp::TextDocumentPositionParams,
    ) -> Option<lsp::PrepareRenameResponse> {
        let (snap, span, _) = self.renamable(pos)?;
        Some(lsp::PrepareRenameResponse::Range(
            snap.range(span, self.enc)?,
        ))
    }

    /// Renames a declaration or member everywhere in the workspace.
    // `WorkspaceEdit::changes` is keyed by `Uri`, whose cached parse clippy
    // takes for interior mutability; its hash and equality are of the text.
    #[allow(clippy::mutable_key_type)]
    fn rename(
        &self,
        p: &lsp::RenameParams,
    ) -> Result<Option<lsp::WorkspaceEdit>, (ErrorCode, String)> {
        let name = p.new_name.as_str();
        let is_identifier = name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        let is_keyword = gslang_syntax::Scalar::from_keyword(name).is_some()
            || [
                "import", "table", "struct", "enum", "contract", "true", "false",
            ]
            .contains(&name);
        if !is_identifier || is_keyword {
            return Err((
                ErrorCode::InvalidParams,
                format!("`{name}` is not a gslang identifier"),
            ));
        }
        let Some((_, _, key)) = self.renamable(&p.text_document_position) else {
            return Ok(None);
        };
        let workspace = self.world.workspace();
        let mut changes: std::collections::HashMap<Uri, Vec<lsp::TextEdit>> =
            std::collections::HashMap::new();
        let mut spans: Vec<gslang_syntax::Span> = workspace.index.references(&key).collect();
        spans.sort_by_key(|s| (s.file, s.start));
        spans.dedup();
        for span in spans {
            if let Some(location) = workspace.location(span, self.enc) {
                changes
                    .entry(location.uri)
                    .or_default()
                    .push(lsp::TextEdit::new(location.range, name.to_string()));
            }
        }
        Ok(Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..lsp::WorkspaceEdit::default()
        }))
    }

    fn hover(&self, pos: &lsp::TextDocumentPositionParams) -> Option<lsp::Hover> {
        let (snap, _, file, offset) = self.at(pos)?;
        let Some((span, key)) = snap.index.at(file, offset) else {
            let (span, text) = hover::builtin_type(snap.file(file)?, file, offset)?;
            return Some(lsp::Hover {
                contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: text,
                }),
                range: snap.range(span, self.enc),
            });
        };
        let def = snap.index.defs.get(key)?;
        let text = hover::hover(&snap, key, def)?;
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: text,
            }),
            range: snap.range(span, self.enc),
        })
    }

    fn completion(&self, pos: &lsp::TextDocumentPositionParams) -> Option<lsp::CompletionResponse> {
        let (snap, module, file, offset) = self.at(pos)?;
        let source = snap.file(file)?;
        let completions = completion::complete(
            &snap,
            module,
            &source.text,
            offset as usize,
            &self.world.include_dirs,
        );
        let mut items = completions.items;
        if let Some(from) = completions.replace_from {
            let range = lsp::Range::new(
                convert::position(source, from as u32, self.enc),
                convert::position(source, offset, self.enc),
            );
            for item in &mut items {
                item.text_edit = Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                    range,
                    item.label.clone(),
                )));
            }
        }
        Some(lsp::CompletionResponse::Array(items))
    }

    fn document_symbols(&self, uri: &Uri) -> Option<lsp::DocumentSymbolResponse> {
        let doc = self.world.docs.get(uri)?;
        let mut sources = gslang_syntax::SourceMap::new();
        let id = sources
            .add("doc.gs", None, doc.text.as_bytes().to_vec())
            .ok()?;
        let parsed = gslang_syntax::parse(id, sources.file(id));
        Some(lsp::DocumentSymbolResponse::Nested(
            symbols::document_symbols(sources.file(id), &parsed.file, self.enc),
        ))
    }

    fn format(&self, uri: &Uri) -> Option<Vec<lsp::TextEdit>> {
        let doc = self.world.docs.get(uri)?;
        let mut sources = gslang_syntax::SourceMap::new();
        let id = sources
            .add("doc.gs", None, doc.text.as_bytes().to_vec())
            .ok()?;
        symbols::format(sources.file(id), self.enc)
    }
}

/// Applies one change of `textDocument/didChange` to a buffer.
fn apply_change(text: &mut String, change: lsp::TextDocumentContentChangeEvent, enc: Encoding) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let mut sources = gslang_syntax::SourceMap::new();
    // Offsets are computed on the text as the client sees it, BOM included:
    // the source map would drop it.
    let Ok(id) = sources.add("doc", None, text.as_bytes().to_vec()) else {
        return;
    };
    let file = sources.file(id);
    let bom = file.disk_offset(0) as usize;
    let start = convert::offset(file, range.start, enc) as usize + bom;
    let end = (convert::offset(file, range.end, enc) as usize + bom).max(start);
    if text.is_char_boundary(start) && end <= text.len() && text.is_char_boundary(end) {
        text.replace_range(start..end, &change.text);
    }
}
