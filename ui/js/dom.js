// Small DOM and formatting helpers. Person-written text only ever reaches the page
// through textContent (el's children), never as markup.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Create an element with attributes and text or child nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Today's date in the person's time zone, as YYYY-MM-DD. */
export function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function parseDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d);
}

// Date formats, made once: toLocaleDateString makes a new formatter on every call, and a
// list of a thousand days made a thousand (slow, and memory the page kept).
const formats = new Map();
function format(options) {
  const key = JSON.stringify(options);
  let made = formats.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(undefined, options);
    formats.set(key, made);
  }
  return made;
}

/** "27 Nov", or "27 Nov 2024" when not this year. */
export function shortDay(day) {
  const date = parseDay(day);
  const sameYear = date.getFullYear() === new Date().getFullYear();
  return format(sameYear ? { day: "numeric", month: "short" } : { day: "numeric", month: "short", year: "numeric" })
    .format(date);
}

/** "Friday, 27 November". */
export function longToday() {
  return format({ weekday: "long", day: "numeric", month: "long" }).format(new Date());
}

/** "27 November 2026". */
export function longDay(day) {
  return format({ day: "numeric", month: "long", year: "numeric" }).format(parseDay(day));
}

/**
 * A Rust message shown on its own beside a field: Rust writes "is required: choose…"
 * to follow the field's name; alone it reads "Required: choose…".
 */
export function sentence(text) {
  const alone = (text ?? "").replace(/^is /, "");
  return alone ? alone[0].toUpperCase() + alone.slice(1) : alone;
}

/** Whether the OS asks for the dark theme. */
export const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");

/**
 * The theme chosen in Settings: "system" (follow the OS), "light" or "dark". Set on
 * <html data-theme> so the style sheet follows it; "system" removes the attribute.
 */
export function applyTheme(choice) {
  const root = document.documentElement;
  if (choice === "light" || choice === "dark") root.dataset.theme = choice;
  else delete root.dataset.theme;
}

/** The theme the page shows now, for the charts drawn in Rust. */
export function currentTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return darkQuery.matches ? "dark" : "light";
}

/**
 * The width in CSS pixels a chart in `element` (its card, or the image) is shown at:
 * the charts are drawn at that width so their text is never scaled down. A hidden
 * element measures as its nearest visible container.
 */
export function chartWidth(element) {
  const px = (style, ...names) => names.reduce((sum, name) => sum + (parseFloat(style[name]) || 0), 0);
  let inset = 0; // padding and borders of the hidden boxes between element and the measured one
  let cap = Infinity; // the narrowest max-width among those hidden boxes (a view's 860 px)
  for (let node = element; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (node.clientWidth > 0) {
      const width = node.clientWidth - px(style, "paddingLeft", "paddingRight") - inset;
      return Math.max(1, Math.round(Math.min(width, cap)));
    }
    if (node !== element) {
      const edges = px(style, "paddingLeft", "paddingRight", "borderLeftWidth", "borderRightWidth");
      // Every box is border-box (app.css), so max-width includes the box's own edges.
      const max = parseFloat(style.maxWidth);
      if (Number.isFinite(max)) cap = Math.min(cap, max - edges - inset);
      inset += edges;
    }
  }
  return 760;
}

// What a chart drawn in Rust is made of (plotters' SVG): anything else is left out.
const CHART_PARTS = new Set(["svg", "g", "rect", "line", "polyline", "polygon", "path", "circle", "text"]);

/**
 * A chart drawn in Rust (an SVG document) as an element of this page, so it is laid out
 * and painted with the page instead of decoded as an image a frame later. Only the
 * drawing's own parts and attributes are kept (no script, link or event handler could
 * come through even if Rust ever sent one); null when the text is not SVG.
 */
export function chartElement(text) {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = parsed.documentElement;
  const broken = parsed.getElementsByTagName("parsererror").length > 0;
  if (broken || root.namespaceURI !== "http://www.w3.org/2000/svg" || root.localName !== "svg") return null;
  for (const node of [root, ...root.querySelectorAll("*")]) {
    if (!CHART_PARTS.has(node.localName) || node.namespaceURI !== root.namespaceURI) {
      node.remove();
      continue;
    }
    for (const { name } of [...node.attributes]) {
      if (/^on|href$/i.test(name)) node.removeAttribute(name);
    }
  }
  root.setAttribute("aria-hidden", "true");
  return document.importNode(root, true);
}

/**
 * A message from Rust shown on its own, as a sentence: "That passphrase does not open
 * this backup; check it and try again (nothing was changed)."
 */
export function asSentence(text) {
  const said = sentence(text);
  return said && !/[.?!]$/.test(said) ? `${said}.` : said;
}
