// The weekly review: the week's attempts, its setbacks and how fast each came back,
// the lessons written and adjustments tested, the evidence added, and one calibrated
// attempt to plan with a date. Saving the plan (or "Done for this week") ends the
// review; Today then shows the plan until an attempt in its area is logged.

import * as api from "../api.js";
import { $, el, localToday, longDay, sentence, shortDay } from "../dom.js";
import { plural, t } from "../i18n.js";
import { outcomeBadge } from "./cycle-row.js";

const PLAN_FIELDS = ["area", "attempt", "difficulty", "on"];

/** Tomorrow, as YYYY-MM-DD in the person's time zone. */
function tomorrow() {
  const [y, m, d] = localToday().split("-").map(Number);
  const next = new Date(y, m - 1, d + 1);
  const pad = (n) => String(n).padStart(2, "0");
  return `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}`;
}

export function createReview({ openCycleById, onPlanned, showError }) {
  let suggestions = [];

  /** One attempt of the week: its day, area and words, and how it went. */
  function attemptRow(a) {
    const button = el("button", { type: "button", class: "cycle-row review-row", dataset: { id: a.id } },
      el("span", { class: "cycle-date" }, shortDay(a.attempted_on)),
      el("span", { class: "cycle-area" }, a.area),
      el("span", { class: "cycle-attempt" }, a.attempt),
      outcomeBadge(a.outcome),
      el("span", { class: "review-difficulty note" }, t("review_difficulty", { difficulty: a.difficulty })));
    button.addEventListener("click", () => openCycleById(a.id));
    return el("li", {}, button);
  }

  function suggest() {
    const edge = suggestions.find((s) => s.area === $("#plan-area").value);
    $("#plan-suggestion").textContent = edge
      ? t("plan_suggestion", { area: edge.area, level: edge.suggested_next, low: edge.target_band.low, high: edge.target_band.high })
      : "";
    if (edge) $("#plan-difficulty").value = edge.suggested_next;
  }
  $("#plan-area").addEventListener("change", suggest);

  function clearErrors() {
    for (const name of PLAN_FIELDS) {
      const p = $(`#e-plan-${name}`);
      p.hidden = true;
      p.textContent = "";
    }
  }

  $("#plan-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    try {
      const plan = await api.savePlan($("#plan-area").value, $("#plan-attempt").value,
        Number($("#plan-difficulty").value), $("#plan-on").value);
      $("#plan-result").textContent = t("plan_saved", { day: longDay(plan.on) });
      $("#plan-result").className = "result ok";
      onPlanned();
    } catch (error) {
      if (error.kind !== "invalid") { showError(error); return; }
      for (const { field, message } of error.fields) {
        const p = $(`#e-plan-${field}`);
        if (p) { p.textContent = sentence(message); p.hidden = false; }
      }
    }
  });

  $("#review-done").addEventListener("click", async () => {
    try {
      await api.finishReview();
      $("#plan-result").textContent = t("review_finished");
      $("#plan-result").className = "result ok";
      onPlanned();
    } catch (error) {
      showError(error);
    }
  });

  function backText(s) {
    const where = { area: s.area, day: shortDay(s.attempted_on) };
    if (s.came_back_after === null) return t("review_not_yet_back", where);
    if (s.came_back_after === 0) return t("review_back_same_day", where);
    return plural("review_back_after", s.came_back_after, where);
  }

  function listOf(id, items) {
    $(id).replaceChildren(...items);
    $(id).hidden = items.length === 0;
  }

  function show(r) {
    $("#review-range").textContent = t("review_range", { from: longDay(r.from), to: longDay(r.to) });
    const empty = r.attempts.length === 0 && r.lessons.length === 0;
    $("#review-empty").hidden = !empty;

    $("#review-attempts-summary").textContent = r.attempts.length
      ? plural("review_attempts_summary", r.attempts.length, { genuine: r.genuine, worked: r.worked })
      : t("review_no_attempts");
    listOf("#review-attempts", r.attempts.map(attemptRow));

    const back = r.setbacks.filter((s) => s.came_back_after !== null).length;
    $("#review-setbacks-summary").textContent = r.setbacks.length === 0
      ? t("review_no_setbacks")
      : r.median_days_back === null
        ? plural("review_setbacks_open", r.setbacks.length)
        : plural("review_setbacks_back", r.setbacks.length, { back, median: plural("days", r.median_days_back) });
    listOf("#review-setbacks", r.setbacks.map((s) => el("li", {},
      el("button", { type: "button", class: "button link-button review-link" }, s.attempt),
      el("span", { class: "note" }, backText(s)))));
    $$links("#review-setbacks", r.setbacks);

    listOf("#review-lessons", r.lessons.map((l) => el("li", {},
      el("button", { type: "button", class: "button link-button review-link" }, l.adjustment ?? l.in_my_control),
      el("span", { class: "note" }, t(l.adjustment ? "review_lesson_adjustment" : "review_lesson_control", { area: l.area, day: shortDay(l.attempted_on) })))));
    $$links("#review-lessons", r.lessons);
    if (r.lessons.length === 0) {
      $("#review-lessons").replaceChildren(el("li", { class: "note" }, t("review_no_lessons")));
      $("#review-lessons").hidden = false;
    }
    listOf("#review-tested", r.tested.map((x) => el("li", {},
      el("button", { type: "button", class: "button link-button review-link" }, x.adjustment ?? t("review_adjustment_gone")),
      el("span", { class: "note" }, [x.applied ? t(`trial_applied_${x.applied}`) : null,
        x.result ? t(`trial_result_${x.result}`) : null, shortDay(x.attempted_on)].filter(Boolean).join(" · ")))));
    $$links("#review-tested", r.tested);
    if (r.tested.length === 0) {
      $("#review-tested").replaceChildren(el("li", { class: "note" }, t("review_none_tested")));
      $("#review-tested").hidden = false;
    }

    $("#review-evidence").textContent = plural("review_evidence_added", r.evidence_added, { total: r.evidence_total });

    suggestions = r.suggestions;
    const area = $("#plan-area");
    const keep = area.value;
    area.replaceChildren(...suggestions.map((s) => el("option", { value: s.area }, s.area)));
    // The area practised most this week, or the one practised last.
    const counts = new Map();
    for (const a of r.attempts) counts.set(a.area, (counts.get(a.area) ?? 0) + 1);
    const busiest = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
    area.value = suggestions.some((s) => s.area === keep) ? keep
      : suggestions.some((s) => s.area === busiest) ? busiest : suggestions[0]?.area ?? "";
    $("#plan-on").min = localToday();
    if (!$("#plan-on").value) $("#plan-on").value = tomorrow();
    if (r.plan) {
      $("#plan-result").textContent = t("plan_waiting", { attempt: r.plan.attempt, day: longDay(r.plan.on) });
      $("#plan-result").className = "result";
    }
    $("#plan-form").hidden = suggestions.length === 0;
    suggest();
  }

  // Each item's button opens its cycle.
  function $$links(list, items) {
    const buttons = $(list).querySelectorAll(".review-link");
    buttons.forEach((button, i) => button.addEventListener("click", () => openCycleById(items[i].id)));
  }

  async function refresh() {
    clearErrors();
    try {
      show(await api.review());
    } catch (error) {
      showError(error);
    }
  }

  return { refresh };
}
