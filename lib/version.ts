/**
 * The RecLab version, as package.json states it (tests/unit/reports/version.test.ts keeps the two
 * equal). A constant rather than a JSON import, which Node's ESM loader (scripts, Playwright)
 * only accepts with an import attribute.
 */
export const RECLAB_VERSION = "0.1.0";
