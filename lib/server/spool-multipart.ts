import "server-only";
import Busboy from "busboy";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError } from "../errors";

export interface SpooledUpload {
  fields: Record<string, string>;
  /** Form field name -> spooled file on disk (the client's file name is never used as a path). */
  files: Record<string, { path: string; originalName: string; bytes: number }>;
  /** Removes every spooled file. */
  cleanup(): Promise<void>;
}

export interface SpoolOptions {
  /** Largest accepted file, in MB (as configured: RECLAB_UPLOAD_LIMIT_MB). */
  maxFileMb: number;
  allowedFiles: readonly string[];
  dir?: string;
}

/**
 * Streams a multipart/form-data request to temporary files without buffering it in memory,
 * enforcing the size limit while streaming. Throws AppError TOO_LARGE / BAD_INPUT.
 */
export async function spoolMultipart(request: Request, options: SpoolOptions): Promise<SpooledUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    throw new AppError("BAD_INPUT", "send the upload as multipart/form-data");
  }
  if (!request.body) throw new AppError("BAD_INPUT", "the upload is empty");
  const dir = await fs.promises.mkdtemp(path.join(options.dir ?? os.tmpdir(), "reclab-upload-"));
  const upload: SpooledUpload = {
    fields: {},
    files: {},
    cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }),
  };
  const busboy = Busboy({
    headers: { "content-type": contentType },
    limits: { fileSize: Math.floor(options.maxFileMb * 1024 * 1024), files: options.allowedFiles.length, fields: 20, fieldSize: 64 * 1024 },
  });
  const writes: Promise<void>[] = [];
  let failure: AppError | undefined;
  busboy.on("field", (name, value) => {
    upload.fields[name] = value;
  });
  busboy.on("file", (name, stream, info) => {
    if (!options.allowedFiles.includes(name) || upload.files[name]) {
      failure ??= new AppError("BAD_INPUT", `unexpected file field '${name}'; expected ${options.allowedFiles.join(", ")}`);
      stream.resume();
      return;
    }
    const target = path.join(dir, `${randomUUID()}.upload`);
    const entry = { path: target, originalName: path.basename(info.filename ?? name), bytes: 0 };
    upload.files[name] = entry;
    stream.on("data", (chunk: Buffer) => {
      entry.bytes += chunk.length;
    });
    stream.on("limit", () => {
      failure ??= new AppError("TOO_LARGE", `file '${entry.originalName}' is larger than the ${options.maxFileMb} MB upload limit`);
    });
    writes.push(pipeline(stream, fs.createWriteStream(target)));
  });
  try {
    await pipeline(Readable.fromWeb(request.body as import("node:stream/web").ReadableStream), busboy);
    await Promise.all(writes);
  } catch (error) {
    await upload.cleanup();
    if (failure) throw failure;
    throw new AppError("BAD_INPUT", `the upload could not be read: ${(error as Error).message}`);
  }
  if (failure) {
    await upload.cleanup();
    throw failure;
  }
  return upload;
}
