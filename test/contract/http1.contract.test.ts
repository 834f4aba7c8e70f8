import { http1Handler } from "../../src/protocols/http1/index.ts";
import type { ResolvedRequest } from "../../src/protocols/types.ts";
import { closedPort, silentServer } from "../helpers/bad-servers.ts";
import { protocolHandlerContract } from "./protocol-handler.contract.ts";

const request = (url: string, timeout = 5_000): ResolvedRequest => ({
  name: "contract",
  method: "GET",
  url,
  headers: [],
  timeout,
  connectTimeout: 2_000,
  maxRedirects: 0,
  tls: { insecure: false },
});

protocolHandlerContract(http1Handler, async () => {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("ok") });
  const silent = await silentServer();
  const refused = await closedPort();
  return {
    ok: request(`http://127.0.0.1:${server.port}/`),
    refused: request(`http://127.0.0.1:${refused}/`),
    silent: request(`${silent.url}/`, 300),
    async stop() {
      server.stop(true);
      await silent.stop();
    },
  };
});
