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

/** "27 Nov", or "27 Nov 2024" when not this year. */
export function shortDay(day) {
  const date = parseDay(day);
  const sameYear = date.getFullYear() === new Date().getFullYear();
  return date.toLocaleDateString(undefined, {
    day: "numeric", month: "short", year: sameYear ? undefined : "numeric",
  });
}

/** "Friday, 27 November". */
export function longToday() {
  return new Date().toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" });
}

/** "27 November 2026". */
export function longDay(day) {
  return parseDay(day).toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" });
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
export const currentTheme = () => (darkQuery.matches ? "dark" : "light");
