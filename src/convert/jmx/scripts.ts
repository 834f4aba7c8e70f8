// JSR223 and BeanShell elements → functions of the generated hooks module, called by a `js:` step
// at the element's place (a sampler where it stands, a pre-processor before each request in its
// scope, a post-processor or assertion after). Pure.
//
// Only JavaScript (`scriptLanguage` javascript/js/ecmascript/nashorn/rhino) can run as a hook;
// the script is kept as written, inside a function that gives it stand-ins for JMeter's objects:
// `vars` (get/put/remove/getObject/putObject over the VU's variables — what it puts is the hook's
// result, merged into the variables), `log`, `props` (the environment, read-only), `Parameters`
// and `args`. Scripts that read `prev`, `sampler`, `ctx`, `SampleResult` … (JMeter internals a
// hook does not have) are still converted, with a note naming what they use. Groovy, BeanShell,
// Java and scripts in external files are dropped with a warning.
import { parse } from "acorn";
import type { JmxContext, Located } from "./context.ts";
import { label, shortClass } from "./labels.ts";
import { str } from "./props.ts";

export const SCRIPTS = new Set([
  "JSR223Sampler",
  "JSR223PreProcessor",
  "JSR223PostProcessor",
  "JSR223Assertion",
  "JSR223Timer",
  "JSR223Listener",
  "BeanShellSampler",
  "BeanShellPreProcessor",
  "BeanShellPostProcessor",
  "BeanShellAssertion",
  "BeanShellTimer",
  "BeanShellListener",
]);

const JAVASCRIPT = new Set(["javascript", "js", "ecmascript", "nashorn", "rhino", "graal.js"]);

/** JMeter objects a hook has no stand-in for. */
const UNAVAILABLE = ["prev", "sampler", "ctx", "SampleResult", "Response", "Failure", "FailureMessage", "AssertionResult", "OUT", "Label", "FileName", "threadName"];

/** The helpers every generated hooks module starts with. */
export const HOOKS_PRELUDE = `// Stand-ins for JMeter's script objects, over the hook's context (vars, env, vu, iteration).
function jmeterVars(loadr, out) {
  const read = (name) => (Object.hasOwn(out, name) ? out[name] : loadr.vars[name]);
  return {
    get: (name) => (read(name) == null ? null : String(read(name))),
    getObject: (name) => read(name) ?? null,
    put: (name, value) => { out[name] = value == null ? null : String(value); },
    putObject: (name, value) => { out[name] = value; },
    remove: (name) => { out[name] = null; },
  };
}

const jmeterLog = { info() {}, warn() {}, error() {}, debug() {} };

function jmeterProps(loadr) {
  return { get: (name) => loadr.env[name] ?? null, getProperty: (name, fallback) => loadr.env[name] ?? fallback ?? null };
}
`;

/** The hook function name for the element, or undefined when it cannot be a hook (noted). */
export function scriptHook(at: Located, ctx: JmxContext): string | undefined {
  const { el } = at;
  const cls = shortClass(el);
  const beanShell = cls.startsWith("BeanShell");
  const language = beanShell ? "beanshell" : (str(el, "scriptLanguage", "groovy").trim().toLowerCase() || "groovy");
  const file = str(el, "filename").trim();
  const script = str(el, "script");
  if (!JAVASCRIPT.has(language)) {
    ctx.dropped(at, `warning: a ${beanShell ? "BeanShell" : language} script cannot run in loadr (hooks are JavaScript): rewrite it as a js: step`);
    return undefined;
  }
  if (file !== "") {
    ctx.dropped(at, `warning: the script file ${file} is not read by the converter: copy its code into a hook`);
    return undefined;
  }
  if (cls.endsWith("Timer") || cls.endsWith("Listener")) {
    ctx.dropped(at, `warning: a script ${cls.endsWith("Timer") ? "timer's delay" : "listener"} has no loadr equivalent`);
    return undefined;
  }
  try {
    parse(script, { ecmaVersion: 2022, allowReturnOutsideFunction: true, locations: false });
  } catch (error) {
    ctx.dropped(at, `warning: the script is not JavaScript this converter can read (${(error as Error).message}): rewrite it as a js: step`);
    return undefined;
  }
  const used = UNAVAILABLE.filter((name) => new RegExp(`\\b${name}\\b`).test(script));
  const name = ctx.hookName(el.attrs.testname || label(el));
  const body = script
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => (line.trim() === "" ? "" : `    ${line}`))
    .join("\n");
  const uses = (word: string) => new RegExp(`\\b${word}\\b`).test(script);
  const parameters = str(el, "parameters");
  ctx.hooks.push({
    name,
    source: [
      `// ${ctx.where(at)}`,
      `export function ${name}(loadr) {`,
      "  const out = {};",
      "  const vars = jmeterVars(loadr, out);",
      ...(uses("log") ? ["  const log = jmeterLog;"] : []),
      ...(uses("props") ? ["  const props = jmeterProps(loadr);"] : []),
      ...(uses("Parameters") || uses("args") ? [`  const Parameters = ${JSON.stringify(parameters)};`, "  const args = Parameters.split(/\\s+/).filter(Boolean);"] : []),
      "  // The script as JMeter ran it; what it puts into vars is returned to the VU's variables.",
      "  (() => {",
      body,
      "  })();",
      "  return out;",
      "}",
    ].join("\n"),
  });
  const where = cls.endsWith("PreProcessor") ? "before each request in its scope" : cls.endsWith("Sampler") ? "at its place" : "after each request in its scope";
  ctx.hook(at, `the function ${name} in the hooks module, called ${where}${used.length > 0 ? `; it uses ${used.join(", ")}, which a hook does not have` : ""}`);
  return name;
}
