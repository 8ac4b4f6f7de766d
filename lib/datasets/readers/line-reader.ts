import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { AppError, badInput, parseError } from "../../errors";

/** Default refusal threshold for a single physical line. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
/** Default refusal threshold for a whole file's text, after gzip decompression (zip-bomb guard). */
export const DEFAULT_MAX_TEXT_BYTES = 8 * 1024 ** 3;

export type TextEncoding = "utf-8" | "latin1";

export interface LineReaderOptions {
  encoding: TextEncoding;
  /** Lines longer than this (bytes, without the newline) are refused before being buffered. */
  maxLineBytes?: number;
  /** Files whose (decompressed) text is larger than this are refused while streaming. */
  maxBytes?: number;
  /** Files with more physical lines than this, blank ones included, are refused while streaming. */
  maxLines?: number;
}

/** Called once per non-blank physical line; `line` is 1-based and counts blank lines too. */
export type LineHandler = (text: string, line: number) => void;

const NEWLINE = 0x0a;
const SNIFF_BYTES = 8192;

/**
 * Streams a text file (gzip detected by its magic bytes 1f 8b) and calls `onLine` for every
 * non-blank line, synchronously, without an async hop per line. Refuses binary content, invalid
 * UTF-8 (for "utf-8"), over-long lines (before buffering them) and files with no text at all.
 */
export async function forEachLine(path: string, options: LineReaderOptions, onLine: LineHandler): Promise<void> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const maxLines = options.maxLines ?? Number.MAX_SAFE_INTEGER;
  let totalBytes = 0;
  const decoder = options.encoding === "utf-8" ? new TextDecoder("utf-8", { fatal: true }) : null;
  const stream = await openTextStream(path);

  let carry: Buffer[] = [];
  let carryBytes = 0;
  let lineNo = 1;
  let sniffed = false;
  let sawText = false;

  const emit = (bytes: Buffer) => {
    // Every line counts, blank ones too: a file of empty lines must not run unbounded.
    if (lineNo > maxLines) throw tooManyLines(maxLines);
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    let start = 0;
    if (lineNo === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    const text = end > start ? decodeLine(bytes, start, end, decoder, lineNo) : "";
    if (text.trim() !== "") {
      sawText = true;
      onLine(text, lineNo);
    }
    lineNo++;
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      totalBytes += chunk.length;
      if (totalBytes > maxBytes) throw tooBig(maxBytes);
      if (!sniffed) {
        sniffed = true;
        if (looksBinary(chunk.subarray(0, SNIFF_BYTES))) throw badInput("the file is not text (it looks binary)");
      }
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, pos);
        const segmentEnd = nl < 0 ? chunk.length : nl;
        if (carryBytes + segmentEnd - pos > maxLineBytes) throw tooLong(lineNo, maxLineBytes);
        if (nl < 0) {
          if (segmentEnd > pos) {
            carry.push(chunk.subarray(pos));
            carryBytes += segmentEnd - pos;
          }
          break;
        }
        if (carryBytes > 0) {
          carry.push(chunk.subarray(pos, nl));
          emit(Buffer.concat(carry, carryBytes + nl - pos));
          carry = [];
          carryBytes = 0;
        } else {
          emit(chunk.subarray(pos, nl));
        }
        pos = nl + 1;
      }
    }
  } catch (e) {
    throw asReadError(e);
  } finally {
    stream.destroy();
  }
  if (carryBytes > 0) emit(Buffer.concat(carry, carryBytes));
  if (!sawText) throw badInput("the file is empty");
}

async function openTextStream(path: string): Promise<Readable> {
  const magic = Buffer.alloc(2);
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    throw badInput("the file could not be opened");
  }
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = createReadStream(path, { highWaterMark: 64 * 1024 });
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return raw;
  return pipeline(raw, createGunzip(), () => {
    /* errors surface through iteration of the gunzip stream */
  });
}

function decodeLine(bytes: Buffer, start: number, end: number, decoder: TextDecoder | null, line: number): string {
  if (!decoder) return bytes.toString("latin1", start, end);
  // ASCII fast path: only lines with a high byte need strict UTF-8 validation.
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) {
      try {
        return decoder.decode(bytes.subarray(start, end));
      } catch {
        throw parseError(line, "text is not valid UTF-8");
      }
    }
  }
  return bytes.toString("latin1", start, end);
}

/** NUL bytes, or more than 10% control characters other than tab/CR/LF/FF, mean binary. */
function looksBinary(sample: Buffer): boolean {
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i];
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

function tooLong(line: number, max: number): AppError {
  return parseError(line, `line is longer than ${max} bytes`);
}

function asReadError(e: unknown): unknown {
  if (e instanceof AppError) return e;
  const code = (e as { code?: string }).code ?? "";
  if (code.startsWith("Z_") || code === "ERR_ZLIB") return badInput("the file is not valid gzip (it is damaged or truncated)");
  if (/^E[A-Z]+$/.test(code)) return badInput("the file could not be read");
  return e;
}

function tooManyLines(maxLines: number): AppError {
  return new AppError("TOO_LARGE", `the file has more than ${maxLines} lines (blank lines count too); it was refused`);
}

function tooBig(maxBytes: number): AppError {
  const mb = Math.round(maxBytes / 1024 / 1024);
  return new AppError("TOO_LARGE", `the file holds more than ${mb} MB of text (after decompression); it was refused`);
}
