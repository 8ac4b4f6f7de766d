import { expect, test, type Page } from "@playwright/test";
import { invite, joinWithInvite } from "./support/accounts";
import { csrf } from "./support/csrf";
import { generateSyntheticDataset } from "./support/synthetic";

/** No horizontal page overflow at this width. */
async function fitsWidth(page: Page, width: number) {
  await page.setViewportSize({ width, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
}

test.describe("per-user drill-down", () => {
  let datasetId: string;
  test.beforeAll(async ({ request }) => {
    datasetId = await generateSyntheticDataset(request, { name: `Drill-down e2e ${Date.now()}`, options: { numUsers: 60, numItems: 80, interactionsPerUser: 15, seed: 4 } }, await csrf(request));
  });
  test.afterAll(async ({ request }) => {
    if (datasetId) await request.delete(`/api/datasets/${datasetId}`, { headers: await csrf(request) });
  });

  test("an analyst reads a user's reasons and a re-ranker's changes; a viewer cannot reach the page", async ({ page, browser, request }) => {
    const launched = await request.post("/api/runs", { data: { datasetId, config: { modelId: "item-knn" } }, headers: await csrf(request) });
    expect(launched.status()).toBe(201);
    const { id } = (await launched.json()) as { id: string };
    await expect.poll(async () => ((await (await request.get(`/api/runs/${id}`)).json()) as { run: { status: string } }).run.status, { timeout: 120_000 }).toBe("SUCCEEDED");
    // The first user (synthetic ids u1, u2, ...) the run evaluated on test.
    let user = "";
    for (let u = 1; u <= 60 && !user; u++) if ((await request.get(`/api/runs/${id}/users/u${u}`)).status() === 200) user = `u${u}`;
    expect(user).not.toBe("");

    const stamp = Date.now();
    const analystLink = await invite(page, `drill-analyst-${stamp}@example.test`, "analyst");
    const viewerLink = await invite(page, `drill-viewer-${stamp}@example.test`, "viewer");
    const analyst = await joinWithInvite(browser, analystLink, "analyst");
    await analyst.goto(`/runs/${id}/bias`);
    await analyst.getByLabel("User id").fill(user);
    await analyst.getByRole("button", { name: "Inspect user" }).click();
    await expect(analyst).toHaveURL(new RegExp(`/runs/${id}/users/${user}$`));
    await expect(analyst.getByTestId("reason").first()).toContainText(/Because you interacted with .+ \(\d+% of the score\)/);
    await expect(analyst.getByTestId("history").locator("li").first()).toBeVisible();
    await analyst.getByLabel("Re-ranker").selectOption("popularity-penalty");
    await analyst.getByLabel("λ").fill("1");
    await analyst.getByRole("button", { name: "Re-rank" }).click();
    await expect(analyst.getByTestId("rerank-diff")).toBeVisible();
    await fitsWidth(analyst, 1366);
    await fitsWidth(analyst, 390);

    const viewer = await joinWithInvite(browser, viewerLink, "viewer");
    await viewer.goto(`/runs/${id}/users/${user}`);
    await expect(viewer).toHaveURL(/\/forbidden/);
    expect((await viewer.request.get(`/api/runs/${id}/users/${user}`)).status()).toBe(403);
    await viewer.goto(`/runs/${id}/bias`);
    await expect(viewer.getByTestId("user-picker")).toHaveCount(0);
  });
});
