// The `graphql:` step: an HTTP POST of `{query, variables, operationName}` (JSON) on the VU's
// HTTP session (src/protocols/http1, through `vu.session("http")`: no HTTP code of its own), its
// samples tagged `operation` by the operation name. A response whose `errors` array is non-empty
// is a failed request: its checks fail, graphql_req_failed counts it with `error: graphql`, and
// its messages become a note of the run's summary (`vu.warn`, deduplicated).
import type { TemplateScope } from "../../../config/plan.ts";
import { renderJson } from "../../../config/templates.ts";
import type { StepKind } from "../../../plugin-api/types.ts";
import { runChecks } from "../../../core/checks/run.ts";
import { missMessage, runExtractors } from "../../../core/extract/extractors.ts";
import type { ResolvedRequest } from "../../types.ts";
import { HTTP_PROTOCOL } from "../../http1/step/request-step.ts";
import { withGraphqlErrors } from "./graphql-errors.ts";
import { normalizeGraphql } from "./normalize.ts";
import { graphqlStepSchema } from "./schema.ts";
import type { GraphqlStepSpec } from "./spec.ts";

export const graphqlStep: StepKind<GraphqlStepSpec> = {
  key: "graphql",
  schema: graphqlStepSchema,
  normalize: normalizeGraphql,
  compile(spec, loc, cc) {
    const operation = spec.operationName ?? "";
    const tags = Object.freeze({ ...cc.tags, ...spec.tags, operation, scenario: cc.scenario, group: cc.group });
    const checks = cc.compileChecks(spec.checks, cc.group, { ...spec.tags, operation });
    const extract = cc.compileExtractions(spec.extract);
    const hasContentType = spec.headers.some(([name]) => name === "content-type");
    const build = (scope: TemplateScope): ResolvedRequest => {
      const headers: Array<[string, string]> = spec.headers.map(([name, t]) => [name, t.render(scope)]);
      if (!hasContentType) headers.push(["content-type", "application/json"]);
      const payload: Record<string, unknown> = { query: spec.query.render(scope) };
      if (spec.variables !== undefined) payload.variables = renderJson(spec.variables, scope);
      if (spec.operationName !== undefined) payload.operationName = spec.operationName;
      return {
        name: spec.name,
        method: "POST",
        url: cc.joinUrl(spec.url.render(scope)),
        headers,
        body: JSON.stringify(payload),
        timeout: spec.timeout,
        connectTimeout: spec.connectTimeout,
        maxRedirects: 0,
        tls: spec.tls,
      };
    };
    return {
      kind: "graphql",
      loc,
      async run(vu, signal) {
        const sent = await vu.session(HTTP_PROTOCOL).send(build(vu.scope), tags, signal);
        if (signal.aborted) return;
        const response = withGraphqlErrors(sent);
        const error = response.error?.code;
        const sample = { ...tags, name: spec.name, ...(error === undefined ? {} : { error }) };
        vu.metrics.add("graphql_reqs", 1, sample);
        vu.metrics.add("graphql_req_failed", error === undefined ? 0 : 1, sample);
        if (response !== sent) vu.warn(`graphql ${spec.name}: the server answered with errors: ${response.error!.message}`);
        if (checks.length > 0) runChecks(checks, response, vu.scope, vu.metrics);
        if (extract.length > 0) runExtractors(extract, response, vu.scope.vars, vu.cookies, (miss) => vu.warn(missMessage(miss)));
      },
    };
  },
};
