import { describe, expect, it } from "vitest";
import { observeHttpRequest, registry, routeLabel } from "@/lib/ops/metrics";
import { mayScrape } from "@/lib/ops/serve-metrics";

// Before the cap test below, which fills the module-wide label set.
describe("HTTP latency histogram", () => {
  it("counts requests by method, route and status class", async () => {
    observeHttpRequest("GET", "/api/health", 200, 0.004);
    observeHttpRequest("GET", "/api/health", 200, 0.2);
    const text = await registry.metrics();
    expect(text).toContain('reclab_http_request_duration_seconds_count{method="GET",route="/api/health",status="2xx"} 2');
    expect(text).toContain('reclab_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/health",status="2xx"} 1');
  });
});

describe("routeLabel", () => {
  it("replaces ids and drops the query, so one route is one series", () => {
    expect(routeLabel("/api/runs/clx9f0abc123def456/bias?k=10")).toBe("/api/runs/:id/bias");
    expect(routeLabel("/api/runs/cm1zz99/users/4711")).toBe("/api/runs/:id/users/:id");
    expect(routeLabel("/_next/static/chunks/app.js")).toBe("/_next");
    expect(routeLabel("/")).toBe("/");
  });

  it("stops adding labels past its cap", () => {
    for (let i = 0; i < 300; i++) routeLabel(`/x${"a".repeat(i % 26)}/${"b".repeat((i % 40) + 1)}`);
    expect(routeLabel("/never-seen-before/route/shape/q")).toBe("other");
  });
});

describe("mayScrape", () => {
  const none = { kind: "none" } as const;
  it("needs the bearer token when one is configured, from anywhere", () => {
    const token = "0123456789abcdef0123";
    expect(mayScrape(`Bearer ${token}`, { token, peer: "203.0.113.9", trust: none })).toBe(true);
    expect(mayScrape("Bearer wrong-token-of-same-len", { token, peer: "127.0.0.1", trust: none })).toBe(false);
    expect(mayScrape(undefined, { token, peer: "127.0.0.1", trust: none })).toBe(false);
  });
  it("without a token serves loopback peers only", () => {
    expect(mayScrape(undefined, { peer: "127.0.0.1", trust: none })).toBe(true);
    expect(mayScrape(undefined, { peer: "::1", trust: none })).toBe(true);
    expect(mayScrape(undefined, { peer: "203.0.113.9", trust: none })).toBe(false);
  });
});
