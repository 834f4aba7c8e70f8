// The hooks module of examples/hooks/plan.yaml. TypeScript is accepted (transpiled, not type
// checked); it may import its own files. It runs isolated: no process, Bun, require or fetch.
import { hex, weightedPick } from "./lib.ts";
import catalog from "./catalog.json";

const SECRET = "demo-signing-key";

interface Ctx {
  vu: number;
  iteration: number;
  vars: Record<string, string | number | boolean>;
  setup: { token: string; user: string };
  http: { request(r: { method?: string; url: string; headers?: Record<string, string>; json?: unknown }): Promise<{ status: number; json(): any }> };
  metrics: { trend(name: string): { add(value: number, tags?: Record<string, string>): void } };
}

/** Once for the whole run, before any VU starts: log in and share the token. */
export async function setup(ctx: Ctx) {
  const res = await ctx.http.request({ method: "POST", url: "/login", json: { user: "shopper", password: "s3cret" } });
  if (res.status !== 200) throw new Error(`login failed with status ${res.status}`);
  return { token: res.json().token as string, user: "shopper" };
}

/** A product by weight (bestsellers more often), and a quantity; records the cart's value. */
export function pickProduct(ctx: Ctx) {
  const product = weightedPick(catalog.products, Math.random());
  const quantity = 1 + Math.floor(Math.random() * 3);
  const value = product.price * quantity;
  ctx.metrics.trend("cart_value").add(value, { tier: value > 100 ? "gold" : "standard" });
  return { product: product.id, quantity, price: product.price };
}

/** The order body and its HMAC-SHA256 signature (Web Crypto), sent as x-signature. */
export async function signOrder(ctx: Ctx, product: string, quantity: string) {
  const body = JSON.stringify({ product, quantity: Number(quantity), vu: ctx.vu });
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signature = hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return { body, signature };
}

/** A check: /echo returns the headers it got; true passes, a string is the reason it failed. */
export function echoedSignatureMatches(ctx: Ctx, res: { json(): any }) {
  const echoed = res.json().headers["x-signature"];
  return echoed === ctx.vars.signature || `x-signature came back as ${echoed}`;
}
