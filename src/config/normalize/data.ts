// `data:` feeds — each CSV is read and parsed at load time, so a missing file or a bad row is a
// config error at the `csv` key, and templates can be checked against the real columns.
import { FEED_MODES, type DataFeed, type FeedMode } from "../plan.ts";
import { parseCsv } from "../csv.ts";
import { addFile, isRecord, rec, str, type NormalizeContext } from "./context.ts";

/** Loads every feed; registers each feed's columns in `ctx.feeds` (undefined when unreadable). */
export function loadFeeds(raw: unknown, ctx: NormalizeContext): Record<string, DataFeed> {
  const feeds: Record<string, DataFeed> = {};
  for (const [name, spec] of Object.entries(rec(raw))) {
    ctx.feeds.set(name, undefined);
    if (!isRecord(spec)) continue;
    const path = str(spec.csv);
    if (path === undefined) continue;
    const mode = (FEED_MODES as readonly unknown[]).includes(spec.mode) ? (spec.mode as FeedMode) : "sequential";
    addFile(ctx, path);
    const at = ["data", name, "csv"];
    const read = ctx.planFiles.readText(path, "CSV file");
    if (!read.ok) {
      ctx.issues.error(at, read.message, { hint: read.hint });
      continue;
    }
    const file = ctx.planFiles.describe(path);
    const text = read.text;
    const table = parseCsv(text);
    if ("error" in table) {
      ctx.issues.error(at, `CSV file ${file}: ${table.error}`);
      continue;
    }
    ctx.feeds.set(name, [...table.columns]);
    if (table.length === 0) {
      ctx.issues.error(at, `CSV file ${file} has a header but no data rows`, { hint: "add at least one row" });
      continue;
    }
    feeds[name] = { name, path, mode, columns: table.columns, rows: table, loc: ctx.issues.locate(["data", name], "key") };
  }
  return feeds;
}
