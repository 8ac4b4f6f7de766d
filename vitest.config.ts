import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "tests/support/server-only-stub.ts") };

// Structured logs (lib/ops/logger.ts) would drown test output; a test that needs them sets a level.
const quiet = { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" };
// Rows the tests write straight into the database must show on the next read: no shared-read
// interval (lib/server/shared-reads.ts has its own tests, and e2e runs the server's default).
const integrationEnv = { ...quiet, RECLAB_LIST_CACHE_MS: "0" };

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
          env: integrationEnv,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration files share one database per provider: run them one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
