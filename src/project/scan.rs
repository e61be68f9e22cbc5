//! JSON text read in one pass for the few values plancheck takes, without serde's machinery:
//! it gives up (`None`) on whatever it is not sure serde_json reads alike, and the caller then
//! reads the file with serde_json, whose reading (and error) is the one that counts.
//!
//! What it accepts is well-formed JSON that serde_json reads the same into any type: it gives
//! up on every syntax error, on an escape in a string it hands out, on a `\u` escape of a
//! surrogate (valid or not depending on where serde_json reads it), on a number long enough to
//! be out of `f64`'s range and on nesting deeper than serde_json's recursion limit.

/// Deeper than this, serde_json may stop where it parses into a value (its limit is 128).
const MAX_DEPTH: u32 = 100;

/// A number longer than this, or with more exponent digits, may be out of range where
/// serde_json parses it as `f64`; none within both is (twenty digits times 1e99 is below
/// 1e120, and a value too small to stand is read as zero).
const MAX_NUMBER: usize = 20;
const MAX_EXPONENT: usize = 2;

pub struct Scan<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
}

impl<'a> Scan<'a> {
    /// A scan of `text` after its byte-order marks, which the serde_json read strips as well.
    pub fn new(text: &'a str) -> Scan<'a> {
        let body = text.trim_start_matches('\u{FEFF}');
        Scan {
            text,
            at: text.len() - body.len(),
            depth: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline]
    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes().get(self.at) {
            self.at += 1;
        }
    }

    /// The first byte of the next value, after white space.
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        self.space();
        self.bytes().get(self.at).copied()
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Option<()> {
        if self.bytes().get(self.at) == Some(&byte) {
            self.at += 1;
            Some(())
        } else {
            None
        }
    }

    /// Nothing but white space is left: the text was one value.
    pub fn end(mut self) -> Option<()> {
        self.space();
        (self.at == self.text.len()).then_some(())
    }

    /// A string without escapes, borrowed from the text.
    #[inline]
    pub fn string(&mut self) -> Option<&'a str> {
        self.space();
        self.eat(b'"')?;
        let start = self.at;
        let end = start + plain_length(&self.bytes()[start..]);
        if self.bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        // Both ends are next to a quote, so on a character boundary.
        self.text.get(start..end)
    }

