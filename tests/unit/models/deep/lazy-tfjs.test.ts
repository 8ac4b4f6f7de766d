import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every .ts file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith(".ts") ? [full] : [];
  });
}

describe("TensorFlow.js stays out of the app's module graph", () => {
  // App pages import the model registry; models and training code may only import tfjs types
  // and get the runtime from loadTensorflow() (lib/training/tf-backend.ts) inside fit().
  const root = path.resolve(import.meta.dirname, "../../../..");
  const files = [...sources(path.join(root, "lib/models")), ...sources(path.join(root, "lib/training"))];

  it.each(files.map((f) => [path.relative(root, f), f]))("%s imports @tensorflow/* as types only", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const valueImports = [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+["']@tensorflow\/[^"']+["']/gm)].map((m) => m[0]);
    const sideEffectImports = [...text.matchAll(/^import\s+["']@tensorflow\/[^"']+["']/gm)].map((m) => m[0]);
    expect([...valueImports, ...sideEffectImports]).toEqual([]);
  });
});
