// The web UI tests' browser: Debian's chromium as test/helpers/chromium.ts launches it (a missing
// chromium is a clear failure, never a skip). `openBrowser` returns a browser closed by `close()`; every page logs its console errors, script errors and any request
// to a host other than loopback (the UI must work offline: no CDN, no fonts, no beacons) into
// `problems`, which a test expects to stay empty.
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./chromium.ts";

export interface TestBrowser {
  browser: Browser;
  /** A fresh context's page (own session storage); its console errors land in `problems`. */
  page(options?: { colorScheme?: "light" | "dark" }): Promise<Page>;
  problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<TestBrowser> {
  const browser = await launchChromium();
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
