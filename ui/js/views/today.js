// Today: the evidence first (the headline and its chart, as UX.md puts it), then the
// weekly review when it is waiting and the attempt it planned, what is waiting
// (outcomes to record, reflections to finish, adjustments to test), a lesson from the
// person's own past, this date in earlier months, and the latest cycles. A first-run
// Today explains the loop instead.

import * as api from "../api.js";
import { currentLocale, number, plural, t } from "../i18n.js";
import { $, el, chartElement, chartWidth, currentTheme, longDay, longToday, shortDay } from "../dom.js";
import { cycleRow } from "./cycle-row.js";

const RECENT = 5;

function monthsAgo(months) {
  return months % 12 === 0 ? plural("years_ago", months / 12) : plural("months_ago", months);
}

export function createToday({ openCycle, newAttempt, openQueue, showError }) {
  $("#first-attempt").addEventListener("click", () => newAttempt());
  let lessonCycle = null;
  let plan = null;
  $("#lesson-open").addEventListener("click", () => lessonCycle && openCycle(lessonCycle));
  $("#plan-log").addEventListener("click", () => plan && newAttempt({ plan }));
  $("#plan-clear").addEventListener("click", async () => {
    try {
      await api.clearPlan();
      refresh();
    } catch (error) {
      showError(error);
    }
  });

  // A cycle in the reflect queue opens where it needs the person (its outcome, or the
  // first stage of its reflection still to do).
  function miniItem(cycle, detail) {
    // The attempt wraps onto a second line before it is cut, and says all of it on hover.
    const button = el("button", { type: "button", class: "mini-row", dataset: { id: cycle.id }, title: cycle.attempt },
      el("span", { class: "mini-main" }, cycle.attempt),
      el("span", { class: "mini-detail" }, detail));
    button.addEventListener("click", () => openCycle(cycle, { section: cycle.waiting?.section }));
    return el("li", {}, button);
  }

  // "and N more": the outcomes and reflections lead to the whole reflect queue.
  function fillCard(id, items, total, moreView, onMore = null) {
    const card = $(id);
    card.hidden = items.length === 0;
    let more = null;
    if (total > items.length) {
      const link = el("a", { href: `#${moreView}`, class: "link more-link" }, plural("and_more", total - items.length));
      if (onMore) {
        link.addEventListener("click", (event) => {
          event.preventDefault();
          onMore();
        });
      }
      more = el("li", {}, link);
    }
    card.querySelector("ul").replaceChildren(...items, ...(more ? [more] : []));
  }

  function showPlan(today) {
    plan = today.plan;
    $("#review-ready").hidden = !today.review_due;
    $("#plan-card").hidden = !plan;
    if (!plan) return;
    $("#plan-text").textContent = plan.attempt;
    $("#plan-detail").textContent = t(`plan_detail_${plan.status}`, {
      area: plan.area, difficulty: plan.difficulty, day: longDay(plan.on),
    });
  }

  function showWaiting(today) {
    fillCard("#waiting-pending", today.pending.map((c) =>
      miniItem(c, t("waiting_pending_detail", { area: c.area, day: shortDay(c.attempted_on) }))),
    today.totals.pending, "cycles", openQueue);
    fillCard("#waiting-unfinished", today.unfinished.map((c) =>
      miniItem(c, t("waiting_unfinished_detail", { area: c.area, day: shortDay(c.attempted_on), steps: c.missing.map((m) => t(`missing_${m}`)).join(", ") }))),
    today.totals.unfinished, "cycles", openQueue);
    fillCard("#waiting-untested", today.untested.map((c) =>
      miniItem(c, t("waiting_untested_detail", { area: c.area, adjustment: c.adjustment }))),
    today.totals.untested, "lessons");
    const nothing = !today.pending.length && !today.unfinished.length && !today.untested.length;
    $("#waiting-clear").hidden = !nothing;
    $("#waiting").hidden = false;

    lessonCycle = today.lesson;
    $("#lesson").hidden = !today.lesson;
    if (today.lesson) {
      const l = today.lesson;
      $("#lesson-text").textContent = l.adjustment ?? l.in_my_control;
      $("#lesson-source").textContent = t(l.adjustment ? "lesson_source_adjustment" : "lesson_source_control", { area: l.area, day: shortDay(l.attempted_on) });
    }

    $("#on-this-day").hidden = today.on_this_day.length === 0;
    $("#on-this-day-list").replaceChildren(...today.on_this_day.map((c) => {
      const row = cycleRow(c, openCycle);
      row.querySelector(".cycle-date").textContent = monthsAgo(c.months_ago);
      return row;
    }));
  }

  let drawnWidth = 0;

  /** Ask for the evidence chart at the width it is shown at. */
  function evidenceChart() {
    drawnWidth = chartWidth($("#evidence-chart"));
    return api.evidenceChart(currentTheme(), drawnWidth);
  }

  /**
   * Ask for Today and draw it; or draw `start`, what the window was given as it opened
   * ({ today, recent, evidence }, the chart drawn `width` pixels wide; in `theme` when
   * the page was served with it drawn, desktop/page). Resolves once
   * drawn: its elements made, the chart among them (the next frame paints them).
   */
  async function refresh(start = null, width = 0, theme = null) {
    $("#today-date").textContent = longToday();
    // What the served page shows of the evidence, to check against what is drawn now (its
    // words are English: in another language they are written anew, not checked).
    const served = start && theme && currentLocale() === "en" ? evidenceSaid(theme) : null;
    try {
      // All at once, and shown together, so the headline never pushes the lists down
      // after they appear.
      if (start) {
        drawnWidth = width;
        // The window may have been resized while the start-up request was on its way,
        // or the page served for a width or a theme it does not have: a chart drawn for
        // another width would show scaled. Ask again at this width, in this theme.
        const offWidth = Math.abs(chartWidth($("#evidence-chart")) - width) >= 24;
        if (start.today.cycles > 0 && (offWidth || (theme && theme !== currentTheme()))) {
          start = { ...start, evidence: await evidenceChart() };
        }
      }
      const { today, recent, evidence } = start ?? await Promise.all([
        api.todayView(), api.listCycles(RECENT), evidenceChart(),
      ]).then(([today, recent, evidence]) => ({ today, recent, evidence }));
      const firstRun = today.cycles === 0;
      $("#welcome").hidden = !firstRun;
      for (const id of ["#waiting", "#lesson", "#evidence", "#recent", "#on-this-day", "#review-ready", "#plan-card"]) {
        if (firstRun) $(id).hidden = true;
      }
      if (firstRun) return;
      showEvidence(evidence);
      const drawn = served && evidenceSaid(currentTheme());
      if (served && served !== drawn) {
        // Rust and this file wrote the evidence differently, or the page showed the chart
        // in another theme: a bug to see, not to show.
        console.warn("rebound: the served evidence differs from the drawn one", served, drawn);
        performance.mark("rebound:served-differs", { detail: { served, drawn } });
      }
      showPlan(today);
      showWaiting(today);
      $("#recent").hidden = false;
      $("#recent-list").replaceChildren(...recent.map((c) => cycleRow(c, openCycle)));
      // Resized while that was drawn (Today was still hidden, so nothing redrew): again.
      if (start) await resized();
    } catch (error) {
      showError(error);
    }
  }

  /** The window was resized: redraw the chart if its width changed noticeably. */
  async function resized() {
    if ($("#evidence").hidden || Math.abs(chartWidth($("#evidence-chart")) - drawnWidth) < 24) return;
    try {
      showEvidence(await evidenceChart());
    } catch (error) {
      showError(error);
    }
  }

  /**
   * What the evidence shows: its words, and the theme of the chart on screen (`drawnIn`
   * unless it says otherwise: a page served on the system's theme holds it in both).
   * What the served page and the script must agree on.
   */
  function evidenceSaid(drawnIn) {
    const texts = ["#evidence-total", "#evidence-label", "#evidence-sub", "#evidence-sentence"].map((id) => $(id).textContent);
    const shown = [...$("#evidence-chart").children].find((chart) => chart.getBoundingClientRect().height > 0);
    const chartTheme = ["dark", "light"].find((t) => shown?.classList.contains(`for-${t}`)) ?? (shown ? drawnIn : "none");
    return [...texts, $("#evidence-chart").getAttribute("aria-label"), $("#headline").hidden, $("#evidence").hidden, chartTheme].join("\n");
  }

  function showEvidence(evidence) {
    $("#evidence").hidden = false;
    // No "0 setbacks survived": before the first return the chart and its sentence
    // say what starts the evidence, without a score.
    $("#headline").hidden = evidence.total === 0;
    $("#evidence-total").textContent = number(evidence.total);
    $("#evidence-label").textContent = plural("setbacks_survived", evidence.total);
    $("#evidence-sub").textContent = plural("setbacks_survived_sub", evidence.total);
    const chart = $("#evidence-chart");
    // Drawn with the page: no image to decode after Today is painted. Should the text
    // ever not be a drawing, the sentence below still says what it shows.
    const drawing = chartElement(evidence.svg);
    chart.replaceChildren(...(drawing ? [drawing] : []));
    chart.setAttribute("aria-label", t("evidence_chart_alt", { sentence: evidence.sentence }));
    $("#evidence-sentence").textContent = evidence.sentence;
    series = evidence.series;
    if (numbers.open) fillNumbers();
    else $("#evidence-table").replaceChildren();
  }

  // The numbers behind the chart (a row per day it grew, a thousand after a few years)
  // are laid out when "Show numbers" is opened, not while the window opens.
  const numbers = $("#evidence-table").closest("details");
  let series = [];
  function fillNumbers() {
    $("#evidence-table").replaceChildren(
      ...series.map((p) => el("tr", {}, el("td", {}, shortDay(p.day)), el("td", {}, p.total))),
    );
  }
  numbers.addEventListener("toggle", () => {
    if (numbers.open && $("#evidence-table").childElementCount !== series.length) fillNumbers();
  });

  return { refresh, resized };
}
