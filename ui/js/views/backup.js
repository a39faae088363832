// Backup: export (encrypted or plain), restore with a preview, automatic backups, and
// readable copies. Every file is chosen and written in Rust; this view only asks.

import * as api from "../api.js";
import { $, $$, el, longDay } from "../dom.js";

const count = (n) => (n === 1 ? "1 cycle" : `${n.toLocaleString()} cycles`);
const day = (timestamp) => longDay(timestamp.slice(0, 10));

function kilobytes(bytes) {
  return bytes < 1_000_000 ? `${Math.max(1, Math.round(bytes / 1000))} KB` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}

// Run `work` with `button` disabled and `bar` showing, whatever happens.
async function busy(button, bar, work) {
  button.disabled = true;
  bar.hidden = false;
  try {
    return await work();
  } finally {
    button.disabled = false;
    bar.hidden = true;
  }
}

function say(node, text, tone = "") {
  node.className = `result ${tone}`.trim();
  node.textContent = text;
}

export function createBackup({ status, onRestored }) {
  $("#data-dir").textContent = status.dataDir;
  $("#app-version").textContent = status.version;
  setUpExport();
  const restore = setUpRestore(onRestored);
  const auto = setUpAutomatic(restore);
  setUpReadable();
  return { refresh: auto.refresh };
}

function setUpExport() {
  const button = $("#export");
  const result = $("#export-result");
  const fields = $("#passphrase-fields");
  const first = $("#export-passphrase");
  const again = $("#export-passphrase-again");
  const encrypted = () => $("input[name=protect]:checked").value === "encrypted";
  for (const radio of $$("input[name=protect]")) {
    radio.addEventListener("change", () => { fields.hidden = !encrypted(); });
  }

  button.addEventListener("click", async () => {
    let passphrase = null;
    if (encrypted()) {
      if (first.value.length < 8) {
        say(result, "Choose a passphrase of at least 8 characters; a few words work well.", "problem");
        first.focus();
        return;
      }
      if (first.value !== again.value) {
        say(result, "The two passphrases differ. Type the same one twice.", "problem");
        again.focus();
        return;
      }
      passphrase = first.value;
    }
    say(result, passphrase
      ? "Choose where to save the backup… (protecting it with your passphrase takes about a second, on purpose)"
      : "Choose where to save the backup…");
    try {
      const summary = await busy(button, $("#export-progress"), () => api.exportBackup(passphrase));
      const how = summary.encrypted ? "protected with your passphrase" : "as plain JSON";
      say(result, `Saved ${count(summary.cycles)} to ${summary.path}, ${how}.`, "ok");
      first.value = "";
      again.value = "";
    } catch (error) {
      say(result, error.kind === "cancelled"
        ? "Export cancelled. Nothing was written."
        : `The backup was not written: ${error.message}`, error.kind === "cancelled" ? "" : "problem");
    }
  });
}

