//! `plancheck server`: a language server over the command's standard streams. Each open
//! plan is checked as the user types, by [`Linter::check_text`] against its project as the
//! disk holds it: the same findings as `check`, placed as LSP places them.
//!
//! One thread answers the messages in the order they come: a plan is checked in far less
//! time than an editor waits between keystrokes, so nothing is gained by checking in the
//! background, and answers in order need no locking.

mod actions;
mod completion;
mod diagnostics;
mod navigation;
mod position;

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as ask, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, InitializeParams,
    InitializeResult, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};

use crate::diagnostic::Diagnostic;
use crate::discover::Input;
use crate::linter::Linter;
use crate::project::Project;
use crate::settings::Settings;

/// How the server's session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// `exit` after `shutdown`, as the protocol asks.
    Cleanly,
    /// `exit` with no `shutdown` before it, or the input closed: LSP's exit code 1.
    Abruptly,
}

/// The settings of the workspace at a root folder (`None`: the client named none), and
/// what to tell the user when its config file could not be used.
pub type SettingsOf<'a> = dyn FnMut(Option<&Path>) -> (Settings, Option<String>) + 'a;

/// Serves one client from `input` to `output` until it says `exit` or goes away.
pub fn serve(
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    mut settings_of: Box<SettingsOf<'_>>,
) -> io::Result<Ended> {
    let Some((id, params)) = wait_for_initialize(input, output)? else {
        return Ok(Ended::Abruptly);
    };
    let root = workspace_root(&params);
    let (settings, trouble) = settings_of(root.as_deref());
    let mut server = Server {
        linter: Linter::new(settings),
        settings_of,
        root,
        can_watch: can_watch(&params),
        documents: BTreeMap::new(),
        pool: rayon::ThreadPoolBuilder::new()
            .build()
            .map_err(io::Error::other)?,
        out: output,
        shutting_down: false,
    };
    server.send(Response::new_ok(id, initialize_result()))?;
    if let Some(message) = trouble {
        server.notify::<notify::ShowMessage>(lsp_types::ShowMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message,
        })?;
    }
    while let Some(message) = Message::read(&mut &mut *input)? {
        match message {
            Message::Request(request) => server.answer(request)?,
            Message::Notification(note) if note.method == notify::Exit::METHOD => {
                return Ok(if server.shutting_down {
                    Ended::Cleanly
                } else {
                    Ended::Abruptly
                });
            }
            Message::Notification(note) => server.hear(note)?,
            // Answers to the server's own requests carry nothing it waits for.
            Message::Response(_) => {}
        }
    }
    Ok(Ended::Abruptly)
}

/// Reads until the client's `initialize`, answering anything before it as the protocol
/// says; `None` when the client leaves first.
fn wait_for_initialize(
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> io::Result<Option<(RequestId, InitializeParams)>> {
    while let Some(message) = Message::read(&mut &mut *input)? {
        match message {
            Message::Request(request) if request.method == ask::Initialize::METHOD => {
                match serde_json::from_value(request.params) {
                    Ok(params) => return Ok(Some((request.id, params))),
                    Err(error) => Message::from(Response::new_err(
                        request.id,
                        ErrorCode::InvalidParams as i32,
                        error.to_string(),
                    ))
                    .write(&mut &mut *output)?,
                }
            }
            Message::Request(request) => Message::from(Response::new_err(
                request.id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized yet".to_string(),
            ))
            .write(&mut &mut *output)?,
            Message::Notification(note) if note.method == notify::Exit::METHOD => return Ok(None),
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
    Ok(None)
}

/// The folder the client opened: where the config file is looked for from.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri);
    #[allow(deprecated, reason = "older clients send only the root URI")]
    let uri = folder.or(params.root_uri.as_ref());
    uri.and_then(position::path_of)
}

fn initialize_result() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::from(actions::FIX_ALL),
                ]),
                ..CodeActionOptions::default()
            })),
            completion_provider: Some(lsp_types::CompletionOptions::default()),
            hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
            definition_provider: Some(lsp_types::OneOf::Left(true)),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "plancheck".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    }
}

/// Whether the client lets the server ask it to watch files.
fn can_watch(params: &InitializeParams) -> bool {
    let watched = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|workspace| workspace.did_change_watched_files.as_ref());
    watched.and_then(|w| w.dynamic_registration) == Some(true)
}

/// The files whose change changes what an open plan is checked against: the project files,
/// the other plans, and the config file.
const WATCHED: [&str; 4] = [
    "**/*.json",
    "**/*.md",
    "**/plancheck.toml",
    "**/.plancheck.toml",
];

/// The id of the one request the server makes: the watchers' registration.
const REGISTER_WATCHERS: &str = "plancheck/watch";

