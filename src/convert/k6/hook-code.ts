// Original k6 code → a hook function of the generated module: finds the names the code reads
// that it does not declare, and re-creates each from what the converter knows of it (k6 globals
// from `ctx`, extracted variables from `ctx.vars`, feed rows from `ctx.data`, setup data from
// `ctx.setup`, custom metrics from `ctx.metrics`, constants from their declarations, the
// script's helper functions and k6-utils shims copied into the module). Names it cannot provide
// (a response, k6/http) make the code unusable in a hook: the caller drops it instead.
import type { Node } from "acorn";
import { full } from "acorn-walk";
import type { K6Context, Scope } from "./context.ts";
import { K6_UTILS_SHIMS } from "./shims.ts";

type AnyNode = Node & Record<string, any>;

export interface HookCode {
  /** Lines that define what the code reads, before it. */
  readonly prelude: string[];
  /** Names the code cannot have in a hook, with why. */
  readonly missing: string[];
}

const K6_GLOBALS: Readonly<Record<string, string>> = {
  __VU: "const __VU = ctx.vu;",
  __ITER: "const __ITER = ctx.iteration;",
  __ENV: "const __ENV = ctx.env;",
};

/** Names declared anywhere inside `nodes` (variables, functions, parameters, catch clauses). */
export function declaredNames(nodes: readonly Node[]): Set<string> {
  const names = new Set<string>();
  const addPattern = (p: AnyNode | null | undefined): void => {
    if (!p) return;
    if (p.type === "Identifier") names.add(p.name);
    else if (p.type === "ObjectPattern") for (const prop of p.properties) addPattern(prop.type === "RestElement" ? prop.argument : prop.value);
    else if (p.type === "ArrayPattern") for (const e of p.elements) addPattern(e);
    else if (p.type === "RestElement") addPattern(p.argument);
    else if (p.type === "AssignmentPattern") addPattern(p.left);
  };
  for (const node of nodes) {
    full(node, (n: AnyNode) => {
      if (n.type === "VariableDeclarator") addPattern(n.id);
      else if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression") {
        if (n.id) names.add(n.id.name);
        for (const p of n.params) addPattern(p);
      } else if (n.type === "CatchClause") addPattern(n.param);
      else if (n.type === "ClassDeclaration" && n.id) names.add(n.id.name);
    });
  }
  return names;
}

/** Identifiers `nodes` read (not property names or object keys), in first-use order. */
export function referencedNames(nodes: readonly Node[]): string[] {
  const seen = new Set<string>();
  const skip = new WeakSet<Node>();
  for (const node of nodes) {
    full(node, (n: AnyNode) => {
      if (n.type === "MemberExpression" && !n.computed) skip.add(n.property);
      else if (n.type === "Property" && !n.computed) {
        if (!n.shorthand) skip.add(n.key);
      } else if (n.type === "MethodDefinition" || n.type === "PropertyDefinition") skip.add(n.key);
      else if ((n.type === "LabeledStatement" || n.type === "BreakStatement" || n.type === "ContinueStatement") && n.label) skip.add(n.label);
    });
  }
  for (const node of nodes) {
    full(node, (n: AnyNode) => {
      if (n.type === "Identifier" && !skip.has(n)) seen.add(n.name);
    });
  }
  return [...seen];
}

/** Names the code assigns (`x = …`, `x++`) that it does not declare itself. */
export function assignedOuterNames(nodes: readonly Node[]): string[] {
  const declared = declaredNames(nodes);
  const out = new Set<string>();
  for (const node of nodes) {
    full(node, (n: AnyNode) => {
      const target = n.type === "AssignmentExpression" ? n.left : n.type === "UpdateExpression" ? n.argument : undefined;
      if (target?.type === "Identifier" && !declared.has(target.name)) out.add(target.name);
    });
  }
  return [...out];
}

/** Names declared at the top level of `nodes` (what a hook returns for later steps). */
export function topLevelDeclared(nodes: readonly Node[]): string[] {
  const out: string[] = [];
  for (const node of nodes as AnyNode[]) {
    if (node.type === "VariableDeclaration") for (const d of node.declarations) if (d.id.type === "Identifier") out.push(d.id.name);
  }
  return out;
}

