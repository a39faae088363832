//! The text rules: whether an observation is vague, an adjustment untestable, an answer
//! empty, or a sentence a verdict on the person. Each is plain word matching over
//! `Words` with the lists in phrases.rs; docs/nudges.md writes the rules down and the
//! corpus in tests/nudge-corpus.json pins them.
//!
//! Answers yes or no only: which nudge a rule gives, beside which field and in what
//! words, is decided in mod.rs. No storage, no Tauri.

use super::phrases::{
    ALWAYS_VERDICTS, ANCHOR_PHRASES, ANCHOR_WORDS, EMPTY_ANSWERS, FILLERS, NEGATIONS,
    NEVER_VERDICTS, NUMBER_WORDS, SUBJECTS, TRAIT_VERDICT_TAILS, UNTESTABLE_PHRASES,
    VAGUE_OBSERVATION_PHRASES, VERDICT_PHRASES, VERDICT_TAILS, VERDICT_WORDS,
};
use super::words::{starts_with_any, strip, Words};

/// Text with fewer words than this, and fewer characters than `VERY_SHORT_CHARS`, is
/// too short to teach anything unless it carries a number or a name.
const VERY_SHORT_WORDS: usize = 3;
/// Scripts written without spaces make one long "word"; the character count keeps a
/// whole sentence of them from counting as very short.
const VERY_SHORT_CHARS: usize = 12;
/// An answer that starts with "nothing" or "none" and has at most this many words says
/// nothing was in my control ("Nothing I could have done").
const NOTHING_ANSWER_MAX_WORDS: usize = 6;
/// How many filler words ("just", "such", "a", "really"...) may sit between "I am" and
/// the verdict in "I'm just such a failure".
const MAX_FILLERS: usize = 4;
/// How many words may sit between "I" and "always"/"never" ("I can never…").
const ALWAYS_NEVER_REACH: usize = 3;
/// How far after "always"/"never" the self-judgement may start ("I always end up failing").
const ALWAYS_NEVER_WINDOW: usize = 4;
/// A verdict is not one when one of these stands this close before the "I"
/// ("that doesn't mean I'm a failure").
const NEGATION_REACH: usize = 3;
/// A vague word is not one when a negation stands this close before it ("not bad",
/// "wasn't a disaster").
const VAGUE_NEGATION_REACH: usize = 2;

fn is_very_short(words: &Words) -> bool {
    words.count < VERY_SHORT_WORDS && words.chars < VERY_SHORT_CHARS
}

/// Detail nobody writes by accident: a number, a quotation, a name.
fn has_strong_detail(words: &Words) -> bool {
    words.has_digit || words.has_quote || words.has_name || words.has_word(NUMBER_WORDS)
}

/// A moment, place, cause or what someone said, pinned down: "at the pricing slide",
/// "because…", "when the projector…", "before sending", "she asked".
fn has_anchor(words: &Words) -> bool {
    words.has_phrase(ANCHOR_PHRASES)
        || words.sentences.iter().any(|s| {
            s.iter().enumerate().any(|(i, w)| {
                let before = i.checked_sub(1).and_then(|j| s.get(j)).map(String::as_str);
                let after = s.get(i + 1).map(String::as_str);
                ANCHOR_WORDS.contains(&w.as_str())
                    // "than before", "after all": comparisons, not moments.
                    && !before.is_some_and(|b| ["than", "as", "like", "ever"].contains(&b))
                    && !after.is_some_and(|a| ["all", "that", "this"].contains(&a))
            })
        })
}

/// Like `Words::has_phrase`, but a phrase just after a negation does not count: "not
/// bad", "it wasn't a disaster", "it didn't go badly".
fn has_unnegated_phrase(words: &Words, list: &[&str]) -> bool {
    words.sentences.iter().any(|s| {
        (0..s.len()).any(|i| {
            starts_with_any(&s[i..], list)
                && !s[i.saturating_sub(VAGUE_NEGATION_REACH)..i]
                    .iter()
                    .any(|w| NEGATIONS.contains(&w.as_str()))
        })
    })
}
/// vague_observation: very short and without a number or a name, or built on a vague
/// verdict ("didn't work", "went badly", "it failed") with nothing concrete beside it.
pub(super) fn is_vague_observation(words: &Words) -> bool {
    let concrete = has_strong_detail(words) || has_anchor(words);
    let vague = has_unnegated_phrase(words, VAGUE_OBSERVATION_PHRASES);
    (is_very_short(words) && !has_strong_detail(words)) || (vague && !concrete)
}

