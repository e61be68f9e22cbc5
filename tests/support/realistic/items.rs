//! The ways teams write the items of `### Required Project Flows` and of the theme lists,
//! one small function each, with the references layout.md says each holds. Every example
//! of layout.md is here word for word when the slots hold its names (see [`Slots::layout`]).

use super::doc::{flow, flow_file, theme, Item, Line, RefKind};

/// The names an item is written with: `flows[0]`, `files[0]` and `themes[0]` are where a
/// mistake is planted; `prose_*` stand only where the spec reads no reference, and are
/// names the project does not define.
#[derive(Clone)]
pub struct Slots {
    pub flows: [String; 2],
    pub files: [String; 2],
    pub themes: [String; 2],
    pub prose_flows: [&'static str; 2],
    pub prose_file: &'static str,
    pub prose_theme: &'static str,
}

impl Slots {
    /// layout.md's own names, which make its examples appear as written.
    pub fn layout() -> Slots {
        Slots {
            flows: ["user-login-flow".into(), "logout-flow".into()],
            files: ["auth-flow.json".into(), "authentication-flow.json".into()],
            themes: ["caching".into(), "security".into()],
            prose_flows: ["legacy-sync-flow", "v1-login-flow"],
            prose_file: "legacy-flow.json",
            prose_theme: "legacy",
        }
    }
}

#[derive(Clone, Copy)]
pub struct ItemStyle {
    pub name: &'static str,
    pub write: fn(&'static str, &Slots) -> Item,
}

impl ItemStyle {
    /// Whether the item refers to its first slot of `kind` (so a mistake can be planted
    /// there), found by writing it with a probe name.
    pub fn refers_to_slot(&self, kind: RefKind) -> bool {
        let mut slots = Slots::layout();
        let probe = match kind {
            RefKind::Flow => {
                slots.flows[0] = "probe-flow".into();
                "probe-flow"
            }
            RefKind::FlowFile => {
                slots.files[0] = "probe-flow.json".into();
                "probe-flow.json"
            }
            RefKind::Theme => {
                slots.themes[0] = "probe".into();
                "probe"
            }
            RefKind::Task => return false,
        };
        (self.write)(self.name, &slots)
            .iter()
            .any(|line| line.refs.iter().any(|r| r.kind == kind && r.name == probe))
    }
}

fn one(style: &'static str, text: String) -> Line {
    Line::new(style, text)
}

macro_rules! styles {
    ($($name:literal => $write:ident,)*) => {
        &[$(ItemStyle { name: $name, write: $write },)*]
    };
}

/// Items under `### Required Project Flows`.
pub const FLOW_STYLES: &[ItemStyle] = styles! {
    "flow:layout-code-lead" => flow_code_lead,
    "flow:layout-plain-lead-file" => flow_plain_lead_file,
    "flow:layout-bold-lead" => flow_bold_lead,
    "flow:layout-comma-list" => flow_comma_list,
    "flow:layout-rollout-path" => flow_rollout_path,
    "flow:layout-keep-code" => flow_keep_code,
    "flow:layout-label-flows" => flow_label_flows,
    "flow:file-alone-prose" => flow_file_alone_prose,
    "flow:file-under-projectflow-code" => flow_file_under_projectflow_code,
    "flow:file-under-projectflow-plain" => flow_file_under_projectflow_plain,
    "flow:file-inside-path" => flow_file_inside_path,
    "flow:issue-blocked-see" => flow_issue_blocked_see,
    "flow:code-lead-file" => flow_code_lead_file,
    "flow:code-file" => flow_code_file,
    "flow:label-required-flows" => flow_label_required_flows,
    "flow:label-flow-id-colon-in-bold" => flow_label_flow_id,
    "flow:label-sentence" => flow_label_sentence,
    "flow:label-prose" => flow_label_prose,
    "flow:em-dash-url" => flow_em_dash_url,
    "flow:link-lead" => flow_link_lead,
    "flow:url-lead" => flow_url_lead,
    "flow:nested" => flow_nested,
    "flow:unicode" => flow_unicode,
    "flow:dash-paths" => flow_dash_paths,
    "flow:paren-note" => flow_paren_note,
    "flow:and-prose" => flow_and_prose,
    "flow:emphasis" => flow_emphasis,
    "flow:strong-underscore" => flow_strong_underscore,
    "flow:code-path-lead" => flow_code_path_lead,
};

fn flow_code_lead(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- `{}`: complete", x.flows[0])).refs([flow(&x.flows[0])])]
}

fn flow_plain_lead_file(s: &'static str, x: &Slots) -> Item {
    vec![
        one(s, format!("- {} ({}): complete", x.flows[0], x.files[0]))
            .refs([flow(&x.flows[0]), flow_file(&x.files[0])]),
    ]
}

fn flow_bold_lead(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- **{}**: complete", x.flows[0])).refs([flow(&x.flows[0])])]
}

fn flow_comma_list(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- {}, {}", x.flows[0], x.flows[1]))
        .refs([flow(&x.flows[0]), flow(&x.flows[1])])]
}

fn flow_rollout_path(s: &'static str, _: &Slots) -> Item {
    vec![one(s, "- Rollout: see `src/telemetry/client.ts`".into())]
}

/// Exception one: a code span that is an id word ending in `-flow`, anywhere in the item.
fn flow_keep_code(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- Keep `{}` stable", x.flows[0])).refs([flow(&x.flows[0])])]
}

fn flow_label_flows(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- Flows: {}, {}", x.flows[0], x.flows[1]))
        .refs([flow(&x.flows[0]), flow(&x.flows[1])])]
}

