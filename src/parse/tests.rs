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
    let code: Vec<_> = plan.code_spans(&plan.items[0]).collect();
    assert_eq!(code[0].text, "user-login-flow");
    assert_eq!(&text[code[0].span.range()], "user-login-flow");
    assert_eq!(&text[code[1].span.range()], "b");
    assert!(plan.in_code(code[0].span));
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
fn an_items_code_after_its_nested_items_is_still_its_own() {
    let text = "- `a` first\n  - `b`\n\n  then `c`\n- `d`\n";
    let plan = parse(text, None);
    let code = |item: usize| -> Vec<String> {
        plan.code_spans(&plan.items[item])
            .map(|c| c.text.to_string())
            .collect()
    };
    assert_eq!(plan.items.len(), 3);
    assert_eq!(code(0), ["a", "c"]);
    assert_eq!(code(1), ["b"]);
    assert_eq!(code(2), ["d"]);
}
