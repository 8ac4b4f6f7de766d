import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

describe.each(PROVIDERS)("migration runner on %s", (provider) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it("applies every migration once and records it", async () => {
    database = await createTestDatabase(provider, false);
    const first = await applyMigrations(database.url);
    expect(first.applied).toEqual(readMigrations(path.join("prisma", provider === "sqlite" ? "migrations" : "postgres/migrations")).map((m) => m.name));
    const second = await applyMigrations(database.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
    // The schema is really there: the client can write and read.
    const job = await database.handle.db.job.create({ data: { name: "probe", payload: "{}" } });
    expect(await database.handle.db.job.count()).toBe(1);
    expect(job.status).toBe("QUEUED");
  });

  it("serialises concurrent starters (web server and worker starting together)", async () => {
    database = await createTestDatabase(provider, false);
    const reports = await Promise.all([applyMigrations(database.url), applyMigrations(database.url)]);
    expect(reports.flatMap((r) => r.applied)).toHaveLength(readMigrations(path.join("prisma", provider === "sqlite" ? "migrations" : "postgres/migrations")).length);
  });

  it("0004_login_throttle keeps existing accounts, sessions and API tokens", async () => {
    database = await createTestDatabase(provider, false);
    const sub = provider === "sqlite" ? ["migrations"] : ["postgres", "migrations"];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-migrations-"));
    fs.mkdirSync(path.join(root, "prisma", ...sub), { recursive: true });
    for (const name of ["0001_init", "0002_accounts", "0003_experiments"]) {
      fs.cpSync(path.join("prisma", ...sub, name), path.join(root, "prisma", ...sub, name), { recursive: true });
    }
    await applyMigrations(database.url, root);
    const db = database.handle.db;
    await db.$executeRawUnsafe(`INSERT INTO "User" ("id", "email", "role", "failedLogins", "updatedAt") VALUES ('u1', 'old@example.test', 'analyst', 3, CURRENT_TIMESTAMP)`);
    await db.$executeRawUnsafe(`INSERT INTO "Session" ("id", "userId", "tokenHash", "csrfToken", "expiresAt") VALUES ('s1', 'u1', 'h1', 'c1', CURRENT_TIMESTAMP)`);
    await db.$executeRawUnsafe(`INSERT INTO "ApiToken" ("id", "userId", "name", "prefix", "tokenHash", "role") VALUES ('t1', 'u1', 'ci', 'rlk_ab', 'h2', 'analyst')`);
    fs.rmSync(root, { recursive: true, force: true });
    const later = readMigrations(path.join("prisma", ...sub)).map((m) => m.name).filter((name) => name > "0003_experiments");
    expect((await applyMigrations(database.url)).applied).toEqual(later);
    expect(later[0]).toBe("0004_login_throttle");
    expect(await db.user.findUnique({ where: { id: "u1" } })).toMatchObject({ email: "old@example.test" });
    expect(await db.session.count({ where: { userId: "u1" } })).toBe(1);
    expect(await db.apiToken.count({ where: { userId: "u1" } })).toBe(1);
    expect(await db.loginThrottle.count()).toBe(0);
  });

  it("0005_runs_list_columns copies each run's split kind and base run, and each experiment's split, out of the stored configs", async () => {
    database = await createTestDatabase(provider, false);
    const sub = provider === "sqlite" ? ["migrations"] : ["postgres", "migrations"];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-migrations-"));
    fs.mkdirSync(path.join(root, "prisma", ...sub), { recursive: true });
    // Every migration sorted before 0005_runs_list_columns (0005_ab_tests among them) runs first.
    for (const name of readMigrations(path.join("prisma", ...sub)).map((m) => m.name).filter((n) => n < "0005_runs_list_columns")) {
      fs.cpSync(path.join("prisma", ...sub, name), path.join(root, "prisma", ...sub, name), { recursive: true });
    }
    await applyMigrations(database.url, root);
    fs.rmSync(root, { recursive: true, force: true });
    const db = database.handle.db;
    await db.$executeRawUnsafe(`INSERT INTO "Dataset" ("id", "name", "source", "feedback", "numUsers", "numItems", "numInteractions", "stats", "preprocessing") VALUES ('d1', 'old', 'synthetic', 'implicit', 1, 1, 1, '{}', '{}')`);
    const configs: [string, string][] = [
      ["r1", JSON.stringify({ modelId: "pop", split: { kind: "leave-one-out" } })],
      ["r2", JSON.stringify({ modelId: "pop", split: { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 1 }, rerank: { baseRunId: "r1", rerankerId: "mmr", lambda: 0.5 } })],
      ["r3", "not json"],
    ];
    for (const [id, config] of configs) {
      await db.$executeRawUnsafe(`INSERT INTO "Run" ("id", "name", "datasetId", "modelId", "config") VALUES ($1, $1, 'd1', 'pop', $2)`.replaceAll("$1", `'${id}'`).replace("$2", `'${config.replaceAll("'", "''")}'`));
    }
    for (const [id, kind, base] of [["e1", "cv", "{}"], ["e2", "grid", JSON.stringify({ split: { kind: "temporal" } })]]) {
      await db.$executeRawUnsafe(`INSERT INTO "Experiment" ("id", "name", "kind", "datasetId", "modelId", "baseConfig", "spec", "selectionMetric", "totalRuns") VALUES ('${id}', '${id}', '${kind}', 'd1', 'pop', '${base}', '{}', 'ndcg@10', 1)`);
    }
    expect((await applyMigrations(database.url)).applied[0]).toBe("0005_runs_list_columns");
    const runs = await db.run.findMany({ orderBy: { id: "asc" }, select: { id: true, splitKind: true, baseRunId: true } });
    expect(runs).toEqual([
      { id: "r1", splitKind: "leave-one-out", baseRunId: null },
      { id: "r2", splitKind: "random", baseRunId: "r1" },
      { id: "r3", splitKind: null, baseRunId: null },
    ]);
    expect(await db.experiment.findMany({ orderBy: { id: "asc" }, select: { id: true, splitKind: true } })).toEqual([
      { id: "e1", splitKind: "k-fold" },
      { id: "e2", splitKind: "temporal" },
    ]);
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    database = await createTestDatabase(provider, false);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-migrations-"));
    const dir = path.join(root, "prisma", ...(provider === "sqlite" ? ["migrations"] : ["postgres", "migrations"]), "0001_probe");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), 'CREATE TABLE "Probe" ("id" INTEGER PRIMARY KEY);');
    await applyMigrations(database.url, root);
    fs.writeFileSync(path.join(dir, "migration.sql"), 'CREATE TABLE "Probe" ("id" INTEGER PRIMARY KEY, "x" INTEGER);');
    await expect(applyMigrations(database.url, root)).rejects.toThrow(/0001_probe was changed after it was applied/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
