import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { middleware } from "@/middleware";
import { SHARED_PAGE_REQUEST_HEADER } from "@/lib/server/security-headers";

/** What the middleware forwards to the page as request headers (Next.js encodes them on the response). */
const forwarded = (response: Response, name: string) => response.headers.get(`x-middleware-request-${name}`);

describe("middleware on shared report pages", () => {
  it("marks /share/<token> for the bare layout and adds no-store, no-referrer and noindex on top of the CSP", () => {
    const response = middleware(new NextRequest("http://localhost/share/abc"));
    expect(forwarded(response, SHARED_PAGE_REQUEST_HEADER)).toBe("1");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("strips a forged marker from any other page, which keeps the app's shell and normal headers", () => {
    const response = middleware(new NextRequest("http://localhost/runs/abc", { headers: { [SHARED_PAGE_REQUEST_HEADER]: "1" } }));
    expect(forwarded(response, SHARED_PAGE_REQUEST_HEADER)).toBeNull();
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("cache-control")).toBeNull();
    expect(middleware(new NextRequest("http://localhost/shared")).headers.get("x-robots-tag")).toBeNull();
  });
});
