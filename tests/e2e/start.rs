//! The window's first moments in the real window: only Today's code comes before the
//! first paint and every other view's follows it (issue 13), so what a person asks for
//! before that code has arrived waits for it and then happens, in the order asked; and a
//! start at an address naming another view shows that view.

use std::sync::{Arc, Mutex};

use rebound_core::clock::Clock;
use rebound_core::store::Store;
use serde_json::json;

use super::{in_window, js, shown, text_of, until};
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
