// Cycles: every cycle, newest attempt first, a page at a time; full-text search and
// filters by area, outcome and date range; and "Waiting for me", the reflect queue:
// outcomes to record and reflections to finish, each opening where it needs the person.

import * as api from "../api.js";
import { plural, t } from "../i18n.js";
import { $, el, sentence } from "../dom.js";
import { cycleRow } from "./cycle-row.js";

const PAGE = 50;
const TYPING_PAUSE_MS = 250;
const WHOLE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The date filters are plain text fields, not <input type=date>: WebKitGTK's date field
 * shows today's date in grey when empty (so the list looks filtered to today) and sends
 * typed digits to its month part only. Digits typed in a row get their dashes: 20261127
 * becomes 2026-11-27.
 */
function withDashes(value) {
  if (!/^[\d-]*$/.test(value)) return value;
  const digits = value.replace(/-/g, "").slice(0, 8);
  if (digits.length > 6) return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}`;
  if (digits.length > 4) return `${digits.slice(0, 4)}-${digits.slice(4)}`;
  return digits;
}

export function createCycles({ openCycle, showError }) {
  let shown = PAGE;
  let selected = null;
  let timer = null;
  let asked = 0; // the newest request; older answers are dropped
  const form = $("#search-form");

  $("#load-more").addEventListener("click", () => {
    shown += PAGE;
    refresh();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("input", (event) => {
    const field = event.target;
    const typing = !event.inputType || event.inputType.startsWith("insert");
    if (field.classList.contains("date-filter") && typing
        && field.selectionStart === field.value.length) {
      field.value = withDashes(field.value);
    }
    if (field.classList.contains("date-filter")) checkDates(false);
    clearTimeout(timer);
    timer = setTimeout(() => { shown = PAGE; refresh(); }, TYPING_PAUSE_MS);
  });
  for (const field of form.querySelectorAll(".date-filter")) {
    field.addEventListener("blur", () => checkDates(true));
  }

  /** Mark a date filter that is not a whole date; said aloud only once the field is left. */
  function checkDates(left) {
    let unfinished = false;
    for (const field of form.querySelectorAll(".date-filter")) {
      const bad = field.value.trim() !== "" && !WHOLE_DATE.test(field.value.trim());
      if (bad && left) field.setAttribute("aria-invalid", "true");
      if (!bad) field.removeAttribute("aria-invalid");
      unfinished ||= bad && field.hasAttribute("aria-invalid");
    }
    $("#date-hint").hidden = !unfinished;
  }
  $("#search-clear").addEventListener("click", () => {
    form.reset();
    checkDates(false);
    shown = PAGE;
    refresh();
    $("#search-text").focus();
  });

  // A date filter counts once it is a whole date; half-typed, it waits.
  const date = (selector) => {
    const value = $(selector).value.trim();
    return WHOLE_DATE.test(value) ? value : "";
  };

  function filter() {
    return {
      search: $("#search-text").value,
      area: $("#search-area").value,
      outcome: $("#search-outcome").value,
      from: date("#search-from"),
      to: date("#search-to"),
      waiting: $("#search-waiting").checked,
    };
  }

  const filtering = (f) => Object.values(f).some((v) => (typeof v === "boolean" ? v : v.trim() !== ""));

  /** What a queued cycle waits for, in words: "record the outcome", "observe, extract". */
  const todo = (cycle) => (cycle.waiting?.section === "outcome"
    ? t("todo_outcome")
    : t("todo_reflect", { steps: cycle.waiting.missing.map((m) => t(`missing_${m}`)).join(", ") }));

  function row(cycle, queue) {
    const open = (c) => openCycle(c, queue ? { section: c.waiting?.section } : {});
    const item = cycleRow(cycle, open, cycle.id === selected);
    if (queue && cycle.waiting) {
      item.querySelector(".cycle-row").append(el("span", { class: "cycle-todo" }, todo(cycle)));
    }
    return item;
  }

  async function refreshAreas() {
    try {
      const areas = await api.listAreas();
      const select = $("#search-area");
      const keep = select.value;
      select.replaceChildren(el("option", { value: "" }, t("any_area")),
        ...areas.map((a) => el("option", { value: a.name }, a.name)));
      select.value = areas.some((a) => a.name === keep) ? keep : "";
    } catch {
      // The filter still works without the list.
    }
  }

  async function refresh() {
    const f = filter();
    const message = $("#search-message");
    const mine = ++asked;
    try {
      const page = await api.searchCycles(f, shown + 1);
      if (mine !== asked) return; // a newer search is on its way
      message.hidden = true;
      const visible = page.cycles.slice(0, shown);
      const more = page.total > shown;
      const active = filtering(f) || [...form.querySelectorAll(".date-filter")].some((d) => d.value.trim() !== "");
      $("#search-clear").hidden = !active;
      $("#cycles-empty").hidden = active || visible.length > 0;
      $("#cycles-none").hidden = !active || visible.length > 0;
      $("#cycles-count").textContent = page.total === 0 ? ""
        : plural(f.waiting ? "cycles_waiting" : active ? "cycles_found" : "cycles_count", page.total);
      $("#queue-note").hidden = !f.waiting;
      $("#cycles-none").textContent = t(f.waiting ? "nothing_waiting" : "no_cycles_match_try_fewer");
      $("#cycle-list").classList.toggle("queue", f.waiting);
      $("#cycle-list").replaceChildren(...visible.map((c) => row(c, f.waiting)));
      $("#load-more").hidden = !more;
    } catch (error) {
      if (error.kind === "invalid") {
        message.textContent = error.fields.map((e) => t("filter_problem", { field: t(`filter_${e.field}`), message: e.message })).join(" ");
        message.hidden = false;
      } else {
        showError(error);
      }
    }
  }

  /** Mark the cycle open in the editor (or none). */
  function select(id) {
    selected = id;
    for (const row of document.querySelectorAll("#cycle-list .cycle-row")) {
      if (row.dataset.id === id) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    }
  }

  function focusSearch() {
    $("#search-text").focus();
    $("#search-text").select();
  }

  /** The whole reflect queue: every other filter cleared, "Waiting for me" on. */
  function showWaiting() {
    form.reset();
    checkDates(false);
    $("#search-waiting").checked = true;
    shown = PAGE;
  }

  return { refresh: () => Promise.all([refresh(), refreshAreas()]), select, focusSearch, showWaiting };
}
