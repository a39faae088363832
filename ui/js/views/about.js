// About: the version, where the data and backups live, the sources Rebound cites and
// its licence. Everything shown comes from Rust (about_info), as text.

import * as api from "../api.js";
import { $, el } from "../dom.js";
import { t } from "../i18n.js";

function source({ title, citation, usedFor, limits }) {
  return el("li", { class: "source" },
    el("p", { class: "source-title" }, title),
    el("p", { class: "source-citation" }, citation),
    el("p", {}, t("source_used_for", { use: usedFor })),
    limits ? el("p", { class: "note" }, t("source_limits", { limits })) : null);
}

// Asked for once the window has drawn Today (app.js), not while it opens.
export function createAbout({ showError }) {
  const refresh = () => api.aboutInfo().then((about) => {
    $("#about-version").textContent = t("about_version", { version: about.version });
    $("#about-description").textContent = `${about.description}.`;
    $("#about-data-dir").textContent = about.dataDir;
    $("#about-uninstall").textContent = about.uninstall;
    $("#about-exported").textContent = about.backups.exported;
    $("#about-automatic").textContent = about.backups.automatic;
    $("#about-backups-dir").textContent = about.backups.automaticDir;
    $("#about-sources").replaceChildren(...about.sources.map(source));
    $("#about-licence").textContent = t("about_licence", { name: about.licence.name, summary: about.licence.summary });
    $("#about-copyright").textContent = about.licence.copyright;
  }, showError);
  return { refresh };
}
