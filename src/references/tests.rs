use super::items::*;
use super::tasks::*;
use super::*;
use crate::parse::parse;

#[test]
fn task_words_are_whole_hyphenated_words() {
    let words = |text| -> Vec<&str> { task_words(text).into_iter().map(|(_, w)| w).collect() };
    assert_eq!(
        words("SQ-TASK-20250712T100000-001, HIGH-TASK-20250712T090000 and TASK-1."),
        [
            "SQ-TASK-20250712T100000-001",
            "HIGH-TASK-20250712T090000",
            "TASK-1"
        ]
    );
    assert!(words("PROJ-TASK-12 fooTASK-1 HIGH-SQ-1 x-SQ-2 task-3").is_empty());
    assert_eq!(
        words("_TASK-oops_ (TASK-2025é) TASK-"),
        ["TASK-oops", "TASK-2025é", "TASK"]
    );
    assert_eq!(task_words("see **TASK-9**")[0].0, 6);
}

fn refs(text: &str) -> References<'_> {
    let (plan, schema) = (parse(text, None), Schema::default_schema());
    let phases = &schema.for_kind(plan.kind()).phases_section;
    let placeholders = Placeholders::find(&plan, text, &schema.template, phases);
    extract(&plan, text, &schema, &placeholders)
}

fn ids<'a>(list: &'a [Reference<'_>]) -> Vec<&'a str> {
    list.iter().map(|r| &*r.id).collect()
}

#[test]
fn reads_related_tasks_with_spans() {
    let text = "## Metadata\n- **Related Tasks**: [TASK-20250711T140000, TASK-9]\n";
    let refs = refs(text);
    assert_eq!(refs.tasks.len(), 1);
    assert_eq!(&text[refs.tasks[0].span.range()], "TASK-20250711T140000");
    assert_eq!(ids(&refs.malformed_tasks), ["TASK-9"]);
    let text = "## Metadata\n- **Related Tasks**: [ `TASK-20250711T140000` ,`SQ-x`,, ``TASK-1``]\n";
    let refs = self::refs(text);
    let spans: Vec<&str> = (refs.tasks.iter().map(|t| t.span))
        .chain(refs.malformed_tasks.iter().map(|t| t.span))
        .map(|span| &text[span.range()])
        .collect();
    assert_eq!(spans, ["TASK-20250711T140000", "SQ-x", "TASK-1"]);
    assert!(self::refs("## Metadata\n- **Related Tasks**: []\n")
        .tasks
        .is_empty());
    assert!(self::refs("## Metadata\n- **Related Tasks**: none\n")
        .tasks
        .is_empty());
}

#[test]
fn reads_phase_tasks_and_stray_words() {
    let text = "## Phases\n### Phase 1: A\n- **Tasks**: TASK-20250711T140000 and SQ-20250711T140000-001\n  - TASK-20250711-140000\n\n## Notes\nTASK-oops was dropped; `TASK-x` is code.\n";
    let refs = refs(text);
    let tasks: Vec<&str> = refs.tasks.iter().map(|t| &*t.id).collect();
    assert_eq!(
        tasks,
        [
            "TASK-20250711T140000",
            "SQ-20250711T140000-001",
            "TASK-20250711-140000"
        ]
    );
    assert_eq!(ids(&refs.malformed_tasks), ["TASK-oops"]);
}

#[test]
fn related_tasks_are_separated_by_commas_or_white_space() {
    let text = "## Metadata\n- **Related Tasks**: TASK-20250711T140000 TASK-20250711-140000,SQ-20250711T140000-001\tTASK-7\n";
    let refs = refs(text);
    let tasks: Vec<&str> = refs.tasks.iter().map(|t| &text[t.span.range()]).collect();
    assert_eq!(
        tasks,
        [
            "TASK-20250711T140000",
            "TASK-20250711-140000",
            "SQ-20250711T140000-001"
        ]
    );
    assert_eq!(ids(&refs.malformed_tasks), ["TASK-7"]);
    let text = "## Metadata\n- **Related Tasks**: [TASK-20250711T140000 TASK-20250712T140000]\n";
    assert_eq!(self::refs(text).tasks.len(), 2);
    for empty in ["[]", "none", "None", "n/a", "N/A", "[ n/a ]", ""] {
        let text = format!("## Metadata\n- **Related Tasks**: {empty}\n");
        let refs = self::refs(&text);
        assert!(
            refs.tasks.is_empty() && refs.malformed_tasks.is_empty(),
            "{empty}"
        );
    }
}

#[test]
fn each_occurrence_is_its_own_reference() {
    let text = "## Metadata\n- **Related Tasks**: TASK-9, TASK-9\n\n## Phases\n### Phase 1: A\n- **Tasks**: TASK-20250711T140000, TASK-20250711T140000\n\n## Notes\n- TASK-9 again, and TASK-9\n";
    let refs = refs(text);
    assert_eq!(refs.tasks.len(), 2);
    let spans: Vec<usize> = refs.malformed_tasks.iter().map(|t| t.span.start).collect();
    assert_eq!(spans.len(), 4, "{spans:?}");
}

#[test]
fn priority_tasks_of_an_h_plan_are_a_task_list() {
    let text = "# [HIGH PRIORITY] Implementation Plan: H-20250711T141500 - Fix\n\n## Implementation Phases\n### Phase 1: Stop the bleeding\n- **Priority Tasks**: HIGH-TASK-20250711T141500, SQ-TASK-20250712T100000-001\n  - TASK-20250711-140000\n";
    let refs = refs(text);
    let tasks: Vec<(&str, TaskOrigin)> = refs.tasks.iter().map(|t| (&*t.id, t.origin)).collect();
    assert_eq!(
        tasks,
        [
            ("HIGH-TASK-20250711T141500", TaskOrigin::PhaseTasks),
            ("SQ-TASK-20250712T100000-001", TaskOrigin::PhaseTasks),
            ("TASK-20250711-140000", TaskOrigin::PhaseTasks),
        ]
    );
    assert!(refs.malformed_tasks.is_empty());
}

#[test]
fn code_is_not_searched_for_malformed_ids_and_other_words_are_not_task_words() {
    let text = "## Notes\n- `TASK-x` and ``TASK-y``\n\n```\nTASK-z\n```\n\n    TASK-indented\n\n- PROJ-TASK-12, JIRA-SQ-1, fooTASK-1\n- SQ-TASK-oops and HIGH-TASK-oops\n";
    let refs = refs(text);
    assert_eq!(ids(&refs.malformed_tasks), ["HIGH-TASK-oops"]);
}

/// The plan of one list under `heading` (`Required Project Flows`, `Primary Theme`…).
fn list(heading: &str, items: &str) -> String {
    let section = if heading.contains("Flow") {
        "Flow Integration"
    } else {
        "Theme Integration"
    };
    format!("## {section}\n### {heading}\n{items}")
}

/// The ids read from `items` under `heading`, each as its span shows it in the file
/// (which must be the id itself): flows, then flow files, then themes.
fn read(heading: &str, items: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let text = list(heading, items);
    let refs = refs(&text);
    let shown = |list: &[Reference]| -> Vec<String> {
        list.iter()
            .map(|r| {
                assert_eq!(
                    &text[r.span.range()],
                    r.id,
                    "span of {:?} in {items:?}",
                    r.id
                );
                r.id.to_string()
            })
            .collect()
    };
    (
        shown(&refs.flows),
        shown(&refs.flow_files),
        shown(&refs.themes),
    )
}

fn flows_in(items: &str) -> (Vec<String>, Vec<String>) {
    let (flows, files, _) = read("Required Project Flows", items);
    (flows, files)
}

fn themes_in(items: &str) -> Vec<String> {
    read("Related Themes", items).2
}

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

/// Every flows-list example of layout.md, verbatim.
#[test]
fn reads_flows_as_layout_md_shows() {
    let cases: [(&str, &[&str], &[&str]); 12] = [
        ("- `user-login-flow`: complete\n", &["user-login-flow"], &[]),
        (
            "- user-login-flow (auth-flow.json): complete\n",
            &["user-login-flow"],
            &["auth-flow.json"],
        ),
        (
            "- **user-login-flow**: complete\n",
            &["user-login-flow"],
            &[],
        ),
        (
            "- login-flow, logout-flow\n",
            &["login-flow", "logout-flow"],
            &[],
        ),
        (
            "- Flows: login-flow, logout-flow\n",
            &["login-flow", "logout-flow"],
            &[],
        ),
        ("- Rollout: see `src/telemetry/client.ts`\n", &[], &[]),
        ("- Keep `auth-flow` stable\n", &["auth-flow"], &[]),
        ("- `admin-flow.json`\n", &[], &["admin-flow.json"]),
        ("- auth-flow.json\n", &[], &["auth-flow.json"]),
        ("- ProjectFlow/auth-flow.json\n", &[], &["auth-flow.json"]),
        (
            "- `ProjectFlow/auth-flow.json`: pending\n",
            &[],
            &["auth-flow.json"],
        ),
        ("- `src/flows/auth-flow.json` is parsed here\n", &[], &[]),
    ];
    for (items, flows, files) in cases {
        assert_eq!(
            flows_in(items),
            (strings(flows), strings(files)),
            "{items:?}"
        );
    }
}

/// Every themes-list example of layout.md, verbatim.
#[test]
fn reads_themes_as_layout_md_shows() {
    let cases: [(&str, &[&str]); 9] = [
        ("- authentication\n", &["authentication"]),
        ("- `caching`\n", &["caching"]),
        ("- **caching**: why…\n", &["caching"]),
        (
            "- user-management, security\n",
            &["user-management", "security"],
        ),
        ("- Keep the token service backward compatible\n", &[]),
        ("- **Theme**: authentication\n", &["authentication"]),
        ("- **caching**: warmed by `cache::warm()`\n", &["caching"]),
        ("- Keep `auth-flow` stable\n", &[]),
        ("- **caching:** why\n", &["caching"]),
    ];
    for (items, themes) in cases {
        assert_eq!(themes_in(items), strings(themes), "{items:?}");
    }
    assert_eq!(
        read("Primary Theme", "- user_management\n").2,
        ["user_management"]
    );
}

/// The issue's two items: the code spans in their prose are paths, not references.
#[test]
fn code_spans_in_prose_are_no_references() {
    assert_eq!(
        themes_in("- **caching**: warmed by `src/cache/warm.rs`\n"),
        ["caching"]
    );
    assert_eq!(
        flows_in("- checkout-flow (checkout-flow.json): blocked - see `services/pay/api.go`\n"),
        (
            strings(&["checkout-flow"]),
            strings(&["checkout-flow.json"])
        )
    );
    assert_eq!(
        flows_in("- Payments: run `make test` in `services/pay`, then `pay.sh --flow`\n"),
        (vec![], vec![])
    );
    assert!(themes_in("- Shared files: `src/api/mod.rs`, `Cargo.toml`\n").is_empty());
}

#[test]
fn label_leads_read_their_value_up_to_a_delimiter_or_sentence_end() {
    for (items, themes) in [
        (
            "- **Themes:** caching, security\n",
            &["caching", "security"][..],
        ),
        (
            "- _Primary theme_: authentication. It covers sessions.\n",
            &["authentication"],
        ),
        ("- Main theme: authentication.\n", &["authentication"]),
        ("- RELATED: `caching` - warm paths\n", &["caching"]),
        (
            "- Related Themes: caching (warm paths), security\n",
            &["caching"],
        ),
        ("- Theme: api v1.2\n", &[]),
        ("- Theme: v1.2\n", &[]),
        ("- Themes:\n", &[]),
        ("- Primary\n", &[]),
        ("- **Related** — caching\n", &[]),
    ] {
        assert_eq!(themes_in(items), strings(themes), "{items:?}");
    }
    for (items, flows) in [
        (
            "- **Flow ID**: `user-login-flow`\n",
            &["user-login-flow"][..],
        ),
        (
            "- Required flows: login-flow, `logout-flow` — both pending\n",
            &["login-flow", "logout-flow"],
        ),
        (
            "- flow: checkout-flow. Blocked on `payments`.\n",
            &["checkout-flow"],
        ),
    ] {
        assert_eq!(flows_in(items).0, strings(flows), "{items:?}");
    }
}

#[test]
fn urls_links_dashes_and_unicode() {
    assert!(themes_in("- https://wiki.example.com/themes/caching\n").is_empty());
    assert_eq!(
        themes_in("- authentication (https://wiki.example.com/auth)\n"),
        ["authentication"]
    );
    assert_eq!(
        themes_in("- [caching](https://wiki.example.com/caching): hot paths\n"),
        ["caching"]
    );
    assert_eq!(
        themes_in("- authentication — sessions and tokens\n"),
        ["authentication"]
    );
    assert_eq!(
        themes_in("- authentification — gère les « sessions »\n"),
        ["authentification"]
    );
    assert!(themes_in("- sécurité\n").is_empty());
    assert!(themes_in("- see https://wiki.example.com: notes\n").is_empty());
    assert_eq!(
        flows_in("- login-flow — see https://wiki.example.com/flows/login-flow.json\n"),
        (strings(&["login-flow"]), vec![])
    );
    assert_eq!(
        flows_in("- [login-flow](https://wiki.example.com/login) (login-flow.json)\n"),
        (strings(&["login-flow"]), strings(&["login-flow.json"]))
    );
    assert_eq!(
        flows_in("- paiement-flow — paiement réussi ✓\n").0,
        ["paiement-flow"]
    );
    assert_eq!(
        flows_in(
            "- see docs: `a-flow.json`, ProjectFlow/b-flow.json. Not x/c-flow.json or d-flow.json.bak\n"
        )
        .1,
        ["a-flow.json", "b-flow.json"]
    );
}

#[test]
fn nested_items_are_items_of_their_own() {
    let items = "- Related:\n  - caching\n  - `security`: tokens\n- Keep the API stable\n  - user-management\n";
    assert_eq!(themes_in(items), ["caching", "security", "user-management"]);
    let items = "- Flows:\n  - `login-flow`\n  - logout-flow (auth-flow.json)\n- Payments - see `pay-flow`\n";
    assert_eq!(
        flows_in(items),
        (
            strings(&["login-flow", "logout-flow", "pay-flow"]),
            strings(&["auth-flow.json"])
        )
    );
}

#[test]
fn reads_crlf_plans() {
    let items =
        "- **caching**: warmed by `src/cache/warm.rs`\r\n- user-management,\r\n  security\r\n";
    assert_eq!(themes_in(items), ["caching", "user-management", "security"]);
    let items = "- checkout-flow (checkout-flow.json): blocked\r\n  - `refund-flow`\r\n";
    assert_eq!(
        flows_in(items),
        (
            strings(&["checkout-flow", "refund-flow"]),
            strings(&["checkout-flow.json"])
        )
    );
}

#[test]
fn an_escaped_id_points_at_what_the_file_writes() {
    let text = list("Related Themes", "- user\\_management\n");
    let refs = refs(&text);
    assert_eq!(refs.themes.len(), 1);
    assert_eq!(refs.themes[0].id, "user_management");
    assert_eq!(&text[refs.themes[0].span.range()], "user\\_management");
}

#[test]
fn the_context_mode_is_no_theme() {
    for items in [
        "- Context mode recommendation: theme-focused\n",
        "- **Context mode recommendation:** `project-wide`\n",
        "- *Context mode recommendation* (theme-expanded)\n",
        "- context-mode: bogus\n",
    ] {
        assert!(read("Primary Theme", items).2.is_empty(), "{items:?}");
    }
}

/// The mode of a context-mode item, as its span shows it; `None` for another item.
fn mode_of(item: &str) -> Option<String> {
    let plan = parse(item, None);
    let text = plan.text_of(&plan.items[0]);
    context_mode(&text).map(|mode| item[text.source(mode).range()].to_string())
}

#[test]
fn reads_the_context_mode_in_each_form() {
    for (item, mode) in [
        (
            "- Context mode recommendation: theme-focused",
            Some("theme-focused"),
        ),
        (
            "- **Context mode recommendation:** _theme-expanded_.",
            Some("theme-expanded"),
        ),
        (
            "- Context mode recommendation: `project-wide`",
            Some("project-wide"),
        ),
        (
            "- Context mode recommendation (theme-focused)",
            Some("theme-focused"),
        ),
        (
            "- _Context Mode_ (`theme-expanded`): because",
            Some("theme-expanded"),
        ),
        (
            "- CONTEXT-MODE: project-wide, as agreed",
            Some("project-wide"),
        ),
        ("- Context mode recommendation:", Some("")),
        (
            "- Context mode recommendation (theme-focused/theme-expanded/project-wide)",
            Some("theme-focused/theme-expanded/project-wide"),
        ),
        ("- Context mode is theme-focused", None),
        ("- The context mode: x", None),
    ] {
        assert_eq!(mode_of(item).as_deref(), mode, "{item:?}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn reading_any_item_never_panics(item in "([-:,.()/`*_\\[\\] —é\r\n]|[a-c]|-flow|\\.json|ProjectFlow/|://|Theme|Context mode recommendation| - ){0,40}") {
            for heading in ["Required Project Flows", "Primary Theme"] {
                let text = list(heading, &format!("- {item}\n  - {item}\n"));
                let refs = refs(&text);
                for r in refs.flows.iter().chain(&refs.flow_files).chain(&refs.themes) {
                    prop_assert!(text.get(r.span.range()).is_some());
                }
                let plan = parse(&text, None);
                for item in &plan.items {
                    let _ = context_mode(&plan.text_of(item));
                }
            }
        }
    }
}
