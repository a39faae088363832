//! Guidance in the real window: the editor's staircase guide and the scales it fills
//! in (and logging today's attempt with three keys), the safer-context nudge, an area's
//! own rule, the reflect queue that opens each cycle where it needs the person, Lessons
//! as a playbook, the prediction track record, the weekly review and its plan, and the
//! tray setting.

use std::path::Path;

use rebound_core::clock::Clock;
use rebound_core::store::Store;
use rebound_core::use_cases;
use serde_json::{json, Value};

use super::{
    click, discard_changes, editor_closed, in_window, js, prerequisites, press, reach,
    save_screenshot, shown, text_of, until, wait_for_store,
};
use crate::util::temp_dir;

const CTRL_N: &str = "\u{E009}n\u{E000}";
const CTRL_S: &str = "\u{E009}s\u{E000}";
const TAB: &str = "\u{E004}";

/// Log `draft` (no date: today) into the data in `data`, and return the cycle's id.
fn log(store: &Store, draft: Value) -> String {
    use_cases::log_cycle(store, draft, Clock::system())
        .unwrap()
        .id
        .to_string()
}

fn attempt(area: &str, outcome: &str, difficulty: u8) -> Value {
    json!({
        "area": area, "attempt": format!("A {outcome} at {difficulty}"), "outcome": outcome,
        "difficulty": difficulty, "stakes": 3, "effort": 4, "safety": 2,
    })
}

/// "client pitches": a failure at 5 with an adjustment, tried twice (better both times),
/// then two more successes at 5. Its staircase (4 up / 1 down): the failure sets the
/// level at 5 and steps down to 4; four successes at 5 step to one above the easiest,
/// 6. An older attempt in "essays" makes "client pitches" the area practised last.
fn seed_pitches(data: &Path) {
    let store = Store::open(data).unwrap();
    log(&store, attempt("essays", "success", 3));
    let mut failed = attempt("client pitches", "failure", 5);
    failed["adjustment"] = json!("Ask about budget in the first call.");
    let source = log(&store, failed);
    for n in 0..4 {
        let mut success = attempt("client pitches", "success", 5);
        if n < 2 {
            success["tests_cycle"] = json!(source);
            success["applied"] = json!("yes");
            success["result"] = json!("better");
        }
        log(&store, success);
    }
}

