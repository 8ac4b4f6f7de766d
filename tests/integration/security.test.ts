import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as login from "@/app/api/auth/login/route";
import * as me from "@/app/api/auth/me/route";
import * as datasets from "@/app/api/datasets/route";
import * as dataset from "@/app/api/datasets/[id]/route";
import * as runs from "@/app/api/runs/route";
import * as runsExport from "@/app/api/runs/export/route";
import * as tokens from "@/app/api/tokens/route";
import * as token from "@/app/api/tokens/[id]/route";
import { createUser } from "@/lib/auth/accounts";
import { ACCOUNT_THROTTLE, ADDRESS_THROTTLE } from "@/lib/auth/login-throttle";
import { createSession, CSRF_COOKIE, SESSION_COOKIE } from "@/lib/auth/sessions";
import { neutraliseCell, toCsv } from "@/lib/reports/csv";
import { errorResponse } from "@/lib/server/http";
import { call, setDefaultToken, tokenFor, uploadForm, useDatabase } from "./support/api";
import { createTestDatabase, type TestDatabase } from "./support/databases";

const PASSWORD = "long enough password";
const SECRET_USER = "user-4f1c-secret";
const U_DATA = `${SECRET_USER}\t10\t5\t881250949\n${SECRET_USER}\t20\t3\t881250950\nother-user\t10\t4\t881250951\n`;

