// Shared fixtures of the HTTP/1.1 integration tests: a session with a recording sink.
import { MemoryCookieJar } from "../../../src/core/cookies.ts";
import { Http1Session } from "../../../src/protocols/http1/index.ts";
import type { ResolvedRequest } from "../../../src/protocols/types.ts";
import type { Tags } from "../../../src/metrics/types.ts";

export interface Sample {
  metric: string;
  value: number;
  tags: Tags;
}

export function newSession() {
  const samples: Sample[] = [];
  const cookies = new MemoryCookieJar();
  const session = new Http1Session({ vu: 1, cookies, metrics: { add: (metric, value, tags) => samples.push({ metric, value, tags }) } });
  const values = (metric: string) => samples.filter((s) => s.metric === metric);
  return { session, samples, cookies, values };
}

export function request(url: string, overrides: Partial<ResolvedRequest> = {}): ResolvedRequest {
  return {
    name: overrides.name ?? url,
    method: "GET",
    url,
    headers: [],
    timeout: 5000,
    connectTimeout: 2000,
    maxRedirects: 10,
    tls: { insecure: false },
    ...overrides,
  };
}

export const TAGS: Tags = Object.freeze({ scenario: "test" }) as Tags;
