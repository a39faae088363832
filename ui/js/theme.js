// The theme chosen in Settings (the system's, light or dark; this computer's setting),
// applied as the window opens. Its own small module, so the window's first paint does not
// wait for the Settings view's code (views/settings.js changes it, once loaded).

import * as api from "./api.js";
import { applyTheme } from "./dom.js";

let theme = "system";

/** The theme chosen in Settings: "system", "light" or "dark". */
export const chosenTheme = () => theme;

/** Apply the theme chosen in Settings, as read at start or just chosen. */
export function useTheme(chosen) {
  theme = chosen ?? "system";
  applyTheme(theme);
}

/**
 * Ask for plain sans-serif where system-ui draws the very same letters (it is not a
 * family of its own there): see app.css. Called before anything is laid out (a page
 * served with Today in it already asks as this computer was last found). Answers
 * whether the two are the same, or null if it cannot tell.
 */
export function plainSansWhereSame() {
  const context = document.createElement("canvas").getContext("2d");
  if (!context) return null;
  const sample = "Rebound: 0123456789 setbacks survived, WMQ iljf";
  const width = (font) => {
    context.font = font;
    return context.measureText(sample).width;
  };
  const same = width("64px system-ui, sans-serif") === width("64px sans-serif");
  document.documentElement.classList.toggle("plain-sans", same);
  return same;
}

/** Ask for the theme chosen in Settings and apply it, before the window shows anything. */
export async function loadTheme() {
  try {
    useTheme((await api.getAppearance()).theme);
  } catch {
    useTheme("system"); // the system's look is always a fine fallback
  }
}
