// Rebound's window: start-up, navigation, keyboard shortcuts and toasts. The views do
// the rest; every call to Rust goes through api.js.
//
// Only Today's code is imported here, so the window's first paint waits for it alone
// (index.html preloads each of those modules; tests/ui_modules.rs keeps both so).
// Every other view (and the editor) is in other-views.js, loaded once Today is painted,
// or at once if the person asks for one of them first: what they asked for then happens
// when it arrives.

import * as api from "./api.js";
import { $, $$, chartWidth, darkQuery, longDay, longToday, sentence } from "./dom.js";
import { applyStrings, currentLocale, loadStrings, prepareFormats, t } from "./i18n.js";
import { loadTheme, plainSansWhereSame, useTheme } from "./theme.js";
import { createToday } from "./views/today.js";

// In Ctrl+digit order; About (the eighth) is also linked from the foot of the sidebar,
// and the weekly review (the ninth) from Today when it is waiting.
const VIEWS = ["today", "cycles", "backup", "dashboard", "lessons", "areas", "settings", "about", "review"];
const TOAST_MS = 8000;
// A toast that offers an action (Undo) stays this long, and never goes while the
// pointer or the keyboard is on it.
const ACTION_TOAST_MS = 30000;
// How long resizing must pause before the charts are redrawn at the new width.
const RESIZE_PAUSE_MS = 300;
// The other views load once Today is painted; a window that does not paint (started
// hidden in the tray, so it has no animation frames) loads them after this long.
const PAINT_WAIT_MS = 100;

let toastTimer = null;

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

// ---- The other views: every view but Today, loaded once Today is on screen ----

// The other views once made and wired (startApp): { editor, cycles, dashboard, ... }.
let others = null;
// Set by startApp: loads other-views.js and makes the views, the first time it is called;
// resolves with them.
let loadOthers = null;

/**
 * Do `action` with the other views: now if they are here, else once they arrive (asked
 * for now). Actions asked for while they load run in the order they were asked, so
 * Ctrl+N then Esc in the window's first moments opens the editor and then closes it.
 */
function withOthers(action) {
  return others ? action(others) : loadOthers().then(action);
}

/** A new attempt in the editor, unless one is open already (Ctrl+N, the tray). */
function newAttemptUnlessOpen() {
  return withOthers(({ editor }) => {
    if (!editor.isOpen()) editor.open(null);
  });
}

/** Resolves once what is on screen now is painted (in a window that never paints, soon). */
function afterPaint() {
  return new Promise((resolve) => {
    // A frame's callbacks run just before it is painted; a task queued there runs after.
    requestAnimationFrame(() => setTimeout(resolve));
    setTimeout(resolve, PAINT_WAIT_MS);
  });
}

// ---- The app ----

/**
 * Show the app on data that is open. `start`: what the window was given as it opened
 * (Today, its chart drawn `start.width` pixels wide, in `start.theme` if the page was
 * served with it), or null to ask for Today.
 */
