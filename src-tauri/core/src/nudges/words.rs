//! Text broken up for matching: `Words` lowercases, straightens curly apostrophes,
//! expands contractions ("I’m" → "i am", "didn't" → "did not") and keeps the words
//! sentence by sentence, with the signs of detail that survive lowercasing (digits,
//! quotes, names). The helpers below match phrases word by word.
//!
//! A tokenizer only: it must not know the rules or their phrase lists (text_rules.rs and
//! phrases.rs do), and it must not panic on any text.

/// Quotation marks: a quotation is detail nobody writes by accident.
const QUOTE_MARKS: [char; 9] = [
    '"', '\u{201c}', '\u{201d}', '\u{201e}', '\u{ab}', '\u{bb}', '\u{300c}', '\u{300d}', '\u{2033}',
];

/// Where a sentence ends; a phrase never matches across one.
const SENTENCE_ENDS: [char; 11] = [
    '.', '!', '?', ';', ':', '\n', '\u{2026}', '\u{3002}', '\u{ff01}', '\u{ff1f}', '\u{61f}',
];

/// Negations typed without their apostrophe ("didnt").
const NOT_WITHOUT_APOSTROPHE: &[&str] = &[
    "didnt", "dont", "doesnt", "wasnt", "isnt", "couldnt", "wouldnt", "shouldnt", "havent",
    "hasnt", "hadnt", "werent", "arent", "mustnt",
];

/// Words whose "'s" is "is" ("it's"), not a possessive ("the client's").
const IS_CONTRACTIONS: &[&str] = &[
    "it", "that", "there", "here", "he", "she", "what", "who", "where", "this",
];

/// Text broken into lowercase words, sentence by sentence, with contractions expanded,
/// plus the signs of detail that survive lowercasing (digits, quotes, names).
pub(super) struct Words {
    pub(super) sentences: Vec<Vec<String>>,
    /// Words as typed, before contractions were expanded.
    pub(super) count: usize,
    pub(super) chars: usize,
    pub(super) has_digit: bool,
    pub(super) has_quote: bool,
    /// A capitalised word that does not start a sentence and is not "I": a person, a
    /// place, a product ("Acme", "Priya", "Friday").
    pub(super) has_name: bool,
}

impl Words {
    pub(super) fn of(text: &str) -> Words {
        // Text with no lowercase letter is shouting (or a script without case), and
        // says nothing about names.
        let shouting = !text.chars().any(char::is_lowercase);
        let chars: Vec<char> = text.chars().map(straighten).collect();
        let mut words = Words {
            sentences: Vec::new(),
            count: 0,
            chars: text.chars().filter(|c| !c.is_whitespace()).count(),
            has_digit: text.chars().any(char::is_numeric),
            has_quote: text.chars().any(|c| QUOTE_MARKS.contains(&c)),
            has_name: false,
        };
        let mut sentence: Vec<String> = Vec::new();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            // An apostrophe belongs to a word only between letters: "didn't", "l'équipe".
            let inner_apostrophe = c == '\''
                && !word.is_empty()
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
            if c.is_alphanumeric() || inner_apostrophe {
                word.push(c);
                continue;
            }
            words.end_word(&mut word, &mut sentence, shouting);
            if SENTENCE_ENDS.contains(&c) && !sentence.is_empty() {
                words.sentences.push(std::mem::take(&mut sentence));
            }
        }
        words.end_word(&mut word, &mut sentence, shouting);
        if !sentence.is_empty() {
            words.sentences.push(sentence);
        }
        words
    }

    fn end_word(&mut self, word: &mut String, sentence: &mut Vec<String>, shouting: bool) {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if capitalised && !shouting && !sentence.is_empty() && !is_first_person(&lower) {
            self.has_name = true;
        }
        self.count += 1;
        expand(&lower, sentence);
        word.clear();
    }

    pub(super) fn all(&self) -> impl Iterator<Item = &str> {
        self.sentences.iter().flatten().map(String::as_str)
    }

    pub(super) fn has_word(&self, list: &[&str]) -> bool {
        self.all().any(|w| list.contains(&w))
    }

    pub(super) fn has_phrase(&self, list: &[&str]) -> bool {
        self.sentences
            .iter()
            .any(|s| (0..s.len()).any(|i| starts_with_any(&s[i..], list)))
    }

    pub(super) fn first(&self) -> Option<&str> {
        self.all().next()
    }

    pub(super) fn joined(&self) -> String {
        self.all().collect::<Vec<_>>().join(" ")
    }
}

