import { resolveDatabase } from "../db/database-url";
import type { Db } from "../db/client";
import { migrationsDir, readMigrations } from "../db/migrate";

export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ok: boolean;
  checks: Record<string, ReadinessCheck>;
}

/**
 * Whether this process can serve traffic: the database answers, every migration of this
 * version is applied (a web process started before `npm run db:migrate` is not ready), and —
 * once a Redis queue is configured — Redis answers. Liveness is /api/health; this is /api/ready.
 */
export async function checkReadiness(db: Db, databaseUrl = process.env.DATABASE_URL, root = process.cwd()): Promise<Readiness> {
  const checks: Record<string, ReadinessCheck> = {};
  const started = performance.now();
  try {
    await db.$queryRawUnsafe("SELECT 1");
    checks.database = { ok: true, detail: `${resolveDatabase(databaseUrl).provider} answered in ${Math.round(performance.now() - started)} ms` };
  } catch (error) {
    checks.database = { ok: false, detail: `the database did not answer: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
    return { ok: false, checks };
  }
  checks.migrations = await migrationCheck(db, databaseUrl, root);
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}

async function migrationCheck(db: Db, databaseUrl: string | undefined, root: string): Promise<ReadinessCheck> {
  const expected = readMigrations(migrationsDir(resolveDatabase(databaseUrl).provider, root)).map((m) => m.name);
  let applied: Set<string>;
  try {
    const rows = await db.$queryRawUnsafe<{ name: string }[]>('SELECT name FROM "_reclab_migrations"');
    applied = new Set(rows.map((r) => r.name));
  } catch {
    applied = new Set();
  }
  const pending = expected.filter((name) => !applied.has(name));
  return pending.length === 0
    ? { ok: true, detail: `${expected.length} migrations applied` }
    : { ok: false, detail: `${pending.length} migration(s) not applied: ${pending.join(", ")} (run npm run db:migrate)` };
}