    /// A string's value when the next value is one, or `None` inside after skipping any other.
    #[inline]
    pub fn string_or_skip(&mut self) -> Option<Option<&'a str>> {
        if self.peek()? == b'"' {
            self.string().map(Some)
        } else {
            self.skip().map(|()| None)
        }
    }

    /// Skips one value of any kind, checking it as serde_json would.
    pub fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                self.skip_string()
            }
            b'{' => self.object(|scan, _| scan.skip()),
            b'[' => self.array(Scan::skip),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// The rest of a string whose opening quote is read.
    fn skip_string(&mut self) -> Option<()> {
        loop {
            self.at += plain_length(&self.bytes()[self.at..]);
            match *self.bytes().get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    self.at += 1;
                    self.skip_escape()?;
                }
                _ => return None,
            }
        }
    }

    fn skip_escape(&mut self) -> Option<()> {
        match *self.bytes().get(self.at)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 1,
            b'u' => {
                let hex = self.bytes().get(self.at + 1..self.at + 5)?;
                let mut value = 0u32;
                for &digit in hex {
                    value = value * 16 + char::from(digit).to_digit(16)?;
                }
                if (0xD800..0xE000).contains(&value) {
                    return None;
                }
                self.at += 5;
            }
            _ => return None,
        }
        Some(())
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        let rest = self.bytes().get(self.at..)?;
        rest.starts_with(word.as_bytes())
            .then(|| self.at += word.len())
    }

    fn digits(&mut self) -> Option<()> {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.bytes().get(self.at) {
            self.at += 1;
        }
        (self.at > start).then_some(())
    }

    fn number(&mut self) -> Option<()> {
        let start = self.at;
        let _ = self.eat(b'-');
        if self.eat(b'0').is_none() {
            self.digits()?;
        }
        if self.eat(b'.').is_some() {
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.bytes().get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes().get(self.at) {
                self.at += 1;
            }
            let digits = self.at;
            self.digits()?;
            if self.at - digits > MAX_EXPONENT {
                return None;
            }
        }
        (self.at - start <= MAX_NUMBER).then_some(())
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// Reads an object: `each` reads the value of each key (it must read it whole).
    pub fn object(&mut self, mut each: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.space();
        self.eat(b'{')?;
        self.enter()?;
        self.space();
        if self.eat(b'}').is_none() {
            loop {
                let key = self.string()?;
                self.space();
                self.eat(b':')?;
                each(self, key)?;
                self.space();
                if self.eat(b',').is_none() {
                    self.eat(b'}')?;
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// Reads a list: `each` reads each element (it must read it whole).
    pub fn array(&mut self, mut each: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.space();
        self.eat(b'[')?;
        self.enter()?;
        self.space();
        if self.eat(b']').is_none() {
            loop {
                each(self)?;
                self.space();
                if self.eat(b',').is_none() {
                    self.eat(b']')?;
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(())
    }
}

/// How many bytes of `bytes` stand in a string as they are: up to the first quote, backslash
/// or control character. Eight at a time, as serde_json looks (a byte loop costs three times
/// as much over the strings of twenty thousand task files).
#[inline]
fn plain_length(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    let mut at = 0;
    while let Some(Ok(word)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) {
        let word = u64::from_le_bytes(word);
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
        let quote = has_zero(word ^ (ONES * u64::from(b'"')));
        let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
        let found = control | quote | backslash;
        if found != 0 {
            return at + found.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    let rest = &bytes[at..];
    at + (rest.iter())
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the scan reads `text` as one value; serde_json must then read it too.
    fn scans(text: &str) -> bool {
        let mut scan = Scan::new(text);
        let read = scan.skip().and_then(|()| scan.end()).is_some();
        if read {
            assert!(
                serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{FEFF}'))
                    .is_ok(),
                "{text:?}"
            );
        }
        read
    }

    #[test]
    fn reads_well_formed_json() {
        for text in [
            "{}",
            "[]",
            " {\"a\": [1, -2.5e+3, 0, true, false, null, \"x\\n\\u00e9\\\"\"]}\n",
            "\u{FEFF}{\"a\":{\"b\":{}}}",
            "\"\"",
            "-0",
            "12345678901234567890",
            "-1.5E-99",
            "0.00000001e-99",
        ] {
            assert!(scans(text), "{text:?}");
        }
    }

    #[test]
    fn gives_up_on_what_serde_json_might_read_otherwise() {
        for text in [
            "",
            "{",
            "{\"a\": 1,}",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{1: 2}",
            "01",
            "1.",
            "1e",
            "-",
            "+1",
            "1e400",
            "1e100",
            "123456789012345678901",
            "\"\\ud83d\\ude00\"",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"a\tb\"",
            "\"open",
            "tru",
            "nul",
            "{} {}",
            "\u{a0}{}",
            &format!("{}{}", "[".repeat(101), "]".repeat(101)),
        ] {
            assert!(!scans(text), "{text:?}");
        }
        assert!(scans(&format!("{}{}", "[".repeat(100), "]".repeat(100))));
    }

    #[test]
    fn plain_lengths_stop_at_the_first_quote_backslash_or_control() {
        for text in [
            "",
            "abc",
            "abcdefghijklmnop",
            "\u{e9}\u{1F600}xyz",
            "\x7f\u{80}",
        ] {
            assert_eq!(plain_length(text.as_bytes()), text.len(), "{text:?}");
            for stop in ["\"", "\\", "\n", "\u{0}", "\u{1f}"] {
                for at in 0..=text.len() {
                    if !text.is_char_boundary(at) {
                        continue;
                    }
                    let with = format!("{}{stop}{}\"", &text[..at], &text[at..]);
                    assert_eq!(plain_length(with.as_bytes()), at, "{with:?}");
                }
            }
        }
    }

    #[test]
    fn strings_with_escapes_are_not_handed_out() {
        let mut scan = Scan::new(r#"["plain", "with \" quote"]"#);
        let mut read = Vec::new();
        let whole = scan.array(|scan| {
            read.push(scan.string_or_skip()?);
            Some(())
        });
        assert_eq!(whole, None);
        assert_eq!(read, [Some("plain")]);
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// The texts are a mix: a check over only broken or only scanned ones checks little.
        #[test]
        fn the_texts_are_scanned_some_of_the_time() {
            let scanned =
                arbitrary::read_of_a_thousand(arbitrary::json_text(&["a", "b"]), |text| {
                    let mut scan = Scan::new(text);
                    scan.skip().and_then(|()| scan.end())
                });
            assert!((200..800).contains(&scanned), "{scanned} of 1000");
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn what_is_scanned_serde_json_reads(text in arbitrary::json_text(&["a", "b"])) {
                let mut scan = Scan::new(&text);
                if scan.skip().and_then(|()| scan.end()).is_some() {
                    let body = text.trim_start_matches('\u{FEFF}');
                    prop_assert!(serde_json::from_str::<serde_json::Value>(body).is_ok());
                }
            }
        }
    }
}

/// JSON-like texts for checking a scan against serde_json: mostly well-formed, with the
/// escapes, numbers and slips that a scan must give up on, and broken here and there.
#[cfg(test)]
pub mod arbitrary {
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

    /// A well-formed value whose strings are `words`, which a scan reads.
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
        prop::collection::vec(element, 0..4)
            .prop_map(|elements| format!("[{}]", elements.join(", ")))
    }

    /// An object whose keys and strings are mostly `words`, now and then broken.
    pub fn json_text(words: &'static [&'static str]) -> impl Strategy<Value = String> {
        slipped(object(words, value(words)))
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
}
