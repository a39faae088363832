// Rebound's window: start-up, navigation, keyboard shortcuts and toasts. The views do
// the rest; every call to Rust goes through api.js.

import * as api from "./api.js";
import { $, $$, darkQuery, longDay, sentence } from "./dom.js";
import { createBackup } from "./views/backup.js";
import { createCycles } from "./views/cycles.js";
import { createEditor } from "./views/editor.js";
import { createToday } from "./views/today.js";

const VIEWS = ["today", "cycles", "backup"];
const TOAST_MS = 8000;

let toastTimer = null;

function showToast(text, actionLabel, action) {
  const toast = $("#toast");
  const button = $("#toast-action");
  $("#toast-text").textContent = text;
  button.hidden = !actionLabel;
  button.textContent = actionLabel ?? "";
  button.onclick = action ? () => { hideToast(); action(); } : null;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(hideToast, TOAST_MS);
}

function hideToast() {
  $("#toast").hidden = true;
}

function showError(error) {
  showToast(`Something went wrong: ${error.message}`);
}

// ---- Start-up: the data may be held by another copy, or from a newer Rebound ----

// What the start-up screen says for each reason the data could not be opened.
const STARTUP_TEXT = {
  alreadyOpen: {
    title: "Rebound is already open",
    explain: "Another Rebound window, or a rebound command, is using your data. "
      + "Switch to it, or close it and press Try again.",
  },
  futureSchema: {
    title: "This data needs a newer Rebound",
    explain: "Your data was saved by a newer version of Rebound. Update Rebound to open it.",
  },
  other: {
    title: "Rebound can't open your data right now",
    explain: "Something stopped Rebound from reading your data folder.",
  },
};

// Problems where starting again from a backup makes sense (not "open elsewhere").
const DAMAGED = ["unopenable", "corrupt", "storage", "io"];

function showStartup(status) {
  $("#app").hidden = true;
  $("#startup").hidden = false;
  const problem = status.problem ?? { kind: "other", message: "" };
  const text = STARTUP_TEXT[problem.kind] ?? STARTUP_TEXT.other;
  $("#startup-title").textContent = text.title;
  $("#startup-explain").textContent = text.explain;
  $("#startup-detail").textContent = problem.kind === "alreadyOpen" && status.dataDir
    ? `Data folder: ${status.dataDir}`
    : sentence(problem.message);
  const backup = status.newestBackup;
  const offer = backup && DAMAGED.includes(problem.kind);
  $("#startup-backup").hidden = !backup;
  $("#startup-backup").textContent = !backup ? ""
    : offer
      ? `Your newest automatic backup is from ${longDay(backup.day)}. You can start from it: `
        + "the data Rebound can't open is kept aside in the data folder, untouched."
      : `Your newest automatic backup is from ${longDay(backup.day)}, in case you need it.`;
  const restore = $("#startup-restore");
  restore.hidden = !offer;
  restore.onclick = offer ? () => startFrom(backup.name) : null;
  $("#startup-retry").focus();
}

async function startFrom(name) {
  const line = $("#startup-status");
  line.textContent = "Restoring your backup…";
  try {
    const status = await api.startFromBackup(name);
    line.textContent = "";
    if (status.ready) startApp(status);
  } catch (error) {
    line.textContent = `The backup could not be restored: ${error.message}`;
  }
}

async function retry() {
  const line = $("#startup-status");
  line.textContent = "Trying again…";
  const status = await api.retryOpen();
  if (status.ready) {
    line.textContent = "";
    startApp(status);
  } else {
    showStartup(status);
    line.textContent = "Still not available. Nothing has been changed.";
  }
}

// ---- The app ----

function startApp(status) {
  $("#startup").hidden = true;
  $("#app").hidden = false;

  let editor;
  const openCycle = (cycle) => {
    editor.open(cycle);
    cycles.select(cycle.id);
  };
  const newAttempt = () => editor.open(null);
  const today = createToday({ openCycle, newAttempt, showError });
  const cycles = createCycles({ openCycle, showError });
  const refreshAll = () => Promise.all([today.refresh(), cycles.refresh(), editor.refreshAreas()]);
  const backup = createBackup({ status, onRestored: refreshAll });
  editor = createEditor({
    onSaved: refreshAll,
    onDeleted: refreshAll,
    onClose: () => cycles.select(null),
    showToast,
    hideToast,
  });

  $("#new-attempt").addEventListener("click", newAttempt);
  window.addEventListener("hashchange", () => {
    showView();
    if (location.hash === "#backup") backup.refresh();
  });
  darkQuery.addEventListener("change", () => today.refresh());
  document.addEventListener("keydown", (event) => onKey(event, editor, newAttempt));

  showView();
  refreshAll();
}

function showView() {
  const wanted = location.hash.slice(1);
  const view = VIEWS.includes(wanted) ? wanted : "today";
  for (const section of $$(".view")) section.hidden = section.dataset.view !== view;
  for (const link of $$(".nav-item")) {
    if (link.dataset.view === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  $(".main").scrollTop = 0;
}

function onKey(event, editor, newAttempt) {
  const mod = event.ctrlKey || event.metaKey;
  if (mod && event.key.toLowerCase() === "n") {
    event.preventDefault();
    if (!editor.isOpen()) newAttempt();
  } else if (mod && event.key.toLowerCase() === "s") {
    event.preventDefault();
    if (editor.isOpen()) editor.save();
  } else if (mod && ["1", "2", "3"].includes(event.key)) {
    event.preventDefault();
    location.hash = VIEWS[Number(event.key) - 1];
  } else if (event.key === "Escape" && editor.isOpen() && !$("#discard").open) {
    event.preventDefault();
    editor.close();
  }
}

async function boot() {
  $("#startup-retry").addEventListener("click", retry);
  try {
    const status = await api.startupStatus();
    if (status.ready) startApp(status);
    else showStartup(status);
  } catch (error) {
    showStartup({ problem: { kind: error.kind, message: error.message } });
  }
}

boot();
