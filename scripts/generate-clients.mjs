// Generates the Prisma client for both providers. Prisma's CLI picks the schema from
// prisma.config.ts, which follows DATABASE_URL, so each run names a URL of its provider.
import { execFileSync } from "node:child_process";

const targets = [
  "file:./data/reclab.db",
  "postgresql://localhost:5432/reclab",
];
for (const url of targets) {
  execFileSync("npx", ["prisma", "generate"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}
