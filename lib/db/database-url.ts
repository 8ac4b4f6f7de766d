/** Where RecLab keeps its metadata when DATABASE_URL is unset: an SQLite file under ./data. */
export const DEFAULT_DATABASE_URL = "file:./data/reclab.db";

export type DatabaseProvider = "sqlite" | "postgresql";

export interface ResolvedDatabase {
  provider: DatabaseProvider;
  /** The URL as the driver adapter wants it: a file path for SQLite, the URL for PostgreSQL. */
  url: string;
}

/** Decides the provider from DATABASE_URL: postgres(ql):// means PostgreSQL, anything else SQLite. */
export function resolveDatabase(databaseUrl: string | undefined): ResolvedDatabase {
  const url = databaseUrl && databaseUrl.trim() !== "" ? databaseUrl.trim() : DEFAULT_DATABASE_URL;
  if (/^postgres(ql)?:\/\//i.test(url)) return { provider: "postgresql", url };
  return { provider: "sqlite", url: url.replace(/^file:/, "") };
}
