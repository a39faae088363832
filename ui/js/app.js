// Rebound's window: start-up, navigation, keyboard shortcuts and toasts. The views do
// the rest; every call to Rust goes through api.js.

import * as api from "./api.js";
import { $, $$, chartWidth, darkQuery, longDay, sentence } from "./dom.js";
import { applyStrings, loadStrings, t } from "./i18n.js";
import { loadTheme, useTheme } from "./theme.js";
import { createAbout } from "./views/about.js";
import { createBackup } from "./views/backup.js";
import { createCycles } from "./views/cycles.js";
import { createDashboard } from "./views/dashboard.js";
import { createEditor } from "./views/editor.js";
import { createAreas } from "./views/areas.js";
import { createGuidanceSettings } from "./views/guidance-settings.js";
import { createLessons } from "./views/lessons.js";
import { createReview } from "./views/review.js";
import { createSettings } from "./views/settings.js";
import { createSync } from "./views/sync.js";
import { createToday } from "./views/today.js";
import { createTrackRecord } from "./views/track-record.js";

// In Ctrl+digit order; About (the eighth) is also linked from the foot of the sidebar,
// and the weekly review (the ninth) from Today when it is waiting.
const VIEWS = ["today", "cycles", "backup", "dashboard", "lessons", "areas", "settings", "about", "review"];
const TOAST_MS = 8000;
// A toast that offers an action (Undo) stays this long, and never goes while the
// pointer or the keyboard is on it.
const ACTION_TOAST_MS = 30000;
// How long resizing must pause before the charts are redrawn at the new width.
const RESIZE_PAUSE_MS = 300;

let toastTimer = null;
// Drawn only while shown: opening the window never waits for the dashboard's charts.
let dashboard = null;

function showToast(text, actionLabel, action) {
  const toast = $("#toast");
  const button = $("#toast-action");
  $("#toast-text").textContent = text;
  $("#toast-close").onclick = hideToast;
  button.hidden = !actionLabel;
  button.textContent = actionLabel ?? "";
  button.onclick = action ? () => { hideToast(); action(); } : null;
  toast.hidden = false;
  scheduleHide(actionLabel ? ACTION_TOAST_MS : TOAST_MS);
}

function scheduleHide(ms) {
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    const toast = $("#toast");
    // Someone is about to press Undo: wait for them.
    if (toast.matches(":hover, :focus-within")) scheduleHide(2000);
    else hideToast();
  }, ms);
}

function hideToast() {
  $("#toast").hidden = true;
}

function showError(error) {
  showToast(t("something_went_wrong", { reason: error.message }));
}

// ---- Start-up: the data may be held by another copy, or from a newer Rebound ----

// What the start-up screen says for each reason the data could not be opened.
// Keys startup_<kind>_title and startup_<kind>_explain in the catalogue.
const STARTUP_KINDS = ["alreadyOpen", "futureSchema"];

// Problems where rebuilding the data from Rebound's own records makes sense (not
// "open elsewhere", not "needs a newer Rebound").
const DAMAGED = ["unopenable", "corrupt", "storage", "io"];

function showStartup(status) {
  $("#app").hidden = true;
  $("#startup").hidden = false;
  const problem = status.problem ?? { kind: "other", message: "" };
  const kind = STARTUP_KINDS.includes(problem.kind) ? problem.kind : "other";
  $("#startup-title").textContent = t(`startup_${kind}_title`);
  $("#startup-explain").textContent = t(`startup_${kind}_explain`);
  $("#startup-detail").textContent = problem.kind === "alreadyOpen" && status.dataDir
    ? t("data_folder", { path: status.dataDir })
    : sentence(problem.message);
  const damaged = DAMAGED.includes(problem.kind);
  const offer = damaged && status.recoverable;
  const backup = status.newestBackup;
  const note = $("#startup-backup");
  note.hidden = !offer && !backup;
  note.textContent = offer ? t("startup_recover_offer")
    : backup ? t("startup_backup_exists", { day: longDay(backup.day) })
      : "";
  const recover = $("#startup-restore");
  recover.hidden = !offer;
  recover.onclick = offer ? recoverData : null;
  $("#startup-retry").focus();
}

