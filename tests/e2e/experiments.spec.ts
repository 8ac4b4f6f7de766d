import { expect, test, type APIRequestContext } from "@playwright/test";
import { csrf } from "./support/csrf";
import { generateSyntheticDataset } from "./support/synthetic";

/** A small synthetic dataset for this spec, created through the API and deleted afterwards. */
async function createDataset(request: APIRequestContext, name: string): Promise<string> {
  return generateSyntheticDataset(request, { name, options: { numUsers: 120, numItems: 80, seed: 4 } }, await csrf(request));
}

test.describe("experiments", () => {
  let datasetId: string;
  test.beforeAll(async ({ request }) => {
    datasetId = await createDataset(request, `Experiments e2e ${Date.now()}`);
  });
  test.afterAll(async ({ request }) => {
    if (datasetId) await request.delete(`/api/datasets/${datasetId}`, { headers: await csrf(request) });
  });

  test("create a small grid in the UI, watch the trials complete, compare them with significance in words", async ({ page }) => {
    await page.goto("/experiments/new");
    await page.getByLabel("Dataset").selectOption(datasetId);
    await page.getByLabel("Model").selectOption("bpr");
    await page.getByLabel("Kind").selectOption("grid");
    await page.locator("#param-epochs").fill("3");
    await page.locator("#space-factors-mode").selectOption("list");
    await page.locator("#space-factors-list").fill("4, 16");
    await page.locator("#space-learningRate-mode").selectOption("list");
    await page.locator("#space-learningRate-list").fill("0.05, 0.2");
    await expect(page.getByTestId("planned-runs")).toHaveText("4 runs planned");
    await page.getByRole("button", { name: "Launch experiment" }).click();

    await expect(page).toHaveURL(/\/experiments\/[^/]+$/);
    const status = page.locator(".page-head [data-testid=run-status]");
    await expect(status).toHaveText(/queued|running|succeeded/);
    await expect(page.getByTestId("leaderboard-row")).toHaveCount(4);
    await expect(status).toHaveText("succeeded", { timeout: 120_000 });

    // Selection on validation, one labelled test evaluation of the selected configuration.
    await expect(page.getByTestId("leaderboard").getByTestId("label-validation").first()).toBeVisible();
    const final = page.getByTestId("final-result");
    await expect(final.getByTestId("label-test")).toBeVisible();
    await expect(final).toContainText(/NDCG@10 · test \(final run\)\s*0\.\d{4}/);
    await expect(page.getByTestId("heatmap")).toBeVisible();
    await expect(page.getByTestId("parallel-coordinates").locator("polyline")).toHaveCount(4);

    await page.getByTestId("compare-trials").click();
    await expect(page).toHaveURL(/\/compare\?runs=/);
    await expect(page.getByTestId("compare-table").locator("tbody tr")).toHaveCount(3);
    await expect(page.getByTestId("compare-ci-chart").locator("svg.recharts-surface")).toBeVisible();
    await expect(page.getByTestId("significance").locator("li").first()).toHaveText(/(beats .+ on NDCG@10 by \d\.\d{3}, p [<=] [\d.]+|No significant difference between .+ on NDCG@10)/);
    await page.screenshot({ path: "test-results/experiment-compare.png", fullPage: true });
  });

  test("an ablation study renders its delta chart with confidence intervals", async ({ page, request }) => {
    const created = await request.post("/api/experiments", {
      data: {
        datasetId,
        name: "Ablation e2e",
        base: { modelId: "bpr", params: { epochs: 3, factors: 8 }, ks: [10] },
        spec: { kind: "ablation", seeds: [1], variants: [{ name: "no item bias", params: { itemBias: false } }, { name: "2 factors", params: { factors: 2 } }] },
      },
      headers: await csrf(request),
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await page.goto(`/experiments/${id}`);
    await expect(page.locator(".page-head [data-testid=run-status]")).toHaveText("succeeded", { timeout: 120_000 });
    await expect(page.getByTestId("ablation-delta-chart").locator("svg.recharts-surface")).toBeVisible();
    await expect(page.getByTestId("ablation-delta-chart").locator("[data-testid=ci-whisker]").first()).toBeAttached();
    await expect(page.getByTestId("ablation-table")).toContainText("no item bias");
    await page.screenshot({ path: "test-results/ablation.png", fullPage: true });
  });
});