#[test]
fn in_the_window_a_new_attempt_shows_the_areas_edge_fills_its_scales_and_logs_with_three_keys() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    seed_pitches(&data);
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("editor-guide", &env, |c| async move {
        shown(&c, "Today's lists", "#waiting").await;

        // Key 1: Ctrl+N. The area practised last is filled in and selected.
        press(&c, "#new-attempt", CTRL_N).await;
        until(
            &c,
            "the last area, selected, with the focus",
            "const a = document.querySelector('#f-area'); \
             return a.value === 'client pitches' && document.activeElement === a \
             && a.selectionStart === 0 && a.selectionEnd === a.value.length",
        )
        .await;
        // Beside Difficulty: the recent attempts, the suggestion and the counter.
        until(
            &c,
            "the edge beside Difficulty",
            "return document.querySelector('#guide-edge').textContent === \
             'Last 5 here: 4 worked, at about 5. Suggested next: 6 (a step up; 0 of 4 toward the next).'",
        )
        .await;
        assert!(text_of(&c, "#guide-rule")
            .await
            .contains("It settles near 84% success; your band is 70–90%."));
        // Filled in, visibly: the suggestion for difficulty, the last attempt's scales.
        let filled = js(
            &c,
            "return ['difficulty', 'stakes', 'effort', 'safety'].map(n => [ \
               document.querySelector(`input[name=\"${n}\"]:checked`)?.value ?? null, \
               document.querySelector(`[data-scale=\"${n}\"]`).classList.contains('prefilled')])",
        )
        .await;
        assert_eq!(
            filled,
            json!([["6", true], ["3", true], ["4", true], ["2", true]])
        );
        assert!(text_of(&c, "#prefill-note")
            .await
            .contains("from your last attempt in client pitches"));
        // The adjustment that kept working here is offered before the attempt.
        assert!(text_of(&c, "#proven")
            .await
            .contains("Ask about budget in the first call.worked 2 of 2"));
        let _ = save_screenshot("20-editor-guide").await;

        // Key 2: Tab keeps the area; the words; key 3: Ctrl+S.
        press(&c, "#f-area", TAB).await;
        until(
            &c,
            "the attempt field focused",
            "return document.activeElement?.id === 'f-attempt'",
        )
        .await;
        reach(&c, "#f-attempt")
            .await
            .send_keys("Pitched the retainer at the new rate")
            .await
            .unwrap();
        press(&c, "#f-attempt", CTRL_S).await;
        editor_closed(&c).await;
        until(
            &c,
            "the logged toast",
            "return document.querySelector('#toast-text').textContent.startsWith('Logged.')",
        )
        .await;

        // High stakes where failing is not safe: a note suggests a safer version first.
        press(&c, "#new-attempt", CTRL_N).await;
        until(
            &c,
            "the scales filled in",
            "return document.querySelector('#f-safety-2').checked",
        )
        .await;
        super::choose(&c, "stakes", "4").await;
        shown(
            &c,
            "the safer-context nudge",
            "#n-safety .nudge[data-rule=\"unsafe_context\"]",
        )
        .await;
        assert!(text_of(&c, "#n-safety")
            .await
            .contains("Could you try a smaller or safer version first"));
        assert_eq!(
            js(
                &c,
                "return document.querySelector('[data-scale=\"stakes\"]').classList.contains('prefilled')"
            )
            .await,
            false,
            "a scale changed by hand is the person's"
        );
        let _ = save_screenshot("21-unsafe-context").await;

        // The area's own rule: 2 up / 1 down settles near 71%, and the suggestion moves.
        click(&c, "#guide-change").await;
        until(
            &c,
            "the rule dialog",
            "return document.querySelector('#guide-dialog').open",
        )
        .await;
        js(
            &c,
            "const s = document.querySelector('#guide-rule-choice'); s.value = '2-1'; \
             s.dispatchEvent(new Event('change'));",
        )
        .await;
        assert!(text_of(&c, "#guide-dialog-rule")
            .await
            .contains("It settles near 71% success"));
        let _ = save_screenshot("22-rule-dialog").await;
        click(&c, "#guide-save").await;
        until(
            &c,
            "the dialog to close",
            "return !document.querySelector('#guide-dialog').open",
        )
        .await;
        // F5 → 4; S5 S5 → one above the easiest, 6; the last two successes, at 5, are
        // below 6 and count for nothing.
        until(
            &c,
            "the suggestion under the new rule",
            "return document.querySelector('#guide-edge').textContent.endsWith(              'Suggested next: 6 (0 of 2 successes toward a step up).')",
        )
        .await;
        assert!(text_of(&c, "#guide-rule")
            .await
            .contains("after 2 genuine successes in a row"));
        // A filled-in value the person clicks is theirs: typing a new area, which has no
        // last attempt, clears only what was filled in and not chosen.
        super::choose(&c, "effort", "4").await;
        super::type_into(&c, "#f-area", "A brand new area").await;
        until(
            &c,
            "the new area's guide",
            "return document.querySelector('#guide-edge').textContent.startsWith('A new area')",
        )
        .await;
        assert_eq!(
            js(
                &c,
                "return ['stakes', 'effort', 'safety'].map(n => \
                   document.querySelector(`input[name=\"${n}\"]:checked`)?.value ?? null)"
            )
            .await,
            json!(["4", "4", null]),
            "a regression: a confirmed value was cleared when the area changed"
        );
        click(&c, "#editor-close").await;
        discard_changes(&c).await;
        c
    });
    if prerequisites().is_err() {
        return;
    }
    let store = wait_for_store(&data);
    let newest = use_cases::recent_cycles(&store, 1, 0).unwrap();
    let f = &newest[0].cycle.fields;
    assert_eq!(f.attempt, "Pitched the retainer at the new rate");
    assert_eq!(f.area, "client pitches");
    assert_eq!(
        (f.difficulty, f.stakes, f.effort, f.safety),
        (6, 3, 4, 2),
        "saved as filled in"
    );
    assert_eq!(f.outcome, rebound_core::cycle::Outcome::Pending);
    let guides = use_cases::area_guides(&store).unwrap();
    assert_eq!(guides.staircase("Client Pitches").up_after, 2);
}

