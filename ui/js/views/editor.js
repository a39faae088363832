// The cycle editor: a side panel with the loop's stages in the essay's order. Saving
// is always possible; problems are shown beside their fields and nothing typed is
// lost. Esc closes, asking first only when something unsaved would be lost.

import * as api from "../api.js";
import { $, $$, el, localToday, longDay, sentence } from "../dom.js";
import { t } from "../i18n.js";
import { createGuide } from "./editor-guide.js";
import { createGuideDialog } from "./guide-dialog.js";

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// The cycle's fields a person fills in, in the order of the cycle's JSON, with each
// one's kind and a scale's bounds. It is the core's list (FIELDS in
// src-tauri/core/src/cycle/fields.rs) and a test there keeps the two equal, so it is
// written as JSON: quoted keys, no trailing comma.
export const FIELDS = [
  { "name": "area", "kind": "text" },
  { "name": "attempted_on", "kind": "date" },
  { "name": "attempt", "kind": "text" },
  { "name": "predicted_success", "kind": "scale", "min": 0, "max": 100, "optional": true },
  { "name": "outcome", "kind": "choice" },
  { "name": "difficulty", "kind": "scale", "min": 1, "max": 10 },
  { "name": "stakes", "kind": "scale", "min": 1, "max": 5 },
  { "name": "effort", "kind": "scale", "min": 1, "max": 5 },
  { "name": "safety", "kind": "scale", "min": 1, "max": 5 },
  { "name": "stress", "kind": "scale", "min": 0, "max": 10, "optional": true },
  { "name": "identity", "kind": "scale", "min": 0, "max": 10, "optional": true },
  { "name": "reframe", "kind": "text" },
  { "name": "observation", "kind": "text" },
  { "name": "in_my_control", "kind": "text" },
  { "name": "external", "kind": "text" },
  { "name": "adjustment", "kind": "text" },
  { "name": "check", "kind": "text" },
  { "name": "tests_cycle", "kind": "link" },
  { "name": "applied", "kind": "choice" },
  { "name": "result", "kind": "choice" }
];

// The prediction is a scale typed as a number; the other scales are rows of segments.
const TYPED_SCALES = ["predicted_success"];

// The scales and the outcome as rows of segments, with their meaning written at the
// ends (UX.md). Their words are in the string catalogue: scale_<name>_label,
// _question, _low and _high.
const SCALES = {
  ...Object.fromEntries(FIELDS
    .filter((f) => f.kind === "scale" && !TYPED_SCALES.includes(f.name))
    .map((f) => [f.name, { values: range(f.min, f.max), optional: f.optional }])),
  outcome: { words: ["pending", "success", "partial", "failure"] },
};

// Inputs whose value goes to Rust as typed.
const TEXT_FIELDS = FIELDS.filter((f) => f.kind === "text" || f.kind === "date").map((f) => f.name);

// The questions asked of an adjustment carried forward from the last cycle in the area.
const CARRY = {
  applied: ["yes", "partly", "no"],
  result: ["better", "same", "worse", "unclear"],
};
const NUDGE_PAUSE_MS = 400;
const AREA_PAUSE_MS = 300;

// Where the editor opens for a cycle that waits for something (the reflect queue): the
// stage to scroll to and the control to focus. The outcome's focus goes to its chosen
// segment, so the arrow keys pick another.
const SECTIONS = {
  outcome: { stage: "#stage-outcome", focus: (form) => form.querySelector('input[name="outcome"]:checked') ?? form.querySelector('input[name="outcome"]') },
  observe: { stage: "#stage-observe", focus: (form) => form.elements.namedItem("observation") },
  extract: { stage: "#stage-extract", focus: (form) => form.elements.namedItem("in_my_control") },
  adjust: { stage: "#stage-adjust", focus: (form) => form.elements.namedItem("adjustment") },
};

/** "You gave this 30%; it worked." — the prediction error, said plainly. */
export function predictionGap(predicted, outcome) {
  if (predicted === null || predicted === undefined || predicted === "" || outcome === "pending") return "";
  const surprise = (outcome === "success" && predicted < 50) || (outcome === "failure" && predicted > 50);
  const gap = t(`prediction_gap_${outcome}`, { predicted });
  return surprise ? `${gap} ${t("prediction_gap_surprise")}` : gap;
}

function buildCarry(container, name) {
  for (const value of CARRY[name]) {
    container.append(
      el("input", { type: "radio", name, id: `f-${name}-${value}`, value }),
      el("label", { for: `f-${name}-${value}` }, t(`carry_${name}_${value}`)),
    );
  }
}

