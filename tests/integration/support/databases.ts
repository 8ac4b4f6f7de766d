import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type DbHandle } from "@/lib/db/client";
import { closeSqliteBytes } from "@/lib/db/sqlite-bytes";
import { closePgBytes } from "@/lib/db/pg-bytes";
import { applyMigrations } from "@/lib/db/migrate";

/**
 * Throwaway databases for integration tests: a fresh SQLite file, and a fresh PostgreSQL
 * database created on the server named by RECLAB_TEST_PG_URL (default: the local trust-auth
 * server). Only local servers are accepted, so a test run can never touch a real deployment.
 */
export const PG_ADMIN_URL = process.env.RECLAB_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  provider: "sqlite" | "postgresql";
  url: string;
  handle: DbHandle;
  drop(): Promise<void>;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Providers to run integration tests on. PostgreSQL is skipped with a message when no local
 * server answers, unless RECLAB_REQUIRE_PG=1 (as in CI), where its absence fails the run.
 */
export const PROVIDERS: ("sqlite" | "postgresql")[] = ["sqlite"];
if (await postgresReachable()) PROVIDERS.push("postgresql");
else if (process.env.RECLAB_REQUIRE_PG === "1") throw new Error(`PostgreSQL is required but not reachable at ${PG_ADMIN_URL}`);
else console.warn(`[tests] PostgreSQL not reachable at ${PG_ADMIN_URL}: skipping its integration tests (set RECLAB_TEST_PG_URL)`);

function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`refusing to run integration tests against non-local database host ${host}`);
  }
}

export async function createTestDatabase(provider: "sqlite" | "postgresql", migrate = true): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-test-"));
    const file = path.join(dir, "test.db");
    const url = `file:${file}`;
    if (migrate) await applyMigrations(url);
    const handle = createDb(url);
    return {
      provider,
      url,
      handle,
      async drop() {
        await handle.db.$disconnect();
        closeSqliteBytes(file);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  assertLocal(PG_ADMIN_URL);
  const name = `reclab_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  if (migrate) await applyMigrations(dbUrl);
  const handle = createDb(dbUrl);
  return {
    provider,
    url: dbUrl,
    handle,
    async drop() {
      await handle.db.$disconnect();
      await closePgBytes(dbUrl);
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
