// deploy/grafana/loadr.json imports into Grafana as it is: a dashboard model (not an export with
// __inputs to fill in), its Prometheus chosen by a datasource variable, every variable a query
// uses defined, panels on Grafana's 24-column grid without overlaps. (What the queries find in a
// real Prometheus is checked by test/integration/outputs/prometheus-otlp-run.test.ts.)
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Array<{ refId: string; expr: string; datasource: { uid: string } }>;
}

const dashboard = JSON.parse(readFileSync(join(import.meta.dir, "..", "..", "..", "deploy", "grafana", "loadr.json"), "utf8")) as {
  uid: string;
  title: string;
  schemaVersion: number;
  __inputs?: unknown;
  templating: { list: Array<{ name: string; type: string; query: unknown }> };
  panels: Panel[];
};

const GRAFANA_VARIABLES = ["__rate_interval", "__range", "__interval"];

describe("the Grafana dashboard", () => {
  test("is a dashboard model with a uid, a title and a datasource variable for Prometheus", () => {
    expect(dashboard.uid).toBe("loadr-overview");
    expect(dashboard.title).toBe("loadr");
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.__inputs).toBeUndefined();
    expect(dashboard.templating.list[0]).toMatchObject({ name: "datasource", type: "datasource", query: "prometheus" });
  });

  test("every panel and query uses the datasource variable; every $variable is defined", () => {
    const defined = new Set([...dashboard.templating.list.map((v) => v.name), ...GRAFANA_VARIABLES]);
    for (const panel of dashboard.panels.filter((p) => p.type !== "row")) {
      expect(panel.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(panel.targets!.length).toBeGreaterThan(0);
      for (const t of panel.targets!) {
        expect(t.datasource.uid).toBe("${datasource}");
        for (const [, name] of t.expr.matchAll(/\$(\w+)/g)) expect(defined.has(name!)).toBe(true);
      }
      expect(new Set(panel.targets!.map((t) => t.refId)).size).toBe(panel.targets!.length);
    }
    for (const v of dashboard.templating.list.slice(1)) {
      for (const [, name] of JSON.stringify(v.query).matchAll(/\$(\w+)/g)) expect(defined.has(name!)).toBe(true);
    }
  });

  test("panels have unique ids and sit on the 24-column grid without overlapping", () => {
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    const cells = new Set<string>();
    for (const { gridPos: g, title } of dashboard.panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          const cell = `${x},${y}`;
          if (cells.has(cell)) throw new Error(`panel "${title}" overlaps another at ${cell}`);
          cells.add(cell);
        }
      }
    }
  });
});
