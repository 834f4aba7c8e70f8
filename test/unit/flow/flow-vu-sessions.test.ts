// A VU's protocol sessions (core/flow/flow-vu.ts): one per protocol, opened on first use and
// returned as is after (the last one asked is kept at hand, so this checks it never hands out
// another protocol's session), and none once the VU is closed.
import { expect, test } from "bun:test";
import { FlowVu } from "../../../src/core/flow/flow-vu.ts";
import type { EngineModules } from "../../../src/core/modules.ts";
import type { ProtocolSession, SessionContext } from "../../../src/protocols/types.ts";
import { RecordingSink, TestJar } from "./fakes.ts";

function protocolOpening(name: string, opened: string[], closed: string[]) {
  return {
    handler: {
      openSession(context: SessionContext) {
        opened.push(`${name}@${context.vu}`);
        return { protocol: name, close: () => closed.push(name) } as unknown as ProtocolSession;
      },
    },
  };
}

test("each protocol gets its own session, opened once, whatever the order of asking; none after close", () => {
  const opened: string[] = [];
  const closed: string[] = [];
  const protocols = { a: protocolOpening("a", opened, closed), b: protocolOpening("b", opened, closed) } as unknown as EngineModules["protocols"];
  const vu = new FlowVu(7, {
    program: { scenario: "s", steps: [], iterationTags: { scenario: "s" } },
    rows: { select() {} },
    protocols,
    metrics: new RecordingSink(),
    cookies: new TestJar(),
    random: Math.random,
    warn: () => {},
  });
  const protocolOf = (name: string) => (vu.session(name) as unknown as { protocol: string }).protocol;
  const order = ["a", "a", "b", "a", "b", "b", "a"];
  expect(order.map(protocolOf)).toEqual(order);
  expect(vu.session("a")).toBe(vu.session("a"));
  expect(opened).toEqual(["a@7", "b@7"]);
  expect(() => vu.session("c")).toThrow('no protocol "c" among the modules (a, b)');

  vu.close();
  expect(closed.sort()).toEqual(["a", "b"]);
  expect(() => vu.session("a")).toThrow("VU 7 is closed");
  expect(() => vu.session("b")).toThrow("VU 7 is closed");
});
