import { expect, test, type Page } from "@playwright/test";
import { invite, joinWithInvite } from "./support/accounts";
import { generateSyntheticDataset } from "./support/synthetic";

/** A mutation sent from the signed-in page, with the page's own CSRF token: only the role can refuse it. */
async function apiFromPage(page: Page, method: string, url: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const csrf = document.cookie.split("; ").find((c) => c.startsWith("reclab_csrf="))?.slice("reclab_csrf=".length) ?? "";
      const response = await fetch(url, { method, headers: { "content-type": "application/json", "x-csrf-token": decodeURIComponent(csrf) }, body: body ? JSON.stringify(body) : undefined });
      return response.status;
    },
    { method, url, body },
  );
}

test("an admin invites an analyst and a viewer; the viewer can read but not launch or delete", async ({ page, browser }) => {
  const stamp = Date.now();
  // A dataset to look at.
  const datasetId = await generateSyntheticDataset(page.request, { name: `Access demo ${stamp}`, options: { numUsers: 60, numItems: 40 } }, {
    "x-csrf-token": (await page.context().cookies()).find((c) => c.name === "reclab_csrf")?.value ?? "",
  });

  const analystLink = await invite(page, `analyst-${stamp}@example.test`, "analyst");
  const viewerLink = await invite(page, `viewer-${stamp}@example.test`, "viewer");
  await expect(page.getByTestId("users-table")).toContainText(`admin@reclab.test`);

  const analyst = await joinWithInvite(browser, analystLink, "analyst");
  await analyst.goto(`/datasets/${datasetId}`);
  await expect(analyst.getByRole("button", { name: "Delete" })).toBeVisible();
  await expect(analyst.getByRole("link", { name: "Train a model" })).toBeVisible();

  const viewer = await joinWithInvite(browser, viewerLink, "viewer");
  await expect(viewer.getByTestId("user-menu")).toContainText("viewer");
  await expect(viewer.getByRole("link", { name: "New run" })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Users" })).toHaveCount(0);
  await viewer.goto("/datasets");
  await expect(viewer.getByText(`Access demo ${stamp}`)).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Import dataset" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Generate synthetic dataset" })).toHaveCount(0);
  await viewer.goto(`/datasets/${datasetId}`);
  await expect(viewer.getByTestId("dataset-stats")).toContainText("60");
  await expect(viewer.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Train a model" })).toHaveCount(0);
  await viewer.goto("/runs/new");
  await expect(viewer).toHaveURL(/\/forbidden$/);

  // The API refuses anyway.
  expect(await apiFromPage(viewer, "POST", "/api/runs", { datasetId, config: { modelId: "pop" } })).toBe(403);
  expect(await apiFromPage(viewer, "DELETE", `/api/datasets/${datasetId}`)).toBe(403);
  expect(await apiFromPage(viewer, "GET", `/api/datasets/${datasetId}/interactions`)).toBe(403);
  expect(await apiFromPage(analyst, "POST", "/api/runs", { datasetId, config: { modelId: "pop" } })).toBe(201);
  await viewer.screenshot({ path: "test-results/viewer-dataset.png", fullPage: true });

  // The overview's recent runs are the team's, like its counts: the analyst's run shows on the admin's.
  await page.goto("/");
  await expect(page.locator(".panel", { has: page.getByRole("heading", { name: "Recent runs" }) })).toContainText(`Access demo ${stamp}`);

  // The audit log saw it all.
  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-table")).toContainText("user.invite");
  await expect(page.getByTestId("audit-table")).toContainText("user.join");
  await expect(page.getByTestId("audit-table")).toContainText("run.launch");
});

test("pages carry security headers: a nonce CSP without unsafe-inline scripts, no framing, nosniff", async ({ page }) => {
  const response = await page.goto("/datasets");
  const headers = response!.headers();
  const csp = headers["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  // The app still works under that policy (its scripts carry the nonce): client navigation renders.
  await page.getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs$/);
});
