import fs from "node:fs";
import type { Db } from "../db/client";
import { AppError } from "../errors";

/**
 * An imported A/B log travels from the web server that took the upload to the worker that
 * analyses it through the database, in parts: a worker on another machine shares only
 * DATABASE_URL (and REDIS_URL) with the web server, never its disk.
 */

/**
 * Bytes per stored part (as base64 text: see the AbTestLogPart model for why not Bytes). Small
 * enough that encoding and sending one part keeps the web server's event loop free for other
 * requests between parts.
 */
export const AB_LOG_PART_BYTES = 1024 * 1024;

/** Copies the spooled file into parts 0..n−1 of `abTestId`; returns the number of parts. */
export async function storeAbLogParts(db: Db, abTestId: string, filePath: string, partBytes = AB_LOG_PART_BYTES): Promise<number> {
  const file = await fs.promises.open(filePath, "r");
  try {
    const buffer = Buffer.alloc(partBytes);
    let part = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, partBytes, null);
      if (bytesRead === 0) return part;
      await db.abTestLogPart.create({ data: { abTestId, part, base64: buffer.toString("base64", 0, bytesRead) } });
      part++;
    }
  } finally {
    await file.close();
  }
}

/**
 * The stored log's lines in order (line ends "\n" or "\r\n" removed), reading one part per query.
 * `onBytes` receives the bytes read so far after each part. Invalid UTF-8 is refused.
 */
export async function* abLogLines(db: Db, abTestId: string, onBytes?: (bytesRead: number) => void): AsyncGenerator<string> {
  const parts = await db.abTestLogPart.findMany({ where: { abTestId }, orderBy: { part: "asc" }, select: { id: true, part: true } });
  parts.forEach((p, i) => {
    if (p.part !== i) throw new AppError("INTERNAL", `A/B log of ${abTestId} is missing part ${i}`);
  });
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let carry = "", bytesRead = 0;
  for (const { id } of parts) {
    const { base64 } = await db.abTestLogPart.findUniqueOrThrow({ where: { id }, select: { base64: true } });
    const data = Buffer.from(base64, "base64");
    const text = carry + decode(decoder, data, true);
    const lines = text.split("\n");
    carry = lines.pop()!;
    for (const line of lines) yield stripCarriageReturn(line);
    bytesRead += data.length;
    onBytes?.(bytesRead);
  }
  const rest = carry + decode(decoder, new Uint8Array(0), false);
  if (rest.length > 0) yield stripCarriageReturn(rest);
}

/** Removes the stored log (after its import has ended for good). */
export async function deleteAbLogParts(db: Db, abTestId: string): Promise<void> {
  await db.abTestLogPart.deleteMany({ where: { abTestId } });
}

function decode(decoder: TextDecoder, data: Uint8Array, more: boolean): string {
  try {
    return decoder.decode(data, { stream: more });
  } catch {
    throw new AppError("BAD_INPUT", "the log is not valid UTF-8 text: export it as UTF-8 CSV");
  }
}

const stripCarriageReturn = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);
