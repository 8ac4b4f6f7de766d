import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { RECLAB_VERSION } from "@/lib/version";

it("the version reports print is package.json's", () => {
  expect(RECLAB_VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
});
