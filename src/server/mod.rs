//! `plancheck server`: a language server over the command's standard streams. Each open
//! plan is checked as the user types, by [`Linter::check_text`] against its project as the
//! disk holds it: the same findings as `check`, placed as LSP places them.
//!
//! One thread answers the messages in the order they come: a plan is checked in far less
//! time than an editor waits between keystrokes, so nothing is gained by checking in the
//! background, and answers in order need no locking. Another only reads the client's
//! messages, so that the disk's changes, seen by a watcher of the server's own when the
//! client watches no file for it, join them in one queue.
//!
//! The open plans of one project share it: it is loaded when the first is opened, again
//! when a file the checks read changes (once a burst of changes settles), and let go when
//! the last is closed.

mod actions;
mod completion;
mod diagnostics;
mod navigation;
mod position;
mod watch;

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::rc::{Rc, Weak};
use std::sync::mpsc::{self, Receiver, Sender};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as ask, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, InitializeParams,
    InitializeResult, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};

use crate::diagnostic::Diagnostic;
use crate::linter::Linter;
use crate::project::{self, Project};
use crate::settings::Settings;
use crate::watching::{Next, Settling};
use watch::{can_watch, DiskWatch};

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
    input: &mut (dyn BufRead + Send),
    output: &mut dyn Write,
    mut settings_of: Box<SettingsOf<'_>>,
) -> io::Result<Ended> {
    let Some((id, params)) = wait_for_initialize(input, output)? else {
        return Ok(Ended::Abruptly);
    };
    let root = workspace_root(&params);
    let (settings, trouble) = settings_of(root.as_deref());
    std::thread::scope(|scope| {
        let (sender, incoming) = mpsc::channel();
        let from_client = sender.clone();
        // Joined as the session ends: it stops at `exit`, at the end of the input, or (the
        // client gone) at the end of its read.
        scope.spawn(move || read_messages(input, &from_client));
        let mut server = Server {
            linter: Linter::new(settings),
            settings_of,
            root,
            client_watches: can_watch(&params),
            disk: None,
            documents: BTreeMap::new(),
            projects: BTreeMap::new(),
            settling: Settling::default(),
            pool: rayon::ThreadPoolBuilder::new()
                .build()
                .map_err(io::Error::other)?,
            out: output,
            shutting_down: false,
        };
        server.send(Response::new_ok(id, initialize_result()))?;
        if let Some(message) = trouble {
            server.show(lsp_types::MessageType::ERROR, message)?;
        }
        if !server.client_watches {
            server.watch_the_disk(sender)?;
        }
        server.run(&incoming)
    })
}

/// What the server hears next: the client, or the disk.
enum Incoming {
    Message(Message),
    /// Files a check reads changed on disk (an empty list: perhaps any of them).
    Changed(Vec<PathBuf>),
    /// The client's input ended.
    Ended,
    Unreadable(io::Error),
}

/// Hands on the client's messages until `exit` or the end of `input`.
fn read_messages(input: &mut (dyn BufRead + Send), to: &Sender<Incoming>) {
    loop {
        let (incoming, last) = match Message::read(&mut &mut *input) {
            Ok(Some(message)) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == notify::Exit::METHOD);
                (Incoming::Message(message), exit)
            }
            Ok(None) => (Incoming::Ended, true),
            Err(error) => (Incoming::Unreadable(error), true),
        };
        if to.send(incoming).is_err() || last {
            return;
        }
    }
}

