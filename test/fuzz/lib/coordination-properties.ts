// Properties of the coordination port of a real controller process (cluster-under-test.ts) under
// unauthenticated peers: random bytes, mutated and hostile protobuf messages, raw HTTP/2 with
// lying gRPC framing, and scripted agents that join a run and send bad batches. After every
// input the controller is alive and answers /healthz; a run of the real agent next to the noise
// ends with the exact count the target saw; a scripted run ends with a summary whose http_reqs
// are exactly those of its valid batches.
import fc from "fast-check";
import type { ClusterUnderTest } from "./cluster-under-test.ts";
import { agentMessage } from "../../../src/cluster/protocol.ts";
import { encode, frameBytes, h2ShapeArb, noiseAgentId, streamCaseArb, type StreamCase } from "./coordination-arbitraries.ts";
import { badBatches, batchSteps, FUZZ_SCENARIO, validDelta, type BatchStep } from "./delta-arbitraries.ts";
import { fuzzProperty, type FuzzProperty } from "./harness.ts";
import { grpcFrames, h2Request, type H2Shape } from "./raw-peers.ts";
import { ScriptedAgent } from "./scripted-agent.ts";

/** How long a peer waits for answers before it ends (ms): the controller is judged by its health after. */
const LINGER_MS = 40;
/** A scripted run must end (with its summary) within this after its agents finished. */
const RUN_END_MS = 20_000;
/** Requests of the real run beside the noise. */
const REAL_ITERATIONS = 120;

async function sendStream(c: ClusterUnderTest, s: StreamCase): Promise<void> {
  await grpcFrames(c.grpc, s.frames.map(frameBytes), s.ending, LINGER_MS, s.gzip);
}

const describeCase = (s: StreamCase) => `a stream of ${s.frames.map((f) => (f.how === "random" ? `${f.bytes.length} random bytes` : `${f.how} ${f.message.body}`)).join(", ") || "nothing"} (${s.ending})`;

// ---- scripted members of a run -------------------------------------------------------------------

interface MemberCase {
  agents: BatchStep[][];
}

interface RunView {
  status: string;
  error?: string;
  notes?: string[];
  summary?: { notes: string[]; metrics: Array<{ name: string; values: Record<string, number> }> };
}

/**
 * Joins `steps.length` scripted agents, submits a run for them, plays each agent's batches and
 * finishes; returns the run's final view and the http_reqs its valid batches carried.
 */
