// Settings for guidance: the weekly review's day and time, and keeping Rebound in the
// tray with a start at login (off until turned on; what it does is said beside it).

import * as api from "../api.js";
import { $, el, sentence } from "../dom.js";
import { t } from "../i18n.js";

// ISO days: 1 is Monday, 7 is Sunday.
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export function createGuidanceSettings({ showError }) {
  const result = $("#review-settings-result");
  const error = $("#e-review-time");
  $("#review-weekday").replaceChildren(...WEEKDAYS.map((d) => el("option", { value: String(d) }, t(`weekday_${d}`))));

  async function loadReview() {
    try {
      const settings = await api.reviewSettings();
      $("#review-enabled").checked = settings.enabled;
      $("#review-weekday").value = String(settings.weekday);
      $("#review-time").value = settings.time;
    } catch (e) {
      showError(e);
    }
  }

  $("#review-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const saved = await api.setReviewSettings($("#review-enabled").checked,
        Number($("#review-weekday").value), $("#review-time").value);
      result.textContent = saved.enabled
        ? t("review_settings_on", { day: t(`weekday_${saved.weekday}`), time: saved.time })
        : t("review_settings_off");
      result.className = "result ok";
    } catch (e) {
      if (e.kind !== "invalid") { showError(e); return; }
      error.textContent = sentence(e.fields[0]?.message ?? e.message);
      error.hidden = false;
    }
  });

  function showTray(status) {
    $("#tray-enabled").checked = status.inTray;
    const parts = [];
    if (status.inTray) {
      parts.push(t(status.trayShown ? "tray_on" : "tray_on_no_icon"));
      if (status.startsAtLogin === true) parts.push(t("tray_starts_at_login"));
    } else {
      parts.push(t("tray_off"));
    }
    if (status.problem) parts.push(status.problem);
    $("#tray-status").textContent = parts.join(" ");
    $("#tray-status").className = status.problem ? "result" : "result ok";
  }

  async function loadTray() {
    try {
      showTray(await api.desktopSettings());
    } catch (e) {
      showError(e);
    }
  }

  $("#tray-enabled").addEventListener("change", async () => {
    try {
      showTray(await api.setInTray($("#tray-enabled").checked));
    } catch (e) {
      showError(e);
      loadTray();
    }
  });

  // Asked for once the window has drawn Today (app.js), not while it opens.
  const refresh = () => Promise.all([loadReview(), loadTray()]);
  return { refresh };
}
