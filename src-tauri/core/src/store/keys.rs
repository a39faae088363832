//! Key codecs for the store's trees. Big-endian throughout, so sled's byte order is
//! the order we scan in (sled's README: numeric keys must be big-endian).
//!
//! Invariant: never change an encoding here; add a new tree or a schema migration.

use chrono::{Datelike, NaiveDate};

use crate::cycle::CycleId;

/// Separates an area's lowercased name from the id in a `by_area` key. Area names never
/// hold control characters (the cycle module strips them), so this byte cannot appear
/// in the name.
const AREA_SEPARATOR: u8 = 0;

/// `cycles` key: the id's 16 bytes, which sort by creation time (UUIDv7).
pub fn cycle_key(id: CycleId) -> [u8; 16] {
    id.to_bytes()
}

/// Decode a `cycles` key.
pub fn decode_cycle_key(key: &[u8]) -> Option<CycleId> {
    Some(CycleId::from_bytes(key.try_into().ok()?))
}

/// `by_date` key: the attempt's day (days since 0001-01-01, u32 big-endian) then the
/// id, so a reverse scan gives newest attempts first and, within a day, newest logs.
pub fn date_key(day: NaiveDate, id: CycleId) -> [u8; 20] {
    let mut key = [0u8; 20];
    key[..4].copy_from_slice(&day_number(day).to_be_bytes());
    key[4..].copy_from_slice(&id.to_bytes());
    key
}

/// Decode a `by_date` key into its day and id.
pub fn decode_date_key(key: &[u8]) -> Option<(NaiveDate, CycleId)> {
    let key: &[u8; 20] = key.try_into().ok()?;
    let days = u32::from_be_bytes(key[..4].try_into().ok()?);
    let day = NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?)?;
    Some((day, CycleId::from_bytes(key[4..].try_into().ok()?)))
}

fn day_number(day: NaiveDate) -> u32 {
    // Days from the common era start are positive for every date the cycle module
    // accepts (1900 onwards); clamp anything else rather than wrap around.
    u32::try_from(day.num_days_from_ce()).unwrap_or(0)
}

/// The lowercased form an area is grouped by, so "Client pitches" and "client pitches"
/// are one area.
pub fn area_fold(area: &str) -> String {
    area.to_lowercase()
}

/// `by_area` key prefix for every cycle of one area.
pub fn area_prefix(area: &str) -> Vec<u8> {
    let mut key = area_fold(area).into_bytes();
    key.push(AREA_SEPARATOR);
    key
}

/// `by_area` key: the folded area name, a separator, then the id.
pub fn area_key(area: &str, id: CycleId) -> Vec<u8> {
    let mut key = area_prefix(area);
    key.extend_from_slice(&id.to_bytes());
    key
}

/// Decode a `by_area` key into the folded area name (with its separator) and the id.
pub fn split_area_key(key: &[u8]) -> Option<(&[u8], CycleId)> {
    let split = key.len().checked_sub(16)?;
    let (prefix, id) = key.split_at(split);
    if prefix.last() != Some(&AREA_SEPARATOR) {
        return None;
    }
    Some((prefix, CycleId::from_bytes(id.try_into().ok()?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(n: u128) -> CycleId {
        CycleId::from_bytes(n.to_be_bytes())
    }

    fn day(n: i32) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(n).unwrap()
    }

    proptest! {
        #[test]
        fn date_keys_sort_like_day_then_id(
            a in 693_596i32..800_000, b in 693_596i32..800_000, x: u128, y: u128,
        ) {
            let (ka, kb) = (date_key(day(a), id(x)), date_key(day(b), id(y)));
            prop_assert_eq!(ka.cmp(&kb), (a, x).cmp(&(b, y)));
            prop_assert_eq!(decode_date_key(&ka), Some((day(a), id(x))));
        }

        #[test]
        fn area_keys_round_trip_and_group_by_folded_name(name in "[^\\x00-\\x1f]{1,40}", x: u128) {
            let key = area_key(&name, id(x));
            let (prefix, back) = split_area_key(&key).unwrap();
            prop_assert_eq!(back, id(x));
            let expected = area_prefix(&name);
            prop_assert_eq!(prefix, expected.as_slice());
            prop_assert_eq!(area_prefix(&name.to_lowercase()), area_prefix(&name));
        }
    }

    #[test]
    fn one_area_is_not_a_prefix_group_of_a_longer_one() {
        let short = area_prefix("client");
        let long = area_key("client pitches", id(1));
        assert!(!long.starts_with(&short));
    }
}
