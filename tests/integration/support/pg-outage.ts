import pg from "pg";
import { PG_ADMIN_URL } from "./databases";

/**
 * A PostgreSQL restart as clients see it, for one database: every backend is terminated (their
 * in-flight statements fail with 57P01) and new connections are refused for `downMs` (55000),
 * then allowed again. A real restart is not possible here (the tests run as root, which
 * PostgreSQL refuses to run as), and would take down every other database on the server.
 */
export async function simulatePostgresRestart(databaseUrl: string, downMs: number): Promise<{ terminated: number }> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
    await new Promise((r) => setTimeout(r, downMs));
    return { terminated: rowCount ?? 0 };
  } finally {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin.end();
  }
}
