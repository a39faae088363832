//! Nudges: gentle notes beside a cycle's fields that teach the essay's method. Each
//! nudge names the rule that fired, the field it belongs beside and, in its message,
//! the reason. Nudges never block saving; they are computed from whatever the form
//! holds, half filled or not.
//!
//! Pure functions over text and numbers: no storage, no Tauri. The text rules are plain
//! word matching, no regex: text is lowercased, curly apostrophes are straightened,
//! contractions are expanded ("I’m" → "i am", "didn't" → "did not") and the words are
//! kept sentence by sentence, so a phrase only matches whole words inside one sentence.
//! Text in any language is safe to pass; the phrase lists are English, so other
//! languages rarely fire anything. The rules and their messages are written down in
//! docs/nudges.md and pinned by the corpus in tests/nudge-corpus.json.

use serde::Serialize;
use serde_json::Value;

use crate::cycle::{CycleFields, Outcome, GENUINE_EFFORT};

/// Stakes at this value mean "not bounded" (the scale is 1–5).
pub const UNBOUNDED_STAKES: u8 = 5;
/// Stress and identity both at or above this (on 0–10), after a setback, suggest a
/// smaller step next time.
pub const HIGH_AFTERMATH: u8 = 7;

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

/// The fields nudges sit beside, in the order the form shows them. Nudges are returned
/// in this order.
const FORM_ORDER: [&str; 11] = [
    "attempt",
    "stakes",
    "effort",
    "stress",
    "identity",
    "reframe",
    "observation",
    "in_my_control",
    "external",
    "adjustment",
    "check",
];

// ---------------------------------------------------------------------------------------
// Messages. Second person, short, specific, kind (docs/nudges.md; UX.md "Words"). A test
// keeps them free of shaming words and exclamation marks.

const VAGUE_OBSERVATION: &str = "What exactly broke, and where? The essay’s contrast: \
“That didn’t work” is not an observation; “The approach broke at the handoff between \
planning and execution because I had not accounted for the two-week lag in supplier \
response times” is. A moment, a number or a name makes this something you can learn from.";

const UNTESTABLE_ADJUSTMENT: &str = "How will you know you did it? “I will do better next \
time” is not an adjustment; “I will build a two-week buffer into any plan that depends on \
external suppliers” is. Name one change you could see yourself make on the next attempt.";

const UNTESTABLE_ADJUSTMENT_NO_CHECK: &str =
    "Then use the check to say how the next attempt will show whether it worked.";

const ONLY_EXTERNAL: &str = "Some causes really are outside you, and it helps to name \
them. The honest question is the other half: what was within your control that you could \
do differently? Even a small thing gives your next attempt something to change.";

const IDENTITY_LANGUAGE: &str = "That sounds like a verdict on you. What happened to the \
attempt? “This attempt failed” is a data point about a strategy in a context, and it \
points to what you could try next.";

const IDENTITY_LANGUAGE_ELSEWHERE: &str =
    "Try restating it in the reframe: “This attempt failed because…”.";

const IDENTITY_LANGUAGE_IN_REFRAME: &str =
    "Try restating it as a fact about the attempt: “This attempt failed because…”.";

const UNBOUNDED_STAKES_MESSAGE: &str = "Stakes at 5 mean the downside has no ceiling. \
The method asks for stakes that are real but bounded, so a failure can teach you instead \
of arriving as a threat. Could you keep the attempt and shrink what is at risk?";

const LOW_EFFORT: &str = "With effort at 1 or 2, this attempt stays in your journal but \
is left out of your evidence: a half-hearted try is noise, not signal. If you did give it \
everything, raise the effort; if not, next time pick a step you can really try to win.";

const SMALLER_STEP: &str = "Stress and the sense of a verdict both ran high after this \
one. When failure lands as a threat, it teaches less. Next time in this area, consider a \
smaller step (a lower difficulty) so the result stays information you can use.";

// ---------------------------------------------------------------------------------------
// Word lists. Lowercase, contractions expanded ("did not", "i am"), one space between
// words. docs/nudges.md describes them; the corpus pins them.

const QUOTE_MARKS: [char; 9] = [
    '"', '\u{201c}', '\u{201d}', '\u{201e}', '\u{ab}', '\u{bb}', '\u{300c}', '\u{300d}', '\u{2033}',
];

const SENTENCE_ENDS: [char; 11] = [
    '.', '!', '?', ';', ':', '\n', '\u{2026}', '\u{3002}', '\u{ff01}', '\u{ff1f}', '\u{61f}',
];

const NOT_WITHOUT_APOSTROPHE: &[&str] = &[
    "didnt", "dont", "doesnt", "wasnt", "isnt", "couldnt", "wouldnt", "shouldnt", "havent",
    "hasnt", "hadnt", "werent", "arent", "mustnt",
];

