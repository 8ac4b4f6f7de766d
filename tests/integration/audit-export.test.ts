import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditExport from "@/app/api/audit/export/route";
import { EXPORT_PAGE_SIZE } from "@/lib/db/keyset-pages";
import { call, tokenFor, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

// The whole log, however long (it used to stop silently at 100,000 events loaded at once):
// more events than two pages, many in the same millisecond, each exported once.
const EVENTS = 2 * EXPORT_PAGE_SIZE + 11;
const AT = [new Date("2026-03-01T10:00:00.000Z"), new Date("2026-03-01T10:00:00.001Z")];

describe.each(PROVIDERS)("GET /api/audit/export (%s)", (provider) => {
  let database: TestDatabase;
  let admin: string;
  let analyst: string;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    const db = useDatabase(database.handle);
    admin = await tokenFor(db, "admin");
    analyst = await tokenFor(db, "analyst");
    await db.auditEvent.deleteMany();
    await db.auditEvent.createMany({ data: Array.from({ length: EVENTS }, (_, i) => ({ action: "login", target: `event-${i}`, actorEmail: "someone@example.test", at: AT[i % 2] })) });
  }, 60_000);
  afterAll(() => database?.drop());

  it("streams every event once, newest first, the export itself at the top", async () => {
    const response = await call(auditExport.GET, { token: admin });
    expect(response.status).toBe(200);
    const [header, ...rows] = (response.body as string).trimEnd().split("\r\n").map((line) => line.split(","));
    expect(header).toEqual(["at", "actor", "action", "target", "detail", "ip"]);
    expect(rows).toHaveLength(EVENTS + 1);
    expect(rows[0].slice(2, 4)).toEqual(["export", "audit-log"]);
    expect(new Set(rows.slice(1).map((r) => r[3])).size).toBe(EVENTS);
    const times = rows.slice(1).map((r) => r[0]);
    expect(times).toEqual([...times].sort().reverse());
    expect(times.filter((t) => t === AT[1].toISOString())).toHaveLength(Math.floor(EVENTS / 2));
  });

  it("is for admins only", async () => {
    expect((await call(auditExport.GET, { token: analyst })).status).toBe(403);
  });
});
