use super::*;

fn headings<'p>(plan: &'p Plan<'_>) -> Vec<(u8, &'p str)> {
    plan.headings.iter().map(|h| (h.level, &*h.text)).collect()
}

#[test]
fn reads_atx_and_setext_headings_with_markup_removed() {
    let text =
        "Implementation Plan: M01 - *Auth*\n===\n\n## Metadata ##\n\nSub\n---\n### `Phase` 1\n";
    let plan = parse(text, None);
    assert_eq!(
        headings(&plan),
        vec![
            (1, "Implementation Plan: M01 - Auth"),
            (2, "Metadata"),
            (2, "Sub"),
            (3, "Phase 1")
        ]
    );
    assert_eq!(
        &text[plan.headings[0].span.range()],
        "Implementation Plan: M01 - *Auth*"
    );
    assert_eq!(plan.headings[3].parent, Some(2));
}

#[test]
fn headings_in_code_blocks_are_not_headings() {
    let plan = parse(
        "# Title\n\n```\n## Not a heading\n```\n\n    ## indented code\n",
        None,
    );
    assert_eq!(headings(&plan), vec![(1, "Title")]);
    assert_eq!(plan.code.len(), 2);
}

#[test]
fn handles_crlf() {
    let text = "# Title\r\n\r\n## Metadata\r\n- **Status**: active\r\n";
    let plan = parse(text, None);
    assert_eq!(&text[plan.headings[1].span.range()], "## Metadata");
    let field = plan.field("Status").unwrap();
    assert_eq!(&text[field.value_span.range()], "active");
}

#[test]
fn reads_bold_fields() {
    let text = "## Metadata\n- **Milestone**: M01\n- **Related Tasks**:\n- Status: active\n  - **Nested**: x\n";
    let plan = parse(text, None);
    let fields: Vec<_> = plan.fields().map(|f| (f.name, f.value)).collect();
    assert_eq!(fields, vec![("Milestone", "M01"), ("Related Tasks", "")]);
    assert_eq!(plan.metadata_items().count(), 3);
    let milestone = plan.field("milestone").unwrap();
    assert_eq!(&text[milestone.name_span.range()], "Milestone");
    assert_eq!(&text[milestone.value_span.range()], "M01");
}

#[test]
fn reads_bold_fields_with_the_colon_inside_the_bold() {
    let text =
        "## Metadata\n- **Status:** active\n- **Version:**v2\n- **Created:**\n- **Odd :** x\n";
    let plan = parse(text, None);
    let fields: Vec<_> = plan.fields().map(|f| (f.name, f.value)).collect();
    assert_eq!(
        fields,
        vec![("Status", "active"), ("Version", "v2"), ("Created", "")]
    );
    let status = plan.field("Status").unwrap();
    assert_eq!(&text[status.name_span.range()], "Status");
    assert_eq!(&text[status.value_span.range()], "active");
}

#[test]
fn bodies_run_to_the_next_heading_of_the_same_level() {
    let text = "## A\n### A1\ntext\n## B\n\n<!-- only a comment -->\n## C\nx\n";
    let plan = parse(text, None);
    assert_eq!(&text[plan.headings[0].body.range()], "### A1\ntext\n");
    assert!(plan.headings[0].has_content);
    assert!(!plan.headings[2].has_content, "a comment is no content");
    assert!(plan.headings[3].has_content);
}

#[test]
fn list_items_keep_code_spans_and_depth() {
    let text = "## Flows\n- `user-login-flow` and ``b``\n  - `nested`\n";
    let plan = parse(text, None);
    assert_eq!(plan.items.len(), 2);
    assert_eq!(plan.items[0].depth, 0);
    assert_eq!(plan.items[1].depth, 1);
    let item = plan.text_of(&plan.items[0]);
    assert_eq!(item.as_str(), "user-login-flow and b");
    let code: Vec<_> = item.code_spans().map(|c| &item.as_str()[c]).collect();
    assert_eq!(code, ["user-login-flow", "b"]);
    let spans: Vec<_> = item.code_spans().map(|c| item.source(c)).collect();
    assert_eq!(&text[spans[0].range()], "user-login-flow");
    assert_eq!(&text[spans[1].range()], "b");
    assert!(plan.in_code(spans[0]));
    assert_eq!(plan.text_of(&plan.items[1]).as_str(), "nested");
}

/// The text of the first item of `text`, and what each of `parts` of it stands for in the file.
fn item_text<'a>(text: &'a str, parts: &[&str]) -> (String, Vec<&'a str>) {
    let plan = parse(text, None);
    let item = plan.text_of(&plan.items[0]);
    let read = item.as_str().to_string();
    let sources = parts
        .iter()
        .map(|part| {
            let at = read
                .find(part)
                .unwrap_or_else(|| panic!("{part:?} in {read:?}"));
            &text[item.source(at..at + part.len()).range()]
        })
        .collect();
    (read, sources)
}