const IS_CONTRACTIONS: &[&str] = &[
    "it", "that", "there", "here", "he", "she", "what", "who", "where", "this",
];

const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "half",
    "dozen", "first", "second", "third", "fourth", "fifth", "twice",
];

const ANCHOR_WORDS: &[&str] = &[
    "during",
    "between",
    "because",
    "halfway",
    "before",
    "after",
    "until",
    "within",
    "every",
    "each",
    "per",
    "instead",
    "said",
    "asked",
    "told",
    "replied",
    "answered",
    "wrote",
    "mentioned",
    "objected",
    "interrupted",
];

const ANCHOR_PHRASES: &[&str] = &[
    "at the",
    "at my",
    "at our",
    "at their",
    "at his",
    "at her",
    "at a",
    "at an",
    "at slide",
    "on slide",
    "on page",
    "in the first",
    "in the middle",
    "in the last",
    "when the",
    "when my",
    "when our",
    "when their",
    "when his",
    "when her",
    "when he",
    "when she",
    "when they",
    "rather than",
    "by the",
];

const VAGUE_OBSERVATION_PHRASES: &[&str] = &[
    "did not work",
    "does not work",
    "not work out",
    "did not go well",
    "did not go to plan",
    "did not go as planned",
    "did not land",
    "nothing worked",
    "went badly",
    "went bad",
    "went wrong",
    "went poorly",
    "go wrong",
    "got it wrong",
    "all wrong",
    "not great",
    "not good",
    "no good",
    "no luck",
    "fell flat",
    "fell apart",
    "blew it",
    "messed up",
    "screwed up",
    "as usual",
    "the usual",
    "same as always",
    "failed",
    "fail",
    "fails",
    "failure",
    "bad",
    "badly",
    "terrible",
    "terribly",
    "awful",
    "horrible",
    "disaster",
    "disastrous",
    "bombed",
    "flopped",
    "sucked",
    "poorly",
    "meh",
    "rubbish",
];

const UNTESTABLE_PHRASES: &[&str] = &[
    "do better",
    "be better",
    "get better",
    "try harder",
    "try more",
    "work harder",
    "push harder",
    "be more",
    "be less",
    "be careful",
    "focus more",
    "more focused",
    "more confident",
    "be confident",
    "prepare more",
    "prepare better",
    "practice more",
    "practise more",
    "plan better",
    "communicate better",
    "more effort",
    "keep trying",
    "keep going",
    "just try again",
    "try again next time",
    "not give up",
    "never give up",
    "stay positive",
    "think positive",
    "believe in myself",
    "stay calm",
    "relax more",
    "just relax",
    "pay more attention",
    "work smarter",
    "step up",
    "improve myself",
    "just improve",
    "do things differently",
    "do it differently",
    "do something different",
    "try something different",
    "different approach",
    "change my approach",
    "change the approach",
    "prepare differently",
    "approach it differently",
    "learn from this",
    "learn from it",
    "get it right",
    "do it right",
];

const EMPTY_ANSWERS: &[&str] = &[
    "n a",
    "na",
    "no",
    "nope",
    "nil",
    "nada",
    "zero",
    "not much",
    "not really",
    "not applicable",
    "idk",
    "i do not know",
    "do not know",
    "no idea",
    "not sure",
    "out of my control",
    "out of my hands",
    "it was out of my hands",
    "it was out of my control",
    "not in my control",
    "not my fault",
    "it was not my fault",
    "it was not me",
    "can not think of anything",
    "i can not think of anything",
];

/// Stand close before "I" and turn a verdict into its denial ("that doesn't mean I'm…").
const NEGATIONS: &[&str] = &["not", "no", "never", "nor"];

/// Anywhere in a sentence.
const VERDICT_PHRASES: &[&str] = &[
    "i suck",
    "i ruin everything",
    "i mess everything up",
    "i mess up everything",
    "i screw everything up",
    "i screw up everything",
    "i can not do anything right",
    "what is wrong with me",
    "something is wrong with me",
    "everything i do fails",
    "everything i touch",
];

/// The openings of a description of me, and whether they state a trait. "I feel bad"
/// is a feeling and "I was bad at reading the room" is about that day; "I am bad at
/// this" is a verdict.
const SUBJECTS: &[(&str, bool)] = &[
    ("i am", true),
    ("am i", true),
    ("i must be", true),
    ("i will always be", true),
    ("i was", false),
    ("i feel like", false),
    ("i felt like", false),
    ("i feel", false),
    ("i felt", false),
];

