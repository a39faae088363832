//! The daily reminder: the setting, and taking a due reminder once.

use super::Clock;
use crate::error::Result;
use crate::prefs;
use crate::reminder::{self, Due, Reminder};
use crate::store::Store;

/// The reminder setting (off until the person turns it on).
pub fn reminder(store: &Store) -> Result<Reminder> {
    Ok(store.pref(&prefs::REMINDER)?.unwrap_or_default())
}

/// Change the reminder. Turning it on never fires at once for a time already past today.
pub fn set_reminder(store: &Store, reminder: Reminder, clock: Clock) -> Result<Reminder> {
    store.set_pref(&prefs::REMINDER, &reminder)?;
    store.set_pref(&prefs::REMINDER_SHOWN, &clock.local())?;
    Ok(reminder)
}

/// If a reminder is due now, record it as shown and return it (it fires once).
pub fn take_due_reminder(store: &Store, clock: Clock) -> Result<Option<Due>> {
    let now = clock.local();
    let shown = store.pref(&prefs::REMINDER_SHOWN)?;
    let Some(due) = reminder::due(reminder(store)?, shown, now) else {
        return Ok(None);
    };
    store.set_pref(&prefs::REMINDER_SHOWN, &now)?;
    Ok(Some(due))
}