struct Server<'o> {
    linter: Linter,
    settings_of: Box<SettingsOf<'o>>,
    /// The workspace folder the client opened, where the config file is found from.
    root: Option<PathBuf>,
    can_watch: bool,
    documents: BTreeMap<Uri, Document>,
    pool: rayon::ThreadPool,
    out: &'o mut dyn Write,
    shutting_down: bool,
}

/// An open plan: the text the editor holds, and what its last check found.
struct Document {
    /// Where it stands on disk; `None` for a buffer with no file (checked alone).
    path: Option<PathBuf>,
    version: i32,
    text: String,
    /// Its project as loaded when the plan was opened.
    project: Option<Project>,
    /// The findings in `text`, whose spans start `text_start` bytes in (after a BOM).
    findings: Vec<Diagnostic>,
    text_start: usize,
}

impl Document {
    /// The text a plan is read from (after a BOM) and the bytes before it: a plan's spans
    /// count from there.
    fn plan_text(&self) -> (usize, &str) {
        let start = crate::rules::file::skipped_bytes(self.text.as_bytes());
        (start, self.text.get(start..).unwrap_or_default())
    }

    /// Its file's name, which tells a plan's kind.
    fn file_name(&self) -> Option<&str> {
        self.path.as_deref()?.file_name()?.to_str()
    }
}

