//! The window's first moments in the real window: only Today's code comes before the
//! first paint and every other view's follows it (issue 13), so what a person asks for
//! before that code has arrived waits for it and then happens, in the order asked; and a
//! start at an address naming another view shows that view.

use std::sync::{Arc, Mutex};

use rebound_core::clock::Clock;
use rebound_core::store::Store;
use rebound_core::use_cases;
use serde_json::json;

use super::{
    demo_folder, in_window, in_window_as_opened, js, shown, text_of, until, wait_for_store,
};
use crate::util::temp_dir;

/// Press Try again on the start-up screen and, the moment the app starts (a microtask
/// later, before anything it waits for), click New attempt and press Ctrl+N, Esc and
/// Ctrl+F. Answers whether the other views' code was still to come then (the dashboard
/// had made none of its cards). From then on the page counts the editor's openings
/// (`__editorOpenings`) and collects its errors (`__errors`).
const PRESS_AS_THE_APP_STARTS: &str = r#"
const done = arguments[arguments.length - 1];
const app = document.querySelector('#app');
const editor = document.querySelector('#editor');
window.__errors = [];
addEventListener('error', (e) => __errors.push(String(e.message)));
addEventListener('unhandledrejection', (e) => __errors.push(String(e.reason)));
// Counted from the records: an editor opened and closed at once is hidden again by the
// time an observer hears of it.
window.__editorOpenings = 0;
new MutationObserver((records) => {
  __editorOpenings += records.filter((r) => r.oldValue !== null).length;
}).observe(editor, { attributeFilter: ['hidden'], attributeOldValue: true });
const key = (init) => document.dispatchEvent(
  new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
new MutationObserver((_, observer) => {
  if (app.hidden) return;
  observer.disconnect();
  const early = document.querySelector('#dashboard-charts').childElementCount === 0;
  document.querySelector('#new-attempt').click();
  key({ key: 'n', ctrlKey: true }); // already opening: no second editor
  key({ key: 'Escape' });
  key({ key: 'f', ctrlKey: true });
  done(early);
}).observe(app, { attributes: true });
document.querySelector('#startup-retry').click();
"#;

#[test]
fn in_the_window_what_is_asked_for_before_the_other_views_arrive_waits_for_them() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    // Held until the test lets go, so the window opens on its start-up screen and the app
    // starts when the test presses Try again, with the test's script already listening.
    let store = Store::open(&data).unwrap();
    rebound_core::demo::write_demo(&store, 200, 7, Clock::system()).unwrap();
    let held = Arc::new(Mutex::new(Some(store)));
    let release = held.clone();
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("start", &env, |c| async move {
        shown(&c, "the start-up screen", "#startup").await;
        release.lock().unwrap().take();
        let early = c
            .execute_async(PRESS_AS_THE_APP_STARTS, vec![])
            .await
            .expect("the script runs");
        assert_eq!(
            early,
            json!(true),
            "pressed before the other views' code arrived"
        );
        // Ctrl+F, the last asked for: Cycles, listed, with the search field focused.
        until(
            &c,
            "the cycles listed, the search field focused",
            "return location.hash === '#cycles' \
             && !document.querySelector('#view-cycles').hidden \
             && document.querySelectorAll('#cycle-list .cycle-row').length > 0 \
             && document.activeElement?.id === 'search-text'",
        )
        .await;
        // New attempt opened the editor once (Ctrl+N found it open), and Esc closed it.
        assert_eq!(
            js(
                &c,
                "return [window.__editorOpenings, document.querySelector('#editor').hidden]"
            )
            .await,
            json!([1, true])
        );
        assert_eq!(
            js(
                &c,
                "return document.querySelector('#view-today').hidden && !document.querySelector('#view-cycles').hidden"
            )
            .await,
            json!(true)
        );
        assert_eq!(js(&c, "return window.__errors").await, json!([]));
        // The tests' fonts make system-ui the same DejaVu Sans as sans-serif, so the page
        // asks for sans-serif itself (which WebKitGTK finds without checking aliases).
        assert_eq!(
            js(
                &c,
                "return [document.documentElement.classList.contains('plain-sans'), \
                 getComputedStyle(document.body).fontFamily]"
            )
            .await,
            json!([true, "sans-serif"])
        );

        // A start at an address naming another view shows that view, drawn, not Today.
        js(
            &c,
            "history.replaceState(null, '', '/#dashboard'); return true",
        )
        .await;
        c.refresh().await.expect("the page reloads");
        until(
            &c,
            "the dashboard's first chart",
            "return !document.querySelector('#view-dashboard').hidden \
             && !!document.querySelector('#chart-evidence img')?.src.startsWith('data:')",
        )
        .await;
        assert_eq!(
            js(&c, "return document.querySelector('#view-today').hidden").await,
            json!(true)
        );
        c
    });
}

