// Areas: every field of practice with its counts; rename, merge (rename onto another
// area's name) and archive.

import * as api from "../api.js";
import { plural, t } from "../i18n.js";
import { $, el, sentence, shortDay } from "../dom.js";

export function createAreas({ onChanged, showToast, showError }) {
  const dialog = $("#rename-dialog");
  const input = $("#rename-to");
  const error = $("#e-rename");
  let renaming = null;
  let areas = [];

  $("#rename-cancel").addEventListener("click", () => dialog.close());
  $("#rename-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const to = input.value.trim();
    if (!renaming) return;
    if (to === renaming) { dialog.close(); return; }
    try {
      const merging = areas.find((a) => a.name.toLowerCase() === to.toLowerCase() && a.name !== renaming);
      const moved = await api.renameArea(renaming, to);
      dialog.close();
      showToast(merging ? plural("area_merged", moved, { area: merging.name }) : plural("area_renamed", moved, { area: to }));
      onChanged();
    } catch (e) {
      error.textContent = e.kind === "invalid"
        ? sentence(e.fields.map((f) => f.message).join(" "))
        : sentence(e.message);
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  });
  input.addEventListener("input", () => {
    error.hidden = true;
    input.removeAttribute("aria-invalid");
    const target = areas.find((a) => a.name.toLowerCase() === input.value.trim().toLowerCase() && a.name !== renaming);
    $("#rename-save").textContent = target ? t("merge_into", { area: target.name }) : t("rename");
  });

  function openRename(area) {
    renaming = area.name;
    input.value = area.name;
    error.hidden = true;
    $("#rename-title").textContent = t("rename_or_merge_title", { area: area.name });
    $("#rename-save").textContent = t("rename");
    $("#rename-areas").replaceChildren(...areas.filter((a) => a.name !== area.name)
      .map((a) => el("option", { value: a.name })));
    dialog.showModal();
    input.select();
  }

  async function toggleArchive(area) {
    try {
      await api.archiveArea(area.name, !area.archived);
      showToast(t(area.archived ? "area_unarchived" : "area_archived", { area: area.name }),
        t("undo"), async () => { await api.archiveArea(area.name, area.archived); onChanged(); });
      onChanged();
    } catch (e) {
      showError(e);
    }
  }

  function row(area) {
    // Its full name for assistive technology; the words shown fit the window.
    const rename = el("button", { type: "button", class: "button quiet small", "aria-label": t("rename_or_merge") },
      el("span", { class: "long-label", "aria-hidden": "true" }, t("rename_or_merge")),
      el("span", { class: "short-label", "aria-hidden": "true" }, t("rename_ellipsis")));
    rename.addEventListener("click", () => openRename(area));
    const archive = el("button", { type: "button", class: "button quiet small" }, t(area.archived ? "bring_back" : "archive"));
    archive.addEventListener("click", () => toggleArchive(area));
    return el("tr", { class: area.archived ? "archived" : "" },
      el("th", { scope: "row" }, area.name, area.archived ? el("span", { class: "tag" }, t("archived_tag")) : null),
      el("td", {}, area.cycles.toLocaleString()),
      el("td", {}, area.setbacks.toLocaleString()),
      el("td", {}, area.pending.toLocaleString()),
      el("td", {}, shortDay(area.last_attempt)),
      el("td", { class: "actions" }, rename, archive));
  }

  async function refresh() {
    try {
      areas = await api.areaOverview();
      $("#areas-empty").hidden = areas.length > 0;
      $("#areas-table").hidden = areas.length === 0;
      $("#areas-body").replaceChildren(...areas.map(row));
    } catch (e) {
      showError(e);
    }
  }

  return { refresh };
}
