import fs from "node:fs";
import { expect, test, type Browser, type Download, type Page } from "@playwright/test";
import { csrfHeader, invite, joinWithInvite } from "./support/accounts";
import { csrf } from "./support/csrf";
import { csvTables, pdfText } from "./support/report-files";
import { generateSyntheticDataset } from "./support/synthetic";

/**
 * Reports people take away: an analyst exports a finished experiment as PDF, HTML and CSV from
 * the Export menu and shares it read-only; someone without an account reads the shared page
 * (and nothing else); revoking ends it; a viewer exports but cannot share.
 */

const HOSTILE = "<script>alert(1)</script>";

async function exportFrom(page: Page, format: "pdf" | "html" | "csv" | "json"): Promise<{ download: Download; bytes: Buffer }> {
  const menu = page.getByTestId("export-menu").first();
  const button = menu.getByRole("button", { name: /Export/ });
  await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  const [download] = await Promise.all([page.waitForEvent("download"), menu.getByTestId(`export-${format}`).click()]);
  const file = await download.path();
  return { download, bytes: fs.readFileSync(file) };
}

async function createShareLink(page: Page): Promise<string> {
  const menu = page.getByTestId("export-menu").first();
  await menu.getByRole("button", { name: /Export/ }).click();
  await menu.getByRole("button", { name: "Share link…" }).click();
  const dialog = page.getByTestId("share-dialog");
  await dialog.getByLabel("Expires after").selectOption({ label: "7 days" });
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = await dialog.getByTestId("share-url").inputValue();
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  return url;
}

/** Opens a URL in a fresh browser context without any session; `dialogs` records any alert() that ran. */
async function openAnonymously(browser: Browser, url: string) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const response = await page.goto(url);
  return { context, page, response: response!, dialogs };
}

