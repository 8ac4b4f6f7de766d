import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { trustPeerHeader } from "@/lib/server/client-address";
import { API_CSP, SHARED_PAGE_REQUEST_HEADER, applySecurityHeaders, isSharedPageRequest } from "@/lib/server/security-headers";

/** A request and a response as node:http hands them to the web server's front (headers only). */
function exchange(url: string, headers: Record<string, string> = {}) {
  const req = { url, headers: { ...headers } } as unknown as IncomingMessage;
  const sent = new Map<string, string>();
  const res = { setHeader: (name: string, value: string) => sent.set(name.toLowerCase(), value) } as unknown as ServerResponse;
  return { req, sent, res };
}

describe("applySecurityHeaders (the web server's front)", () => {
  it("gives a page a CSP whose script nonce is the one Next.js renders with, and the fixed headers", () => {
    const { req, res, sent } = exchange("/runs?scope=team");
    applySecurityHeaders(req, res, false);
    const csp = sent.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    expect(csp).not.toContain("unsafe-eval");
    expect(req.headers["content-security-policy"]).toBe(csp);
    expect(req.headers["x-nonce"]).toBe(nonce);
    expect(sent.get("x-content-type-options")).toBe("nosniff");
    expect(sent.get("x-frame-options")).toBe("DENY");
    expect(sent.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(sent.get("cache-control")).toBeUndefined();
  });

  it("draws a new nonce per request and allows eval only under next dev", () => {
    const [a, b] = [exchange("/"), exchange("/")];
    applySecurityHeaders(a.req, a.res, true);
    applySecurityHeaders(b.req, b.res, false);
    expect(a.req.headers["x-nonce"]).not.toBe(b.req.headers["x-nonce"]);
    expect(a.sent.get("content-security-policy")).toContain("'unsafe-eval'");
  });

  it("gives JSON routes, uploads included, the API policy and no nonce", () => {
    for (const url of ["/api/runs?limit=25", "/api/datasets", "/api/ab-tests/import"]) {
      const { req, res, sent } = exchange(url);
      applySecurityHeaders(req, res, false);
      expect(sent.get("content-security-policy")).toBe(API_CSP);
      expect(sent.get("x-frame-options")).toBe("DENY");
      expect(req.headers["x-nonce"]).toBeUndefined();
    }
  });

  it("marks /share/<token> for the bare layout with no-store, no-referrer and noindex", () => {
    const { req, res, sent } = exchange("/share/abc");
    applySecurityHeaders(req, res, false);
    expect(req.headers[SHARED_PAGE_REQUEST_HEADER]).toBe("1");
    expect(sent.get("cache-control")).toBe("no-store");
    expect(sent.get("referrer-policy")).toBe("no-referrer");
    expect(sent.get("x-robots-tag")).toBe("noindex, nofollow");
    expect(sent.get("content-security-policy")).toMatch(/'nonce-[^']+'/);
  });

  it("strips a forged shared-page marker from any other path", () => {
    for (const url of ["/runs/abc", "/shared", "/api/share/x"]) {
      const { req, res, sent } = exchange(url, { [SHARED_PAGE_REQUEST_HEADER]: "1" });
      applySecurityHeaders(req, res, false);
      expect(req.headers[SHARED_PAGE_REQUEST_HEADER]).toBeUndefined();
      expect(sent.get("x-robots-tag")).toBeUndefined();
    }
  });
});

describe("isSharedPageRequest", () => {
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("reclab.peer-headers-trusted")];
  });

  it("believes the marker only in the web server's process, where the front sets it", () => {
    const marked = new Headers({ [SHARED_PAGE_REQUEST_HEADER]: "1" });
    expect(isSharedPageRequest(marked)).toBe(false);
    trustPeerHeader();
    expect(isSharedPageRequest(marked)).toBe(true);
    expect(isSharedPageRequest(new Headers())).toBe(false);
  });
});
