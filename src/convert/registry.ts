// The converter map of `loadr convert KIND`: one line per converter (src/convert/types.ts is the
// contract each one keeps). The CLI (src/cli/commands/convert.ts) knows converters only through it.
import type { Converter } from "./types.ts";
import { harConverter } from "./har/index.ts";
import { jmxConverter } from "./jmx/index.ts";
import { k6Converter } from "./k6/index.ts";

export const CONVERTERS: Readonly<Record<string, Converter>> = {
  k6: k6Converter,
  har: harConverter,
  jmx: jmxConverter,
};
