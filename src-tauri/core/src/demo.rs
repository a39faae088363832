//! A made-up but realistic history, for trying Rebound and for the README's pictures:
//! several areas, difficulty that rises with skill, failures and returns, stress and
//! the sense of a verdict that fade, predictions that sharpen, tested adjustments, and
//! a resilience check-in each month. Deterministic for a seed. Written only into an
//! empty database, so made-up cycles never mix with real ones.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use crate::clock::Clock;
use crate::cycle::{Applied, Cycle, CycleFields, CycleId, Outcome, TestResult, GENUINE_EFFORT};
use crate::error::{Error, Result};
use crate::store::Store;

/// Cycles written per transaction.
const CHUNK: usize = 5_000;
/// The most cycles a demo writes.
pub const MAX_CYCLES: usize = 1_000_000;

const AREAS: [(&str, &[&str]); 4] = [
    (
        "client pitches",
        &[
            "Pitched a retainer above my usual rate",
            "Cold-emailed a company I admire",
            "Asked a past client for a referral",
            "Presented a proposal without notes",
        ],
    ),
    (
        "journal submissions",
        &[
            "Sent the essay to a magazine I'd never dared try",
            "Submitted a short story to a contest",
            "Pitched a column to an editor",
        ],
    ),
    (
        "bouldering",
        &[
            "Tried a problem one grade up",
            "Led the overhang without resting",
            "Attempted the dyno I keep avoiding",
        ],
    ),
    (
        "public speaking",
        &[
            "Gave a five-minute talk at the meetup",
            "Asked the first question at the all-hands",
            "Ran the workshop alone",
        ],
    ),
];

// What happened, what was in my control, and what to change: one list per area, in
// the order of AREAS, so a demo cycle's reflection fits its attempt.
const OBSERVATIONS: [&[&str]; 4] = [
    &[
        "Lost them at the pricing slide; the questions stopped there.",
        "They asked for references I didn't have with me.",
    ],
    &[
        "The editor replied that the piece didn't fit this issue's theme.",
        "Rejected with a note: the opening page was slow.",
    ],
    &[
        "I hesitated at the crux and my feet slipped off the small hold.",
        "Pumped out two moves from the top after resting too long.",
    ],
    &[
        "The opening ran long and I rushed the part that mattered.",
        "My voice went quiet when the first question came.",
    ],
];
const IN_CONTROL: [&[&str]; 4] = [
    &[
        "I showed the price before the result.",
        "I didn't ask about their budget first.",
    ],
    &[
        "I didn't check what they had published recently.",
        "I sent it the night I finished it.",
    ],
    &[
        "I skipped the warm-up and started cold.",
        "I didn't read the sequence from the ground.",
    ],
    &[
        "I didn't rehearse the hardest part out loud.",
        "I wrote the talk but never timed it.",
    ],
];
const ADJUSTMENTS: [&[&str]; 4] = [
    &[
        "Open with the client's own numbers, not mine.",
        "Ask about budget in the first call.",
    ],
    &[
        "Read the last three issues before submitting.",
        "Cut the first page to one paragraph.",
    ],
    &[
        "Warm up on two easier problems first.",
        "Rehearse the crux moves on the ground first.",
    ],
    &[
        "Rehearse the hardest two minutes twice the day before.",
        "Time the talk and cut it to four minutes.",
    ],
];
const EXTERNAL: [&str; 2] = [
    "Their budget was frozen this quarter.",
    "The room was half empty.",
];
const CHECKS: [&str; 2] = [
    "The next attempt gets past the point where this one stalled.",
    "I finish within the time without rushing the end.",
];

/// A small deterministic random source (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly normal, mean 0, spread about 1.
    fn noise(&mut self) -> f64 {
        (self.unit() + self.unit() + self.unit() - 1.5) * 2.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn scale(value: f64, min: u8, max: u8) -> u8 {
    value.round().clamp(f64::from(min), f64::from(max)) as u8
}

/// What a demo wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub cycles: usize,
    pub checkins: usize,
    pub first_day: Option<NaiveDate>,
    pub areas: usize,
}

