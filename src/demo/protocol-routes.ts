// Protocol endpoints the demo target serves on its HTTP port (`/ws`, `/events`, `/graphql` …), by
// exact path: an explicit map (no side-effect registration). A protocol's endpoint is one file
// exporting a `DemoRoute` plus one line below; routes.ts answers a path found here before its own
// endpoints. The HTTP server has already counted the request (`byProtocol.http`); a route counts
// the protocol's own messages itself (`ctx.state.stats.count(path, protocol)`).
import type { ServerWebSocket } from "bun";
import { graphqlRoute } from "./graphql-route.ts";
import type { DemoState } from "./routes.ts";
import { EVENTS_PATH, sseEvents } from "./sse-events.ts";
import { wsEcho, WS_PATH } from "./ws-echo.ts";

/**
 * What a WebSocket route does with an upgraded socket. The server's `websocket` handlers
 * (server.ts) dispatch to the handler the route upgraded the socket with, so each route keeps its
 * own; messages are bounded in size there (MAX_WS_MESSAGE_BYTES).
 */
export interface DemoSocketHandler {
  open?(ws: DemoSocket): void;
  message(ws: DemoSocket, message: string | Buffer): void;
  close?(ws: DemoSocket, code: number, reason: string): void;
}

export type DemoSocket = ServerWebSocket<DemoSocketHandler>;

export interface RouteContext {
  readonly state: DemoState;
  /**
   * Upgrades `request` to a WebSocket served by `handler`. True when it did: the route then
   * returns undefined (the socket answers from now on). False when the request is not an upgrade
   * the server accepts: answer it with a Response (e.g. 426).
   */
  upgrade(request: Request, handler: DemoSocketHandler): boolean;
}

/** A route: a Response, or undefined once it has upgraded the request (`ctx.upgrade`). */
export type DemoRoute = (request: Request, ctx: RouteContext) => Response | undefined | Promise<Response | undefined>;

export const DEMO_ROUTES: Readonly<Record<string, DemoRoute>> = {
  "/graphql": graphqlRoute,
  [WS_PATH]: wsEcho,
  [EVENTS_PATH]: sseEvents,
};