const FILLERS: &[&str] = &[
    "just",
    "such",
    "so",
    "a",
    "an",
    "the",
    "really",
    "completely",
    "totally",
    "utterly",
    "truly",
    "basically",
    "clearly",
    "obviously",
    "simply",
    "literally",
    "still",
    "always",
    "total",
    "complete",
    "absolute",
    "pretty",
    "very",
];

const VERDICT_WORDS: &[&str] = &[
    "failure",
    "loser",
    "idiot",
    "useless",
    "stupid",
    "hopeless",
    "worthless",
    "incompetent",
    "pathetic",
    "fraud",
    "joke",
    "disappointment",
    "dumb",
    "fool",
    "moron",
    "inadequate",
    "impostor",
    "imposter",
    "talentless",
    "embarrassment",
    "nobody",
    "worst",
    "rubbish",
];

const VERDICT_TAILS: &[&str] = &[
    "not good enough",
    "not smart enough",
    "not clever enough",
    "not talented enough",
    "not strong enough",
    "not capable enough",
    "not cut out",
    "not made for",
    "not meant for",
    "no good",
    "good for nothing",
    "lost cause",
    "waste of space",
];

const TRAIT_VERDICT_TAILS: &[&str] = &["bad", "terrible", "awful", "crap", "not good at"];

/// After "I always…": a self-judgement, not a habit.
const ALWAYS_VERDICTS: &[&str] = &[
    "fail",
    "failing",
    "mess",
    "messing",
    "screw",
    "screwing",
    "ruin",
    "ruining",
    "blow it",
    "blowing it",
    "choke",
    "choking",
    "give up",
    "giving up",
    "quit",
    "quitting",
    "get it wrong",
    "get things wrong",
    "get everything wrong",
    "getting it wrong",
    "let everyone down",
    "let people down",
    "let them down",
    "let myself down",
    "fall apart",
    "fall short",
    "embarrass myself",
    "make a fool",
    "make a mess",
    "say the wrong thing",
];

/// After "I never…": success I deny myself, not a habit.
const NEVER_VERDICTS: &[&str] = &[
    "get it right",
    "got it right",
    "get anything right",
    "do anything right",
    "do it right",
    "do things right",
    "finish anything",
    "finish what",
    "finish things",
    "succeed",
    "win",
    "learn",
    "make it",
    "follow through",
    "stick with anything",
    "stick to anything",
    "good enough",
    "be good",
    "be any good",
    "be able",
    "get anywhere",
    "amount to",
    "get better",
    "improve",
    "measure up",
    "manage to",
];

// ---------------------------------------------------------------------------------------
// The API.

/// Each rule that can produce a nudge. The snake_case name is public: the window, the
/// CLI's JSON and docs/nudges.md use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    VagueObservation,
    UntestableAdjustment,
    OnlyExternal,
    IdentityLanguage,
    UnboundedStakes,
    LowEffort,
    SmallerStep,
}

impl Rule {
    pub const ALL: [Rule; 7] = [
        Rule::VagueObservation,
        Rule::UntestableAdjustment,
        Rule::OnlyExternal,
        Rule::IdentityLanguage,
        Rule::UnboundedStakes,
        Rule::LowEffort,
        Rule::SmallerStep,
    ];

    /// Return the public snake_case name, as in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Rule::VagueObservation => "vague_observation",
            Rule::UntestableAdjustment => "untestable_adjustment",
            Rule::OnlyExternal => "only_external",
            Rule::IdentityLanguage => "identity_language",
            Rule::UnboundedStakes => "unbounded_stakes",
            Rule::LowEffort => "low_effort",
            Rule::SmallerStep => "smaller_step",
        }
    }
}

/// One note to show beside a field: which rule fired, the field's public name, and a
/// message in the app's voice that carries the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Nudge {
    pub rule: Rule,
    pub field: &'static str,
    pub message: String,
}

/// What the rules read. Everything optional: the window asks while the form is half filled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NudgeInput {
    pub outcome: Option<Outcome>,
    pub stakes: Option<u8>,
    pub effort: Option<u8>,
    pub stress: Option<u8>,
    pub identity: Option<u8>,
    pub attempt: Option<String>,
    pub reframe: Option<String>,
    pub observation: Option<String>,
    pub in_my_control: Option<String>,
    pub external: Option<String>,
    pub adjustment: Option<String>,
    pub check: Option<String>,
}

impl From<&CycleFields> for NudgeInput {
    fn from(f: &CycleFields) -> NudgeInput {
        NudgeInput {
            outcome: Some(f.outcome),
            stakes: Some(f.stakes),
            effort: Some(f.effort),
            stress: f.stress,
            identity: f.identity,
            attempt: Some(f.attempt.clone()),
            reframe: f.reframe.clone(),
            observation: f.observation.clone(),
            in_my_control: f.in_my_control.clone(),
            external: f.external.clone(),
            adjustment: f.adjustment.clone(),
            check: f.check.clone(),
        }
    }
}