#[test]
fn in_the_window_the_reflect_queue_opens_each_cycle_where_it_needs_you() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    {
        let store = Store::open(&data).unwrap();
        for n in 1..=5 {
            log(&store, attempt("sprints", "pending", n));
        }
        for n in 1..=4 {
            log(&store, attempt("essays", "failure", n));
        }
        let mut observed = attempt("essays", "partial", 5);
        observed["attempt"] = json!("The observed partial");
        observed["observation"] = json!("The editor stopped reading at page two");
        log(&store, observed);
    }
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("reflect-queue", &env, |c| async move {
        shown(&c, "outcomes to record", "#waiting-pending").await;
        assert_eq!(
            text_of(&c, "#waiting-pending .more-link").await,
            "and 2 more"
        );
        // Today's pending attempt opens at Outcome, with the focus on it.
        click(&c, "#waiting-pending .mini-row").await;
        until(
            &c,
            "the focus on the outcome",
            "return document.activeElement?.id === 'f-outcome-pending'",
        )
        .await;
        let in_view = js(
            &c,
            "const body = document.querySelector('.editor-body').getBoundingClientRect(); \
             const stage = document.querySelector('#stage-outcome').getBoundingClientRect(); \
             return stage.top >= body.top - 1 && stage.top < body.top + 60",
        )
        .await;
        assert_eq!(
            in_view, true,
            "the Outcome stage is at the top of the editor"
        );
        let _ = save_screenshot("23-outcome-focus").await;
        click(&c, "#editor-close").await;
        editor_closed(&c).await;

        // "and 2 more" leads to the whole queue: Cycles, waiting for me.
        click(&c, "#waiting-pending .more-link").await;
        until(
            &c,
            "the queue",
            "return document.querySelector('#cycles-count').textContent === \
             '10 cycles waiting for you, newest first'",
        )
        .await;
        assert_eq!(
            js(
                &c,
                "return document.querySelector('#search-waiting').checked"
            )
            .await,
            true
        );
        assert_eq!(
            js(
                &c,
                "return document.querySelectorAll('#cycle-list .cycle-todo').length"
            )
            .await,
            json!(10)
        );
        assert_eq!(
            text_of(&c, "#cycle-list li:first-child .cycle-todo").await,
            "still to extract, adjust"
        );
        let _ = save_screenshot("24-reflect-queue").await;
        // The observed partial opens at Extract.
        click(&c, "#cycle-list li:first-child .cycle-row").await;
        until(
            &c,
            "the focus on what was in your control",
            "return document.activeElement?.id === 'f-in_my_control'",
        )
        .await;
        reach(&c, "#f-in_my_control")
            .await
            .send_keys("I sent it the night I finished it")
            .await
            .unwrap();
        press(&c, "#f-in_my_control", CTRL_S).await;
        editor_closed(&c).await;
        // Still waiting (for an adjustment), now "still to adjust".
        until(
            &c,
            "the queue updated",
            "return document.querySelector('#cycle-list li:first-child .cycle-todo')?.textContent === 'still to adjust'",
        )
        .await;
        // A pending one in the queue opens at Outcome too.
        let pending = js(
            &c,
            "return [...document.querySelectorAll('#cycle-list .cycle-todo')] \
               .findIndex(n => n.textContent === 'record the outcome') + 1",
        )
        .await;
        click(
            &c,
            &format!("#cycle-list li:nth-child({pending}) .cycle-row"),
        )
        .await;
        until(
            &c,
            "the focus on the outcome",
            "return document.activeElement?.id === 'f-outcome-pending'",
        )
        .await;
        click(&c, "#editor-close").await;
        editor_closed(&c).await;
        // Without the filter, every cycle again.
        click(&c, "#search-waiting").await;
        until(
            &c,
            "the whole list",
            "return document.querySelector('#cycles-count').textContent === '10 cycles, newest attempt first' \
             && document.querySelectorAll('#cycle-list .cycle-todo').length === 0",
        )
        .await;
        c
    });
}

