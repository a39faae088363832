// Backup: export every cycle to one file through the native save dialog.

import * as api from "../api.js";
import { $ } from "../dom.js";

export function createBackup({ status }) {
  const button = $("#export");
  const result = $("#export-result");
  $("#data-dir").textContent = status.dataDir;
  $("#app-version").textContent = status.version;

  button.addEventListener("click", async () => {
    button.disabled = true;
    result.className = "result";
    result.textContent = "Choose where to save the backup…";
    try {
      const summary = await api.exportBackup();
      const count = summary.cycles === 1 ? "1 cycle" : `${summary.cycles.toLocaleString()} cycles`;
      result.className = "result ok";
      result.textContent = `Saved ${count} to ${summary.path}`;
    } catch (error) {
      result.textContent = error.kind === "cancelled"
        ? "Export cancelled. Nothing was written."
        : `The backup was not written: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
}
