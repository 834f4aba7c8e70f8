// Server-side helpers to put text, data and a browser bundle (src/ui-kit/bundle.ts) into one
// self-contained HTML page. Pure. Every helper returns markup that is safe to concatenate: text
// is escaped, inline scripts and styles cannot end early, embedded JSON cannot break out.
import type { BrowserBundle } from "./bundle.ts";

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** `<script type="module">` with `js` inline; a `</script` inside the code cannot close the element. */
export function inlineScript(js: string): string {
  return `<script type="module">${js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--")}</script>`;
}

/** `<style>` with `css` inline. */
export function inlineStyle(css: string): string {
  return `<style>${css.replace(/<\/(style)/gi, "<\\/$1")}</style>`;
}

/**
 * Data for the page's script: `<script type="application/json" id=ID>`. Read it in the browser
 * with `JSON.parse(document.getElementById(ID).textContent)` (src/ui-kit/browser/page-data.ts).
 */
export function jsonScript(id: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return `<script type="application/json" id="${escapeHtml(id)}">${json}</script>`;
}

export interface PageParts {
  title: string;
  bundle: BrowserBundle;
  /** Server-rendered markup (already escaped), shown before the script runs and when printed. */
  body: string;
  /** Embedded with jsonScript under `dataId`. */
  data?: { id: string; value: unknown };
  /** Extra CSS after the bundle's. */
  css?: string;
}

/** One complete HTML document with everything inline: it makes no network request. */
export function htmlPage(parts: PageParts): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No request may leave the page: scripts and styles inline only, images from data: only.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(parts.title)}</title>`,
    inlineStyle(parts.bundle.css + (parts.css ?? "")),
    "</head>",
    "<body>",
    parts.body,
    parts.data ? jsonScript(parts.data.id, parts.data.value) : "",
    inlineScript(parts.bundle.js),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
