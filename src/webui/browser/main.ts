// The web UI's entry: asks the server which host it is (GET /api/ui: the controller's console,
// or one local run under `loadr run --dashboard`), asks for the API token when the server wants
// one, and shows the page the URL fragment names (route.ts). Light/dark follows the system unless
// the viewer picks one (kept in localStorage).
import "../../ui-kit/browser/index.ts";
import "./style.css";
import { html, render } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, authState, getJson, onAuth, setToken, token, type AuthState } from "./api.ts";
import { href, useRoute } from "./route.ts";
import type { UiInfo } from "./types.ts";
import { ComparePage } from "./views/compare.ts";
import { FleetPage } from "./views/fleet.ts";
import { RunPage } from "./views/run.ts";
import { RunsPage } from "./views/runs.ts";
import { SubmitPage } from "./views/submit.ts";

const THEME_KEY = "loadr.theme";

function applyTheme(theme: string): void {
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

function Login(props: { state: AuthState }) {
  const [value, setValue] = useState("");
  return html`<section class="login" aria-labelledby="login-title">
    <h1 id="login-title">API token</h1>
    <p>This controller needs its API token (<code>--api-token</code>). It is kept for this tab only and sent as a bearer header.</p>
    ${props.state === "wrong" ? html`<p class="problem" role="alert" data-testid="login-error">The controller refused that token: it is not the controller's --api-token. Check it and try again.</p>` : null}
    <form onSubmit=${(e: Event) => { e.preventDefault(); setToken(value.trim()); location.reload(); }}>
      <label>Token <input type="password" autocomplete="current-password" required value=${value} data-testid="token" onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" data-testid="login">Sign in</button>
    </form>
  </section>`;
}

function App() {
  const route = useRoute();
  const [auth, setAuth] = useState<AuthState>(authState());
  const [ui, setUi] = useState<UiInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [theme, setTheme] = useState(() => localStorage.getItem(THEME_KEY) ?? "system");
  useEffect(() => onAuth(setAuth), []);
  useEffect(() => {
    applyTheme(theme);
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);
  useEffect(() => {
    getJson<UiInfo>("/api/ui").then(setUi, (e: Error) => {
      if (!(e instanceof ApiError && e.status === 401)) setError(`the server did not answer: ${e.message}`);
    });
  }, [auth === "ok"]);
  let page;
  if (auth !== "ok") page = html`<${Login} state=${auth} />`;
  else if (error) page = html`<p class="problem" role="alert">${error}</p>`;
  else if (!ui) page = html`<p class="muted">loading…</p>`;
  else if (ui.mode === "dashboard") page = html`<${RunPage} id=${ui.runId ?? "local"} dashboard=${true} />`;
  else if (route.page === "runs") page = html`<${RunsPage} />`;
  else if (route.page === "run") page = html`<${RunPage} id=${route.id} />`;
  else if (route.page === "compare") page = html`<${ComparePage} a=${route.a} b=${route.b} />`;
  else if (route.page === "submit") page = html`<${SubmitPage} />`;
  else page = html`<${FleetPage} />`;
  const nav = (to: string, label: string, active: boolean) => html`<a href=${to} aria-current=${active ? "page" : undefined}>${label}</a>`;
  return html`<header class="top">
      <a class="brand" href=${href.fleet}>loadr</a>
      ${ui?.mode === "controller" && auth === "ok" ? html`<nav aria-label="main">
        ${nav(href.fleet, "Fleet", route.page === "fleet")}
        ${nav(href.runs, "Runs", route.page === "runs" || route.page === "run" || route.page === "compare")}
        ${nav(href.submit, "Submit", route.page === "submit")}
      </nav>` : ui?.mode === "dashboard" ? html`<span class="muted">local run dashboard</span>` : null}
      <span class="spacer"></span>
      <label class="theme">Theme <select value=${theme} onChange=${(e: Event) => setTheme((e.target as HTMLSelectElement).value)}>
        <option value="system">system</option><option value="light">light</option><option value="dark">dark</option>
      </select></label>
      ${token() ? html`<button type="button" class="link" onClick=${() => { setToken(null); location.reload(); }}>Forget token</button>` : null}
    </header>
    <main id="main" tabindex="-1">${page}</main>`;
}

// The shell's static header and "loading…" (painted before this script ran) make way for the app.
const root = document.getElementById("app")!;
root.textContent = "";
render(html`<${App} />`, root);
