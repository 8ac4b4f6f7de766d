import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/accounts";
import { createInvite } from "@/lib/auth/invites";
import { can, isAction, ROLES, type Role } from "@/lib/auth/policy";
import { createSession, CSRF_COOKIE, SESSION_COOKIE } from "@/lib/auth/sessions";
import type { Db } from "@/lib/db/client";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { tokenFor, useDatabase } from "./support/api";
import { serveMetrics } from "@/lib/ops/serve-metrics";
import { createTestDatabase, type TestDatabase } from "./support/databases";

/**
 * Every route handler, discovered from the file system, against every role plus anonymous:
 * allowed callers get their answer, forbidden ones 401/403 and nothing changes in the database.
 * A new route without a policy action, or without a sample request below, fails this test.
 */

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Handler = ((request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>) & { action?: string };

function discoverRoutes(): { file: string; path: string }[] {
  const root = path.resolve("app/api");
  const found: { file: string; path: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") found.push({ file: full, path: "/" + path.relative(path.resolve("app"), path.dirname(full)).split(path.sep).join("/") });
    }
  };
  walk(root);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

interface Sample {
  /** Path parameters, created fresh for each call when the call may consume them. */
  params?: (caller: Role | "anonymous") => Promise<Record<string, string>>;
  query?: string;
  json?: () => Promise<unknown> | unknown;
  form?: () => FormData;
  /** Status an allowed caller gets (default: any 2xx). */
  allowedStatus?: number;
}

interface Fixture {
  db: Db;
  datasetId: string;
  runId: string;
  /** Two finished runs of the dataset (A/B arms). */
  finishedRunIds: [string, string];
  users: Record<Role, { id: string; email: string }>;
}

let fx: Fixture;
const freshDataset = async () => ({ id: (await createSyntheticDataset(fx.db, { name: "fresh", options: { numUsers: 30, numItems: 20 } })).id });
const freshRun = async () => {
  const run = await fx.db.run.create({ data: { name: "fresh run", datasetId: fx.datasetId, modelId: "pop", config: "{}" } });
  const job = await fx.db.job.create({ data: { name: "train-run", payload: JSON.stringify({ runId: run.id }) } });
  await fx.db.run.update({ where: { id: run.id }, data: { jobId: job.id } });
  return { id: run.id };
};
const freshExperiment = async () => ({
  id: (await fx.db.experiment.create({ data: { name: "fresh experiment", kind: "cv", datasetId: fx.datasetId, modelId: "pop", baseConfig: "{}", spec: "{}", selectionMetric: "ndcg@10", totalRuns: 0 } })).id,
});
/** A queued synthetic generation of the default team, as POST /api/datasets/synthetic makes it. */
const freshJob = async () => {
  const payload = { name: "fresh job", options: { numUsers: 30, numItems: 20 }, owner: { teamId: "default", createdById: fx.users.analyst.id } };
  return { id: (await fx.db.job.create({ data: { name: "generate-synthetic", payload: JSON.stringify(payload) } })).id };
};
const freshAbTest = async () => ({
  id: (await fx.db.abTest.create({ data: { name: "fresh test", source: "imported", config: JSON.stringify({ fileName: "log.csv", bytes: 1, ratio: null }) } })).id,
});
const AB_LOG = "user,arm,timestamp,impressions,clicks,dwell_seconds,conversion\nu1,A,1700000000,10,1,30,0\nu2,B,1700000001,10,2,40,1\n";
const freshViewer = async () => ({ id: (await createUser(fx.db, { email: `u${Math.random().toString(36).slice(2)}@example.test`, password: "long enough password", role: "viewer" })).id });
/** A token owned by the caller (an admin's for anonymous callers). */
const freshToken = async (caller: Role | "anonymous") => {
  const row = await fx.db.apiToken.create({ data: { userId: fx.users[caller === "anonymous" ? "admin" : caller].id, name: "t", tokenHash: Math.random().toString(36), role: "viewer" } });
  return { id: row.id };
};
/** A live share link of the default team, made directly (the raw token does not matter here). */
const freshShareLink = async () => {
  const row = await fx.db.shareLink.create({ data: { teamId: "default", kind: "run", targetIds: JSON.stringify([fx.runId]), label: "Run: r", tokenHash: Math.random().toString(36), expiresAt: new Date(Date.now() + 3_600_000) } });
  return { id: row.id };
};
const U_DATA = "1\t10\t5\t881250949\n1\t20\t3\t881250950\n2\t10\t4\t881250951\n";

const SAMPLES: Record<string, Sample> = {
  "GET /api/health": {},
  "GET /api/ready": {},
  "POST /api/auth/login": { json: () => ({ email: fx.users.viewer.email, password: "long enough password" }) },
  "POST /api/auth/logout": {},
  "GET /api/auth/me": {},
  "POST /api/auth/setup": { json: () => ({ email: "second@example.test", password: "long enough password" }), allowedStatus: 409 },
  "POST /api/auth/invites/accept": {
    json: async () => ({ token: (await createInvite(fx.db, { userId: fx.users.admin.id, email: "a", role: "admin", teamId: "default", via: "session" }, { email: `i${Math.random().toString(36).slice(2)}@example.test`, role: "viewer", teamId: "default" })).token, password: "long enough password" }),
  },
  "GET /api/ab-tests": {},
  // Queued for a worker (none runs here): 202 with { id, jobId }.
  "POST /api/ab-tests": {
    json: () => ({ name: "sim", datasetId: fx.datasetId, arms: fx.finishedRunIds.map((runId) => ({ kind: "run", runId })), users: 100, sessionsPerUser: 2 }),
    allowedStatus: 202,
  },
  "POST /api/ab-tests/import": { form: () => { const f = new FormData(); f.set("name", "imported"); f.set("log", new Blob([AB_LOG]), "log.csv"); return f; }, allowedStatus: 202 },
  "POST /api/ab-tests/plan": { json: () => ({ baselineRate: 0.05, relativeLift: 0.1 }) },
  "GET /api/ab-tests/[id]": { params: freshAbTest },
  "DELETE /api/ab-tests/[id]": { params: freshAbTest },
  "GET /api/datasets": {},
  "POST /api/datasets": { form: () => { const f = new FormData(); f.set("name", "up"); f.set("format", "movielens-100k"); f.set("ratings", new Blob([U_DATA]), "u.data"); return f; } },
  "POST /api/datasets/synthetic": { json: () => ({ name: "synthetic", options: { numUsers: 30, numItems: 20 } }), allowedStatus: 202 },
  "GET /api/datasets/[id]": { params: async () => ({ id: fx.datasetId }) },
  "DELETE /api/datasets/[id]": { params: freshDataset },
  "GET /api/datasets/[id]/interactions": { params: async () => ({ id: fx.datasetId }), query: "?limit=5" },
  "GET /api/jobs/[id]": { params: freshJob },
  "POST /api/jobs/[id]/cancel": { params: freshJob },
  "GET /api/queue": {},
  "GET /api/models": {},
  "GET /api/runs": {},
  "POST /api/runs": { json: () => ({ datasetId: fx.datasetId, config: { modelId: "pop" } }) },
  "GET /api/runs/export": {},
  "GET /api/runs/timings": { query: "?datasetId=missing&modelId=bpr", allowedStatus: 404 },
  "GET /api/runs/[id]": { params: async () => ({ id: fx.runId }) },
  "GET /api/runs/[id]/history": { params: async () => ({ id: fx.runId }) },
  "GET /api/runs/[id]/baseline": { params: async () => ({ id: fx.runId }) },
  "GET /api/runs/[id]/bias": { params: async () => ({ id: fx.runId }), allowedStatus: 400 },
  "POST /api/runs/[id]/cancel": { params: freshRun },
  "GET /api/runs/[id]/rerank-sweeps": { params: async () => ({ id: fx.runId }) },
  // The sample run is not finished and kept no candidates: allowed callers get 409 with the reason.
  "POST /api/runs/[id]/rerank-sweeps": { params: async () => ({ id: fx.runId }), json: () => ({ rerankerId: "mmr" }), allowedStatus: 409 },
  // The sample run is not finished: analysts and admins get 409, viewers 403.
  "GET /api/runs/[id]/users/[user]": { params: async () => ({ id: fx.runId, user: "u1" }), allowedStatus: 409 },
  "POST /api/runs/[id]/variants": { params: async () => ({ id: fx.runId }), json: () => ({ rerankerId: "mmr", lambda: 0.3 }), allowedStatus: 409 },
  "GET /api/compare": { query: "?runs=missing-a,missing-b", allowedStatus: 404 },
  "GET /api/compare/bias": { query: "?runs=missing-a,missing-b", allowedStatus: 404 },
  // Checked against the caller's team before the report is built: an unknown id is 404 for all.
  "GET /api/reports/export": { query: "?kind=run&id=missing-run&format=json", allowedStatus: 404 },
  "GET /api/reports/shares": {},
  "POST /api/reports/shares": { json: () => ({ target: { kind: "run", id: fx.runId }, expiresInHours: 1 }), allowedStatus: 201 },
  "DELETE /api/reports/shares/[id]": { params: freshShareLink, allowedStatus: 200 },
  "GET /api/admin/sharing": {},
  "PUT /api/admin/sharing": { json: () => ({ enabled: true }) },
  "GET /api/experiments": {},
  "POST /api/experiments": { json: () => ({ datasetId: fx.datasetId, base: { modelId: "pop" }, spec: { kind: "cv", folds: 2 } }), allowedStatus: 201 },
  "GET /api/experiments/[id]": { params: freshExperiment },
  "POST /api/experiments/[id]/cancel": { params: freshExperiment },
  "GET /api/openapi.json": {},
  "GET /api/reports/schema.json": {},
  "GET /api/tokens": {},
  "POST /api/tokens": { json: () => ({ name: "ci", role: "viewer" }) },
  "DELETE /api/tokens/[id]": { params: freshToken, allowedStatus: 200 },
  "GET /api/users": {},
  "POST /api/users/invites": { json: () => ({ email: `n${Math.random().toString(36).slice(2)}@example.test`, role: "viewer" }) },
  "PATCH /api/users/[id]": { params: freshViewer, json: () => ({ role: "analyst" }) },
  "POST /api/users/[id]/unlock": { params: freshViewer },
  "GET /api/audit": {},
  "GET /api/audit/export": {},
};

/** Everything users could care about, minus bookkeeping that authentication itself touches. */
async function fingerprint(db: Db): Promise<string> {
  const [datasets, runs, jobs, users, tokens, invites, sessions, metricPoints, shareLinks, settings, abTests] = await Promise.all([
    db.dataset.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true } }),
    db.run.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true } }),
    db.job.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, cancelRequested: true } }),
    db.user.findMany({ orderBy: { id: "asc" }, select: { id: true, role: true, disabled: true, teamId: true } }),
    db.apiToken.findMany({ orderBy: { id: "asc" }, select: { id: true, revokedAt: true } }),
    db.invite.count(),
    db.session.count(),
    db.metricPoint.count(),
    db.shareLink.findMany({ orderBy: { id: "asc" }, select: { id: true, revokedAt: true } }),
    db.appSetting.findMany({ orderBy: { key: "asc" } }),
    db.abTest.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true } }),
  ]);
  return JSON.stringify({ datasets, runs, jobs, users, tokens, invites, sessions, metricPoints, shareLinks, settings, abTests });
}