#[test]
fn in_the_window_lessons_are_a_playbook_and_predictions_show_bin_by_bin() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    {
        let store = Store::open(&data).unwrap();
        let mut first = attempt("talks", "failure", 4);
        first["adjustment"] = json!("Rehearse the opening twice.");
        let first = log(&store, first);
        let mut again = attempt("talks", "partial", 4);
        again["adjustment"] = json!("I will rehearse the opening twice");
        let again = log(&store, again);
        for (of, result) in [(&first, "better"), (&again, "better"), (&again, "same")] {
            let mut tried = attempt("talks", "success", 4);
            tried["tests_cycle"] = json!(of);
            tried["applied"] = json!("yes");
            tried["result"] = json!(result);
            log(&store, tried);
        }
        let mut other = attempt("essays", "failure", 3);
        other["adjustment"] = json!("Cut the first page to one paragraph.");
        log(&store, other);
        // 32 predictions: 20 at 80% (16 work) and 12 at 20% (3 work).
        for n in 0..32 {
            let (p, worked) = if n < 20 { (80, n < 16) } else { (20, n < 23) };
            let mut d = attempt("forecasts", if worked { "success" } else { "failure" }, 5);
            d["predicted_success"] = json!(p);
            log(&store, d);
        }
    }
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("playbook", &env, |c| async move {
        shown(&c, "Today", "#waiting").await;
        click(&c, "a.nav-item[data-view='lessons']").await;
        until(
            &c,
            "the playbook",
            "return document.querySelectorAll('#lesson-list .playbook-area').length === 2",
        )
        .await;
        assert_eq!(
            text_of(&c, "#lessons-count").await,
            "2 adjustments, 1 proven (better in more than half of at least 2 tries)"
        );
        let first = js(
            &c,
            "const area = [...document.querySelectorAll('.playbook-area')] \
               .find(a => a.querySelector('.playbook-area-name').textContent === 'talks'); \
             const play = area.querySelector('.play'); \
             return [area.querySelector('.playbook-area-name').textContent, \
               play.dataset.standing, play.querySelector('.play-record').textContent, \
               play.querySelector('.lesson-adjustment').textContent]",
        )
        .await;
        assert_eq!(
            first,
            json!([
                "talks",
                "proven",
                "Worked 2 of 3 times tried",
                "I will rehearse the opening twice"
            ])
        );
        let _ = save_screenshot("25-playbook").await;

        // The track record: two windows, bins with counts, the split from 30.
        click(&c, "a.nav-item[data-view='dashboard']").await;
        until(
            &c,
            "the track record",
            "return document.querySelectorAll('#track-columns .track-col').length === 2 \
             && document.querySelector('.track-split')?.textContent.startsWith('Reliability')",
        )
        .await;
        assert!(text_of(&c, "#track-columns .track-brier")
            .await
            .contains("on a 0–1 scale"));
        click(
            &c,
            "#track-columns .track-col[data-window='all'] .bin-button[data-low='80']",
        )
        .await;
        shown(&c, "the bin's cycles", "#track-bin").await;
        assert_eq!(
            text_of(&c, "#track-bin-title").await,
            "All time · said 80–89% · 20 predictions"
        );
        assert_eq!(
            js(
                &c,
                "return document.querySelectorAll('#track-bin-list .cycle-row').length"
            )
            .await,
            json!(20)
        );
        let _ = save_screenshot("26-track-record").await;
        c
    });
}

