//! The Brief Resilience Scale check-in itself (Smith, Dalen, Wiggins, Tooley,
//! Christopher & Bernard, 2008, "The brief resilience scale: assessing the ability to
//! bounce back", International Journal of Behavioral Medicine 15(3):194–200): its six
//! items, how answers are scored, and when one is offered. The store keeps check-ins;
//! `insights::brs` reads them over time. Imports nothing of Rebound's above it.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// The six items, verbatim.
pub const BRS_ITEMS: [&str; 6] = [
    "I tend to bounce back quickly after hard times.",
    "I have a hard time making it through stressful events.",
    "It does not take me long to recover from a stressful event.",
    "It is hard for me to snap back when something bad happens.",
    "I usually come through difficult times with little trouble.",
    "I tend to take a long time to get over set-backs in my life.",
];

/// The answer words, 1 to 5.
pub const BRS_ANSWERS: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neutral",
    "Agree",
    "Strongly agree",
];

/// The citation shown with the scale.
pub const BRS_SOURCE: &str = "Brief Resilience Scale: Smith, B. W., Dalen, J., Wiggins, \
    K., Tooley, E., Christopher, P., & Bernard, J. (2008). The brief resilience scale: \
    assessing the ability to bounce back. International Journal of Behavioral Medicine, \
    15(3), 194–200.";

/// How many days after a check-in (or a "not now") the next one is offered.
pub const OFFER_EVERY_DAYS: i64 = 30;

/// One check-in: its day, the six answers as given, and the score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BrsCheckin {
    pub day: NaiveDate,
    pub answers: [u8; 6],
    pub score: f64,
}

/// Score six answers (each 1–5): reverse items 2, 4 and 6, then take the mean.
pub fn brs_score(answers: [u8; 6]) -> Result<f64, String> {
    if let Some((i, a)) = answers
        .iter()
        .enumerate()
        .find(|(_, a)| !(1..=5).contains(*a))
    {
        return Err(format!(
            "answer {} must be a whole number from 1 to 5 (got {a})",
            i + 1
        ));
    }
    let sum: u32 = answers
        .iter()
        .enumerate()
        .map(|(i, &a)| u32::from(if i % 2 == 1 { 6 - a } else { a }))
        .sum();
    Ok(f64::from(sum) / 6.0)
}

/// Whether to offer a check-in today: none in the last 30 days, and not put off in the
/// last 30 days either.
pub fn checkin_due(
    last_checkin: Option<NaiveDate>,
    last_offered: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    let recent =
        |day: Option<NaiveDate>| day.is_some_and(|d| today - d < Duration::days(OFFER_EVERY_DAYS));
    !recent(last_checkin) && !recent(last_offered)
}
