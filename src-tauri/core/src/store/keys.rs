//! Key codecs for the store's trees. Big-endian throughout, so sled's byte order is
//! the order we scan in (sled's README: numeric keys must be big-endian).
//!
//! Invariant: never change an encoding here; add a new tree or a schema migration.
//! (Schema 3 dropped the `by_date` and `by_area` index trees and their keys.)

use crate::cycle::CycleId;

/// `cycles` key: the id's 16 bytes, which sort by creation time (UUIDv7).
pub fn cycle_key(id: CycleId) -> [u8; 16] {
    id.to_bytes()
}

/// Decode a `cycles` key.
pub fn decode_cycle_key(key: &[u8]) -> Option<CycleId> {
    Some(CycleId::from_bytes(key.try_into().ok()?))
}

/// The lowercased form an area is grouped by, so "Client pitches" and "client pitches"
/// are one area; as bytes, the `areas` key.
pub fn area_fold(area: &str) -> String {
    area.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn cycle_keys_round_trip_and_sort_like_ids(x: u128, y: u128) {
            let (a, b) = (CycleId::from_bytes(x.to_be_bytes()), CycleId::from_bytes(y.to_be_bytes()));
            prop_assert_eq!(decode_cycle_key(&cycle_key(a)), Some(a));
            prop_assert_eq!(cycle_key(a).cmp(&cycle_key(b)), x.cmp(&y));
        }

        #[test]
        fn an_area_folds_as_its_lowercase(name in "[^\\x00-\\x1f]{1,40}") {
            prop_assert_eq!(area_fold(&name), area_fold(&name.to_lowercase()));
        }
    }
}
