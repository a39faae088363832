//! What the window's start costs in the core, phase by phase, at 0, 10,000 and 100,000
//! demo cycles: opening the data folder, reading the cycles' summaries, Today's lists,
//! the newest cycles, the evidence chart, and closing. A plain program that prints the
//! fastest of 7 runs of each phase; run with `cargo bench -p rebound-core --bench start`. The window's own
//! open time (WebKit included) is measured by `scripts/bench.sh`.

#[path = "fixed_clock.rs"]
mod fixed_clock;

use std::time::{Duration, Instant};

use rebound_core::charts::Theme;
use rebound_core::demo;
use rebound_core::store::Store;
use rebound_core::use_cases;

use fixed_clock::clock;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn fastest(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[0]
}

/// This process's resident memory now, in MiB (Linux; 0 elsewhere).
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// `start DIR`: one start on an existing data folder in a fresh process, with this
/// process's resident memory after each phase (what a start adds to the window's).
fn one_start(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut report = vec![format!("before {:.1}", rss_mib())];
    let t = Instant::now();
    let store = Store::open(dir)?;
    let opened = t.elapsed();
    report.push(format!("open {:.1}", rss_mib()));
    let start = use_cases::today_start(&store, 20, Theme::Light, Some(900), clock())?;
    report.push(format!("today_start {:.1}", rss_mib()));
    let took = t.elapsed();
    drop(start);
    report.push(format!("after {:.1}", rss_mib()));
    drop(store);
    println!(
        "{}: {:.1} ms (open {:.1}, Today {:.1}); resident MiB: {}",
        dir.display(),
        ms(took),
        ms(opened),
        ms(took - opened),
        report.join(", ")
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Some(dir) = std::env::args().skip(1).find(|a| a.contains('/')) {
        return one_start(std::path::Path::new(&dir));
    }
    let only: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    println!(
        "the window's start in the core (fastest of 7, ms: each phase at its least disturbed)"
    );
    for n in [0usize, 10_000, 100_000] {
        if only.is_some_and(|o| o != n) {
            continue;
        }
        let home = tempfile::tempdir()?;
        let dir = home.path().join("data");
        {
            let store = Store::open(&dir)?;
            if n > 0 {
                demo::write_demo(&store, n, 7, clock())?;
            }
        }
        // Once, as the day's first open would: what follows is every later open.
        drop(Store::open(&dir)?);
        let mut phases: Vec<Vec<f64>> = vec![Vec::new(); 9];
        for _ in 0..7 {
            let t = Instant::now();
            let store = Store::open(&dir)?;
            let opened = t.elapsed();
            let summaries = store.summaries()?;
            let read = t.elapsed();
            let lists = rebound_core::today::today(&summaries, &[], clock().today);
            let listed = t.elapsed();
            let _n = lists.pending.len();
            let whole = use_cases::today_view(&store, clock())?;
            let today = t.elapsed();
            let _recent = use_cases::recent_cycles(&store, 20, 0)?;
            let recent = t.elapsed();
            let evidence = rebound_core::insights::evidence(&summaries);
            let counted = t.elapsed();
            let spec = rebound_core::charts::ChartSpec::new(Theme::Light, clock().today)
                .at_width(Some(900));
            let svg = rebound_core::charts::render_evidence_chart(&evidence, spec)?;
            let drawn = t.elapsed();
            let payload = serde_json::to_string(&(&whole, &evidence, &svg))?.len();
            drop(summaries);
            drop(store);
            let closed = t.elapsed();
            let marks = [opened, read, listed, today, recent, counted, drawn, closed];
            let mut last = Duration::ZERO;
            for (i, m) in marks.iter().enumerate() {
                phases[i].push(ms(*m - last));
                last = *m;
            }
            phases[8].push(payload as f64 / 1024.0);
        }
        let m: Vec<f64> = phases.into_iter().map(fastest).collect();
        println!(
            "{n:>8} open {:.1}, summaries {:.1}, lists {:.1}, today_view {:.1}, recent {:.1}, evidence {:.1}, chart {:.1}, close {:.1}; payload {:.0} KiB",
            m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
        );
    }
    Ok(())
}
