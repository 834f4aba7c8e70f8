// `loadr demo`: runs the built-in demo target until SIGINT/SIGTERM, then stops it cleanly.
import { defineCommand } from "citty";
import { EXIT_FAILURE, EXIT_INVALID_CONFIG, EXIT_OK } from "../../shared/exit-codes.ts";

export default defineCommand({
  meta: { name: "demo", description: "Run the built-in demo target server (for trying plans)" },
  args: {
    port: { type: "string", description: "Port to listen on (0 picks a free one)", default: "8080" },
    host: { type: "string", description: "Address to listen on", default: "127.0.0.1" },
  },
  async run({ args }) {
    const port = Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`loadr: --port must be an integer from 0 to 65535, got ${JSON.stringify(args.port)}\n`);
      return EXIT_INVALID_CONFIG;
    }
    const { startDemoServer } = await import("../../demo/server.ts");
    let server: Awaited<ReturnType<typeof startDemoServer>>;
    try {
      server = await startDemoServer({ port, hostname: args.host });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      process.stderr.write(`loadr: the demo target could not listen on ${args.host}:${port}: ${why}\n`);
      process.stderr.write("  hint: pick another port with --port N (0 picks a free one)\n");
      return EXIT_FAILURE;
    }
    process.stdout.write(`loadr demo target listening on ${server.url}\n`);
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
