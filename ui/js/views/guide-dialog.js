// An area's own target band and staircase rule: a small dialog opened from the
// editor's guide. Every rule on offer says the success rate it settles near, so the
// choice can be held against the band.

import * as api from "../api.js";
import { $, el, sentence } from "../dom.js";
import { plural, t } from "../i18n.js";
import { ruleText } from "./editor-guide.js";

export function createGuideDialog({ onSaved }) {
  const dialog = $("#guide-dialog");
  const error = $("#e-guide");
  let area = "";
  let view = null;

  const choice = () => $("#guide-rule-choice").value.split("-").map(Number);

  function describe() {
    const [up, down] = choice();
    const near = view?.choices.find((c) => c.up_after === up && c.down_after === down)?.settles_near ?? 0;
    const band = { low: Number($("#guide-band-low").value), high: Number($("#guide-band-high").value) };
    $("#guide-dialog-rule").textContent = ruleText({ up_after: up, down_after: down }, near, band);
  }

  function fill(v) {
    view = v;
    $("#guide-dialog-title").textContent = t("guide_dialog_title", { area: v.area });
    $("#guide-band-low").value = v.band.low;
    $("#guide-band-high").value = v.band.high;
    $("#guide-rule-choice").replaceChildren(...v.choices.map((c) => el("option",
      { value: `${c.up_after}-${c.down_after}` },
      t("guide_choice", {
        up: plural("guide_choice_up", c.up_after),
        down: plural("guide_choice_down", c.down_after),
        near: Math.round(c.settles_near),
      }))));
    $("#guide-rule-choice").value = `${v.staircase.up_after}-${v.staircase.down_after}`;
    describe();
  }

  async function save(band, staircase) {
    error.hidden = true;
    try {
      fill(await api.setAreaGuide(area, band, staircase));
      dialog.close("saved");
      onSaved();
    } catch (e) {
      error.textContent = sentence(e.fields?.[0]?.message ?? e.message);
      error.hidden = false;
    }
  }

  $("#guide-rule-choice").addEventListener("change", describe);
  $("#guide-band-low").addEventListener("input", describe);
  $("#guide-band-high").addEventListener("input", describe);
  $("#guide-cancel").addEventListener("click", () => dialog.close("cancel"));
  $("#guide-defaults").addEventListener("click", () => save(null, null));
  $("#guide-form").addEventListener("submit", (event) => {
    event.preventDefault();
    save([Number($("#guide-band-low").value), Number($("#guide-band-high").value)], choice());
  });

  return {
    async open(name) {
      area = name;
      error.hidden = true;
      try {
        fill(await api.areaGuide(name));
        dialog.showModal();
        $("#guide-rule-choice").focus();
      } catch {
        // Without the current guide there is nothing sensible to edit.
      }
    },
  };
}
