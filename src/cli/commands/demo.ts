// `loadr demo`: runs the built-in demo target until SIGINT/SIGTERM, then stops it cleanly. Each
// registered demo listener (src/demo/listeners/index.ts) gets its `--<name>-port` flag here, from
// the map; at start the command prints one line per endpoint, `<name>  <address>`, after its
// first line (`loadr demo target listening on <url>`), all in one write.
import { defineCommand, type ArgsDef } from "citty";
import { EXIT_FAILURE, EXIT_INVALID_CONFIG, EXIT_OK } from "../../shared/exit-codes.ts";
import { DEMO_LISTENERS } from "../../demo/listeners/index.ts";
import type { DemoListener } from "../../demo/listeners/types.ts";
import type { DemoEndpoint } from "../../demo/server.ts";

/** The port a flag asks for, or a message naming the flag. */
function portOf(flag: string, raw: string | undefined, fallback: number): number | string {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    return `${flag} must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`;
  }
  return port;
}

/** One line per endpoint: its name padded to the longest, two spaces, its address. */
function endpointLines(endpoints: readonly DemoEndpoint[]): string[] {
  const width = Math.max(...endpoints.map((e) => e.name.length));
  return endpoints.map((e) => `${e.name.padEnd(width)}  ${e.address}`);
}

/** The command for these listeners (the registered ones for the CLI; tests pass others). */
export function demoCommand(listeners: Readonly<Record<string, DemoListener>>) {
  const listenerArgs: ArgsDef = Object.fromEntries(
    Object.values(listeners).map((l) => [l.flag.replace(/^--/, ""), { type: "string", description: `Port of the ${l.name} listener (0 or omitted picks a free one)` }]),
  );
  return defineCommand({
    meta: { name: "demo", description: "Run the built-in demo target server (for trying plans)" },
    args: {
      port: { type: "string", description: "Port to listen on (0 picks a free one)", default: "8080" },
      host: { type: "string", description: "Address to listen on", default: "127.0.0.1" },
      ...listenerArgs,
    },
    async run({ args }) {
      const given = args as Record<string, string | undefined>;
      const port = portOf("--port", given.port, 8080);
      const listenerPorts: Record<string, number> = {};
      const problems = typeof port === "string" ? [port] : [];
      for (const [name, listener] of Object.entries(listeners)) {
        const wanted = portOf(listener.flag, given[listener.flag.replace(/^--/, "")], 0);
        if (typeof wanted === "string") problems.push(wanted);
        else listenerPorts[name] = wanted;
      }
      if (problems.length > 0 || typeof port === "string") {
        for (const problem of problems) process.stderr.write(`loadr: ${problem}\n`);
        return EXIT_INVALID_CONFIG;
      }
      const { startDemoServer, DemoListenError } = await import("../../demo/server.ts");
      let server: Awaited<ReturnType<typeof startDemoServer>>;
      try {
        server = await startDemoServer({ port, hostname: args.host, listeners, listenerPorts });
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        if (error instanceof DemoListenError) {
          process.stderr.write(`loadr: ${why}\n`);
          process.stderr.write(`  hint: pick another port with ${error.listener.flag} N (0 picks a free one)\n`);
        } else {
          process.stderr.write(`loadr: the demo target could not listen on ${args.host}:${port}: ${why}\n`);
          process.stderr.write("  hint: pick another port with --port N (0 picks a free one)\n");
        }
        return EXIT_FAILURE;
      }
      process.stdout.write([`loadr demo target listening on ${server.url}`, ...endpointLines(server.endpoints)].join("\n") + "\n");
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await server.stop();
      process.stdout.write("loadr demo target stopped\n");
      return EXIT_OK;
    },
  });
}

export default demoCommand(DEMO_LISTENERS);
