// `data:` feeds — each CSV is read and parsed at load time, so a missing file or a bad row is a
// config error at the `csv` key, and templates can be checked against the real columns.
import { readFileSync } from "node:fs";
import { FEED_MODES, type DataFeed, type FeedMode } from "../plan.ts";
import { parseCsv } from "../csv.ts";
import { addFile, isRecord, rec, resolveFile, str, type NormalizeContext } from "./context.ts";

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
    const file = resolveFile(ctx, path);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message =
        code === "ENOENT"
          ? `CSV file not found: ${file}`
          : code === "EISDIR"
            ? `CSV path is a directory: ${file}`
            : `cannot read CSV file ${file}: ${(error as Error).message}`;
      ctx.issues.error(at, message, { hint: "paths are relative to the plan's directory; create the file or fix the path" });
      continue;
    }
    const table = parseCsv(text);
    if ("error" in table) {
      ctx.issues.error(at, `CSV file ${file}: ${table.error}`);
      continue;
    }
    ctx.feeds.set(name, table.columns);
    if (table.rows.length === 0) {
      ctx.issues.error(at, `CSV file ${file} has a header but no data rows`, { hint: "add at least one row" });
      continue;
    }
    feeds[name] = { name, path, mode, columns: table.columns, rows: table.rows, loc: ctx.issues.locate(["data", name], "key") };
  }
  return feeds;
}
