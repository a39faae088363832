// Lessons: the repository of what works and what does not. Every adjustment, where it
// came from, and each attempt that put it to the test.

import * as api from "../api.js";
import { plural, t } from "../i18n.js";
import { $, el, shortDay } from "../dom.js";

const TYPING_PAUSE_MS = 250;
const PAGE = 100;

function trialText(trial) {
  const parts = [
    trial.applied ? t(`trial_applied_${trial.applied}`) : null,
    trial.result ? t(`trial_result_${trial.result}`) : null,
  ].filter(Boolean);
  const day = shortDay(trial.attempted_on);
  return parts.length ? t("trial_with_answers", { day, answers: parts.join(", ") }) : t("trial", { day });
}

export function createLessons({ openCycleById, showError }) {
  let timer = null;
  let asked = 0; // the newest request; older answers are dropped
  let shown = PAGE;
  $("#lessons-search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { shown = PAGE; refresh(); }, TYPING_PAUSE_MS);
  });
  $("#lessons-more").addEventListener("click", () => {
    shown += PAGE;
    refresh();
  });

  function item(lesson) {
    const latest = lesson.trials[0];
    const status = latest
      ? el("span", { class: `verdict ${latest.result ?? "unclear"}` }, trialText(latest))
      : el("span", { class: "verdict waiting" }, t("waiting_to_be_tested"));
    const open = el("button", { type: "button", class: "button link-button" }, t("open"));
    open.addEventListener("click", () => openCycleById(lesson.cycle_id));
    return el("li", { class: "card lesson-item" },
      el("p", { class: "lesson-meta" }, t("lesson_meta", { area: lesson.area, day: shortDay(lesson.attempted_on), attempt: lesson.attempt })),
      el("p", { class: "lesson-adjustment" }, lesson.adjustment),
      lesson.check ? el("p", { class: "note" }, t("lesson_check", { check: lesson.check })) : null,
      el("div", { class: "lesson-foot" }, status,
        lesson.trials.length > 1 ? el("span", { class: "note" }, plural("trials", lesson.trials.length)) : null,
        open),
    );
  }

  async function refresh() {
    const search = $("#lessons-search").value;
    const mine = ++asked;
    try {
      const page = await api.listLessons({ search }, shown);
      if (mine !== asked) return; // a newer search is on its way
      $("#lessons-empty").hidden = page.total > 0 || search.trim() !== "";
      $("#lessons-count").textContent = page.total === 0
        ? (search.trim() ? t("no_lessons_match") : "")
        : plural("lessons_count", page.total, { tested: page.tested.toLocaleString() });
      $("#lesson-list").replaceChildren(...page.lessons.map(item));
      $("#lessons-more").hidden = page.total <= page.lessons.length;
    } catch (error) {
      showError(error);
    }
  }

  return { refresh };
}
