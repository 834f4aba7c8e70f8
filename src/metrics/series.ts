// Series keys: a metric name plus its tags sorted by tag name, as one string.
//
// Format: `name` when there are no tags, else `name{k1=v1,k2=v2}` with the tags sorted by name and
// every `%`, `,`, `=`, `{`, `}` in names and values percent-escaped (`%2C` …), so a key is
// unambiguous whatever the tag values hold and still readable in logs and deltas.
//
// `seriesKey` sits on the hot path (every sample): it caches the key per tags object and metric
// name, and re-validates the cached entry against the object's current contents (a few
// comparisons), so a caller that mutates and reuses a tags object still gets the right key.
import type { SeriesKey, Tags } from "./types.ts";

const NEEDS_ESCAPE = /[%,={}]/;
const ESCAPE = /[%,={}]/g;
const escapeChar = (c: string): string => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
const escape = (s: string): string => (NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE, escapeChar) : s);
const unescape = (s: string): string => (s.includes("%") ? decodeURIComponent(s) : s);

interface CachedTags {
  /** Tag names, sorted. */
  names: string[];
  /** Values in the order of `names`, as last seen. */
  values: string[];
  /** The encoded `{…}` part ("" for no tags). */
  encoded: string;
  /** Key per metric name. */
  keys: Map<string, SeriesKey>;
}

const cache = new WeakMap<Tags, CachedTags>();

function encodeTags(names: string[], values: string[]): string {
  if (names.length === 0) return "";
  let out = "{";
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ",";
    out += escape(names[i]!) + "=" + escape(values[i]!);
  }
  return out + "}";
}

function describe(tags: Tags): CachedTags {
  const names = Object.keys(tags).sort();
  const values = names.map((n) => String(tags[n]));
  return { names, values, encoded: encodeTags(names, values), keys: new Map() };
}

/** True when `tags` still holds exactly what `cached` saw. No allocation. */
function stillMatches(tags: Tags, cached: CachedTags): boolean {
  const { names, values } = cached;
  let count = 0;
  for (const _ in tags) count++;
  if (count !== names.length) return false;
  for (let i = 0; i < names.length; i++) {
    if (tags[names[i]!] !== values[i]) return false;
  }
  return true;
}

/** The series key of `name` with `tags`. Hot path: cached per tags object. */
export function seriesKey(name: string, tags: Tags): SeriesKey {
  let cached = cache.get(tags);
  if (cached === undefined || !stillMatches(tags, cached)) {
    cached = describe(tags);
    cache.set(tags, cached);
  }
  let key = cached.keys.get(name);
  if (key === undefined) {
    key = escape(name) + cached.encoded;
    cached.keys.set(name, key);
  }
  return key;
}

/** Inverse of `seriesKey`. Not on the hot path (aggregator: once per new series). */
export function parseSeriesKey(key: SeriesKey): { name: string; tags: Tags } {
  const brace = key.indexOf("{");
  if (brace < 0) return { name: unescape(key), tags: {} };
  if (!key.endsWith("}")) throw new Error(`not a series key: ${key}`);
  const name = unescape(key.slice(0, brace));
  const tags: Tags = {};
  const body = key.slice(brace + 1, -1);
  if (body.length === 0) return { name, tags };
  for (const pair of body.split(",")) {
    const eq = pair.indexOf("=");
    if (eq < 0) throw new Error(`not a series key: ${key}`);
    tags[unescape(pair.slice(0, eq))] = unescape(pair.slice(eq + 1));
  }
  return { name, tags };
}

/** The metric name of a series key, without parsing its tags. */
export function seriesName(key: SeriesKey): string {
  const brace = key.indexOf("{");
  return unescape(brace < 0 ? key : key.slice(0, brace));
}

/** Whether `tags` holds every tag of `filter` with the same value (a sub-metric match). */
export function tagsMatch(tags: Tags, filter: Tags): boolean {
  for (const k in filter) {
    if (tags[k] !== filter[k]) return false;
  }
  return true;
}
