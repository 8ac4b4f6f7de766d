import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, classifyError, errorDetails, errorReference } from "@/lib/errors";

/** A Prisma-like error: a class name and a code, as the generated clients throw them. */
function prismaError(name: string, code?: string, meta?: Record<string, unknown>): Error {
  const error = new Error(`\nInvalid \`this.db.metricPoint.upsert()\` invocation in\n/work/app/lib/tracking/prisma-store.ts:47:29\n  value: NaN`);
  error.name = name;
  return Object.assign(error, code ? { code } : {}, meta ? { meta } : {});
}

const zodError = (() => {
  const parsed = z.object({ runId: z.string() }).safeParse({});
  return parsed.success ? null : parsed.error;
})()!;

const cases: { label: string; error: unknown; kind: "user" | "infrastructure" | "internal"; retryable: boolean; message: RegExp }[] = [
  { label: "AppError BAD_INPUT", error: new AppError("BAD_INPUT", "line 3: rating 'abc' is not a number"), kind: "user", retryable: false, message: /^line 3: rating 'abc' is not a number$/ },
  { label: "AppError NOT_FOUND", error: new AppError("NOT_FOUND", "run r1 does not exist"), kind: "user", retryable: false, message: /^run r1 does not exist$/ },
  { label: "AppError CONFLICT", error: new AppError("CONFLICT", "already finished"), kind: "user", retryable: false, message: /^already finished$/ },
  { label: "ZodError", error: zodError, kind: "user", retryable: false, message: /^runId: Required$/ },
  { label: "AppError UNAVAILABLE", error: new AppError("UNAVAILABLE", "the queue is unavailable"), kind: "infrastructure", retryable: true, message: /^the queue is unavailable$/ },
  { label: "Prisma cannot reach the database", error: prismaError("PrismaClientKnownRequestError", "P1001"), kind: "infrastructure", retryable: true, message: /^a service was unavailable \(ref [0-9a-f]{6}\)/ },
  { label: "Prisma initialisation", error: prismaError("PrismaClientInitializationError"), kind: "infrastructure", retryable: true, message: /^a service was unavailable \(ref [0-9a-f]{6}\)/ },
  { label: "pool timeout", error: prismaError("PrismaClientKnownRequestError", "P2024"), kind: "infrastructure", retryable: true, message: /unavailable/ },
  { label: "connection refused as a cause", error: new Error("query failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }) }), kind: "infrastructure", retryable: true, message: /unavailable/ },
  { label: "SQLite busy", error: Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }), kind: "infrastructure", retryable: true, message: /unavailable/ },
  { label: "PostgreSQL shutdown via the driver adapter", error: prismaError("PrismaClientKnownRequestError", "P2010", { driverAdapterError: { cause: { originalCode: "57P01" } } }), kind: "infrastructure", retryable: true, message: /unavailable/ },
  { label: "Prisma validation error (a bug)", error: prismaError("PrismaClientValidationError"), kind: "internal", retryable: true, message: /^internal error \(ref [0-9a-f]{6}\): the details were logged$/ },
  { label: "TypeError", error: new TypeError("Cannot read properties of undefined (reading 'indptr')"), kind: "internal", retryable: true, message: /^internal error \(ref [0-9a-f]{6}\)/ },
  { label: "a thrown string", error: "boom at /srv/x.ts:1", kind: "internal", retryable: true, message: /^internal error \(ref [0-9a-f]{6}\)/ },
];

describe("classifyError", () => {
  for (const c of cases) {
    it(`${c.label}: ${c.kind}, ${c.retryable ? "retried" : "not retried"}`, () => {
      const report = classifyError(c.error);
      expect(report.kind).toBe(c.kind);
      expect(report.retryable).toBe(c.retryable);
      expect(report.message).toMatch(c.message);
      if (report.ref) expect(report.message).toContain(`(ref ${report.ref})`);
      expect(report.message).not.toMatch(/prisma|NaN|\.ts:\d|\/work\/|\/srv\/|\n/i);
    });
  }

  it("names the root of a zod issue without a path", () => {
    const parsed = z.string().safeParse(3);
    expect(classifyError(parsed.error, "payload").message).toBe("payload: Expected string, received number");
  });

  it("keeps the details, causes included, for the log", () => {
    const error = new Error("outer", { cause: Object.assign(new Error("inner"), { code: "P1001" }) });
    const details = errorDetails(error);
    expect(details).toContain("Error: outer");
    expect(details).toContain("caused by: Error: inner");
    expect(details).toContain("[code P1001]");
  });

  it("makes short, varying reference ids", () => {
    const refs = new Set(Array.from({ length: 50 }, errorReference));
    expect(refs.size).toBeGreaterThan(45);
    for (const ref of refs) expect(ref).toMatch(/^[0-9a-f]{6}$/);
  });
});
