import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

/** Everything below the datasource block, which must be identical for both providers. */
function models(file: string): string {
  const text = fs.readFileSync(file, "utf8");
  return text.slice(text.indexOf("}", text.indexOf("datasource db")) + 1).trim();
}

describe("SQLite and PostgreSQL stay in step", () => {
  it("the two Prisma schemas declare the same models", () => {
    expect(models("prisma/postgres/schema.prisma")).toBe(models("prisma/schema.prisma"));
  });

  it("both providers have the same migration names", () => {
    expect(fs.readdirSync("prisma/postgres/migrations").sort()).toEqual(fs.readdirSync("prisma/migrations").filter((n) => n !== "migration_lock.toml").sort());
  });

  describe.skipIf(!PROVIDERS.includes("postgresql"))("migrated databases", () => {
    let sqlite: TestDatabase;
    let postgres: TestDatabase;
    beforeAll(async () => {
      [sqlite, postgres] = await Promise.all([createTestDatabase("sqlite"), createTestDatabase("postgresql")]);
    });
    afterAll(async () => {
      await Promise.all([sqlite?.drop(), postgres?.drop()]);
    });

    it("have the same tables, columns and nullability", async () => {
      const sqliteTables = await sqlite.handle.db.$queryRawUnsafe<{ name: string }[]>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_reclab_migrations' ORDER BY name",
      );
      const fromSqlite: string[] = [];
      for (const { name } of sqliteTables) {
        const columns = await sqlite.handle.db.$queryRawUnsafe<{ name: string; notnull: number | bigint }[]>(`PRAGMA table_info("${name}")`);
        for (const c of columns) fromSqlite.push(`${name}.${c.name} ${Number(c.notnull) ? "NOT NULL" : "NULL"}`);
      }
      const pgColumns = await postgres.handle.db.$queryRawUnsafe<{ table_name: string; column_name: string; is_nullable: string }[]>(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, is_nullable::text AS is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_reclab_migrations'",
      );
      const fromPostgres = pgColumns.map((c) => `${c.table_name}.${c.column_name} ${c.is_nullable === "NO" ? "NOT NULL" : "NULL"}`);
      expect(fromSqlite.length).toBeGreaterThan(20);
      expect([...fromPostgres].sort()).toEqual([...fromSqlite].sort());
    });
  });
});
