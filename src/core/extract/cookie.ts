// `{ cookie: NAME }`: the value the response sets for cookie NAME (Set-Cookie; the last one wins,
// as it would in a jar), else the VU's jar's current value of it.
import { str, strict } from "../../config/schema/helpers.ts";
import type { ExtractKind } from "../../plugin-api/types.ts";

export interface CookieExtraction {
  cookie: string;
}

export const cookieExtraction: ExtractKind<CookieExtraction> = {
  key: "cookie",
  schema: strict({ cookie: str("a cookie name") }, "cookie extraction"),
  normalize: (raw) => (typeof raw.cookie === "string" ? { cookie: raw.cookie } : undefined),
  extract: (spec, response, jar) => setCookieValue(response.headers["set-cookie"], spec.cookie) ?? jar.get(spec.cookie),
  describe: (spec) => `cookie ${spec.cookie}`,
};

/**
 * The value of cookie `name` in a response's Set-Cookie header values; the last one wins, as it
 * would in a jar. Undefined when the response sets no such cookie.
 */
export function setCookieValue(setCookies: readonly string[] | undefined, name: string): string | undefined {
  if (!setCookies) return undefined;
  let found: string | undefined;
  for (const header of setCookies) {
    const end = header.indexOf(";");
    const pair = end < 0 ? header : header.slice(0, end);
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    found = value;
  }
  return found;
}
