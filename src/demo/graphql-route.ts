// The demo's GraphQL endpoint (`POST /graphql` with JSON `{query, variables, operationName}`, or
// `GET /graphql?query=…`): a hand-written resolver for one query shape, `item(id: ID!): {id,
// name}` — items 1..10 are `item-<id>`, any other id is `null`. A field other than id/name, a
// query without `item(id: …)` or an unreadable body answers `{"errors": [...]}` (status 200 for
// GraphQL errors, 400 for a body that is not a GraphQL request), as GraphQL servers do. Each
// operation is counted under `graphql` (byProtocol.graphql). Bodies over MAX_BODY_BYTES are refused.
import type { DemoRoute } from "./protocol-routes.ts";

const MAX_BODY_BYTES = 64 * 1024;
const ITEMS = 10;
const FIELDS = new Set(["id", "name"]);
const PROTOCOL = "graphql";

const answer = (body: unknown, status = 200) => Response.json(body, { status });
const failure = (message: string, status = 200) => answer({ errors: [{ message }] }, status);

interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
}

async function readRequest(request: Request): Promise<GraphqlRequest | string> {
  if (request.method === "GET") {
    const params = new URL(request.url).searchParams;
    let variables: unknown = {};
    try {
      variables = JSON.parse(params.get("variables") ?? "{}");
    } catch {
      return "variables is not JSON";
    }
    return { query: params.get("query") ?? "", variables: (variables ?? {}) as Record<string, unknown> };
  }
  if (request.method !== "POST") return `use POST (or GET), not ${request.method}`;
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) return `the body is over ${MAX_BODY_BYTES} bytes`;
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return `the body is over ${MAX_BODY_BYTES} bytes`;
  let body: { query?: unknown; variables?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    return "the body is not JSON";
  }
  if (typeof body?.query !== "string") return "the body has no query";
  const variables = typeof body.variables === "object" && body.variables !== null ? (body.variables as Record<string, unknown>) : {};
  return { query: body.query, variables };
}

export const graphqlRoute: DemoRoute = async (request, ctx) => {
  const parsed = await readRequest(request);
  ctx.state.stats.count(PROTOCOL, PROTOCOL);
  if (typeof parsed === "string") return failure(parsed, 400);
  const match = /\bitem\s*\(\s*id\s*:\s*(\$\w+|"[^"]*"|\d+)\s*\)\s*\{([^}]*)\}/.exec(parsed.query);
  if (!match) return failure('this demo answers one query: { item(id: ID!) { id name } }');
  const arg = match[1]!;
  const id = arg.startsWith("$") ? parsed.variables[arg.slice(1)] : arg.replace(/"/g, "");
  if (id === undefined) return failure(`variable "${arg}" is not given`);
  const fields = match[2]!.split(/[\s,]+/).filter((f) => f !== "");
  const unknown = fields.find((f) => !FIELDS.has(f));
  if (unknown !== undefined) return failure(`Cannot query field "${unknown}" on type "Item"`);
  const n = Number(id);
  if (!Number.isInteger(n) || n < 1 || n > ITEMS) return answer({ data: { item: null } });
  const item: Record<string, string> = {};
  for (const field of fields) item[field] = field === "id" ? String(n) : `item-${n}`;
  return answer({ data: { item } });
};
