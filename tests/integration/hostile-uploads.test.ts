import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as datasets from "@/app/api/datasets/route";
import * as health from "@/app/api/health/route";
import { activeImportPids } from "@/lib/server/run-import-process";
import { removeStaleUploads } from "@/lib/server/remove-stale-uploads";
import { call, setDefaultToken, tokenFor, uploadForm, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";
import { waitFor } from "./support/worker-process";

const MiB = 1024 * 1024;
const CSV_OPTIONS = JSON.stringify({ csv: { delimiter: ",", hasHeader: true, columns: { user: "user", item: "item", rating: "rating", timestamp: "ts" } } });

/** A valid CSV of at least `bytes` bytes: user,item,rating,ts rows. */
function csvOfSize(bytes: number): { text: string; rows: number } {
  const lines = ["user,item,rating,ts"];
  let size = lines[0].length + 1;
  let rows = 0;
  while (size < bytes) {
    const line = `u${rows % 20_000},i${(rows * 7) % 5_000},${1 + (rows % 5)},${1_600_000_000 + rows}`;
    lines.push(line);
    size += line.length + 1;
    rows++;
  }
  return { text: `${lines.join("\n")}\n`, rows };
}

/** `members` concatenated gzip members of 64 MiB of newlines each: ~1 MB per GiB on the wire. */
function blankLinesBomb(members: number): Uint8Array<ArrayBuffer> {
  const member = gzipSync(Buffer.alloc(64 * MiB, 0x0a), { level: 9 });
  return Uint8Array.from(Buffer.concat(Array.from({ length: members }, () => member)));
}

/**
 * A multipart body streamed on demand: the form fields, then a file of `fileBytes` generated as
 * it is pulled. `pulled()` tells how much the server has read.
 */
function streamedUpload(fileName: string, fileBytes: number) {
  const boundary = "----reclab-test-boundary";
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="name"\r\n\r\nstreamed\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="format"\r\n\r\ncsv\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="options"\r\n\r\n${CSV_OPTIONS}\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="ratings"; filename="${fileName}"\r\ncontent-type: text/csv\r\n\r\nuser,item,rating,ts\n`,
  );
  const chunk = Buffer.from("u1,i1,5,1600000000\n".repeat(3449)); // ~64 KiB
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let sent = 0;
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pulled === 0 ? head : sent < fileBytes ? chunk : null;
      if (next) {
        if (next === chunk) sent += chunk.length;
        pulled += next.length;
        controller.enqueue(Uint8Array.from(next));
      } else {
        controller.enqueue(Uint8Array.from(tail));
        controller.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, pulled: () => pulled };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.each(PROVIDERS)("hostile uploads on %s", (provider) => {
  let database: TestDatabase;
  let uploadDir: string;
  const datasetCount = () => database.handle.db.dataset.count();
  const spooled = () => fs.readdirSync(uploadDir);

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    useDatabase(database.handle);
    setDefaultToken(await tokenFor(database.handle.db, "analyst"));
    uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-hostile-"));
    process.env.RECLAB_UPLOAD_DIR = uploadDir;
  });
  afterEach(() => {
    delete process.env.RECLAB_UPLOAD_LIMIT_MB;
    delete process.env.RECLAB_UPLOAD_MAX_ROWS;
  });
  afterAll(async () => {
    delete process.env.RECLAB_UPLOAD_DIR;
    fs.rmSync(uploadDir, { recursive: true, force: true });
    setDefaultToken(null);
    await database?.drop();
  });

  it("imports a 12 MiB CSV in one request (more than the 10 MB a Next.js middleware would let through)", async () => {
    const { text, rows } = csvOfSize(12 * MiB);
    const form = uploadForm({ name: "Twelve MiB", format: "csv", options: CSV_OPTIONS }, { ratings: { name: "big.csv", content: text } });
    const response = await call(datasets.POST, { method: "POST", body: form });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.report.rowsRead).toBe(rows);
    const row = await database.handle.db.dataset.findUniqueOrThrow({ where: { id: response.body.id } });
    expect(row.numInteractions).toBeGreaterThan(0);
    expect(spooled()).toEqual([]);
  });

  it("refuses a declared Content-Length above the limit before reading the body", async () => {
    process.env.RECLAB_UPLOAD_LIMIT_MB = "1";
    const before = await datasetCount();
    const upload = streamedUpload("declared.csv", 4 * MiB);
    const response = await call(datasets.POST, {
      method: "POST",
      body: upload.body,
      headers: { "content-type": upload.contentType, "content-length": String(4 * MiB + 500) },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.message).toBe("the upload is 4.0 MB, more than the 1 MB upload limit");
    expect(upload.pulled()).toBeLessThanOrEqual(64 * 1024 + 1024); // at most the stream's first pull
    expect(await datasetCount()).toBe(before);
    expect(spooled()).toEqual([]);
  });

  it("cuts a streamed body off as soon as its file passes the limit, leaving nothing on disk", async () => {
    process.env.RECLAB_UPLOAD_LIMIT_MB = "1";
    const before = await datasetCount();
    const upload = streamedUpload("endless.csv", 1024 * MiB);
    const response = await call(datasets.POST, { method: "POST", body: upload.body, headers: { "content-type": upload.contentType } });
    expect(response.status).toBe(413);
    expect(response.body.error.message).toBe("file 'endless.csv' is larger than the 1 MB upload limit");
    expect(upload.pulled()).toBeLessThan(4 * MiB); // not the whole GiB
    expect(await datasetCount()).toBe(before);
    expect(spooled()).toEqual([]);
  });

  it("counts the files of one upload together against the limit", async () => {
    process.env.RECLAB_UPLOAD_LIMIT_MB = "1";
    const half = "1\t10\t5\t881250949\n".repeat(Math.ceil((0.6 * MiB) / 20));
    const form = uploadForm({ name: "two halves", format: "movielens-100k" }, { ratings: { name: "u.data", content: half }, users: { name: "u.user", content: half } });
    const response = await call(datasets.POST, { method: "POST", body: form });
    expect(response.status).toBe(413);
    expect(response.body.error.message).toBe("the files together are larger than the 1 MB upload limit");
    expect(spooled()).toEqual([]);
  });

  it("refuses a gzip bomb of 5 GiB of empty lines at the row limit, counting blank lines", async () => {
    const before = await datasetCount();
    const form = uploadForm({ name: "bomb", format: "csv", options: CSV_OPTIONS }, { ratings: { name: "bomb.csv.gz", content: blankLinesBomb(80) } });
    const response = await call(datasets.POST, { method: "POST", body: form });
    expect(response.status).toBe(413);
    expect(response.body.error.message).toBe("the file has more than 50000001 lines (blank lines count too); it was refused");
    expect(await datasetCount()).toBe(before);
    expect(spooled()).toEqual([]);
  });

  it("keeps the existing error messages when the import runs in a child process", async () => {
    const form = uploadForm({ name: "bad", format: "movielens-100k" }, { ratings: { name: "u.data", content: "1\t10\t5\t881250949\n2\t20\tabc\t2\n" } });
    const response = await call(datasets.POST, { method: "POST", body: form });
    expect(response).toMatchObject({ status: 400, body: { error: { code: "BAD_INPUT", message: "line 2: rating 'abc' is not a number", details: { line: 2, field: "rating" } } } });
    const far = uploadForm({ name: "far", format: "movielens-100k" }, { ratings: { name: "u.data", content: "1\t10\t5\t881250949\n1\t11\t5\t8639999999999\n2\t20\t4\t99999999999999999999\n" } });
    const refused = await call(datasets.POST, { method: "POST", body: far });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe("line 2: timestamp 8639999999999 is outside the supported range (1900-01-01 to 2099-12-31 UTC, i.e. Unix seconds -2208988800 to 4102444799)");
  });

  it("says an uploaded file is empty instead of asking for the file; an empty file input counts as no file", async () => {
    const before = await datasetCount();
    const empty = await call(datasets.POST, { method: "POST", body: uploadForm({ name: "empty", format: "movielens-100k" }, { ratings: { name: "u.data", content: "" } }) });
    expect(empty).toMatchObject({ status: 400, body: { error: { code: "BAD_INPUT", message: "the file is empty: 'u.data' (interactions) has no content" } } });
    const emptyItems = uploadForm({ name: "empty items", format: "movielens-100k" }, { ratings: { name: "u.data", content: "1\t10\t5\t881250949\n" }, items: { name: "u.item", content: "" } });
    expect((await call(datasets.POST, { method: "POST", body: emptyItems })).body.error.message).toBe("the file is empty: 'u.item' (items) has no content");
    const nothingChosen = await call(datasets.POST, { method: "POST", body: uploadForm({ name: "none", format: "movielens-100k" }, { ratings: { name: "", content: "" } }) });
    expect(nothingChosen.body.error.message).toBe("attach the interactions file as field 'ratings'");
    expect(await datasetCount()).toBe(before);
  });

  it("cancels the import when the request is aborted: the child process stops and nothing is saved", async () => {
    const before = await datasetCount();
    const { text } = csvOfSize(60 * MiB);
    const form = uploadForm({ name: "abandoned", format: "csv", options: CSV_OPTIONS }, { ratings: { name: "big.csv.gz", content: Uint8Array.from(gzipSync(text, { level: 1 })) } });
    const controller = new AbortController();
    const pending = call(datasets.POST, { method: "POST", body: form, signal: controller.signal });
    const pid = await waitFor(async () => activeImportPids()[0], 30_000, "the import's child process");
    controller.abort();
    const response = await pending;
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe("the import was cancelled: the request was aborted");
    await waitFor(async () => (alive(pid) ? undefined : true), 5_000, `child ${pid} to exit`);
    expect(activeImportPids()).toEqual([]);
    expect(await datasetCount()).toBe(before);
    expect(await database.handle.db.datasetBlob.count({ where: { dataset: { name: "abandoned" } } })).toBe(0);
    expect(spooled()).toEqual([]);
  });

  it("answers /api/health while an import runs in its child process", async () => {
    const { text } = csvOfSize(8 * MiB);
    const pending = call(datasets.POST, { method: "POST", body: uploadForm({ name: "busy", format: "csv", options: CSV_OPTIONS }, { ratings: { name: "busy.csv", content: text } }) });
    await waitFor(async () => activeImportPids()[0], 30_000, "the import's child process");
    expect(await call(health.GET, { token: null })).toMatchObject({ status: 200, body: { ok: true } });
    expect((await pending).status).toBe(201);
  });
});

describe("start-up sweep of spooled uploads", () => {
  it("removes reclab-upload-* directories older than the process start, and nothing else", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-sweep-"));
    try {
      const old = new Date(Date.now() - 3_600_000);
      for (const name of ["reclab-upload-old1", "reclab-upload-old2", "other-upload-old", "reclab-upload-new"]) {
        fs.mkdirSync(path.join(dir, name));
        fs.writeFileSync(path.join(dir, name, "x.upload"), "data");
        if (name !== "reclab-upload-new") fs.utimesSync(path.join(dir, name), old, old);
      }
      fs.writeFileSync(path.join(dir, "reclab-upload-file"), "not a directory");
      fs.utimesSync(path.join(dir, "reclab-upload-file"), old, old);
      const removed = await removeStaleUploads(dir, Date.now() - 60_000);
      expect(removed.sort()).toEqual(["reclab-upload-old1", "reclab-upload-old2"]);
      expect(fs.readdirSync(dir).sort()).toEqual(["other-upload-old", "reclab-upload-file", "reclab-upload-new"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
