import "server-only";
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { loadDataset } from "../storage/dataset-repository";
import { getDatasetOrThrow } from "./get-dataset-or-throw";

export const datasetRowsQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Raw interaction rows (per-user data): analysts and admins only, by policy. */
export async function getDatasetRows(id: string, principal: Principal, query: z.infer<typeof datasetRowsQuerySchema>) {
  const meta = await getDatasetOrThrow(id, principal);
  const dataset = await loadDataset(getDb(), id);
  const end = Math.min(dataset.table.users.length, query.offset + query.limit);
  const rows = [];
  for (let r = query.offset; r < end; r++) {
    rows.push({
      user: dataset.userIds[dataset.table.users[r]],
      item: dataset.itemIds[dataset.table.items[r]],
      rating: dataset.table.ratings[r],
      timestamp: dataset.table.timestamps[r],
    });
  }
  return { total: meta.numInteractions, offset: query.offset, rows };
}