function setUpRestore(onRestored) {
  const panel = $("#restore-panel");
  const unlockForm = $("#unlock-form");
  const passphrase = $("#restore-passphrase");
  const previewBox = $("#restore-preview");
  const result = $("#restore-result");
  const bar = $("#restore-progress");

  const close = () => {
    panel.hidden = true;
    passphrase.value = "";
  };

  const showPreview = (p) => {
    unlockForm.hidden = true;
    previewBox.hidden = false;
    const range = p.firstDay
      ? ` Attempts from ${longDay(p.firstDay)} to ${longDay(p.lastDay)}.`
      : "";
    $("#preview-summary").textContent =
      `A backup from ${day(p.exportedAt)} with ${count(p.inFile)}.${range} You have ${count(p.stored)} now.`;
    $("#preview-new").textContent = p.new.toLocaleString();
    $("#preview-changed").textContent = p.changed.toLocaleString();
    $("#preview-identical").textContent = p.identical.toLocaleString();
    $("#preview-only-here").textContent = p.onlyHere.toLocaleString();
    $("#restore-apply").focus();
  };

  const open = async (automatic = null) => {
    say(result, automatic ? "" : "Choose the backup to restore…");
    try {
      const opened = await busy($("#restore-choose"), bar, () => api.openBackup(automatic));
      say(result, "");
      panel.hidden = false;
      $("#restore-name").textContent = opened.name;
      previewBox.hidden = true;
      unlockForm.hidden = !opened.encrypted;
      if (opened.preview) showPreview(opened.preview);
      else passphrase.focus();
      panel.scrollIntoView({ block: "nearest" });
    } catch (error) {
      close();
      say(result, error.kind === "cancelled"
        ? "Nothing chosen. Nothing was changed."
        : `This file can't be restored: ${error.message}`, error.kind === "cancelled" ? "" : "problem");
    }
  };

  $("#restore-choose").addEventListener("click", () => open());
  unlockForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(result, "Unlocking and checking the whole file… (about a second, on purpose)");
    try {
      const preview = await busy($("#unlock"), bar, () => api.unlockBackup(passphrase.value));
      say(result, "");
      showPreview(preview);
    } catch (error) {
      say(result, error.message, "problem");
      passphrase.select();
    }
  });
  $("#restore-cancel").addEventListener("click", () => {
    close();
    say(result, "Restore cancelled. Nothing was changed.");
  });
  $("#restore-apply").addEventListener("click", async () => {
    const mode = $("input[name=restore-mode]:checked").value;
    say(result, "Keeping a snapshot of your data, then restoring…");
    try {
      const summary = await busy($("#restore-apply"), bar, () => api.applyRestore(mode));
      close();
      say(result, summary.message, "ok");
      if (summary.changed) onRestored();
    } catch (error) {
      say(result, `Nothing was restored: ${error.message}`, "problem");
    }
  });
  return { open };
}

function setUpAutomatic(restore) {
  const enabled = $("#auto-enabled");
  const keep = $("#auto-keep");
  const list = $("#auto-list");
  const result = $("#auto-result");

  const show = (o) => {
    enabled.checked = o.enabled;
    keep.value = o.keep;
    $("#auto-folder").textContent = o.folder;
    $("#snapshots-dir").textContent = o.snapshotsFolder;
    list.replaceChildren(...o.backups.map((b) => el("li", {},
      el("span", {}, longDay(b.day), el("span", { class: "note" }, kilobytes(b.bytes))),
      el("button", { type: "button", class: "button quiet", dataset: { name: b.name } }, "Restore…"))));
    if (o.backups.length === 0) {
      list.replaceChildren(el("li", { class: "note" }, "No automatic backups yet. Rebound makes one each day it is open and you have cycles; Back up now makes one at once."));
    }
  };
  const refresh = () => api.backupOverview().then(show).catch((e) => say(result, e.message, "problem"));
  const save = async () => {
    try {
      show(await api.setBackupSettings(enabled.checked, Number(keep.value) || 7));
      say(result, "Saved.");
    } catch (error) {
      say(result, `The setting was not saved: ${error.message}`, "problem");
    }
  };

  enabled.addEventListener("change", save);
  keep.addEventListener("change", save);
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-name]");
    if (button) restore.open(button.dataset.name);
  });
  $("#auto-folder-choose").addEventListener("click", async () => {
    try {
      show(await api.chooseBackupFolder());
      say(result, "Automatic backups will go into that folder.");
    } catch (error) {
      if (error.kind !== "cancelled") say(result, error.message, "problem");
    }
  });
  $("#backup-now").addEventListener("click", async () => {
    try {
      show(await api.backupNow());
      say(result, "Backed up just now.", "ok");
    } catch (error) {
      say(result, `No backup was made: ${error.message}`, "problem");
    }
  });
  refresh();
  return { refresh };
}

function setUpReadable() {
  const result = $("#readable-result");
  const save = async (button, format) => {
    say(result, "Choose where to save it…");
    try {
      const summary = await busy(button, $("#export-progress"), () => api.exportReadable(format));
      say(result, `Saved ${count(summary.cycles)} to ${summary.path}.`, "ok");
    } catch (error) {
      say(result, error.kind === "cancelled" ? "Cancelled. Nothing was written." : `Not saved: ${error.message}`,
        error.kind === "cancelled" ? "" : "problem");
    }
  };
  $("#export-csv").addEventListener("click", (e) => save(e.currentTarget, "csv"));
  $("#export-markdown").addEventListener("click", (e) => save(e.currentTarget, "markdown"));
}
