// Settings → Sync: the folder, the passphrase the first time, Sync now, the last sync,
// the computers seen and the conflicts to resolve. The syncing itself runs in Rust (at
// start, a few seconds after saves, every few minutes); this view asks how it went, and
// has the other views redrawn when changes came in from another computer.

import * as api from "../api.js";
import { $, el, longDay, sentence } from "../dom.js";
import { t } from "../i18n.js";

const POLL_MS = 8000;

const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

export function createSync({ onChanged, showToast }) {
  const result = $("#sync-result");
  const button = $("#sync-now");
  const first = $("#sync-passphrase");
  const again = $("#sync-passphrase-again");
  let view = null;
  // How many syncs had changed the data here when the page last looked.
  let seenChanges = null;
  let busy = false;

  const say = (text, tone = "") => {
    result.className = `result ${tone}`.trim();
    result.textContent = text;
  };

  function showDevices(devices) {
    $("#sync-devices-box").hidden = devices.length === 0;
    $("#sync-devices").replaceChildren(...devices.map((d) => el("li", {},
      el("span", {}, d.thisComputer ? t("sync_this_computer", { name: d.name }) : d.name),
      el("span", { class: "note" }, d.lastChange ? t("sync_device_changed", { when: when(d.lastChange) }) : t("sync_device_quiet")))));
  }

  function showConflicts(conflicts) {
    $("#sync-conflicts-box").hidden = conflicts.length === 0;
    $("#sync-conflicts").replaceChildren(...conflicts.map((c) => {
      const versions = c.versions.map((v, i) => {
        const from = v.thisComputer ? t("sync_version_from_here") : t("sync_version_from", { computer: v.computer });
        return el("div", { class: "sync-version" },
          el("span", { class: "note" }, v.shown ? t("sync_version_shown", { from }) : from),
          el("blockquote", {}, v.text ?? t("sync_version_empty")),
          el("div", { class: "actions" },
            el("button", { type: "button", class: "button quiet", dataset: { cycle: c.cycle, field: c.field, keep: String(i) } }, t("keep_this_one"))));
      });
      return el("li", { dataset: { cycle: c.cycle, field: c.field } },
        el("span", { class: "sync-conflict-head" },
          t("sync_conflict_head", { day: longDay(c.attemptedOn), area: c.area, field: t(`sync_field_${c.field}`) })),
        el("span", { class: "note" }, c.attempt),
        ...versions,
        el("div", { class: "actions" },
          el("button", { type: "button", class: "button", dataset: { cycle: c.cycle, field: c.field, keep: "both" } }, t("keep_both"))));
    }));
  }

  // "Everything stays on this computer" is true only until sync is set up; from then
  // on the sidebar, Backup and About say where the encrypted copies go.
  function showWhereDataGoes(synced) {
    $("#where-data-goes").textContent = synced ? t("data_stays_here_synced") : t("everything_stays_on_this_computer");
    $("#where-data-goes-backup").textContent = synced ? t("data_stays_here_synced_2") : t("everything_stays_on_this_computer_2");
    $("#where-data-goes-about").textContent = synced ? t("data_stays_here_synced_3") : t("everything_stays_on_this_computer_3");
  }

  function show(next) {
    view = next;
    showWhereDataGoes(Boolean(view.folder) && !view.needsPassphrase);
    $("#sync-folder").textContent = view.folder ?? t("sync_no_folder");
    $("#sync-passphrase-fields").hidden = !view.needsPassphrase || !view.folder;
    $("#sync-passphrase-again-field").hidden = !view.firstComputer;
    $("#sync-passphrase-explain").textContent = view.firstComputer ? t("sync_passphrase_first") : t("sync_passphrase_join");
    button.disabled = busy || !view.folder;
    // Only the time: the line above says what "Sync now" did, and a toast what a sync
    // in the background brought in (the last sync's own sentence is often "nothing new").
    $("#sync-last").textContent = view.lastSync ? t("sync_last", { when: when(view.lastSync) }) : t("sync_never");
    const problems = [...view.problems, ...(view.lastError ? [view.lastError] : [])];
    $("#sync-problems").replaceChildren(...problems.map((p) => el("li", {}, t("sync_problem", { text: sentence(p) }))));
    showDevices(view.devices);
    showConflicts(view.conflicts);
    if (seenChanges !== null && view.changed !== seenChanges) {
      onChanged();
      showToast(t("sync_brought_in"));
    }
    seenChanges = view.changed;
  }

  const refresh = () => api.syncOverview().then(show).catch(() => {
    // Syncing is a courtesy running in the background; the next look tries again.
  });

  // The passphrase typed, checked as the backup's is; undefined when it is not right.
  function passphrase() {
    if ($("#sync-passphrase-fields").hidden) return null;
    let problem = null;
    if (view.firstComputer && first.value.length < 8) problem = ["passphrase_too_short", first];
    else if (view.firstComputer && first.value !== again.value) problem = ["passphrases_differ", again];
    else if (!first.value) problem = ["sync_passphrase_needed", first];
    if (!problem) return first.value;
    say(t(problem[0]), "problem");
    problem[1].focus();
    return undefined;
  }

  button.addEventListener("click", async () => {
    const typed = passphrase();
    if (typed === undefined) return;
    busy = true;
    button.disabled = true;
    say(t("syncing"));
    try {
      const done = await api.syncNow(typed);
      first.value = "";
      again.value = "";
      say(done.report.message, "ok");
      seenChanges = done.view.changed;
      show(done.view);
      if (done.report.changedHere) onChanged();
    } catch (error) {
      say(t("sync_failed", { reason: error.message }), "problem");
      if (error.kind === "syncPassphrase") first.select();
    } finally {
      busy = false;
      button.disabled = !view?.folder;
    }
  });

  for (const field of [first, again]) {
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter") button.click();
    });
  }

  $("#sync-choose").addEventListener("click", async () => {
    try {
      show(await api.chooseSyncFolder());
      say(view.needsPassphrase ? t("sync_folder_chosen_first") : t("sync_folder_chosen"));
      if (!$("#sync-passphrase-fields").hidden) first.focus();
    } catch (error) {
      if (error.kind !== "cancelled") say(error.message, "problem");
    }
  });

  $("#sync-conflicts").addEventListener("click", async (event) => {
    const chosen = event.target.closest("button[data-keep]");
    if (!chosen) return;
    const { cycle, field, keep } = chosen.dataset;
    try {
      show(await api.resolveSyncConflict(cycle, field, keep === "both" ? null : Number(keep)));
      say(t("sync_resolved"), "ok");
      onChanged();
    } catch (error) {
      say(error.message, "problem");
    }
  });

  function start() {
    refresh();
    setInterval(refresh, POLL_MS);
  }

  return { start, refresh };
}
