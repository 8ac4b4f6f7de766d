import { getArtifactBytes, getDatasetBlobBytes, putArtifactBytes } from "./sqlite-bytes";
import { getArtifactBytesPg, getDatasetBlobBytesPg, putArtifactBytesPg } from "./pg-bytes";

/**
 * Reads and writes of large `Bytes` columns that bypass Prisma's query engine, whose driver
 * adapters move a Bytes value slowly (SQLite: one JavaScript number per byte, ~370 ms per MB
 * written; PostgreSQL: 15 MB in 2–4 s). Same rows, same constraints: what one path writes the
 * other reads. ./client.ts attaches the right one to every client it creates.
 */
export interface DirectBytes {
  /** Inserts or replaces a run artefact; refused (foreign key) when the run does not exist. */
  putArtifact(runId: string, kind: string, data: Uint8Array): Promise<void>;
  getArtifact(runId: string, kind: string): Promise<Uint8Array | null>;
  /** A dataset blob part by id; null when it is gone. */
  getDatasetBlob(id: string): Promise<Uint8Array | null>;
}

export function sqliteDirectBytes(file: string): DirectBytes {
  return {
    putArtifact: (runId, kind, data) => putArtifactBytes(file, runId, kind, data),
    getArtifact: (runId, kind) => getArtifactBytes(file, runId, kind),
    getDatasetBlob: (id) => getDatasetBlobBytes(file, id),
  };
}

export function postgresDirectBytes(url: string): DirectBytes {
  return {
    putArtifact: (runId, kind, data) => putArtifactBytesPg(url, runId, kind, data),
    getArtifact: (runId, kind) => getArtifactBytesPg(url, runId, kind),
    getDatasetBlob: (id) => getDatasetBlobBytesPg(url, id),
  };
}