/// A data folder that is a file (a mistyped `--data-dir`, say): the window still opens,
/// says what is wrong and what to do, and the file is left as it was.
#[test]
fn in_the_window_a_data_folder_that_is_a_file_is_explained_and_left_alone() {
    let dir = temp_dir();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "my notes\n").unwrap();
    // The web view's storage then goes to a folder of the run's own in TMPDIR: here, so
    // that the app's end by the session (a kill, with no time to remove it) leaves
    // nothing behind on the machine.
    let env = [("REBOUND_DATA_DIR", file.as_path()), ("TMPDIR", dir.path())];
    in_window("data folder is a file", &env, |c| async move {
        shown(&c, "the start-up screen", "#startup").await;
        let said = text_of(&c, "#startup").await;
        assert!(said.contains("is a file, not a folder"), "{said}");
        assert!(said.contains("--data-dir"), "{said}");
        assert!(said.contains("Nothing has been changed."), "{said}");
        c
    });
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my notes\n");
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != "notes.txt")
        .collect();
    assert!(
        beside
            .iter()
            .all(|n| n.to_string_lossy().starts_with("rebound-webview-")),
        "nothing else was made beside the file: {beside:?}"
    );
}

/// What the page was served with, and what its scripts did with it, once Today is drawn.
const SERVED: &str = r#"
const kept = document.getElementById('served');
const answer = kept ? JSON.parse(kept.textContent) : null;
const marks = (name) => performance.getEntriesByName(name).map((m) => m.detail ?? true);
const svg = document.querySelector('#evidence-chart svg');
return {
  served: answer !== null,
  theme: answer?.theme, width: answer?.width,
  asked: marks('rebound:start-asked').length,
  differs: marks('rebound:served-differs'),
  hit: window.__hit ?? null,
  recent: document.querySelector('#recent-list').textContent,
  chartHidden: svg?.getAttribute('aria-hidden'),
  chartWidth: document.querySelector('#evidence-chart').clientWidth,
  pageWidth: innerWidth,
  plainSansServed: answer?.plain_sans ?? null,
  plainSans: document.documentElement.classList.contains('plain-sans'),
};
"#;

/// What the page was served with, and did with it, once Today is drawn (`SERVED`).
async fn served_today(c: &fantoccini::Client) -> serde_json::Value {
    until(
        c,
        "Today drawn",
        "return performance.getEntriesByName('rebound:today-drawn').length > 0",
    )
    .await;
    js(c, SERVED).await
}

/// The person's words, in an attempt, trying to end the script the page keeps its answer in.
const HOSTILE_ATTEMPT: &str = "</script><script>window.__hit = 1</script> & <b>bold</b>";

