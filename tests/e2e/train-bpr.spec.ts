import { expect, test } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ML100K = path.resolve("../shared/data/ml-100k");
const hasMl100k = fs.existsSync(path.join(ML100K, "u.data"));

/** A u.data-format file with a learnable signal, for machines without MovieLens. */
function writeFallbackUData(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "reclab-e2e-")), "u.data");
  const lines: string[] = [];
  for (let u = 1; u <= 120; u++) {
    const group = u % 4;
    for (let i = 1; i <= 80; i++) {
      if (i % 4 === group || (i * u) % 17 === 0) lines.push(`${u}\t${i}\t${1 + ((u + i) % 5)}\t${880000000 + u * 1000 + i}`);
    }
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

test("import MovieLens 100K, train BPR, watch it run and read NDCG@10", async ({ page }) => {
  if (!hasMl100k) test.info().annotations.push({ type: "note", description: `${ML100K} is absent: using a generated u.data fixture instead` });
  const files = hasMl100k ? ["u.data", "u.item", "u.user"].map((f) => path.join(ML100K, f)) : [writeFallbackUData()];

  await page.goto("/datasets");
  await page.getByLabel("Name").fill("MovieLens 100K (e2e)");
  await page.getByLabel("Format").selectOption("movielens-100k");
  await page.locator("#file-ratings").setInputFiles(files[0]);
  if (files[1]) await page.locator("#file-items").setInputFiles(files[1]);
  if (files[2]) await page.locator("#file-users").setInputFiles(files[2]);
  await page.getByRole("button", { name: "Import dataset" }).click();

  await expect(page).toHaveURL(/\/datasets\/[^/]+$/, { timeout: 60_000 });
  await expect(page.getByTestId("dataset-name")).toHaveText("MovieLens 100K (e2e)");
  const stats = page.getByTestId("dataset-stats");
  if (hasMl100k) {
    await expect(stats).toContainText("943");
    await expect(stats).toContainText("1,682");
    await expect(stats).toContainText("100,000");
  }
  await expect(page.getByTestId("chart-long-tail").locator("svg.recharts-surface")).toBeVisible();

  await page.getByRole("link", { name: "Train a model" }).click();
  await expect(page).toHaveURL(/\/runs\/new\?datasetId=/);
  // The form sizes the run before launch: SASRec's full softmax over the catalogue costs more than BPR's factors.
  const estimate = page.getByTestId("memory-estimate");
  await page.getByLabel("Model").selectOption("sasrec");
  await expect(estimate).toContainText(/Estimated memory: about [\d.]+ (KB|MB|GB) for [\d,]+ items/);
  const sasrecEstimate = (await estimate.textContent())!;
  await page.getByLabel("Model").selectOption("bpr");
  await expect(estimate).toContainText(/Estimated memory: about [\d.]+ (KB|MB|GB)/);
  await expect(estimate).not.toHaveText(sasrecEstimate);
  await page.getByRole("button", { name: "Launch run" }).click();

  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  // The run is picked up by the worker and reports progress while it trains.
  await expect(page.getByTestId("run-status")).toHaveText(/queued|running|succeeded/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 150_000 });
  const ndcg = page.getByTestId("test-metrics").locator('[data-metric="ndcg@10"]');
  await expect(ndcg).toHaveText(/^[01]\.\d{4}$/);
  const value = Number(await ndcg.textContent());
  // Far above chance on either dataset; on ml-100k BPR lands around 0.27-0.30.
  expect(value).toBeGreaterThan(hasMl100k ? 0.2 : 0.05);
  await expect(page.locator(".recharts-line").first()).toBeVisible();
  await page.screenshot({ path: "test-results/bpr-run.png", fullPage: true });
});

test("a malformed upload says what is wrong and where, and adds no dataset", async ({ page }) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "reclab-e2e-")), "u.data");
  fs.writeFileSync(file, "1\t10\t5\t881250949\n2\t20\t4\t881250950\n3\t30\tabc\t881250951\n");
  await page.goto("/datasets");
  const before = await page.locator('[data-testid="datasets-table"] tbody tr').count();
  await page.getByLabel("Name").fill("Broken upload");
  await page.locator("#file-ratings").setInputFiles(file);
  await page.getByRole("button", { name: "Import dataset" }).click();
  await expect(page.getByTestId("upload-error")).toHaveText("line 3: rating 'abc' is not a number");
  await page.reload();
  await expect(page.locator('[data-testid="datasets-table"] tbody tr')).toHaveCount(before);
  await expect(page.getByText("Broken upload")).toHaveCount(0);
});
