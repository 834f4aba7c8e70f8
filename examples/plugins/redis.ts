// A Redis protocol plugin (docs/plugins.md): RESP over TCP, one connection per VU and target,
// one command at a time. Load it with `plugins: [./redis.ts]` (or `loadr run --plugin`).
//
//   - redis:
//       target: 127.0.0.1:6379            host:port (templated)
//       command: [SET, "user:${vu}", "${iteration}"]   each argument templated
//       name: set user                     the `name` tag (default: the command's first word)
//       timeout: 5s                        connect + reply (default 10s)
//       checks:                            the reply as a response: status 200 (a RESP error: 500;
//         - reply: OK                      no connection: 0), body = the reply as text (an array as
//         - body: { contains: O }          JSON); `reply: TEXT` passes when the reply is exactly TEXT
//       extract:
//         value: { reply: text }           the reply as text (shared kinds work on the body too)
//
// Metrics: `redis_commands` (counter) and `redis_command_duration` (time trend), tagged with
// `command`, `name`, `ok` ("true"/"false"), `scenario` and `group`.
import type { Socket } from "bun";
import {
  checkMap,
  defineMetric,
  definePlugin,
  durationSchema,
  list,
  missMessage,
  ms,
  optional,
  rec,
  runChecks,
  runExtractors,
  scalar,
  strict,
  stringSchema,
  template,
  type CheckKind,
  type CheckSpec,
  type ExtractKind,
  type ExtractSpec,
  type ProtocolHandler,
  type ResponseView,
  type Session,
  type StepKind,
  type Template,
} from "loadr:sdk";

/** A reply larger than this closes the connection as malformed. */
const MAX_REPLY_BYTES = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

type Reply = string | number | null | Reply[] | { error: string };

interface RedisSpec {
  target: Template;
  command: Template[];
  name: string | undefined;
  timeoutMs: number;
  checks: CheckSpec[];
  extract: ExtractSpec[];
}

/** Parses one RESP reply at `at`; undefined when more bytes are needed. Throws on a malformed stream. */
function parseReply(buf: Buffer, at: number): { reply: Reply; end: number } | undefined {
  if (at >= buf.length) return undefined;
  const lineEnd = buf.indexOf("\r\n", at);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[at]!);
  const line = buf.toString("utf8", at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return { reply: line, end: next };
    case "-":
      return { reply: { error: line }, end: next };
    case ":":
      return { reply: Number(line), end: next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { reply: null, end: next };
      if (!Number.isSafeInteger(length) || length > MAX_REPLY_BYTES) throw new Error(`bulk string of ${line} bytes`);
      if (buf.length < next + length + 2) return undefined;
      return { reply: buf.toString("utf8", next, next + length), end: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { reply: null, end: next };
      if (!Number.isSafeInteger(count) || count > 1_000_000) throw new Error(`array of ${line} elements`);
      const items: Reply[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, end);
        if (!item) return undefined;
        items.push(item.reply);
        end = item.end;
      }
      return { reply: items, end };
    }
    default:
      throw new Error(`unexpected byte ${JSON.stringify(type)}`);
  }
}

function encodeCommand(args: readonly string[]): Buffer {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return Buffer.from(out);
}

function replyText(reply: Reply): string {
  if (reply === null) return "";
  if (typeof reply === "string") return reply;
  if (typeof reply === "number") return String(reply);
  if (Array.isArray(reply)) return JSON.stringify(reply.map((r) => (Array.isArray(r) || r === null || typeof r !== "object" ? r : `ERR ${r.error}`)));
  return reply.error;
}

/** One connection; one command at a time. Resolves exactly once per command (a reply or an error message). */
class RedisConnection {
  private socket: Socket<undefined> | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((result: Reply | Error) => void) | undefined;
  private closed: Error | undefined;