/// Make `count` cycles ending today, deterministic for `seed`.
pub fn history(count: usize, seed: u64, clock: Clock) -> (Vec<Cycle>, Vec<(NaiveDate, [u8; 6])>) {
    let mut rng = Rng(seed ^ 0x5EED_0F4E_B00D);
    let span = i64::try_from(count.saturating_mul(2))
        .unwrap_or(i64::MAX)
        .clamp(14, 3 * 365);
    let start = clock.today - Duration::days(span - 1);
    let areas = if count < 12 { 2 } else { AREAS.len() };
    // Per area: the skill the person has, and the last cycle with an untested adjustment.
    let mut skill = [3.0f64; 4];
    let mut last_adjusted: [Option<(CycleId, u8)>; 4] = [None; 4];
    let mut cycles = Vec::with_capacity(count);
    for i in 0..count {
        let progress = if count > 1 {
            i as f64 / (count - 1) as f64
        } else {
            1.0
        };
        // Practice gets more frequent: later attempts come closer together.
        let offset = (progress.powf(0.6) * (span - 1) as f64) as i64;
        let day = (start + Duration::days(offset)).min(clock.today);
        // Areas are not equally busy: the first is the main practice.
        let a = match rng.below(10) {
            0..=3 => 0,
            4..=5 => 1,
            6..=7 => 2,
            _ => 3,
        } % areas;
        let (area, attempts) = AREAS[a];
        skill[a] = (skill[a] + 0.04 + 0.02 * rng.noise()).min(9.0);
        let difficulty = scale(skill[a] + 0.3 + 1.0 * rng.noise(), 1, 10);
        let chance = 1.0 / (1.0 + (f64::from(difficulty) - skill[a] - 1.6).exp());
        let roll = rng.unit();
        let recent = (clock.today - day).num_days() < 3;
        let outcome = if recent && rng.chance(0.3) {
            Outcome::Pending
        } else if roll < chance {
            Outcome::Success
        } else if roll < chance + 0.15 {
            Outcome::Partial
        } else {
            Outcome::Failure
        };
        let effort = if rng.chance(0.08) {
            scale(1.5 + rng.unit(), 1, 2)
        } else {
            scale(3.6 + rng.noise(), 3, 5)
        };
        let setback = outcome.is_setback();
        let calm = 1.0 - 0.7 * progress;
        let (stress, identity) = if outcome == Outcome::Pending {
            (None, None)
        } else if setback {
            (
                Some(scale(7.5 * calm + 1.0 + 1.3 * rng.noise(), 0, 10)),
                Some(scale(7.0 * calm + 0.5 + 1.5 * rng.noise(), 0, 10)),
            )
        } else {
            (
                Some(scale(2.0 + rng.noise(), 0, 10)),
                Some(scale(1.0 + rng.noise(), 0, 10)),
            )
        };
        let safety = scale(3.4 + rng.noise(), 1, 5);
        // Reflection comes easier where failing feels safe (the essay's social point).
        let reflects =
            setback && rng.chance(0.35 + 0.45 * progress + 0.08 * (f64::from(safety) - 3.0));
        let adjusts = reflects || (!setback && outcome != Outcome::Pending && rng.chance(0.15));
        let spread = 30.0 * (1.0 - progress) + 6.0;
        let predicted = rng
            .chance(0.85)
            .then(|| scale(chance * 100.0 + spread * rng.noise(), 0, 100));
        let mut tests = None;
        if let Some((earlier, _)) = last_adjusted[a] {
            if effort >= GENUINE_EFFORT && rng.chance(0.4 + 0.5 * progress) {
                let applied = match rng.below(10) {
                    0..=6 => Applied::Yes,
                    7..=8 => Applied::Partly,
                    _ => Applied::No,
                };
                let result = if outcome == Outcome::Pending {
                    None
                } else if rng.chance(0.45 + 0.25 * progress) {
                    Some(TestResult::Better)
                } else {
                    Some([TestResult::Same, TestResult::Worse, TestResult::Unclear][rng.below(3)])
                };
                tests = Some((earlier, applied, result));
            }
        }
        if effort >= GENUINE_EFFORT {
            last_adjusted[a] = None;
        }
        let observes = reflects || (!setback && rng.chance(0.2));
        let external = reflects && rng.chance(0.4);
        let checks = adjusts && rng.chance(0.7);
        let text =
            |rng: &mut Rng, items: &[&str], yes: bool| yes.then(|| rng.pick(items).to_string());
        let fields = CycleFields {
            area: area.to_string(),
            attempted_on: day,
            attempt: rng.pick(attempts).to_string(),
            outcome,
            difficulty,
            stakes: scale(2.5 + rng.noise() * 0.8, 1, 4),
            effort,
            safety,
            stress,
            identity,
            reframe: (setback && rng.chance(0.3))
                .then(|| "This attempt failed because the plan skipped a step.".to_string()),
            observation: text(&mut rng, OBSERVATIONS[a], observes),
            in_my_control: text(&mut rng, IN_CONTROL[a], reflects),
            external: text(&mut rng, &EXTERNAL, external),
            adjustment: text(&mut rng, ADJUSTMENTS[a], adjusts),
            check: text(&mut rng, &CHECKS, checks),
            predicted_success: predicted,
            tests_cycle: tests.map(|t| t.0),
            applied: tests.map(|t| t.1),
            result: tests.and_then(|t| t.2),
        };
        let at = logged_at(day, i, clock.now);
        let cycle = Cycle {
            id: CycleId::from_bytes(id_bytes(seed, i as u64)),
            created_at: at,
            updated_at: at,
            fields,
        };
        if adjusts && effort >= GENUINE_EFFORT {
            last_adjusted[a] = Some((cycle.id, difficulty));
        }
        cycles.push(cycle);
    }
    // A check-in about once a month, the score drifting up with practice.
    let mut checkins = Vec::new();
    let mut on = start + Duration::days(3);
    while on <= clock.today && count > 0 {
        let progress = (on - start).num_days() as f64 / span as f64;
        let target = 2.7 + 1.2 * progress;
        let mut answers = [3u8; 6];
        for (k, answer) in answers.iter_mut().enumerate() {
            let v = scale(target + 0.6 * rng.noise(), 1, 5);
            *answer = if k % 2 == 1 { 6 - v } else { v };
        }
        checkins.push((on, answers));
        on += Duration::days(30 + rng.below(4) as i64);
    }
    (cycles, checkins)
}

