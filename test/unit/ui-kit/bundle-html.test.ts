// The browser bundle (src/ui-kit/bundle.ts, called here as a plain function, as the macro does at
// transpile time) and the page helpers: the result is self-contained and cannot break its markup.
import { describe, expect, test } from "bun:test";
import { browserBundle } from "../../../src/ui-kit/bundle.ts";
import { escapeHtml, htmlPage, inlineScript, jsonScript } from "../../../src/ui-kit/html.ts";

describe("browserBundle", () => {
  test("the ui-kit entry bundles uPlot, the theme and uPlot's CSS into one JS and one CSS string", () => {
    const bundle = browserBundle("ui-kit/browser/index.ts");
    expect(bundle.js.length).toBeGreaterThan(20_000);
    expect(bundle.js).not.toMatch(/\bimport\s*[{("'*]/); // every dependency inlined
    expect(bundle.css).toContain(".uplot");
    expect(bundle.css).toContain("--series-1");
    expect(bundle.css).toContain("@media print");
  });
  test("an entry outside a browser/ folder is refused with the rule", () => {
    expect(() => browserBundle("main.ts")).toThrow(/browser\/ folder under src/);
    expect(() => browserBundle("../../etc/browser/x.ts")).toThrow(/under src/);
  });
});

describe("html helpers", () => {
  test("inline script and JSON data cannot close their element early", () => {
    expect(inlineScript('a="</script><b>"')).toBe('<script type="module">a="<\\/script><b>"</script>');
    const json = jsonScript("d", { s: "</script><!--" });
    expect(json.indexOf("</script>")).toBe(json.length - "</script>".length);
    expect(JSON.parse(json.slice(json.indexOf(">") + 1, -"</script>".length))).toEqual({ s: "</script><!--" });
    expect(escapeHtml(`<a href="x">'&`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;");
  });
  test("a page carries its bundle inline, its data, and a policy that forbids every request", () => {
    const page = htmlPage({ title: "t<1>", bundle: { js: "console.log(1)", css: "body{}" }, body: "<main></main>", data: { id: "d", value: [1] } });
    expect(page).toStartWith("<!doctype html>");
    expect(page).toContain("<title>t&lt;1&gt;</title>");
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('<script type="application/json" id="d">[1]</script>');
    expect(page).not.toMatch(/\b(src|href)\s*=/);
  });
});