async function sessionHeaders(role: Role): Promise<Record<string, string>> {
  const session = await createSession(fx.db, fx.users[role].id);
  return { cookie: `${SESSION_COOKIE}=${session.token}; ${CSRF_COOKIE}=${session.csrfToken}`, "x-csrf-token": session.csrfToken, origin: "http://localhost", host: "localhost" };
}

describe("authorization of every route handler", () => {
  let database: TestDatabase;
  const routes = discoverRoutes();

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    const db = useDatabase(database.handle);
    const users = {} as Fixture["users"];
    for (const role of ROLES) {
      const u = await createUser(db, { email: `${role}@example.test`, password: "long enough password", role });
      users[role] = { id: u.id, email: u.email };
    }
    const { id: datasetId } = await createSyntheticDataset(db, { name: "shared", options: { numUsers: 40, numItems: 30 } });
    const run = await db.run.create({ data: { name: "r", datasetId, modelId: "pop", config: "{}" } });
    const finished = () => db.run.create({ data: { name: "finished", datasetId, modelId: "pop", config: "{}", status: "SUCCEEDED" } }).then((r) => r.id);
    fx = { db, datasetId, runId: run.id, finishedRunIds: [await finished(), await finished()], users };
  });
  afterAll(async () => database?.drop());

  it("finds the route handlers, and each exported method declares a known policy action", async () => {
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) {
      const mod = (await import(r.file)) as Record<string, Handler>;
      const methods = METHODS.filter((m) => mod[m]);
      expect(methods.length, r.path).toBeGreaterThan(0);
      for (const m of methods) {
        expect(typeof mod[m].action, `${m} ${r.path} has no policy (wrap it in route()/publicRoute())`).toBe("string");
        expect(isAction(mod[m].action!), `${m} ${r.path}: unknown action ${mod[m].action}`).toBe(true);
        expect(SAMPLES[`${m} ${r.path}`], `${m} ${r.path} needs a sample request in this test`).toBeDefined();
      }
    }
  });

  it("has no server actions outside the policy (all mutations go through route handlers)", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(ts|tsx)$/.test(entry.name) && /^\s*["']use server["']/m.test(fs.readFileSync(full, "utf8"))) offenders.push(full);
      }
    };
    walk(path.resolve("app"));
    walk(path.resolve("lib"));
    expect(offenders).toEqual([]);
  });

  for (const principal of ["anonymous", ...ROLES] as const) {
    it(`enforces the policy for ${principal}`, async () => {
      await fx.db.loginThrottle.deleteMany();
      for (const r of routes) {
        const mod = (await import(r.file)) as Record<string, Handler>;
        for (const method of METHODS.filter((m) => mod[m])) {
          const handler = mod[method];
          const sample = SAMPLES[`${method} ${r.path}`];
          const allowed = handler.action === "public" || (principal !== "anonymous" && can(principal, handler.action as never));
          const params = (await sample.params?.(principal)) ?? {};
          const url = `http://localhost${r.path.replace(/\[(\w+)\]/g, (_, k: string) => params[k] ?? k)}${sample.query ?? ""}`;
          const headers: Record<string, string> = principal === "anonymous" ? { origin: "http://localhost", host: "localhost" } : await sessionHeaders(principal);
          let body: BodyInit | undefined;
          if (sample.form) body = sample.form();
          else if (sample.json) {
            body = JSON.stringify(await sample.json());
            headers["content-type"] = "application/json";
          }
          const before = allowed ? "" : await fingerprint(fx.db);
          const response = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(params) });
          const label = `${principal} ${method} ${r.path} -> ${response.status} ${allowed ? "(allowed)" : "(forbidden)"}: ${await response.clone().text().then((t) => t.slice(0, 200))}`;
          if (allowed) {
            if (sample.allowedStatus) expect(response.status, label).toBe(sample.allowedStatus);
            else expect(response.status >= 200 && response.status < 300, label).toBe(true);
          } else {
            expect(response.status, label).toBe(principal === "anonymous" ? 401 : 403);
            // Sessions created by this test for the next principal are not the route's doing.
            expect(await fingerprint(fx.db), label).toBe(before);
          }
        }
      }
    });
  }
});