/// A UUIDv7-shaped id from the seed and the cycle's number, so a demo is reproducible.
fn id_bytes(seed: u64, n: u64) -> [u8; 16] {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(0x0190_0000_0000_0000u64 | (n & 0xFFFF_FFFF_FFFF)).to_be_bytes());
    bytes[8..].copy_from_slice(
        &seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(n)
            .to_be_bytes(),
    );
    bytes[6] = 0x70 | (bytes[6] & 0x0F);
    bytes[8] = 0x80 | (bytes[8] & 0x3F);
    bytes
}

/// When a demo cycle was "logged": from the start of its day in the earliest time zone
/// (UTC+14), a millisecond apart. Never in the future for any day up to today, and not
/// depending on the time now, so a seed always gives the same history.
fn logged_at(day: NaiveDate, i: usize, now: DateTime<Utc>) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0)
        .map(|t| Utc.from_utc_datetime(&t) - Duration::hours(14))
        .map_or(now, |start| {
            start + Duration::milliseconds(i as i64 % 3_600_000)
        })
}

/// Write a demo history into `store`, which must be empty.
pub fn write_demo(store: &Store, count: usize, seed: u64, clock: Clock) -> Result<DemoSummary> {
    if count > MAX_CYCLES {
        return Err(Error::Usage(format!(
            "a demo writes at most {MAX_CYCLES} cycles (asked for {count})"
        )));
    }
    let stored = store.count()?;
    if stored > 0 || !store.checkins()?.is_empty() {
        return Err(Error::Usage(format!(
            "this data folder already holds {stored} cycles; rebound demo writes only into \
             a new or empty one, so made-up cycles never mix with real ones. Give \
             --data-dir a new folder"
        )));
    }
    let (cycles, checkins) = history(count, seed, clock);
    for chunk in cycles.chunks(CHUNK) {
        store.add_cycles(chunk)?;
    }
    for (day, answers) in &checkins {
        store.put_checkin(*day, *answers)?;
    }
    Ok(DemoSummary {
        cycles: cycles.len(),
        checkins: checkins.len(),
        first_day: cycles.first().map(|c| c.fields.attempted_on),
        areas: store.areas()?.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::for_tests()
    }

    #[test]
    fn a_seed_gives_the_same_history_and_every_cycle_is_valid() {
        let (a, _) = history(300, 7, clock());
        let (b, _) = history(300, 7, clock());
        assert_eq!(a, b);
        for c in &a {
            let json = serde_json::to_value(c).unwrap();
            assert!(Cycle::from_json(json, clock().today).is_ok(), "{c:?}");
            if let Some(t) = c.fields.tests_cycle {
                assert!(a
                    .iter()
                    .any(|e| e.id == t && e.fields.attempted_on <= c.fields.attempted_on));
            }
        }
        let ids: std::collections::HashSet<_> = a.iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), a.len());
    }
}
