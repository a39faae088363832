//! How long the dashboard takes: every insight and every chart, at 10,000 and 100,000
//! cycles, plus the size of each SVG. A plain program (harness = false) that prints its
//! figures; run with `cargo bench --bench dashboard`. Budgets (issue 5): under 25 ms at
//! 10,000 cycles and under 250 ms at 100,000 on a 2-core machine; each SVG under 200 KB.

#[path = "fixed_clock.rs"]
mod fixed_clock;

use std::time::{Duration, Instant};

use rebound_core::charts::{self, ChartSpec, Kind, Theme};
use rebound_core::demo;
use rebound_core::insights::{self, Band, BrsCheckin, DashboardParams, Range};
use rebound_core::use_cases::DashboardAsk;

use fixed_clock::clock;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let budgets = [(10_000usize, 25u128), (100_000, 250)];
    let mut over = false;
    for (n, budget_ms) in budgets {
        let (cycles, raw) = demo::history(n, 42, clock());
        let checkins: Vec<BrsCheckin> = raw
            .into_iter()
            .map(|(day, answers)| BrsCheckin {
                day,
                answers,
                score: insights::brs_score(answers).unwrap_or(0.0),
            })
            .collect();
        let params = DashboardParams {
            today: clock().today,
            range: Range::All,
            band: Band::default(),
            area: None,
            guides: Default::default(),
        };
        let spec = ChartSpec::new(Theme::Light, clock().today);
        let runs = if n > 50_000 { 7 } else { 21 };
        let mut insight_runs = Vec::new();
        let mut total_runs = Vec::new();
        let mut sizes = Vec::new();
        for run in 0..runs {
            let start = Instant::now();
            let d = insights::dashboard(&cycles, &checkins, &params);
            insight_runs.push(start.elapsed());
            let mut these = Vec::new();
            for kind in Kind::ALL {
                let svg = charts::render(kind, &d, spec).unwrap_or_default();
                let _table = charts::table(kind, &d);
                these.push((kind, svg.len()));
            }
            total_runs.push(start.elapsed());
            if run == 0 {
                sizes = these;
            }
        }
        let (insights_ms, total) = (median(insight_runs), median(total_runs));
        println!(
            "{n:>7} cycles: insights {:>6.1} ms, insights + 8 charts + tables {:>6.1} ms (budget {budget_ms} ms, median of {runs})",
            insights_ms.as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3
        );
        for (kind, bytes) in &sizes {
            println!(
                "          {:<11} {:>7.1} KB",
                kind.as_str(),
                *bytes as f64 / 1024.0
            );
            over |= *bytes >= 200_000;
        }
        over |= total.as_millis() >= budget_ms;
    }
    // What opening the window adds for a large history: Today's data (the evidence chart
    // and the latest cycles, read from a real store on disk), and the dashboard's first
    // chart, which the window asks for before the rest.
    for n in [0usize, 10_000] {
        let Ok(dir) = tempfile::tempdir() else { return };
        let Ok(store) = rebound_core::store::Store::open(dir.path()) else {
            return;
        };
        if n > 0 && demo::write_demo(&store, n, 42, clock()).is_err() {
            return;
        }
        let time = |f: &dyn Fn()| {
            median(
                (0..9)
                    .map(|_| {
                        let start = Instant::now();
                        f();
                        start.elapsed()
                    })
                    .collect(),
            )
            .as_secs_f64()
                * 1e3
        };
        let today = time(&|| {
            let _ = rebound_core::use_cases::evidence_view(&store, Theme::Light, None, clock());
            let _ = store.recent(5, 0);
        });
        let first = time(&|| {
            let _ = rebound_core::use_cases::dashboard_view(
                &store,
                DashboardAsk {
                    kinds: vec![Kind::Evidence],
                    ..DashboardAsk::default()
                },
                clock(),
            );
        });
        let rest = time(&|| {
            let _ = rebound_core::use_cases::dashboard_view(
                &store,
                DashboardAsk {
                    kinds: Kind::ALL[1..].to_vec(),
                    ..DashboardAsk::default()
                },
                clock(),
            );
        });
        println!(
            "{n:>7} cycles in a store: Today's data {today:.1} ms; dashboard first chart {first:.1} ms, the other seven {rest:.1} ms (store reads included)"
        );
    }
    if over {
        println!("OVER BUDGET");
        std::process::exit(1);
    }
}
