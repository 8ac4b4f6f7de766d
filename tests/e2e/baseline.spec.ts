import { expect, test } from "@playwright/test";
import { csrf } from "./support/csrf";
import { launchRun, waitForStatus } from "./support/runs";
import { generateSyntheticDataset } from "./support/synthetic";

/**
 * Issue 15, item 6: a model is never read without its baseline. A BPR run's page offers to
 * launch EASE on the same split; once EASE has run, the page states the paired comparison.
 */
test("a BPR run's page launches its EASE baseline on the same split, then states the paired test", async ({ page, request }) => {
  const datasetId = await generateSyntheticDataset(request, { name: `Baseline e2e ${Date.now()}`, options: { numUsers: 150, numItems: 90, seed: 4 } }, await csrf(request));
  try {
    const bpr = await launchRun(request, datasetId, "bpr", { epochs: 5, factors: 8 });
    await waitForStatus(request, `/api/runs/${bpr}`, "run", "SUCCEEDED");

    // While the learning curve loads the chart says so, not that the model has none (it has).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/api/runs/${bpr}/history`, async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(`/runs/${bpr}`);
    const curve = page.locator(".panel", { has: page.getByRole("heading", { name: "Learning curve (validation)" }) });
    await expect(curve).toContainText("Loading the curve…");
    await expect(curve).not.toContainText("Not recorded");
    release();
    await expect(curve.getByRole("img", { name: /^Line chart over epoch/ })).toBeVisible();
    await page.unroute(`**/api/runs/${bpr}/history`);

    const panel = page.getByTestId("baseline-panel");
    await expect(panel.getByTestId("baseline-missing")).toContainText("No ItemKNN or EASE run on this dataset yet");
    await panel.getByRole("button", { name: "Launch EASE on the same split" }).click();
    await expect(page).not.toHaveURL(new RegExp(`/runs/${bpr}$`));
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    const ease = new URL(page.url()).pathname.split("/").pop()!;
    await waitForStatus(request, `/api/runs/${ease}`, "run", "SUCCEEDED");
    const { run } = (await (await request.get(`/api/runs/${ease}`)).json()) as { run: { modelId: string; config: { split: unknown } } };
    const { run: base } = (await (await request.get(`/api/runs/${bpr}`)).json()) as { run: { config: { split: unknown } } };
    expect(run.modelId).toBe("ease");
    expect(run.config.split).toEqual(base.config.split);
    // A baseline model's own page offers the other one.
    await page.goto(`/runs/${ease}`);
    await expect(panel.getByTestId("baseline-missing")).toContainText(/No other simple baseline \(ItemKNN or EASE\) on this dataset yet: NDCG@10 [\d.]+ has no other baseline to be compared with/);
    await expect(panel.getByRole("button", { name: "Launch ItemKNN on the same split" })).toBeVisible();

    await page.goto(`/runs/${bpr}`);
    await expect(panel).toContainText("EASE");
    // The default run name already starts with the model's: the link alone, not "EASE (EASE on …)".
    await expect(panel.getByRole("link", { name: /^EASE/ })).toHaveAttribute("href", `/runs/${ease}`);
    await expect(panel).not.toContainText("EASE (EASE");
    await expect(panel.getByTestId("baseline-sentence")).toContainText(/paired t-test p [=<] [\d.]+, Wilcoxon p [=<] [\d.]+; \d+ users/);
  } finally {
    await request.delete(`/api/datasets/${datasetId}`, { headers: await csrf(request) });
  }
});