function buildScale(container) {
  const name = container.dataset.scale;
  const spec = SCALES[name];
  const options = spec.words?.map((w) => [w, t(`outcome_choice_${w}`)])
    ?? spec.values.map((v) => [String(v), String(v)]);
  const question = t(`scale_${name}_question`);
  const ends = spec.values ? [t(`scale_${name}_low`), t(`scale_${name}_high`)] : null;
  const segments = el("div", { class: `segments${spec.words ? " words" : ""}` });
  if (spec.optional) {
    segments.append(
      el("input", { type: "radio", name, id: `f-${name}-none`, value: "", class: "unset" }),
      el("label", { for: `f-${name}-none`, title: t("not_set_yet"), "aria-label": t("not_set_yet") }, "–"),
    );
  }
  for (const [value, word] of options) {
    segments.append(
      el("input", { type: "radio", name, id: `f-${name}-${value}`, value }),
      el("label", { for: `f-${name}-${value}` }, word),
    );
  }
  const legend = el("legend", { class: "scale-label" }, t(`scale_${name}_label`),
    question ? el("span", { class: "scale-question" }, question) : null);
  container.append(
    el("fieldset", { "aria-describedby": `e-${name}` }, legend, segments,
      ends ? el("div", { class: "scale-ends", "aria-hidden": "true" },
        el("span", {}, ends[0]), el("span", {}, ends[1])) : null),
    el("p", { class: "field-error", id: `e-${name}`, hidden: true }),
  );
}