/// Exception two: a flow file standing alone in prose.
fn flow_file_alone_prose(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- Steps for both live in {}, reviewed weekly", x.files[0]),
    )
    .refs([flow_file(&x.files[0])])]
}

fn flow_file_under_projectflow_code(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- Source of truth: `ProjectFlow/{}`", x.files[0]),
    )
    .refs([flow_file(&x.files[0])])]
}

fn flow_file_under_projectflow_plain(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- Source of truth: ProjectFlow/{} (kept in sync by CI)",
            x.files[0]
        ),
    )
    .refs([flow_file(&x.files[0])])]
}

/// A flow file inside another path is prose (layout.md's `src/flows/auth-flow.json`).
fn flow_file_inside_path(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- Fixtures: `src/flows/{}` and tests/fixtures/{}",
            x.prose_file, x.prose_file
        ),
    )]
}

fn flow_issue_blocked_see(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- {} ({}): blocked - see `services/pay/api.go`",
            x.flows[0], x.files[0]
        ),
    )
    .refs([flow(&x.flows[0]), flow_file(&x.files[0])])]
}

fn flow_code_lead_file(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- `{}` ({}): in progress", x.flows[0], x.files[0]),
    )
    .refs([flow(&x.flows[0]), flow_file(&x.files[0])])]
}

fn flow_code_file(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- `{}` — defined in `{}`", x.flows[0], x.files[0]),
    )
    .refs([flow(&x.flows[0]), flow_file(&x.files[0])])]
}

fn flow_label_required_flows(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- **Required flows**: {}, `{}` — both gate the release",
            x.flows[0], x.flows[1]
        ),
    )
    .refs([flow(&x.flows[0]), flow(&x.flows[1])])]
}

fn flow_label_flow_id(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- **Flow ID:** {}", x.flows[0])).refs([flow(&x.flows[0])])]
}

fn flow_label_sentence(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- Flow: {}. Signed off by QA in the June review.",
            x.flows[0]
        ),
    )
    .refs([flow(&x.flows[0])])]
}

/// A label whose text is prose names nothing.
fn flow_label_prose(s: &'static str, _: &Slots) -> Item {
    vec![one(s, "- Flows: none yet for the admin screens".into())]
}

fn flow_em_dash_url(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- {} — owned by payments; runbook at https://wiki.example.com/runbooks/{}",
            x.flows[0], x.prose_flows[0]
        ),
    )
    .refs([flow(&x.flows[0])])]
}

