//! The dashboard in the real window: every chart arrives with its sentence and its
//! numbers, and the range chips redraw them.

use rebound_core::charts::Kind;

use super::{click, demo_folder, in_window, js, save_screenshot, until};
use crate::util::temp_dir;

#[test]
fn in_the_window_the_dashboard_shows_every_chart_with_its_sentence() {
    let dir = temp_dir();
    let data = demo_folder(dir.path(), 300);
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("dashboard", &env, |c| async move {
        until(
            &c,
            "Today's evidence",
            "return !document.querySelector('#evidence').hidden",
        )
        .await;
        click(&c, "a[data-view=\"dashboard\"]").await;
        until(
            &c,
            "every chart drawn",
            "return document.querySelectorAll('.dashboard-card[aria-busy=\"false\"]').length === 8",
        )
        .await;
        for kind in Kind::ALL.map(|k| k.as_str()) {
            let card = js(
                &c,
                &format!(
                    "const card = document.querySelector('#chart-{kind}'); \
                     return {{ src: card.querySelector('img').src.slice(0, 24), \
                     alt: card.querySelector('img').alt, \
                     sentence: card.querySelector('figcaption').textContent, \
                     rows: card.querySelectorAll('tbody tr').length, \
                     heads: card.querySelectorAll('thead th').length }};"
                ),
            )
            .await;
            assert_eq!(card["src"], "data:image/svg+xml;chars", "{kind}");
            let sentence = card["sentence"].as_str().unwrap();
            assert!(sentence.len() > 20, "{kind}: {sentence:?}");
            assert!(card["alt"].as_str().unwrap().ends_with(sentence), "{kind}");
            assert!(card["rows"].as_u64().unwrap() > 0, "{kind} has numbers");
            assert!(
                card["heads"].as_u64().unwrap() >= 2,
                "{kind} has column heads"
            );
        }
        assert!(
            js(
                &c,
                "return document.querySelector('#calibration-list').children.length"
            )
            .await
            .as_u64()
            .unwrap()
                >= 2
        );
        let _ = save_screenshot("10-dashboard").await;

        // A range chip redraws the charts for that range, and says which is chosen.
        click(&c, ".chip[data-range=\"30d\"]").await;
        until(
            &c,
            "the 30-day range",
            "return document.querySelector('.chip[data-range=\"30d\"]').getAttribute('aria-pressed') === 'true' \
             && document.querySelectorAll('.dashboard-card[aria-busy=\"false\"]').length === 8",
        )
        .await;
        let recovery = js(
            &c,
            "return document.querySelector('#sentence-recovery').textContent",
        )
        .await;
        assert!(!recovery.as_str().unwrap().is_empty());
        c
    });
}
