import { defineCommand } from "citty";
import { VERSION } from "../../shared/version.ts";

export default defineCommand({
  meta: { name: "version", description: "Print loadr's version" },
  run() {
    process.stdout.write(`loadr ${VERSION} (bun ${Bun.version}, ${process.platform}-${process.arch})\n`);
    return 0;
  },
});
