// Tiny DOM helpers: build elements without innerHTML, so text from the server is never parsed
// as markup (persona descriptions, scripts and error messages are model output).

/**
 * Create an element.
 * attrs: `class`, `text`, `dataset` (object), `on` (object of listeners), booleans
 * (true → empty attribute, false/null/undefined → omitted), anything else as an attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "on") {
      for (const [type, listener] of Object.entries(value)) el.addEventListener(type, listener);
    } else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Append children, skipping null/false and turning strings into text nodes. */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** `document.getElementById` that fails loudly: a missing id is a bug in index.html. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el;
}

/** A short "12s" / "3 min" style duration. */
export function formatSeconds(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return s < 90 ? `${s}s` : `${Math.round(s / 60)} min`;
}

/** A local date-time for lists ("21 Nov, 14:17"), tolerant of missing or bad values. */
export function formatWhen(iso) {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return "";
  return date.toLocaleString(undefined, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
}
