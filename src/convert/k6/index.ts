// `loadr convert k6 script.js`: a k6 script → a loadr plan (+ hooks module). Parsed with acorn
// (ES2022 module syntax, the syntax k6 scripts are written in); a parse error is a
// ConvertInputError at acorn's line:column. The mapping itself is program.ts and what it calls;
// docs/convert.md has the table of what maps to what.
import { parse, type Program } from "acorn";
import { ConvertInputError, type Converter } from "../types.ts";
import { K6Context } from "./context.ts";
import { convertProgram } from "./program.ts";

export const k6Converter: Converter = {
  name: "k6",
  usage: "loadr convert k6 script.js [-o plan.yaml]",
  options: [],
  convert({ source, fileName }) {
    let ast: Program;
    try {
      ast = parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true, allowHashBang: true, allowAwaitOutsideFunction: true });
    } catch (error) {
      const e = error as SyntaxError & { loc?: { line: number; column: number } };
      const message = e.message.replace(/\s*\(\d+:\d+\)$/, "");
      throw new ConvertInputError(`not a JavaScript module k6 can run: ${message}`, fileName, e.loc?.line ?? 1, (e.loc?.column ?? 0) + 1);
    }
    return convertProgram(ast, new K6Context(fileName, source));
  },
};
