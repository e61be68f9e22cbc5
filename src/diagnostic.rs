//! What a rule finds: a diagnostic with its rule, severity, spans, labels and help.
//! Plain data; turning it into text is `report/`'s job.

use std::path::PathBuf;
use std::sync::Arc;

use crate::fs;
use crate::plan::Span;
use crate::rules::registry::{Rule, Severity};
use crate::source::SourceFile;

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// Where the caret goes; `None` for a finding about the file as a whole.
    pub span: Option<Span>,
    /// Further spans in the same file, each with what it shows.
    pub labels: Vec<Label>,
    /// Places in other files that the finding involves (a task file, the other plan).
    pub related: Vec<Related>,
}

/// A place in another file, shown as a second snippet.
#[derive(Debug, Clone)]
pub struct Related {
    pub file: FileRef,
    pub span: Option<Span>,
    pub message: String,
}

/// The file a related place is in: its text at hand, or its name and where to read it when
/// the finding is written (completion-path.json can be megabytes, and a run should not hold
/// it, or another plan, for one snippet).
#[derive(Debug, Clone)]
pub enum FileRef {
    Kept(Arc<SourceFile>),
    OnDisk {
        name: String,
        path: PathBuf,
        kind: OnDiskKind,
    },
}

/// What a file read again for a finding is.
#[derive(Debug, Clone)]
pub enum OnDiskKind {
    /// A plan, whose spans count from after a byte order mark.
    Plan,
    /// A project file, whose spans count from its first byte, read only when it lies within
    /// its management folder `root` (links resolved), as when it was loaded.
    ProjectFile { root: PathBuf },
}

impl FileRef {
    /// The file's name as reported.
    pub fn name(&self) -> &str {
        match self {
            FileRef::Kept(source) => &source.path,
            FileRef::OnDisk { name, .. } => name,
        }
    }

    /// The file with its text, reading it again if it is on disk: what was read earlier and
    /// let go. Unreadable or changed since, it shows what it can; spans are clamped to the
    /// text.
    pub fn load(&self) -> Arc<SourceFile> {
        match self {
            FileRef::Kept(source) => Arc::clone(source),
            FileRef::OnDisk { name, path, kind } => {
                let (text, text_start) = match kind {
                    OnDiskKind::Plan => {
                        let text = fs::read_again(path, fs::PLAN_LIMIT, None);
                        match text.strip_prefix('\u{FEFF}') {
                            Some(after_bom) => (after_bom.to_string(), '\u{FEFF}'.len_utf8()),
                            None => (text, 0),
                        }
                    }
                    OnDiskKind::ProjectFile { root } => {
                        (fs::read_again(path, fs::PROJECT_FILE_LIMIT, Some(root)), 0)
                    }
                };
                Arc::new(SourceFile::new(name.clone(), text).starting_at(text_start))
            }
        }
    }
}

impl From<Arc<SourceFile>> for FileRef {
    fn from(source: Arc<SourceFile>) -> Self {
        FileRef::Kept(source)
    }
}

#[derive(Debug, Clone)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn related(
        &mut self,
        file: impl Into<FileRef>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> &mut Self {
        self.related.push(Related {
            file: file.into(),
            span,
            message: message.into(),
        });
        self
    }

    /// The order every report uses: by offset, then code (path order is the caller's).
    pub fn sort_key(&self) -> (usize, &'static str) {
        (self.span.map_or(0, |s| s.start), self.rule.code)
    }
}
