import { expect, test } from "@playwright/test";
import { csrf } from "./support/csrf";
import { generateSyntheticDataset } from "./support/synthetic";

/** A 6-trial ItemKNN grid (3 × 2 values): cheap, and enough members to fold. */
const sixTrials = { neighbours: { type: "values", values: [5, 10, 20] }, shrinkage: { type: "values", values: [0, 10] } };

test.describe("runs list", () => {
  let datasetId: string;
  test.beforeAll(async ({ request }) => {
    datasetId = await generateSyntheticDataset(request, { name: `Runs list e2e ${Date.now()}`, options: { numUsers: 80, numItems: 60, seed: 11 } }, await csrf(request));
    for (const [name, split] of [
      ["grid random A", { kind: "random" }],
      ["grid random B", { kind: "random", seed: 7 }],
      ["grid leave-one-out", { kind: "leave-one-out" }],
    ] as const) {
      const created = await request.post("/api/experiments", {
        data: { datasetId, name, base: { modelId: "item-knn", ks: [10], split }, spec: { kind: "grid", space: sixTrials } },
        headers: await csrf(request),
      });
      expect(created.status()).toBe(201);
      expect((await created.json()).runs).toBe(6);
    }
  });
  test.afterAll(async ({ request }) => {
    if (datasetId) await request.delete(`/api/datasets/${datasetId}`, { headers: await csrf(request) });
  });

  test("folds 3 experiments of 6 trials into 3 rows, expands one, and filters by split through the URL", async ({ page }) => {
    await page.goto(`/runs?dataset=${datasetId}`);
    const rows = page.getByTestId("experiment-row");
    await expect(rows).toHaveCount(3);
    await expect(page.getByTestId("run-row")).toHaveCount(0);
    for (const count of await page.getByTestId("trial-count").allTextContents()) expect(count).toBe("6 trials");

    await rows.filter({ hasText: "grid random A" }).getByRole("button", { name: /Show the runs of grid random A/ }).click();
    // The 6 trials (and, once the grid has finished, its final run evaluated on test).
    await expect(page.getByTestId("member-row").filter({ hasText: "neighbours=" })).toHaveCount(6);

    await page.getByTestId("filter-split").selectOption("leave-one-out");
    await expect(page).toHaveURL(/split=leave-one-out/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("grid leave-one-out");
    await expect(rows.first().getByTestId("split-kind")).toHaveText("leave one out");

    // The URL is shareable: opened afresh it shows the same filtered list.
    await page.goto(page.url());
    await expect(page.getByTestId("experiment-row")).toHaveCount(1);
    await expect(page.getByTestId("filter-split")).toHaveValue("leave-one-out");
  });

  test("has no horizontal page scroll at 390 px; the table scrolls inside its wrapper", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/runs?dataset=${datasetId}`);
    await expect(page.getByTestId("experiment-row")).toHaveCount(3);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`/runs?dataset=${datasetId}`);
    const wide = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(wide.doc).toBeLessThanOrEqual(wide.view);
  });
});
