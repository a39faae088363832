//! A first look at a cycle as the store holds it (its JSON), before it is decoded: a
//! cycle whose JSON lacks a searched word, in any ASCII case, cannot match, so a search
//! over thousands of cycles decodes only the few that may.
//!
//! Why a word missing from the JSON is missing from the cycle: JSON writes text as it
//! is except `"`, `\` and control characters, which a word checked here never holds;
//! and lowercasing turns a character outside ASCII into ASCII only for the Kelvin sign
//! (K, into k) and the capital I with a dot (İ, into i and a dot), whose presence
//! turns the first look off.

use super::Filter;

/// The Kelvin sign and the capital I with a dot, in UTF-8.
const LOWERED_INTO_ASCII: [&[u8]; 2] = ["\u{212a}".as_bytes(), "\u{130}".as_bytes()];

impl Filter {
    /// Whether the cycle whose JSON is `json` may match the searched words: `false`
    /// only when it surely does not. The other parts of the filter are not looked at.
    pub fn may_match_json(&self, json: &[u8]) -> bool {
        if LOWERED_INTO_ASCII
            .iter()
            .any(|c| memchr::memmem::find(json, c).is_some())
        {
            return true;
        }
        self.words
            .iter()
            .all(|word| !written_as_is(word) || holds_folded(json, word.as_bytes()))
    }
}

/// Whether JSON writes `word` as it is: plain ASCII without `"`, `\` or a control
/// character.
fn written_as_is(word: &str) -> bool {
    word.bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_control() && b != b'"' && b != b'\\')
}

/// Whether `text` holds `word` (ASCII) in any ASCII case.
pub(super) fn holds_folded(text: &[u8], word: &[u8]) -> bool {
    let Some((&first, rest)) = word.split_first() else {
        return true;
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while let Some(at) = memchr::memchr2(lower, upper, &text[from..]) {
        let next = from + at + 1;
        if text
            .get(next..next + rest.len())
            .is_some_and(|after| after.eq_ignore_ascii_case(rest))
        {
            return true;
        }
        from = next;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::FilterInput;
    use super::*;

    fn words(search: &str) -> Filter {
        let input = FilterInput {
            search: Some(search.into()),
            ..FilterInput::default()
        };
        input.check().unwrap_or_default()
    }

    #[test]
    fn a_word_is_found_in_any_ascii_case_and_only_whole() {
        assert!(holds_folded(b"at the @Work desk", b"@work"));
        assert!(holds_folded(b"WORK", b"work"));
        assert!(holds_folded(b"wwork", b"work"));
        assert!(!holds_folded(b"wor", b"work"));
        assert!(!holds_folded(b"w0rk", b"work"));
        assert!(holds_folded(b"anything", b""));
    }

    #[test]
    fn only_cycles_that_surely_miss_a_word_are_ruled_out() {
        let json = br#"{"area":"Work","observation":"said \"no\" at \\ the @HOME desk"}"#;
        assert!(words("@home work").may_match_json(json));
        assert!(!words("@home play").may_match_json(json));
        // Words JSON does not write as they are are left to the full search.
        assert!(words("\"no\"").may_match_json(json));
        assert!(words("\\").may_match_json(json));
        assert!(words("naïve").may_match_json(json));
        // Lowercased, the Kelvin sign is a k and the dotted capital I holds an i.
        assert!(words("kelvin").may_match_json("{\"a\":\"\u{212a}elvin\"}".as_bytes()));
        assert!(words("xi").may_match_json("{\"a\":\"X\u{130}\"}".as_bytes()));
        assert!(!words("xi").may_match_json("{\"a\":\"X\u{131}\"}".as_bytes()));
    }
}
