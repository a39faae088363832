// Lessons: the repository of what works and what does not. Every adjustment, where it
// came from, and each attempt that put it to the test.

import * as api from "../api.js";
import { $, el, shortDay } from "../dom.js";

const TYPING_PAUSE_MS = 250;
const APPLIED_WORDS = { yes: "applied", partly: "partly applied", no: "not applied" };
const RESULT_WORDS = { better: "it went better", same: "no change", worse: "it went worse", unclear: "unclear" };

function trialText(trial) {
  const parts = [APPLIED_WORDS[trial.applied], RESULT_WORDS[trial.result]].filter(Boolean);
  return `Tried ${shortDay(trial.attempted_on)}${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

export function createLessons({ openCycleById, showError }) {
  let timer = null;
  $("#lessons-search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, TYPING_PAUSE_MS);
  });

  function item(lesson) {
    const latest = lesson.trials[0];
    const status = latest
      ? el("span", { class: `verdict ${latest.result ?? "unclear"}` }, trialText(latest))
      : el("span", { class: "verdict waiting" }, "Waiting to be tested");
    const open = el("button", { type: "button", class: "button link-button" }, "Open");
    open.addEventListener("click", () => openCycleById(lesson.cycle_id));
    return el("li", { class: "card lesson-item" },
      el("p", { class: "lesson-meta" }, `${lesson.area} · ${shortDay(lesson.attempted_on)} · after: ${lesson.attempt}`),
      el("p", { class: "lesson-adjustment" }, lesson.adjustment),
      lesson.check ? el("p", { class: "note" }, `Check: ${lesson.check}`) : null,
      el("div", { class: "lesson-foot" }, status,
        lesson.trials.length > 1 ? el("span", { class: "note" }, `${lesson.trials.length} trials`) : null,
        open),
    );
  }

  async function refresh() {
    const search = $("#lessons-search").value;
    try {
      const lessons = await api.listLessons({ search });
      const tested = lessons.filter((l) => l.trials.length).length;
      $("#lessons-empty").hidden = lessons.length > 0 || search.trim() !== "";
      $("#lessons-count").textContent = lessons.length === 0
        ? (search.trim() ? "No lessons match." : "")
        : `${lessons.length} ${lessons.length === 1 ? "adjustment" : "adjustments"}, ${tested} tested`;
      $("#lesson-list").replaceChildren(...lessons.map(item));
    } catch (error) {
      showError(error);
    }
  }

  return { refresh };
}
