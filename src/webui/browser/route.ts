// The page's routes live in the URL fragment, so the server serves one shell for all of them:
//   #/fleet  #/runs  #/runs/ID  #/compare/A/B  #/submit
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { page: "fleet" }
  | { page: "runs" }
  | { page: "run"; id: string }
  | { page: "compare"; a: string; b: string }
  | { page: "submit" };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "runs" && parts[1]) return { page: "run", id: parts[1] };
  if (parts[0] === "runs") return { page: "runs" };
  if (parts[0] === "compare" && parts[1] && parts[2]) return { page: "compare", a: parts[1], b: parts[2] };
  if (parts[0] === "submit") return { page: "submit" };
  return { page: "fleet" };
}

export const href = {
  fleet: "#/fleet",
  runs: "#/runs",
  run: (id: string) => `#/runs/${encodeURIComponent(id)}`,
  compare: (a: string, b: string) => `#/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`,
  submit: "#/submit",
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}
