import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { resolveDatabase, type DatabaseProvider } from "./database-url";

/**
 * Applies the SQL migrations of the current provider in name order and records each in
 * `_reclab_migrations` (name, checksum). Prisma's own `migrate deploy` cannot run on PostgreSQL
 * with the offline JS engine, so one small runner serves both providers. Every migration runs
 * in a transaction; concurrent starters are serialised (advisory lock / immediate transaction).
 */

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  provider: DatabaseProvider;
  applied: string[];
  alreadyApplied: string[];
}

const MIGRATIONS_TABLE = "_reclab_migrations";

export function migrationsDir(provider: DatabaseProvider, root = process.cwd()): string {
  return provider === "postgresql"
    ? path.join(root, "prisma", "postgres", "migrations")
    : path.join(root, "prisma", "migrations");
}

/** Reads `<dir>/<name>/migration.sql` files, sorted by folder name. */
export function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** What a provider-specific connection must offer the runner. */
interface MigrationConnection {
  /** Runs `fn` while holding an exclusive migration lock. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  appliedChecksums(): Promise<Map<string, string>>;
  /** Runs the migration and records it atomically; false when another process just did. */
  apply(migration: Migration): Promise<boolean>;
  close(): Promise<void>;
}

export async function applyMigrations(
  databaseUrl = process.env.DATABASE_URL,
  root = process.cwd(),
): Promise<MigrationReport> {
  const database = resolveDatabase(databaseUrl);
  const migrations = readMigrations(migrationsDir(database.provider, root));
  const connection =
    database.provider === "postgresql"
      ? await openPostgres(database.url)
      : await openSqlite(database.url);
  try {
    return await connection.withLock(async () => {
      const applied = await connection.appliedChecksums();
      const report: MigrationReport = { provider: database.provider, applied: [], alreadyApplied: [] };
      for (const migration of migrations) {
        const checksum = applied.get(migration.name);
        if (checksum === undefined) {
          if (await connection.apply(migration)) report.applied.push(migration.name);
          else report.alreadyApplied.push(migration.name);
        } else if (checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was changed after it was applied (checksum mismatch); add a new migration instead`,
          );
        } else {
          report.alreadyApplied.push(migration.name);
        }
      }
      return report;
    });
  } finally {
    await connection.close();
  }
}

async function openSqlite(file: string): Promise<MigrationConnection> {
  const { default: Database } = await import("better-sqlite3");
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: 10_000 });
  // WAL lets readers (the web server) proceed while a worker writes.
  db.pragma("journal_mode = WAL");
  db.exec(
    `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  return {
    async withLock(fn) {
      return fn();
    },
    async appliedChecksums() {
      const rows = db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as {
        name: string;
        checksum: string;
      }[];
      return new Map(rows.map((r) => [r.name, r.checksum]));
    },
    async apply(migration) {
      // IMMEDIATE takes the write lock up front, so two starters cannot both apply it.
      const run = db.transaction(() => {
        const done = db.prepare(`SELECT 1 FROM "${MIGRATIONS_TABLE}" WHERE name = ?`).get(migration.name);
        if (done) return false;
        db.exec(migration.sql);
        db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`).run(
          migration.name,
          migration.checksum,
          new Date().toISOString(),
        );
        return true;
      });
      return run.immediate();
    },
    async close() {
      db.close();
    },
  };
}

async function openPostgres(url: string): Promise<MigrationConnection> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // An arbitrary constant key shared by every RecLab process.
  const LOCK_KEY = 4_711_2026;
  return {
    async withLock(fn) {
      await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
      try {
        await client.query(
          `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
        );
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
      }
    },
    async appliedChecksums() {
      const { rows } = await client.query<{ name: string; checksum: string }>(
        `SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`,
      );
      return new Map(rows.map((r) => [r.name, r.checksum]));
    },
    async apply(migration) {
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [
          migration.name,
          migration.checksum,
        ]);
        await client.query("COMMIT");
        return true;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    async close() {
      await client.end();
    },
  };
}