#[test]
fn in_the_window_the_weekly_review_plans_one_next_attempt_and_today_keeps_it() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    {
        let store = Store::open(&data).unwrap();
        log(&store, attempt("talks", "failure", 4));
        log(&store, attempt("talks", "success", 4));
        log(&store, attempt("essays", "success", 3));
        // The review day is today, whatever day that is.
        let weekday = chrono::Datelike::weekday(&chrono::Local::now()).number_from_monday();
        let settings =
            rebound_core::review::ReviewSettings::parse(true, weekday as u8, "23:59").unwrap();
        use_cases::set_review_settings(&store, settings).unwrap();
    }
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("weekly-review", &env, |c| async move {
        shown(&c, "the review offered on Today", "#review-ready").await;
        click(&c, "#review-open").await;
        shown(&c, "the review", "#view-review").await;
        until(
            &c,
            "the week's attempts",
            "return document.querySelectorAll('#review-attempts li').length === 3",
        )
        .await;
        assert_eq!(
            text_of(&c, "#review-setbacks-summary").await,
            "1 setback; 1 came back, in a median of 0 days."
        );
        assert!(text_of(&c, "#review-setbacks")
            .await
            .contains("tried again the same day"));
        assert_eq!(
            text_of(&c, "#review-evidence").await,
            "+1 setback followed by another try this week; 1 in all."
        );
        // The plan starts from the area practised most, at its suggested difficulty:
        // failure at 4 → 3, success at 4 counts 1 of 4.
        assert_eq!(
            js(&c, "return [document.querySelector('#plan-area').value, document.querySelector('#plan-difficulty').value]").await,
            json!(["talks", "3"])
        );
        reach(&c, "#plan-attempt")
            .await
            .send_keys("Ask the first question at the all-hands")
            .await
            .unwrap();
        let _ = save_screenshot("27-weekly-review").await;
        click(&c, "#plan-save").await;
        until(
            &c,
            "the plan saved",
            "return document.querySelector('#plan-result').textContent.startsWith('Planned')",
        )
        .await;

        // Today shows the plan, and the review is done.
        click(&c, "a.nav-item[data-view='today']").await;
        shown(&c, "the plan on Today", "#plan-card").await;
        assert_eq!(
            text_of(&c, "#plan-text").await,
            "Ask the first question at the all-hands"
        );
        assert_eq!(
            js(&c, "return document.querySelector('#review-ready').hidden").await,
            true
        );
        let _ = save_screenshot("28-today-plan").await;
        // "Log it" opens the attempt as planned; saving it fulfils the plan.
        click(&c, "#plan-log").await;
        until(
            &c,
            "the planned attempt in the editor",
            "return document.querySelector('#f-attempt').value === 'Ask the first question at the all-hands' \
             && document.querySelector('#f-area').value === 'talks' \
             && document.querySelector('#f-difficulty-3').checked",
        )
        .await;
        press(&c, "#f-attempt", CTRL_S).await;
        editor_closed(&c).await;
        until(
            &c,
            "the plan to go",
            "return document.querySelector('#plan-card').hidden",
        )
        .await;
        c
    });
}

#[test]
fn in_the_window_keeping_rebound_in_the_tray_is_off_until_asked_and_registers_a_login_start() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    // The login entry goes in $HOME/.config/autostart: a home of the test's own.
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let entry = home.join(".config/autostart/Rebound.desktop");
    let env = [
        ("REBOUND_DATA_DIR", data.as_path()),
        ("HOME", home.as_path()),
    ];
    let entry_seen = entry.clone();
    in_window("tray", &env, |c| async move {
        click(&c, "a.nav-item[data-view='settings']").await;
        shown(&c, "the tray setting", "#tray-card").await;
        until(
            &c,
            "off, said so",
            "return document.querySelector('#tray-status').textContent.startsWith('Off:')",
        )
        .await;
        assert_eq!(
            js(&c, "return document.querySelector('#tray-enabled').checked").await,
            false
        );
        assert!(text_of(&c, "#tray-card")
            .await
            .contains("Reminders reach you only while Rebound is running"));
        click(&c, "#tray-enabled").await;
        until(
            &c,
            "on",
            "return document.querySelector('#tray-status').textContent.startsWith('On')",
        )
        .await;
        let _ = save_screenshot("29-settings-tray").await;
        let written = std::fs::read_to_string(&entry_seen).unwrap_or_default();
        assert!(written.contains("--in-tray"), "{written}");
        assert!(written.contains("--data-dir="), "{written}");
        click(&c, "#tray-enabled").await;
        until(
            &c,
            "off again",
            "return document.querySelector('#tray-status').textContent.startsWith('Off:')",
        )
        .await;
        assert!(
            !entry_seen.exists(),
            "turning it off removes the login start"
        );
        // The weekly review's day is a setting beside it.
        js(&c, "document.querySelector('#review-weekday').value = '3';").await;
        click(&c, "#review-form button[type='submit']").await;
        until(
            &c,
            "the review's day saved",
            "return document.querySelector('#review-settings-result').textContent.startsWith('Weekly review every Wednesday')",
        )
        .await;
        c
    });
}