/**
 * What a hook needs before `nodes` to have every name they read; `assigned` are declared with
 * `let`; `given` are names the caller defines itself (setup's k6/http shim).
 */
export function hookCode(nodes: readonly Node[], scope: Scope, cx: K6Context, assigned: readonly string[] = [], given: ReadonlySet<string> = new Set()): HookCode {
  const prelude: string[] = [];
  const missing: string[] = [];
  const provided = new Set<string>(given);
  const provide = (names: readonly string[], inside: Set<string>, depth: number): void => {
    if (depth > 20) return;
    for (const name of names) {
      if (inside.has(name) || provided.has(name)) continue;
      provided.add(name);
      const mutable = assigned.includes(name) ? "let" : "const";
      if (K6_GLOBALS[name]) {
        prelude.push(K6_GLOBALS[name]!);
        continue;
      }
      const binding = scope.get(name);
      if (!binding) continue; // a JavaScript global (Math, JSON, console …) or one the code declares itself
      if (binding.variable !== undefined) {
        prelude.push(`${mutable} ${name} = ctx.vars[${JSON.stringify(binding.variable)}];`);
        continue;
      }
      const value = binding.value;
      switch (value?.kind) {
        case "row":
          prelude.push(`${mutable} ${name} = ctx.data[${JSON.stringify(value.feed)}];`);
          continue;
        case "setup":
          prelude.push(`${mutable} ${name} = ctx.setup;`);
          continue;
        case "metric":
          prelude.push(`const ${name} = ctx.metrics.${value.type}(${JSON.stringify(value.metric)});`);
          continue;
        case "response":
          missing.push(`${name} (the response of ${String(value.step.request.method)} ${String(value.step.request.url)}: a hook does not see responses)`);
          continue;
        case "import": {
          const shim = K6_UTILS_SHIMS[value.name];
          if (value.module === "k6-utils" && shim) cx.hooks.helper(value.name, shim);
          else missing.push(`${name} (imported from ${value.module}: a hook cannot import it)`);
          continue;
        }
        case "function": {
          const code = cx.code(value.node);
          const own = declaredNames([value.node]);
          provideModuleLevel(value.node, name, code, own, cx, scope, missing, depth);
          continue;
        }
        case "feed":
          missing.push(`${name} (the data feed ${value.feed}: a hook sees only the VU's current row, ctx.data.${value.feed})`);
          continue;
        default:
          if (binding.init !== undefined) {
            provide(referencedNames([binding.init]), declaredNames([binding.init]), depth + 1);
            prelude.push(`${mutable} ${name} = ${cx.code(binding.init)};`);
          } else {
            missing.push(`${name} (${binding.unknown ?? "its value is not known to the converter"})`);
          }
      }
    }
  };
  provide(referencedNames(nodes), declaredNames(nodes), 0);
  return { prelude, missing };
}

/** A helper function of the script, copied to the module once (its own free names must be constants or k6 globals it cannot see there). */
function provideModuleLevel(node: Node, name: string, code: string, own: Set<string>, cx: K6Context, scope: Scope, missing: string[], depth: number): void {
  if (cx.hooks.hasHelper(name)) return;
  const text = (node as AnyNode).type === "FunctionDeclaration" ? code : `const ${name} = ${code};`;
  cx.hooks.helper(name, `// ${cx.at(node)}\n${text}`);
  for (const free of referencedNames([node])) {
    if (own.has(free) || free === name) continue;
    const binding = scope.get(free);
    if (!binding) continue;
    if (binding.value?.kind === "function" && depth < 20) {
      provideModuleLevel(binding.value.node, free, cx.code(binding.value.node), declaredNames([binding.value.node]), cx, scope, missing, depth + 1);
    } else if (binding.value?.kind === "import" && binding.value.module === "k6-utils" && K6_UTILS_SHIMS[binding.value.name]) {
      cx.hooks.helper(binding.value.name, K6_UTILS_SHIMS[binding.value.name]!);
    } else if (binding.init !== undefined && !referencedNames([binding.init]).some((n) => n in K6_GLOBALS)) {
      cx.hooks.helper(free, `const ${free} = ${cx.code(binding.init)};`);
    } else {
      missing.push(`${free} (read by the helper ${name}, which runs at module level in the hooks module)`);
    }
  }
}