describe("security", () => {
  let database: TestDatabase;
  let analyst: string;
  let viewer: string;
  let datasetId: string;
  const datasetCount = () => database.handle.db.dataset.count();

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    useDatabase(database.handle);
    analyst = await tokenFor(database.handle.db, "analyst");
    viewer = await tokenFor(database.handle.db, "viewer");
    setDefaultToken(analyst);
    const created = await call(datasets.POST, { method: "POST", body: uploadForm({ name: "With people", format: "movielens-100k" }, { ratings: { name: "u.data", content: U_DATA } }) });
    expect(created.status).toBe(201);
    datasetId = created.body.id;
  });
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });
  beforeEach(async () => {
    await database.handle.db.loginThrottle.deleteMany();
  });

  describe("CSRF", () => {
    async function sessionCookies() {
      const user = await createUser(database.handle.db, { email: `s${Math.random().toString(36).slice(2)}@example.test`, password: PASSWORD, role: "analyst" });
      const session = await createSession(database.handle.db, user.id);
      return { cookie: `${SESSION_COOKIE}=${session.token}; ${CSRF_COOKIE}=${session.csrfToken}`, csrf: session.csrfToken };
    }
    const runBody = () => ({ datasetId, config: { modelId: "pop" } });

    it("refuses a cookie-authenticated mutation without the CSRF token, and changes nothing", async () => {
      const { cookie } = await sessionCookies();
      const before = await database.handle.db.run.count();
      const response = await call(runs.POST, { method: "POST", token: null, headers: { cookie }, json: runBody() });
      expect(response).toMatchObject({ status: 403, body: { error: { message: "missing or wrong CSRF token; reload the page and try again" } } });
      const wrong = await call(runs.POST, { method: "POST", token: null, headers: { cookie, "x-csrf-token": "forged" }, json: runBody() });
      expect(wrong.status).toBe(403);
      expect(await database.handle.db.run.count()).toBe(before);
    });

    it("refuses a cross-site origin even with the right token, and accepts the same-site request", async () => {
      const { cookie, csrf } = await sessionCookies();
      const crossSite = await call(runs.POST, { method: "POST", token: null, headers: { cookie, "x-csrf-token": csrf, origin: "https://evil.example", host: "localhost" }, json: runBody() });
      expect(crossSite).toMatchObject({ status: 403, body: { error: { message: "cross-site request refused" } } });
      const sameSite = await call(runs.POST, { method: "POST", token: null, headers: { cookie, "x-csrf-token": csrf, origin: "http://localhost", host: "localhost" }, json: runBody() });
      expect(sameSite.status).toBe(201);
    });
  });

  describe("sign-in", () => {
    it("sets httpOnly SameSite=Lax session cookies and answers wrong passwords vaguely", async () => {
      await createUser(database.handle.db, { email: "carol@example.test", password: PASSWORD, role: "viewer" });
      const ok = await call(login.POST, { method: "POST", token: null, json: { email: "carol@example.test", password: PASSWORD } });
      expect(ok.status).toBe(200);
      const cookies = ok.headers.getSetCookie();
      expect(cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/HttpOnly/i);
      expect(cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/SameSite=lax/i);
      expect(cookies.find((c) => c.startsWith(`${CSRF_COOKIE}=`))).not.toMatch(/HttpOnly/i);
      const secure = await call(login.POST, { method: "POST", token: null, url: "https://reclab.example/api/auth/login", json: { email: "carol@example.test", password: PASSWORD } });
      expect(secure.headers.getSetCookie().every((c) => /;\s*Secure/i.test(c))).toBe(true);
      const wrong = await call(login.POST, { method: "POST", token: null, json: { email: "carol@example.test", password: "nope nope nope" } });
      const unknown = await call(login.POST, { method: "POST", token: null, json: { email: "nobody@example.test", password: "nope nope nope" } });
      expect(wrong).toMatchObject({ status: 401, body: { error: { message: "wrong email or password" } } });
      expect(unknown.body).toEqual(wrong.body);
    });

    it("backs off after repeated wrong passwords, even for the right one, until the wait is over", async () => {
      await createUser(database.handle.db, { email: "mallory-target@example.test", password: PASSWORD, role: "analyst" });
      const attempt = (password: string) => call(login.POST, { method: "POST", token: null, json: { email: "mallory-target@example.test", password } });
      for (let i = 0; i < ACCOUNT_THROTTLE.free; i++) expect((await attempt(`guess ${i} guess`)).status).toBe(401);
      const waiting = await attempt(PASSWORD);
      expect(waiting.status).toBe(429);
      expect(waiting.body.error.message).toBe("too many failed sign-ins for this account; try again in 1 s");
      expect(waiting.headers.get("retry-after")).toBe("1");
      // No 15-minute lock: once the second has passed (moved into the past here) the owner gets in.
      await database.handle.db.loginThrottle.updateMany({ data: { blockedUntil: new Date(Date.now() - 1) } });
      expect((await attempt(PASSWORD)).status).toBe(200);
      expect(await database.handle.db.loginThrottle.count({ where: { key: "account:mallory-target@example.test" } })).toBe(0);
    });

    it("doubles the wait with each further failure", async () => {
      for (let i = 0; i < ACCOUNT_THROTTLE.free + 2; i++) {
        await database.handle.db.loginThrottle.updateMany({ data: { blockedUntil: null } });
        expect((await call(login.POST, { method: "POST", token: null, json: { email: "ghost@example.test", password: `guess ${i} guess` } })).status).toBe(401);
      }
      const refused = await call(login.POST, { method: "POST", token: null, json: { email: "ghost@example.test", password: "again again" } });
      expect(refused).toMatchObject({ status: 429, body: { error: { message: "too many failed sign-ins for this account; try again in 4 s" } } });
    });

    it("rate-limits sign-in attempts per address across accounts", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < ADDRESS_THROTTLE.free + 5; i++) {
        const r = await call(login.POST, { method: "POST", token: null, json: { email: `x${i}@example.test`, password: "whatever whatever" } });
        statuses.push(r.status);
      }
      expect(statuses.slice(0, ADDRESS_THROTTLE.free).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(ADDRESS_THROTTLE.free).every((s) => s === 429)).toBe(true);
    });
  });

  describe("API tokens", () => {
    it("stops working the moment they are revoked", async () => {
      const user = await createUser(database.handle.db, { email: "dora@example.test", password: PASSWORD, role: "analyst" });
      const session = await createSession(database.handle.db, user.id);
      const headers = { cookie: `${SESSION_COOKIE}=${session.token}`, "x-csrf-token": session.csrfToken };
      const created = await call(tokens.POST, { method: "POST", token: null, headers, json: { name: "cli" } });
      expect(created.status).toBe(201);
      const secret: string = created.body.token;
      expect(await database.handle.db.apiToken.count({ where: { tokenHash: secret } })).toBe(0); // stored hashed
      expect((await call(me.GET, { token: secret })).body.user).toMatchObject({ email: "dora@example.test", role: "analyst", via: "token" });
      expect((await call(token.DELETE, { method: "DELETE", token: null, headers, params: { id: created.body.record.id } })).status).toBe(200);
      expect(await call(me.GET, { token: secret })).toMatchObject({ status: 401, body: { error: { message: "the API token is invalid, expired or revoked" } } });
    });

    it("cannot be created above the owner's role", async () => {
      const user = await createUser(database.handle.db, { email: "vic@example.test", password: PASSWORD, role: "viewer" });
      const session = await createSession(database.handle.db, user.id);
      const response = await call(tokens.POST, { method: "POST", token: null, headers: { cookie: `${SESSION_COOKIE}=${session.token}`, "x-csrf-token": session.csrfToken }, json: { name: "x", role: "admin" } });
      expect(response).toMatchObject({ status: 403, body: { error: { message: "a viewer cannot create a token with the admin role" } } });
    });
  });

  it("a viewer reaches no raw per-user data through any GET route", async () => {
    const { discoverGetRoutes } = await import("./support/routes");
    let checked = 0;
    for (const route of await discoverGetRoutes()) {
      const url = `http://localhost${route.path.replace("[id]", datasetId)}`;
      const response = await route.handler(new Request(url, { headers: { authorization: `Bearer ${viewer}` } }), { params: Promise.resolve({ id: datasetId }) });
      const text = await response.text();
      expect(text, route.path).not.toContain(SECRET_USER);
      checked++;
    }
    expect(checked).toBeGreaterThan(8);
    // The analyst who owns the data does see it, so the probe would notice a leak.
    const { getDatasetRows } = await import("@/lib/server/get-dataset-rows");
    const rows = await getDatasetRows(datasetId, { userId: null, email: "a", role: "analyst", teamId: "default", via: "token" }, { offset: 0, limit: 5 });
    expect(rows.rows.map((r) => r.user)).toContain(SECRET_USER);
  });

  describe("hostile uploads get a clear error and change nothing", () => {
    // [label, upload, status, message, RECLAB_UPLOAD_MAX_TEXT_MB for the case]
    const cases: [string, () => FormData, number, RegExp, string?][] = [
      ["a gzip bomb", () => uploadForm({ name: "bomb", format: "csv", options: JSON.stringify({ csv: { delimiter: ",", hasHeader: false, columns: { user: "0", item: "1" } } }) }, { ratings: { name: "x.csv.gz", content: Uint8Array.from(gzipSync(Buffer.from("1,2\n".repeat(3_000_000)))) } }), 413, /more than 1 MB of text \(after decompression\)/, "1"],
      ["a 10 MB single line", () => uploadForm({ name: "long", format: "movielens-100k" }, { ratings: { name: "u.data", content: "1\t".repeat(5 * 1024 * 1024) } }), 400, /^line 1: line is longer than 1048576 bytes$/],
      ["invalid UTF-8", () => uploadForm({ name: "bad utf8", format: "movielens-latest" }, { ratings: { name: "ratings.csv", content: Uint8Array.from([...Buffer.from("userId,movieId,rating,timestamp\n1,2,3,4\n5,6"), 0xc3, 0x28, ...Buffer.from(",3,4\n")]) } }), 400, /^line 3: text is not valid UTF-8$/],
      ["too many columns", () => uploadForm({ name: "wide", format: "csv", options: JSON.stringify({ csv: { delimiter: ",", hasHeader: false, columns: { user: "0", item: "1" } } }) }, { ratings: { name: "w.csv", content: `${Array.from({ length: 1500 }, (_, i) => i).join(",")}\n` } }), 400, /^line 1: 1500 columns; at most 1000 are accepted$/],
    ];
    for (const [label, form, status, message, maxTextMb] of cases) {
      it(label, async () => {
        if (maxTextMb) process.env.RECLAB_UPLOAD_MAX_TEXT_MB = maxTextMb;
        try {
          const before = await datasetCount();
          const response = await call(datasets.POST, { method: "POST", body: form() });
          expect(response.status).toBe(status);
          expect(response.body.error.message).toMatch(message);
          expect(await datasetCount()).toBe(before);
        } finally {
          delete process.env.RECLAB_UPLOAD_MAX_TEXT_MB;
        }
      });
    }

    it("a path-like file name is only ever a label", async () => {
      const response = await call(datasets.POST, { method: "POST", body: uploadForm({ name: "paths", format: "movielens-100k" }, { ratings: { name: "../../../etc/passwd", content: U_DATA } }) });
      expect(response.status).toBe(201);
      const detail = await call(dataset.GET, { params: { id: response.body.id } });
      expect(detail.body.dataset.preprocessing.files.ratings.name).toBe("passwd");
    });
  });

  describe("CSV export", () => {
    it("neutralises formula-injection cells", async () => {
      const launched = await call(runs.POST, { method: "POST", json: { datasetId, name: "=cmd|' /C calc'!A0", config: { modelId: "pop" } } });
      expect(launched.status).toBe(201);
      const csv = await call(runsExport.GET, { token: viewer });
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toContain("text/csv");
      expect(csv.body).toContain(`'=cmd|' /C calc'!A0`);
      expect(csv.body).not.toMatch(/(^|,)=cmd/m);
    });

    it("prefixes every dangerous leading character and keeps numbers", () => {
      expect(["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain"].map(neutraliseCell)).toEqual(["'=1+1", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "plain"]);
      expect(neutraliseCell(-0.25)).toBe("-0.25");
      expect(toCsv([{ a: 'he said "hi", then =A1' }], [{ header: "a", value: (r) => r.a }])).toBe('a\r\n"he said ""hi"", then =A1"\r\n');
    });
  });

  it("keeps teams apart: another team's analyst cannot see or delete a dataset", async () => {
    const outsider = await tokenFor(database.handle.db, "analyst", { teamId: "other-team" });
    expect((await call(dataset.GET, { token: outsider, params: { id: datasetId } })).status).toBe(404);
    expect((await call(dataset.DELETE, { method: "DELETE", token: outsider, params: { id: datasetId } })).status).toBe(404);
    expect((await call(datasets.GET, { token: outsider })).body.datasets).toEqual([]);
    expect((await call(runs.POST, { method: "POST", token: outsider, json: { datasetId, config: { modelId: "pop" } } })).status).toBe(404);
    expect((await call(dataset.GET, { params: { id: datasetId } })).status).toBe(200);
  });

  it("marks personal data and pseudonymises user ids with a per-dataset salt", async () => {
    const upload = () => call(datasets.POST, { method: "POST", body: uploadForm({ name: "private", format: "movielens-100k", options: JSON.stringify({ personalData: true }) }, { ratings: { name: "u.data", content: U_DATA } }) });
    const [a, b] = [await upload(), await upload()];
    const { getDatasetRows } = await import("@/lib/server/get-dataset-rows");
    const analystPrincipal = { userId: null, email: "a", role: "analyst" as const, teamId: "default", via: "token" as const };
    const usersA = (await getDatasetRows(a.body.id, analystPrincipal, { offset: 0, limit: 5 })).rows.map((r) => r.user);
    const usersB = (await getDatasetRows(b.body.id, analystPrincipal, { offset: 0, limit: 5 })).rows.map((r) => r.user);
    expect(usersA.join()).not.toContain(SECRET_USER);
    expect(usersA[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(usersA[0]).not.toBe(usersB[0]); // different salt per dataset
    expect((await call(dataset.GET, { params: { id: a.body.id } })).body.dataset.personalData).toBe(true);
  });

  it("never leaks internal error text or SQL", async () => {
    const response = errorResponse(new Error('SQLITE_ERROR: no such column "passwordHash" in SELECT * FROM User'));
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(JSON.stringify(body)).not.toMatch(/SQLITE|SELECT|passwordHash/);
    expect(body.error.message).toMatch(/^internal error \(ref [0-9a-f]{6}\): the details were logged$/);
    expect(body.error.details).toEqual({ ref: body.error.message.slice(20, 26) });
  });
});
