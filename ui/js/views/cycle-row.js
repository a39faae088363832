import { t } from "../i18n.js";
// One line of a cycle list: date, area, attempt, outcome and stage marks.

import { el, shortDay } from "../dom.js";

const STAGES = ["attempt", "observe", "extract", "adjust"];

export function outcomeBadge(outcome) {
  return el("span", { class: `outcome ${outcome}` }, t(`outcome_${outcome}`));
}

function stageMarks(stages) {
  const said = STAGES.map((s) => t(stages[s] ? "stage_done" : "stage_not_yet", { stage: t(`stage_${s}`) })).join(", ");
  return el("span", { class: "stages", role: "img", "aria-label": t("stages_label", { stages: said }) },
    STAGES.map((s) => el("i", { class: stages[s] ? "done" : "" })));
}

/** A list item with a button that calls `onOpen(cycle)`. */
export function cycleRow(cycle, onOpen, current = false) {
  const button = el("button", {
    type: "button", class: "cycle-row", dataset: { id: cycle.id },
    "aria-current": current ? "true" : false,
  },
    el("span", { class: "cycle-date" }, shortDay(cycle.attempted_on)),
    el("span", { class: "cycle-area" }, cycle.area),
    el("span", { class: "cycle-attempt" }, cycle.attempt),
    outcomeBadge(cycle.outcome),
    stageMarks(cycle.stages),
  );
  button.addEventListener("click", () => onOpen(cycle));
  return el("li", {}, button);
}
