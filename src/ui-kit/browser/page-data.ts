// Reads the JSON a server-rendered page embedded with jsonScript (src/ui-kit/html.ts).
export function pageData<T>(id: string): T | undefined {
  const element = document.getElementById(id);
  if (!element || element.textContent === null) return undefined;
  return JSON.parse(element.textContent) as T;
}