/// A link reads as its text.
fn flow_link_lead(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- [{0}](https://wiki.example.com/flows/{0}): signed off",
            x.flows[0]
        ),
    )
    .refs([flow(&x.flows[0])])]
}

/// `://` ends no lead: the lead is the URL, which is no flow id.
fn flow_url_lead(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- https://status.example.com/flows - {} is mirrored there",
            x.prose_flows[0]
        ),
    )]
}

/// The parent's lead is prose; the nested items are items of their own.
fn flow_nested(s: &'static str, x: &Slots) -> Item {
    vec![
        one(s, "- Checkout journey:".into()),
        one(s, format!("  - {} ({}): blocked", x.flows[0], x.files[0]))
            .refs([flow(&x.flows[0]), flow_file(&x.files[0])]),
        one(s, format!("  - `{}`: in review", x.flows[1])).refs([flow(&x.flows[1])]),
    ]
}

fn flow_unicode(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- {}: 決済フロー ✅ — café au lait 🚀", x.flows[0]),
    )
    .refs([flow(&x.flows[0])])]
}

fn flow_dash_paths(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- {} - waiting on `auth::session` (see `src/auth/session.rs`)",
            x.flows[0]
        ),
    )
    .refs([flow(&x.flows[0])])]
}

fn flow_paren_note(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- {} (shared with the mobile app): in progress", x.flows[0]),
    )
    .refs([flow(&x.flows[0])])]
}

/// One piece with spaces is prose, even when its words end in `-flow`.
fn flow_and_prose(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- {} and {}: both retired last quarter",
            x.prose_flows[0], x.prose_flows[1]
        ),
    )]
}

fn flow_emphasis(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- *{}* — nightly, see `cron/flows.yaml`", x.flows[0]),
    )
    .refs([flow(&x.flows[0])])]
}

fn flow_strong_underscore(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- __{}__: done", x.flows[0])).refs([flow(&x.flows[0])])]
}

/// A code span holding `/` or `.` is never a flow id.
fn flow_code_path_lead(s: &'static str, _: &Slots) -> Item {
    vec![one(
        s,
        "- `services/checkout/flow.go`: the state machine".into(),
    )]
}

/// Items under `### Primary Theme` and `### Related Themes`.
pub const THEME_STYLES: &[ItemStyle] = styles! {
    "theme:layout-plain" => theme_plain,
    "theme:layout-code" => theme_code,
    "theme:layout-bold-why" => theme_bold_why,
    "theme:layout-comma" => theme_comma,
    "theme:layout-prose" => theme_prose,
    "theme:layout-warm-code" => theme_warm_code,
    "theme:layout-keep-flow" => theme_keep_flow,
    "theme:layout-label-theme" => theme_label_theme,
    "theme:issue-warm-path" => theme_warm_path,
    "theme:label-related-themes" => theme_label_related,
    "theme:label-primary-colon-in-bold" => theme_label_primary,
    "theme:label-main-theme-sentence" => theme_label_main_sentence,
    "theme:label-themes-sentence" => theme_label_themes_sentence,
    "theme:label-prose" => theme_label_prose,
    "theme:nested" => theme_nested,
    "theme:em-dash-glob" => theme_em_dash_glob,
    "theme:paren-url" => theme_paren_url,
    "theme:link" => theme_link,
    "theme:unicode" => theme_unicode,
    "theme:code-path-lead" => theme_code_path_lead,
    "theme:emphasis" => theme_emphasis,
    "theme:strong-underscore" => theme_strong_underscore,
    "theme:flow-file-prose" => theme_flow_file_prose,
};

fn theme_plain(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- {}", x.themes[0])).refs([theme(&x.themes[0])])]
}

fn theme_code(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- `{}`", x.themes[0])).refs([theme(&x.themes[0])])]
}

fn theme_bold_why(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- **{}**: why…", x.themes[0])).refs([theme(&x.themes[0])])]
}

fn theme_comma(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- {}, {}", x.themes[0], x.themes[1]))
        .refs([theme(&x.themes[0]), theme(&x.themes[1])])]
}

/// A lead with spaces is prose: the whole item holds no theme.
fn theme_prose(s: &'static str, _: &Slots) -> Item {
    vec![one(
        s,
        "- Keep the token service backward compatible".into(),
    )]
}

