import { describe, expect, it } from "vitest";
import { isTransientConnectionError, retryTransient } from "@/lib/db/transient-retry";

/** A driver error as @prisma/adapter-pg surfaces it: the PostgreSQL error under `cause`. */
function driverError(originalCode: string, originalMessage: string): Error {
  return Object.assign(new Error("driver error"), { cause: { kind: "postgres", originalCode, originalMessage } });
}

describe("isTransientConnectionError", () => {
  it.each([
    ["backend terminated (pg_terminate_backend, restart)", driverError("57P01", "terminating connection due to administrator command"), true],
    ["server starting up", driverError("57P03", "the database system is starting up"), true],
    ["connection failure class 08", driverError("08006", "connection failure"), true],
    ["too many connections", driverError("53300", "sorry, too many clients already"), true],
    ["database not accepting connections (55000)", driverError("55000", 'database "x" is not currently accepting connections'), true],
    ["another 55000: object not in prerequisite state", driverError("55000", "cannot ALTER TABLE because it is being used"), false],
    ["socket closed under the client", new Error("Connection terminated unexpectedly"), true],
    ["refused while the server is down", new Error("connect ECONNREFUSED 127.0.0.1:5432"), true],
    ["adapter kind ConnectionClosed", Object.assign(new Error("x"), { cause: { kind: "ConnectionClosed" } }), true],
    ["unique violation", driverError("23505", "duplicate key value violates unique constraint"), false],
    ["syntax error", driverError("42601", "syntax error at or near"), false],
    ["node-postgres error (SQLSTATE on the error itself): admin shutdown", Object.assign(new Error("terminating"), { code: "57P01" }), true],
    ["node-postgres error: foreign key violation", Object.assign(new Error("violates foreign key constraint"), { code: "23503" }), false],
    ["not an error object", "boom", false],
  ])("%s -> %s", (_label, error, transient) => {
    expect(isTransientConnectionError(error)).toBe(transient);
  });
});

describe("retryTransient", () => {
  it("retries a lost connection until the statement goes through", async () => {
    let calls = 0;
    const retried: number[] = [];
    const value = await retryTransient(
      async () => {
        if (++calls < 3) throw new Error("Connection terminated unexpectedly");
        return "ok";
      },
      { onRetry: (_e, attempt) => retried.push(attempt) },
    );
    expect(value).toBe("ok");
    expect(retried).toEqual([1, 2]);
  });

  it("fails at once on an error that is not about the connection", async () => {
    let calls = 0;
    const unique = driverError("23505", "duplicate key");
    await expect(retryTransient(async () => Promise.reject((calls++, unique)))).rejects.toBe(unique);
    expect(calls).toBe(1);
  });

  it("gives up once maxWaitMs has passed", async () => {
    let calls = 0;
    const down = new Error("connect ECONNREFUSED 127.0.0.1:5432");
    await expect(retryTransient(async () => Promise.reject((calls++, down)), { maxWaitMs: 150 })).rejects.toBe(down);
    expect(calls).toBeGreaterThan(1);
  });
});
