import { expect, test } from "@playwright/test";
import { csrf } from "./support/csrf";
import { launchRun, waitForStatus } from "./support/runs";
import { generateSyntheticDataset } from "./support/synthetic";

/**
 * NeuMF pre-trains its towers and then fuses them, and its training loss changes meaning there
 * (the towers' two losses summed, then the fused model's one): the run page marks the epoch on
 * both curves and says why the loss steps down.
 */
test("a NeuMF run's page marks where its towers are fused and explains the loss's step", async ({ page, request }) => {
  const datasetId = await generateSyntheticDataset(request, { name: `Phases e2e ${Date.now()}`, options: { numUsers: 80, numItems: 60, seed: 6 } }, await csrf(request));
  try {
    const run = await launchRun(request, datasetId, "neumf", { epochs: 4, pretrainEpochs: 2, factors: 8, mlpLayers: 1, negatives: 2 });
    await waitForStatus(request, `/api/runs/${run}`, "run", "SUCCEEDED");
    const { run: detail } = (await (await request.get(`/api/runs/${run}`)).json()) as { run: { trainingPhases: { fromEpoch: number; label: string }[] } };
    expect(detail.trainingPhases.map(({ fromEpoch, label }) => ({ fromEpoch, label }))).toEqual([{ fromEpoch: 3, label: "towers fused" }]);

    await page.goto(`/runs/${run}`);
    const loss = page.locator(".panel", { has: page.getByRole("heading", { name: "Training loss" }) });
    await expect(loss.getByRole("img", { name: "Line chart over epoch: training loss; towers fused at epoch 3" })).toBeVisible();
    await expect(loss.getByTestId("training-phase-note")).toHaveText(/^Epochs 1–2 pre-train the GMF and MLP towers separately, and the training loss is the sum of their two losses; from epoch 3 the fused NeuMF is fine-tuned/);
    await expect(loss.locator(".recharts-reference-line")).toHaveCount(1);
    const curve = page.locator(".panel", { has: page.getByRole("heading", { name: "Learning curve (validation)" }) });
    await expect(curve.getByRole("img", { name: /; towers fused at epoch 3$/ })).toBeVisible();

    // A model trained in one phase has neither mark nor note.
    const bpr = await launchRun(request, datasetId, "bpr", { epochs: 3, factors: 8 });
    await waitForStatus(request, `/api/runs/${bpr}`, "run", "SUCCEEDED");
    await page.goto(`/runs/${bpr}`);
    await expect(page.getByRole("img", { name: "Line chart over epoch: training loss" })).toBeVisible();
    await expect(page.getByTestId("training-phase-note")).toHaveCount(0);
    await expect(page.locator(".recharts-reference-line")).toHaveCount(0);
  } finally {
    await request.delete(`/api/datasets/${datasetId}`, { headers: await csrf(request) });
  }
});
