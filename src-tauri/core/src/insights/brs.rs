//! The Brief Resilience Scale (Smith, Dalen, Wiggins, Tooley, Christopher & Bernard,
//! 2008, "The brief resilience scale: assessing the ability to bounce back",
//! International Journal of Behavioral Medicine 15(3):194–200). Six items, answered
//! 1 (strongly disagree) to 5 (strongly agree); items 2, 4 and 6 are reversed; the
//! score is the mean, 1–5. Optional, offered once a month.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::{nice, Range};

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

/// The check-ins in `range`, and one sentence about them.
pub fn brs_sentence(checkins: &[BrsCheckin], range: Range, today: NaiveDate) -> String {
    let inside: Vec<&BrsCheckin> = checkins
        .iter()
        .filter(|c| range.contains(c.day, today))
        .collect();
    match inside.as_slice() {
        [] => format!(
            "No resilience check-ins {}. It is optional: six questions, offered once a \
             month.",
            if range == Range::All {
                "yet"
            } else {
                range.phrase()
            }
        ),
        [one] => format!(
            "One check-in so far, scoring {} of 5. The next one shows any change.",
            nice(one.score)
        ),
        [first, .., last] => format!(
            "Your Brief Resilience Scale score went from {} to {} (1–5) over {} check-ins.",
            nice(first.score),
            nice(last.score),
            inside.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::testing::day;

    #[test]
    fn reversed_items_by_hand() {
        // 5,1,5,1,5,1 → 5,5,5,5,5,5 → 5. 3s stay 3. 4,2,4,2,4,2 → all 4.
        assert_eq!(brs_score([5, 1, 5, 1, 5, 1]), Ok(5.0));
        assert_eq!(brs_score([3; 6]), Ok(3.0));
        assert_eq!(brs_score([4, 2, 4, 2, 4, 2]), Ok(4.0));
        // 1,1,1,1,1,1 → 1,5,1,5,1,5 → 18/6 = 3.
        assert_eq!(brs_score([1; 6]), Ok(3.0));
        assert!(brs_score([0, 1, 1, 1, 1, 1]).is_err());
        assert!(brs_score([1, 1, 1, 1, 1, 6]).is_err());
    }

    #[test]
    fn offered_once_a_month() {
        assert!(checkin_due(None, None, day(100)));
        assert!(!checkin_due(Some(day(80)), None, day(100)));
        assert!(checkin_due(Some(day(70)), None, day(100)));
        assert!(!checkin_due(Some(day(10)), Some(day(95)), day(100)));
    }

    #[test]
    fn the_sentence_follows_the_check_ins() {
        let c = |d, score| BrsCheckin {
            day: day(d),
            answers: [3; 6],
            score,
        };
        assert!(brs_sentence(&[], Range::All, day(1)).starts_with("No resilience check-ins yet"));
        assert_eq!(
            brs_sentence(&[c(1, 2.5), c(40, 3.0), c(80, 3.5)], Range::All, day(90)),
            "Your Brief Resilience Scale score went from 2.5 to 3.5 (1–5) over 3 check-ins."
        );
    }
}
