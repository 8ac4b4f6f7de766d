import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { invite, joinWithInvite } from "./support/accounts";
import { csrf } from "./support/csrf";
import { generateSyntheticDataset } from "./support/synthetic";

/**
 * Issue 11 acceptance: an analyst launches a 2-arm simulated A/B test from the UI, watches its
 * progress and opens the result; a viewer lands on the A/B list, opens the test, reads the verdict
 * and the lift chart, and can neither launch nor delete (403 on the API, no buttons in the UI).
 * Needs the real simulator and statistics (lib/simulation, lib/stats/ab-tests.ts).
 */

async function finishedRun(request: APIRequestContext, datasetId: string, modelId: string, name: string): Promise<string> {
  const launched = await request.post("/api/runs", { data: { datasetId, name, config: { modelId } }, headers: await csrf(request) });
  expect(launched.status()).toBe(201);
  const { id } = (await launched.json()) as { id: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/runs/${id}`)).json()) as { run: { status: string } }).run.status, { timeout: 120_000, message: `${name} to finish` })
    .toBe("SUCCEEDED");
  return id;
}

/** No horizontal page scroll at this width (tables scroll inside their panels). */
async function fitsWidth(page: Page, width: number, shot: string) {
  await page.setViewportSize({ width, height: 900 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: `test-results/${shot}-${width}.png`, fullPage: true });
  expect(overflow, `page wider than ${width} px`).toBeLessThanOrEqual(0);
}

/** Status of an API call made by the page itself (its session cookie and CSRF token). */
async function status(page: Page, method: string, url: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const csrf = document.cookie.split("; ").find((c) => c.startsWith("reclab_csrf="))?.slice("reclab_csrf=".length) ?? "";
      const response = await fetch(url, { method, headers: { "content-type": "application/json", "x-csrf-token": decodeURIComponent(csrf) }, body: body ? JSON.stringify(body) : undefined });
      return response.status;
    },
    { method, url, body },
  );
}

test.describe("A/B tests", () => {
  const stamp = Date.now();
  const datasetName = `AB e2e ${stamp}`;
  let datasetId: string;
  let runIds: string[];

  test.beforeAll(async ({ request }) => {
    datasetId = await generateSyntheticDataset(request, { name: datasetName, options: { numUsers: 300, numItems: 200, interactionsPerUser: 20, seed: 11 } }, await csrf(request));
    runIds = [await finishedRun(request, datasetId, "pop", "Popularity e2e"), await finishedRun(request, datasetId, "item-knn", "ItemKNN e2e")];
  });
  test.afterAll(async ({ request }) => {
    if (datasetId) await request.delete(`/api/datasets/${datasetId}`, { headers: await csrf(request) });
  });

  test("an analyst launches a simulated test and reads the result; a viewer reviews it but cannot launch or delete", async ({ page, browser }) => {
    test.setTimeout(300_000);
    const analystLink = await invite(page, `ab-analyst-${stamp}@example.test`, "analyst");
    const viewerLink = await invite(page, `ab-viewer-${stamp}@example.test`, "viewer");

    // The analyst launches the test from the UI.
    const analyst = await joinWithInvite(browser, analystLink, "analyst");
    await analyst.getByRole("link", { name: "A/B tests" }).click();
    await analyst.getByRole("link", { name: "New simulated test" }).click();
    await expect(analyst).toHaveURL(/\/ab-tests\/new$/);
    await analyst.getByLabel("Test name").fill(`Pop vs KNN ${stamp}`);
    await analyst.getByLabel("Dataset").selectOption({ label: datasetName });
    await analyst.getByLabel("Arm A policy").selectOption({ label: "Popularity e2e" });
    await analyst.getByLabel("Arm B policy").selectOption({ label: "ItemKNN e2e" });
    await analyst.getByLabel("Users", { exact: true }).fill("3000");
    await analyst.getByLabel("Sessions per user", { exact: true }).fill("5");
    await expect(analyst.getByTestId("ab-power-hint")).toContainText("users per arm");
    await analyst.getByRole("button", { name: "Launch the test" }).click();

    // It watches the progress, then reads the result.
    await expect(analyst).toHaveURL(/\/ab-tests\/(?!new$)[\w-]+$/);
    const testUrl = new URL(analyst.url()).pathname;
    await expect(analyst.getByTestId("ab-progress").or(analyst.getByTestId("ab-verdict"))).toBeVisible();
    await expect(analyst.getByTestId("ab-verdict")).toBeVisible({ timeout: 120_000 });
    await expect(analyst.getByTestId("ab-metrics")).toContainText("CTR");
    await expect(analyst.getByTestId("ab-srm")).toBeVisible();
    await expect(analyst.getByTestId("ab-position-chart").locator("svg.recharts-surface[role=application]")).toBeVisible();
    await expect(analyst.getByTestId("ab-assumptions")).toBeVisible();
    await expect(analyst.getByRole("button", { name: "Delete" })).toBeVisible();
    await fitsWidth(analyst, 1366, "ab-review");
    await fitsWidth(analyst, 390, "ab-review");
    await analyst.goto("/ab-tests/new");
    await fitsWidth(analyst, 390, "ab-new");

    // The viewer lands on the A/B list, opens the test, reads the verdict and the lift chart.
    const viewer = await joinWithInvite(browser, viewerLink, "viewer");
    await viewer.goto("/");
    await expect(viewer.getByRole("heading", { name: "A/B tests and reports" })).toBeVisible();
    await expect(viewer.getByTestId("ab-tests-table")).toContainText(`Pop vs KNN ${stamp}`);
    await fitsWidth(viewer, 390, "viewer-home");
    await viewer.setViewportSize({ width: 1366, height: 900 });
    await viewer.getByRole("link", { name: `Pop vs KNN ${stamp}` }).click();
    await expect(viewer).toHaveURL(new RegExp(`${testUrl}$`));
    await expect(viewer.getByTestId("ab-verdict").locator("li").first()).toHaveText(/CTR/);
    await expect(viewer.getByTestId("ab-lift-chart").locator("svg.recharts-surface[role=application]")).toBeVisible();

    // ...but cannot launch, import or delete: no buttons, 403 from the API.
    await expect(viewer.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await viewer.goto("/ab-tests");
    await expect(viewer.getByRole("link", { name: "New simulated test" })).toHaveCount(0);
    await expect(viewer.getByRole("link", { name: "Import log" })).toHaveCount(0);
    await viewer.goto("/ab-tests/new");
    await expect(viewer).toHaveURL(/\/forbidden$/);
    const id = testUrl.split("/").pop()!;
    expect(await status(viewer, "POST", "/api/ab-tests", { name: "nope", datasetId, arms: runIds.map((runId) => ({ kind: "run", runId })) })).toBe(403);
    expect(await status(viewer, "POST", "/api/ab-tests/import", {})).toBe(403);
    expect(await status(viewer, "DELETE", `/api/ab-tests/${id}`)).toBe(403);
    expect(await status(viewer, "GET", `/api/ab-tests/${id}`)).toBe(200);
  });
});
