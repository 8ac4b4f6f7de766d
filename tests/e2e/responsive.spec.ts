import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { csrf } from "./support/csrf";
import { launchRun, waitForStatus } from "./support/runs";
import { generateSyntheticDataset } from "./support/synthetic";

/**
 * The app on a laptop and on a phone, for a newcomer: no page wider than the screen, a
 * navigation that folds away, tooltips on every metric, a time estimate before launch, Cancel
 * with confirmation, and no serious accessibility violations (axe-core).
 */
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

/** The page's width never exceeds the viewport: nothing scrolls sideways but inside its own box. */
async function expectNoHorizontalScroll(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  const { scrollWidth, viewport, widest } = await page.evaluate(() => {
    // For the message: the innermost elements that reach past the right edge.
    const past = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5);
    const innermost = past.filter((e) => !past.some((o) => o !== e && e.contains(o)));
    const describe = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${e.className && typeof e.className === "string" ? `.${e.className.split(" ").join(".")}` : ""}${e.getAttribute("data-testid") ? `[${e.getAttribute("data-testid")}]` : ""} → ${Math.round(e.getBoundingClientRect().right)} px`;
    return { scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth, widest: innermost.slice(0, 5).map(describe) };
  });
  expect(scrollWidth, `${path} is ${scrollWidth} px wide in a ${viewport} px viewport: ${widest.join("; ")}`).toBeLessThanOrEqual(viewport);
}

test.describe("responsive, accessible, safe to cancel", () => {
  let datasetId: string;
  let runA: string;
  let runB: string;
  let experimentId: string;
  const pages = () => ["/", "/datasets", `/datasets/${datasetId}`, "/runs", `/runs/${runA}`, `/compare?runs=${runA},${runB}`, "/experiments", `/experiments/${experimentId}`, "/models", "/glossary", "/runs/new", "/experiments/new"];

  test.beforeAll(async ({ request }) => {
    test.setTimeout(300_000);
    datasetId = await generateSyntheticDataset(request, { name: `Responsive e2e ${Date.now()}`, options: { numUsers: 120, numItems: 80, seed: 9 } }, await csrf(request));
    runA = await launchRun(request, datasetId, "bpr", { epochs: 3, factors: 8 });
    runB = await launchRun(request, datasetId, "pop", {});
    const created = await request.post("/api/experiments", {
      data: { datasetId, name: "Responsive ablation", base: { modelId: "bpr", params: { epochs: 2, factors: 8 }, ks: [10] }, spec: { kind: "ablation", seeds: [1], variants: [{ name: "no item bias", params: { itemBias: false } }] } },
      headers: await csrf(request),
    });
    expect(created.status()).toBe(201);
    experimentId = ((await created.json()) as { id: string }).id;
    await waitForStatus(request, `/api/runs/${runA}`, "run", "SUCCEEDED");
    await waitForStatus(request, `/api/runs/${runB}`, "run", "SUCCEEDED");
    await waitForStatus(request, `/api/experiments/${experimentId}`, "experiment", "SUCCEEDED");
  });

  test.afterAll(async ({ request }) => {
    if (datasetId) await request.delete(`/api/datasets/${datasetId}`, { headers: await csrf(request) });
  });

  for (const viewport of [DESKTOP, PHONE]) {
    test(`no page scrolls sideways at ${viewport.width} × ${viewport.height}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      for (const path of pages()) await expectNoHorizontalScroll(page, path);
    });
  }

  test("a run's metric grids fit their panels on a phone, with no column scrolled out of sight", async ({ page }) => {
    await page.setViewportSize(PHONE);
    await page.goto(`/runs/${runA}`);
    for (const testId of ["test-metrics", "validation-metrics"]) {
      const table = page.getByTestId(testId);
      await expect(table.locator("th").last()).toHaveText("value");
      const { tableRight, panelRight } = await table.evaluate((t) => ({
        tableRight: t.getBoundingClientRect().right,
        panelRight: t.closest(".panel")!.getBoundingClientRect().right,
      }));
      expect(tableRight, `${testId} reaches ${Math.round(tableRight)} px, past its panel's ${Math.round(panelRight)} px`).toBeLessThanOrEqual(panelRight);
    }
  });

  test("the compare table keeps each row's run in view when its metric columns scroll sideways", async ({ page }) => {
    await page.setViewportSize(PHONE);
    await page.goto(`/compare?runs=${runA},${runB}`);
    const table = page.getByTestId("compare-table");
    const firstCell = table.locator("tbody tr").first().locator("td").first();
    await expect(firstCell.getByRole("link")).toBeVisible();
    const scroller = table.locator("xpath=..");
    const before = await firstCell.evaluate((td) => td.getBoundingClientRect().left);
    const scrolled = await scroller.evaluate((div) => {
      div.scrollLeft = div.scrollWidth;
      return div.scrollLeft;
    });
    expect(scrolled, "the table is wider than its panel on a phone").toBeGreaterThan(100);
    expect(await firstCell.evaluate((td) => td.getBoundingClientRect().left)).toBeCloseTo(before, 0);
    // The cell scrolled past it is really behind it: the next column's left edge moved.
    const modelCell = table.locator("tbody tr").first().locator("td").nth(1);
    expect(await modelCell.evaluate((td) => td.getBoundingClientRect().left)).toBeLessThan(before);
  });

  test("the navigation folds behind a menu button on a phone, opens, closes, and Escape closes it", async ({ page }) => {
    await page.setViewportSize(PHONE);
    await page.goto("/");
    const toggle = page.getByTestId("nav-toggle");
    const panel = page.getByTestId("nav-panel");
    await expect(toggle).toBeVisible();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(panel).toBeHidden();
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(panel.getByRole("link", { name: "Datasets" })).toBeVisible();
    await toggle.click();
    await expect(panel).toBeHidden();
    await toggle.click();
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    // Following a link closes it too.
    await toggle.click();
    await panel.getByRole("link", { name: "Models" }).click();
    await expect(page).toHaveURL(/\/models$/);
    await expect(panel).toBeHidden();
    // On a laptop there is no menu button: the sidebar is always there.
    await page.setViewportSize(DESKTOP);
    await expect(toggle).toBeHidden();
    await expect(panel.getByRole("link", { name: "Datasets" })).toBeVisible();
  });

  test("the first Tab reaches a skip link that moves focus to the content", async ({ page }) => {
    await page.goto("/runs");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#content")).toBeFocused();
  });

  test("every metric name on the compare page has a tooltip, on hover and on keyboard focus", async ({ page }) => {
    await page.goto(`/compare?runs=${runA},${runB}`);
    const headers = page.getByTestId("compare-table").locator("th[data-metric-header]");
    const count = await headers.count();
    expect(count).toBeGreaterThan(3);
    for (let i = 0; i < count; i++) {
      const term = headers.nth(i).locator("button.term-button");
      await expect(term).toHaveCount(1);
      const tipId = await term.getAttribute("aria-describedby");
      expect(tipId).toBeTruthy();
      await expect(page.locator(`[id="${tipId}"]`)).toHaveAttribute("role", "tooltip");
      expect((await page.locator(`[id="${tipId}"]`).textContent())?.length ?? 0).toBeGreaterThan(30);
    }
    const first = headers.first().locator("button.term-button");
    const tip = page.locator(`[id="${await first.getAttribute("aria-describedby")}"]`);
    await expect(tip).toBeHidden();
    await first.hover();
    await expect(tip).toBeVisible();
    await page.mouse.move(0, 0);
    await expect(tip).toBeHidden();
    await first.focus();
    await expect(tip).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(tip).toBeHidden();
  });

  test("a finished run offers Compare with… (preselected) and Re-run (prefilled)", async ({ page }) => {
    await page.goto(`/runs/${runA}`);
    await page.getByRole("link", { name: "Compare with…" }).click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?runs=${runA}$`));
    const picker = page.getByTestId("compare-picker");
    await picker.getByRole("checkbox", { name: /compare with/ }).first().check();
    await picker.getByRole("button", { name: /Compare 2 runs/ }).click();
    await expect(page.getByTestId("compare-table").locator("tbody tr")).toHaveCount(2);

    await page.goto(`/runs/${runA}`);
    await page.getByRole("link", { name: "Re-run" }).click();
    await expect(page).toHaveURL(new RegExp(`/runs/new\\?from=${runA}$`));
    await expect(page.getByLabel("Model")).toHaveValue("bpr");
    await expect(page.getByLabel("Dataset")).toHaveValue(datasetId);
    await expect(page.locator("#param-factors")).toHaveValue("8");
  });

  test("SASRec shows its time estimate before launch; Cancel asks first and the run page says cancelled within 5 s", async ({ page }) => {
    await page.goto(`/runs/new?datasetId=${datasetId}`);
    await page.getByLabel("Model").selectOption("sasrec");
    // Early stopping could end SASRec on this small set before the dialog is answered (it did
    // on a fast machine): patience as long as the run keeps it running until it is cancelled.
    await page.getByLabel("Patience (evaluations)").fill("200");
    const estimate = page.getByTestId("time-estimate");
    await expect(estimate).toContainText(/Estimated time: (about .+|under 1 s) per epoch; at most .+ for 200 epochs/);
    await page.getByRole("button", { name: "Launch run" }).click();
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    const status = page.locator(".page-head [data-testid=run-status]");
    await expect(page.getByTestId("run-progress")).toContainText(/epoch \d+\/200/, { timeout: 120_000 });

    await page.getByRole("button", { name: "Cancel run" }).click();
    const dialog = page.getByTestId("cancel-dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Kept:");
    await expect(status).toHaveText("running"); // asking is not cancelling
    await dialog.getByRole("button", { name: "Keep running" }).click();
    await expect(dialog).toBeHidden();

    await page.getByRole("button", { name: "Cancel run" }).click();
    const confirmed = Date.now();
    await dialog.getByRole("button", { name: "Cancel run" }).click();
    await expect(status).toHaveText("cancelled", { timeout: 5_000 });
    test.info().annotations.push({ type: "cancel latency", description: `${Date.now() - confirmed} ms from confirming to "cancelled"` });
  });

  for (const viewport of [DESKTOP, PHONE]) {
    test(`axe-core finds no serious or critical violations at ${viewport.width} px`, async ({ page }) => {
      await page.setViewportSize(viewport);
      const problems: string[] = [];
      for (const path of pages()) {
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        for (const v of results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
          problems.push(`${path}: ${v.id} (${v.impact}) on ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
