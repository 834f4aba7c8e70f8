// The plan schema as JSON Schema (draft-07), for editor completion via yaml-language-server:
//   # yaml-language-server: $schema=./loadr.schema.json
// Converts only the valibot pieces the plan schema uses; dispatchers (steps, checks, executors)
// become `anyOf`, named ones go under `definitions` so recursive steps stay finite.
import type { PlanSyntax } from "../syntax.ts";
import { SCHEMA_INFO, type Schema } from "./helpers.ts";
import { planSchemaFor } from "./plan.ts";

export type JsonSchema = Record<string, unknown>;

interface Node {
  type: string;
  pipe?: readonly Node[];
  entries?: Record<string, Node>;
  item?: Node;
  value?: Node;
  wrapped?: Node;
  options?: readonly unknown[];
  literal?: unknown;
  kind: string;
  requirement?: unknown;
  description?: string;
}

/** The JSON Schema of plans that may use the modules of `syntax` (their steps and executors). */
export function planJsonSchema(syntax: PlanSyntax): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const root = convert(planSchemaFor(syntax), definitions);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://loadr.dev/schema/plan.json",
    title: "loadr test plan",
    ...root,
    definitions,
  };
}

function convert(schema: Schema, definitions: Record<string, JsonSchema>): JsonSchema {
  const info = SCHEMA_INFO.get(schema);
  if (info?.kind === "dispatch") {
    const only = info.options();
    // A dispatcher with one shape (a map that refuses lists) is that shape.
    if (!info.name && only.length === 1) return convert(only[0]!, definitions);
    const build = () => ({ anyOf: info.options().map((o) => convert(o, definitions)) });
    if (!info.name) return build();
    if (!(info.name in definitions)) {
      definitions[info.name] = {}; // placeholder: breaks recursion
      definitions[info.name] = build();
    }
    return { $ref: `#/definitions/${info.name}` };
  }
  const node = schema as unknown as Node;
  if (node.pipe) {
    const [base, ...actions] = node.pipe;
    const out = convert(base as unknown as Schema, definitions);
    for (const action of actions) {
      if (action.type === "description") out.description = action.description;
      if (action.type === "raw_check" && info?.kind === "strict") out.additionalProperties = false;
      if (action.type === "integer" && out.type === "number") out.type = "integer";
      if (action.type === "min_value") out.minimum = action.requirement;
      if (action.type === "max_value" && action.requirement !== Number.MAX_SAFE_INTEGER) out.maximum = action.requirement;
      if (action.type === "gt_value") out.exclusiveMinimum = action.requirement;
      if (action.type === "min_length") out.minItems = action.requirement;
    }
    return out;
  }
  switch (node.type) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return { type: node.type };
    case "literal":
      return { const: node.literal };
    case "picklist":
      return { enum: [...(node.options ?? [])] };
    case "union":
      return { anyOf: (node.options ?? []).map((o) => convert(o as Schema, definitions)) };
    case "optional":
      return convert(node.wrapped as unknown as Schema, definitions);
    case "array":
      return { type: "array", items: convert(node.item as unknown as Schema, definitions) };
    case "record":
      return { type: "object", additionalProperties: convert(node.value as unknown as Schema, definitions) };
    case "object":
    case "loose_object":
    case "strict_object": {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [key, value] of Object.entries(node.entries ?? {})) {
        properties[key] = convert(value as unknown as Schema, definitions);
        if (value.type !== "optional") required.push(key);
      }
      return { type: "object", properties, ...(required.length ? { required } : {}) };
    }
    default:
      return {};
  }
}