impl NudgeInput {
    /// Read leniently from a form draft (JSON object as the window sends it: strings,
    /// numbers or numeric strings; anything unreadable is simply skipped, never an error).
    pub fn from_draft(value: &Value) -> NudgeInput {
        // `Value::get` answers None for anything that is not an object, so a draft that
        // is not one reads as an empty form.
        let scale = |name: &str| value.get(name).and_then(read_scale);
        let text = |name: &str| value.get(name).and_then(read_text);
        NudgeInput {
            outcome: value.get("outcome").and_then(read_outcome),
            stakes: scale("stakes"),
            effort: scale("effort"),
            stress: scale("stress"),
            identity: scale("identity"),
            attempt: text("attempt"),
            reframe: text("reframe"),
            observation: text("observation"),
            in_my_control: text("in_my_control"),
            external: text("external"),
            adjustment: text("adjustment"),
            check: text("check"),
        }
    }
}

fn read_scale(value: &Value) -> Option<u8> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            // A slider may send 7.0; a whole float is still a whole number.
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && (0.0..=255.0).contains(f))
                    .map(|f| f as u8)
            }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn read_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn read_outcome(value: &Value) -> Option<Outcome> {
    match value {
        Value::String(s) => s.trim().to_lowercase().parse().ok(),
        _ => None,
    }
}

/// Return every nudge that applies, in a stable order: by field in form order, then by
/// rule in `Rule::ALL` order.
pub fn nudges(input: &NudgeInput) -> Vec<Nudge> {
    let mut found = Vec::new();
    let check_given = input.check.as_deref().is_some_and(|t| !is_empty_answer(t));

    if let Some(text) = present(&input.observation) {
        if is_vague_observation(&Words::of(text)) {
            found.push(nudge(
                Rule::VagueObservation,
                "observation",
                VAGUE_OBSERVATION,
            ));
        }
    }
    if let Some(text) = present(&input.adjustment) {
        if is_untestable_adjustment(&Words::of(text), check_given) {
            let message = if check_given {
                UNTESTABLE_ADJUSTMENT.to_string()
            } else {
                format!("{UNTESTABLE_ADJUSTMENT} {UNTESTABLE_ADJUSTMENT_NO_CHECK}")
            };
            found.push(Nudge {
                rule: Rule::UntestableAdjustment,
                field: "adjustment",
                message,
            });
        }
    }
    let external_given = input
        .external
        .as_deref()
        .is_some_and(|t| !is_empty_answer(t));
    let control_empty = input.in_my_control.as_deref().is_none_or(is_empty_answer);
    if external_given && control_empty {
        found.push(nudge(Rule::OnlyExternal, "in_my_control", ONLY_EXTERNAL));
    }
    let texts = [
        ("attempt", &input.attempt),
        ("reframe", &input.reframe),
        ("observation", &input.observation),
        ("in_my_control", &input.in_my_control),
        ("external", &input.external),
        ("adjustment", &input.adjustment),
        ("check", &input.check),
    ];
    for (field, text) in texts {
        if present(text).is_some_and(|t| has_identity_language(&Words::of(t))) {
            let message = if field == "reframe" {
                format!("{IDENTITY_LANGUAGE} {IDENTITY_LANGUAGE_IN_REFRAME}")
            } else {
                format!("{IDENTITY_LANGUAGE} {IDENTITY_LANGUAGE_ELSEWHERE}")
            };
            found.push(Nudge {
                rule: Rule::IdentityLanguage,
                field,
                message,
            });
        }
    }
    if input.stakes == Some(UNBOUNDED_STAKES) {
        found.push(nudge(
            Rule::UnboundedStakes,
            "stakes",
            UNBOUNDED_STAKES_MESSAGE,
        ));
    }
    // 0 is off the 1–5 scale: an unset slider, not a half-hearted attempt.
    if input
        .effort
        .is_some_and(|e| (1..GENUINE_EFFORT).contains(&e))
    {
        found.push(nudge(Rule::LowEffort, "effort", LOW_EFFORT));
    }
    let high = |score: Option<u8>| score.is_some_and(|s| (HIGH_AFTERMATH..=10).contains(&s));
    if input.outcome.is_some_and(Outcome::is_setback) && high(input.stress) && high(input.identity)
    {
        // Beside `identity`, the second of the pair, so the note sits under both.
        found.push(nudge(Rule::SmallerStep, "identity", SMALLER_STEP));
    }

    found.sort_by_key(|n| (form_position(n.field), rule_position(n.rule)));
    found
}

fn nudge(rule: Rule, field: &'static str, message: &str) -> Nudge {
    Nudge {
        rule,
        field,
        message: message.to_string(),
    }
}

