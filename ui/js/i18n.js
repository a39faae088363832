// The string catalogue. Every word the window shows comes from one file per language
// in js/strings/ (en.js is the source); a translation is one new file there, named by
// its language tag (de.js, pt-BR.js), holding the same keys. Missing keys fall back
// to English, so a partial translation still shows every string.
//
// Strings may hold {name} placeholders. Counts pick `key_one` or `key_other`.

import en from "./strings/en.js";

let strings = en;
let locale = "en";
// The plural rules and the number format of the catalogue's language (numbers are written
// the way the words around them are: the page served from Rust writes them so too), made once
// (each Intl object is slow to make, the page's first ones most: ICU loads its data then).
let formats = null;
const numberFormats = () =>
  (formats ??= { plurals: new Intl.PluralRules(locale), numbers: new Intl.NumberFormat(locale) });

/** Load the catalogue for the person's language, if there is one. */
export async function loadStrings(languages = navigator.languages ?? [navigator.language]) {
  for (const tag of languages) {
    for (const candidate of [tag, tag.split("-")[0]]) {
      if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?$/.test(candidate)) continue;
      if (candidate === "en") return;
      try {
        const module = await import(`./strings/${candidate}.js`);
        strings = { ...en, ...module.default };
        locale = candidate;
        formats = null;
        return;
      } catch {
        // No catalogue for this language; try the next one.
      }
    }
  }
}

export const currentLocale = () => locale;

/** The string for `key`, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = strings[key] ?? en[key];
  if (text === undefined) {
    console.warn(`rebound: no string for ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** `count` written the way the catalogue's language writes numbers ("10,000"). */
export const number = (count) => numberFormats().numbers.format(count);

/** Make the number and plural formats now (while the page waits), not when first used. */
export function prepareFormats() {
  numberFormats();
}

/** The singular or plural form of `key` for `count` (also given to the string as {n}). */
export function plural(key, count, vars = {}) {
  const rule = numberFormats().plurals.select(count);
  const form = `${key}_${rule}`;
  const chosen = strings[form] ?? en[form] ? form : `${key}_other`;
  return t(chosen, { n: number(count), ...vars });
}

/** Fill every `data-t` element's text, and `data-t-<attribute>` attributes, under `root`. */
export function applyStrings(root = document) {
  for (const node of root.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const attribute of ["placeholder", "aria-label", "title", "alt"]) {
    for (const node of root.querySelectorAll(`[data-t-${attribute}]`)) {
      node.setAttribute(attribute, t(node.getAttribute(`data-t-${attribute}`)));
    }
  }
  document.documentElement.lang = locale;
}
