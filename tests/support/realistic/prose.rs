//! The prose of a plan's sections as teams write it: paths, commands and identifiers in
//! code spans, links, URLs, dashes, unicode, labels, and braces that are not placeholders.
//! None of it is a reference or a mistake, so a finding on one of these lines is a false
//! alarm; each line carries its style so the comparison can say which.

use super::doc::Line;
use super::rng::Rng;

/// One-line items: `(style, text)`.
pub const ITEMS: &[(&str, &str)] = &[
    ("prose:path-code", "- The session cache lives in `src/cache/warm.rs`; `cache::warm()` fills it at start-up."),
    ("prose:command", "- Run `cargo test -p auth -- --nocapture` and `npm run e2e -- --grep login` before each merge."),
    ("prose:identifier", "- `UserService::find_by_email` and `TokenStore.revoke()` are the only writers."),
    ("prose:link", "- See [the ADR on tokens](../docs/adr/0001-use-jwt.md) and [RFC 6749](https://www.rfc-editor.org/rfc/rfc6749)."),
    ("prose:url", "- Dashboards: https://grafana.example.com/d/auth-latency?orgId=1&from=now-7d"),
    ("prose:em-dash", "- The old importer — written in 2019 — stays read-only until the cut-over."),
    ("prose:dash-paren", "- Batch size is 500 rows - smaller batches (under 100) made the job 3x slower."),
    ("prose:route-braces", "- Requests to /users/{id} and /orders/{order_id}/items are cached for a minute."),
    ("prose:bearer-braces", "- Clients send `Authorization` as Bearer {token} on every call."),
    ("prose:tex-braces", "- Scores live in \\mathbb{R} and are clamped before they are stored."),
    ("prose:env-braces", "- The installer writes to ${HOME}/.config/app and reads ${XDG_CACHE_HOME}."),
    ("prose:mustache", "- Emails are rendered from {{name}} and {{ order.total }} in the mail templates."),
    ("prose:subscript-braces", "- The loss sums x_{i} over every sample of the batch."),
    ("prose:format-braces", "- Log lines use the format \"{0} took {1} ms\"; debug output prints {:?} of the request."),
    ("prose:single-word-braces", "- The callback gets {user_id} and {tenant} from the session."),
    ("prose:milestone-n-braces", "- Each milestone M{n} gets a folder of its own under `docs/`."),
    ("prose:math", "- The p99 target is $t_{99} < 200\\,\\text{ms}$ for every region."),
    ("prose:math-grouping", "- The fit is $y = {a x + b}$ over the last 30 days."),
    ("prose:link-destination-braces", "- The owner is on [the staffing page](<https://wiki.example.com/teams/{Owner Name}>)."),
    ("prose:code-span-placeholders", "- The template's `{Milestone Title}` and `[TBD]` markers were all replaced."),
    ("prose:cjk", "- 日本語のエラーメッセージは `locales/ja.json` にあります。"),
    ("prose:emoji", "- Release notes get a 🚀 for features and a 🐛 for fixes."),
    ("prose:accents", "- Café owners in Zürich and São Paulo asked for naïve-date handling."),
    ("prose:bold-colon-in-bold", "- **Decision:** use JWT over server sessions so the gateway validates alone."),
    ("prose:bold-label", "- **Owner**: the platform team (Ana, Jörg)."),
    ("prose:date-note", "- 2025-07-14: added rate limiting after the security review."),
    ("prose:retired-task", "- TASK-20190301T120000 was closed as a duplicate in the old tracker."),
    ("prose:flow-outside-flows", "- The `legacy-sync-flow` steps and ProjectFlow/legacy-flow.json are kept for reference."),
    ("prose:theme-outside-themes", "- Overlaps with the `billing` and growth work of the other team."),
    ("prose:checkbox", "- [x] migrate the staging database; [ ] migrate production"),
    ("prose:brackets", "- Confidence scores are in [0, 1] and weights in [0.5, 2]."),
    ("prose:tbd-word", "- The TBD column in the old sheet was removed."),
    ("prose:todo-word", "- Remove the TODO comments in `src/legacy/` once the cut-over is done."),
];

/// Blocks set apart by blank lines: `(style, lines)`.
pub const BLOCKS: &[(&str, &[&str])] = &[
    ("prose:paragraph", &[
        "We measured the current endpoints under Monday's load — the slowest answered in 420 ms",
        "at the 95th percentile (see https://grafana.example.com/d/api). Users asked for fewer steps.",
    ]),
    ("prose:code-block-template", &[
        "```markdown",
        "# Implementation Plan: M{milestone-id} - {Milestone Title}",
        "- **Status**: active|completed|superseded",
        "- **Related Tasks**: [TASK-IDs that will be generated from this plan]",
        "```",
    ]),
    ("prose:code-block-shell", &[
        "```sh",
        "curl -H \"Authorization: Bearer {token}\" https://api.example.com/users/{id}",
        "cargo run --release -- --from {start date} --to {end date}",
        "```",
    ]),
    ("prose:table", &[
        "| Step | Owner | Target |",
        "|------|-------|--------|",
        "| Data model | Backend — Ana | Week 1 |",
        "| API `/v2/users/{id}` | Backend | Week 2 |",
    ]),
    ("prose:html-comment", &["<!-- {fill in the owner once the team is staffed} -->"]),
    ("prose:math-block", &["$$", "\\sum_{i=1}^{n} x_{i} \\le C", "$$"]),
    ("prose:nested-list", &[
        "- Rollout order:",
        "  1. staging (EU — then US)",
        "  2. production, behind `flags.new_checkout`",
    ]),
];

/// `count` distinct one-line items.
pub fn items(rng: &mut Rng, count: usize) -> Vec<Line> {
    let first = rng.below(ITEMS.len());
    (0..count)
        .map(|n| {
            let (style, text) = ITEMS[(first + 7 * n) % ITEMS.len()];
            Line::new(style, text)
        })
        .collect()
}

/// A block with a blank line before it.
pub fn block(rng: &mut Rng) -> Vec<Line> {
    let (style, lines) = rng.pick(BLOCKS);
    std::iter::once(Line::new("blank", ""))
        .chain(lines.iter().map(|text| Line::new(style, *text)))
        .collect()
}

/// What a phase's bold fields say.
pub const OBJECTIVES: &[&str] = &[
    "issue and validate access and refresh tokens",
    "let users register, confirm their email and log in",
    "move the importer to `jobs/import.rs` — no downtime",
    "ship the screens for every step (web + mobile)",
];
pub const DELIVERABLES: &[&str] = &[
    "the `/auth/register` and `/auth/login` endpoints",
    "tables, migrations and repository code",
    "a dashboard at https://grafana.example.com/d/checkout",
    "the `checkout::Cart` service with its tests",
];
pub const DEPENDENCIES: &[&str] = &[
    "none",
    "M01's migrations",
    "the design review (2025-06-30)",
    "`db/migrations/0042_users.sql` merged",
];
pub const CRITERIA: &[&str] = &[
    "tokens validate in under 1 ms",
    "the login flow passes end to end",
    "p95 < 200 ms on `GET /users/{id}`",
    "zero open bugs tagged `release-blocker`",
];
pub const DURATIONS: &[&str] = &["1 week", "3–5 days", "2 sprints", "10 days"];
pub const RISKS: &[&str] = &[
    "key rotation mistakes",
    "mail deliverability",
    "scope creep into social login",
    "slow migrations on large tables",
];
