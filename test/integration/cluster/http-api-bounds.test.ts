// The controller's HTTP API as a trust boundary (issue 11, finding 9): bodies bounded (413 with
// the limit), at most MAX_CONCURRENT_SUBMISSIONS uploads at once (429), malformed submissions a
// 400 in plain words, and an unexpected failure a generic 500 whose id is in the controller's log.
import { afterEach, describe, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { MAX_CONCURRENT_SUBMISSIONS, MAX_SUBMISSION_BYTES } from "../../../src/cluster/http-api.ts";
import { MAX_FILE_BYTES } from "../../../src/cluster/files.ts";
import { MAX_PLAN_BYTES } from "../../../src/config/yaml-structure.ts";
import { SIMPLE_PLAN, tempDir, testController, waitFor } from "./helpers.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function controller(over: Parameters<typeof testController>[1] = {}) {
  const tmp = tempDir();
  const lines: string[] = [];
  const c = await testController(tmp.dir, { log: (l) => lines.push(l), ...over });
  cleanups.push(() => tmp.cleanup());
  cleanups.push(() => c.stop());
  return Object.assign(c, { lines, dataDir: tmp.dir });
}

const post = (url: string, body: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });

/** A raw HTTP/1.1 request whose headers are sent, with only `bodyPart` of its declared body. */
function partialRequest(port: number, path: string, declaredLength: number, bodyPart: string): Promise<{ socket: Socket; response: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declaredLength}\r\n\r\n${bodyPart}`);
      let text = "";
      const response = new Promise<string>((done) => {
        socket.on("data", (d) => {
          text += d;
          const end = text.indexOf("\r\n\r\n");
          const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? NaN);
          if (end >= 0 && text.length >= end + 4 + length) done(text);
        });
        socket.on("close", () => done(text));
      });
      resolve({ socket, response });
    });
    socket.on("error", reject);
    cleanups.push(() => void socket.destroy());
  });
}

function expectPlain(text: string, dataDir: string): void {
  expect(text).not.toMatch(/TypeError|ReferenceError|SyntaxError|\n\s+at /);
  expect(text).not.toContain(dataDir);
}

describe("body limits", () => {
  test("a submission declaring more than the limit gets a 413 naming it, before its body is sent", async () => {
    const c = await controller();
    const { response } = await partialRequest(Number(new URL(c.httpUrl!).port), "/api/runs", MAX_SUBMISSION_BYTES + 1, "{");
    const text = await response;
    expect(text).toStartWith("HTTP/1.1 413");
    expect(text).toContain(`larger than the limit of ${(MAX_SUBMISSION_BYTES / 2 ** 20).toFixed(1)} MiB for a submission (a plan of at most 4 MiB`);
    expect(c.runs.list()).toHaveLength(0);
  });

  test("a streamed control body past its limit gets a 413", async () => {
    const c = await controller();
    const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 16) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${c.httpUrl}/api/runs/r1/control`, { method: "POST", body: stream });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toContain("larger than the limit of 64 KiB for a control");
  });

  test("a streamed submission within the limit is read and accepted", async () => {
    const c = await controller();
    const bytes = new TextEncoder().encode(JSON.stringify({ plan: SIMPLE_PLAN }));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(sent, sent + 100));
        sent += 100;
      },
    });
    const res = await fetch(`${c.httpUrl}/api/runs`, { method: "POST", body: stream });
    expect(res.status).toBe(202);
    expect(c.runs.list()).toHaveLength(1);
  });

  test("a plan over the plan size limit, or a data file over the file limit, gets a 413", async () => {
    const c = await controller();
    const big = await post(`${c.httpUrl}/api/runs`, JSON.stringify({ plan: `${SIMPLE_PLAN}#${"x".repeat(MAX_PLAN_BYTES)}\n` }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toContain(`plans are limited to ${(MAX_PLAN_BYTES / 2 ** 20).toFixed(1)} MiB`);
    const file = Buffer.alloc(MAX_FILE_BYTES + 1024).toString("base64");
    const res = await post(`${c.httpUrl}/api/runs`, JSON.stringify({ plan: SIMPLE_PLAN, files: { "big.csv": file } }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toContain("at most 16.0 MB each");
  });
});

test(`at most ${MAX_CONCURRENT_SUBMISSIONS} submissions are received at once; the next one gets a 429 until they end`, async () => {
  const c = await controller();
  const port = Number(new URL(c.httpUrl!).port);
  const slow = [];
  for (let i = 0; i < MAX_CONCURRENT_SUBMISSIONS; i++) slow.push(await partialRequest(port, "/api/runs", 1_000_000, `{"plan": "`));
  const probe = () => post(`${c.httpUrl}/api/runs`, JSON.stringify({ plan: SIMPLE_PLAN }));
  const refused = await waitFor("a 429", async () => {
    const res = await probe();
    return res.status === 429 ? res : undefined;
  });
  expect(refused.headers.get("retry-after")).toBe("1");
  expect(((await refused.json()) as { error: string }).error).toContain(`at most ${MAX_CONCURRENT_SUBMISSIONS} at once`);
  for (const { socket } of slow) socket.destroy();
  const accepted = await waitFor("a slot again", async () => {
    const res = await probe();
    return res.status !== 429 ? res : undefined;
  });
  expect(accepted.status).toBe(202);
});

describe("malformed submissions get a 400 in plain words", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["a null body", null, /must be a JSON object with a "plan" \(got null\)/],
    ["a list", [], /must be a JSON object with a "plan" \(got a list\)/],
    ["no plan", { files: {} }, /has no plan/],
    ["a plan that is a number", { plan: 5 }, /has no plan: "plan" must be the plan's YAML text \(got number\)/],
    ["an unknown field", { plan: SIMPLE_PLAN, plans: [] }, /unknown field "plans" in the submission; the fields are plan, planFile, files, env, cluster/],
    ["files: null", { plan: SIMPLE_PLAN, files: null }, /"files" must be an object of relative path → base64 content \(got null\)/],
    ["a file with null content", { plan: SIMPLE_PLAN, files: { "a.csv": null } }, /data file "a.csv": its content must be a base64 string \(got null\)/],
    ["a file that is not base64", { plan: SIMPLE_PLAN, files: { "a.csv": "not base64!" } }, /data file "a.csv": its content is not valid base64/],
    ["the same file twice", { plan: SIMPLE_PLAN, files: { "a.csv": "eA==", "./a.csv": "eA==" } }, /data files "a.csv" and ".\/a.csv" name the same file/],
    ["a file that is another's directory", { plan: SIMPLE_PLAN, files: { a: "eA==", "a/b.csv": "eA==" } }, /data file "a" is also the directory of "a\/b.csv"/],
    ["env: null", { plan: SIMPLE_PLAN, env: null }, /"env" must be an object/],
    ["an env value that is not a string", { plan: SIMPLE_PLAN, env: { A: 5 } }, /the value of "A" must be a string \(got number\)/],
    ["negative agents", { plan: SIMPLE_PLAN, cluster: { agents: -1 } }, /"cluster.agents" must be a whole number/],
    ["an unknown cluster field", { plan: SIMPLE_PLAN, cluster: { agent: 2 } }, /unknown field "agent" in "cluster"/],
    ["a bad loss policy", { plan: SIMPLE_PLAN, cluster: { onAgentLoss: "retry" } }, /"cluster.onAgentLoss" must be "continue" or "abort"/],
    ["a planFile with a newline", { plan: SIMPLE_PLAN, planFile: "a\nb" }, /"planFile" must be the plan's file name/],
  ];
  for (const [what, body, message] of cases) {
    test(what, async () => {
      const c = await controller();
      const res = await post(`${c.httpUrl}/api/runs`, JSON.stringify(body));
      const text = await res.text();
      expect(res.status).toBe(400);
      expect((JSON.parse(text) as { error: string }).error).toMatch(message);
      expectPlain(text, c.dataDir);
      expect(c.runs.list()).toHaveLength(0);
    });
  }

  test("a control that is not an object", async () => {
    const c = await controller();
    for (const body of ["null", "[]", "3", "nope"]) {
      const res = await post(`${c.httpUrl}/api/runs/r1/control`, body);
      expect(res.status).toBe(400);
      expectPlain(await res.text(), c.dataDir);
    }
  });
});

test("an unexpected failure is a generic 500 with an error id; the details are in the controller's log only", async () => {
  const c = await controller({
    loadPlan: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x') at /srv/loadr/secret-internals.ts");
    },
  });
  const res = await post(`${c.httpUrl}/api/runs`, JSON.stringify({ plan: SIMPLE_PLAN }));
  expect(res.status).toBe(500);
  const { error } = (await res.json()) as { error: string };
  const id = /error ([0-9a-f]{8})/.exec(error)?.[1];
  expect(error).toBe(`the controller could not answer this request (error ${id}; its log has the details)`);
  expect(c.lines.some((l) => l.includes(`error ${id} answering POST /api/runs`) && l.includes("secret-internals"))).toBe(true);
});