/// Today comes in the page as it is served (desktop/page): the evidence and its chart
/// drawn, and the start-up answer beside them, which the page's scripts take over from
/// without asking for Today again and without writing the evidence any differently. A
/// person's words in that answer stay words.
#[test]
fn in_the_window_today_arrives_drawn_and_the_page_takes_over_without_asking_again() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    {
        let store = Store::open(&data).unwrap();
        let clock = Clock::system();
        rebound_core::demo::write_demo(&store, 200, 7, clock).unwrap();
        let draft = json!({
            "area": "pitches", "attempt": HOSTILE_ATTEMPT,
            "attempted_on": clock.today.to_string(), "outcome": "success",
            "difficulty": 5, "stakes": 3, "effort": 3, "safety": 3,
        });
        use_cases::log_cycle(&store, draft, clock).unwrap();
    }
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("served", &env, |c| async move {
        let seen = served_today(&c).await;
        assert_eq!(seen["served"], json!(true), "{seen}");
        assert_eq!(seen["theme"], json!("light"), "{seen}");
        assert_eq!(seen["asked"], json!(0), "Today was asked for again: {seen}");
        assert_eq!(seen["differs"], json!([]), "{seen}");
        assert_eq!(seen["hit"], json!(null), "{seen}");
        assert_eq!(seen["chartHidden"], json!("true"), "{seen}");
        let recent = seen["recent"].as_str().unwrap();
        assert!(recent.contains(HOSTILE_ATTEMPT), "{recent}");
        // At the window's own size the chart was served at the width it is shown at.
        if seen["pageWidth"] == json!(1100) {
            let off = seen["width"].as_i64().unwrap() - seen["chartWidth"].as_i64().unwrap();
            assert!(off.abs() < 24, "served for another width: {seen}");
        }
        // The fonts here were not known yet; now they are.
        assert_eq!(seen["plainSansServed"], json!(null), "{seen}");
        c
    });
    // The session ends the app without closing its database: closed here, so the next
    // open is a daily one.
    drop(wait_for_store(&data));
    let fonts = || -> serde_json::Value {
        let settings = std::fs::read(data.join("settings.json")).unwrap();
        serde_json::from_slice::<serde_json::Value>(&settings).unwrap()["fonts"]["plain_sans"]
            .clone()
    };
    let found = fonts();
    assert!(found.is_boolean(), "what the page found was kept: {found}");
    let expected = found.clone();
    in_window_as_opened("served again", &env, move |c| async move {
        let seen = served_today(&c).await;
        assert_eq!(seen["served"], json!(true), "{seen}");
        assert_eq!(seen["differs"], json!([]), "{seen}");
        // Served asking for the fonts as they were found, and at the window's width.
        assert_eq!(seen["plainSansServed"], expected, "{seen}");
        assert_eq!(seen["plainSans"], expected, "{seen}");
        let off = seen["width"].as_i64().unwrap() - seen["chartWidth"].as_i64().unwrap();
        assert!(off.abs() < 24, "served for another width: {seen}");
        c
    });
    assert_eq!(fonts(), found);
}

/// On the system's theme, a dark system that only WebKit reads as dark
/// (`GTK_THEME=Adwaita:dark`; the window's own reading of GTK's settings says light):
/// the page is served with its chart in both themes and shows the dark one, and once
/// its scripts take over the chart is the dark one, asked for again, with the evidence
/// written as it was served.
#[test]
fn in_the_window_a_dark_system_gets_a_dark_chart_however_the_window_read_it() {
    let dir = temp_dir();
    let data = demo_folder(dir.path(), 200);
    let dark = std::ffi::OsString::from("Adwaita:dark");
    let env = [
        ("REBOUND_DATA_DIR", data.as_path()),
        ("GTK_THEME", std::path::Path::new(&dark)),
    ];
    in_window("dark system", &env, |c| async move {
        let seen = served_today(&c).await;
        assert_eq!(seen["served"], json!(true), "{seen}");
        assert_eq!(seen["differs"], json!([]), "{seen}");
        assert_eq!(
            js(
                &c,
                "return matchMedia('(prefers-color-scheme: dark)').matches"
            )
            .await,
            json!(true),
            "WebKit reads the system as dark"
        );
        // The dark surface's colour, as screens.rs checks for the theme chosen dark.
        until(
            &c,
            "a dark evidence chart, alone",
            "const charts = document.querySelectorAll('#evidence-chart svg'); \
             return charts.length === 1 && charts[0].outerHTML.includes('#1F2528')",
        )
        .await;
        c
    });
}
