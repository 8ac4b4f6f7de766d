import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, expect } from "vitest";
import { AppError } from "@/lib/errors";

export const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/datasets");

/** Path of a committed fixture file. */
export const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);

/** A temporary directory removed after the test file; `write` puts a file in it. */
export function tempFiles() {
  const dir = mkdtempSync(path.join(tmpdir(), "reclab-datasets-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name: string, content: string | Uint8Array): string {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    gzip(name: string, content: string | Uint8Array): string {
      return this.write(name, gzipSync(content));
    },
  };
}

/** Awaits a promise expected to fail with an AppError and returns that error. */
export async function appError(promise: Promise<unknown>, code = "BAD_INPUT"): Promise<AppError> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}
