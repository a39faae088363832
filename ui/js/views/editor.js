// The cycle editor: a side panel with the loop's stages in the essay's order. Saving
// is always possible; problems are shown beside their fields and nothing typed is
// lost. Esc closes, asking first only when something unsaved would be lost.

import * as api from "../api.js";
import { $, $$, el, localToday, longDay, sentence } from "../dom.js";

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// The scales, with their meaning written at the ends (UX.md).
const SCALES = {
  difficulty: {
    label: "Difficulty", question: "How far past your track record?",
    values: range(1, 10), ends: ["1 · well within it", "10 · far beyond it"],
  },
  stakes: {
    label: "Stakes", question: "What was at risk?",
    values: range(1, 5), ends: ["1 · trivial", "5 · not bounded"],
  },
  effort: {
    label: "Effort", question: "Did you really try to win?",
    values: range(1, 5), ends: ["1 · going through the motions", "5 · everything I had"],
  },
  safety: {
    label: "Context safety", question: "How safe was it to fail there?",
    values: range(1, 5), ends: ["1 · punished for failing", "5 · safe to fail"],
  },
  outcome: {
    label: "Outcome", question: "",
    words: [["pending", "Not known yet"], ["success", "Success"], ["partial", "Partial"], ["failure", "Failure"]],
  },
  stress: {
    label: "Stress afterwards", question: "Right after the outcome", optional: true,
    values: range(0, 10), ends: ["0 · calm", "10 · overwhelmed"],
  },
  identity: {
    label: "Identity", question: "How much did it feel like a verdict on you?", optional: true,
    values: range(0, 10), ends: ["0 · just an attempt", "10 · a verdict on me"],
  },
};

const TEXT_FIELDS = [
  "area", "attempt", "attempted_on", "reframe", "observation", "in_my_control", "external", "adjustment", "check",
];

// The questions asked of an adjustment carried forward from the last cycle in the area.
const CARRY = {
  applied: [["yes", "Yes"], ["partly", "Partly"], ["no", "No"]],
  result: [["better", "Better"], ["same", "The same"], ["worse", "Worse"], ["unclear", "Unclear"]],
};
const NUDGE_PAUSE_MS = 400;
const AREA_PAUSE_MS = 300;

/** "You gave this 30%; it worked." — the prediction error, said plainly. */
export function predictionGap(predicted, outcome) {
  if (predicted === null || predicted === undefined || predicted === "" || outcome === "pending") return "";
  const what = { success: "it worked", partial: "it partly worked", failure: "it didn't work this time" }[outcome];
  const surprise = (outcome === "success" && predicted < 50) || (outcome === "failure" && predicted > 50);
  return `You gave this ${predicted}%; ${what}.${surprise ? " That gap between what you expected and what happened is what learning runs on." : ""}`;
}

function buildCarry(container, name) {
  for (const [value, word] of CARRY[name]) {
    container.append(
      el("input", { type: "radio", name, id: `f-${name}-${value}`, value }),
      el("label", { for: `f-${name}-${value}` }, word),
    );
  }
}

