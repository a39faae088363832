// The prediction track record, the way forecasting tools show one: predictions in 10%
// bins with how many each holds and how often those attempts worked, the last 90 days
// beside all time, the Brier score on its named 0–1 scale, and its split into
// reliability and resolution once there are enough predictions. A bin opens its cycles.

import * as api from "../api.js";
import { $, el, shortDay } from "../dom.js";
import { plural, t } from "../i18n.js";
import { outcomeBadge } from "./cycle-row.js";

const two = (v) => v.toFixed(2);
const three = (v) => v.toFixed(3);

export function createTrackRecord({ openCycleById, showError }) {
  let record = null;
  let open = null; // "window:bin" shown below the tables

  function showBin(track, bin) {
    const key = `${track.window}:${bin.low}`;
    const box = $("#track-bin");
    if (open === key || bin.count === 0) {
      open = null;
      box.hidden = true;
      return;
    }
    open = key;
    $("#track-bin-title").textContent = plural("track_bin_title", bin.count, {
      window: t(`track_window_${track.window}`), low: bin.low, high: bin.high,
    });
    $("#track-bin-list").replaceChildren(...bin.cycles.map((c) => {
      const button = el("button", { type: "button", class: "cycle-row", dataset: { id: c.id } },
        el("span", { class: "cycle-date" }, shortDay(c.attempted_on)),
        el("span", { class: "cycle-area" }, c.area),
        el("span", { class: "cycle-attempt" }, c.attempt),
        outcomeBadge(c.outcome),
        el("span", { class: "note" }, t("track_said", { predicted: c.predicted_success })));
      button.addEventListener("click", () => openCycleById(c.id));
      return el("li", {}, button);
    }));
    if (bin.count > bin.cycles.length) {
      $("#track-bin-list").append(el("li", { class: "note" }, t("track_bin_more", { shown: bin.cycles.length })));
    }
    box.hidden = false;
  }

  function column(track, min) {
    const head = el("h3", {}, t(`track_window_${track.window}`));
    if (track.scored === 0) {
      return el("div", { class: "track-col", dataset: { window: track.window } }, head,
        el("p", { class: "note" }, t("track_none")));
    }
    const rows = track.bins.map((bin) => {
      const button = el("button", {
        type: "button", class: "bin-button", disabled: bin.count === 0,
        dataset: { window: track.window, low: String(bin.low) },
        "aria-label": t("track_bin_label", { low: bin.low, high: bin.high, count: bin.count }),
      }, t("track_bin_range", { low: bin.low, high: bin.high }));
      button.addEventListener("click", () => showBin(track, bin));
      const bar = el("span", { class: "bin-bar", "aria-hidden": "true" });
      if (bin.count > 0) {
        const fill = el("span", { class: "bin-fill" });
        fill.style.width = `${bin.happened}%`;
        const said = el("span", { class: "bin-said" });
        said.style.left = `${bin.predicted}%`;
        bar.append(fill, said);
      }
      return el("tr", {},
        el("td", {}, button),
        el("td", { class: "num" }, bin.count),
        el("td", {}, bar),
        el("td", { class: "num" }, bin.count ? `${Math.round(bin.happened)}%` : "–"));
    });
    const split = track.decomposition
      ? t("track_split", {
        reliability: three(track.decomposition.reliability),
        resolution: three(track.decomposition.resolution),
        uncertainty: three(track.decomposition.uncertainty),
      })
      : t("track_split_later", { min, n: track.scored });
    return el("div", { class: "track-col", dataset: { window: track.window } }, head,
      el("p", { class: "track-brier" }, plural("track_brier", track.scored, { brier: two(track.brier) })),
      el("table", { class: "track-table" },
        el("caption", { class: "visually-hidden" }, t("track_caption", { window: t(`track_window_${track.window}`) })),
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, t("track_you_said")),
          el("th", { scope: "col" }, t("track_count")),
          el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, t("track_bar"))),
          el("th", { scope: "col" }, t("track_happened")))),
        el("tbody", {}, rows)),
      el("p", { class: "note track-split" }, split));
  }

  async function refresh() {
    try {
      record = await api.trackRecord();
      open = null;
      $("#track-bin").hidden = true;
      $("#track-columns").replaceChildren(
        column(record.recent, record.min_for_decomposition),
        column(record.all_time, record.min_for_decomposition));
    } catch (error) {
      showError(error);
    }
  }

  return { refresh };
}
