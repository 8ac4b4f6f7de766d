import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as sharing from "@/app/api/admin/sharing/route";
import * as exportRoute from "@/app/api/reports/export/route";
import * as shares from "@/app/api/reports/shares/route";
import * as share from "@/app/api/reports/shares/[id]/route";
import type { Db } from "@/lib/db/client";
import { renderReport } from "@/lib/reports/render";
import { REPORT_SCHEMA_VERSION } from "@/lib/reports/document";
import { openShareLink } from "@/lib/server/share-links";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { call, tokenFor, useTeamDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

/** True while lib/reports is still the contract stub (before the report layer is merged). */
const reportLayerMissing = await renderReport({ schemaVersion: REPORT_SCHEMA_VERSION, kind: "run", title: "probe", provenance: [], sections: [] }, "json").then(
  () => false,
  () => true,
);
if (reportLayerMissing) console.warn("[tests] report layer not merged yet: skipping the export round trips in reports-share.test.ts");

const HOUR = 3_600_000;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const exportUrl = (query: string) => `http://localhost/api/reports/export?${query}`;

describe.each(PROVIDERS)("report export and share links on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let viewer: string;
  let otherTeam: string;
  let admin: string;
  let runId: string;
  let otherRunId: string;
  let datasetId: string;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ({ db, viewer, otherTeam } = await useTeamDatabase(database.handle));
    admin = await tokenFor(db, "admin");
    ({ id: datasetId } = await createSyntheticDataset(db, { name: "<script>alert(1)</script>", options: { numUsers: 30, numItems: 20, seed: 3 } }));
    runId = (await db.run.create({ data: { name: "<script>alert(1)</script>", datasetId, modelId: "pop", config: "{}" } })).id;
    const otherDataset = await createSyntheticDataset(db, { name: "theirs", options: { numUsers: 30, numItems: 20 } }, { teamId: "other-team" });
    otherRunId = (await db.run.create({ data: { name: "theirs", datasetId: otherDataset.id, modelId: "pop", config: "{}", teamId: "other-team" } })).id;
  });
  afterAll(async () => database?.drop());

  describe("GET /api/reports/export refuses bad input before building anything", () => {
    it.each([
      ["kind=model&id=x&format=pdf", 400, /kind must be one of run, experiment, comparison, dataset, bias/],
      ["kind=run&id=x&format=docx", 400, /format must be html, pdf, csv or json/],
      ["kind=run&format=pdf", 400, /a run report needs id=/],
      ["kind=comparison&ids=a&format=pdf", 400, /at least two distinct run ids/],
      [`kind=comparison&ids=${Array.from({ length: 13 }, (_, i) => `r${i}`).join(",")}&format=pdf`, 400, /at most 12 runs/],
      ["kind=run&id=missing&format=json", 404, /run missing does not exist/],
    ])("%s -> %i", async (query, status, pattern) => {
      const response = await call(exportRoute.GET, { url: exportUrl(query) });
      expect(response.status).toBe(status);
      expect(response.body.error.message).toMatch(pattern);
    });

    it("answers 404 for another team's run, dataset or comparison, as if it did not exist", async () => {
      for (const query of [`kind=run&id=${otherRunId}&format=pdf`, `kind=bias&id=${otherRunId}&format=html`, `kind=comparison&ids=${runId},${otherRunId}&format=csv`, `kind=run&id=${runId}&format=json`]) {
        const caller = query.includes(otherRunId) ? undefined : otherTeam;
        const response = await call(exportRoute.GET, { url: exportUrl(query), token: caller });
        expect(response.status, query).toBe(404);
      }
    });
  });

  describe.skipIf(reportLayerMissing)("GET /api/reports/export with the report layer (runs after the merge)", () => {
    it("returns a run's JSON document as an attachment with a safe file name, for a viewer too", async () => {
      const response = await call(exportRoute.GET, { url: exportUrl(`kind=run&id=${runId}&format=json`), token: viewer });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.json"$/);
      expect(response.body.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
      expect(response.body.kind).toBe("run");
      expect(response.body.title).toContain("<script>alert(1)</script>");
      const audit = await db.auditEvent.findFirst({ where: { action: "export", target: "report:run" }, orderBy: { at: "desc" } });
      expect(audit?.detail).toContain("(json)");
    });

    it("escapes a hostile dataset name in the HTML data sheet", async () => {
      const response = await call(exportRoute.GET, { url: exportUrl(`kind=dataset&id=${datasetId}&format=html`) });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(response.body).not.toContain("<script>alert(1)</script>");
      expect(response.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    });
  });

  describe("share links", () => {
    it("creates a link: 256-bit token in the URL once, only its SHA-256 stored, 7 days by default, audit-logged", async () => {
      const before = Date.now();
      const created = await call(shares.POST, { method: "POST", url: "http://reclab.example:3000/api/reports/shares", headers: { host: "reclab.example:3000" }, json: { target: { kind: "run", id: runId } } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const match = /^http:\/\/reclab\.example:3000\/share\/([A-Za-z0-9_-]{43})$/.exec(created.body.url);
      expect(match).not.toBeNull();
      const token = match![1];
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
      const row = await db.shareLink.findUniqueOrThrow({ where: { id: created.body.link.id } });
      expect(row.tokenHash).toBe(sha256(token));
      expect(JSON.stringify(row)).not.toContain(token);
      expect(row).toMatchObject({ teamId: "default", kind: "run", targetIds: JSON.stringify([runId]), revokedAt: null });
      const lifetime = row.expiresAt.getTime() - before;
      expect(lifetime).toBeGreaterThanOrEqual(168 * HOUR - 1000);
      expect(lifetime).toBeLessThanOrEqual(168 * HOUR + 10_000);
      expect(created.body.expiresAt).toBe(row.expiresAt.toISOString());
      expect(await db.auditEvent.count({ where: { action: "share.create", target: `share:${row.id}` } })).toBe(1);

      const opened = await openShareLink(db, token);
      expect(opened).toEqual({ id: row.id, teamId: "default", target: { kind: "run", runId } });
      expect((await db.shareLink.findUniqueOrThrow({ where: { id: row.id } })).lastOpenedAt).not.toBeNull();
    });

    it("refuses bad bodies, viewers and other teams' reports, and writes nothing", async () => {
      const count = await db.shareLink.count();
      const bad = [
        { target: { kind: "run", id: runId }, expiresInHours: 0 },
        { target: { kind: "run", id: runId }, expiresInHours: 2161 },
        { target: { kind: "run", id: runId }, expiresInHours: 1.5 },
        { target: { kind: "comparison", ids: [runId] } },
        { target: { kind: "run", id: runId }, token: "mine" },
        { target: { kind: "audit-log" } },
      ];
      for (const json of bad) expect((await call(shares.POST, { method: "POST", json })).status, JSON.stringify(json)).toBe(400);
      expect((await call(shares.POST, { method: "POST", json: { target: { kind: "run", id: runId } }, token: viewer })).status).toBe(403);
      const foreign = await call(shares.POST, { method: "POST", json: { target: { kind: "run", id: otherRunId } } });
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.message).toBe(`run ${otherRunId} does not exist`);
      expect(await db.shareLink.count()).toBe(count);
    });

    it("an expiry of 1 hour to 90 days is kept; past its expiry the link opens nothing", async () => {
      const created = await call(shares.POST, { method: "POST", json: { target: { kind: "dataset", id: datasetId }, expiresInHours: 1 } });
      expect(created.status).toBe(201);
      const token = created.body.path.split("/").pop();
      expect(new Date(created.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(HOUR);
      expect(await openShareLink(db, token, new Date(Date.now() + HOUR - 60_000))).not.toBeNull();
      expect(await openShareLink(db, token, new Date(Date.now() + HOUR + 1000))).toBeNull();
      const secondRun = (await db.run.create({ data: { name: "second", datasetId, modelId: "pop", config: "{}" } })).id;
      const ninety = await call(shares.POST, { method: "POST", json: { target: { kind: "comparison", ids: [secondRun, runId] }, expiresInHours: 2160 } });
      expect(ninety.status).toBe(201);
      expect(ninety.body.link).toMatchObject({ kind: "comparison", ids: [secondRun, runId], label: "Comparison of 2 runs" });
      expect(Math.round((new Date(ninety.body.expiresAt).getTime() - Date.now()) / HOUR)).toBe(2160);
    });

    it("lists the team's links without secrets; another team neither sees nor revokes them; revoking ends the link", async () => {
      const created = await call(shares.POST, { method: "POST", json: { target: { kind: "bias", id: runId }, expiresInHours: 24 } });
      const token: string = created.body.path.split("/").pop();
      const id: string = created.body.link.id;

      const listed = await call(shares.GET, { token: admin });
      const entry = listed.body.links.find((l: { id: string }) => l.id === id);
      expect(entry).toMatchObject({ kind: "bias", ids: [runId], label: "Bias report: <script>alert(1)</script>", status: "active", revokedAt: null });
      expect(entry.createdBy).toMatch(/^analyst-/);
      expect(JSON.stringify(listed.body)).not.toMatch(/tokenHash|[A-Za-z0-9_-]{43}/);
      expect((await call(shares.GET, { token: otherTeam })).body.links).toEqual([]);

      expect((await call(share.DELETE, { method: "DELETE", params: { id }, token: otherTeam })).status).toBe(404);
      expect(await openShareLink(db, token)).not.toBeNull();
      const revoked = await call(share.DELETE, { method: "DELETE", params: { id } });
      expect(revoked.status).toBe(200);
      expect(await openShareLink(db, token)).toBeNull();
      expect((await call(shares.GET)).body.links.find((l: { id: string }) => l.id === id).status).toBe("revoked");
      expect(await db.auditEvent.count({ where: { action: "share.revoke", target: `share:${id}` } })).toBe(1);
    });

    it("does not look up malformed or unknown tokens", async () => {
      expect(await openShareLink(db, "short")).toBeNull();
      expect(await openShareLink(db, "A".repeat(43))).toBeNull();
      expect(await openShareLink(db, `${"A".repeat(42)}/`)).toBeNull();
    });

    it("the admin switch: off refuses new links and hides existing ones; on brings them back", async () => {
      const created = await call(shares.POST, { method: "POST", json: { target: { kind: "run", id: runId } } });
      const token: string = created.body.path.split("/").pop();
      expect((await call(sharing.GET, { token: admin })).body).toEqual({ enabled: true });
      expect((await call(sharing.PUT, { method: "PUT", json: { enabled: false } })).status).toBe(403);
      expect((await call(sharing.PUT, { method: "PUT", json: { enabled: "no" }, token: admin })).status).toBe(400);

      expect((await call(sharing.PUT, { method: "PUT", json: { enabled: false }, token: admin })).body).toEqual({ enabled: false });
      expect((await call(sharing.GET, { token: admin })).body).toEqual({ enabled: false });
      expect(await openShareLink(db, token)).toBeNull();
      const refused = await call(shares.POST, { method: "POST", json: { target: { kind: "run", id: runId } } });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe("an admin has turned report sharing off");

      await call(sharing.PUT, { method: "PUT", json: { enabled: true }, token: admin });
      expect(await openShareLink(db, token)).not.toBeNull();
      expect(await db.auditEvent.count({ where: { action: { in: ["sharing.disable", "sharing.enable"] } } })).toBe(2);
    });
  });
});
