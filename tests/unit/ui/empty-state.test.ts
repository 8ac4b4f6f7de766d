import { describe, expect, it } from "vitest";
import { emptyStateCopy } from "@/app/_components/ui/empty-state-copy";

describe("role-aware empty states", () => {
  it("never invites a viewer to create what they cannot, and says what they can read", () => {
    for (const kind of ["runs", "experiments", "datasets"] as const) {
      const copy = emptyStateCopy(kind, false);
      expect(copy.action).toBeUndefined();
      expect(copy.text).not.toMatch(/Launch|Start one|Import one|train recommenders/);
      expect(copy.text).toMatch(/to read/);
    }
    expect(emptyStateCopy("runs", false).text).toContain("bias reports");
  });

  it("keeps the call to action for analysts and admins", () => {
    expect(emptyStateCopy("runs", true)).toEqual({ text: "No runs yet.", action: { href: "/runs/new", label: "Launch one" } });
    expect(emptyStateCopy("experiments", true).action?.href).toBe("/experiments/new");
  });
});
