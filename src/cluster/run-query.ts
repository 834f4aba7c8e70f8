// The query of GET /api/runs (docs/api.md): search, status, verdict, a submission-time range and
// a page, read from the URL's parameters with every unknown parameter and bad value refused in
// words. Pure.
import { ALL_RUN_STATUSES } from "./api-types.ts";
import type { RunQuery } from "./store.ts";

/** Most runs one page of GET /api/runs holds. */
const MAX_RUNS_PAGE = 500;

const RUN_QUERY_PARAMETERS = ["search", "status", "verdict", "from", "to", "limit", "offset"];

/** GET /api/runs?search=&status=&verdict=&from=&to=&limit=&offset= (docs/api.md). */
export function runQueryOf(params: URLSearchParams): RunQuery | { error: string } {
  for (const key of params.keys()) {
    if (!RUN_QUERY_PARAMETERS.includes(key)) return { error: `unknown query parameter ${JSON.stringify(key.slice(0, 40))} (GET /api/runs takes ${RUN_QUERY_PARAMETERS.join(", ")})` };
  }
  const count = (name: string, max: number): number | undefined | { error: string } => {
    const text = params.get(name);
    if (text === null) return undefined;
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 && n <= max ? n : { error: `${name} must be a whole number from 0 to ${max} (got ${JSON.stringify(text.slice(0, 20))})` };
  };
  const limit = count("limit", MAX_RUNS_PAGE);
  const offset = count("offset", Number.MAX_SAFE_INTEGER);
  const from = count("from", Number.MAX_SAFE_INTEGER);
  const to = count("to", Number.MAX_SAFE_INTEGER);
  for (const c of [limit, offset, from, to]) if (typeof c === "object") return c;
  const verdict = params.get("verdict") || undefined;
  if (verdict !== undefined && verdict !== "passed" && verdict !== "failed") return { error: `verdict must be passed or failed (got ${JSON.stringify(verdict.slice(0, 20))})` };
  const status = params.get("status") || undefined;
  if (status !== undefined && !(ALL_RUN_STATUSES as readonly string[]).includes(status)) return { error: `status must be one of ${ALL_RUN_STATUSES.join(", ")} (got ${JSON.stringify(status.slice(0, 20))})` };
  const search = (params.get("search") ?? "").slice(0, 200) || undefined;
  const n = (v: number | undefined | { error: string }) => (typeof v === "number" ? v : undefined);
  return {
    ...(search ? { search } : {}), ...(status ? { status } : {}), ...(verdict ? { verdict } : {}),
    ...(n(from) !== undefined ? { from: n(from) } : {}), ...(n(to) !== undefined ? { to: n(to) } : {}),
    ...(n(limit) !== undefined ? { limit: n(limit) } : {}), ...(n(offset) !== undefined ? { offset: n(offset) } : {}),
  };
}
