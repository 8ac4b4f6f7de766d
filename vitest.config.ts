import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "tests/support/server-only-stub.ts") };

// Structured logs (lib/ops/logger.ts) would drown test output; a test that needs them sets a level.
const quiet = { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", testTimeout: 60_000, env: quiet },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          env: quiet,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration files share one database per provider: run them one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
