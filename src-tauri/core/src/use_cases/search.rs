//! Search, filters and the Lessons list, a page at a time.

use serde::Serialize;

use super::areas::archived_areas;
use super::CycleView;
use crate::cycle::Cycle;
use crate::error::Result;
use crate::search::{self, Filter, FilterInput, Lesson};
use crate::store::Store;

/// One page of search results and how many there are in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SearchPage {
    pub total: usize,
    pub cycles: Vec<CycleView>,
}

/// Search and filter the cycles, newest attempt first.
pub fn search_cycles(
    store: &Store,
    input: &FilterInput,
    limit: usize,
    offset: usize,
) -> Result<SearchPage> {
    let filter = input.check()?;
    page(store, &filter, &store.snapshot()?, limit, offset)
}

/// The page of `cycles` that `filter` finds.
fn page(
    store: &Store,
    filter: &Filter,
    cycles: &[Cycle],
    limit: usize,
    offset: usize,
) -> Result<SearchPage> {
    let mut found = search::search(cycles, filter);
    if filter.waiting() {
        // The reflect queue is Today's lists in full, and Today leaves archived areas out.
        let archived = archived_areas(store)?;
        found.retain(|c| !archived.contains(&c.fields.area));
    }
    Ok(SearchPage {
        total: found.len(),
        cycles: found
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|c| CycleView::from(c.clone()))
            .collect(),
    })
}

/// The cycles a list shows: the newest `limit` when nothing filters them (found from the
/// cycles' summaries, without decoding every cycle), otherwise the matches of the filter.
pub fn list_cycles(store: &Store, input: &FilterInput, limit: usize) -> Result<SearchPage> {
    let filter = input.check()?;
    if !filter.is_empty() {
        // One search: only the cycles whose stored JSON may hold every word are decoded.
        let cycles = store.cycles_where(|json| filter.may_match_json(json))?;
        return page(store, &filter, &cycles, limit, 0);
    }
    let (cycles, total) = store.recent(limit, 0)?;
    Ok(SearchPage {
        total,
        cycles: cycles.into_iter().map(CycleView::from).collect(),
    })
}

/// The first `limit` lessons the filter lets through, and how many there are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LessonsPage {
    pub total: usize,
    /// How many of all of them were put to the test at least once.
    pub tested: usize,
    pub lessons: Vec<Lesson>,
}

/// Every adjustment the filter lets through, with how it was tested, newest first.
pub fn lessons(store: &Store, input: &FilterInput, limit: usize) -> Result<LessonsPage> {
    let filter = input.check()?;
    let mut all = search::lessons(&store.snapshot()?, &filter);
    let tested = all.iter().filter(|l| !l.trials.is_empty()).count();
    let total = all.len();
    all.truncate(limit);
    Ok(LessonsPage {
        total,
        tested,
        lessons: all,
    })
}