#[test]
fn an_items_text_is_read_as_commonmark_reads_it_inline() {
    // An item, its text, and parts of the text with what each stands for in the file.
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: [Case; 10] = [
        (
            "- **caching:** why\n",
            "caching: why",
            &[("caching", "caching")],
        ),
        (
            "- user_management\n",
            "user_management",
            &[("user_management", "user_management")],
        ),
        (
            "- _caching_ and *auth*\n",
            "caching and auth",
            &[("auth", "auth")],
        ),
        (
            "- [the auth flow](docs/auth.md): see it\n",
            "the auth flow: see it",
            &[("auth flow", "auth flow")],
        ),
        ("- `a: b` c\n", "a: b c", &[("a: b", "a: b")]),
        (
            "- [ ] login-flow\n",
            "login-flow",
            &[("login-flow", "login-flow")],
        ),
        ("- one\r\n  two\r\n", "one two", &[("two", "two")]),
        (
            "- a **b `c`** ~~d~~\n",
            "a b c d",
            &[("c", "c"), ("d", "d")],
        ),
        (
            "- auth\\_flow\n",
            "auth_flow",
            &[("auth_flow", "auth\\_flow")],
        ),
        ("- é **ü**: ok\n", "é ü: ok", &[("ü", "ü")]),
    ];
    for (text, read, parts) in cases {
        let (got, sources) = item_text(text, &parts.iter().map(|p| p.0).collect::<Vec<_>>());
        assert_eq!(got, read, "{text:?}");
        let wanted: Vec<&str> = parts.iter().map(|p| p.1).collect();
        assert_eq!(sources, wanted, "{text:?}");
    }
}

#[test]
fn an_items_text_stops_where_its_nested_list_begins() {
    let text = "- `a` first\n  - `b`\n\n  then `c`\n- `d`\n";
    let plan = parse(text, None);
    let read: Vec<&str> = plan
        .items
        .iter()
        .map(|i| plan.text_of(i).as_str())
        .collect();
    assert_eq!(read, ["a first", "b", "d"]);
    let text = "- one\n\n  two\n\n  ```\n  code\n  ```\n- three\n";
    let plan = parse(text, None);
    let read: Vec<&str> = plan
        .items
        .iter()
        .map(|i| plan.text_of(i).as_str())
        .collect();
    assert_eq!(
        read,
        ["one two", "three"],
        "paragraphs join; code blocks are no text"
    );
}

#[test]
fn detects_high_priority_plans() {
    let plan = parse(
        "# [HIGH PRIORITY] Implementation Plan: H-20250711T141500 - X\n",
        None,
    );
    assert_eq!(plan.kind(), PlanKind::HighPriority);
    let plan = parse("# Anything\n", Some("H-20250711T141500-x.md"));
    assert_eq!(plan.kind(), PlanKind::HighPriority);
    assert_eq!(
        parse("# Implementation Plan: M01 - X\n", None).kind(),
        PlanKind::Regular
    );
}

#[test]
fn collects_html_comments() {
    let text = "# T\n<!-- plancheck-disable PC203 -->\ntext <!-- inline -->\n";
    let plan = parse(text, None);
    let comments: Vec<_> = plan.comments.iter().map(|c| &text[c.range()]).collect();
    assert_eq!(
        comments,
        vec!["<!-- plancheck-disable PC203 -->", "<!-- inline -->"]
    );
}

mod properties {
    use super::super::parse;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC*") {
            let _ = parse(&s, None);
        }

        #[test]
        fn an_items_text_maps_back_into_the_file(s in "([-*`_\\[\\]():\\\\&;\n\r >]|[a-c]|é|  - |\\*\\*){0,60}") {
            let plan = parse(&s, None);
            for item in &plan.items {
                let text = plan.text_of(item);
                let len = text.as_str().len();
                let bounds: Vec<usize> = (0..=len).filter(|&at| text.as_str().is_char_boundary(at)).collect();
                for &from in &bounds {
                    for &to in bounds.iter().filter(|&&to| to >= from) {
                        let span = text.source(from..to);
                        prop_assert!(span.start <= span.end && span.end <= s.len());
                        prop_assert!(s.is_char_boundary(span.start) && s.is_char_boundary(span.end));
                    }
                }
            }
        }

        #[test]
        fn parse_never_panics_on_markdownish_text(s in "([#*`\\-\\[\\]{}>:=\n\r \t]|[a-z]|é|TASK-|\\*\\*){0,200}") {
            let _ = parse(&s, Some("H-x.md"));
        }
    }
}

#[test]
fn a_plain_heading_is_the_plans_own_text_and_a_marked_up_one_is_joined() {
    use std::borrow::Cow;
    let plan = parse("# Plain title  \n\n## A *marked* `up` one\n", None);
    assert!(matches!(
        &plan.headings[0].text,
        Cow::Borrowed("Plain title")
    ));
    assert_eq!(plan.headings[1].text, "A marked up one");
}