/// Curly and typographic apostrophes become the plain one, so "I’m" reads as "I'm".
fn straighten(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}' | '`' | '\u{00b4}' => '\'',
        other => other,
    }
}

fn is_first_person(lower: &str) -> bool {
    lower == "i" || lower.starts_with("i'")
}

/// Push a lowercase word, contractions expanded, so one phrase list covers "I'm" and
/// "I am", "didn't", "didnt" and "did not".
fn expand(word: &str, out: &mut Vec<String>) {
    let mut push = |parts: &[&str]| {
        out.extend(
            parts
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| p.to_string()),
        )
    };
    match word {
        "can't" | "cant" | "cannot" => return push(&["can", "not"]),
        "won't" => return push(&["will", "not"]),
        "shan't" => return push(&["shall", "not"]),
        "ain't" => return push(&["is", "not"]),
        "im" => return push(&["i", "am"]),
        "ive" => return push(&["i", "have"]),
        _ => {}
    }
    if let Some(stem) = word.strip_suffix("n't") {
        return push(&[stem, "not"]);
    }
    if NOT_WITHOUT_APOSTROPHE.contains(&word) {
        if let Some(stem) = word.strip_suffix("nt") {
            return push(&[stem, "not"]);
        }
    }
    for (tail, full) in [
        ("'m", "am"),
        ("'re", "are"),
        ("'ve", "have"),
        ("'ll", "will"),
        ("'d", "would"),
    ] {
        if let Some(stem) = word.strip_suffix(tail) {
            return push(&[stem, full]);
        }
    }
    if let Some(stem) = word.strip_suffix("'s") {
        // "it's" is "it is"; "the client's" is a possessive.
        return if IS_CONTRACTIONS.contains(&stem) {
            push(&[stem, "is"])
        } else {
            push(&[stem])
        };
    }
    push(&[word]);
}

/// Whether `words` starts with `phrase` (words separated by single spaces).
pub(super) fn starts_with(words: &[String], phrase: &str) -> bool {
    let mut at = 0;
    for part in phrase.split(' ') {
        if words.get(at).map(String::as_str) != Some(part) {
            return false;
        }
        at += 1;
    }
    at > 0
}

pub(super) fn starts_with_any(words: &[String], list: &[&str]) -> bool {
    list.iter().any(|p| starts_with(words, p))
}

/// The words after `phrase` when `words` starts with it.
pub(super) fn strip<'a>(words: &'a [String], phrase: &str) -> Option<&'a [String]> {
    starts_with(words, phrase).then(|| &words[phrase.split(' ').count()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contractions_and_curly_apostrophes_read_as_the_plain_words() {
        let words = Words::of("I’m sure it didn’t; it's the client's call. Cant say");
        assert_eq!(
            words.sentences,
            [
                vec!["i", "am", "sure", "it", "did", "not"],
                vec!["it", "is", "the", "client", "call"],
                vec!["can", "not", "say"],
            ]
        );
        assert_eq!(words.count, 10);
    }

    #[test]
    fn names_are_capitalised_words_inside_a_sentence() {
        assert!(Words::of("It failed when Priya asked").has_name);
        assert!(!Words::of("It failed. Then I left").has_name);
        assert!(
            !Words::of("IT FAILED AGAIN").has_name,
            "shouting is not a name"
        );
        assert!(!Words::of("so I’ll try").has_name);
    }
}
