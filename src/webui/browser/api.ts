// The page's one way to the server: JSON calls and Server-Sent Events over fetch, with the API
// token (when the server needs one) as a bearer header. The token is asked for once, kept in
// sessionStorage (this tab only, gone when it closes), never put in a URL. EventSource cannot send
// headers, so event streams are read from fetch and parsed here (text/event-stream). A 401 tells
// the listeners whether a token was missing or wrong; nothing else handles it.

const TOKEN_KEY = "loadr.apiToken";

export type AuthState = "ok" | "needed" | "wrong";

let auth: AuthState = "ok";
const authListeners = new Set<(state: AuthState) => void>();

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
  setAuth("ok");
}

function setAuth(state: AuthState): void {
  if (auth === state) return;
  auth = state;
  for (const l of authListeners) l(state);
}

export function authState(): AuthState {
  return auth;
}

export function onAuth(listener: (state: AuthState) => void): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

/** An answer that was not 2xx: the server's own words (ErrorResponse) when it sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const t = token();
  return { ...extra, ...(t ? { authorization: `Bearer ${t}` } : {}) };
}

async function failure(response: Response): Promise<ApiError> {
  if (response.status === 401) setAuth(token() ? "wrong" : "needed");
  let body: { error?: string; hint?: string } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {}
  return new ApiError(response.status, body.error ?? `HTTP ${response.status}`, body.hint);
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: headers(), ...(signal ? { signal } : {}) });
  if (!response.ok) throw await failure(response);
  setAuth("ok");
  return (await response.json()) as T;
}

export async function getText(path: string): Promise<string> {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) throw await failure(response);
  return response.text();
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, { method: "POST", headers: headers({ "content-type": "application/json" }), body: JSON.stringify(body) });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** Delay before reconnecting a dropped event stream. */
const RECONNECT_MS = 1_000;

/**
 * Reads an SSE stream until `signal` aborts, reconnecting after a drop (unless `onEvent` returns
 * "done"). `onError` hears each failure (the page shows it; a 401 also reaches the auth listeners).
 */
export function streamEvents(path: string, signal: AbortSignal, onEvent: (type: string, data: unknown) => void | "done", onError: (error: Error) => void = () => {}): void {
  const loop = async () => {
    while (!signal.aborted) {
      let done = false;
      try {
        const response = await fetch(path, { headers: headers({ accept: "text/event-stream" }), signal });
        if (!response.ok || !response.body) throw await failure(response);
        setAuth("ok");
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done: ended } = await reader.read();
          if (ended) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let type = "message";
            const data: string[] = [];
            for (const line of block.split("\n")) {
              if (line.startsWith("event:")) type = line.slice(6).trim();
              else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
            }
            if (data.length === 0) continue;
            if (onEvent(type, JSON.parse(data.join("\n"))) === "done") done = true;
          }
          if (done) {
            await reader.cancel();
            return;
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        onError(error as Error);
        if (error instanceof ApiError && error.status === 401) return;
      }
      if (done) return;
      await new Promise((r) => setTimeout(r, RECONNECT_MS));
    }
  };
  void loop();
}
