// Reads the JIT dump JavaScriptCore writes with BUN_JSC_useJITDump=1 (the format perf's
// `perf inject --jit` reads: a header, then records; record 0, JIT_CODE_LOAD, names one piece of
// machine code). Bun names the file jit-<pid>-<tid>.dump, which perf's own reader does not
// recognise, so samples in JIT code are named here instead (profile.ts).
// Layout (little-endian): header { magic u32, version u32, total_size u32, elf_mach u32, pad u32,
// pid u32, timestamp u64, flags u64 }; record header { id u32, total_size u32, timestamp u64 };
// JIT_CODE_LOAD body { pid u32, tid u32, vma u64, code_addr u64, code_size u64, code_index u64,
// name: NUL-terminated } followed by the code bytes.

/** One piece of JIT code: `[addr, addr + size)` holds `name` ("JSC-FTL: parseHead#DFl5xJ"). */
export interface JitCode {
  addr: bigint;
  size: bigint;
  name: string;
  /** Its place among the dump's loads: a later load over the same addresses replaces an earlier one. */
  order: number;
}

const JIT_DUMP_MAGIC = 0x4a695444; // "JiTD", as written by a little-endian host
const JIT_CODE_LOAD = 0;
const RECORD_HEADER_BYTES = 16;
const CODE_LOAD_FIXED_BYTES = 40;

/** The code loads of a dump; throws on a file that is not a JIT dump. A truncated last record is ignored. */
export function parseJitDump(bytes: Uint8Array): JitCode[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 40 || view.getUint32(0, true) !== JIT_DUMP_MAGIC) throw new Error("not a JIT dump (no JiTD magic)");
  const codes: JitCode[] = [];
  const latin1 = new TextDecoder("latin1");
  let offset = view.getUint32(8, true);
  while (offset + RECORD_HEADER_BYTES <= bytes.byteLength) {
    const id = view.getUint32(offset, true);
    const size = view.getUint32(offset + 4, true);
    if (size < RECORD_HEADER_BYTES || offset + size > bytes.byteLength) break;
    if (id === JIT_CODE_LOAD && size >= RECORD_HEADER_BYTES + CODE_LOAD_FIXED_BYTES) {
      const body = offset + RECORD_HEADER_BYTES;
      const nameStart = body + CODE_LOAD_FIXED_BYTES;
      let nameEnd = nameStart;
      while (nameEnd < offset + size && bytes[nameEnd] !== 0) nameEnd++;
      codes.push({
        addr: view.getBigUint64(body + 16, true),
        size: view.getBigUint64(body + 24, true),
        name: latin1.decode(bytes.subarray(nameStart, nameEnd)),
        order: codes.length,
      });
    }
    offset += size;
  }
  return codes;
}

/** Names addresses in JIT code: the latest load whose range holds the address. */
export class JitSymbols {
  private readonly byAddr: JitCode[];

  constructor(codes: readonly JitCode[]) {
    this.byAddr = [...codes].sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.order - b.order));
  }

  nameOf(ip: bigint): string | undefined {
    // The last code starting at or before ip, then back over earlier starts that may still cover it.
    let lo = 0;
    let hi = this.byAddr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.byAddr[mid]!.addr <= ip) lo = mid + 1;
      else hi = mid;
    }
    let best: JitCode | undefined;
    for (let i = lo - 1; i >= 0 && i >= lo - 64; i--) {
      const code = this.byAddr[i]!;
      if (ip < code.addr + code.size && (best === undefined || code.order > best.order)) best = code;
    }
    return best?.name;
  }
}
