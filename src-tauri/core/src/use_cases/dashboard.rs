//! The dashboard: every measure, its charts with their words and numbers, the target
//! band, and the monthly resilience check-in.

use serde::Serialize;

use super::Clock;
use crate::charts::{self, ChartSpec, Kind, Table, Theme};
use crate::error::{Error, Result};
use crate::insights::brs::{checkin_due, BRS_ANSWERS, BRS_SOURCE};
use crate::insights::calibration::BAND_SOURCE;
use crate::insights::{
    self, AreaCalibration, Band, BrsCheckin, Dashboard, DashboardParams, Range, BRS_ITEMS,
};
use crate::prefs;
use crate::store::Store;

/// One chart of the dashboard with its words and numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChartView {
    pub kind: Kind,
    pub title: String,
    pub svg: String,
    pub sentence: String,
    /// The numbers drawn, as a table (the chart's text alternative).
    pub table: Table,
}

/// An area's calibration with its sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationView {
    #[serde(flatten)]
    pub calibration: AreaCalibration,
    pub sentence: String,
}

/// What the dashboard shows: the charts asked for, and what surrounds them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DashboardView {
    pub range: Range,
    pub cycles: usize,
    pub charts: Vec<ChartView>,
    pub calibration: Vec<CalibrationView>,
    /// The area the ladder shows.
    pub ladder_area: Option<String>,
    pub band: Band,
    pub band_source: &'static str,
    /// Whether to offer the monthly resilience check-in now.
    pub checkin_due: bool,
    pub brs_items: [&'static str; 6],
    pub brs_answers: [&'static str; 5],
    pub brs_source: &'static str,
}

/// The calibration target band: the person's, or the default.
pub fn target_band(store: &Store) -> Result<Band> {
    Ok(store
        .pref(&prefs::TARGET_BAND)?
        .and_then(|b| Band::checked(b.low, b.high).ok())
        .unwrap_or_default())
}

/// Set the calibration target band.
pub fn set_target_band(store: &Store, low: u8, high: u8) -> Result<Band> {
    let band = Band::checked(low, high).map_err(Error::Usage)?;
    store.set_pref(&prefs::TARGET_BAND, &band)?;
    Ok(band)
}

/// Every measure, for `rebound stats` and the dashboard.
pub fn dashboard(
    store: &Store,
    range: Range,
    area: Option<String>,
    clock: Clock,
) -> Result<Dashboard> {
    let cycles = store.snapshot()?;
    let checkins = store.checkins()?;
    let params = DashboardParams {
        today: clock.today,
        range,
        band: target_band(store)?,
        area,
        guides: store.pref(&prefs::AREA_GUIDES)?.unwrap_or_default(),
    };
    Ok(insights::dashboard(&cycles, &checkins, &params))
}

/// Draw `kind` from a computed dashboard, at the default size.
pub fn chart_view(d: &Dashboard, kind: Kind, theme: Theme) -> Result<ChartView> {
    chart_view_at(d, kind, ChartSpec::new(theme, d.today))
}

/// Draw `kind` from a computed dashboard as `spec` asks.
pub fn chart_view_at(d: &Dashboard, kind: Kind, spec: ChartSpec) -> Result<ChartView> {
    Ok(ChartView {
        kind,
        title: kind.title().to_string(),
        svg: charts::render(kind, d, spec)?,
        sentence: kind.sentence(d),
        table: charts::table(kind, d),
    })
}

/// What the window asks of the dashboard: which charts, over what range, in which
/// theme, for which area's ladder, and how wide it shows them (pixels).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DashboardAsk {
    pub kinds: Vec<Kind>,
    pub range: Range,
    pub theme: Theme,
    pub area: Option<String>,
    pub width: Option<u32>,
}

/// The dashboard with the charts asked for drawn (the window asks for the first chart
/// alone, then the rest, so something shows at once).
pub fn dashboard_view(store: &Store, ask: DashboardAsk, clock: Clock) -> Result<DashboardView> {
    let DashboardAsk {
        kinds,
        range,
        theme,
        area,
        width,
    } = ask;
    let d = dashboard(store, range, area, clock)?;
    let spec = ChartSpec::new(theme, d.today).at_width(width);
    let charts = kinds
        .iter()
        .map(|&kind| chart_view_at(&d, kind, spec))
        .collect::<Result<Vec<_>>>()?;
    let last_checkin = store.checkins()?.last().map(|c| c.day);
    let offered = store.pref(&prefs::CHECKIN_OFFERED)?;
    Ok(DashboardView {
        range,
        cycles: d.cycles,
        calibration: d
            .calibration
            .iter()
            .map(|c| CalibrationView {
                sentence: c.sentence(),
                calibration: c.clone(),
            })
            .collect(),
        ladder_area: d.ladder.area.clone(),
        band: d.band,
        band_source: BAND_SOURCE,
        checkin_due: d.cycles > 0 && checkin_due(last_checkin, offered, clock.today),
        brs_items: BRS_ITEMS,
        brs_answers: BRS_ANSWERS,
        brs_source: BRS_SOURCE,
        charts,
    })
}

/// Store today's resilience check-in (six answers, 1–5).
pub fn save_checkin(store: &Store, answers: &[u8], clock: Clock) -> Result<BrsCheckin> {
    let answers: [u8; 6] = answers.try_into().map_err(|_| {
        Error::Usage(format!(
            "a check-in has six answers (got {})",
            answers.len()
        ))
    })?;
    store.put_checkin(clock.today, answers)
}

/// Put the resilience check-in off for a month.
pub fn checkin_later(store: &Store, clock: Clock) -> Result<()> {
    store.set_pref(&prefs::CHECKIN_OFFERED, &clock.today)
}