fn theme_warm_code(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- **{}**: warmed by `cache::warm()`", x.themes[0]),
    )
    .refs([theme(&x.themes[0])])]
}

fn theme_keep_flow(s: &'static str, _: &Slots) -> Item {
    vec![one(s, "- Keep `auth-flow` stable".into())]
}

fn theme_label_theme(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- **Theme**: {}", x.themes[0])).refs([theme(&x.themes[0])])]
}

fn theme_warm_path(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- **{}**: warmed by `src/cache/warm.rs`", x.themes[0]),
    )
    .refs([theme(&x.themes[0])])]
}

fn theme_label_related(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- Related Themes: {}, {} — both touch the session store",
            x.themes[0], x.themes[1]
        ),
    )
    .refs([theme(&x.themes[0]), theme(&x.themes[1])])]
}

fn theme_label_primary(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- **Primary Theme:** {}", x.themes[0])).refs([theme(&x.themes[0])])]
}

fn theme_label_main_sentence(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- Main theme: {}. It sets the context for every task.",
            x.themes[0]
        ),
    )
    .refs([theme(&x.themes[0])])]
}

fn theme_label_themes_sentence(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- Themes: {}, {}. Both are shared with billing.",
            x.themes[0], x.themes[1]
        ),
    )
    .refs([theme(&x.themes[0]), theme(&x.themes[1])])]
}

fn theme_label_prose(s: &'static str, _: &Slots) -> Item {
    vec![one(s, "- **Theme**: shared with the mobile team".into())]
}

/// Nested theme items count; the parent's prose lead holds none.
fn theme_nested(s: &'static str, x: &Slots) -> Item {
    vec![
        one(s, "- Security work:".into()),
        one(s, format!("  - {}", x.themes[0])).refs([theme(&x.themes[0])]),
        one(
            s,
            format!(
                "  - **{}**: rate limits live in `src/middleware/rate.rs`",
                x.themes[1]
            ),
        )
        .refs([theme(&x.themes[1])]),
    ]
}

fn theme_em_dash_glob(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- {} — login and token code (`src/auth/**`)", x.themes[0]),
    )
    .refs([theme(&x.themes[0])])]
}

fn theme_paren_url(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- {} (see https://wiki.example.com/themes/{})",
            x.themes[0], x.prose_theme
        ),
    )
    .refs([theme(&x.themes[0])])]
}

fn theme_link(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!(
            "- [{0}](https://wiki.example.com/themes/{0}): owns the session store",
            x.themes[0]
        ),
    )
    .refs([theme(&x.themes[0])])]
}

fn theme_unicode(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- {}: ユーザー管理 — naïve café 🚀", x.themes[0]),
    )
    .refs([theme(&x.themes[0])])]
}

/// A code span with `/` is prose as a piece, so the item holds no theme.
fn theme_code_path_lead(s: &'static str, _: &Slots) -> Item {
    vec![one(s, "- `src/users/`: shared with billing".into())]
}

fn theme_emphasis(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- *{}* — nightly jobs", x.themes[0])).refs([theme(&x.themes[0])])]
}

fn theme_strong_underscore(s: &'static str, x: &Slots) -> Item {
    vec![one(s, format!("- __{}__: nightly loads", x.themes[0])).refs([theme(&x.themes[0])])]
}

/// A flow file in a theme list is prose: the exceptions belong to flows lists.
fn theme_flow_file_prose(s: &'static str, x: &Slots) -> Item {
    vec![one(
        s,
        format!("- **{}**: steps in {}", x.themes[0], x.prose_file),
    )
    .refs([theme(&x.themes[0])])]
}

/// The context-mode item in its forms: no theme, and a valid mode.
pub const CONTEXT_MODES: &[&str] = &[
    "- Context mode recommendation: theme-focused",
    "- Context mode recommendation (theme-expanded)",
    "- **Context mode recommendation**: `project-wide`",
    "- *Context mode recommendation (theme-focused)*",
    "- **Context mode recommendation:** theme-expanded",
];
