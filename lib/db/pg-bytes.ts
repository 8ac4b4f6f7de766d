import pg from "pg";
import { retryTransient } from "./transient-retry";

/**
 * Large `Bytes` values (run artefacts, dataset blob parts when read) on PostgreSQL with node-postgres
 * directly, beside Prisma's client: through Prisma's pg adapter a 15 MB checkpoint took 2.2–4.5 s
 * to save and 0.9–1.3 s to read (docs/benchmarks.md); node-postgres sends a Buffer as one binary
 * parameter. A small pool per database URL; each write is one statement, so a reader sees the old
 * artefact or the new one, never a half. Lost connections are retried as Prisma's are.
 */

const pools = new Map<string, pg.Pool>();

function pool(url: string): pg.Pool {
  let p = pools.get(url);
  if (!p) {
    // allowExitOnIdle: idle clients do not keep a finished process (a worker, an import) alive.
    p = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
    // An idle client whose server connection dies emits here; the pool replaces it on next use.
    p.on("error", () => {});
    pools.set(url, p);
  }
  return p;
}

/** Prisma's DateTime columns are TIMESTAMP(3) holding UTC: "2026-12-02 02:50:00.123". */
const utcTimestamp = (d: Date) => d.toISOString().slice(0, 23).replace("T", " ");

/** Inserts or replaces the artefact `kind` of run `runId` (the run must exist). */
export async function putArtifactBytesPg(url: string, runId: string, kind: string, data: Uint8Array): Promise<void> {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  await retryTransient(() =>
    pool(url).query(
      `INSERT INTO "RunArtifact" ("runId", "kind", "data", "createdAt") VALUES ($1, $2, $3, $4::timestamp)
       ON CONFLICT ("runId", "kind") DO UPDATE SET "data" = excluded."data", "createdAt" = excluded."createdAt"`,
      [runId, kind, bytes, utcTimestamp(new Date())],
    ),
  );
}

async function selectBytes(url: string, sql: string, params: string[]): Promise<Uint8Array | null> {
  const { rows } = await retryTransient(() => pool(url).query<{ data: Buffer }>(sql, params));
  const data = rows[0]?.data;
  return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
}

/** The artefact's bytes, or null when the run has none of that kind. */
export function getArtifactBytesPg(url: string, runId: string, kind: string): Promise<Uint8Array | null> {
  return selectBytes(url, `SELECT "data" FROM "RunArtifact" WHERE "runId" = $1 AND "kind" = $2`, [runId, kind]);
}

/** A dataset blob part's bytes by its id, or null when it is gone (its dataset deleted meanwhile). */
export function getDatasetBlobBytesPg(url: string, id: string): Promise<Uint8Array | null> {
  return selectBytes(url, `SELECT "data" FROM "DatasetBlob" WHERE "id" = $1`, [id]);
}

/** Ends the pool of `url` (tests that drop the database; the next call opens a new one). */
export async function closePgBytes(url: string): Promise<void> {
  const p = pools.get(url);
  pools.delete(url);
  await p?.end();
}
