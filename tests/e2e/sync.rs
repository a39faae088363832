//! Sync in the real window: two data folders sharing one sync folder, each opened in
//! its own window one after the other, as a person with a laptop and a desktop would;
//! then the first again, which syncs on its own as it opens and shows a text written on
//! both at once.

use std::path::Path;

use rebound_core::store::Store;
use rebound_core::use_cases::{self, Clock};
use serde_json::json;

use super::{
    click, in_window, js, log_attempt, save_screenshot, shown, text_of, type_into, until,
    wait_for_store,
};
use crate::util::temp_dir;

const PASSPHRASE: &str = "four calm words here";

/// Go to Settings → Sync, choose the folder (the test dialog picks the shared one),
/// give the passphrase (twice on the first computer) and sync; returns what it said.
async fn set_up_sync(c: &fantoccini::Client, first_computer: bool) -> String {
    click(c, "a.nav-item[data-view='settings']").await;
    click(c, "#sync-choose").await;
    shown(c, "the sync passphrase", "#sync-passphrase").await;
    assert_eq!(
        js(
            c,
            "return document.querySelector('#sync-passphrase-again-field').hidden"
        )
        .await,
        json!(!first_computer),
        "the passphrase is asked twice only on the first computer"
    );
    type_into(c, "#sync-passphrase", PASSPHRASE).await;
    if first_computer {
        type_into(c, "#sync-passphrase-again", PASSPHRASE).await;
    }
    click(c, "#sync-now").await;
    let said = until(
        c,
        "the sync result",
        "return document.querySelector('#sync-result.ok')?.textContent",
    )
    .await;
    said.as_str().unwrap_or_default().to_string()
}

#[test]
fn in_the_window_two_computers_keep_one_journal_through_a_sync_folder() {
    let dir = temp_dir();
    let (laptop, desktop, folder) = (
        dir.path().join("laptop"),
        dir.path().join("desktop"),
        dir.path().join("Sync"),
    );
    std::fs::create_dir_all(&folder).unwrap();
    let picks = (rebound_window::desktop::TEST_SAVE_DIR_ENV, folder.as_path());
    // Each computer by the name the person knows it by.
    let (on_laptop, on_desktop) = (
        ("HOSTNAME", Path::new("laptop")),
        ("HOSTNAME", Path::new("desktop")),
    );

    // The laptop: one attempt, then sync set up for the first time.
    in_window(
        "sync-laptop",
        &[("REBOUND_DATA_DIR", laptop.as_path()), picks, on_laptop],
        |c| async move {
            log_attempt(&c, "Client pitches", "Pitched above my rate", "failure", 2).await;
            let before = text_of(&c, "#where-data-goes").await;
            assert_eq!(before, "Everything stays on this computer.");
            let said = set_up_sync(&c, true).await;
            assert!(said.starts_with("Sent 1 change"), "{said}");
            // Once syncing, the sidebar says where the encrypted copies go instead.
            until(
                &c,
                "the sidebar naming the sync folder",
                "return document.querySelector('#where-data-goes').textContent.includes('encrypted copies')",
            )
            .await;
            assert_eq!(
                js(
                    &c,
                    "return document.querySelector('#sync-passphrase-fields').hidden"
                )
                .await,
                json!(true)
            );
            shown(&c, "this computer in the list", "#sync-devices li").await;
            c
        },
    );
    if super::prerequisites().is_err() {
        return;
    }

    // The desktop: joins with the same passphrase, gets the laptop's attempt, changes
    // what was observed, and syncs.
    in_window(
        "sync-desktop",
        &[("REBOUND_DATA_DIR", desktop.as_path()), picks, on_desktop],
        |c| async move {
            let said = set_up_sync(&c, false).await;
            assert!(said.starts_with("Brought in 1 change"), "{said}");
            until(
                &c,
                "two computers listed",
                "return document.querySelectorAll('#sync-devices li').length === 2",
            )
            .await;
            let _ = save_screenshot("16-sync").await;
            click(&c, "a.nav-item[data-view='cycles']").await;
            until(&c, "the laptop's attempt", "return document.querySelector('#cycle-list')?.textContent.includes('Pitched above my rate')").await;
            click(&c, "#cycle-list li:nth-child(1) .cycle-row").await;
            shown(&c, "the editor", "#f-observation").await;
            type_into(
                &c,
                "#f-observation",
                "Written on the desktop: they went quiet at the pricing slide",
            )
            .await;
            click(&c, "#save").await;
            until(
                &c,
                "the editor to close",
                "return document.querySelector('#editor').hidden",
            )
            .await;
            click(&c, "a.nav-item[data-view='settings']").await;
            // Sync now (a sync of its own may have sent it already, a few seconds after
            // the save: either way it is in the folder once this says so).
            click(&c, "#sync-now").await;
            until(
                &c,
                "the sync done",
                "return document.querySelector('#sync-result.ok')?.textContent",
            )
            .await;
            c
        },
    );

    // Meanwhile the laptop (closed) had the same observation written another way: as
    // the `rebound edit` of a script would.
    {
        let store = wait_for_store(&laptop);
        let id = store.all_by_id().unwrap()[0].id.to_string();
        let patch =
            json!({"observation": "Written on the laptop: the demo crashed before pricing"});
        use_cases::patch_cycle(&store, &id, patch, Clock::system()).unwrap();
    }

    // The laptop again: it syncs as it opens, and shows both texts to choose from.
    in_window(
        "sync-laptop-again",
        &[("REBOUND_DATA_DIR", laptop.as_path()), picks, on_laptop],
        |c| async move {
            click(&c, "a.nav-item[data-view='settings']").await;
            shown(&c, "the conflict", "#sync-conflicts li").await;
            let versions = js(&c, "return [...document.querySelectorAll('#sync-conflicts blockquote')].map(b => b.textContent)").await;
            assert_eq!(versions.as_array().map(Vec::len), Some(2), "{versions}");
            let texts = versions.to_string();
            assert!(
                texts.contains("Written on the desktop") && texts.contains("Written on the laptop"),
                "{texts}"
            );
            assert!(text_of(&c, "#sync-conflicts").await.contains("Observation"));
            js(
                &c,
                "document.querySelector('#sync-card').scrollIntoView({block: 'start'}); return 1",
            )
            .await;
            let _ = save_screenshot("17-sync-conflict").await;
            click(&c, "#sync-conflicts button[data-keep='both']").await;
            until(
                &c,
                "the conflict resolved",
                "return document.querySelector('#sync-conflicts-box').hidden",
            )
            .await;
            click(&c, "#sync-now").await;
            until(
                &c,
                "the choice sent",
                "return document.querySelector('#sync-result.ok')?.textContent.startsWith('Sent')",
            )
            .await;
            c
        },
    );

    // Both texts are kept in the laptop's journal; the desktop gets them at its next sync.
    let store = wait_for_store(&laptop);
    let kept = store.all_by_id().unwrap()[0]
        .fields
        .observation
        .clone()
        .unwrap();
    assert!(
        kept.contains("Written on the desktop") && kept.contains("Written on the laptop"),
        "{kept}"
    );
    drop(store);
    let store = Store::open(&desktop).unwrap();
    let report = use_cases::sync_now(&store, &desktop, None, None, Clock::system()).unwrap();
    assert!(report.conflicts.is_empty(), "{report:?}");
    assert_eq!(
        store.all_by_id().unwrap()[0].fields.observation.as_deref(),
        Some(kept.as_str())
    );
}
