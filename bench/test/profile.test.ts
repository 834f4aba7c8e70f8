// The perf profiler's readers (bench/profile): a JIT dump in JavaScriptCore's format, the lines of
// `perf script -F ip,dso`, and the summary that names the JavaScript samples.
import { describe, expect, test } from "bun:test";
import { JitSymbols, parseJitDump } from "../profile/jitdump.ts";
import { kindOf, parsePerfScript, summarize } from "../profile/profile.ts";

/** A dump as JavaScriptCore writes it: header, then records (JIT_CODE_LOAD is id 0). */
function jitDump(records: Array<{ id: number; addr?: bigint; size?: bigint; name?: string }>): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(40));
  header.setUint32(0, 0x4a695444, true);
  header.setUint32(4, 1, true);
  header.setUint32(8, 40, true);
  parts.push(new Uint8Array(header.buffer));
  for (const r of records) {
    const name = new TextEncoder().encode(`${r.name ?? ""}\0`);
    const code = new Uint8Array(8); // the code bytes follow the name; their length is free here
    const size = 16 + (r.id === 0 ? 40 + name.length + code.length : 8);
    const rec = new DataView(new ArrayBuffer(size));
    rec.setUint32(0, r.id, true);
    rec.setUint32(4, size, true);
    if (r.id === 0) {
      rec.setBigUint64(16 + 8, r.addr!, true); // vma
      rec.setBigUint64(16 + 16, r.addr!, true); // code_addr
      rec.setBigUint64(16 + 24, r.size!, true);
      new Uint8Array(rec.buffer).set(name, 16 + 40);
    }
    parts.push(new Uint8Array(rec.buffer));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("the JIT dump", () => {
  const dump = jitDump([
    { id: 0, addr: 0x1000n, size: 0x100n, name: "JSC-DFG: parseHead#DFl5xJ" },
    { id: 2 }, // a move/debug record: skipped
    { id: 0, addr: 0x2000n, size: 0x80n, name: "JSC-FTL: settle#CTbMOW" },
    { id: 0, addr: 0x1000n, size: 0x40n, name: "JSC-FTL: recordHop#Asd7uZ" }, // reuses freed code space
  ]);

  test("reads every code load with its address range and name, in order", () => {
    expect(parseJitDump(dump)).toEqual([
      { addr: 0x1000n, size: 0x100n, name: "JSC-DFG: parseHead#DFl5xJ", order: 0 },
      { addr: 0x2000n, size: 0x80n, name: "JSC-FTL: settle#CTbMOW", order: 1 },
      { addr: 0x1000n, size: 0x40n, name: "JSC-FTL: recordHop#Asd7uZ", order: 2 },
    ]);
  });

  test("an address is named by the latest load that covers it; outside every range, by none", () => {
    const symbols = new JitSymbols(parseJitDump(dump));
    expect(symbols.nameOf(0x1010n)).toBe("JSC-FTL: recordHop#Asd7uZ");
    expect(symbols.nameOf(0x1050n)).toBe("JSC-DFG: parseHead#DFl5xJ");
    expect(symbols.nameOf(0x207fn)).toBe("JSC-FTL: settle#CTbMOW");
    expect(symbols.nameOf(0x2080n)).toBeUndefined();
    expect(symbols.nameOf(0xfffn)).toBeUndefined();
  });

  test("a file that is not a dump is refused; a truncated last record is left out", () => {
    expect(() => parseJitDump(new Uint8Array(64))).toThrow("not a JIT dump");
    expect(parseJitDump(dump.subarray(0, dump.length - 4))).toHaveLength(2);
  });
});

describe("perf script lines and the summary", () => {
  const text = [
    "\t7f387e1daf99 (/tmp/perf-12160.map)",
    "\t7f387e1daf9a (/tmp/perf-12160.map)",
    "\tffffffff81eb6313 ([kernel.kallsyms])",
    "\tffffffff81eb7789 ([kernel.kallsyms])",
    "\t    2dd3dd4 (/work/main/node_modules/bun/bin/bun.exe)",
    "\t     10aba4 (/usr/lib/x86_64-linux-gnu/libc.so.6)",
    "\t7ffc3a1f0a10 ([vdso])",
    "\t7f387e300000 (/tmp/perf-12160.map)",
    "",
    "not a sample line",
  ].join("\n");

  test("one sample per line, with its address and object", () => {
    const samples = parsePerfScript(text);
    expect(samples).toHaveLength(8);
    expect(samples[0]).toEqual({ ip: 0x7f387e1daf99n, dso: "/tmp/perf-12160.map" });
    expect(samples.map((s) => kindOf(s.dso))).toEqual(["jit", "jit", "kernel", "kernel", "bun", "libc", "vdso", "jit"]);
    expect(kindOf("/work/main/dist/loadr-linux-x64")).toBe("bun");
  });

  test("shares by kind of code, and JIT samples by function and tier (unnamed code says so)", () => {
    const symbols = new JitSymbols([{ addr: 0x7f387e1daf00n, size: 0x100n, name: "JSC-FTL: parseHead#DFl5xJ", order: 0 }]);
    const summary = summarize(parsePerfScript(text), symbols);
    expect(summary.samples).toBe(8);
    expect(summary.kinds).toEqual({ kernel: 2 / 8, bun: 1 / 8, jit: 3 / 8, libc: 1 / 8, vdso: 1 / 8, other: 0 });
    expect(summary.functions).toEqual([
      { name: "FTL parseHead", share: 2 / 8 },
      { name: "(unnamed JIT code)", share: 1 / 8 },
    ]);
  });
});

test("a JIT dump JavaScriptCore really wrote names the hot function it compiled", async () => {
  const { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "loadr-jitdump-"));
  try {
    const script = join(dir, "hot.js");
    // Hot for 300 ms, so every tier up to FTL compiles it (a shorter run may end before they do).
    writeFileSync(script, "function hotLoopForTheDump(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }\nlet t = 0;\nconst end = performance.now() + 300;\nwhile (performance.now() < end) for (let k = 0; k < 1000; k++) t += hotLoopForTheDump(200);\nconsole.log(t > 0);\n");
    const child = Bun.spawn([process.execPath, script], { env: { ...process.env, BUN_JSC_useJITDump: "1", BUN_JSC_jitDumpDirectory: dir }, stdout: "ignore", stderr: "pipe" });
    expect(await child.exited).toBe(0);
    const dumps = readdirSync(dir).filter((f) => /^jit-.*\.dump$/.test(f));
    expect(dumps.length).toBeGreaterThan(0);
    const codes = dumps.flatMap((f) => parseJitDump(readFileSync(join(dir, f))));
    const hot = codes.filter((c) => c.name.includes("hotLoopForTheDump"));
    expect(hot.length).toBeGreaterThan(0);
    const symbols = new JitSymbols(codes);
    expect(symbols.nameOf(hot[0]!.addr + hot[0]!.size / 2n)).toContain("hotLoopForTheDump");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