/// Reads until the client's `initialize`, answering anything before it as the protocol
/// says; `None` when the client leaves first.
fn wait_for_initialize(
    input: &mut (dyn BufRead + Send),
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

struct Server<'o> {
    linter: Linter,
    settings_of: Box<SettingsOf<'o>>,
    /// The workspace folder the client opened, where the config file is found from.
    root: Option<PathBuf>,
    /// Whether the client watches the files for the server (it said it may be asked to).
    client_watches: bool,
    /// The server's own watch of the disk, when the client watches no file for it.
    disk: Option<DiskWatch>,
    documents: BTreeMap<Uri, Document>,
    /// The project of each open plan, by its root, once: it lives as long as one of them.
    projects: BTreeMap<PathBuf, Weak<Project>>,
    /// The disk's changes, read again once they settle.
    settling: Settling,
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
    /// Its project, shared with the other open plans in it.
    project: Option<Rc<Project>>,
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

    /// Tells the user `message`: an editor has no terminal to show it on.
    fn show(&mut self, typ: lsp_types::MessageType, message: String) -> io::Result<()> {
        self.notify::<notify::ShowMessage>(lsp_types::ShowMessageParams { typ, message })
    }

    /// Answers what comes in, in order, until the client says `exit` or goes away.
    fn run(&mut self, incoming: &Receiver<Incoming>) -> io::Result<Ended> {
        loop {
            match self.settling.next(incoming) {
                Next::Item(Incoming::Message(Message::Request(request))) => self.answer(request)?,
                Next::Item(Incoming::Message(Message::Notification(note)))
                    if note.method == notify::Exit::METHOD =>
                {
                    return Ok(if self.shutting_down {
                        Ended::Cleanly
                    } else {
                        Ended::Abruptly
                    });
                }
                Next::Item(Incoming::Message(Message::Notification(note))) => self.hear(note)?,
                // Answers to the server's own requests carry nothing it waits for.
                Next::Item(Incoming::Message(Message::Response(_))) => {}
                Next::Item(Incoming::Changed(files)) => self.changed(&files),
                Next::Settled => self.reload()?,
                Next::Item(Incoming::Unreadable(error)) => return Err(error),
                Next::Item(Incoming::Ended) | Next::Closed => return Ok(Ended::Abruptly),
            }
        }
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
            notify::Initialized::METHOD if self.client_watches => self.ask_the_client_to_watch(),
            notify::DidChangeWatchedFiles::METHOD => {
                let Some(params) = params_of::<notify::DidChangeWatchedFiles>(note) else {
                    return Ok(());
                };
                // A change at a place that is no file may be to any.
                let files: Option<Vec<PathBuf>> = (params.changes.iter())
                    .map(|change| position::path_of(&change.uri))
                    .collect();
                self.changed(&files.unwrap_or_default());
                Ok(())
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
                self.rewatch()?;
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
                    self.projects
                        .retain(|_, project| project.strong_count() > 0);
                    self.rewatch()?;
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
        // Nothing is said after `shutdown`.
        if self.shutting_down {
            return Ok(());
        }
        let (settings, trouble) = (self.settings_of)(self.root.as_deref());
        self.linter = Linter::new(settings);
        if let Some(message) = trouble {
            self.show(lsp_types::MessageType::ERROR, message)?;
        }
        self.projects.clear();
        let uris: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in &uris {
            let path = self.documents.get(uri).and_then(|d| d.path.clone());
            let project = path.as_deref().and_then(|path| self.project_of(path));
            if let Some(document) = self.documents.get_mut(uri) {
                document.project = project;
            }
        }
        self.rewatch()?;
        for uri in &uris {
            self.check(uri)?;
        }
        Ok(())
    }

    /// The project the plan at `path` stands in: an open plan's, or loaded from disk.
    fn project_of(&mut self, path: &Path) -> Option<Rc<Project>> {
        if !self.linter.rules.needs_project() {
            return None;
        }
        let root = project::find_root(path, &self.linter.settings.project)?;
        let root = crate::fs::absolute(&root);
        if let Some(open) = self.projects.get(&root).and_then(Weak::upgrade) {
            return Some(open);
        }
        let project = Rc::new(self.linter.load_project(&root, &self.pool));
        self.projects.insert(root, Rc::downgrade(&project));
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
            document.project.as_deref(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "fixtures/rules/PC501/pass/projectManagement";

    fn server(out: &mut Vec<u8>) -> Server<'_> {
        Server {
            linter: Linter::new(Settings::every_rule()),
            settings_of: Box::new(|_| (Settings::every_rule(), None)),
            root: None,
            client_watches: true,
            disk: None,
            documents: BTreeMap::new(),
            projects: BTreeMap::new(),
            settling: Settling::default(),
            pool: rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap(),
            out,
            shutting_down: false,
        }
    }

    fn note<N: notify::Notification>(params: N::Params) -> Notification {
        Notification::new(N::METHOD.to_string(), params)
    }

    fn open(server: &mut Server<'_>, uri: &Uri) {
        let text = "# Implementation Plan: M01 - User Auth\n".to_string();
        let item = lsp_types::TextDocumentItem::new(uri.clone(), "markdown".into(), 1, text);
        let params = lsp_types::DidOpenTextDocumentParams {
            text_document: item,
        };
        server
            .hear(note::<notify::DidOpenTextDocument>(params))
            .unwrap();
    }

    fn close(server: &mut Server<'_>, uri: &Uri) {
        let params = lsp_types::DidCloseTextDocumentParams {
            text_document: lsp_types::TextDocumentIdentifier::new(uri.clone()),
        };
        server
            .hear(note::<notify::DidCloseTextDocument>(params))
            .unwrap();
    }

    fn project_of<'s>(server: &'s Server<'_>, uri: &Uri) -> &'s Rc<Project> {
        server.documents[uri].project.as_ref().unwrap()
    }

    /// Two plans of one project hold one copy of it, loaded again once for both, and let go
    /// with the last of them.
    #[test]
    fn the_open_plans_of_a_project_share_it_until_the_last_is_closed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
        let plans = root.join("Implementations/active");
        // The second is a buffer of a new plan, not yet on disk.
        let [first, second] = ["M01-v1-user-auth.md", "M02-v1-sessions.md"]
            .map(|name| position::uri_of(&plans.join(name)).unwrap());
        let mut out = Vec::new();
        let mut server = server(&mut out);
        open(&mut server, &first);
        open(&mut server, &second);
        assert!(Rc::ptr_eq(
            project_of(&server, &first),
            project_of(&server, &second)
        ));
        let roots = vec![root];
        assert_eq!(server.project_roots(), roots);

        let before = Rc::clone(project_of(&server, &first));
        server.reload().unwrap();
        let after = project_of(&server, &first);
        assert!(!Rc::ptr_eq(&before, after));
        assert!(Rc::ptr_eq(after, project_of(&server, &second)));
        drop(before);

        close(&mut server, &first);
        assert_eq!(server.project_roots(), roots);
        close(&mut server, &second);
        assert!(server.projects.is_empty());
    }
}
