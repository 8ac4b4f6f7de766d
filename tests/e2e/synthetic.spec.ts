import { expect, test } from "@playwright/test";

test("the synthetic button queues a generation, follows the job and opens the new dataset", async ({ page }) => {
  await page.goto("/datasets");
  await page.getByRole("button", { name: "Generate synthetic dataset" }).click();
  await expect(page.getByRole("button", { name: "Generating…" })).toBeVisible();
  await expect(page).toHaveURL(/\/datasets\/[^/]+$/, { timeout: 60_000 });
  await expect(page.getByTestId("dataset-stats")).toContainText("300");
  const csrf = (await page.context().cookies()).find((c) => c.name === "reclab_csrf")?.value ?? "";
  const deleted = await page.request.delete(`/api/datasets/${page.url().split("/").pop()}`, { headers: { "x-csrf-token": decodeURIComponent(csrf) } });
  expect(deleted.ok()).toBe(true);
});
