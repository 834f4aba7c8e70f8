import { defineCommand } from "citty";
import { buildInfo } from "../../shared/build-info.ts";

export default defineCommand({
  meta: { name: "version", description: "Print loadr's version (--json: version, commit, build date, protocol version, target)" },
  args: {
    json: { type: "boolean", description: "Print the build as one JSON object" },
  },
  run({ args }) {
    const info = buildInfo();
    if (args.json) {
      process.stdout.write(JSON.stringify(info) + "\n");
    } else {
      const commit = info.commit === "source" ? "from source" : `commit ${info.commit.slice(0, 12)}, built ${info.buildDate}`;
      process.stdout.write(`loadr ${info.version} (${commit}, protocol ${info.protocolVersion}, ${info.target}, bun ${info.bun})\n`);
    }
    return 0;
  },
});
