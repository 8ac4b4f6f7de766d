import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Dataset } from "../../lib/datasets/types";

/** The CSV layout writeInteractionsCsv produces, as the upload API's `options.csv` names it. */
export const INTERACTIONS_CSV_OPTIONS = {
  delimiter: ",",
  hasHeader: true,
  columns: { user: "user", item: "item", rating: "rating", timestamp: "timestamp" },
} as const;

/** Streams a dataset's interactions to `file` as user,item,rating,timestamp rows; returns the bytes written. */
export async function writeInteractionsCsv(dataset: Dataset, file: string): Promise<number> {
  const { users, items, ratings, timestamps } = dataset.table;
  let bytes = 0;
  async function* chunks() {
    const header = "user,item,rating,timestamp\n";
    bytes += header.length;
    yield header;
    for (let start = 0; start < users.length; start += 100_000) {
      const end = Math.min(users.length, start + 100_000);
      const lines: string[] = new Array(end - start);
      for (let i = start; i < end; i++) lines[i - start] = `${dataset.userIds[users[i]]},${dataset.itemIds[items[i]]},${ratings[i]},${timestamps[i]}`;
      const chunk = `${lines.join("\n")}\n`;
      bytes += Buffer.byteLength(chunk);
      yield chunk;
    }
  }
  await pipeline(chunks, fs.createWriteStream(file));
  return bytes;
}
