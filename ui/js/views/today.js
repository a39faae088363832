// Today: the evidence headline and chart, and the latest cycles. A first-run Today
// explains the loop and offers the first step.

import * as api from "../api.js";
import { $, el, currentTheme, longToday, shortDay } from "../dom.js";
import { cycleRow } from "./cycle-row.js";

const RECENT = 5;

export function createToday({ openCycle, newAttempt, showError }) {
  $("#first-attempt").addEventListener("click", newAttempt);

  async function refresh() {
    $("#today-date").textContent = longToday();
    try {
      const [evidence, recent] = await Promise.all([
        api.evidenceChart(currentTheme()),
        api.listCycles(RECENT),
      ]);
      const firstRun = evidence.cycles === 0;
      $("#welcome").hidden = !firstRun;
      $("#evidence").hidden = firstRun;
      $("#recent").hidden = firstRun;
      if (firstRun) return;
      showEvidence(evidence);
      $("#recent-list").replaceChildren(...recent.map((c) => cycleRow(c, openCycle)));
    } catch (error) {
      showError(error);
    }
  }

  function showEvidence(evidence) {
    // No "0 setbacks survived": before the first return the chart and its sentence
    // say what starts the evidence, without a score.
    $("#headline").hidden = evidence.total === 0;
    $("#evidence-total").textContent = evidence.total.toLocaleString();
    const one = evidence.total === 1;
    $("#evidence-label").textContent = one ? "setback survived" : "setbacks survived";
    $("#evidence-sub").textContent = `${one ? "Followed" : "Each one followed"} by another genuine attempt in the same area.`;
    const image = $("#evidence-chart");
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(evidence.svg)}`;
    image.alt = `Evidence of recovery chart. ${evidence.sentence}`;
    $("#evidence-sentence").textContent = evidence.sentence;
    $("#evidence-table").replaceChildren(
      ...evidence.series.map((p) => el("tr", {}, el("td", {}, shortDay(p.day)), el("td", {}, p.total))),
    );
  }

  return { refresh };
}