test.describe("reports: export and share", () => {
  let datasetId: string;
  let hostileDatasetId: string;
  let experimentId: string;
  let experimentName: string;

  test.beforeAll(async ({ request }) => {
    test.setTimeout(240_000);
    const headers = await csrf(request);
    datasetId = await generateSyntheticDataset(request, { name: `Reports e2e ${Date.now()}`, options: { numUsers: 120, numItems: 80, seed: 4 } }, headers);
    hostileDatasetId = await generateSyntheticDataset(request, { name: HOSTILE, options: { numUsers: 40, numItems: 30, seed: 5 } }, headers);
    experimentName = `Report grid ${Date.now()}`;
    const created = await request.post("/api/experiments", {
      data: { datasetId, name: experimentName, base: { modelId: "bpr", params: { epochs: 3 }, ks: [10] }, spec: { kind: "grid", space: { factors: { type: "values", values: [4, 16] } } } },
      headers,
    });
    expect(created.status()).toBe(201);
    experimentId = ((await created.json()) as { id: string }).id;
    await expect
      .poll(async () => ((await (await request.get(`/api/experiments/${experimentId}`)).json()) as { experiment: { status: string } }).experiment.status, { timeout: 180_000 })
      .toBe("SUCCEEDED");
  });
  test.afterAll(async ({ request }) => {
    const headers = await csrf(request);
    for (const id of [datasetId, hostileDatasetId]) if (id) await request.delete(`/api/datasets/${id}`, { headers });
  });

  test("an analyst exports PDF, HTML and CSV, shares the report, and revokes the link; a viewer exports but cannot share", async ({ page, browser }) => {
    const stamp = Date.now();
    const analystLink = await invite(page, `reports-analyst-${stamp}@example.test`, "analyst");
    const viewerLink = await invite(page, `reports-viewer-${stamp}@example.test`, "viewer");
    const analyst = await joinWithInvite(browser, analystLink, "analyst");

    await analyst.goto(`/experiments/${experimentId}`);
    await expect(analyst.getByTestId("experiment-name")).toHaveText(experimentName);
    await expect(analyst.locator(".page-head [data-testid=run-status]")).toHaveText("succeeded");
    // Columns: select, rank, trial, factors, the selection metric (validation), …
    const shownScores = await analyst.getByTestId("leaderboard-row").evaluateAll((rows) => rows.map((r) => r.querySelectorAll("td")[4]?.textContent?.trim() ?? ""));
    const metricHeader = (await analyst.getByTestId("leaderboard").locator("thead th").nth(4).innerText()) ?? "";
    const metricName = /^(\S+)/.exec(metricHeader.trim())![1];
    expect(metricName).toBe("NDCG@10");
    expect(shownScores).toHaveLength(2);

    // PDF: a real PDF whose text holds the title and the metric names.
    const pdf = await exportFrom(analyst, "pdf");
    expect(pdf.download.suggestedFilename()).toMatch(/^[A-Za-z0-9._-]+\.pdf$/);
    expect(pdf.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = await pdfText(pdf.bytes);
    expect(text).toContain(experimentName);
    expect(text).toContain(metricName);

    // HTML: self-contained, with the table and at least one inline SVG chart.
    const html = await exportFrom(analyst, "html");
    expect(html.download.suggestedFilename()).toMatch(/\.html$/);
    const markup = html.bytes.toString("utf8");
    expect(markup).toMatch(/<table[\s>]/);
    expect(markup).toMatch(/<svg[\s>]/);
    expect(markup).toContain(experimentName);

    // CSV: parses, and one of its tables carries the leaderboard's values as shown on the page.
    const csv = await exportFrom(analyst, "csv");
    const tables = csvTables(csv.bytes, csv.download.suggestedFilename());
    const numbers = Object.values(tables).flatMap((rows) => rows.slice(1).flat()).map(Number).filter((n) => Number.isFinite(n));
    for (const shown of shownScores) expect(numbers.some((n) => n.toFixed(4) === shown), `${shown} in the CSV`).toBe(true);

    // Share, read anonymously: the report and nothing of the app.
    const url = await createShareLink(analyst);
    const shared = await openAnonymously(browser, url);
    expect(shared.response.status()).toBe(200);
    const headers = shared.response.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers["cache-control"]).toContain("no-store");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    await expect(shared.page.getByText(experimentName).first()).toBeVisible();
    await expect(shared.page.locator("nav")).toHaveCount(0);
    await expect(shared.page.locator('a[href^="/"], a[href*="/runs/"], a[href*="/experiments/"]')).toHaveCount(0);
    expect(await shared.page.content()).not.toContain(experimentId);
    expect(shared.dialogs).toEqual([]);
    await shared.page.screenshot({ path: "test-results/shared-report.png", fullPage: true });

    // Revoked from the list: the same URL is a 404 from then on.
    await analyst.goto("/settings/shares");
    const row = analyst.getByTestId("share-link-row").filter({ hasText: experimentName }).first();
    await expect(row).toContainText("active");
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect(row).toContainText("revoked");
    const after = await shared.page.goto(url);
    expect(after!.status()).toBe(404);
    await expect(shared.page.getByText(experimentName)).toHaveCount(0);
    await shared.context.close();

    // A viewer: exports, but no "Share link…" and a 403 from the API.
    const viewer = await joinWithInvite(browser, viewerLink, "viewer");
    await viewer.goto(`/experiments/${experimentId}`);
    const json = await exportFrom(viewer, "json");
    expect(JSON.parse(json.bytes.toString("utf8"))).toMatchObject({ kind: "experiment", title: expect.stringContaining(experimentName) });
    await expect(viewer.getByRole("button", { name: "Share link…" })).toHaveCount(0);
    const refused = await viewer.request.post("/api/reports/shares", { data: { target: { kind: "experiment", id: experimentId } }, headers: await csrfHeader(viewer) });
    expect(refused.status()).toBe(403);
    await analyst.context().close();
    await viewer.context().close();
  });

  test("a dataset named <script>alert(1)</script> is text on the shared data sheet; sharing off answers 404", async ({ page, browser }) => {
    await page.goto(`/datasets/${hostileDatasetId}/sheet`);
    await expect(page.getByTestId("data-sheet-title")).toHaveText(`Data sheet: ${HOSTILE}`);
    const url = await createShareLink(page);
    const shared = await openAnonymously(browser, url);
    expect(shared.response.status()).toBe(200);
    await expect(shared.page.getByText(HOSTILE).first()).toBeVisible();
    // The name is text: no <script> element was made from it, and nothing ran.
    expect(await shared.page.locator("script").evaluateAll((nodes) => nodes.filter((n) => n.textContent?.trim() === "alert(1)").length)).toBe(0);
    await shared.page.waitForTimeout(500);
    expect(shared.dialogs).toEqual([]);

    // The admins' switch: off hides every link, on brings back those still valid.
    await page.goto("/settings/shares");
    await page.getByRole("button", { name: "Turn sharing off" }).click();
    await expect(page.getByTestId("sharing-state")).toContainText("Sharing is off");
    expect((await shared.page.goto(url))!.status()).toBe(404);
    await page.goto(`/datasets/${hostileDatasetId}/sheet`);
    await page.getByTestId("export-menu").getByRole("button", { name: /Export/ }).click();
    await expect(page.getByRole("button", { name: "Share link…" })).toHaveCount(0);
    await page.goto("/settings/shares");
    await page.getByRole("button", { name: "Turn sharing on" }).click();
    await expect(page.getByTestId("sharing-state")).toContainText("Sharing is on");
    expect((await shared.page.goto(url))!.status()).toBe(200);
    await shared.context.close();
  });

  test("the report pages and share links fit 1366 px and 390 px without horizontal page scroll", async ({ page }) => {
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of [`/experiments/${experimentId}`, `/datasets/${hostileDatasetId}/sheet`, "/settings/shares"]) {
        await page.goto(path);
        const menu = page.getByTestId("export-menu").first();
        if ((await menu.count()) > 0) await menu.getByRole("button", { name: /Export/ }).click();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
      }
    }
  });
});