/// untestable_adjustment: very short and without a number or a name, or built on a
/// good intention ("do better", "try harder", "be more careful") with nothing to check
/// it by. A filled check lets a moment ("before sending") count as something to check;
/// without a check, only a number, a name or a quotation does.
pub(super) fn is_untestable_adjustment(words: &Words, check_given: bool) -> bool {
    let strong = has_strong_detail(words);
    let vague = words.has_phrase(UNTESTABLE_PHRASES);
    let anchored = check_given && has_anchor(words);
    (is_very_short(words) && !strong) || (vague && !strong && !anchored)
}

/// An answer that says nothing: empty, punctuation, "n/a", "none", "nothing really",
/// "nothing I could have done", "out of my hands".
pub(super) fn is_empty_answer(text: &str) -> bool {
    let words = Words::of(text);
    let joined = words.joined();
    joined.is_empty()
        || EMPTY_ANSWERS.contains(&joined.as_str())
        || (words.count <= NOTHING_ANSWER_MAX_WORDS
            && words
                .first()
                .is_some_and(|w| ["nothing", "none"].contains(&w)))
}

/// identity_language: a verdict on the person rather than a fact about the attempt.
pub(super) fn has_identity_language(words: &Words) -> bool {
    words.sentences.iter().any(|s| {
        (0..s.len()).any(|i| {
            let negated = s[i.saturating_sub(NEGATION_REACH)..i]
                .iter()
                .any(|w| NEGATIONS.contains(&w.as_str()));
            !negated && is_verdict_at(&s[i..])
        })
    })
}

fn is_verdict_at(rest: &[String]) -> bool {
    starts_with_any(rest, VERDICT_PHRASES) || is_self_verdict(rest) || is_always_never(rest)
}

/// "I am (just such) a failure", "I feel stupid", "I'm not cut out for…", "I'm just not
/// a people person", and, where a trait is stated, "I'm bad at…", "I'm terrible".
fn is_self_verdict(rest: &[String]) -> bool {
    SUBJECTS.iter().any(|&(subject, states_trait)| {
        let Some(after) = strip(rest, subject) else {
            return false;
        };
        let skipped = skip_fillers(after);
        skipped
            .first()
            .is_some_and(|w| VERDICT_WORDS.contains(&w.as_str()))
            || starts_with_any(skipped, VERDICT_TAILS)
            || (states_trait && starts_with_any(skipped, TRAIT_VERDICT_TAILS))
            || is_not_a_kind_of_person(skipped)
    })
}

fn skip_fillers(words: &[String]) -> &[String] {
    let n = words
        .iter()
        .take(MAX_FILLERS)
        .take_while(|w| FILLERS.contains(&w.as_str()))
        .count();
    &words[n..]
}

/// "not a people person", "not the type", "not a numbers guy".
fn is_not_a_kind_of_person(words: &[String]) -> bool {
    let Some(after) = strip(words, "not") else {
        return false;
    };
    let after = match after.first().map(String::as_str) {
        Some("a" | "an" | "the") => &after[1..],
        _ => after,
    };
    after
        .iter()
        .take(4)
        .any(|w| ["person", "type", "guy", "girl", "natural"].contains(&w.as_str()))
}

/// "I always…" and "I never…" fire only with a self-judgement after them: "I always
/// mess up", "I never get it right", "I never finish anything". "I always check the
/// venue the day before" is a habit, not a verdict.
fn is_always_never(rest: &[String]) -> bool {
    if rest.first().map(String::as_str) != Some("i") {
        return false;
    }
    rest.iter()
        .enumerate()
        .skip(1)
        .take(ALWAYS_NEVER_REACH)
        .find_map(|(k, w)| match w.as_str() {
            "always" => Some((k, ALWAYS_VERDICTS)),
            "never" => Some((k, NEVER_VERDICTS)),
            _ => None,
        })
        .is_some_and(|(k, list)| {
            let after = &rest[k + 1..];
            (0..after.len().min(ALWAYS_NEVER_WINDOW)).any(|j| starts_with_any(&after[j..], list))
        })
}
