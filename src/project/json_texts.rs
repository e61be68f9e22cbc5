//! Texts in the shapes of project files, and near them, for the tests that hold the readers
//! of `load.rs` to what a `serde_json::Value` of each file says: well formed, with values of
//! other shapes here and there, and now and then broken.
use proptest::prelude::*;

pub fn string(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    let odd = [
        "",
        "M-01",
        "M01-v1-a.md",
        "Phase 1",
        "\u{e9}",
        "a\\nb",
        "\\\"q\\\"",
        "\\u00e9",
        "\\ud83d\\ude00",
        "\\ud800",
        "\\x",
        "\t",
        "\\/",
    ];
    let words = prop::sample::select(words.to_vec());
    let odd = prop::sample::select(odd.to_vec());
    prop_oneof![5 => words, 1 => odd].prop_map(|s| format!("\"{s}\""))
}

/// A well-formed value whose strings are `words`.
pub fn tidy_value(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    let words = prop::sample::select(words.to_vec()).prop_map(|s| format!("\"{s}\""));
    let leaf = prop_oneof![
        1 => prop::sample::select(vec!["null", "true", "false", "0", "-2.5e3", "1E+99"])
            .prop_map(String::from),
        3 => words,
    ];
    leaf.prop_recursive(3, 16, 4, move |inner| {
        prop_oneof![list(inner.clone()), shaped(&["a", "id", "x"], inner)]
    })
}

pub fn value(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    let numbers = [
        "0",
        "-1",
        "2.5",
        "1e3",
        "-0.0e-2",
        "1e400",
        "1e99",
        "01",
        "1.",
        "-",
        "1E+99",
        "123456789012345678901",
        "12345678901234567890",
    ];
    let leaf = prop_oneof![
        1 => prop::sample::select(vec!["null", "true", "false", "fals"]).prop_map(String::from),
        1 => prop::sample::select(numbers.to_vec()).prop_map(String::from),
        3 => string(words),
    ];
    leaf.prop_recursive(4, 32, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|elements| format!("[{}]", elements.join(", "))),
            object(words, inner),
        ]
    })
}

fn object(
    words: &'static [&'static str],
    value: impl Strategy<Value = String>,
) -> impl Strategy<Value = String> {
    entries(string(words), value)
}

/// An object of up to five of `keys` (written as they are), each with a value from `value`.
pub fn shaped(
    keys: &'static [&'static str],
    value: impl Strategy<Value = String>,
) -> impl Strategy<Value = String> {
    let keys = prop::sample::select(keys.to_vec()).prop_map(|key| format!("\"{key}\""));
    entries(keys, value)
}

fn entries(
    key: impl Strategy<Value = String>,
    value: impl Strategy<Value = String>,
) -> impl Strategy<Value = String> {
    prop::collection::vec((key, value), 0..6).prop_map(|entries| {
        let entries: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!("{{{}}}", entries.join(",\n "))
    })
}

/// A list of up to four values from `element`.
pub fn list(element: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::collection::vec(element, 0..4).prop_map(|elements| format!("[{}]", elements.join(", ")))
}

/// A text from `text`, now and then cut short or with something slipped in, and now and
/// then after a byte-order mark.
pub fn slipped(text: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    let slips = prop::sample::select(vec![
        ",",
        "}",
        "]",
        "\"",
        " ",
        "\u{a0}",
        "\u{feff}",
        "[",
        "{\"a\": 1}",
        "\\",
    ]);
    let slip = prop_oneof![
        4 => Just(None),
        1 => (any::<prop::sample::Index>(), Just(None)).prop_map(Some),
        1 => (any::<prop::sample::Index>(), slips.prop_map(Some)).prop_map(Some),
    ];
    (text, slip, any::<bool>()).prop_map(|(mut text, slip, bom)| {
        if let Some((at, inserted)) = slip {
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match inserted {
                Some(inserted) => text.insert_str(at, inserted),
                None => text.truncate(at),
            }
        }
        if bom {
            text.insert(0, '\u{FEFF}');
        }
        text
    })
}

/// How many of a thousand texts from `texts` `read` reads (`Some`).
pub fn read_of_a_thousand<T>(
    texts: impl Strategy<Value = String>,
    read: impl Fn(&str) -> Option<T>,
) -> usize {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..1000)
        .filter(|_| {
            let text = texts.new_tree(&mut runner).map(|tree| tree.current());
            text.is_ok_and(|text| read(&text).is_some())
        })
        .count()
}