impl Server<'_> {
    fn send(&mut self, message: impl Into<Message>) -> io::Result<()> {
        message.into().write(&mut self.out)
    }

    fn notify<N: notify::Notification>(&mut self, params: N::Params) -> io::Result<()> {
        self.send(Notification::new(N::METHOD.to_string(), params))
    }

    fn answer(&mut self, request: Request) -> io::Result<()> {
        let id = request.id.clone();
        if self.shutting_down {
            return self.send(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_string(),
            ));
        }
        match request.method.as_str() {
            ask::Shutdown::METHOD => {
                self.shutting_down = true;
                self.send(Response::new_ok(id, ()))
            }
            ask::CodeActionRequest::METHOD => {
                let Some(params) = self.params_of::<ask::CodeActionRequest>(request)? else {
                    return Ok(());
                };
                let actions = self
                    .documents
                    .get(&params.text_document.uri)
                    .map(|document| actions::for_range(&params, document, &self.linter));
                self.send(Response::new_ok(id, actions))
            }
            ask::HoverRequest::METHOD => {
                let Some(params) = self.params_of::<ask::HoverRequest>(request)? else {
                    return Ok(());
                };
                let hover = self.at(&params.text_document_position_params, navigation::hover);
                self.send(Response::new_ok(id, hover))
            }
            ask::Completion::METHOD => {
                let Some(params) = self.params_of::<ask::Completion>(request)? else {
                    return Ok(());
                };
                let items = self
                    .at(
                        &params.text_document_position,
                        |document, offset, schema| Some(completion::at(document, offset, schema)),
                    )
                    .unwrap_or_default();
                self.send(Response::new_ok(id, items))
            }
            ask::GotoDefinition::METHOD => {
                let Some(params) = self.params_of::<ask::GotoDefinition>(request)? else {
                    return Ok(());
                };
                let found = self.at(
                    &params.text_document_position_params,
                    navigation::definition,
                );
                let found = found.map(lsp_types::GotoDefinitionResponse::Scalar);
                self.send(Response::new_ok(id, found))
            }
            _ => self.send(Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("plancheck does not answer `{}`", request.method),
            )),
        }
    }

    /// What `find` makes of the place `at` of an open plan; `None` when it is not open.
    fn at<T>(
        &self,
        at: &lsp_types::TextDocumentPositionParams,
        find: impl FnOnce(&Document, usize, &crate::schema::Schema) -> Option<T>,
    ) -> Option<T> {
        let document = self.documents.get(&at.text_document.uri)?;
        let lines = crate::source::SourceFile::new(String::new(), document.text.clone());
        let offset = position::Positions::new(&lines).offset(at.position);
        find(document, offset, &self.linter.settings.schema)
    }

    /// A request's parameters; `None` when they are not what the protocol says, and the
    /// client was told so.
    fn params_of<R: ask::Request>(&mut self, request: Request) -> io::Result<Option<R::Params>> {
        let id = request.id.clone();
        match request.extract(R::METHOD) {
            Ok((_, params)) => Ok(Some(params)),
            Err(error) => {
                self.send(Response::new_err(
                    id,
                    ErrorCode::InvalidParams as i32,
                    error.to_string(),
                ))?;
                Ok(None)
            }
        }
    }

    fn hear(&mut self, note: Notification) -> io::Result<()> {
        match note.method.as_str() {
            notify::Initialized::METHOD if self.can_watch => {
                let watchers = WATCHED.map(|glob| lsp_types::FileSystemWatcher {
                    glob_pattern: lsp_types::GlobPattern::String(glob.to_string()),
                    kind: None,
                });
                let registration = lsp_types::Registration {
                    id: "plancheck-project-files".to_string(),
                    method: notify::DidChangeWatchedFiles::METHOD.to_string(),
                    register_options: serde_json::to_value(
                        lsp_types::DidChangeWatchedFilesRegistrationOptions {
                            watchers: watchers.to_vec(),
                        },
                    )
                    .ok(),
                };
                self.send(Request::new(
                    RequestId::from(REGISTER_WATCHERS.to_string()),
                    ask::RegisterCapability::METHOD.to_string(),
                    lsp_types::RegistrationParams {
                        registrations: vec![registration],
                    },
                ))
            }
            notify::DidChangeWatchedFiles::METHOD => {
                // Which file changed matters not: a plan's template may be any `.md`.
                self.reload()
            }
            notify::DidOpenTextDocument::METHOD => {
                let Some(params) = params_of::<notify::DidOpenTextDocument>(note) else {
                    return Ok(());
                };
                let document = params.text_document;
                let path = position::path_of(&document.uri).map(|p| crate::fs::absolute(&p));
                let project = path.as_deref().and_then(|path| self.project_of(path));
                self.documents.insert(
                    document.uri.clone(),
                    Document {
                        path,
                        version: document.version,
                        text: document.text,
                        project,
                        findings: Vec::new(),
                        text_start: 0,
                    },
                );
                self.check(&document.uri)
            }
            notify::DidChangeTextDocument::METHOD => {
                let Some(params) = params_of::<notify::DidChangeTextDocument>(note) else {
                    return Ok(());
                };
                let uri = params.text_document.uri;
                let Some(document) = self.documents.get_mut(&uri) else {
                    return Ok(());
                };
                // Full sync: each change holds the whole text; the last one is the newest.
                if let Some(change) = params.content_changes.into_iter().last() {
                    document.text = change.text;
                }
                document.version = params.text_document.version;
                self.check(&uri)
            }
            notify::DidCloseTextDocument::METHOD => {
                let Some(params) = params_of::<notify::DidCloseTextDocument>(note) else {
                    return Ok(());
                };
                let uri = params.text_document.uri;
                if self.documents.remove(&uri).is_some() {
                    self.notify::<notify::PublishDiagnostics>(PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: None,
                    })?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Loads again what the open plans are checked against, the settings and their
    /// projects, and checks them all again.
    fn reload(&mut self) -> io::Result<()> {
        let (settings, trouble) = (self.settings_of)(self.root.as_deref());
        self.linter = Linter::new(settings);
        if let Some(message) = trouble {
            self.notify::<notify::ShowMessage>(lsp_types::ShowMessageParams {
                typ: lsp_types::MessageType::ERROR,
                message,
            })?;
        }
        let uris: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in &uris {
            let path = self.documents.get(uri).and_then(|d| d.path.clone());
            let project = path.as_deref().and_then(|path| self.project_of(path));
            if let Some(document) = self.documents.get_mut(uri) {
                document.project = project;
            }
            self.check(uri)?;
        }
        Ok(())
    }

    /// The project the plan at `path` stands in, loaded from disk as `check` loads it for
    /// that plan: the plan's own file there is not among its other plans.
    fn project_of(&self, path: &Path) -> Option<Project> {
        if !self.linter.rules.needs_project() {
            return None;
        }
        let inputs = [Input::File {
            path: path.to_path_buf(),
            sniff: false,
        }];
        let (mut projects, root_of) = self.linter.load_projects(&inputs, &self.pool);
        let at = root_of.first().copied().flatten()?;
        let mut project = projects.swap_remove(at);
        project.index_plans();
        Some(project)
    }

    /// Checks the open plan `uri` names and publishes what is found.
    fn check(&mut self, uri: &Uri) -> io::Result<()> {
        let Some(document) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        let report = self.linter.check_text(
            document.path.as_deref(),
            document.text.clone().into_bytes(),
            document.project.as_ref(),
        );
        (document.findings, document.text_start) = match report {
            Some(report) => {
                let text_start = report.source().text_start;
                (report.diagnostics, text_start)
            }
            None => (Vec::new(), 0),
        };
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: diagnostics::to_lsp(uri, document),
            version: Some(document.version),
        };
        self.notify::<notify::PublishDiagnostics>(params)
    }
}

/// A notification's parameters; `None` when they are not what the protocol says (the
/// notification is dropped: LSP has no way to answer one).
fn params_of<N: notify::Notification>(note: Notification) -> Option<N::Params> {
    note.extract(N::METHOD).ok()
}
