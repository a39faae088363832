//! The nudges' messages: second person, short, specific and kind (docs/nudges.md;
//! UX.md "Words"), each giving its reason. A test in mod.rs keeps them free of shaming
//! words and exclamation marks.
//!
//! Text only: which message goes with which rule and field is decided in mod.rs.

pub(super) const VAGUE_OBSERVATION: &str = "What exactly broke, and where? The essay’s contrast: \
“That didn’t work” is not an observation; “The approach broke at the handoff between \
planning and execution because I had not accounted for the two-week lag in supplier \
response times” is. A moment, a number or a name makes this something you can learn from.";

pub(super) const UNTESTABLE_ADJUSTMENT: &str =
    "How will you know you did it? “I will do better next \
time” is not an adjustment; “I will build a two-week buffer into any plan that depends on \
external suppliers” is. Name one change you could see yourself make on the next attempt.";

pub(super) const UNTESTABLE_ADJUSTMENT_NO_CHECK: &str =
    "Then use the check to say how the next attempt will show whether it worked.";

pub(super) const ONLY_EXTERNAL: &str = "Some causes really are outside you, and it helps to name \
them. The honest question is the other half: what was within your control that you could \
do differently? Even a small thing gives your next attempt something to change.";

pub(super) const IDENTITY_LANGUAGE: &str =
    "That sounds like a verdict on you. What happened to the \
attempt? “This attempt failed” is a data point about a strategy in a context, and it \
points to what you could try next.";

pub(super) const IDENTITY_LANGUAGE_ELSEWHERE: &str =
    "Try restating it in the reframe: “This attempt failed because…”.";

pub(super) const IDENTITY_LANGUAGE_IN_REFRAME: &str =
    "Try restating it as a fact about the attempt: “This attempt failed because…”.";

pub(super) const UNBOUNDED_STAKES_MESSAGE: &str = "Stakes at 5 mean the downside has no ceiling. \
The method asks for stakes that are real but bounded, so a failure can teach you instead \
of arriving as a threat. Could you keep the attempt and shrink what is at risk?";

pub(super) const LOW_EFFORT: &str =
    "With effort at 1 or 2, this attempt stays in your journal but \
is left out of your evidence: a half-hearted try is noise, not signal. If you did give it \
everything, raise the effort; if not, next time pick a step you can really try to win.";

pub(super) const SMALLER_STEP: &str = "Stress and the sense of a verdict both ran high after this \
one. When failure lands as a threat, it teaches less. Next time in this area, consider a \
smaller step (a lower difficulty) so the result stays information you can use.";

pub(super) const UNSAFE_CONTEXT: &str = "The stakes are high here and failing doesn't feel \
safe. A failure in a context like that may cost more than it teaches: it tends to land as a \
threat rather than as information. Could you try a smaller or safer version first, \
somewhere a miss is treated as data?";