async function recoverData() {
  const line = $("#startup-status");
  line.textContent = t("recovering_data");
  try {
    const { status, report } = await api.recoverData();
    line.textContent = "";
    if (status.ready) {
      startApp(status);
      showToast(report);
    }
  } catch (error) {
    line.textContent = t("data_not_recovered", { reason: error.message });
  }
}

async function retry() {
  const line = $("#startup-status");
  line.textContent = t("trying_again");
  const status = await api.retryOpen();
  if (status.ready) {
    line.textContent = "";
    startApp(status);
  } else {
    showStartup(status);
    line.textContent = t("still_not_available");
  }
}

// ---- The app ----

/**
 * Show the app on data that is open. `start`: what the window was given as it opened
 * (Today, drawn `start.width` pixels wide), or null to ask for Today.
 */
function startApp(status, start = null) {
  $("#startup").hidden = true;
  $("#app").hidden = false;

  let editor;
  // `options.section`: where a waiting cycle needs the person; `options.plan`: a new
  // attempt from the one planned in the weekly review.
  const openCycle = (cycle, options = {}) => {
    editor.open(cycle, options);
    cycles.select(cycle.id);
  };
  const newAttempt = (options = {}) => editor.open(null, options);
  // The reflect queue: Cycles with "Waiting for me" on.
  const openQueue = () => {
    cycles.showWaiting();
    if (currentView() === "cycles") cycles.refresh();
    else stale.add("cycles");
    location.hash = "cycles";
  };
  const openCycleById = async (id) => {
    try {
      openCycle(await api.getCycle(id));
    } catch (error) {
      showError(error);
    }
  };
  const today = createToday({ openCycle, newAttempt, openQueue, showError });
  const cycles = createCycles({ openCycle, showError });
  const lessons = createLessons({ openCycleById, showError });
  const redrawCharts = () => {
    today.refresh();
    dashboard.invalidate();
  };
  const settings = createSettings({ newAttempt: () => newAttempt(), showError, onThemeChanged: redrawCharts });
  const guidance = createGuidanceSettings({ showError });
  const review = createReview({ openCycleById, onPlanned: () => refreshAll(), showError });
  const track = createTrackRecord({ openCycleById, showError });
  const backup = createBackup({ status, onRestored: () => refreshAll() });
  const about = createAbout({ showError });
  dashboard = createDashboard({ showError });
  // After a change every view is out of date, but only the one on screen is redrawn
  // now; the others when they are next shown. Opening the window draws Today alone.
  const refreshers = {
    today: () => today.refresh(),
    cycles: () => cycles.refresh(),
    lessons: () => lessons.refresh(),
    areas: () => areas.refresh(),
    backup: () => backup.refresh(),
    review: () => review.refresh(),
    dashboard: () => track.refresh(),
  };
  const stale = new Set();
  onViewShown = (view) => {
    if (stale.delete(view)) refreshers[view]();
  };
  const refreshAll = () => {
    dashboard.invalidate();
    for (const view of Object.keys(refreshers)) stale.add(view);
    onViewShown(currentView());
    return editor.refreshAreas();
  };
  const areas = createAreas({ onChanged: refreshAll, showToast, showError });
  editor = createEditor({
    onSaved: refreshAll,
    onDeleted: refreshAll,
    onClose: () => cycles.select(null),
    showToast,
    hideToast,
  });

  $("#new-attempt").addEventListener("click", () => newAttempt());
  // "Log an attempt" in the tray shows the window with a request waiting for it.
  const takeTrayRequest = async () => {
    try {
      if ((await api.takeTrayRequest()) === "new_attempt" && !editor.isOpen()) newAttempt();
    } catch {
      // The tray is a convenience; the window works without it.
    }
  };
  document.addEventListener("visibilitychange", () => { if (!document.hidden) takeTrayRequest(); });
  window.addEventListener("focus", takeTrayRequest);
  $("#show-shortcuts").addEventListener("click", showShortcuts);
  $("#shortcuts-close").addEventListener("click", () => $("#shortcuts").close());
  window.addEventListener("hashchange", showView);
  darkQuery.addEventListener("change", redrawCharts);
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      today.resized();
      dashboard.resized();
    }, RESIZE_PAUSE_MS);
  });
  document.addEventListener("keydown", (event) => onKey(event, editor, newAttempt, cycles));

  const sync = createSync({ onChanged: refreshAll, showToast });

  // Opening draws Today alone, from what the window was given when there is that; every
  // other view is drawn when first shown, and what the sidebar, Settings, Backup and
  // About say is asked for once Today is on screen, so nothing competes with it.
  let drawn;
  dashboard.invalidate();
  for (const view of Object.keys(refreshers)) stale.add(view);
  if (start?.today && currentView() === "today") {
    stale.delete("today");
    drawn = today.refresh(start.today, start.width);
    showView();
  } else {
    showView();
    drawn = Promise.resolve();
  }
  drawn.then(() => {
    settings.start();
    sync.start();
    takeTrayRequest();
    guidance.refresh();
    about.refresh();
    backup.refresh();
  });
}

