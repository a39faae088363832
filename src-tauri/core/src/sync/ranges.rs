//! A set of segment numbers kept as sorted, disjoint, inclusive ranges: what a computer
//! has read of another computer's segments (usually one range, `[[1, 41]]`; a hole
//! while a segment is missing or damaged). Written in a segment as `[[first, last], …]`.
//! Pure.

use serde::{Deserialize, Serialize};

/// Sorted, disjoint, non-adjacent inclusive ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<(u64, u64)>", into = "Vec<(u64, u64)>")]
pub struct Ranges(Vec<(u64, u64)>);

impl From<Vec<(u64, u64)>> for Ranges {
    /// Read ranges from a file: in any order, overlapping or reversed, they are tidied.
    fn from(raw: Vec<(u64, u64)>) -> Ranges {
        let mut ranges = Ranges::default();
        for (a, b) in raw {
            ranges.insert_range(a.min(b), a.max(b));
        }
        ranges
    }
}

impl From<Ranges> for Vec<(u64, u64)> {
    fn from(ranges: Ranges) -> Vec<(u64, u64)> {
        ranges.0
    }
}

impl Ranges {
    /// Whether `n` is in the set.
    pub fn contains(&self, n: u64) -> bool {
        let at = self.0.partition_point(|&(_, last)| last < n);
        self.0.get(at).is_some_and(|&(first, _)| first <= n)
    }

    /// Add `n`.
    pub fn insert(&mut self, n: u64) {
        self.insert_range(n, n);
    }

    /// Add every number from `first` to `last`.
    pub fn insert_range(&mut self, first: u64, last: u64) {
        let (mut first, mut last) = (first.min(last), first.max(last));
        let mut kept = Vec::with_capacity(self.0.len() + 1);
        let mut placed = false;
        for &(a, b) in &self.0 {
            // Overlapping or touching ranges join the new one.
            if b.saturating_add(1) < first {
                kept.push((a, b));
            } else if last.saturating_add(1) < a {
                if !placed {
                    kept.push((first, last));
                    placed = true;
                }
                kept.push((a, b));
            } else {
                first = first.min(a);
                last = last.max(b);
            }
        }
        if !placed {
            kept.push((first, last));
        }
        self.0 = kept;
    }

    /// Take `n` out (splitting its range if it is inside one).
    pub fn remove(&mut self, n: u64) {
        let mut kept = Vec::with_capacity(self.0.len() + 1);
        for &(a, b) in &self.0 {
            if n < a || n > b {
                kept.push((a, b));
                continue;
            }
            if a < n {
                kept.push((a, n - 1));
            }
            if n < b {
                kept.push((n + 1, b));
            }
        }
        self.0 = kept;
    }

    /// Add every number of `other`.
    pub fn extend(&mut self, other: &Ranges) {
        for &(a, b) in &other.0 {
            self.insert_range(a, b);
        }
    }

    /// The highest number in the set.
    pub fn last(&self) -> Option<u64> {
        self.0.last().map(|&(_, b)| b)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ranges_hold_exactly_the_numbers_put_in_and_not_those_taken_out(
            numbers in proptest::collection::vec(0u64..40, 0..30),
            out in proptest::collection::vec(0u64..40, 0..10),
        ) {
            let mut ranges = Ranges::default();
            for n in &numbers {
                ranges.insert(*n);
            }
            for n in &out {
                ranges.remove(*n);
            }
            for n in 0..45 {
                prop_assert_eq!(ranges.contains(n), numbers.contains(&n) && !out.contains(&n));
            }
            // Tidy: sorted, disjoint, not touching; and a round trip through JSON.
            let raw: Vec<(u64, u64)> = ranges.clone().into();
            prop_assert!(raw.windows(2).all(|w| w[0].1 + 1 < w[1].0));
            let back: Ranges = serde_json::from_str(&serde_json::to_string(&ranges).unwrap()).unwrap();
            prop_assert_eq!(back, ranges);
        }
    }

    #[test]
    fn a_range_joins_its_neighbours() {
        let mut r = Ranges::default();
        r.insert_range(1, 3);
        r.insert_range(7, 9);
        r.insert_range(4, 6);
        assert_eq!(Vec::from(r.clone()), vec![(1, 9)]);
        assert_eq!(r.last(), Some(9));
        assert!(!r.contains(0) && r.contains(5) && !r.contains(10));
    }
}
