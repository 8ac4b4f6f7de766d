import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "../generated/postgres/client";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { postgresDirectBytes, sqliteDirectBytes, type DirectBytes } from "./direct-bytes";
import { withTransientRetry } from "./transient-retry";
import { resolveDatabase, type DatabaseProvider } from "./database-url";

/**
 * The Prisma client type. Both generated clients come from schemas that are identical below the
 * datasource block (tests/integration/schema-drift.test.ts), so they expose the same API.
 */
export type Db = SqliteClient;

export interface DbHandle {
  db: Db;
  provider: DatabaseProvider;
  /** The DATABASE_URL this client opened; child processes (imports) are given the same one. */
  url: string;
}

/** Opens a client for DATABASE_URL (or the given URL) with the matching driver adapter. */
export function createDb(databaseUrl = process.env.DATABASE_URL): DbHandle {
  const database = resolveDatabase(databaseUrl);
  if (database.provider === "postgresql") {
    const adapter = withTransientRetry(new PrismaPg({ connectionString: database.url }));
    const db = new PostgresClient({ adapter }) as unknown as Db;
    directBytes.set(db, postgresDirectBytes(database.url));
    return { db, provider: "postgresql", url: database.url };
  }
  // A busy timeout lets the web server and workers share the file; WAL is set by the migrator.
  const adapter = new PrismaBetterSQLite3({ url: database.url, timeout: 10_000 });
  const db = new SqliteClient({ adapter });
  directBytes.set(db, sqliteDirectBytes(database.url));
  return { db, provider: "sqlite", url: `file:${database.url}` };
}

const directBytes = new WeakMap<Db, DirectBytes>();

/** The driver-level byte path of a client made by createDb (./direct-bytes); undefined for others (test doubles). */
export function directBytesOf(db: Db): DirectBytes | undefined {
  return directBytes.get(db);
}

const globalForDb = globalThis as unknown as { reclabDb?: DbHandle };

/** The process-wide client (kept on globalThis so Next.js dev reloads reuse it). */
export function getDb(): Db {
  return getDbHandle().db;
}

export function getDbHandle(): DbHandle {
  globalForDb.reclabDb ??= createDb();
  return globalForDb.reclabDb;
}
