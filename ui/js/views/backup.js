// Backup: export (encrypted or plain), restore with a preview, automatic backups, and
// readable copies. Every file is chosen and written in Rust; this view only asks.

import * as api from "../api.js";
import { $, $$, asSentence, el, longDay } from "../dom.js";
import { plural, t } from "../i18n.js";

const count = (n) => plural("n_cycles", n);
const day = (timestamp) => longDay(timestamp.slice(0, 10));

function kilobytes(bytes) {
  return bytes < 1_000_000
    ? t("size_kb", { n: Math.max(1, Math.round(bytes / 1000)) })
    : t("size_mb", { n: (bytes / 1_000_000).toFixed(1) });
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
        say(result, t("passphrase_too_short"), "problem");
        first.focus();
        return;
      }
      if (first.value !== again.value) {
        say(result, t("passphrases_differ"), "problem");
        again.focus();
        return;
      }
      passphrase = first.value;
    }
    say(result, passphrase
      ? t("choose_where_encrypted")
      : t("choose_where_backup"));
    try {
      const summary = await busy(button, $("#export-progress"), () => api.exportBackup(passphrase));
      const saved = summary.encrypted ? "backup_saved_encrypted" : "backup_saved_plain";
      say(result, t(saved, { cycles: count(summary.cycles), path: summary.path }), "ok");
      first.value = "";
      again.value = "";
    } catch (error) {
      say(result, error.kind === "cancelled"
        ? t("export_cancelled")
        : t("backup_not_written", { reason: error.message }), error.kind === "cancelled" ? "" : "problem");
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
      ? ` ${t("preview_range", { from: longDay(p.firstDay), to: longDay(p.lastDay) })}`
      : "";
    $("#preview-summary").textContent = t("preview_summary", {
      day: day(p.exportedAt), inFile: count(p.inFile), range, stored: count(p.stored),
    });
    $("#preview-new").textContent = p.new.toLocaleString();
    $("#preview-changed").textContent = p.changed.toLocaleString();
    $("#preview-identical").textContent = p.identical.toLocaleString();
    $("#preview-only-here").textContent = p.onlyHere.toLocaleString();
    $("#restore-apply").focus();
  };

  const open = async (automatic = null) => {
    say(result, automatic ? "" : t("choose_backup_to_restore"));
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
        ? t("nothing_chosen")
        : t("cannot_restore", { reason: error.message }), error.kind === "cancelled" ? "" : "problem");
    }
  };

  $("#restore-choose").addEventListener("click", () => open());
  unlockForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(result, t("unlocking"));
    try {
      const preview = await busy($("#unlock"), bar, () => api.unlockBackup(passphrase.value));
      say(result, "");
      showPreview(preview);
    } catch (error) {
      // Rust's message is the CLI's lowercase line; alone here it reads as a sentence.
      say(result, error.kind === "wrongPassphrase" ? t("error_wrong_passphrase") : asSentence(error.message), "problem");
      passphrase.select();
    }
  });
  $("#restore-cancel").addEventListener("click", () => {
    close();
    say(result, t("restore_cancelled"));
  });
  $("#restore-apply").addEventListener("click", async () => {
    const mode = $("input[name=restore-mode]:checked").value;
    say(result, t("restoring"));
    try {
      const summary = await busy($("#restore-apply"), bar, () => api.applyRestore(mode));
      close();
      say(result, summary.message, "ok");
      if (summary.changed) onRestored();
    } catch (error) {
      say(result, t("nothing_restored", { reason: error.message }), "problem");
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
      el("button", { type: "button", class: "button quiet", dataset: { name: b.name } }, t("restore_ellipsis")))));
    if (o.backups.length === 0) {
      list.replaceChildren(el("li", { class: "note" }, t("no_automatic_backups")));
    }
  };
  const refresh = () => api.backupOverview().then(show).catch((e) => say(result, asSentence(e.message), "problem"));
  const save = async () => {
    try {
      show(await api.setBackupSettings(enabled.checked, Number(keep.value) || 7));
      say(result, t("toast_saved"));
    } catch (error) {
      say(result, t("setting_not_saved", { reason: error.message }), "problem");
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
      say(result, t("auto_folder_chosen"));
    } catch (error) {
      if (error.kind !== "cancelled") say(result, asSentence(error.message), "problem");
    }
  });
  $("#backup-now").addEventListener("click", async () => {
    try {
      show(await api.backupNow());
      say(result, t("backed_up_now"), "ok");
    } catch (error) {
      say(result, t("no_backup_made", { reason: error.message }), "problem");
    }
  });
  // Read once the window has drawn Today, and when the view is shown (app.js).
  return { refresh };
}

function setUpReadable() {
  const result = $("#readable-result");
  const save = async (button, format) => {
    say(result, t("choose_where_readable"));
    try {
      const summary = await busy(button, $("#export-progress"), () => api.exportReadable(format));
      say(result, t("readable_saved", { cycles: count(summary.cycles), path: summary.path }), "ok");
    } catch (error) {
      say(result, error.kind === "cancelled" ? t("cancelled_nothing_written") : t("readable_not_saved", { reason: error.message }),
        error.kind === "cancelled" ? "" : "problem");
    }
  };
  $("#export-csv").addEventListener("click", (e) => save(e.currentTarget, "csv"));
  $("#export-markdown").addEventListener("click", (e) => save(e.currentTarget, "markdown"));
}
