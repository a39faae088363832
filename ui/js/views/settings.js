// Settings: the theme (the system's, light or dark; this computer's setting), the daily
// reminder (off by default), and the reminder banner that shows one that fell due,
// whether or not the desktop notification got through.

import * as api from "../api.js";
import { t } from "../i18n.js";
import { $, sentence } from "../dom.js";
import { chosenTheme, useTheme } from "../theme.js";

const POLL_MS = 30_000;

export function createSettings({ newAttempt, showError, onThemeChanged }) {
  const themeInput = (value) => document.getElementById(`theme-${value}`);
  if (themeInput(chosenTheme())) themeInput(chosenTheme()).checked = true;
  $("#appearance-form").addEventListener("submit", (event) => event.preventDefault());
  $("#appearance-form").addEventListener("change", async (event) => {
    const chosen = event.target.value;
    const before = chosenTheme();
    useTheme(chosen);
    onThemeChanged();
    try {
      useTheme((await api.setAppearance(chosen)).theme);
    } catch (e) {
      useTheme(before);
      themeInput(before).checked = true;
      onThemeChanged();
      showError(e);
    }
  });

  const result = $("#reminder-result");
  const error = $("#e-reminder-time");

  async function load() {
    try {
      const reminder = await api.getReminder();
      $("#reminder-enabled").checked = reminder.enabled;
      $("#reminder-time").value = reminder.time;
    } catch (e) {
      showError(e);
    }
  }

  async function save(enabled, time) {
    error.hidden = true;
    try {
      const saved = await api.setReminder(enabled, time);
      $("#reminder-enabled").checked = saved.enabled;
      $("#reminder-time").value = saved.time;
      result.textContent = saved.enabled ? t("reminder_on", { time: saved.time }) : t("reminder_off");
      result.className = "result ok";
      return true;
    } catch (e) {
      if (e.kind === "invalid") {
        error.textContent = sentence(e.fields[0]?.message ?? e.message);
        error.hidden = false;
        $("#reminder-time").focus();
      } else {
        showError(e);
      }
      return false;
    }
  }

  $("#reminder-form").addEventListener("submit", (event) => {
    event.preventDefault();
    save($("#reminder-enabled").checked, $("#reminder-time").value);
  });

  // ---- The banner ----
  const banner = $("#reminder-banner");
  $("#reminder-dismiss").addEventListener("click", () => { banner.hidden = true; });
  $("#reminder-log").addEventListener("click", () => { banner.hidden = true; newAttempt(); });
  $("#reminder-off").addEventListener("click", async () => {
    if (await save(false, $("#reminder-time").value || "20:00")) {
      banner.hidden = true;
      result.textContent = t("reminder_off_here");
    }
  });

  async function poll() {
    try {
      const due = await api.pendingReminder();
      if (!due) return;
      const time = due.at.slice(11, 16);
      $("#reminder-text").textContent = due.missed ? t("reminder_missed", { time }) : t("reminder_now");
      banner.hidden = false;
    } catch {
      // A reminder is a courtesy; never an error on screen.
    }
  }

  function start() {
    load();
    poll();
    // The first check runs as the app starts; look again shortly, then every half minute.
    setTimeout(poll, 3000);
    setInterval(poll, POLL_MS);
  }

  return { start, refresh: load };
}
