// Request bodies: compiled once per request step, rendered per request.
// - json: the rendered JsonTemplate, JSON.stringify'd; content type application/json.
// - form: application/x-www-form-urlencoded of the rendered fields, in order.
// - raw:  the rendered text; content type from the spec, if any.
// - file: the file's bytes, read once (first use) and shared by every VU of the factory.
// A body whose templates are all static is rendered once at compile time.
import type { TemplateScope } from "../../../config/plan.ts";
import { EMPTY_SCOPE, isStaticJson, renderJson } from "../../../config/templates.ts";
import type { ReadPlanFile } from "../../../core/modules.ts";
import type { BodySpec } from "./spec.ts";

const JSON_CONTENT_TYPE = "application/json";
const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

export interface CompiledBody {
  /** Content type to send when the request's headers set none. */
  readonly contentType: string | undefined;
  /** True when `value` no longer depends on the scope (once `load` has resolved, for files). */
  readonly isStatic: boolean;
  /** A promise to await before `value`, or undefined when the body is ready (no allocation). */
  load(): Promise<void> | undefined;
  value(scope: TemplateScope): string | Uint8Array;
}

function fixedBody(contentType: string | undefined, text: string | Uint8Array): CompiledBody {
  return { contentType, isStatic: true, load: () => undefined, value: () => text };
}

function renderedBody(contentType: string | undefined, render: (scope: TemplateScope) => string, isStatic: boolean) {
  return isStatic ? fixedBody(contentType, render(EMPTY_SCOPE)) : { contentType, isStatic, load: () => undefined, value: render };
}

export function compileBody(spec: BodySpec, readFile: ReadPlanFile): CompiledBody {
  switch (spec.kind) {
    case "json": {
      const json = spec.value;
      return renderedBody(JSON_CONTENT_TYPE, (scope) => JSON.stringify(renderJson(json, scope)), isStaticJson(json));
    }
    case "form": {
      const fields = spec.fields;
      const render = (scope: TemplateScope): string => {
        const params = new URLSearchParams();
        for (const [name, template] of fields) params.append(name, template.render(scope));
        return params.toString();
      };
      return renderedBody(FORM_CONTENT_TYPE, render, fields.every(([, t]) => t.isStatic));
    }
    case "raw": {
      const text = spec.text;
      return renderedBody(spec.contentType, (scope) => text.render(scope), text.isStatic);
    }
    case "file":
      return fileBody(spec.path, spec.contentType, readFile);
  }
}

function fileBody(path: string, contentType: string | undefined, readFile: ReadPlanFile): CompiledBody {
  let bytes: Uint8Array | undefined;
  let pending: Promise<void> | undefined;
  return {
    contentType,
    get isStatic() {
      return bytes !== undefined;
    },
    load() {
      if (bytes) return undefined;
      // A failed read is not cached: the next iteration retries (and fails loudly again).
      pending ??= readFile(path).then(
        (b) => {
          bytes = b;
        },
        (error: unknown) => {
          pending = undefined;
          throw new Error(`cannot read request body file "${path}": ${(error as Error)?.message ?? error}`);
        },
      );
      return pending;
    },
    value() {
      if (!bytes) throw new Error(`request body file "${path}" used before it was loaded`);
      return bytes;
    },
  };
}
