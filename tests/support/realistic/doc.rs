//! A plan as it is written, line by line: each line knows the style that wrote it, the
//! references the spec says it holds, and the findings planted on it.

/// What a reference names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RefKind {
    Task,
    Flow,
    FlowFile,
    Theme,
}

impl RefKind {
    /// The code of the finding for an unknown one.
    pub fn code(self) -> &'static str {
        match self {
            RefKind::Task => "PC501",
            RefKind::Flow => "PC503",
            RefKind::FlowFile => "PC504",
            RefKind::Theme => "PC505",
        }
    }
}

/// A reference the spec's reading of a line finds.
#[derive(Clone, Debug)]
pub struct Ref {
    pub kind: RefKind,
    pub name: String,
}

pub fn flow(name: &str) -> Ref {
    Ref {
        kind: RefKind::Flow,
        name: name.to_string(),
    }
}
pub fn flow_file(name: &str) -> Ref {
    Ref {
        kind: RefKind::FlowFile,
        name: name.to_string(),
    }
}
pub fn theme(name: &str) -> Ref {
    Ref {
        kind: RefKind::Theme,
        name: name.to_string(),
    }
}
pub fn task(name: &str) -> Ref {
    Ref {
        kind: RefKind::Task,
        name: name.to_string(),
    }
}

/// A finding the plan must get on a line.
#[derive(Clone, Debug)]
pub struct Expect {
    pub code: &'static str,
    /// Text the finding's help must hold (the known id or the right spelling).
    pub help: Option<String>,
}

/// Where a line stands in the template, so that a planted mistake can find it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tag {
    Body,
    Title,
    /// A metadata bullet, by the field's template name.
    Field(&'static str),
    /// A heading, by its template name (`Strategy`, `Quality Gates`).
    Heading(&'static str),
    /// A phase heading, by number.
    Phase(usize),
    /// A phase's bold field, by phase number and field name.
    PhaseField(usize, &'static str),
}

#[derive(Clone, Debug)]
pub struct Line {
    pub text: String,
    pub style: &'static str,
    pub tag: Tag,
    pub refs: Vec<Ref>,
    pub expect: Vec<Expect>,
}

impl Line {
    pub fn new(style: &'static str, text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            style,
            tag: Tag::Body,
            refs: Vec::new(),
            expect: Vec::new(),
        }
    }

    pub fn tagged(mut self, tag: Tag) -> Line {
        self.tag = tag;
        self
    }

    pub fn refs(mut self, refs: impl IntoIterator<Item = Ref>) -> Line {
        self.refs.extend(refs);
        self
    }
}

/// A list item of one or more lines (a nested list is lines of its own).
pub type Item = Vec<Line>;

#[derive(Default)]
pub struct Doc {
    pub lines: Vec<Line>,
}

impl Doc {
    pub fn push(&mut self, line: Line) {
        self.lines.push(line);
    }

    pub fn text(&mut self, style: &'static str, text: impl Into<String>) {
        self.lines.push(Line::new(style, text));
    }

    pub fn blank(&mut self) {
        self.text("blank", "");
    }

    pub fn extend(&mut self, lines: impl IntoIterator<Item = Line>) {
        self.lines.extend(lines);
    }

    pub fn find(&self, tag: Tag) -> Option<usize> {
        self.lines.iter().position(|l| l.tag == tag)
    }

    /// The line holding `tag`; a plant asks only for what the plan writer always writes.
    pub fn at(&mut self, tag: Tag) -> &mut Line {
        let at = self
            .find(tag)
            .unwrap_or_else(|| panic!("the plan has no {tag:?}"));
        &mut self.lines[at]
    }

    /// Puts `lines` right below the heading `name`, before what it holds.
    pub fn insert_under(&mut self, name: &'static str, lines: Vec<Line>) {
        let at = self
            .find(Tag::Heading(name))
            .unwrap_or_else(|| panic!("the plan has no {name}"))
            + 1;
        self.lines.splice(at..at, lines);
    }

    /// The text with `line_ending`, and a byte-order mark before it when `bom`.
    pub fn render(&self, line_ending: &str, bom: bool) -> String {
        let mut out = String::with_capacity(self.lines.len() * 60);
        if bom {
            out.push('\u{feff}');
        }
        for line in &self.lines {
            out.push_str(&line.text);
            out.push_str(line_ending);
        }
        out
    }
}
