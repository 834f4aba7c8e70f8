// What in an HTML page would make a browser fetch a URL, for tests of self-contained pages.

/** Every place where HTML or CSS would make the browser fetch a URL. */
export function fetchingReferences(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/\b(?:src|href|action|poster|srcset|data)\s*=\s*["']?\s*(?:https?:|\/\/)[^"'\s>]*/gi)) found.push(m[0]);
  for (const m of html.matchAll(/url\(\s*["']?\s*(?:https?:|\/\/)[^)]*\)/gi)) found.push(m[0]);
  for (const m of html.matchAll(/@import\b[^;]*/gi)) found.push(m[0]);
  for (const m of html.matchAll(/<(?:link|iframe|img|object|embed)\b[^>]*>/gi)) found.push(m[0]);
  for (const m of html.matchAll(/<script\b[^>]*\bsrc\s*=/gi)) found.push(m[0]);
  return found;
}
