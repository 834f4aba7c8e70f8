// The controller's memory across restarts: runs (with their agent set and summary) and each
// run's per-second series, in SQLite (bun:sqlite) under --data-dir. Writes are synchronous and
// small; WAL mode keeps readers (the HTTP API) off the writer's back. Single process only.
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { exitCodeOf } from "../core/run/outcome.ts";
import type { RunStatus, RunView } from "./api-types.ts";

const DB_FILE = "controller.sqlite";

/** A page of the run history (GET /api/runs?search=&status=&limit=&offset=). */
export interface RunQuery {
  search?: string;
  status?: string;
  /** passed: exit 0; failed: ended with any other exit code (a failed threshold, an error, a stop). */
  verdict?: "passed" | "failed";
  /** Submitted at or after / before, unix ms. */
  from?: number;
  to?: number;
  limit?: number;
  offset?: number;
}
const SCHEMA_VERSION = 1;

export class ControllerStore {
  readonly #db: Database;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new Database(join(dataDir, DB_FILE), { create: true });
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 2000;");
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY,
        plan_name TEXT NOT NULL,
        plan_file TEXT NOT NULL,
        status TEXT NOT NULL,
        submitted_at INTEGER NOT NULL,
        ended_at INTEGER,
        exit_code INTEGER,
        view_json TEXT NOT NULL,
        plan_yaml TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS run_series (
        run_id TEXT NOT NULL,
        elapsed_ms INTEGER NOT NULL,
        data_json TEXT NOT NULL,
        PRIMARY KEY (run_id, elapsed_ms)
      );
      CREATE INDEX IF NOT EXISTS runs_submitted ON runs (submitted_at);
    `);
    this.#db.query("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
  }

  /** The controller id survives restarts, so agents see the same controller. */
  controllerId(make: () => string): string {
    const row = this.#db.query<{ value: string }, []>("SELECT value FROM meta WHERE key = 'controller_id'").get();
    if (row) return row.value;
    const id = make();
    this.#db.query("INSERT INTO meta (key, value) VALUES ('controller_id', ?)").run(id);
    return id;
  }

  saveRun(view: RunView, planYaml: string): void {
    this.#db
      .query(
        `INSERT INTO runs (id, plan_name, plan_file, status, submitted_at, ended_at, exit_code, view_json, plan_yaml)
         VALUES ($id, $name, $file, $status, $submitted, $ended, $exit, $view, $yaml)
         ON CONFLICT(id) DO UPDATE SET status = $status, ended_at = $ended, exit_code = $exit, view_json = $view`,
      )
      .run({
        $id: view.id, $name: view.planName, $file: view.planFile, $status: view.status, $submitted: view.submittedAtUnixMs,
        $ended: view.endedAtUnixMs ?? null, $exit: view.exitCode ?? null, $view: JSON.stringify(view), $yaml: planYaml,
      });
  }

  addSeries(runId: string, elapsedMs: number, data: Record<string, unknown>): void {
    this.#db.query("INSERT OR REPLACE INTO run_series (run_id, elapsed_ms, data_json) VALUES (?, ?, ?)").run(runId, Math.round(elapsedMs), JSON.stringify(data));
  }

  getRun(id: string): RunView | undefined {
    const row = this.#db.query<{ view_json: string }, [string]>("SELECT view_json FROM runs WHERE id = ?").get(id);
    return row ? (JSON.parse(row.view_json) as RunView) : undefined;
  }

  /**
   * Newest first; the summary and the run page's tables are left out of list entries (fetch the
   * run for them). `search` matches the plan name, plan file or run id (substring, any case);
   * `status` one status, `verdict` the exit code, `from`/`to` the submission time. `total`
   * counts every match, beyond the page.
   */
  listRuns(query: RunQuery = {}): { runs: RunView[]; total: number } {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.search) {
      where.push("(plan_name LIKE $q ESCAPE '\\' OR plan_file LIKE $q ESCAPE '\\' OR id LIKE $q ESCAPE '\\')");
      params.$q = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (query.status) {
      where.push("status = $status");
      params.$status = query.status;
    }
    if (query.verdict === "passed") where.push("exit_code = 0");
    if (query.verdict === "failed") where.push("exit_code IS NOT NULL AND exit_code <> 0");
    if (query.from !== undefined) {
      where.push("submitted_at >= $from");
      params.$from = query.from;
    }
    if (query.to !== undefined) {
      where.push("submitted_at < $to");
      params.$to = query.to;
    }
    const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    const total = this.#db.query<{ n: number }, [Record<string, string | number>]>(`SELECT COUNT(*) AS n FROM runs ${clause}`).get(params)?.n ?? 0;
    const runs = this.#db
      .query<{ view_json: string }, [Record<string, string | number>]>(`SELECT view_json FROM runs ${clause} ORDER BY submitted_at DESC, id DESC LIMIT $limit OFFSET $offset`)
      .all({ ...params, $limit: query.limit ?? 100, $offset: query.offset ?? 0 })
      .map((r) => {
        const { summary: _s, detail: _d, ...view } = JSON.parse(r.view_json) as RunView;
        return view;
      });
    return { runs, total };
  }

  /** The plan's YAML as submitted; undefined for no such run. */
  planYaml(id: string): string | undefined {
    return this.#db.query<{ plan_yaml: string }, [string]>("SELECT plan_yaml FROM runs WHERE id = ?").get(id)?.plan_yaml;
  }

  series(runId: string): Array<{ elapsedMs: number; data: Record<string, unknown> }> {
    return this.#db
      .query<{ elapsed_ms: number; data_json: string }, [string]>("SELECT elapsed_ms, data_json FROM run_series WHERE run_id = ? ORDER BY elapsed_ms")
      .all(runId)
      .map((r) => ({ elapsedMs: r.elapsed_ms, data: JSON.parse(r.data_json) }));
  }

  countByStatus(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.#db.query<{ status: string; n: number }, []>("SELECT status, COUNT(*) AS n FROM runs GROUP BY status").all()) out[r.status] = r.n;
    return out;
  }

  /**
   * At startup: runs that were in flight when the previous controller stopped can never finish;
   * they are marked interrupted. Returns their ids.
   */
  interruptUnfinished(now: number): string[] {
    const live: RunStatus[] = ["waiting", "starting", "running", "paused", "stopping"];
    const rows = this.#db
      .query<{ id: string; view_json: string }, []>(`SELECT id, view_json FROM runs WHERE status IN (${live.map((s) => `'${s}'`).join(",")})`)
      .all();
    for (const row of rows) {
      const view = JSON.parse(row.view_json) as RunView;
      view.status = "interrupted";
      view.endedAtUnixMs = now;
      view.exitCode = exitCodeOf("failed");
      view.error = "the controller stopped while this run was in flight";
      this.#db.query("UPDATE runs SET status = 'interrupted', ended_at = ?, exit_code = ?, view_json = ? WHERE id = ?").run(now, view.exitCode, JSON.stringify(view), row.id);
    }
    return rows.map((r) => r.id);
  }

  close(): void {
    this.#db.close();
  }
}
