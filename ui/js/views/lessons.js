// Lessons, as a playbook: the adjustments grouped by area, the same one written after
// several setbacks shown once with its record ("worked 3 of 4 times tried"), the proven
// ones first. Search narrows it by any word of the cycles the adjustments came from.

import * as api from "../api.js";
import { plural, t } from "../i18n.js";
import { $, el, shortDay } from "../dom.js";

const TYPING_PAUSE_MS = 250;

function trialText(trial) {
  const parts = [
    trial.applied ? t(`trial_applied_${trial.applied}`) : null,
    trial.result ? t(`trial_result_${trial.result}`) : null,
  ].filter(Boolean);
  const day = shortDay(trial.attempted_on);
  return parts.length ? t("trial_with_answers", { day, answers: parts.join(", ") }) : t("trial", { day });
}

/** "Worked 3 of 4 times tried", "Not tried yet". */
function recordText(play) {
  if (play.tried === 0) return t("play_not_tried");
  return plural("play_record", play.tried, { worked: play.worked.toLocaleString() });
}

export function createLessons({ openCycleById, showError }) {
  let timer = null;
  let asked = 0; // the newest request; older answers are dropped
  $("#lessons-search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, TYPING_PAUSE_MS);
  });

  function item(play) {
    const open = el("button", { type: "button", class: "button link-button" }, t("open"));
    open.addEventListener("click", () => openCycleById(play.written_in[0]));
    const trials = play.trials.length
      ? el("details", { class: "play-trials" },
        el("summary", {}, plural("trials", play.trials.length)),
        el("ul", {}, play.trials.map((trial) => el("li", {}, trialText(trial)))))
      : null;
    return el("li", { class: `card lesson-item play ${play.standing}`, dataset: { standing: play.standing } },
      el("div", { class: "play-head" },
        el("span", { class: `standing ${play.standing}` }, t(`standing_${play.standing}`)),
        el("span", { class: "play-record" }, recordText(play))),
      el("p", { class: "lesson-adjustment" }, play.adjustment),
      play.check ? el("p", { class: "note" }, t("lesson_check", { check: play.check })) : null,
      el("div", { class: "lesson-foot" },
        el("span", { class: "note" }, play.written_in.length > 1
          ? plural("play_written", play.written_in.length, { since: shortDay(play.first_written) })
          : t("play_written_once", { day: shortDay(play.last_written) })),
        open),
      trials,
    );
  }

  function area(group) {
    return el("li", { class: "playbook-area" },
      el("h2", { class: "playbook-area-name" }, group.area),
      el("ul", { class: "lesson-list" }, group.plays.map(item)));
  }

  async function refresh() {
    const search = $("#lessons-search").value;
    const mine = ++asked;
    try {
      const book = await api.playbook({ search });
      if (mine !== asked) return; // a newer search is on its way
      $("#lessons-empty").hidden = book.plays > 0 || search.trim() !== "";
      $("#lessons-count").textContent = book.plays === 0
        ? (search.trim() ? t("no_lessons_match") : "")
        : plural("plays_count", book.plays, { proven: book.proven.toLocaleString(), trials: book.proven_min_trials });
      $("#lesson-list").replaceChildren(...book.areas.map(area));
    } catch (error) {
      showError(error);
    }
  }

  return { refresh };
}