function startApp(status, start = null) {
  $("#startup").hidden = true;
  $("#app").hidden = false;

  // What Today (and the other views) can ask for; each waits for the other views' code
  // when it is not here yet. `options.section`: where a waiting cycle needs the person;
  // `options.plan`: a new attempt from the one planned in the weekly review.
  const openCycle = (cycle, options = {}) => withOthers(({ editor, cycles }) => {
    editor.open(cycle, options);
    cycles.select(cycle.id);
  });
  const newAttempt = (options = {}) => withOthers(({ editor }) => editor.open(null, options));
  // The reflect queue: Cycles with "Waiting for me" on.
  const openQueue = () => withOthers(({ cycles }) => {
    cycles.showWaiting();
    if (currentView() === "cycles") cycles.refresh();
    else stale.add("cycles");
    location.hash = "cycles";
  });
  const openCycleById = async (id) => {
    try {
      await openCycle(await api.getCycle(id));
    } catch (error) {
      showError(error);
    }
  };
  const today = createToday({ openCycle, newAttempt, openQueue, showError });
  const redrawCharts = () => {
    today.refresh();
    others?.dashboard.invalidate();
  };
  // After a change every view is out of date, but only the one on screen is redrawn
  // now; the others when they are next shown. Opening the window draws Today alone.
  // A view other than Today is shown only once the other views are here (showView).
  const refreshers = {
    today: () => today.refresh(),
    cycles: () => others.cycles.refresh(),
    lessons: () => others.lessons.refresh(),
    areas: () => others.areas.refresh(),
    backup: () => others.backup.refresh(),
    review: () => others.review.refresh(),
    dashboard: () => others.track.refresh(),
  };
  const stale = new Set();
  onViewShown = (view) => {
    if (stale.delete(view)) refreshers[view]();
  };
  // Only the other views change the data, so they are here when this is called.
  const refreshAll = () => {
    others.dashboard.invalidate();
    for (const view of Object.keys(refreshers)) stale.add(view);
    onViewShown(currentView());
    return others.editor.refreshAreas();
  };

  /** Make the other views from other-views.js's exports, and wire them together. */
  function makeOthers(views) {
    const cycles = views.createCycles({ openCycle, showError });
    const lessons = views.createLessons({ openCycleById, showError });
    const settings = views.createSettings({ newAttempt: () => newAttempt(), showError, onThemeChanged: redrawCharts });
    const guidance = views.createGuidanceSettings({ showError });
    const review = views.createReview({ openCycleById, onPlanned: () => refreshAll(), showError });
    const track = views.createTrackRecord({ openCycleById, showError });
    const backup = views.createBackup({ status, onRestored: () => refreshAll() });
    const about = views.createAbout({ showError });
    // Drawn only while shown: opening the window never waits for the dashboard's charts.
    const dashboard = views.createDashboard({ showError });
    const areas = views.createAreas({ onChanged: refreshAll, showToast, showError });
    const editor = views.createEditor({
      onSaved: refreshAll,
      onDeleted: refreshAll,
      onClose: () => cycles.select(null),
      showToast,
      hideToast,
    });
    const sync = views.createSync({ onChanged: refreshAll, showToast });
    others = { cycles, lessons, settings, guidance, review, track, backup, about, dashboard, areas, editor, sync };
    return others;
  }
  let arriving = null;
  loadOthers = () => {
    arriving ??= import("./other-views.js").then(makeOthers).catch((error) => {
      showError(error);
      throw error;
    });
    return arriving;
  };

  $("#new-attempt").addEventListener("click", () => newAttempt());
  // "Log an attempt" in the tray shows the window with a request waiting for it.
  const takeTrayRequest = async () => {
    try {
      if ((await api.takeTrayRequest()) === "new_attempt") await newAttemptUnlessOpen();
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
      others?.dashboard.resized();
    }, RESIZE_PAUSE_MS);
  });
  document.addEventListener("keydown", onKey);

  // Opening draws Today alone, from what the window was given when there is that; every
  // other view is drawn when first shown. Once Today is painted come the other views'
  // code, then what the sidebar, Settings, Backup and About say, so nothing competes
  // with Today.
  let drawn;
  for (const view of Object.keys(refreshers)) stale.add(view);
  if (start?.today && currentView() === "today") {
    stale.delete("today");
    drawn = today.refresh(start.today, start.width, start.theme).then(afterPaint).then(() => {
      performance.mark("rebound:today-drawn");
    });
    showView();
  } else {
    showView();
    drawn = afterPaint();
  }
  drawn.then(loadOthers).then(({ settings, sync, guidance, about, backup }) => {
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
  for (const link of $$(".nav-item")) {
    if (link.dataset.view === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  // Today is always here. Another view shows once the other views' code is (asked for
  // now if it is still to come): never a view whose buttons do nothing yet.
  const here = view === "today" || others !== null;
  for (const section of $$(".view")) section.hidden = !here || section.dataset.view !== view;
  if (!here) {
    if (loadOthers) loadOthers().then(showView); // (not before startApp)
    return;
  }
  $(".main").scrollTop = 0;
  others?.dashboard.setVisible(view === "dashboard");
  onViewShown?.(view);
}

function typing(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/**
 * The web view's own right-click menu is a browser's (Back, Forward, Reload, which
 * throws away what the editor holds unsaved; Open Image in New Window on a chart): it
 * shows only where it helps, in a text field (Cut, Copy, Paste, spelling) and on
 * selected text (Copy).
 */
function onContextMenu(event) {
  const selection = document.getSelection();
  const onSelected = selection && !selection.isCollapsed && selection.containsNode(event.target, true);
  if (!typing(event.target) && !onSelected) event.preventDefault();
}

function onKey(event) {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  const dialogOpen = [...document.querySelectorAll("dialog")].some((d) => d.open);
  if (dialogOpen) return; // a dialog handles its own keys (Esc closes it)
  // Until the other views' code is here there is no editor, so none is open.
  const editor = others?.editor;
  if (mod && key === "n") {
    event.preventDefault();
    newAttemptUnlessOpen();
  } else if (mod && key === "s") {
    event.preventDefault();
    if (editor?.isOpen()) editor.save();
  } else if (mod && key === "f") {
    event.preventDefault();
    location.hash = "cycles";
    showView(); // now, not on hashchange: a hidden field cannot take focus
    withOthers(({ cycles }) => cycles.focusSearch());
  } else if (mod && /^[1-9]$/.test(event.key)) {
    const view = VIEWS[Number(event.key) - 1];
    if (view && document.getElementById(`view-${view}`)) {
      event.preventDefault();
      location.hash = view;
    }
  } else if (event.key === "Escape" && editor?.isOpen()) {
    event.preventDefault();
    editor.close();
  } else if (event.key === "Escape" && !editor) {
    // The editor's code is on its way: Esc closes what a Ctrl+N pressed before it opens.
    withOthers((arrived) => arrived.editor.isOpen() && arrived.editor.close());
  } else if (event.key === "?" && !mod && !typing(event.target)) {
    event.preventDefault();
    showShortcuts();
  }
}

/**
 * What the page was served with (desktop/page), or null: the start-up answer, for a
 * chart `width` wide in `theme`, with Today's evidence already drawn from it, and
 * whether it asked for plain sans-serif (`plain_sans`, null if not known here yet).
 */
function servedStart() {
  const kept = document.getElementById("served");
  if (!kept) return null;
  try {
    return JSON.parse(kept.textContent);
  } catch {
    return null; // then asked for, as always
  }
}

async function boot() {
  performance.mark("rebound:boot");
  document.addEventListener("contextmenu", onContextMenu);
  const plainSans = plainSansWhereSame();
  const served = servedStart();
  // The next page is served asking for what the fonts here turned out to be.
  if (served && plainSans !== null && served.plain_sans !== plainSans) {
    api.setPlainSans(plainSans).catch(() => {});
  }
  await loadStrings();
  // A served page has its English words in it already.
  if (!served || currentLocale() !== "en") applyStrings();
  performance.mark("rebound:strings");
  $("#startup-retry").addEventListener("click", retry);
  // (Served only once the data is open.)
  if (served) {
    // Today is on screen as served; take over from the answer it was served with.
    useTheme(served.start.appearance.theme);
    const start = served.start;
    startApp(start.status, start.today && { today: start.today, width: served.width, theme: served.theme });
    return;
  }
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
    performance.mark("rebound:start-asked");
    const answer = api.start(darkQuery.matches, width);
    // While the answer is on its way: Today's date line, and the number and plural formats
    // its headline uses (a page's first formats are slow to make: ICU loads its data), so
    // drawing Today does not wait for them. In a task of its own, after the request has
    // gone: done at once, it held the request back as long as it took.
    setTimeout(() => {
      $("#today-date").textContent = longToday();
      prepareFormats();
    });
    start = await answer;
    performance.mark("rebound:start-answered");
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
