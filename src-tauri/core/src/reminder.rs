//! The optional daily reminder: its setting, and when it is due. Pure: the window's
//! timer asks `due` every half minute and at start-up, with the local clock.
//!
//! A periodic check, not one long sleep, so that suspend, clock changes and daylight
//! saving cannot make it fire twice or never. A reminder that fell due while Rebound
//! was closed fires once at the next start, marked as missed; never once per day missed.

use chrono::{NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// The reminder setting. Off by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub enabled: bool,
    /// Local time of day, "HH:MM".
    #[serde(with = "hh_mm")]
    pub time: NaiveTime,
}

impl Default for Reminder {
    fn default() -> Reminder {
        Reminder {
            enabled: false,
            time: NaiveTime::from_hms_opt(20, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

/// A reminder that is due now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Due {
    /// When it fell due (local time).
    pub at: NaiveDateTime,
    /// True when it fell due a while ago (Rebound was closed, or the computer asleep).
    pub missed: bool,
}

/// How late a reminder may be shown and still count as on time.
const ON_TIME: TimeDelta = TimeDelta::minutes(2);

/// Whether a reminder is due at `now`, given when one was last shown.
pub fn due(
    reminder: Reminder,
    last_shown: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Option<Due> {
    if !reminder.enabled {
        return None;
    }
    let today_at = now.date().and_time(reminder.time);
    let at = if now >= today_at {
        today_at
    } else {
        today_at - TimeDelta::days(1)
    };
    if last_shown.is_some_and(|last| last >= at) {
        return None;
    }
    Some(Due {
        at,
        missed: now - at > ON_TIME,
    })
}

impl Reminder {
    /// Read the setting from the window's form: `enabled` and "HH:MM".
    pub fn parse(enabled: bool, time: &str) -> Result<Reminder, FieldError> {
        let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| {
            FieldError::new(
                "time",
                format!(
                    "must be a time like 20:00 (got {:?})",
                    crate::text::one_line(time, 20)
                ),
            )
        })?;
        Ok(Reminder { enabled, time })
    }
}

pub(crate) mod hh_mm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&time.format("%H:%M"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M").map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    fn on(h: u32, m: u32) -> Reminder {
        Reminder {
            enabled: true,
            time: NaiveTime::from_hms_opt(h, m, 0).unwrap(),
        }
    }

    #[test]
    fn an_off_reminder_is_never_due() {
        assert_eq!(due(Reminder::default(), None, at(28, 21, 0)), None);
    }

    #[test]
    fn it_is_due_once_the_time_has_come_and_only_once() {
        let r = on(20, 0);
        assert_eq!(due(r, Some(at(27, 20, 0)), at(28, 19, 59)), None);
        let now = at(28, 20, 0);
        assert_eq!(
            due(r, Some(at(27, 20, 0)), now),
            Some(Due {
                at: at(28, 20, 0),
                missed: false
            })
        );
        assert_eq!(due(r, Some(now), at(28, 20, 1)), None);
        assert_eq!(due(r, Some(now), at(28, 23, 59)), None);
    }

    #[test]
    fn one_that_fell_due_while_closed_shows_once_as_missed() {
        let r = on(8, 30);
        // Closed for three days; opened in the evening.
        let d = due(r, Some(at(24, 8, 30)), at(27, 18, 0)).unwrap();
        assert_eq!(d.at, at(27, 8, 30));
        assert!(d.missed);
        // Opened early in the morning, before today's time: yesterday's was missed.
        let d = due(r, Some(at(24, 8, 30)), at(28, 7, 0)).unwrap();
        assert_eq!(d.at, at(27, 8, 30));
        assert_eq!(due(r, Some(at(28, 7, 0)), at(28, 7, 1)), None);
    }

    #[test]
    fn times_are_read_and_written_as_hh_mm() {
        let r = Reminder::parse(true, " 07:05 ").unwrap();
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"enabled":true,"time":"07:05"}"#
        );
        assert_eq!(Reminder::parse(true, "7pm").unwrap_err().field, "time");
        assert_eq!(Reminder::parse(true, "25:00").unwrap_err().field, "time");
    }
}
