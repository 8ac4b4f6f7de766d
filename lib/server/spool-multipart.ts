import "server-only";
import Busboy from "busboy";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { AppError } from "../errors";
import { UPLOAD_DIR_PREFIX } from "./remove-stale-uploads";

export interface SpooledUpload {
  fields: Record<string, string>;
  /** Form field name -> spooled file on disk (the client's file name is never used as a path). */
  files: Record<string, { path: string; originalName: string; bytes: number }>;
  /** Removes every spooled file. */
  cleanup(): Promise<void>;
}

export interface SpoolOptions {
  /** Largest accepted upload, all files together, in MB (as configured: RECLAB_UPLOAD_LIMIT_MB). */
  maxFileMb: number;
  allowedFiles: readonly string[];
  dir?: string;
}

/** What a request may carry on top of its files: form fields and multipart framing. */
const FORM_ALLOWANCE_BYTES = 2 * 1024 * 1024;
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * Streams a multipart/form-data request to temporary files without buffering it in memory.
 * The size limit holds while streaming: a Content-Length above it is refused before anything is
 * read, and a body is cut off (the rest is never read) as soon as its files pass it. On any
 * error the spooled files are gone. Throws AppError TOO_LARGE / BAD_INPUT.
 */
export async function spoolMultipart(request: Request, options: SpoolOptions): Promise<SpooledUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    throw new AppError("BAD_INPUT", "send the upload as multipart/form-data");
  }
  const limitBytes = Math.floor(options.maxFileMb * 1024 * 1024);
  const maxBodyBytes = limitBytes + FORM_ALLOWANCE_BYTES;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBodyBytes) {
    throw new AppError("TOO_LARGE", `the upload is ${(declared / 1024 / 1024).toFixed(1)} MB, more than the ${options.maxFileMb} MB upload limit`);
  }
  if (!request.body) throw new AppError("BAD_INPUT", "the upload is empty");
  const dir = await fs.promises.mkdtemp(path.join(options.dir ?? os.tmpdir(), UPLOAD_DIR_PREFIX));
  const upload: SpooledUpload = {
    fields: {},
    files: {},
    cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }),
  };
  const busboy = Busboy({
    headers: { "content-type": contentType },
    limits: { fileSize: limitBytes, files: options.allowedFiles.length, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES },
  });
  const writes: Promise<void>[] = [];
  const streams: (Readable | fs.WriteStream)[] = [];
  const stop = new AbortController();
  let failure: AppError | undefined;
  const fail = (error: AppError) => {
    failure ??= error;
    stop.abort();
  };
  let fileBytes = 0;
  busboy.on("field", (name, value) => {
    upload.fields[name] = value;
  });
  busboy.on("file", (name, stream, info) => {
    if (!options.allowedFiles.includes(name) || upload.files[name]) {
      fail(new AppError("BAD_INPUT", `unexpected file field '${name}'; expected ${options.allowedFiles.join(", ")}`));
      // Cutting the body off below ends this part early; its error must not become uncaught.
      stream.on("error", () => undefined).resume();
      return;
    }
    const target = path.join(dir, `${randomUUID()}.upload`);
    const entry = { path: target, originalName: path.basename(info.filename ?? name), bytes: 0 };
    upload.files[name] = entry;
    stream.on("data", (chunk: Buffer) => {
      entry.bytes += chunk.length;
      fileBytes += chunk.length;
      if (fileBytes > limitBytes) fail(new AppError("TOO_LARGE", `the files together are larger than the ${options.maxFileMb} MB upload limit`));
    });
    // busboy stops a single file at the limit (fileSize) and says so.
    stream.on("limit", () => fail(new AppError("TOO_LARGE", `file '${entry.originalName}' is larger than the ${options.maxFileMb} MB upload limit`)));
    const sink = fs.createWriteStream(target);
    streams.push(stream, sink);
    writes.push(pipeline(stream, sink));
  });

  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  let received = 0;
  try {
    while (!failure) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBodyBytes) fail(new AppError("TOO_LARGE", `the upload is larger than the ${options.maxFileMb} MB upload limit`));
      else if (!busboy.write(value)) await once(busboy, "drain", { signal: stop.signal });
    }
    if (!failure) {
      busboy.end();
      await finished(busboy);
      await Promise.all(writes);
    }
  } catch (error) {
    if (!failure) fail(new AppError("BAD_INPUT", `the upload could not be read: ${(error as Error).message}`));
  }
  if (failure) {
    // Stop reading the rest of the body, close every spooled file, then remove them.
    reader.cancel().catch(() => undefined);
    // Destroying emits "Unexpected end of form" on busboy and its open file: expected, ignored.
    busboy.on("error", () => undefined);
    busboy.destroy();
    for (const stream of streams) stream.on("error", () => undefined).destroy();
    for (const write of writes) write.catch(() => undefined);
    // Wait for every file to be closed (not for the pipelines: one cut mid-part may never settle).
    await Promise.allSettled(streams.map((stream) => finished(stream)));
    await upload.cleanup();
    throw failure;
  }
  return upload;
}
