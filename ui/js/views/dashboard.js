// Dashboard: every chart of what the cycles show, each with one plain sentence and its
// numbers as a table. The first chart is asked for alone and shown at once; the rest
// follow in one more call, so opening the view never waits for all eight.
//
// Charts arrive as SVG text and are shown as <img> (an SVG in an image cannot run
// script). Person-written text (area names) only reaches the page through textContent.

import * as api from "../api.js";
import { $, $$, el, chartWidth, currentTheme } from "../dom.js";
import { plural, t } from "../i18n.js";

const KINDS = ["evidence", "recovery", "aftermath", "ladder", "calendar", "loops", "brs", "prediction"];
// The range chips; their words are range_<value> in the string catalogue.
const RANGES = ["30d", "90d", "1y", "all"];
const RANGE_KEY = "rebound.dashboard.range";

export function createDashboard({ showError }) {
  let range = localStorage.getItem(RANGE_KEY) ?? "all";
  if (!RANGES.includes(range)) range = "all";
  let area = null;
  let visible = false;
  let stale = true;
  let generation = 0;
  let drawnWidth = 0;
  const cards = new Map();

  // ---- The range chips ----
  const chips = $("#range-chips");
  chips.replaceChildren(...RANGES.map((value) => {
    const chip = el("button", { type: "button", class: "chip", dataset: { range: value } }, t(`range_${value}`));
    chip.addEventListener("click", () => {
      range = value;
      localStorage.setItem(RANGE_KEY, range);
      refresh();
    });
    return chip;
  }));

  // ---- One card per chart, made once; filled as charts arrive ----
  const holder = $("#dashboard-charts");
  for (const kind of KINDS) {
    const image = el("img", { class: "chart", alt: "", width: "760", height: "320" });
    const sentence = el("figcaption", { class: "chart-sentence", id: `sentence-${kind}` });
    const caption = el("caption", { class: "visually-hidden" });
    const head = el("thead");
    const body = el("tbody");
    const summary = el("tbody");
    const note = el("p", { class: "note", hidden: true });
    const extra = el("div", { class: "chart-extra" });
    const figure = el("figure", { class: "card chart-card dashboard-card", id: `chart-${kind}`, dataset: { kind }, "aria-busy": "true" },
      image, sentence, extra,
      el("details", { class: "numbers" },
        el("summary", {}, t("show_numbers")),
        // What the sentence counts, then the marks the chart draws.
        el("table", { class: "summary", hidden: true }, el("caption", { class: "visually-hidden" }, t("numbers_in_the_sentence")), summary),
        note,
        el("table", {}, caption, head, body)));
    holder.append(figure);
    cards.set(kind, { figure, image, sentence, caption, head, body, summary, note, extra });
  }

  // The ladder's area picker and the calibration of every area.
  const areaPick = el("select", { id: "ladder-area", "aria-label": t("ladder_area_label") });
  areaPick.addEventListener("change", () => {
    area = areaPick.value || null;
    refresh(["ladder"]);
  });
  const calibrationList = el("ul", { class: "calibration", id: "calibration-list" });
  cards.get("ladder").extra.append(
    el("label", { class: "ladder-pick" }, `${t("ladder_area")} `, areaPick),
    calibrationList,
  );

  function showChart(chart) {
    const card = cards.get(chart.kind);
    if (!card) return;
    const size = /<svg[^>]*width="(\d+)"[^>]*height="(\d+)"/.exec(chart.svg);
    if (size) [card.image.width, card.image.height] = [Number(size[1]), Number(size[2])];
    card.image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(chart.svg)}`;
    card.image.alt = `${chart.title} chart. ${chart.sentence}`;
    card.sentence.textContent = chart.sentence;
    card.caption.textContent = chart.table.caption;
    card.head.replaceChildren(el("tr", {}, ...chart.table.columns.map((c) => el("th", { scope: "col" }, c))));
    card.body.replaceChildren(...chart.table.rows.map((row) => el("tr", {}, ...row.map((cell) => el("td", {}, cell)))));
    card.summary.replaceChildren(...chart.table.summary.map(([what, value]) =>
      el("tr", {}, el("th", { scope: "row" }, what), el("td", {}, value))));
    card.summary.parentElement.hidden = chart.table.summary.length === 0;
    card.note.hidden = chart.table.omitted === 0;
    card.note.textContent = plural("rows_left_out", chart.table.omitted);
    card.figure.setAttribute("aria-busy", "false");
  }

  function showSurroundings(view) {
    $("#dashboard-count").textContent = view.cycles === 0
      ? t("dashboard_empty")
      : plural("dashboard_cycles", view.cycles);
    for (const chip of $$(".chip", chips)) chip.setAttribute("aria-pressed", String(chip.dataset.range === range));
    // Area picker: every area, the one drawn selected.
    areaPick.replaceChildren(...view.calibration.map((c) => el("option", { value: c.area }, c.area)));
    areaPick.value = view.ladder_area ?? "";
    areaPick.disabled = view.calibration.length === 0;
    calibrationList.replaceChildren(...view.calibration.map((c) => el("li", { class: `zone-${c.zone}` }, c.sentence)));
    $("#band-low").value = view.band.low;
    $("#band-high").value = view.band.high;
    $("#band-source").textContent = view.band_source;
    showCheckin(view);
  }

  // ---- The monthly resilience check-in (optional) ----
  let checkinBuilt = false;
  function showCheckin(view) {
    const box = $("#checkin-form");
    box.hidden = !view.checkin_due;
    if (!view.checkin_due || checkinBuilt) return;
    checkinBuilt = true;
    $("#checkin-source").textContent = view.brs_source;
    $("#checkin-items").replaceChildren(...view.brs_items.map((item, i) => el("fieldset", { class: "checkin-item" },
      el("legend", {}, `${i + 1}. ${item}`),
      el("div", { class: "segments words" }, ...view.brs_answers.flatMap((answer, a) => [
        el("input", { type: "radio", id: `brs-${i}-${a + 1}`, name: `brs-${i}`, value: String(a + 1) }),
        el("label", { for: `brs-${i}-${a + 1}` }, answer),
      ])))));
  }

  async function saveCheckin(event) {
    event.preventDefault();
    const answers = [0, 1, 2, 3, 4, 5].map((i) => Number($(`input[name="brs-${i}"]:checked`)?.value ?? 0));
    if (answers.includes(0)) {
      $("#checkin-message").textContent = t("checkin_answer_all");
      return;
    }
    try {
      const saved = await api.saveCheckin(answers);
      $("#checkin-form").hidden = true;
      $("#checkin-message").textContent = "";
      $("#checkin-done").textContent = t("checkin_saved", { score: saved.score.toFixed(2) });
      refresh(["brs"]);
    } catch (error) {
      showError(error);
    }
  }

  async function later() {
    try {
      await api.checkinLater();
      $("#checkin-form").hidden = true;
    } catch (error) {
      showError(error);
    }
  }

  async function saveBand(event) {
    event.preventDefault();
    try {
      const band = await api.setTargetBand(Number($("#band-low").value), Number($("#band-high").value));
      $("#band-message").textContent = t("band_saved", { low: band.low, high: band.high });
      refresh(["ladder"]);
    } catch (error) {
      $("#band-message").textContent = error.message;
    }
  }

  $("#checkin-form").addEventListener("submit", saveCheckin);
  $("#checkin-later").addEventListener("click", later);
  $("#band-form").addEventListener("submit", saveBand);

  // ---- Loading: the first chart alone, then the rest ----
  async function refresh(only) {
    if (!visible) {
      stale = true;
      return;
    }
    stale = false;
    const mine = ++generation;
    const theme = currentTheme();
    // Drawn at the width the cards show them at, so their text is never scaled down.
    drawnWidth = chartWidth(cards.get(KINDS[0]).image);
    const wanted = only ?? KINDS;
    for (const kind of wanted) cards.get(kind).figure.setAttribute("aria-busy", "true");
    $("#dashboard").setAttribute("aria-busy", "true");
    try {
      const [first, ...rest] = wanted;
      const head = await api.dashboard([first], range, theme, area, drawnWidth);
      if (mine !== generation) return;
      showSurroundings(head);
      head.charts.forEach(showChart);
      if (rest.length > 0) {
        const tail = await api.dashboard(rest, range, theme, area, drawnWidth);
        if (mine !== generation) return;
        tail.charts.forEach(showChart);
      }
      $("#dashboard").setAttribute("aria-busy", "false");
    } catch (error) {
      showError(error);
    }
  }

  return {
    refresh: () => refresh(),
    // Called when the view is shown or hidden; draws on first show and after changes.
    setVisible(now) {
      visible = now;
      if (visible && stale) refresh();
    },
    // Data changed (a save, a delete): redraw now if shown, else on the next show.
    invalidate() {
      stale = true;
      if (visible) refresh();
    },
    // The window was resized: redraw if the cards' width changed noticeably.
    resized() {
      if (Math.abs(chartWidth(cards.get(KINDS[0]).image) - drawnWidth) < 24) return;
      stale = true;
      if (visible) refresh();
    },
  };
}
