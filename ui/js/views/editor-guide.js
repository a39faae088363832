// The editor's guide for a new attempt: the area's edge on its staircase beside
// Difficulty (the recent attempts, the suggested next difficulty and the counter toward a
// step), the adjustments that have kept working there, and the scales filled in from
// the area's last attempt, visibly and changeably. What a person has chosen themselves
// is never overwritten.

import * as api from "../api.js";
import { $, el, shortDay } from "../dom.js";
import { plural, t } from "../i18n.js";

// The scales taken from the area's last attempt; difficulty comes from the staircase.
const CARRIED = ["stakes", "effort", "safety"];
const GUIDED = ["difficulty", ...CARRIED];

/** A number for a sentence: whole when it is, else one decimal (as Rust's `nice`). */
function nice(value) {
  return Math.abs(value - Math.round(value)) < 0.05 ? String(Math.round(value)) : value.toFixed(1);
}

/** "Last 10 here: 7 worked, at about 6.5." */
function recentText(edge) {
  const r = edge.recent;
  const at = r.mean_difficulty === null ? "" : nice(r.mean_difficulty);
  if (r.attempts === 1) {
    const how = r.worked === 1 ? "success" : r.partial === 1 ? "partial" : "failure";
    return t("guide_recent_one", { difficulty: at, how: t(`guide_how_${how}`) });
  }
  return t("guide_recent_other", { n: r.attempts, worked: r.worked, difficulty: at });
}

/** "3 of 4 successes toward a step up", or what the last attempt did. */
function towardText(edge) {
  const s = edge.staircase;
  if (edge.last_move === "hard_landing") return t("guide_after_hard");
  if (edge.failures_in_row > 0) return t("guide_toward_down", { count: edge.failures_in_row, of: s.down_after });
  if (edge.last_move === "up") return t("guide_after_up", { of: s.up_after });
  if (edge.last_move === "down") return t("guide_after_down", { of: s.up_after });
  return t("guide_toward_up", { count: edge.successes_in_row, of: s.up_after });
}

/** The rule in the window's words. */
export function ruleText(staircase, settlesNear, band) {
  return t("guide_rule", {
    up: plural("guide_rule_up", staircase.up_after),
    down: plural("guide_rule_down", staircase.down_after),
    near: Math.round(settlesNear),
    low: band.low,
    high: band.high,
  });
}

export function createGuide({ form, onChangeRule }) {
  const box = $("#attempt-guide");
  const note = $("#prefill-note");
  const proven = $("#proven");
  let active = false; // a new attempt is open
  let asked = 0; // the newest request; older answers are dropped
  let area = "";
  const touched = new Set();

  $("#guide-change").addEventListener("click", () => onChangeRule(area));
  // A scale is the person's once they choose on it, even the value already filled in:
  // a click on a chosen segment fires no change, but it is a choice all the same.
  const choose = (event) => {
    const name = event.target.name;
    if (GUIDED.includes(name)) {
      touched.add(name);
      form.querySelector(`[data-scale="${name}"]`)?.classList.remove("prefilled");
      showNote();
    }
  };
  form.addEventListener("change", choose);
  form.addEventListener("click", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === "radio") choose(event);
  });

  const chosen = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? "";

  function setScale(name, value) {
    if (touched.has(name)) return;
    const scale = form.querySelector(`[data-scale="${name}"]`);
    if (value === null || value === undefined) {
      // Another area with nothing to offer: what the last one filled in goes.
      if (scale?.classList.contains("prefilled")) {
        for (const input of form.querySelectorAll(`input[name="${name}"]`)) input.checked = false;
        scale.classList.remove("prefilled");
      }
      return;
    }
    const input = document.getElementById(`f-${name}-${value}`);
    if (!input) return;
    input.checked = true;
    scale?.classList.add("prefilled");
  }

  function clearPrefill() {
    for (const name of GUIDED) {
      form.querySelector(`[data-scale="${name}"]`)?.classList.remove("prefilled");
    }
  }

  let last = null;
  function showNote() {
    const carried = CARRIED.filter((n) => !touched.has(n) && last && chosen(n) === String(last[n]));
    const difficulty = form.querySelector('[data-scale="difficulty"]').classList.contains("prefilled");
    note.hidden = !last || (carried.length === 0 && !difficulty);
    if (note.hidden) return;
    note.textContent = t(difficulty ? "prefill_note_with_difficulty" : "prefill_note", {
      area, day: shortDay(last.attempted_on),
    });
  }

  function show(guide, plan) {
    area = guide.area;
    last = guide.known ? guide.last : null;
    box.hidden = !area;
    $("#guide-change").hidden = !guide.known;
    const edge = guide.edge;
    if (edge) {
      $("#guide-edge").textContent = `${recentText(edge)} ${t("guide_next", { level: edge.suggested_next, toward: towardText(edge) })}`;
      $("#guide-rule").textContent = ruleText(edge.staircase, edge.settles_near, edge.target_band);
    } else {
      $("#guide-edge").textContent = guide.known ? t("guide_no_finished") : t("guide_new_area");
      $("#guide-rule").textContent = "";
    }
    setScale("difficulty", plan?.difficulty ?? edge?.suggested_next ?? last?.difficulty);
    for (const name of CARRIED) setScale(name, last?.[name]);
    showNote();
    proven.hidden = guide.proven.length === 0;
    $("#proven-list").replaceChildren(...guide.proven.map((p) => el("li", {},
      el("span", { class: "proven-text" }, p.adjustment),
      el("span", { class: "proven-record" }, t("proven_record", { worked: p.worked, tried: p.tried })))));
  }

  function hide() {
    active = false;
    asked++;
    box.hidden = true;
    note.hidden = true;
    proven.hidden = true;
    clearPrefill();
  }

  /** Fetch and show the guide for `name` ("" = the last area practised). */
  async function load(name, plan) {
    const mine = ++asked;
    try {
      const guide = await api.attemptGuide(name);
      if (mine !== asked || !active) return null;
      show(guide, plan);
      return guide;
    } catch {
      return null; // a guide is a courtesy; the form works without it
    }
  }

  return {
    /** A new attempt opens: fill from the plan or the last area, and show the guide. */
    async start(plan) {
      hide();
      active = true;
      touched.clear();
      const guide = await load(plan?.area ?? "", plan);
      const field = form.elements.namedItem("area");
      if (guide?.area && field.value === "") field.value = guide.area;
      return guide;
    },
    /** The area was typed: show its guide, refilling only what was not chosen by hand. */
    areaChanged(name) {
      if (!active) return;
      if (name.trim() === "") { hide(); active = true; return; }
      load(name);
    },
    hide,
    refresh() { if (active) load(form.elements.namedItem("area").value); },
  };
}
