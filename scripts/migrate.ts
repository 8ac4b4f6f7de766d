// Applies pending database migrations for DATABASE_URL (SQLite by default).
import { applyMigrations } from "../lib/db/migrate";

const report = await applyMigrations();
console.log(
  `[migrate] ${report.provider}: ${report.applied.length} applied${report.applied.length ? ` (${report.applied.join(", ")})` : ""}, ${report.alreadyApplied.length} already up to date`,
);
