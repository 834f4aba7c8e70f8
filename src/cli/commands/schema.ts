// `loadr schema`: print the plan format as JSON Schema (draft-07) for editor completion, e.g.
//   loadr schema > loadr.schema.json
//   # yaml-language-server: $schema=./loadr.schema.json      (first line of the plan)
import { defineCommand } from "citty";
import { writeFile } from "node:fs/promises";
import { EXIT_OK } from "../../shared/exit-codes.ts";
import { planJsonSchema } from "../../config/schema/json-schema.ts";
import { BUILTINS } from "../../builtins.ts";

export default defineCommand({
  meta: { name: "schema", description: "Print the JSON Schema of the plan format (for editors)" },
  args: {
    output: { type: "string", alias: "o", description: "Write to this file instead of stdout" },
  },
  async run({ args }) {
    const text = `${JSON.stringify(planJsonSchema(BUILTINS), null, 2)}\n`;
    if (args.output) await writeFile(args.output, text);
    else process.stdout.write(text);
    return EXIT_OK;
  },
});
