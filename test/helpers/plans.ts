// Writes a plan (and any data files) into a fresh temporary directory, for tests that run plans.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StatsSnapshot } from "../../src/demo/stats.ts";

export interface PlanDir {
  dir: string;
  planPath: string;
  /** A path inside the directory. */
  path(name: string): string;
  cleanup(): void;
}

export function writePlan(yaml: string, files: Record<string, string> = {}): PlanDir {
  const dir = mkdtempSync(join(tmpdir(), "loadr-plan-"));
  const planPath = join(dir, "plan.yaml");
  writeFileSync(planPath, yaml);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, planPath, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function demoStats(url: string): Promise<StatsSnapshot> {
  const response = await fetch(`${url}/_stats`);
  return (await response.json()) as StatsSnapshot;
}