function showShortcuts() {
  if (!$("#shortcuts").open) $("#shortcuts").showModal();
}

/** The views this window has, in Ctrl+digit order. */
const availableViews = () => VIEWS.filter((v) => document.getElementById(`view-${v}`));

/** The view the address names, or Today. */
function currentView() {
  const wanted = location.hash.slice(1);
  return availableViews().includes(wanted) ? wanted : "today";
}

// Set by startApp: redraws a view that went out of date while it was hidden.
let onViewShown = null;

function showView() {
  const view = currentView();
  for (const section of $$(".view")) section.hidden = section.dataset.view !== view;
  for (const link of $$(".nav-item")) {
    if (link.dataset.view === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  $(".main").scrollTop = 0;
  dashboard?.setVisible(view === "dashboard");
  onViewShown?.(view);
}

function typing(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function onKey(event, editor, newAttempt, cycles) {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  const dialogOpen = [...document.querySelectorAll("dialog")].some((d) => d.open);
  if (dialogOpen) return; // a dialog handles its own keys (Esc closes it)
  if (mod && key === "n") {
    event.preventDefault();
    if (!editor.isOpen()) newAttempt();
  } else if (mod && key === "s") {
    event.preventDefault();
    if (editor.isOpen()) editor.save();
  } else if (mod && key === "f") {
    event.preventDefault();
    location.hash = "cycles";
    showView(); // now, not on hashchange: a hidden field cannot take focus
    cycles.focusSearch();
  } else if (mod && /^[1-9]$/.test(event.key)) {
    const view = VIEWS[Number(event.key) - 1];
    if (view && document.getElementById(`view-${view}`)) {
      event.preventDefault();
      location.hash = view;
    }
  } else if (event.key === "Escape" && editor.isOpen()) {
    event.preventDefault();
    editor.close();
  } else if (event.key === "?" && !mod && !typing(event.target)) {
    event.preventDefault();
    showShortcuts();
  }
}

async function boot() {
  await loadStrings();
  applyStrings();
  $("#startup-retry").addEventListener("click", retry);
  // One call brings the theme, whether the data is open, and Today drawn at the width
  // its chart will show at: measured on the app laid out unseen, so nothing shows
  // before the theme is known (a chosen theme never flashes the other).
  const app = $("#app");
  app.style.visibility = "hidden";
  app.hidden = false;
  showView();
  const width = chartWidth($("#evidence-chart"));
  let start;
  try {
    start = await api.start(darkQuery.matches, width);
  } catch (error) {
    app.hidden = true;
    app.style.visibility = "";
    await loadTheme();
    showStartup({ problem: { kind: error.kind, message: error.message } });
    return;
  }
  useTheme(start.appearance.theme);
  app.style.visibility = "";
  if (start.status.ready) startApp(start.status, start.today && { today: start.today, width });
  else showStartup(start.status);
}

boot();
