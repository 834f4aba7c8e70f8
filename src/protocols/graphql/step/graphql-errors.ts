// A GraphQL response's `errors` (the GraphQL-over-HTTP convention): a response whose body is a
// JSON object with a non-empty `errors` array failed, whatever its HTTP status. Bounded: at most
// MAX_MESSAGES messages of MAX_MESSAGE_CHARS each are kept for the failure note.
import type { ResponseView } from "../../types.ts";

export const ERR_GRAPHQL = "graphql";
const MAX_MESSAGES = 3;
const MAX_MESSAGE_CHARS = 200;

/** The error messages of `body`, or undefined when it reports none (or is not JSON). */
export function graphqlErrors(body: string): string[] | undefined {
  if (!body.includes('"errors"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.slice(0, MAX_MESSAGES).map((e) => {
    const message = (e as { message?: unknown } | null)?.message;
    return (typeof message === "string" ? message : JSON.stringify(e)).slice(0, MAX_MESSAGE_CHARS);
  });
}

/** `response` marked failed with the GraphQL errors, or unchanged when it has none. */
export function withGraphqlErrors(response: ResponseView): ResponseView {
  if (response.error || response.status === 0) return response;
  const messages = graphqlErrors(response.body);
  if (!messages) return response;
  return { ...response, error: { code: ERR_GRAPHQL, message: messages.join("; ") } };
}
