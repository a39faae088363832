// Cycles: every cycle, newest attempt first, a page at a time.

import * as api from "../api.js";
import { $ } from "../dom.js";
import { cycleRow } from "./cycle-row.js";

const PAGE = 50;

export function createCycles({ openCycle, showError }) {
  let shown = PAGE;
  let selected = null;

  $("#load-more").addEventListener("click", () => {
    shown += PAGE;
    refresh();
  });

  async function refresh() {
    try {
      // One more than shown tells whether there is more to show.
      const cycles = await api.listCycles(shown + 1);
      const more = cycles.length > shown;
      const visible = cycles.slice(0, shown);
      $("#cycles-empty").hidden = visible.length > 0;
      $("#cycles-count").textContent = visible.length === 0 ? ""
        : more ? `The latest ${visible.length}, newest attempt first`
          : `${visible.length} ${visible.length === 1 ? "cycle" : "cycles"}, newest attempt first`;
      $("#cycle-list").replaceChildren(
        ...visible.map((c) => cycleRow(c, openCycle, c.id === selected)),
      );
      $("#load-more").hidden = !more;
    } catch (error) {
      showError(error);
    }
  }

  /** Mark the cycle open in the editor (or none). */
  function select(id) {
    selected = id;
    for (const row of document.querySelectorAll("#cycle-list .cycle-row")) {
      if (row.dataset.id === id) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    }
  }

  return { refresh, select };
}