/**
 * /metrics is served by the web front (scripts/web-server.ts), outside app/api and its role
 * policy: no account role opens it. Without RECLAB_METRICS_TOKEN only loopback and trusted-proxy
 * peers may scrape; with it, only that bearer token, whoever the caller is.
 */
describe("authorization of the /metrics scrape endpoint", () => {
  let database: TestDatabase;
  const tokens = {} as Record<Role, string>;
  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    const db = useDatabase(database.handle);
    for (const role of ROLES) tokens[role] = await tokenFor(db, role);
  });
  afterAll(async () => database?.drop());

  async function scrape(authorization: string | undefined, peer: string, token?: string): Promise<number> {
    const req = { headers: authorization ? { authorization } : {} } as IncomingMessage;
    let status = 0;
    const res = { writeHead: (code: number) => ((status = code), res), end: () => res } as unknown as ServerResponse;
    await serveMetrics(req, res, { peer, trust: { kind: "none" }, ...(token ? { token } : {}) });
    return status;
  }

  it("refuses every account role from a remote peer, and serves loopback without a scrape token", async () => {
    expect(await scrape(undefined, "203.0.113.9")).toBe(403);
    for (const role of ROLES) expect(await scrape(`Bearer ${tokens[role]}`, "203.0.113.9"), role).toBe(403);
    expect(await scrape(undefined, "127.0.0.1")).toBe(200);
  });

  it("with RECLAB_METRICS_TOKEN, answers only that token (not an admin's API token, not loopback alone)", async () => {
    const scrapeToken = "s".repeat(40);
    expect(await scrape(undefined, "127.0.0.1", scrapeToken)).toBe(401);
    for (const role of ROLES) expect(await scrape(`Bearer ${tokens[role]}`, "203.0.113.9", scrapeToken), role).toBe(401);
    expect(await scrape(`Bearer ${scrapeToken}`, "203.0.113.9", scrapeToken)).toBe(200);
  });
});
