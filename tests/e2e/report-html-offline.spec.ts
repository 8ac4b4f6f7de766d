import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { expect, test } from "@playwright/test";
import { assembleComparisonReport } from "@/lib/reports/assemble/comparison";
import type { ReportTable } from "@/lib/reports/document";
import { renderReport } from "@/lib/reports/render";
import { formatCell } from "@/lib/reports/render/format-cell";
import { comparisonFacts } from "../unit/reports/fixtures";

// The exported file needs nothing: no session and no network (it has no script: asserted below).
test.use({ storageState: { cookies: [], origins: [] }, offline: true });

/**
 * Issue 12 acceptance: an exported comparison HTML, opened from disk in Chromium with every
 * request blocked, shows the same table and an SVG chart and asks for nothing. The file is the
 * renderer's output for a comparison document (the export routes return these same bytes).
 */
test("an exported comparison report reads offline: table, SVG chart, zero requests", async ({ page }, testInfo) => {
  const doc = assembleComparisonReport(comparisonFacts());
  const file = testInfo.outputPath("comparison.html");
  writeFileSync(file, (await renderReport(doc, "html")).body);
  const url = pathToFileURL(file).href;

  const requests: string[] = [];
  page.on("request", (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.route("**", (route) => {
    if (route.request().url() !== url) requests.push(`routed ${route.request().url()}`);
    return route.request().url() === url ? route.continue() : route.abort();
  });
  await page.goto(url);

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(doc.title);
  const table = doc.sections.flatMap((s) => s.blocks).find((b): b is ReportTable => b.type === "table" && b.id === "metrics")!;
  const shown = page.locator('[data-table="metrics"] table');
  await expect(shown).toBeVisible();
  const rows = shown.locator("tbody tr");
  await expect(rows).toHaveCount(table.rows.length);
  for (const [r, row] of table.rows.entries()) {
    await expect(rows.nth(r).locator("td")).toHaveText(row.map((cell, i) => formatCell(cell, table.columns[i])));
  }
  await expect(page.getByText(/EASE beats Popularity on NDCG@10 by 0\.115, p < 0\.001/)).toBeVisible();
  const charts = page.locator("figure.report-chart svg");
  expect(await charts.count()).toBeGreaterThanOrEqual(1);
  await expect(charts.first()).toBeVisible();
  expect(await page.locator("script").count()).toBe(0);

  // Readable on a phone: nothing wider than the viewport.
  await page.setViewportSize({ width: 390, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  expect(requests).toEqual([]);
});