export function createEditor({ onSaved, onDeleted, onClose, showToast, hideToast }) {
  const panel = $("#editor");
  const form = $("#cycle-form");
  const message = $("#form-message");
  const discard = $("#discard");
  let current = null; // the cycle being edited; null for a new attempt
  let initial = "";
  let saving = false;

  $$(".scale", form).forEach(buildScale);
  buildCarry($("#carry-applied"), "applied");
  buildCarry($("#carry-result"), "result");
  let linked = null; // the earlier cycle whose adjustment this attempt tests
  let nudgeTimer = null;
  let areaTimer = null;
  let dismissed = new Set();
  let typed = false; // the person changed something since the editor opened
  const guideDialog = createGuideDialog({ onSaved: () => guide.refresh() });
  const guide = createGuide({ form, onChangeRule: (area) => guideDialog.open(area) });

  // Every field gets a place for its nudges, right under its error line.
  for (const p of $$(".field-error", form)) {
    const name = p.id.slice(2);
    p.after(el("div", { class: "nudges", id: `n-${name}`, "aria-live": "polite" }));
  }
  form.addEventListener("input", (event) => {
    typed = true;
    scheduleNudges();
    showStages(liveStages());
    if (event.target.name === "area") scheduleCarry();
    if (["outcome", "predicted_success"].includes(event.target.name)) showGap();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "outcome") {
      showGap();
      showReframeHint();
    }
    showStages(liveStages());
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  $("#editor-close").addEventListener("click", () => close());
  $("#cancel").addEventListener("click", () => close());
  $("#delete").addEventListener("click", () => remove());
  $("#discard-keep").addEventListener("click", () => discard.close("keep"));
  $("#discard-yes").addEventListener("click", () => discard.close("discard"));
  $("#delete-keep").addEventListener("click", () => $("#delete-confirm").close("keep"));
  $("#delete-yes").addEventListener("click", () => $("#delete-confirm").close("delete"));
  form.addEventListener("input", (event) => clearError(event.target.name));
  form.addEventListener("change", (event) => clearError(event.target.name));
  // WebKit scrolls a field that gets the focus (by Tab, or by a script) only as far as
  // its caret's line, which left the rest of a field low in the form cut off at the
  // editor's foot. The whole field is shown, or its top when it is taller than the form.
  form.addEventListener("focusin", (event) => {
    if (event.target.matches("textarea, input:not([type=radio]):not([type=checkbox])")) {
      revealWhole(event.target);
    }
  });

  function revealWhole(input) {
    const body = input.closest(".editor-body");
    if (!body) return;
    const margin = 8;
    const view = body.getBoundingClientRect();
    const box = input.getBoundingClientRect();
    const below = box.bottom + margin - view.bottom;
    const above = view.top - (box.top - margin);
    if (above > 0) body.scrollTop -= above;
    else if (below > 0) body.scrollTop += Math.min(below, -above);
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  const chosen = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? "";

  /** The form as a draft for Rust: text as typed, scales as numbers or null. */
  function draft() {
    const data = {};
    for (const name of TEXT_FIELDS) data[name] = field(name).value;
    for (const name of Object.keys(SCALES)) {
      const value = chosen(name);
      data[name] = name === "outcome" ? (value || "pending") : value === "" ? null : Number(value);
    }
    // A typed prediction goes as typed, so Rust can say what is wrong with it.
    const predicted = field("predicted_success").value.trim();
    data.predicted_success = predicted === "" ? null : predicted;
    const applied = chosen("applied");
    const result = chosen("result");
    // The link is made once either question is answered (or it was made before).
    const link = linked && (applied || result || current?.tests_cycle === linked.id);
    data.tests_cycle = link ? linked.id : null;
    data.applied = link && applied ? applied : null;
    data.result = link && result ? result : null;
    return data;
  }

  function showGap() {
    const predicted = field("predicted_success").value.trim();
    const text = predictionGap(predicted === "" ? null : Number(predicted), chosen("outcome") || "pending");
    $("#prediction-gap").textContent = text;
    $("#prediction-gap").hidden = !text;
  }

  // ---- The adjustment carried forward ----

  function showCarry(source, answers = {}) {
    linked = source;
    $("#carry").hidden = !source;
    for (const name of ["applied", "result"]) {
      for (const input of form.querySelectorAll(`input[name="${name}"]`)) {
        input.checked = input.value === answers[name];
      }
    }
    if (!source) return;
    $("#carry-area").textContent = source.area;
    $("#carry-adjustment").textContent = source.adjustment;
    $("#carry-check").textContent = source.check ? t("carry_check", { check: source.check }) : "";
  }

  function scheduleCarry() {
    // Only a new attempt is offered the open adjustment; an edited cycle keeps its link.
    if (current) return;
    clearTimeout(areaTimer);
    areaTimer = setTimeout(async () => {
      guide.areaChanged(field("area").value);
      try {
        const source = await api.openAdjustment(field("area").value);
        if (linked?.id !== source?.id) showCarry(source);
      } catch {
        showCarry(null);
      }
    }, AREA_PAUSE_MS);
  }

  async function loadCarry(cycle) {
    showCarry(null);
    if (!cycle?.tests_cycle) return;
    try {
      const source = await api.getCycle(cycle.tests_cycle);
      showCarry(source, { applied: cycle.applied, result: cycle.result });
    } catch {
      // The linked cycle was deleted: the answers stay stored, the card stays hidden.
    }
  }

  // ---- Nudges: suggestions beside their fields, never a block on saving ----

  const dismissKey = () => (current ? `rebound.nudges.${current.id}` : null);

  function loadDismissed() {
    const key = dismissKey();
    try {
      dismissed = new Set(key ? JSON.parse(localStorage.getItem(key) ?? "[]") : []);
    } catch {
      dismissed = new Set();
    }
  }

  function saveDismissed(id) {
    if (!id || dismissed.size === 0) return;
    try {
      localStorage.setItem(`rebound.nudges.${id}`, JSON.stringify([...dismissed]));
    } catch {
      // Remembering a dismissal is a courtesy.
    }
  }

  function scheduleNudges() {
    clearTimeout(nudgeTimer);
    nudgeTimer = setTimeout(showNudges, NUDGE_PAUSE_MS);
  }

  async function showNudges() {
    let nudges = [];
    try {
      nudges = await api.checkNudges(draft());
    } catch {
      nudges = [];
    }
    // Nudges come and go above the field being typed in a moment after a pause: the
    // form scrolls by as much, so that field stays where it is on screen.
    const held = form.contains(document.activeElement) ? document.activeElement : null;
    const heldAt = held?.getBoundingClientRect().top;
    for (const box of $$(".nudges", form)) box.replaceChildren();
    for (const nudge of nudges) {
      const key = `${nudge.rule}:${nudge.field}`;
      const box = document.getElementById(`n-${nudge.field}`);
      if (!box || dismissed.has(key)) continue;
      const close = el("button", { type: "button", class: "nudge-dismiss", "aria-label": t("dismiss_suggestion"), title: t("dismiss") }, "✕");
      const note = el("div", { class: "nudge", role: "note", dataset: { rule: nudge.rule } },
        el("p", {}, nudge.message), close);
      close.addEventListener("click", () => {
        dismissed.add(key);
        saveDismissed(current?.id);
        note.remove();
      });
      box.append(note);
    }
    const body = held?.closest(".editor-body");
    if (body) body.scrollTop += held.getBoundingClientRect().top - heldAt;
  }

  function fill(cycle) {
    for (const name of TEXT_FIELDS) field(name).value = cycle?.[name] ?? "";
    field("predicted_success").value = cycle?.predicted_success ?? "";
    field("attempted_on").value = cycle?.attempted_on ?? localToday();
    for (const name of Object.keys(SCALES)) {
      for (const input of form.querySelectorAll(`input[name="${name}"]`)) input.checked = false;
      const value = cycle ? cycle[name] : name === "outcome" ? "pending" : null;
      const id = value === null || value === undefined ? `f-${name}-none` : `f-${name}-${value}`;
      const input = document.getElementById(id);
      if (input) input.checked = true;
    }
  }

  /**
   * The stage marks as the form stands, before it is saved: the same rules as the
   * cycle's stages in Rust (Cycle::stages), plus the outcome, known once it is not
   * pending. Text counts once it holds more than spaces, as Rust trims it.
   */
  function liveStages() {
    const filled = (name) => field(name).value.trim() !== "";
    const outcome = chosen("outcome") || "pending";
    return {
      attempt: filled("area") && filled("attempt"),
      outcome: outcome !== "pending",
      observe: outcome !== "pending" && filled("observation"),
      extract: filled("in_my_control") || filled("external"),
      adjust: filled("adjustment"),
    };
  }

  /** The reframe's example follows the outcome: a success is not "failed because…". */
  function showReframeHint() {
    const outcome = chosen("outcome") || "pending";
    field("reframe").placeholder = t(`reframe_placeholder_${outcome}`);
  }

  function showStages(stages) {
    for (const mark of $$(".stage-mark", form)) {
      const done = Boolean(stages?.[mark.dataset.stage]);
      mark.classList.toggle("done", done);
      mark.title = t(done ? "mark_done" : "mark_not_yet");
      mark.setAttribute("role", "img");
      mark.setAttribute("aria-label", t(done ? "mark_done" : "mark_not_yet"));
    }
  }

  function clearErrors() {
    for (const p of $$(".field-error", form)) { p.hidden = true; p.textContent = ""; }
    for (const node of $$("[aria-invalid]", form)) node.removeAttribute("aria-invalid");
    message.textContent = "";
    message.className = "form-message";
  }

  function clearError(name) {
    if (!name) return;
    const p = document.getElementById(`e-${name}`);
    if (p) { p.hidden = true; p.textContent = ""; }
    const target = SCALES[name] ? form.querySelector(`[data-scale="${name}"]`) : field(name);
    target?.removeAttribute?.("aria-invalid");
    // Once every problem is fixed, the footer stops saying some need a look.
    if (!form.querySelector(".field-error:not([hidden])")) message.textContent = "";
  }

  function showErrors(fields) {
    let first = null;
    const general = [];
    for (const { field: name, message: text } of fields) {
      const p = document.getElementById(`e-${name}`);
      if (!p || !form.contains(p)) { general.push(sentence(text)); continue; }
      // Rust's words fit a typed number ("choose a whole number from 1 to 10"); a row of
      // segments is chosen, not typed.
      p.textContent = SCALES[name]?.values ? t("scale_choose_one") : sentence(text);
      p.hidden = false;
      const target = SCALES[name] ? form.querySelector(`[data-scale="${name}"]`) : field(name);
      target.setAttribute("aria-invalid", "true");
      first ??= SCALES[name] ? form.querySelector(`input[name="${name}"]`) : target;
    }
    message.textContent = general.length
      ? general.join(" ")
      : t("form_needs_a_look");
    first?.focus();
  }

  /**
   * Open a cycle, or a new attempt (null). `section`: where a waiting cycle needs the
   * person (outcome, observe, extract, adjust). `plan`: a new attempt from the planned one.
   */
  function open(cycle, { section = null, plan = null } = {}) {
    hideToast(); // it spoke of the last action, and would cover the editor's buttons
    if (areasStale) loadAreas();
    current = cycle ?? null;
    typed = false;
    clearErrors();
    fill(current);
    if (!current && plan) field("attempt").value = plan.attempt;
    showStages(liveStages());
    showReframeHint();
    $("#editor-title").textContent = t(current ? "edit_cycle" : "new_attempt");
    $("#editor-sub").textContent = current
      ? t("editor_sub_existing", { area: current.area, day: longDay(current.attempted_on) })
      : t("editor_sub_new");
    $("#delete").hidden = !current;
    field("attempted_on").max = localToday();
    showCarry(null);
    loadDismissed();
    for (const box of $$(".nudges", form)) box.replaceChildren();
    showGap();
    initial = JSON.stringify(draft());
    if (current) {
      guide.hide();
      loadCarry(current).then(() => { initial = JSON.stringify(draft()); });
      showNudges();
    } else {
      // The area, difficulty, stakes, effort and safety arrive filled in: what is there
      // when they come is the starting point, so closing untouched asks nothing.
      guide.start(plan).then(() => {
        if (!isOpen() || current) return;
        showStages(liveStages()); // the area it filled in counts toward the attempt
        if (!typed) initial = JSON.stringify(draft());
        const area = field("area");
        if (document.activeElement === area && !typed) area.select();
        if (area.value) scheduleCarry();
      });
    }
    panel.hidden = false;
    focusFor(section, plan);
  }

  function focusFor(section, plan) {
    const body = form.querySelector(".editor-body");
    const place = SECTIONS[section];
    if (current && place) {
      form.querySelector(place.stage).scrollIntoView({ block: "start" });
      place.focus(form)?.focus({ preventScroll: true });
      return;
    }
    body.scrollTop = 0;
    // Logging quickly: the area is filled in and selected, so Tab keeps it and typing
    // replaces it; a planned attempt has its words already.
    (current ? field("attempt") : plan ? field("attempt") : field("area")).focus();
  }

  const isOpen = () => !panel.hidden;
  const isDirty = () => isOpen() && JSON.stringify(draft()) !== initial;

  function hide() {
    // Let go of the focus first: a field's suggestion list (the areas) would otherwise
    // stay on screen over the view once its field is hidden (seen in WebKitGTK).
    if (panel.contains(document.activeElement)) document.activeElement.blur();
    panel.hidden = true;
    current = null;
    guide.hide();
    onClose();
  }

  /** Close, asking first if something unsaved would be lost. */
  async function close() {
    if (!isOpen()) return true;
    if (isDirty()) {
      discard.returnValue = ""; // Esc must not repeat the last answer
      discard.showModal();
      const answer = await new Promise((resolve) => {
        discard.addEventListener("close", () => resolve(discard.returnValue), { once: true });
      });
      if (answer !== "discard") return false;
    }
    hide();
    return true;
  }

  async function save() {
    if (saving) return;
    saving = true;
    $("#save").disabled = true;
    clearErrors();
    try {
      const data = draft();
      const saved = current ? await api.updateCycle(current.id, data) : await api.createCycle(data);
      const wasNew = !current;
      saveDismissed(saved.id);
      hide();
      showToast(t(wasNew ? "toast_logged" : "toast_saved"));
      onSaved(saved);
    } catch (error) {
      if (error.kind === "invalid") showErrors(error.fields);
      else message.textContent = t("not_saved", { reason: sentence(error.message) });
    } finally {
      saving = false;
      $("#save").disabled = false;
    }
  }

  /** Ask before deleting; resolves true for Delete. */
  async function confirmDelete() {
    const dialog = $("#delete-confirm");
    // Esc closes a dialog without a value, leaving the last one: clear it first.
    dialog.returnValue = "";
    dialog.showModal();
    $("#delete-keep").focus();
    const answer = await new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true });
    });
    return answer === "delete";
  }

  async function remove() {
    if (!current) return;
    if (!(await confirmDelete())) return;
    try {
      const deleted = await api.deleteCycle(current.id);
      hide();
      onDeleted(deleted);
      showToast(t("toast_deleted"), t("undo"), async () => {
        try {
          await api.restoreCycle(deleted);
          showToast(t("toast_restored"));
          onSaved(deleted);
        } catch (error) {
          showToast(t("could_not_restore", { reason: error.message }));
        }
      });
    } catch (error) {
      message.textContent = t("not_deleted", { reason: sentence(error.message) });
    }
  }

  // The areas suggested while typing one: read when the editor opens after they
  // changed (never while the window opens).
  let areasStale = true;

  async function loadAreas() {
    areasStale = false;
    try {
      // Archived areas are set aside: not suggested, though typing one still works.
      const areas = (await api.areaOverview()).filter((a) => !a.archived);
      $("#areas").replaceChildren(...areas.map((a) => el("option", { value: a.name })));
    } catch {
      // The datalist is a convenience; the area can always be typed.
    }
  }

  /** The areas may have changed: read them now if the editor is open, else when it opens. */
  async function refreshAreas() {
    areasStale = true;
    if (isOpen()) await loadAreas();
  }

  return { open, close, save, isOpen, refreshAreas, currentId: () => current?.id ?? null };
}
