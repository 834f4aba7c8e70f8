// The local control API of a running `loadr run --api 127.0.0.1:PORT`: status, pause, resume,
// stop and setting VUs of an externally-controlled scenario. JSON over HTTP, loopback by
// default; a non-loopback address must be asked for explicitly and is warned about.
import type { LocalRun } from "../../core/run/types.ts";
import { readScaleRequest } from "../../core/run/scale-request.ts";
import { ConfigError } from "../../shared/errors.ts";

export interface ControlApi {
  url: string;
  stop(): void;
}

export interface ControlApiHandlers {
  run: LocalRun;
  /** Graceful stop through the same path as Ctrl-C. */
  stop(): void;
  /** Names of scenarios that accept `scale` (core/run/scale-request.ts `scalableScenarios`). */
  scalable: readonly string[];
}

/** Parses `--api` as `HOST:PORT` or `PORT` (host 127.0.0.1). */
export function parseApiAddress(text: string): { hostname: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || !(port >= 0 && port < 65536)) {
    throw new ConfigError(`--api expects HOST:PORT or PORT, got "${text}"`, "for example --api 127.0.0.1:6565");
  }
  return { hostname: (match[1] ?? "127.0.0.1").replace(/^\[|\]$/g, ""), port };
}

export function startControlApi(address: { hostname: string; port: number }, handlers: ControlApiHandlers): ControlApi {
  const json = (body: unknown, status = 200) => Response.json(body, { status });
  const server = Bun.serve({
    hostname: address.hostname,
    port: address.port,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (request.method === "GET" && (path === "/v1/status" || path === "/status")) return json(handlers.run.status());
      if (request.method !== "POST") return json({ error: `no route ${request.method} ${path}` }, 404);
      switch (path) {
        case "/v1/pause":
          handlers.run.pause();
          return json(handlers.run.status());
        case "/v1/resume":
          handlers.run.resume();
          return json(handlers.run.status());
        case "/v1/stop":
          handlers.stop();
          return json(handlers.run.status());
        case "/v1/scale": {
          const scale = readScaleRequest(await request.json().catch(() => undefined), handlers.scalable);
          if ("error" in scale) return json({ error: scale.error }, 400);
          handlers.run.scale(scale.scenario, scale.vus);
          return json(handlers.run.status());
        }
        default:
          return json({ error: `no route POST ${path}` }, 404);
      }
    },
  });
  return { url: `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${server.port}`, stop: () => server.stop(true) };
}