#[test]
fn a_cr_alone_ends_a_line_as_lf_and_crlf_do() {
    let lf = "Title\n===\n\n## Metadata\n- **Status**: active\n\n## Empty\n## Notes\ntext\n";
    for ending in ["\n", "\r\n", "\r"] {
        let text = lf.replace('\n', ending);
        let plan = parse(&text, None);
        let bodies: Vec<(&str, bool)> = plan
            .headings
            .iter()
            .map(|h| (&text[h.span.range()], h.has_content))
            .collect();
        assert_eq!(
            bodies,
            [
                ("Title", true),
                ("## Metadata", true),
                ("## Empty", false),
                ("## Notes", true)
            ],
            "{ending:?}"
        );
        let field = plan.field_of(&plan.items[0]).unwrap();
        assert_eq!(
            (field.name, field.value),
            ("Status", "active"),
            "{ending:?}"
        );
        let lines: Vec<&str> = lines_outside_fences(&text).map(|(_, l)| l).collect();
        assert_eq!(lines, lf.lines().collect::<Vec<_>>(), "{ending:?}");
    }
}

/// A plan read in the smallest pieces there may be is the plan read whole.
fn read_in_pieces_as_whole(text: &str) -> Result<(), String> {
    let whole = format!("{:#?}", parse_in_pieces(text, None, usize::MAX));
    let in_pieces = format!("{:#?}", parse_in_pieces(text, None, 1));
    if whole == in_pieces {
        return Ok(());
    }
    let differs = whole
        .lines()
        .zip(in_pieces.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    let around = |all: &str| {
        all.lines()
            .skip(differs.saturating_sub(8))
            .take(16)
            .collect::<Vec<_>>()
            .join("\n")
    };
    Err(format!(
        "{text:?}\n--- whole\n{}\n--- in pieces\n{}",
        around(&whole),
        around(&in_pieces)
    ))
}

#[test]
fn every_fixture_plan_reads_in_pieces_as_whole() {
    let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    let mut read = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                read_in_pieces_as_whole(&text).unwrap();
                read += 1;
            }
        }
    }
    assert!(read > 50);
}

#[test]
fn blocks_that_a_cut_would_end_are_read_whole() {
    for text in [
        "# T\n```\n- a\n# b\n```\n- c\n",
        "# T\n- a\n  ```\n- b\n```\n- c\n```\n- d\n",
        "# T\n````\n```\n- a\n````\n- b\n",
        "# T\n~~~\n- a\n",
        "<!--\n- a\n# b\n-->\n- c\n",
        "<div>\n- a\n\n- b\n",
        "| a | b |\n|---|---|\n- c\n# d\n",
        "> ```\n- a\n> - b\n",
        "para\n-\n- b\n*\n+ c\n",
        "para\n# h\nx\n## h2\n- y\n",
        "- a\n\n  more\n- b\n\n- c\n",
        "[r]: /u\n- [x][r]\n- y\n",
        "- a[^1]\n\n[^1]: note\n- b\n",
        "Setext\n- x\n---\n- y\n===\n",
    ] {
        read_in_pieces_as_whole(text).unwrap();
    }
}

mod pieces {
    use super::read_in_pieces_as_whole;
    use proptest::prelude::*;

    /// Lines of the blocks that reach across lines, or end others.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("- item".to_string()),
            Just("  - nested".to_string()),
            Just("* star".to_string()),
            Just("1. one".to_string()),
            Just("-".to_string()),
            Just("# heading".to_string()),
            Just("## Metadata".to_string()),
            Just("- **Status**: active".to_string()),
            Just("```".to_string()),
            Just("  ```".to_string()),
            Just("~~~~".to_string()),
            Just("    code".to_string()),
            Just("<!--".to_string()),
            Just("-->".to_string()),
            Just("<div>".to_string()),
            Just("> quote".to_string()),
            Just("> ```".to_string()),
            Just("| a | b |".to_string()),
            Just("|---|---|".to_string()),
            Just("---".to_string()),
            Just("===".to_string()),
            Just("text with `code` and **bold** [link](u)".to_string()),
            Just("  lazy".to_string()),
            Just("$$".to_string()),
            Just("- ```".to_string()),
            Just("\t- tab".to_string()),
            Just("> - quoted item".to_string()),
            Just("<pre>".to_string()),
            Just("</pre>".to_string()),
            Just("+ plus with <b>html</b>".to_string()),
            Just("1) paren".to_string()),
            Just("#nospace".to_string()),
            Just("####### seven".to_string()),
            Just("- [ ] task".to_string()),
            Just("a | b".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn any_text_reads_in_pieces_as_whole(
            lines in proptest::collection::vec(line(), 0..24),
            ending in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        ) {
            let text = lines.join(ending);
            prop_assert!(read_in_pieces_as_whole(&text).is_ok(), "{}", read_in_pieces_as_whole(&text).unwrap_err());
        }
    }
}