async function playMembers(c: ClusterUnderTest, steps: BatchStep[][], bad: ReturnType<typeof badBatches>): Promise<{ view: RunView; expected: number; rejected: Map<string, number>; id: string }> {
  const group = crypto.randomUUID();
  const agents = steps.map((_, i) => new ScriptedAgent(c.grpc, { agent_id: `fuzz-member-${group.slice(0, 8)}-${i}`, labels: { "fuzz-member": group } }));
  try {
    await Promise.all(agents.map((a) => a.registered));
    const plan = `name: fuzz-members
baseUrl: http://127.0.0.1:9
scenarios:
  ${FUZZ_SCENARIO}:
    executor: shared-iterations
    vus: ${steps.length}
    iterations: ${steps.length}
    flow:
      - request: { name: home, url: / }
cluster:
  agents: ${steps.length}
  wait: 15s
  selector: { fuzz-member: "${group}" }
`;
    const res = await fetch(`${c.http}/api/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ plan }), signal: AbortSignal.timeout(10_000) });
    const submitted = (await res.json()) as { id?: string; error?: string };
    if (!submitted.id) throw new Error(`the scripted run was refused: ${res.status} ${submitted.error}`);
    const runId = submitted.id;
    await Promise.all(agents.map((a) => a.started));
    let expected = 0;
    const rejected = new Map<string, number>();
    agents.forEach((agent, i) => {
      agent.event(runId, "STARTED");
      let seq = 0;
      let lastValid: { seq: number; bytes: Uint8Array } | undefined;
      let badSent = 0;
      for (const step of steps[i]!) {
        if (step.kind === "valid") {
          const bytes = validDelta(step.requests);
          agent.metrics(runId, bytes, ++seq);
          lastValid = { seq, bytes };
          expected += step.requests;
        } else if (step.kind === "bad") {
          agent.metrics(runId, bad[step.index % bad.length]!.bytes, ++seq);
          badSent++;
        } else if (step.kind === "duplicate") {
          if (lastValid) agent.metrics(runId, lastValid.bytes, lastValid.seq);
        } else {
          agent.metrics(`${runId}-other`, validDelta(step.requests), ++seq);
        }
      }
      agent.metrics(runId, validDelta(0), ++seq, true);
      agent.event(runId, "FINISHED", "finished");
      rejected.set(agent.id, badSent);
    });
    const deadline = Date.now() + RUN_END_MS;
    let view: RunView;
    for (;;) {
      view = (await (await fetch(`${c.http}/api/runs/${runId}`, { signal: AbortSignal.timeout(10_000) })).json()) as RunView;
      if (view.summary || ["failed", "aborted", "interrupted"].includes(view.status)) break;
      if (Date.now() > deadline) throw new Error(`run ${runId} of scripted agents is still ${view.status} ${RUN_END_MS / 1000} s after they finished`);
      await Bun.sleep(50);
    }
    return { view, expected, rejected, id: runId };
  } finally {
    for (const a of agents) a.close();
  }
}

function httpReqs(view: RunView): number {
  return view.summary?.metrics.find((m) => m.name === "http_reqs")?.values.count ?? 0;
}

function memberProperty(id: string, runs: number, ci: boolean, extra: { claim: string; knownFailure?: string; checkNotes?: boolean }): FuzzProperty<ClusterUnderTest> {
  const bad = badBatches(7).filter((b) => !ci || b.ci);
  return fuzzProperty<ClusterUnderTest, [MemberCase]>({ id, runs, claim: extra.claim, ...(extra.knownFailure ? { knownFailure: extra.knownFailure } : {}) }, (c) =>
    fc.asyncProperty(fc.record({ agents: fc.array(batchSteps(bad.length), { minLength: 1, maxLength: 3 }) }), async ({ agents }) => {
      const { view, expected, rejected, id: runId } = await playMembers(c, agents, bad);
      await c.assertHealthy(`run ${runId} of scripted agents`);
      if (view.status !== "finished") throw new Error(`run ${runId} ended ${view.status}${view.error ? ` (${view.error})` : ""}, not finished`);
      const got = httpReqs(view);
      if (got !== expected) throw new Error(`run ${runId} merged http_reqs ${got}; its valid batches carried ${expected}`);
      if (extra.checkNotes) {
        const notes = view.summary?.notes ?? [];
        for (const [agent, n] of rejected) {
          if (n > 0 && !notes.some((note) => note.includes(agent) && new RegExp(`\\b${n}\\b`).test(note))) {
            throw new Error(`${agent} sent ${n} bad batch(es); no summary note names it with that count: ${JSON.stringify(notes)}`);
          }
        }
      }
    }),
  );
}

// ---- the registry ----------------------------------------------------------------------------------

export const COORDINATION_PROPERTIES: FuzzProperty<ClusterUnderTest>[] = [
  fuzzProperty<ClusterUnderTest, [StreamCase]>(
    { id: "coordination/streams", runs: 60, claim: "random, hostile and mutated protobuf frames on Connect: the controller stays up and answers /healthz" },
    (c) =>
      fc.asyncProperty(streamCaseArb(noiseAgentId()), async (s) => {
        await sendStream(c, s);
        await c.assertHealthy(describeCase(s));
      }),
  ),
  fuzzProperty<ClusterUnderTest, [H2Shape]>(
    { id: "coordination/raw-http2", runs: 40, claim: "raw HTTP/2 requests with lying gRPC lengths, flags, encodings and gzip: the controller stays up and answers /healthz" },
    (c) =>
      fc.asyncProperty(h2ShapeArb, async (shape) => {
        await h2Request(c.grpc, shape, LINGER_MS);
        await c.assertHealthy(`a raw HTTP/2 request to ${shape.path} (${shape.chunks.length} chunk(s), ${shape.ending})`);
      }),
  ),
  fuzzProperty<ClusterUnderTest, [StreamCase[]]>(
    { id: "coordination/real-run-beside-noise", runs: 2, claim: "a run of the real agent while noise streams arrive finishes with http_reqs equal to the target's count" },
    (c) =>
      fc.asyncProperty(fc.array(streamCaseArb(noiseAgentId()), { minLength: 5, maxLength: 25 }), async (cases) => {
        const real = c.realRunExact(REAL_ITERATIONS);
        real.catch(() => {});
        for (const s of cases) await sendStream(c, s);
        await real;
        await c.assertHealthy("the real run");
      }),
  ),
  memberProperty("coordination/member-batches", 12, true, {
    claim: "agents of a run that send undecodable, ill-typed, duplicate and foreign batches: the run finishes and merges exactly its valid batches",
  }),
  // Findings (issue 11 items 2, 3, 5): what the controller must do and does not do yet.
  memberProperty("coordination/member-batches-validated", 12, false, {
    claim: "every batch is validated (finite, non-negative, whole numbers; bounded histograms; no prototype keys) and a bad one is rejected, counted and named in the summary",
    knownFailure: "negative, fractional and 1e300 counters, negative rates, `counters: null`/arrays, a `__proto__` counter and bad vus gauges are merged or mishandled (metrics/delta-check.ts, cluster/controller/run-metrics.ts); rejected batches other than definition clashes are only logged, not counted in the summary (run-end.ts)",
    checkNotes: true,
  }),
  fuzzProperty<ClusterUnderTest, [StreamCase[]]>(
    {
      id: "coordination/takeover-beside-real-run",
      runs: 2,
      claim: "noise that registers with the real agent's id while it runs cannot end its stream: its run still finishes exact",
      knownFailure: "registry.ts `register`: a Register with an existing agent_id ends the current agent's stream, nothing ties an id to its peer (issue 11 items 2–3)",
    },
    (c) =>
      fc.asyncProperty(fc.array(streamCaseArb(noiseAgentId([c.realAgentId])), { minLength: 5, maxLength: 25 }), async (cases) => {
        const real = c.realRunExact(REAL_ITERATIONS);
        real.catch(() => {});
        await Bun.sleep(300);
        const impostor = agentMessage("register", { agent_id: c.realAgentId, name: "impostor", protocol_version: 1, cores: 1, labels: {}, unix_ms: Date.now(), active_runs: [], version: "fuzz" });
        await sendStream(c, { frames: [{ how: "encoded", message: impostor, edits: [] }], ending: "linger", gzip: false });
        for (const s of cases) await sendStream(c, s);
        await real;
        await c.assertHealthy("the real run");
      }),
  ),
  fuzzProperty<ClusterUnderTest, [number, number]>(
    {
      id: "coordination/oversize-register",
      runs: 3,
      noShrink: true,
      claim: "a Register with megabytes of name and labels is refused or cut: /api/agents grows by under 64 KB and the controller's peak RSS by under 64 MB",
      knownFailure: "agent-link.ts/registry.ts keep name and labels as sent (no field size limits, issue 11 item 2): each Register adds its full size to /api/agents and SQLite",
    },
    (c) =>
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4_000 }), async (nameMb, labels) => {
        const size = async () => (await (await fetch(`${c.http}/api/agents`, { signal: AbortSignal.timeout(20_000) })).text()).length;
        const before = await size();
        const peak0 = c.controllerPeakMb();
        const labelMap: Record<string, string> = {};
        for (let i = 0; i < labels; i++) labelMap[`label-${i}-${"k".repeat(200)}`] = "v".repeat(1_000);
        const message = agentMessage("register", { agent_id: `fuzz-big-${crypto.randomUUID()}`, name: "n".repeat(nameMb * 1024 * 1024), protocol_version: 1, cores: 1, labels: labelMap, unix_ms: Date.now(), active_runs: [], version: "fuzz" });
        await grpcFrames(c.grpc, [encode(message)!], "linger", 500, true);
        await c.assertHealthy(`a Register of ${nameMb} MB of name and ${labels} labels`);
        const grew = (await size()) - before;
        const peak = c.controllerPeakMb() - peak0;
        if (grew > 64 * 1024 || peak > 64) throw new Error(`one Register grew /api/agents by ${Math.round(grew / 1024)} KB and the controller's peak RSS by ${Math.round(peak)} MB`);
      }),
  ),
  fuzzProperty<ClusterUnderTest, [number]>(
    {
      id: "coordination/gzip-bomb",
      runs: 3,
      noShrink: true,
      claim: "one small gzipped message that inflates to tens of MB raises the controller's peak RSS by under 64 MB",
      knownFailure: "rpc.ts allows 96 MB messages (after decompression) from any peer, before it registers (issue 11 item 2)",
    },
    (c) =>
      fc.asyncProperty(fc.integer({ min: 16, max: 90 }), async (mb) => {
        const peak0 = c.controllerPeakMb();
        const bomb = agentMessage("register", { agent_id: `fuzz-bomb-${crypto.randomUUID()}`, name: "A".repeat(mb * 1024 * 1024), protocol_version: 1, cores: 1, labels: {}, unix_ms: Date.now(), active_runs: [], version: "fuzz" });
        await grpcFrames(c.grpc, [encode(bomb)!], "linger", 1_000, true);
        await c.assertHealthy(`a ${mb} MB Register, gzipped`);
        const peak = c.controllerPeakMb() - peak0;
        if (peak > 64) throw new Error(`one ${mb} MB message (gzipped to a fraction) raised the controller's peak RSS by ${Math.round(peak)} MB`);
      }),
  ),
];
