import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { describe, expect, it } from "vitest";
import { config } from "@/middleware";

describe("middleware matcher", () => {
  // Next.js buffers a body for the middleware and cuts it at 10 MB: uploads must bypass it.
  const cases: [string, boolean][] = [
    ["/api/datasets", false],
    ["/api/datasets/", false],
    ["/api/datasets/abc", true],
    ["/api/datasets/synthetic", true],
    ["/api/datasetsx", true],
    ["/api/ab-tests/import", false],
    ["/api/ab-tests/import/", false],
    ["/api/ab-tests", true],
    ["/api/ab-tests/abc", true],
    ["/datasets", true],
    ["/", true],
    ["/api/runs", true],
    ["/_next/static/chunk.js", false],
  ];
  for (const [url, matches] of cases) {
    it(`${url} ${matches ? "goes through" : "bypasses"} the middleware`, () => {
      expect(unstable_doesMiddlewareMatch({ config, url })).toBe(matches);
    });
  }
});
