// A real redis-server (Debian's `redis-server` package) on a free loopback port, without
// persistence, for tests of the Redis example plugin; stopped by its PID. `command` sends one
// command over RESP and returns the reply's text (bulk strings and simple strings).
import { spawn, type Subprocess } from "bun";

export interface RedisServer {
  port: number;
  command(...args: string[]): Promise<string>;
  /** `INFO commandstats` as command → calls, e.g. { set: 10, get: 10 }. */
  commandCalls(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

async function freePort(): Promise<number> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

export async function startRedis(): Promise<RedisServer> {
  const binary = Bun.which("redis-server");
  if (!binary) throw new Error("redis-server is not installed: these tests need Debian's redis-server package (apt-get install redis-server)");
  const port = await freePort();
  const proc: Subprocess = spawn([binary, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdout: "ignore", stderr: "pipe" });
  const command = (...args: string[]) => send(port, args);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await command("PING")) === "PONG") break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill();
      throw new Error(`redis-server on port ${port} did not answer PING within ${START_TIMEOUT_MS / 1000} s (exit ${proc.exitCode})`);
    }
    await Bun.sleep(20);
  }
  return {
    port,
    command,
    async commandCalls() {
      const text = await command("INFO", "commandstats");
      const calls: Record<string, number> = {};
      for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1]!] = Number(m[2]);
      return calls;
    },
    async stop() {
      proc.kill();
      await proc.exited;
    },
  };
}

/** One command on a fresh connection; resolves with the reply's text, rejects on an error reply. */
function send(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error("no reply within 5 s")), 5000);
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(socket) {
          socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`);
        },
        data(socket, data) {
          buffer = Buffer.concat([buffer, data]);
          const text = buffer.toString("utf8");
          const lineEnd = text.indexOf("\r\n");
          if (lineEnd < 0) return;
          const done = (value: string | Error) => {
            clearTimeout(timer);
            socket.end();
            value instanceof Error ? reject(value) : resolve(value);
          };
          if (text[0] === "+") return done(text.slice(1, lineEnd));
          if (text[0] === "-") return done(new Error(text.slice(1, lineEnd)));
          if (text[0] === ":") return done(text.slice(1, lineEnd));
          if (text[0] === "$") {
            const length = Number(text.slice(1, lineEnd));
            const body = buffer.subarray(Buffer.byteLength(text.slice(0, lineEnd + 2)));
            if (body.length >= length + 2) done(body.subarray(0, length).toString("utf8"));
          }
        },
        error: (_s, error) => {
          clearTimeout(timer);
          reject(error);
        },
      },
    }).catch((error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
