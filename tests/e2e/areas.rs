//! Areas in the real window: an area renamed only in its case keeps the new spelling
//! for the next attempt, even after the first cycle written in it moved to another area
//! (the spelling used to come back; found by the summaries' property test).

use rebound_core::clock::Clock;
use rebound_core::store::Store;
use rebound_core::use_cases;
use serde_json::json;

use super::{
    choose_attempt_scales, click, editor_closed, in_window, rename_area, shown, type_into, until,
    wait_for_store,
};
use crate::util::temp_dir;

#[test]
fn in_the_window_an_area_renamed_in_its_case_keeps_that_spelling_for_the_next_attempt() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    {
        let store = Store::open(&data).unwrap();
        let clock = Clock::system();
        let draft = |area: &str, attempt: &str| {
            json!({"area": area, "attempt": attempt, "difficulty": 5, "stakes": 2,
                   "effort": 3, "safety": 3})
        };
        // The area's first cycle, later moved to another area; a second one stays.
        let first = use_cases::log_cycle(&store, draft("running", "A first run"), clock).unwrap();
        use_cases::log_cycle(&store, draft("running", "A second run"), clock).unwrap();
        use_cases::edit_cycle(
            &store,
            &first.id.to_string(),
            draft("chess", "A first run"),
            clock,
        )
        .unwrap();
    }
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("areas", &env, |c| async move {
        shown(&c, "Today", "#view-today").await;
        click(&c, "a[data-view=\"areas\"]").await;
        until(
            &c,
            "both areas",
            "return document.querySelectorAll('#areas-body tr').length === 2",
        )
        .await;
        rename_area(&c, "running", "Running").await;

        // The next attempt, typed in the old spelling, is filed under the new one.
        click(&c, "#new-attempt").await;
        shown(&c, "the editor", "#editor").await;
        type_into(&c, "#f-area", "running").await;
        type_into(&c, "#f-attempt", "A third run").await;
        choose_attempt_scales(&c).await;
        click(&c, "#save").await;
        editor_closed(&c).await;
        click(&c, "a[data-view=\"areas\"]").await;
        until(
            &c,
            "one row for the area, in its new spelling",
            "const names = [...document.querySelectorAll('#areas-body th')] \
               .map((th) => th.firstChild.textContent); \
             return JSON.stringify(names.filter((n) => n.toLowerCase() === 'running')) \
               === JSON.stringify(['Running']) && names.length === 2;",
        )
        .await;
        c
    });

    if super::prerequisites().is_err() {
        return;
    }
    let store = wait_for_store(&data);
    let areas: Vec<String> = store
        .all_by_id()
        .unwrap()
        .into_iter()
        .map(|c| c.fields.area)
        .collect();
    assert_eq!(areas, ["chess", "Running", "Running"]);
}