  static connect(hostname: string, port: number, timeoutMs: number): Promise<RedisConnection | Error> {
    const conn = new RedisConnection();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        conn.close();
        resolve(new Error(`connecting to ${hostname}:${port} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      Bun.connect<undefined>({
        hostname,
        port,
        socket: {
          open(socket) {
            clearTimeout(timer);
            conn.socket = socket;
            resolve(conn);
          },
          data: (_s, data) => conn.onData(data),
          close: () => conn.fail(new Error("the server closed the connection")),
          error: (_s, error) => conn.fail(error),
          connectError(_s, error) {
            clearTimeout(timer);
            resolve(new Error(`cannot connect to ${hostname}:${port}: ${error.message}`));
          },
        },
      }).catch((error: Error) => {
        clearTimeout(timer);
        resolve(new Error(`cannot connect to ${hostname}:${port}: ${error.message}`));
      });
    });
  }

  get usable(): boolean {
    return this.socket !== undefined && this.closed === undefined;
  }

  send(args: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<Reply | Error> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fail(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
      const onAbort = () => this.fail(new Error("aborted (the run is stopping)"));
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting = (result) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(result);
      };
      this.socket!.write(encodeCommand(args));
    });
  }

  private onData(data: Buffer): void {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    if (this.buffer.length > MAX_REPLY_BYTES) return this.fail(new Error(`a reply passed ${MAX_REPLY_BYTES} bytes`));
    let parsed;
    try {
      parsed = parseReply(this.buffer, 0);
    } catch (error) {
      return this.fail(new Error(`malformed reply: ${(error as Error).message}`));
    }
    if (!parsed) return;
    this.buffer = this.buffer.subarray(parsed.end);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(parsed.reply);
  }

  private fail(error: Error): void {
    if (!this.closed) this.closed = error;
    this.close();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(error);
  }

  close(): void {
    this.socket?.end();
  }
}

interface RedisSession extends Session {
  connection(target: string, timeoutMs: number): Promise<RedisConnection | Error>;
}

const handler: ProtocolHandler<RedisSession> = {
  protocol: "redis",
  openSession() {
    const connections = new Map<string, RedisConnection>();
    return {
      async connection(target, timeoutMs) {
        const open = connections.get(target);
        if (open?.usable) return open;
        const colon = target.lastIndexOf(":");
        const port = Number(target.slice(colon + 1));
        if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) return new Error(`target "${target}" is not host:port`);
        const conn = await RedisConnection.connect(target.slice(0, colon).replace(/^\[|\]$/g, ""), port, timeoutMs);
        if (!(conn instanceof Error)) connections.set(target, conn);
        return conn;
      },
      close() {
        for (const conn of connections.values()) conn.close();
        connections.clear();
      },
    };
  },
};

/** `reply: TEXT`: the reply, as text, is exactly TEXT (templated). */
const replyCheck: CheckKind<{ text: Template }> = {
  key: "reply",
  schema: checkMap({ reply: scalar }, "reply check"),
  normalize: (raw, path, ctx, env) => ({ spec: { text: template(ctx, raw.reply, [...path, "reply"], env) }, name: `reply is ${String(raw.reply)}` }),
  evaluate: (spec, response, scope) => response.body === spec.text.render(scope),
};

/** `{ reply: text }`: the whole reply as text. */
const replyExtraction: ExtractKind<{}> = {
  key: "reply",
  schema: strict({ reply: stringSchema('"text"') }, "reply extraction"),
  normalize: () => ({}),
  extract: (_spec, response) => (response.status === 200 ? response.body : undefined),
  describe: () => "the reply",
};

const REDIS_CHECKS = { reply: replyCheck };
const REDIS_EXTRACTIONS = { reply: replyExtraction };

const redisStep: StepKind<RedisSpec> = {
  key: "redis",
  schema: (sc) =>
    strict(
      {
        redis: strict(
          {
            target: scalar,
            command: list(scalar, "command words", 1, "needs the command, e.g. [PING]"),
            name: optional(stringSchema()),
            timeout: optional(durationSchema),
            checks: optional(sc.checks(REDIS_CHECKS)),
            extract: optional(sc.extractions(REDIS_EXTRACTIONS)),
          },
          "redis step",
        ),
      },
      "redis step",
    ),
  normalize(raw, path, nc) {
    const { ctx, env } = nc;
    const body = rec(raw.redis);
    const at = [...path, "redis"];
    const command = Array.isArray(body.command) ? body.command.map((word, i) => template(ctx, word, [...at, "command", i], env)) : [];
    return {
      target: template(ctx, body.target, [...at, "target"], env),
      command,
      name: typeof body.name === "string" ? body.name : undefined,
      timeoutMs: ms(body.timeout, DEFAULT_TIMEOUT_MS),
      checks: nc.normalizeChecks(body.checks, [...at, "checks"], REDIS_CHECKS),
      extract: nc.normalizeExtractions(body.extract, [...at, "extract"], REDIS_EXTRACTIONS),
    };
  },
  compile(spec, loc, cc) {
    const first = spec.command[0];
    const commandName = first?.isStatic ? first.render({} as never).toUpperCase() : undefined;
    const checks = cc.compileChecks(spec.checks, cc.group);
    const extract = cc.compileExtractions(spec.extract);
    const base = { ...cc.tags, scenario: cc.scenario, group: cc.group };
    return {
      kind: "redis",
      loc,
      async run(vu, signal) {
        const args = spec.command.map((word) => word.render(vu.scope));
        const command = commandName ?? (args[0] ?? "").toUpperCase();
        const start = performance.now();
        const conn = await vu.session<RedisSession>("redis").connection(spec.target.render(vu.scope), spec.timeoutMs);
        const reply = conn instanceof Error ? conn : await conn.send(args, spec.timeoutMs, signal);
        const elapsed = performance.now() - start;
        if (signal.aborted) return;
        const failed = reply instanceof Error;
        const isError = !failed && reply !== null && typeof reply === "object" && !Array.isArray(reply);
        const tags = { ...base, command, name: spec.name ?? command, ok: String(!failed && !isError) };
        vu.metrics.add("redis_commands", 1, tags);
        vu.metrics.add("redis_command_duration", elapsed, tags);
        if (checks.length === 0 && extract.length === 0) return;
        const response: ResponseView = {
          status: failed ? 0 : isError ? 500 : 200,
          headers: {},
          body: failed ? "" : replyText(reply),
          timings: { blocked: 0, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: elapsed, receiving: 0, duration: elapsed },
          url: `redis://${spec.target.render(vu.scope)}`,
          ...(failed ? { error: { code: "redis", message: reply.message } } : {}),
        };
        runChecks(checks, response, vu.scope, vu.metrics);
        runExtractors(extract, response, vu.scope.vars, vu.cookies, (miss) => vu.warn(missMessage(miss)));
      },
    };
  },
};

export default definePlugin({
  apiVersion: 1,
  name: "redis",
  protocols: {
    redis: {
      name: "redis",
      steps: { redis: redisStep },
      checks: REDIS_CHECKS,
      extractions: REDIS_EXTRACTIONS,
      metrics: [defineMetric("redis_commands", "counter"), defineMetric("redis_command_duration", "trend", "time")],
      handler,
    },
  },
});