fn present(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

fn form_position(field: &str) -> usize {
    FORM_ORDER
        .iter()
        .position(|f| *f == field)
        .unwrap_or(FORM_ORDER.len())
}

fn rule_position(rule: Rule) -> usize {
    Rule::ALL
        .iter()
        .position(|r| *r == rule)
        .unwrap_or(Rule::ALL.len())
}

// ---------------------------------------------------------------------------------------
// Words: text broken up for matching.

/// Text broken into lowercase words, sentence by sentence, with contractions expanded,
/// plus the signs of detail that survive lowercasing (digits, quotes, names).
struct Words {
    sentences: Vec<Vec<String>>,
    /// Words as typed, before contractions were expanded.
    count: usize,
    chars: usize,
    has_digit: bool,
    has_quote: bool,
    /// A capitalised word that does not start a sentence and is not "I": a person, a
    /// place, a product ("Acme", "Priya", "Friday").
    has_name: bool,
}

impl Words {
    fn of(text: &str) -> Words {
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

    fn all(&self) -> impl Iterator<Item = &str> {
        self.sentences.iter().flatten().map(String::as_str)
    }

    fn has_word(&self, list: &[&str]) -> bool {
        self.all().any(|w| list.contains(&w))
    }

    fn has_phrase(&self, list: &[&str]) -> bool {
        self.sentences
            .iter()
            .any(|s| (0..s.len()).any(|i| starts_with_any(&s[i..], list)))
    }

    /// Like `has_phrase`, but a phrase just after a negation does not count: "not bad",
    /// "it wasn't a disaster", "it didn't go badly".
    fn has_unnegated_phrase(&self, list: &[&str]) -> bool {
        self.sentences.iter().any(|s| {
            (0..s.len()).any(|i| {
                starts_with_any(&s[i..], list)
                    && !s[i.saturating_sub(VAGUE_NEGATION_REACH)..i]
                        .iter()
                        .any(|w| NEGATIONS.contains(&w.as_str()))
            })
        })
    }

    fn first(&self) -> Option<&str> {
        self.all().next()
    }

    fn joined(&self) -> String {
        self.all().collect::<Vec<_>>().join(" ")
    }

    fn is_very_short(&self) -> bool {
        self.count < VERY_SHORT_WORDS && self.chars < VERY_SHORT_CHARS
    }

    /// Detail nobody writes by accident: a number, a quotation, a name.
    fn has_strong_detail(&self) -> bool {
        self.has_digit || self.has_quote || self.has_name || self.has_word(NUMBER_WORDS)
    }

    /// A moment, place, cause or what someone said, pinned down: "at the pricing slide",
    /// "because…", "when the projector…", "before sending", "she asked".
    fn has_anchor(&self) -> bool {
        self.has_phrase(ANCHOR_PHRASES)
            || self.sentences.iter().any(|s| {
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
fn starts_with(words: &[String], phrase: &str) -> bool {
    let mut at = 0;
    for part in phrase.split(' ') {
        if words.get(at).map(String::as_str) != Some(part) {
            return false;
        }
        at += 1;
    }
    at > 0
}

fn starts_with_any(words: &[String], list: &[&str]) -> bool {
    list.iter().any(|p| starts_with(words, p))
}

/// The words after `phrase` when `words` starts with it.
fn strip<'a>(words: &'a [String], phrase: &str) -> Option<&'a [String]> {
    starts_with(words, phrase).then(|| &words[phrase.split(' ').count()..])
}

// ---------------------------------------------------------------------------------------
// The text rules.

/// vague_observation: very short and without a number or a name, or built on a vague
/// verdict ("didn't work", "went badly", "it failed") with nothing concrete beside it.
fn is_vague_observation(words: &Words) -> bool {
    let concrete = words.has_strong_detail() || words.has_anchor();
    let vague = words.has_unnegated_phrase(VAGUE_OBSERVATION_PHRASES);
    (words.is_very_short() && !words.has_strong_detail()) || (vague && !concrete)
}

/// untestable_adjustment: very short and without a number or a name, or built on a
/// good intention ("do better", "try harder", "be more careful") with nothing to check
/// it by. A filled check lets a moment ("before sending") count as something to check;
/// without a check, only a number, a name or a quotation does.
fn is_untestable_adjustment(words: &Words, check_given: bool) -> bool {
    let strong = words.has_strong_detail();
    let vague = words.has_phrase(UNTESTABLE_PHRASES);
    let anchored = check_given && words.has_anchor();
    (words.is_very_short() && !strong) || (vague && !strong && !anchored)
}

/// An answer that says nothing: empty, punctuation, "n/a", "none", "nothing really",
/// "nothing I could have done", "out of my hands".
fn is_empty_answer(text: &str) -> bool {
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
fn has_identity_language(words: &Words) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use serde_json::json;

    fn rules_on(input: &NudgeInput) -> Vec<(Rule, &'static str)> {
        nudges(input).iter().map(|n| (n.rule, n.field)).collect()
    }

    fn observation(text: &str) -> NudgeInput {
        NudgeInput {
            observation: Some(text.to_string()),
            ..NudgeInput::default()
        }
    }

    /// Every message a rule can give, all variants included.
    fn every_message() -> Vec<Nudge> {
        let loud = NudgeInput {
            outcome: Some(Outcome::Failure),
            stakes: Some(5),
            effort: Some(1),
            stress: Some(9),
            identity: Some(9),
            attempt: Some("Pitch even though I'm useless".into()),
            reframe: Some("I am a failure".into()),
            observation: Some("It went badly".into()),
            in_my_control: None,
            external: Some("The client cancelled".into()),
            adjustment: Some("Try harder".into()),
            check: None,
        };
        let with_check = NudgeInput {
            adjustment: Some("Be more careful".into()),
            check: Some("Count the typos".into()),
            ..NudgeInput::default()
        };
        let mut all = nudges(&loud);
        all.extend(nudges(&with_check));
        all
    }

    #[derive(serde::Deserialize)]
    struct Corpus {
        cases: Vec<Case>,
    }

    #[derive(serde::Deserialize)]
    struct Case {
        rule: String,
        field: String,
        text: String,
        fires: bool,
        #[serde(default)]
        with: serde_json::Map<String, Value>,
    }

    fn corpus() -> Vec<Case> {
        let corpus: Corpus = serde_json::from_str(include_str!("../../../tests/nudge-corpus.json"))
            .expect("tests/nudge-corpus.json is valid");
        corpus.cases
    }

    #[test]
    fn the_corpus_fires_where_it_should_and_nowhere_else() {
        let mut wrong = Vec::new();
        for case in corpus() {
            let mut draft = case.with.clone();
            draft.insert(case.field.clone(), Value::String(case.text.clone()));
            let found = nudges(&NudgeInput::from_draft(&Value::Object(draft)));
            let fired = found
                .iter()
                .any(|n| n.rule.name() == case.rule && n.field == case.field);
            if fired != case.fires {
                wrong.push(format!(
                    "{} on {} {}: {:?}",
                    case.rule,
                    case.field,
                    if case.fires { "did not fire" } else { "fired" },
                    case.text
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_corpus_has_forty_sentences_and_both_sides_of_every_text_rule() {
        let cases = corpus();
        assert!(cases.len() >= 40, "only {} cases", cases.len());
        for rule in [
            Rule::VagueObservation,
            Rule::UntestableAdjustment,
            Rule::OnlyExternal,
            Rule::IdentityLanguage,
        ] {
            for fires in [true, false] {
                let n = cases
                    .iter()
                    .filter(|c| c.rule == rule.name() && c.fires == fires)
                    .count();
                assert!(n >= 5, "{} has {n} cases with fires = {fires}", rule.name());
            }
        }
        for case in &cases {
            assert!(
                Rule::ALL.iter().any(|r| r.name() == case.rule),
                "unknown rule {}",
                case.rule
            );
            assert!(
                FORM_ORDER.contains(&case.field.as_str()),
                "unknown field {}",
                case.field
            );
        }
    }

    #[test]
    fn every_message_is_second_person_kind_and_gives_a_reason() {
        const SHAMING: [&str; 16] = [
            "fault",
            "lazy",
            "stupid",
            "useless",
            "idiot",
            "loser",
            "pathetic",
            "worthless",
            "shame",
            "should have",
            "streak",
            "wrong with you",
            "you failed",
            "weak",
            "excuse",
            "blame",
        ];
        let all = every_message();
        for rule in Rule::ALL {
            assert!(
                all.iter().any(|n| n.rule == rule),
                "no message for {rule:?}"
            );
        }
        for n in &all {
            let m = &n.message;
            let lower = m.to_lowercase();
            assert!(!m.trim().is_empty(), "{:?} has an empty message", n.rule);
            let words = Words::of(m);
            assert!(
                words.has_word(&["you", "your"]),
                "{:?} is not in the second person: {m}",
                n.rule
            );
            for word in SHAMING {
                assert!(!lower.contains(word), "{:?} says {word:?}: {m}", n.rule);
            }
            assert!(!m.contains('!'), "{:?} exclaims: {m}", n.rule);
            assert!(!m.contains("FAILED"), "{:?} stamps: {m}", n.rule);
            // The reason: every message says why, not only what.
            assert!(
                m.split_terminator(['.', '?']).count() >= 2,
                "{:?}: {m}",
                n.rule
            );
        }
    }

    #[test]
    fn the_vague_observation_message_carries_the_essays_contrast() {
        let found = nudges(&observation("It went badly"));
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("“That didn’t work” is not an observation"));
        assert!(found[0]
            .message
            .contains("two-week lag in supplier response times"));
    }

    #[test]
    fn an_untestable_adjustment_without_a_check_asks_for_one() {
        let without = NudgeInput {
            adjustment: Some("Try harder".into()),
            ..NudgeInput::default()
        };
        let with = NudgeInput {
            check: Some("Whether I ask about budget before the price".into()),
            ..without.clone()
        };
        let asks = |input: &NudgeInput| nudges(input)[0].message.contains("use the check");
        assert!(asks(&without));
        assert!(!asks(&with));
        // A check counts only when it says something.
        let empty_check = NudgeInput {
            check: Some("n/a".into()),
            ..without.clone()
        };
        assert!(asks(&empty_check));
    }

    #[test]
    fn identity_language_points_to_the_reframe_and_fires_once_per_field() {
        let input = NudgeInput {
            observation: Some("I am a failure. I'm useless. I always mess up.".into()),
            reframe: Some("I'm such an idiot".into()),
            ..NudgeInput::default()
        };
        let found: Vec<Nudge> = nudges(&input)
            .into_iter()
            .filter(|n| n.rule == Rule::IdentityLanguage)
            .collect();
        assert_eq!(
            found.iter().map(|n| n.field).collect::<Vec<_>>(),
            ["reframe", "observation"]
        );
        assert!(found[1].message.contains("in the reframe"));
        assert!(found[0].message.contains("as a fact about the attempt"));
    }

    #[test]
    fn stakes_of_five_are_unbounded_and_four_are_not() {
        let at = |stakes| NudgeInput {
            stakes: Some(stakes),
            ..NudgeInput::default()
        };
        assert_eq!(rules_on(&at(5)), [(Rule::UnboundedStakes, "stakes")]);
        assert!(rules_on(&at(4)).is_empty());
        assert!(rules_on(&at(1)).is_empty());
    }

    #[test]
    fn effort_of_one_or_two_is_low_and_three_is_genuine() {
        let at = |effort| NudgeInput {
            effort: Some(effort),
            ..NudgeInput::default()
        };
        assert_eq!(rules_on(&at(1)), [(Rule::LowEffort, "effort")]);
        assert_eq!(rules_on(&at(2)), [(Rule::LowEffort, "effort")]);
        assert!(rules_on(&at(3)).is_empty());
        assert!(rules_on(&at(0)).is_empty(), "0 is an unset slider");
        assert!(rules_on(&NudgeInput::default()).is_empty());
    }

    #[test]
    fn a_smaller_step_follows_a_setback_with_high_stress_and_identity() {
        let after = |outcome, stress, identity| NudgeInput {
            outcome: Some(outcome),
            stress: Some(stress),
            identity: Some(identity),
            ..NudgeInput::default()
        };
        let step = [(Rule::SmallerStep, "identity")];
        assert_eq!(rules_on(&after(Outcome::Failure, 7, 7)), step);
        assert_eq!(rules_on(&after(Outcome::Partial, 10, 8)), step);
        assert!(rules_on(&after(Outcome::Failure, 6, 10)).is_empty());
        assert!(rules_on(&after(Outcome::Failure, 10, 6)).is_empty());
        assert!(rules_on(&after(Outcome::Success, 9, 9)).is_empty());
        assert!(rules_on(&after(Outcome::Pending, 9, 9)).is_empty());
        let half = NudgeInput {
            outcome: Some(Outcome::Failure),
            stress: Some(9),
            ..NudgeInput::default()
        };
        assert!(rules_on(&half).is_empty());
    }

    #[test]
    fn nudges_come_in_form_order_then_rule_order() {
        let input = NudgeInput {
            outcome: Some(Outcome::Failure),
            stakes: Some(5),
            effort: Some(2),
            stress: Some(8),
            identity: Some(9),
            attempt: Some("Cold-call 20 leads though I'm hopeless on the phone".into()),
            reframe: None,
            observation: Some("I'm useless, it went badly".into()),
            in_my_control: Some("nothing".into()),
            external: Some("Half the numbers were wrong".into()),
            adjustment: Some("Try harder".into()),
            check: Some("I never get it right anyway".into()),
        };
        assert_eq!(
            rules_on(&input),
            [
                (Rule::IdentityLanguage, "attempt"),
                (Rule::UnboundedStakes, "stakes"),
                (Rule::LowEffort, "effort"),
                (Rule::SmallerStep, "identity"),
                (Rule::VagueObservation, "observation"),
                (Rule::IdentityLanguage, "observation"),
                (Rule::OnlyExternal, "in_my_control"),
                (Rule::UntestableAdjustment, "adjustment"),
                (Rule::IdentityLanguage, "check"),
            ]
        );
    }

    #[test]
    fn a_draft_is_read_leniently() {
        let input = NudgeInput::from_draft(&json!({
            "outcome": " Failure ",
            "stakes": "5",
            "effort": 2.0,
            "stress": 300,
            "identity": "lots",
            "attempt": "   ",
            "observation": 42,
            "adjustment": "Try harder",
            "check": null,
            "unknown": "ignored"
        }));
        assert_eq!(
            input,
            NudgeInput {
                outcome: Some(Outcome::Failure),
                stakes: Some(5),
                effort: Some(2),
                adjustment: Some("Try harder".into()),
                ..NudgeInput::default()
            }
        );
        assert_eq!(
            NudgeInput::from_draft(&json!([1, 2])),
            NudgeInput::default()
        );
        assert_eq!(
            NudgeInput::from_draft(&json!("text")),
            NudgeInput::default()
        );
        assert_eq!(
            NudgeInput::from_draft(&json!({ "outcome": "won" })),
            NudgeInput::default()
        );
    }

    #[test]
    fn a_stored_cycle_reads_every_field_the_rules_need() {
        let fields = CycleFields {
            area: "client pitches".into(),
            attempted_on: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            attempt: "Pitched above my usual rate".into(),
            outcome: Outcome::Failure,
            difficulty: 6,
            stakes: 5,
            effort: 4,
            safety: 3,
            stress: Some(8),
            identity: Some(7),
            reframe: Some("r".into()),
            observation: Some("o".into()),
            in_my_control: Some("i".into()),
            external: Some("e".into()),
            adjustment: Some("a".into()),
            check: Some("c".into()),
            predicted_success: Some(30),
            tests_cycle: None,
            applied: None,
            result: None,
        };
        let input = NudgeInput::from(&fields);
        assert_eq!(input.outcome, Some(Outcome::Failure));
        assert_eq!((input.stakes, input.effort), (Some(5), Some(4)));
        assert_eq!((input.stress, input.identity), (Some(8), Some(7)));
        assert_eq!(
            input.attempt.as_deref(),
            Some("Pitched above my usual rate")
        );
        let texts = [
            &input.reframe,
            &input.observation,
            &input.in_my_control,
            &input.external,
            &input.adjustment,
            &input.check,
        ];
        assert_eq!(
            texts.map(|t| t.as_deref()),
            ["r", "o", "i", "e", "a", "c"].map(Some)
        );
    }

    #[test]
    fn rules_serialise_to_their_names() {
        for rule in Rule::ALL {
            assert_eq!(serde_json::to_value(rule).unwrap(), json!(rule.name()));
        }
        let nudge = Nudge {
            rule: Rule::LowEffort,
            field: "effort",
            message: "m".into(),
        };
        assert_eq!(
            serde_json::to_value(&nudge).unwrap(),
            json!({ "rule": "low_effort", "field": "effort", "message": "m" })
        );
    }

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

    #[test]
    fn odd_text_never_panics() {
        let odd = [
            "",
            "'",
            "’’’",
            "'s",
            "n't",
            "I'",
            "i",
            "... !!! ???",
            "\u{0}\u{7}\u{1b}[31m",
            "e\u{301}\u{301}\u{301}",
            "مرحبا، لم ينجح",
            "😀 didn't 😀 work 😀",
            "İ am a failure",
            "ß ẞ ǅ",
            "不行。我是失败者！",
        ];
        for text in odd {
            let input = NudgeInput {
                attempt: Some(text.into()),
                reframe: Some(text.into()),
                observation: Some(text.into()),
                in_my_control: Some(text.into()),
                external: Some(text.into()),
                adjustment: Some(text.into()),
                check: Some(text.into()),
                ..NudgeInput::default()
            };
            for n in nudges(&input) {
                assert!(!n.message.is_empty());
            }
        }
        let long = "I always check the venue the day before. ".repeat(250);
        assert!(nudges(&observation(&long)).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_nudges_in_form_order(text in "\\PC{0,200}", effort in 0u8..=6) {
            let input = NudgeInput {
                effort: Some(effort),
                observation: Some(text.clone()),
                adjustment: Some(text.clone()),
                reframe: Some(text),
                ..NudgeInput::default()
            };
            let found = nudges(&input);
            let keys: Vec<_> = found
                .iter()
                .map(|n| (form_position(n.field), rule_position(n.rule)))
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            proptest::prop_assert_eq!(keys, sorted);
            for n in &found {
                proptest::prop_assert!(FORM_ORDER.contains(&n.field));
            }
        }
    }
}
