// HTTP Request samplers (with the HTTP Request Defaults and HTTP Header Managers in their scope)
// → `request:` steps (src/protocols/http1/step/schema.ts). Pure.
//
// - The target: `HTTPSampler.protocol`/`domain`/`port`, each from the nearest defaults when the
//   sampler leaves it empty; `HTTPSampler.path` may also be a whole URL. The request keeps its
//   origin beside it (`Built.origin`): the converter later makes the most common one the plan's
//   `baseUrl` and those requests' URLs relative.
// - Parameters (`HTTPsampler.Arguments`, plus the defaults'): the query for GET/HEAD/DELETE/
//   OPTIONS (URL-encoded when JMeter would, for literal text); for POST/PUT/PATCH a form body,
//   or with `HTTPSampler.postBodyRaw` the raw body. Files (`HTTPsampler.Files`): one file without
//   a parameter name and no parameters is the raw body (`file:`), as JMeter sends it; multipart
//   is not mapped.
// - Headers: every Header Manager in scope, outer first, an inner one replacing a name.
// - Timeouts (ms) → `timeout`/`connectTimeout`; redirects not followed → `maxRedirects: 0`.
import type { JmxContext, Located } from "./context.ts";
import { kindName } from "./labels.ts";
import { argumentsOf, bool, collection, element, prop, str } from "./props.ts";
import { millis } from "./thread-groups.ts";
import { toTemplate, translate, type Part } from "./text.ts";
import type { JmxElement, JmxProp } from "./xml.ts";

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const QUERY_METHODS = new Set(["GET", "HEAD", "DELETE", "OPTIONS"]);

export interface Origin {
  /** `http://host:port` as a template. */
  readonly template: string;
  /** Whether it is known before the run (literals and properties only), so it may be the baseUrl. */
  readonly loadTime: boolean;
  /** Whether it is plain text (a literal URL, which `${env.BASE_URL:-…}` may override). */
  readonly literal: boolean;
}

export interface Built {
  readonly request: Record<string, unknown>;
  readonly origin: Origin | undefined;
  /** The path and query part of the URL (a template), joined to the origin by the converter. */
  readonly path: string;
}

/** The property's value from the sampler, else from the nearest HTTP Request Defaults. */
function inherited(sampler: JmxElement, defaults: readonly JmxElement[], name: string): string {
  const own = str(sampler, name).trim();
  if (own !== "") return own;
  for (const d of defaults) {
    const value = str(d, name).trim();
    if (value !== "") return value;
  }
  return "";
}

