import { expect, type Browser, type Page } from "@playwright/test";

/** Opens an invitation link in a fresh browser context and creates the account; returns its page. */
export async function joinWithInvite(browser: Browser, link: string, name: string): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(`${name} has a long password`);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByTestId("user-menu")).toBeVisible();
  return page;
}

/** Creates an invitation from the admin page (signed in as an admin); returns the link. */
export async function invite(page: Page, email: string, role: string): Promise<string> {
  await page.goto("/admin/users");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Create invitation" }).click();
  const text = await page.getByTestId("invite-link").locator("code").textContent();
  expect(text).toMatch(/\/invite\/[\w-]+$/);
  return text!;
}

/** The page's CSRF token, for API calls through page.request. */
export async function csrfHeader(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((c) => c.name === "reclab_csrf")?.value ?? "";
  return { "x-csrf-token": decodeURIComponent(csrf) };
}
