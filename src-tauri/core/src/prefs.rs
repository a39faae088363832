//! Every preference that travels with the journal: kept in the database (so backups and
//! a restore carry them), typed, and listed here and nowhere else. Reading one never
//! fails on a bad value: the store treats a value that does not decode as unset.
//!
//! Settings that belong to this computer rather than to the journal (where automatic
//! backups go, the window's size) are in `local_settings` instead.

use chrono::{NaiveDate, NaiveDateTime};

use crate::insights::{Band, Guides};
use crate::reminder::Reminder;
use crate::review::{Plan, ReviewSettings};
use crate::store::Pref;

/// The names of the areas the person archived.
pub const ARCHIVED_AREAS: Pref<Vec<String>> = Pref::new("archived_areas");
/// The daily reminder: on or off, and its time.
pub const REMINDER: Pref<Reminder> = Pref::new("reminder");
/// When the reminder last showed (local time), so it fires once a day.
pub const REMINDER_SHOWN: Pref<NaiveDateTime> = Pref::new("reminder_last_shown");
/// The calibration target band, `{"low": 70, "high": 90}`.
pub const TARGET_BAND: Pref<Band> = Pref::new("calibration_band");
/// The day the resilience check-in was last put off.
pub const CHECKIN_OFFERED: Pref<NaiveDate> = Pref::new("brs_last_offered");
/// Each area's own target band and staircase rule, by area name in lower case
/// (`{"client pitches": {"band": {"low": 60, "high": 80}, "staircase": {"up_after": 3,
/// "down_after": 1}}}`); an area not listed uses the default band and rule.
pub const AREA_GUIDES: Pref<Guides> = Pref::new("area_guides");
/// The weekly review: on or off, its day and the time of its notification.
pub const REVIEW: Pref<ReviewSettings> = Pref::new("weekly_review");
/// The day the last weekly review was done (a plan saved, or "Done").
pub const REVIEW_DONE: Pref<NaiveDate> = Pref::new("weekly_review_done");
/// When the weekly review's notification last went out (local time).
pub const REVIEW_NOTIFIED: Pref<NaiveDateTime> = Pref::new("weekly_review_notified");
/// The next calibrated attempt planned in a review; `null` once let go.
pub const PLANNED_ATTEMPT: Pref<Option<Plan>> = Pref::new("planned_attempt");
/// The mark of the last sync this computer applied (`sync`): this computer's own, never
/// synced. A backup or a recovery that brings back another mark tells sync the data was
/// replaced, so nothing missing from it is taken for a deletion.
pub const SYNC_APPLIED: Pref<String> = Pref::new("sync_applied");
