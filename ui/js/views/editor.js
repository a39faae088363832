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

  /** The form as a draft for Rust: text as typed, scales as numbers or null. */
  function draft() {
    const data = {};
    for (const name of TEXT_FIELDS) data[name] = field(name).value;
    for (const name of Object.keys(SCALES)) {
      const chosen = form.querySelector(`input[name="${name}"]:checked`);
      const value = chosen ? chosen.value : "";
      data[name] = name === "outcome" ? (value || "pending") : value === "" ? null : Number(value);
    }
    return data;
  }

  function fill(cycle) {
    for (const name of TEXT_FIELDS) field(name).value = cycle?.[name] ?? "";
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
    initial = JSON.stringify(draft());
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
