import { expect, test } from "@playwright/test";
import { csrf } from "./support/csrf";
import { generateSyntheticDataset } from "./support/synthetic";

test.describe("re-ranking", () => {
  let datasetId: string;
  test.beforeAll(async ({ request }) => {
    datasetId = await generateSyntheticDataset(request, { name: `Re-ranking e2e ${Date.now()}`, options: { numUsers: 120, numItems: 150, interactionsPerUser: 25, seed: 3 } }, await csrf(request));
  });
  test.afterAll(async ({ request }) => {
    if (datasetId) await request.delete(`/api/datasets/${datasetId}`, { headers: await csrf(request) });
  });

  test("sweep the calibrated re-ranker's λ on a finished run, save a point as a variant run and compare it with its base", async ({ page, request }) => {
    const launched = await request.post("/api/runs", { data: { datasetId, config: { modelId: "ease", params: { lambda: 50, lambdaSearch: "off" } } }, headers: await csrf(request) });
    expect(launched.status()).toBe(201);
    const { id } = (await launched.json()) as { id: string };
    await page.goto(`/runs/${id}`);
    await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 120_000 });

    const section = page.getByTestId("rerank-section");
    await page.getByTestId("reranker-picker").selectOption("calibrated");
    await expect(section).toContainText(/No sweep of Calibrated.* yet\./);
    await page.getByTestId("run-sweep").click();
    await expect(page.getByTestId("trade-off-table").locator("tbody tr")).toHaveCount(7, { timeout: 60_000 });
    await expect(page.getByTestId("trade-off-chart").locator("svg.recharts-surface")).toBeVisible();
    await expect(page.getByTestId("trade-off-chart")).toContainText("λ=0.3");

    await page.getByTestId("save-variant-0.3").click();
    const link = page.getByTestId("variant-0.3");
    await expect(link).toHaveText("EASE + Calibrated λ=0.3");
    await link.click();
    await expect(page.getByTestId("run-name")).toHaveText("EASE + Calibrated λ=0.3");
    await expect(page.getByTestId("variant-of")).toHaveAttribute("href", `/runs/${id}`);

    // Same dataset, split and users as its base: the comparison runs paired tests and says so in words.
    await page.getByRole("link", { name: "compare", exact: true }).click();
    await expect(page.getByTestId("compare-table")).toContainText("EASE + Calibrated λ=0.3");
    await expect(page.getByTestId("significance").locator("li").first()).toHaveText(/(beats .+ on NDCG@10 by \d\.\d{3}, p [<=] [\d.]+|No significant difference between .+ on NDCG@10)/);

    await page.goto("/runs");
    await expect(page.getByRole("row", { name: /EASE \+ Calibrated λ=0\.3/ }).getByTestId("variant-tag")).toBeVisible();
  });
});
