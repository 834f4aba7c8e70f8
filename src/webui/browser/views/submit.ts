// Submitting a plan: paste or upload the YAML, add its data files (sent as base64 under their
// file names, which is how the plan refers to them) and ${env.NAME} values, validate (POST
// /api/plans/validate: the same checks a submission gets) and submit (POST /api/runs). Problems
// are listed with line:col; choosing one moves the editor's cursor there.
import { html } from "htm/preact";
import { useRef, useState } from "preact/hooks";
import { ApiError, postJson } from "../api.ts";
import { envOf } from "../../env-lines.ts";
import { offsetOf, problemsOf, type Problem } from "../../plan-problems.ts";
import { href } from "../route.ts";

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export function SubmitPage() {
  const [yaml, setYaml] = useState("");
  const [planFile, setPlanFile] = useState("plan.yaml");
  const [files, setFiles] = useState<File[]>([]);
  const [env, setEnv] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [result, setResult] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);

  const request = async () => {
    const e = envOf(env);
    if ("error" in e) throw new ApiError(400, e.error as string);
    const shipped: Record<string, string> = {};
    for (const f of files) shipped[f.name] = await base64Of(f);
    return { plan: yaml, planFile, files: shipped, env: e as Record<string, string> };
  };
  const run = async (what: "validate" | "submit") => {
    setBusy(true);
    setProblems([]);
    setResult(null);
    try {
      const body = await request();
      if (what === "validate") {
        const ok = await postJson<{ planName: string; scenarios: string[]; agents: number }>("/api/plans/validate", body);
        setResult({ ok: true, text: `valid: plan "${ok.planName}", scenarios ${ok.scenarios.join(", ")}${ok.agents ? `, on ${ok.agents} agent(s)` : ""}` });
      } else {
        const answer = await postJson<{ id: string }>("/api/runs", body);
        location.hash = href.run(answer.id);
      }
    } catch (e) {
      const err = e as ApiError;
      setProblems(problemsOf(err.message));
      setResult({ ok: false, text: err.hint ? `hint: ${err.hint}` : what === "validate" ? "the plan is not valid" : "the plan was not submitted" });
    } finally {
      setBusy(false);
    }
  };
  const jump = (p: Problem) => {
    const t = editor.current;
    if (!t || p.line === undefined) return;
    const at = offsetOf(t.value, p.line, p.column ?? 1);
    t.focus();
    t.setSelectionRange(at, Math.max(at, t.value.indexOf("\n", at) < 0 ? t.value.length : t.value.indexOf("\n", at)));
  };
  return html`<section aria-labelledby="submit-title">
    <h1 id="submit-title">Submit a plan</h1>
    <form class="submit" onSubmit=${(e: Event) => { e.preventDefault(); void run("submit"); }}>
      <label>Plan file (YAML) <input type="file" accept=".yaml,.yml,text/yaml" data-testid="plan-file"
        onChange=${async (e: Event) => {
          const f = (e.target as HTMLInputElement).files?.[0];
          if (!f) return;
          setPlanFile(f.name);
          setYaml(await f.text());
        }} /></label>
      <label for="plan-yaml">Plan (${planFile})</label>
      <textarea id="plan-yaml" ref=${editor} rows="20" spellcheck=${false} value=${yaml} data-testid="plan-yaml" placeholder="name: my-test\nscenarios: …"
        onInput=${(e: Event) => setYaml((e.target as HTMLTextAreaElement).value)}></textarea>
      <label>Data files (CSV, bodies; the plan names them by file name) <input type="file" multiple data-testid="data-files"
        onChange=${(e: Event) => setFiles(Array.from((e.target as HTMLInputElement).files ?? []))} /></label>
      ${files.length > 0 ? html`<p class="muted">${files.map((f) => `${f.name} (${f.size} B)`).join(", ")}</p>` : null}
      <label for="plan-env">Environment (NAME=VALUE a line, for \${env.NAME})</label>
      <textarea id="plan-env" rows="3" spellcheck=${false} value=${env} data-testid="plan-env" placeholder="BASE_URL=http://127.0.0.1:8080"
        onInput=${(e: Event) => setEnv((e.target as HTMLTextAreaElement).value)}></textarea>
      <p class="toolbar">
        <button type="button" disabled=${busy || yaml.trim() === ""} onClick=${() => run("validate")} data-testid="validate">Validate</button>
        <button type="submit" disabled=${busy || yaml.trim() === ""} data-testid="submit">Submit</button>
      </p>
    </form>
    ${result ? html`<p class=${result.ok ? "kit-badge kit-ok" : "problem"} role="status" data-testid="submit-result">${result.text}</p>` : null}
    ${problems.length > 0 ? html`<ul class="problems" role="alert" data-testid="problems">${problems.map((p) => html`<li>
      ${p.line !== undefined ? html`<button type="button" class="link" onClick=${() => jump(p)}>line ${p.line}:${p.column}</button> ` : null}${p.text}</li>`)}</ul>` : null}
  </section>`;
}
