-- Sign-in throttling moves to its own table; the per-user counter and lock go.
-- Columns are dropped in place (SQLite >= 3.35): redefining "User" would cascade-delete sessions
-- and tokens, since the migration runs in a transaction where PRAGMA foreign_keys is ignored.

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "blockedUntil" DATETIME,
    "lastAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 0
);

-- AlterTable
ALTER TABLE "User" DROP COLUMN "failedLogins";
ALTER TABLE "User" DROP COLUMN "lockedUntil";

-- AlterTable: token lists no longer show any part of the secret.
ALTER TABLE "ApiToken" DROP COLUMN "prefix";
