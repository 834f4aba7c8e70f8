// Debian's chromium driven by playwright-core, for the web UI tests. A missing chromium is a
// clear failure (CI installs the `chromium` package), never a skip. `openBrowser` returns a
// browser closed by `close()`; every page logs its console errors, script errors and any request
// to a host other than loopback (the UI must work offline: no CDN, no fonts, no beacons) into
// `problems`, which a test expects to stay empty.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.LOADR_CHROMIUM ?? "/usr/bin/chromium";

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface TestBrowser {
  browser: Browser;
  /** A fresh context's page (own session storage); its console errors land in `problems`. */
  page(options?: { colorScheme?: "light" | "dark" }): Promise<Page>;
  problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium), or set LOADR_CHROMIUM`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const problems: string[] = [];
  return {
    browser,
    problems,
    async page(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}) });
      const page = await context.newPage();
      page.on("console", (m) => {
        // A 4xx the page asked for (a wrong token, an invalid plan) is shown by the page itself.
        if (m.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("request", (r) => {
        const url = new URL(r.url());
        if (!["blob:", "data:"].includes(url.protocol) && url.hostname !== "127.0.0.1") problems.push(`request off loopback: ${r.url()}`);
      });
      return page;
    },
    close: () => browser.close(),
  };
}
