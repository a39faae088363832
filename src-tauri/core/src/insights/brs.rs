//! The Brief Resilience Scale (Smith, Dalen, Wiggins, Tooley, Christopher & Bernard,
//! 2008, "The brief resilience scale: assessing the ability to bounce back",
//! International Journal of Behavioral Medicine 15(3):194–200). Six items, answered
//! 1 (strongly disagree) to 5 (strongly agree); items 2, 4 and 6 are reversed; the
//! score is the mean, 1–5. Optional, offered once a month.

use chrono::NaiveDate;

use super::{nice, Range};

pub use crate::checkin::{
    brs_score, checkin_due, BrsCheckin, BRS_ANSWERS, BRS_ITEMS, BRS_SOURCE, OFFER_EVERY_DAYS,
};

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
