import { expect, test as setup } from "@playwright/test";
import { ADMIN_STATE } from "../../playwright.config";

export const ADMIN = { email: process.env.E2E_ADMIN_EMAIL ?? "admin@reclab.test", password: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password" };

setup("sign in as the admin", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-menu")).toContainText(ADMIN.email);
  await page.context().storageState({ path: ADMIN_STATE });
});
