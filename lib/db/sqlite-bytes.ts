import Database from "better-sqlite3";
import { retryWithBackoff } from "./transient-retry";

/**
 * Large `Bytes` values (run artefacts: checkpoints, per-user metrics, top lists; dataset blob
 * parts, read only) read and written with better-sqlite3 directly instead of through Prisma's
 * query engine, whose SQLite adapter passes a Bytes value as one JavaScript number per byte:
 * ~370 ms per MB written and ~190 per MB read (a 15 MB checkpoint: 5.6 s to save, 2.8 s to read
 * back; docs/benchmarks.md) and ~10× the value in heap; the driver takes ~20 ms per MB. One
 * connection per database file beside Prisma's own (WAL lets them share it), and each write is
 * one statement, so a reader sees the old artefact or the new one, never a half.
 *
 * better-sqlite3 is synchronous: a busy timeout would spin on the event loop while the lock may be
 * held by a Prisma transaction of this same process, which cannot finish until the loop is free.
 * So a locked database is retried after short asynchronous waits instead.
 */

const connections = new Map<string, Database.Database>();

function connection(file: string): Database.Database {
  let db = connections.get(file);
  if (!db) {
    db = new Database(file, { fileMustExist: true });
    db.pragma("busy_timeout = 0");
    db.pragma("foreign_keys = ON");
    connections.set(file, db);
  }
  return db;
}

/** Prisma's text form of a DateTime on SQLite ("2026-12-01T23:53:19.024+00:00"). */
const prismaTimestamp = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** Whether another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED and their extended codes). */
const isLocked = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test((error as { code?: string } | null)?.code ?? "");

/**
 * Runs `statement`, retrying after 2–50 ms waits while the database is locked, for up to 10 s
 * (Prisma's adapter waits as long).
 */
function unlocked<T>(statement: () => T): Promise<T> {
  return retryWithBackoff(async () => statement(), isLocked, { maxWaitMs: 10_000, firstDelayMs: 2, maxDelayMs: 50 });
}

/** Inserts or replaces the artefact `kind` of run `runId` (the run must exist). */
export async function putArtifactBytes(file: string, runId: string, kind: string, data: Uint8Array): Promise<void> {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  await unlocked(() =>
    connection(file)
      .prepare(
        `INSERT INTO "RunArtifact" ("runId", "kind", "data", "createdAt") VALUES (?, ?, ?, ?)
         ON CONFLICT ("runId", "kind") DO UPDATE SET "data" = excluded."data", "createdAt" = excluded."createdAt"`,
      )
      .run(runId, kind, bytes, prismaTimestamp(new Date())),
  );
}

/** The `data` column of the row `sql` selects, or null when there is none. */
async function selectBytes(file: string, sql: string, ...params: string[]): Promise<Uint8Array | null> {
  const row = await unlocked(() => connection(file).prepare(sql).get(...params) as { data: Buffer } | undefined);
  return row ? new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) : null;
}

/** The artefact's bytes, or null when the run has none of that kind. */
export function getArtifactBytes(file: string, runId: string, kind: string): Promise<Uint8Array | null> {
  return selectBytes(file, `SELECT "data" FROM "RunArtifact" WHERE "runId" = ? AND "kind" = ?`, runId, kind);
}

/** A dataset blob part's bytes by its id, or null when it is gone (its dataset deleted meanwhile). */
export function getDatasetBlobBytes(file: string, id: string): Promise<Uint8Array | null> {
  return selectBytes(file, `SELECT "data" FROM "DatasetBlob" WHERE "id" = ?`, id);
}

/** Closes the connection to `file` (tests that delete the file; the next call reopens). */
export function closeSqliteBytes(file: string): void {
  connections.get(file)?.close();
  connections.delete(file);
}
