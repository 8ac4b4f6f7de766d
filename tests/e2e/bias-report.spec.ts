import { expect, test, type Page } from "@playwright/test";
import { csrfHeader, invite, joinWithInvite } from "./support/accounts";
import { generateSyntheticDataset } from "./support/synthetic";

/** The page is no wider than its viewport: tables and charts scroll or shrink inside their own containers. */
async function expectNoHorizontalOverflow(page: Page, width: number) {
  await page.setViewportSize({ width, height: 900 });
  // Charts re-measure their card after a resize (ResizeObserver), so let the layout settle.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), { message: `horizontal overflow at ${width} px`, timeout: 5_000 })
    .toBeLessThanOrEqual(0);
}

test("an analyst reads a finished run's bias report; a viewer reads the report and the model card", async ({ page, browser }) => {
  const stamp = Date.now();
  const datasetId = await generateSyntheticDataset(page.request, { name: `Bias demo ${stamp}`, options: { numUsers: 200, numItems: 100 } }, await csrfHeader(page));
  const analyst = await joinWithInvite(browser, await invite(page, `bias-analyst-${stamp}@example.test`, "analyst"), "analyst");
  const viewer = await joinWithInvite(browser, await invite(page, `bias-viewer-${stamp}@example.test`, "viewer"), "viewer");
  try {
    const launched = await analyst.request.post("/api/runs", { data: { datasetId, name: `bias run ${stamp}`, config: { modelId: "item-knn" } }, headers: await csrfHeader(analyst) });
    expect(launched.status()).toBe(201);
    const { id: runId } = (await launched.json()) as { id: string };
    await expect
      .poll(async () => ((await (await analyst.request.get(`/api/runs/${runId}`)).json()) as { run: { status: string } }).run.status, { timeout: 90_000, message: "the run to finish" })
      .toBe("SUCCEEDED");

    await analyst.goto(`/runs/${runId}`);
    await analyst.getByTestId("run-bias-link").click();
    await expect(analyst).toHaveURL(new RegExp(`/runs/${runId}/bias`));
    await expect(analyst.getByTestId("group-gap-chart").locator("svg.recharts-surface")).toBeVisible();
    await expect(analyst.getByTestId("bias-verdicts")).toContainText(/NDCG@10 differs between \S+ and \S+ by [0-9.]+ \(p [=<] [0-9.]+, (not significant|significant after Holm correction)/);
    await expect(analyst.getByTestId("bias-verdicts")).toContainText(/gives long-tail items \d+% of its slots/);
    await analyst.getByLabel("Group users by").selectOption("ageBand");
    await expect(analyst).toHaveURL(/groupBy=ageBand/);
    await expect(analyst.getByTestId("group-table")).toContainText(/\d/);
    await expectNoHorizontalOverflow(analyst, 1366);
    await expectNoHorizontalOverflow(analyst, 390);
    await analyst.screenshot({ path: "test-results/bias-report-390.png", fullPage: true });

    await analyst.goto(`/runs/${runId}/bias?groupBy=shoe-size`);
    await expect(analyst.getByTestId("bias-error")).toContainText('unknown group attribute "shoe-size"');

    await viewer.goto(`/runs/${runId}/bias`);
    await expect(viewer.getByTestId("group-gap-chart").locator("svg.recharts-surface")).toBeVisible();
    await expect(viewer.getByTestId("bias-verdicts")).toContainText("differs between");
    await viewer.goto(`/runs/${runId}/card`);
    await expect(viewer.getByTestId("model-card-model")).toContainText("ItemKNN");
    await expect(viewer.getByTestId("model-card-groups")).toBeVisible();
    await expect(viewer.getByTestId("model-card-limitations")).toContainText("offline");
    await expectNoHorizontalOverflow(viewer, 390);
    await viewer.goto(`/datasets/${datasetId}/sheet`);
    await expect(viewer.getByTestId("data-sheet-attributes")).toContainText("gender");
  } finally {
    const deleted = await page.request.delete(`/api/datasets/${datasetId}`, { headers: await csrfHeader(page) });
    expect(deleted.ok()).toBe(true);
  }
});
