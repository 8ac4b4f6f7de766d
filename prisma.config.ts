import path from "node:path";
import { defineConfig } from "prisma/config";
import { resolveDatabase } from "./lib/db/database-url";

// Prisma 6.19 with the JavaScript schema engine: no engine binary is downloaded, so the CLI
// works offline. The provider (and therefore the schema file) follows DATABASE_URL.
const database = resolveDatabase(process.env.DATABASE_URL);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(
    "prisma",
    database.provider === "postgresql" ? "postgres/schema.prisma" : "schema.prisma",
  ),
  async adapter() {
    if (database.provider === "postgresql") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: database.url });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url: database.url });
  },
});
