// What the user sees while a distributed run goes (`loadr run --controller URL` / `--local-agents
// N`): the controller's live events (cluster/api-types.ts RunEventView) on the same live screen
// as a local run (live-screen.ts): status and agent changes as sentences, progress as the fleet
// line, one line per scenario and the run's line. It draws nothing until the controller says
// every active agent reported (`reporting`), so the first drawing shows the VUs that run.
//
// The events come from the controller over HTTP: a progress event that does not have the
// documented shape (docs/api.md) is skipped and counted, never drawn half-read.
import type { ProcessIO } from "../io.ts";
import type { ProgressEvent, RunEventView } from "../../cluster/api-types.ts";
import { readScenarioStatuses, MAX_SCENARIOS } from "../../core/run/scenario-progress.ts";
import type { LiveFrame } from "../../outputs/progress.ts";
import { LiveScreen } from "./live-screen.ts";

export class RemoteView {
  readonly #screen: LiveScreen;
  #skipped = 0;

  constructor(
    io: ProcessIO,
    private readonly quiet: boolean,
  ) {
    this.#screen = new LiveScreen(io, quiet);
  }

  /** Progress events skipped because they were malformed. */
  get skipped(): number {
    return this.#skipped;
  }

  /** A sentence for the user, on its own line (none when quiet). */
  say(text: string): void {
    if (!this.quiet) this.#screen.message(text);
  }

  event(event: RunEventView): void {
    switch (event.type) {
      case "status":
        this.say(`run ${event.status}: ${event.message}`);
        break;
      case "agent":
        this.say(`agent ${event.name} ${event.state}: ${event.message}`);
        break;
      case "progress": {
        const frame = frameOf(event);
        if (frame === undefined) {
          if (this.#skipped++ === 0) this.say("the controller sent a progress event loadr cannot read (a different loadr version?); the live view skips such events");
        } else if (event.reporting) {
          this.#screen.draw(frame, event.final);
        }
        break;
      }
      case "finished":
        break;
    }
  }
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** The live frame of a progress event; undefined when the event is malformed. */
function frameOf(e: ProgressEvent): LiveFrame | undefined {
  if (![e.elapsedMs, e.activeVus, e.maxVus].every(isCount)) return undefined;
  const f = e.fleet;
  if (typeof f !== "object" || f === null || ![f.agents, f.healthy, f.done, f.failed, f.lost].every(isCount)) return undefined;
  if (!Array.isArray(e.scenarios) || e.scenarios.length > MAX_SCENARIOS) return undefined;
  const names = new Set(e.scenarios.map((s) => (s as { name?: unknown })?.name).filter((n): n is string => typeof n === "string"));
  const scenarios = readScenarioStatuses(e.scenarios, names);
  if ("error" in scenarios) return undefined;
  const metrics = typeof e.metrics === "object" && e.metrics !== null ? e.metrics : {};
  const field = (metric: string, key: string): number | undefined => {
    const v = (metrics[metric] as Record<string, unknown> | undefined)?.[key];
    return typeof v === "number" && Number.isFinite(v) ? v : undefined;
  };
  return {
    elapsedMs: e.elapsedMs,
    vus: e.activeVus,
    maxVus: e.maxVus,
    reqPerSec: field("http_reqs", "rate") ?? null,
    p95Ms: field("http_req_duration", "p(95)") ?? null,
    errorRate: field("http_req_failed", "rate") ?? null,
    scenarios,
    fleet: { agents: f.agents, healthy: f.healthy, done: f.done, failed: f.failed, lost: f.lost },
  };
}
