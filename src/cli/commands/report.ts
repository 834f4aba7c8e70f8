// `loadr report SOURCE -o FILE`: the HTML report of a finished run, as one self-contained file.
// SOURCE is a run id with --controller URL (the controller renders it from the stored run:
// GET /api/runs/:id/report), or a JSONL results file of `--out jsonl=FILE` (`.gz` too), from which
// the report is rebuilt here.
import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { realIO } from "../io.ts";
import { ConfigError } from "../../shared/errors.ts";
import { EXIT_OK } from "../../shared/exit-codes.ts";

export default defineCommand({
  meta: { name: "report", description: "Write the HTML report of a run: RUN_ID --controller URL, or a results.jsonl[.gz] file" },
  args: {
    source: { type: "positional", description: "A run id (with --controller) or a JSONL results file (.jsonl, .jsonl.gz)", required: true },
    output: { type: "string", alias: "o", description: "The HTML file to write (default report.html)" },
    controller: { type: "string", description: "The controller's HTTP API URL, e.g. http://127.0.0.1:7626: SOURCE is then a run id" },
    "api-token": { type: "string", description: "Bearer token of the controller's HTTP API (also LOADR_API_TOKEN)" },
  },
  async run({ args }) {
    const io = realIO();
    const output = args.output ?? "report.html";
    if (output.trim() === "" || output.startsWith("-")) throw new ConfigError("--output (-o) needs a file name, e.g. -o report.html");
    const { downloadReport, writeReportFile } = await import("../run/report-file.ts");
    if (args.controller) {
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(args.source)) {
        throw new ConfigError(`"${args.source}" is not a run id`, "with --controller, SOURCE is a run id as `loadr control list` shows it");
      }
      const { ControllerClient } = await import("../../cluster/client.ts");
      const client = new ControllerClient(args.controller, args["api-token"] || io.env.LOADR_API_TOKEN);
      await downloadReport(client, args.source, output, io);
      return EXIT_OK;
    }
    const path = resolve(io.cwd, args.source);
    if (!/\.jsonl(\.gz)?$/.test(path)) {
      throw new ConfigError(`${args.source}: expected a JSONL results file (.jsonl or .jsonl.gz)`, "for a run on a controller, pass its run id with --controller URL");
    }
    if (!existsSync(path)) throw new ConfigError(`${args.source}: no such file`, "write one with `loadr run PLAN --out jsonl=results.jsonl`");
    const { jsonlInput } = await import("../../report/from-jsonl.ts");
    await writeReportFile(output, await jsonlInput(path, io.now()), io);
    return EXIT_OK;
  },
});
