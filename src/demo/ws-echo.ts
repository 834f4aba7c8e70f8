// The demo target's WebSocket echo at `/ws` (protocol-routes.ts `DEMO_ROUTES`): every text or
// binary message comes back as it was sent, and is counted as one `ws` message in `/_stats`
// (`byProtocol.ws`, `byPath["/ws"]`); the upgrade request itself is an HTTP request. Messages
// are bounded in size by the server's `websocket` hook (server.ts MAX_WS_MESSAGE_BYTES); pings
// are answered by Bun.serve itself.
import type { DemoRoute } from "./protocol-routes.ts";

export const WS_PATH = "/ws";
const PROTOCOL = "ws";

export const wsEcho: DemoRoute = (request, ctx) => {
  const upgraded = ctx.upgrade(request, {
    message(ws, message) {
      ctx.state.stats.count(WS_PATH, PROTOCOL);
      ws.send(message);
    },
  });
  return upgraded ? undefined : new Response("/ws is a WebSocket echo: connect with a WebSocket client (ws://…/ws)\n", { status: 426 });
};