export function buildRequest(at: Located, defaults: readonly JmxElement[], headers: ReadonlyArray<readonly [string, string]>, ctx: JmxContext): Built | undefined {
  const { el } = at;
  const text = ctx.runtime(at);
  const render = (raw: string) => toTemplate(translate(raw, text));
  const method = (str(el, "HTTPSampler.method", "GET").trim() || "GET").toUpperCase();
  if (!METHODS.has(method)) {
    ctx.dropped(at, `loadr sends ${[...METHODS].join(", ")}; method ${method} is not mapped`);
    return undefined;
  }

  let rawPath = inherited(el, defaults, "HTTPSampler.path");
  let origin: Origin | undefined;
  const absolute = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(rawPath);
  if (absolute) {
    origin = originOf(absolute[1]!, absolute[2]!, "", at, ctx);
    rawPath = absolute[3] ?? "";
  } else {
    const domain = inherited(el, defaults, "HTTPSampler.domain");
    if (domain !== "") origin = originOf(inherited(el, defaults, "HTTPSampler.protocol") || "http", domain, inherited(el, defaults, "HTTPSampler.port"), at, ctx);
  }
  // JMeter adds the leading slash after substitution; one that starts with ${…} may bring its own.
  if (rawPath !== "" && !rawPath.startsWith("/") && !rawPath.startsWith("${")) rawPath = `/${rawPath}`;
  let path = render(rawPath || "/");

  const request: Record<string, unknown> = { name: el.attrs.testname || kindName(el), method };
  const args = [...argumentsOf(el, "HTTPsampler.Arguments"), ...defaults.flatMap((d) => argumentsOf(d, "HTTPsampler.Arguments"))];
  const files = collection(element(el, "HTTPsampler.Files") ?? { props: [] }, "HTTPFileArgs.files").map((f) => ({
    path: str(f, "File.path"),
    param: str(f, "File.paramname"),
    mime: str(f, "File.mimetype"),
  }));
  const raw = bool(el, "HTTPSampler.postBodyRaw");
  const multipart = bool(el, "HTTPSampler.DO_MULTIPART_POST") || bool(el, "HTTPSampler.BROWSER_COMPATIBLE_MULTIPART");

  const own: Array<readonly [string, string]> = [];
  for (const [name, value] of headers) {
    const i = own.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (i !== -1) own.splice(i, 1);
    own.push([name, value]);
  }

  let body: Record<string, unknown> = {};
  if (QUERY_METHODS.has(method) && !raw) {
    const query = args.filter((a) => a.name !== "" || a.value !== "").map((a) => queryPair(a.prop, a.name, a.value, ctx.runtime(at, bool(a.prop, "HTTPArgument.always_encode"))));
    const dynamic = args.filter((a) => bool(a.prop, "HTTPArgument.always_encode") && translate(a.value, ctx.runtime(at, true)).some((p) => p.kind === "expr"));
    if (dynamic.length > 0) {
      ctx.mapped(at, `the value${dynamic.length === 1 ? "" : "s"} of ${dynamic.map((a) => a.name).join(", ")} ${dynamic.length === 1 ? "is" : "are"} known only at run time and sent as rendered (loadr does not URL-encode them; JMeter does)`, "URL-encoded parameters");
    }
    if (query.length > 0) path += (path.includes("?") ? "&" : "?") + query.join("&");
  } else if (raw || (args.length === 1 && args[0]!.name === "" && !QUERY_METHODS.has(method))) {
    body = { body: render(args.map((a) => a.value).join("")) };
  } else if (args.length > 0) {
    const form: Record<string, string> = {};
    for (const a of args) {
      if (Object.hasOwn(form, a.name)) ctx.dropped(at, `the parameter "${a.name}" is sent twice; a form: map holds it once (the first value is kept)`, "repeated parameter");
      else form[a.name] = render(a.value);
    }
    body = { form };
  }

  if (files.length > 0) {
    const single = files.length === 1 && files[0]!.param === "" && Object.keys(body).length === 0 && !multipart;
    if (single) {
      const file = files[0]!;
      body = { file: render(file.path), ...(file.mime ? { contentType: file.mime } : {}) };
      if (!file.path.includes("${") && !ctx.files.includes(file.path)) ctx.files.push(file.path);
      ctx.mapped(at, `the file ${file.path} is the request body`, "file upload");
    } else {
      ctx.dropped(at, `multipart uploads (${files.map((f) => f.path).join(", ")}) are not mapped: loadr has no multipart body; the request is sent without the files`, "multipart files");
    }
  } else if (multipart && Object.keys(body).length > 0) {
    ctx.dropped(at, "multipart/form-data is sent as an urlencoded form: loadr has no multipart body", "multipart form");
  }

  request.url = path;
  if (own.length > 0) request.headers = Object.fromEntries(own.map(([n, v]) => [n, v]));
  Object.assign(request, body);
  const timeout = inherited(el, defaults, "HTTPSampler.response_timeout");
  const connect = inherited(el, defaults, "HTTPSampler.connect_timeout");
  if (/^\d+$/.test(timeout) && Number(timeout) > 0) request.timeout = millis(Number(timeout));
  if (/^\d+$/.test(connect) && Number(connect) > 0) request.connectTimeout = millis(Number(connect));
  // JMeter reads an absent flag as false (its GUI saves follow_redirects=true by default).
  const follows = bool(el, "HTTPSampler.follow_redirects") || bool(el, "HTTPSampler.auto_redirects");
  if (!follows) request.maxRedirects = 0;
  // (The defaults' own "retrieve embedded resources" is noted once, at the defaults element.)
  if (bool(el, "HTTPSampler.image_parser")) {
    ctx.dropped(at, "embedded resources (images, scripts, styles of an HTML page) are not fetched: loadr requests the page only", "embedded resources");
  }
  return { request, origin, path };
}

/** A header manager's headers as template pairs. */
export function headersOf(at: Located, ctx: JmxContext): Array<readonly [string, string]> {
  const text = ctx.runtime(at);
  return collection(at.el, "HeaderManager.headers")
    .map((h) => [str(h, "Header.name").trim(), toTemplate(translate(str(h, "Header.value"), text))] as const)
    .filter(([name]) => name !== "");
}

function originOf(protocol: string, hostPort: string, port: string, at: Located, ctx: JmxContext): Origin {
  const load = ctx.loadTime(at);
  const proto = translate(protocol.toLowerCase(), load);
  const host = translate(hostPort, load);
  const portParts = translate(port, load);
  const defaultPort = protocol.toLowerCase() === "https" ? "443" : "80";
  const only = portParts.length === 1 ? portParts[0] : undefined;
  const portText = only?.kind === "text" ? only.text.trim() : undefined;
  const withPort: Part[] = [...proto, { kind: "text", text: "://" }, ...host];
  if (portParts.length > 0 && portText !== defaultPort && portText !== "") withPort.push({ kind: "text", text: ":" }, ...portParts);
  const template = toTemplate(withPort);
  return {
    template,
    loadTime: withPort.every((p) => p.kind !== "expr"),
    literal: withPort.every((p) => p.kind === "text"),
  };
}

/** One `name=value` of a query, URL-encoded as JMeter encodes literal text when asked to. */
function queryPair(arg: JmxProp, name: string, value: string, text: ReturnType<JmxContext["runtime"]>): string {
  const encode = bool(arg, "HTTPArgument.always_encode");
  const useEquals = prop(arg, "HTTPArgument.use_equals") === undefined ? true : bool(arg, "HTTPArgument.use_equals");
  const piece = (raw: string) =>
    translate(raw, text)
      .map((p) => (p.kind === "text" ? toTemplate([{ kind: "text", text: encode ? formEncode(p.text) : p.text }]) : toTemplate([p])))
      .join("");
  const v = piece(value);
  return useEquals || v !== "" ? `${piece(name)}=${v}` : piece(name);
}

/** `application/x-www-form-urlencoded` encoding, as Java's URLEncoder does it. */
function formEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}