function buildScale(container) {
  const name = container.dataset.scale;
  const spec = SCALES[name];
  const options = spec.words ?? spec.values.map((v) => [String(v), String(v)]);
  const segments = el("div", { class: `segments${spec.words ? " words" : ""}` });
  if (spec.optional) {
    segments.append(
      el("input", { type: "radio", name, id: `f-${name}-none`, value: "", class: "unset" }),
      el("label", { for: `f-${name}-none`, title: "Not set yet", "aria-label": "Not set yet" }, "–"),
    );
  }
  for (const [value, word] of options) {
    segments.append(
      el("input", { type: "radio", name, id: `f-${name}-${value}`, value }),
      el("label", { for: `f-${name}-${value}` }, word),
    );
  }
  const legend = el("legend", { class: "scale-label" }, spec.label,
    spec.question ? el("span", { class: "scale-question" }, spec.question) : null);
  container.append(
    el("fieldset", { "aria-describedby": `e-${name}` }, legend, segments,
      spec.ends ? el("div", { class: "scale-ends", "aria-hidden": "true" },
        el("span", {}, spec.ends[0]), el("span", {}, spec.ends[1])) : null),
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

  // Every field gets a place for its nudges, right under its error line.
  for (const p of $$(".field-error", form)) {
    const name = p.id.slice(2);
    p.after(el("div", { class: "nudges", id: `n-${name}`, "aria-live": "polite" }));
  }
  form.addEventListener("input", (event) => {
    scheduleNudges();
    if (event.target.name === "area") scheduleCarry();
    if (["outcome", "predicted_success"].includes(event.target.name)) showGap();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "outcome") showGap();
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
  form.addEventListener("input", (event) => clearError(event.target.name));
  form.addEventListener("change", (event) => clearError(event.target.name));

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
    $("#carry-check").textContent = source.check ? `How you said you'd know: ${source.check}` : "";
  }

  function scheduleCarry() {
    // Only a new attempt is offered the open adjustment; an edited cycle keeps its link.
    if (current) return;
    clearTimeout(areaTimer);
    areaTimer = setTimeout(async () => {
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
    for (const box of $$(".nudges", form)) box.replaceChildren();
    for (const nudge of nudges) {
      const key = `${nudge.rule}:${nudge.field}`;
      const box = document.getElementById(`n-${nudge.field}`);
      if (!box || dismissed.has(key)) continue;
      const close = el("button", { type: "button", class: "nudge-dismiss", "aria-label": "Dismiss this suggestion", title: "Dismiss" }, "✕");
      const note = el("div", { class: "nudge", role: "note", dataset: { rule: nudge.rule } },
        el("p", {}, nudge.message), close);
      close.addEventListener("click", () => {
        dismissed.add(key);
        saveDismissed(current?.id);
        note.remove();
      });
      box.append(note);
    }
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

  function showStages(stages) {
    for (const mark of $$(".stage-mark", form)) {
      const done = Boolean(stages?.[mark.dataset.stage]);
      mark.classList.toggle("done", done);
      mark.title = done ? "Done" : "Not yet";
      mark.setAttribute("role", "img");
      mark.setAttribute("aria-label", done ? "done" : "not yet");
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
  }

  function showErrors(fields) {
    let first = null;
    const general = [];
    for (const { field: name, message: text } of fields) {
      const p = document.getElementById(`e-${name}`);
      if (!p || !form.contains(p)) { general.push(sentence(text)); continue; }
      p.textContent = sentence(text);
      p.hidden = false;
      const target = SCALES[name] ? form.querySelector(`[data-scale="${name}"]`) : field(name);
      target.setAttribute("aria-invalid", "true");
      first ??= SCALES[name] ? form.querySelector(`input[name="${name}"]`) : target;
    }
    message.textContent = general.length
      ? general.join(" ")
      : "A few fields need a look. Nothing you typed was lost.";
    first?.focus();
  }

  function open(cycle) {
    hideToast(); // it spoke of the last action, and would cover the editor's buttons
    current = cycle ?? null;
    clearErrors();
    fill(current);
    showStages(current?.stages);
    $("#editor-title").textContent = current ? "Edit cycle" : "New attempt";
    $("#editor-sub").textContent = current
      ? `${current.area} · ${longDay(current.attempted_on)}`
      : "Log it now; the outcome and reflection can wait.";
    $("#delete").hidden = !current;
    field("attempted_on").max = localToday();
    showCarry(null);
    loadDismissed();
    for (const box of $$(".nudges", form)) box.replaceChildren();
    showGap();
    initial = JSON.stringify(draft());
    if (current) {
      loadCarry(current).then(() => { initial = JSON.stringify(draft()); });
      showNudges();
    }
    panel.hidden = false;
    form.querySelector(".editor-body").scrollTop = 0;
    (current ? field("attempt") : field("area")).focus();
  }

  const isOpen = () => !panel.hidden;
  const isDirty = () => isOpen() && JSON.stringify(draft()) !== initial;

  function hide() {
    panel.hidden = true;
    current = null;
    onClose();
  }

  /** Close, asking first if something unsaved would be lost. */
  async function close() {
    if (!isOpen()) return true;
    if (isDirty()) {
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
      showToast(wasNew ? "Logged. Come back to reflect whenever you're ready." : "Saved.");
      onSaved(saved);
    } catch (error) {
      if (error.kind === "invalid") showErrors(error.fields);
      else message.textContent = `Not saved: ${sentence(error.message)}. What you typed is still here.`;
    } finally {
      saving = false;
      $("#save").disabled = false;
    }
  }

  async function remove() {
    if (!current) return;
    try {
      const deleted = await api.deleteCycle(current.id);
      hide();
      onDeleted(deleted);
      showToast("Cycle deleted.", "Undo", async () => {
        try {
          await api.restoreCycle(deleted);
          showToast("Cycle restored.");
          onSaved(deleted);
        } catch (error) {
          showToast(`Could not restore it: ${error.message}`);
        }
      });
    } catch (error) {
      message.textContent = `Not deleted: ${sentence(error.message)}.`;
    }
  }

  async function refreshAreas() {
    try {
      const areas = await api.listAreas();
      $("#areas").replaceChildren(...areas.map((a) => el("option", { value: a.name })));
    } catch {
      // The datalist is a convenience; the area can always be typed.
    }
  }

  return { open, close, save, isOpen, refreshAreas, currentId: () => current?.id ?? null };
}
