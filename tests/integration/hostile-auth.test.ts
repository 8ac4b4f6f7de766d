import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as acceptInvite from "@/app/api/auth/invites/accept/route";
import * as login from "@/app/api/auth/login/route";
import * as logout from "@/app/api/auth/logout/route";
import * as me from "@/app/api/auth/me/route";
import * as setup from "@/app/api/auth/setup/route";
import * as tokens from "@/app/api/tokens/route";
import * as unlock from "@/app/api/users/[id]/unlock/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser } from "@/lib/auth/accounts";
import { createInvite } from "@/lib/auth/invites";
import { ACCOUNT_THROTTLE, ADDRESS_THROTTLE, pruneThrottles } from "@/lib/auth/login-throttle";
import { verifyPassword } from "@/lib/auth/passwords";
import { createSession, CSRF_COOKIE, SESSION_COOKIE } from "@/lib/auth/sessions";
import type { Db } from "@/lib/db/client";
import { FORWARDED_FLAG_HEADER, PEER_HEADER, trustPeerHeader } from "@/lib/server/client-address";
import { call, setDefaultToken, tokenFor, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

/**
 * Issue 9, the sign-in / proxy / session findings, reproduced against the real route handlers:
 * forged forwarding headers, parallel guessing, lockout abuse, invitation races, log-out
 * leaving tokens alive, token secrets in lists.
 */

// Counts real password verifications (argon2 still runs).
vi.mock("@/lib/auth/passwords", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/passwords")>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});

const PASSWORD = "long enough password";
const TRUSTED_PROXY = "10.0.0.2";
const ATTACKER = "203.0.113.66";
const VICTIM = "198.51.100.20";

/** Headers as scripts/web-server.ts passes them: the real socket peer plus what the client sent. */
function from(peer: string, forwarding: Record<string, string> = {}): Record<string, string> {
  return { ...forwarding, [PEER_HEADER]: peer, ...(Object.keys(forwarding).length > 0 ? { [FORWARDED_FLAG_HEADER]: "1" } : {}) };
}

const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
  call(login.POST, { method: "POST", token: null, headers, json: { email, password } });

/** Stops Date (only Date): a back-off then lasts for the whole test. */
const freezeClock = () => vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });

const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}@example.test`;

describe.each(PROVIDERS)("hostile sign-in, proxies and sessions on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let admin: string;

  beforeAll(async () => {
    trustPeerHeader();
    database = await createTestDatabase(provider);
    db = useDatabase(database.handle);
    admin = await tokenFor(db, "admin");
    setDefaultToken(admin);
  });
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });
  beforeEach(async () => {
    process.env.TRUST_PROXY = `${TRUSTED_PROXY}/32`;
    await db.loginThrottle.deleteMany();
    vi.mocked(verifyPassword).mockClear();
  });
  afterEach(() => {
    vi.useRealTimers();
    delete process.env.TRUST_PROXY;
    delete process.env.RECLAB_SINGLE_USER;
  });

  describe("throttling holds under concurrency", () => {
    it("40 parallel wrong sign-ins to one account verify at most 5 passwords", async () => {
      const email = unique("target");
      await createUser(db, { email, password: PASSWORD, role: "analyst" });
      freezeClock(); // so the 1 s back-off cannot run out mid-test on a slow machine
      const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(email, `wrong guess ${i}`)));
      const statuses = responses.map((r) => r.status);
      expect(vi.mocked(verifyPassword).mock.calls.length).toBeLessThanOrEqual(ACCOUNT_THROTTLE.free);
      expect(statuses.filter((s) => s === 401)).toHaveLength(vi.mocked(verifyPassword).mock.calls.length);
      expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
      // The audit log agrees: at most 5 checked failures, the rest refused unchecked.
      const user = await db.user.findUniqueOrThrow({ where: { email } });
      expect(await db.auditEvent.count({ where: { actorId: user.id, action: "login-failed", detail: null } })).toBeLessThanOrEqual(ACCOUNT_THROTTLE.free);
      expect(await db.auditEvent.count({ where: { actorId: user.id, action: "login-failed" } })).toBe(40);
    });

    it("an unknown email is throttled exactly like a real one (no account enumeration)", async () => {
      const real = unique("real");
      await createUser(db, { email: real, password: PASSWORD, role: "viewer" });
      const ghost = unique("ghost");
      freezeClock();
      for (let i = 0; i < ACCOUNT_THROTTLE.free + 1; i++) {
        const [a, b] = [await signIn(real, `nope nope ${i}`), await signIn(ghost, `nope nope ${i}`)];
        expect(a.status, `attempt ${i}`).toBe(b.status);
        expect(a.body.error.message.replace(/\d+ s$/, "")).toBe(b.body.error.message.replace(/\d+ s$/, ""));
      }
    });

    it("rows nobody remembers are swept, so typed emails cannot grow the table for ever", async () => {
      await db.loginThrottle.createMany({ data: [{ key: "account:old@example.test", failures: 9, lastAttemptAt: new Date(Date.now() - 2 * 86_400_000) }, { key: "account:new@example.test", failures: 1 }] });
      await pruneThrottles(db);
      expect((await db.loginThrottle.findMany()).map((r) => r.key)).toEqual(["account:new@example.test"]);
    });
  });

  describe("forwarding headers count only from a trusted proxy", () => {
    it("rate-limit key and audit address ignore X-Forwarded-For from an untrusted peer and honour it from a trusted one", async () => {
      const email = unique("audit");
      await signIn(email, "wrong wrong wrong", from(ATTACKER, { "x-forwarded-for": VICTIM }));
      await signIn(email, "wrong wrong wrong", from(TRUSTED_PROXY, { "x-forwarded-for": "198.51.100.77" }));
      await signIn(email, "wrong wrong wrong", { "x-forwarded-for": "198.51.100.78" }); // no peer known: trust nothing
      const audit = await db.auditEvent.findMany({ where: { actorEmail: email }, orderBy: { at: "asc" }, select: { ip: true } });
      expect(audit.map((a) => a.ip)).toEqual([ATTACKER, "198.51.100.77", "unknown"]);
      const keys = (await db.loginThrottle.findMany({ where: { key: { startsWith: "address:" } } })).map((r) => r.key).sort();
      expect(keys).toEqual([`address:${ATTACKER}`, "address:198.51.100.77", "address:unknown"].sort());
    });

    it("rotating X-Forwarded-For does not escape the per-address limit", async () => {
      freezeClock();
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) {
        const r = await signIn(unique("rot"), "wrong wrong wrong", from(ATTACKER, { "x-forwarded-for": `198.51.${i}.${i}`, "x-real-ip": `192.0.2.${i}` }));
        statuses.push(r.status);
      }
      expect(statuses.filter((s) => s === 401)).toHaveLength(ADDRESS_THROTTLE.free);
      expect(statuses.slice(ADDRESS_THROTTLE.free).every((s) => s === 429)).toBe(true);
    });

    it("a spoofing client cannot lock the victim's address out", async () => {
      freezeClock();
      for (let i = 0; i < ADDRESS_THROTTLE.free + 5; i++) {
        await signIn(unique("spoof"), "wrong wrong wrong", from(ATTACKER, { "x-forwarded-for": VICTIM }));
        await signIn(unique("spoof"), "wrong wrong wrong", { "x-forwarded-for": VICTIM });
      }
      const email = unique("victim");
      await createUser(db, { email, password: PASSWORD, role: "viewer" });
      expect((await signIn(email, PASSWORD, from(TRUSTED_PROXY, { "x-forwarded-for": VICTIM }))).status).toBe(200);
      // The victim's own attempt was the only one on its address, and the success gave it back.
      expect(await db.loginThrottle.count({ where: { key: `address:${VICTIM}` } })).toBe(0);
      expect((await db.loginThrottle.findUniqueOrThrow({ where: { key: `address:${ATTACKER}` } })).failures).toBe(ADDRESS_THROTTLE.free);
    });

    it("Secure cookies follow X-Forwarded-Proto only from a trusted proxy", async () => {
      const email = unique("secure");
      await createUser(db, { email, password: PASSWORD, role: "viewer" });
      const spoofed = await signIn(email, PASSWORD, from(ATTACKER, { "x-forwarded-proto": "https" }));
      expect(spoofed.headers.getSetCookie().some((c) => /;\s*Secure/i.test(c))).toBe(false);
      const proxied = await signIn(email, PASSWORD, from(TRUSTED_PROXY, { "x-forwarded-proto": "https", "x-forwarded-for": VICTIM }));
      expect(proxied.headers.getSetCookie().every((c) => /;\s*Secure/i.test(c))).toBe(true);
    });

    it("the Origin check ignores X-Forwarded-Host from an untrusted peer", async () => {
      const user = await createUser(db, { email: unique("origin"), password: PASSWORD, role: "viewer" });
      const cookieHeaders = async () => {
        const session = await createSession(db, user.id);
        return { cookie: `${SESSION_COOKIE}=${session.token}; ${CSRF_COOKIE}=${session.csrfToken}`, "x-csrf-token": session.csrfToken, host: "localhost", origin: "https://evil.example" };
      };
      const forged = await call(logout.POST, { method: "POST", token: null, headers: { ...(await cookieHeaders()), ...from(ATTACKER, { "x-forwarded-host": "evil.example" }) } });
      expect(forged).toMatchObject({ status: 403, body: { error: { message: "cross-site request refused" } } });
      const noPeer = await call(logout.POST, { method: "POST", token: null, headers: { ...(await cookieHeaders()), "x-forwarded-host": "evil.example" } });
      expect(noPeer.status).toBe(403);
      const proxied = await call(logout.POST, { method: "POST", token: null, headers: { ...(await cookieHeaders()), origin: "https://reclab.example", ...from(TRUSTED_PROXY, { "x-forwarded-host": "reclab.example" }) } });
      expect(proxied.status).toBe(200);
    });

    it("single-user mode never serves a request that came through a proxy", async () => {
      process.env.RECLAB_SINGLE_USER = "1";
      const direct = await call(me.GET, { token: null, headers: from("127.0.0.1") });
      expect(direct.body.user).toMatchObject({ via: "single-user", role: "admin" });
      const nextDev = await call(me.GET, { token: null, headers: { host: "localhost:3000", "x-forwarded-for": "::ffff:127.0.0.1", "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http" } });
      expect(nextDev.status).toBe(200);
      for (const headers of [from("127.0.0.1", { "x-forwarded-for": "198.51.100.9" }), from("::ffff:127.0.0.1", { "x-forwarded-proto": "https" }), { "x-forwarded-for": "198.51.100.9" }, { "x-real-ip": "127.0.0.1" }]) {
        const proxied = await call(me.GET, { token: null, headers });
        expect(proxied.status, JSON.stringify(headers)).toBe(401);
        expect(proxied.body.error.message).toMatch(/^single-user mode only serves requests made directly on this machine, not through a proxy/);
      }
    });

    it("single-user mode: first-run setup through a proxy is refused before anything is checked", async () => {
      process.env.RECLAB_SINGLE_USER = "1";
      const proxied = await call(setup.POST, { method: "POST", token: null, headers: from("127.0.0.1", { "x-forwarded-for": "198.51.100.9" }), json: { email: unique("intruder"), password: PASSWORD } });
      expect(proxied).toMatchObject({ status: 403, body: { error: { message: "in single-user mode the first account can only be created directly on this machine, not through a proxy" } } });
      // Directly on the machine the usual rule answers (accounts exist here, so 409).
      expect((await call(setup.POST, { method: "POST", token: null, headers: from("127.0.0.1"), json: { email: unique("owner"), password: PASSWORD } })).status).toBe(409);
    });
  });

  describe("back-off, unlock and the owner's notice", () => {
    it("tells the owner about failed attempts once, on the next successful sign-in", async () => {
      const email = unique("owner");
      await createUser(db, { email, password: PASSWORD, role: "viewer" });
      expect((await signIn(email, PASSWORD)).body.notice).toBeNull();
      for (let i = 0; i < 3; i++) await signIn(email, `bad guess ${i}`, from(ATTACKER));
      const next = await signIn(email, PASSWORD, from(TRUSTED_PROXY, { "x-forwarded-for": VICTIM }));
      expect(next.status).toBe(200);
      expect(next.body.notice).toMatch(new RegExp(`^3 failed sign-in attempts since your last sign-in; last from ${ATTACKER.replaceAll(".", "\\.")} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`));
      expect((await signIn(email, PASSWORD)).body.notice).toBeNull();
    });

    it("an admin unlocks a backing-off account; analysts and viewers may not; unknown ids are 404", async () => {
      const email = unique("locked");
      const user = await createUser(db, { email, password: PASSWORD, role: "analyst" });
      for (let i = 0; i < ACCOUNT_THROTTLE.free; i++) await signIn(email, `bad guess ${i}`, from(ATTACKER));
      expect((await signIn(email, PASSWORD)).status).toBe(429);
      for (const role of ["analyst", "viewer"] as const) {
        const forbidden = await call(unlock.POST, { method: "POST", token: await tokenFor(db, role), params: { id: user.id } });
        expect(forbidden.status, role).toBe(403);
      }
      expect((await signIn(email, PASSWORD)).status).toBe(429);
      expect((await call(unlock.POST, { method: "POST", params: { id: "no-such-user" } }))).toMatchObject({ status: 404, body: { error: { message: "user no-such-user does not exist" } } });
      const unlocked = await call(unlock.POST, { method: "POST", params: { id: user.id } });
      expect(unlocked).toMatchObject({ status: 200, body: { user: { id: user.id, lockedUntil: null } } });
      expect(await db.auditEvent.count({ where: { action: "user.unlock", target: `user:${user.id}` } })).toBe(1);
      expect((await signIn(email, PASSWORD)).status).toBe(200);
    });
  });

  describe("invitations and sessions", () => {
    it("8 parallel accepts of one invitation: exactly one 201, the rest 409, no 500", async () => {
      const adminUser = await db.user.findFirstOrThrow({ where: { role: "admin" } });
      const email = unique("invitee");
      const { token } = await createInvite(db, { userId: adminUser.id, email: adminUser.email, role: "admin", teamId: "default", via: "session" }, { email, role: "viewer", teamId: "default" });
      const responses = await Promise.all(Array.from({ length: 8 }, () => call(acceptInvite.POST, { method: "POST", token: null, json: { token, password: PASSWORD } })));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect(responses.find((r) => r.status === 409)?.body.error.message).toBe("this invitation was already accepted; sign in instead");
      expect(await db.user.count({ where: { email } })).toBe(1);
      const again = await call(acceptInvite.POST, { method: "POST", token: null, json: { token, password: PASSWORD } });
      expect(again.status).toBe(409);
    });

    it("a failed accept (weak password) leaves the invitation usable", async () => {
      const adminUser = await db.user.findFirstOrThrow({ where: { role: "admin" } });
      const { token } = await createInvite(db, { userId: adminUser.id, email: adminUser.email, role: "admin", teamId: "default", via: "session" }, { email: unique("retry"), role: "viewer", teamId: "default" });
      expect((await call(acceptInvite.POST, { method: "POST", token: null, json: { token, password: "short" } })).status).toBe(400);
      expect((await call(acceptInvite.POST, { method: "POST", token: null, json: { token, password: PASSWORD } })).status).toBe(201);
    });

    async function signedInWithToken() {
      const user = await createUser(db, { email: unique("everywhere"), password: PASSWORD, role: "analyst" });
      const principal = { userId: user.id, email: user.email, role: user.role, teamId: user.teamId, via: "session" as const };
      const { token } = await createApiToken(db, principal, { name: "ci" });
      const [here, elsewhere] = [await createSession(db, user.id), await createSession(db, user.id)];
      const headers = { cookie: `${SESSION_COOKIE}=${here.token}; ${CSRF_COOKIE}=${here.csrfToken}`, "x-csrf-token": here.csrfToken };
      return { token, headers, elsewhere: { cookie: `${SESSION_COOKIE}=${elsewhere.token}` } };
    }

    it("log out everywhere ends every session and keeps API tokens unless asked", async () => {
      const { token, headers, elsewhere } = await signedInWithToken();
      const out = await call(logout.POST, { method: "POST", token: null, url: "http://localhost/api/auth/logout?everywhere=1", headers });
      expect(out.body).toEqual({ ended: 2, revokedTokens: 0 });
      expect((await call(me.GET, { token: null, headers: elsewhere })).status).toBe(401);
      expect((await call(me.GET, { token })).status).toBe(200);
    });

    it("log out everywhere with tokens=1 also revokes the account's API tokens", async () => {
      const { token, headers, elsewhere } = await signedInWithToken();
      const out = await call(logout.POST, { method: "POST", token: null, url: "http://localhost/api/auth/logout?everywhere=1&tokens=1", headers });
      expect(out.body).toEqual({ ended: 2, revokedTokens: 1 });
      expect((await call(me.GET, { token: null, headers: elsewhere })).status).toBe(401);
      expect(await call(me.GET, { token })).toMatchObject({ status: 401, body: { error: { message: "the API token is invalid, expired or revoked" } } });
      const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "logout" }, orderBy: { at: "desc" } });
      expect(audit.detail).toBe("everywhere (2 sessions, 1 API tokens revoked)");
    });

    it("the token list shows no part of any secret", async () => {
      const user = await createUser(db, { email: unique("lister"), password: PASSWORD, role: "analyst" });
      const session = await createSession(db, user.id);
      const headers = { cookie: `${SESSION_COOKIE}=${session.token}; ${CSRF_COOKIE}=${session.csrfToken}`, "x-csrf-token": session.csrfToken };
      const created = await call(tokens.POST, { method: "POST", token: null, headers, json: { name: "cli" } });
      const secret: string = created.body.token;
      const secretPart = secret.slice("rlk_".length);
      const list = await call(tokens.GET, { token: null, headers });
      expect(list.body.tokens).toHaveLength(1);
      expect(Object.keys(list.body.tokens[0]).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "revokedAt", "role"]);
      expect(JSON.stringify(list.body)).not.toContain(secretPart.slice(0, 4));
      expect(JSON.stringify(created.body.record)).not.toContain(secretPart.slice(0, 4));
    });
  });
});
