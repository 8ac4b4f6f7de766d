import "server-only";
import { z } from "zod";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { datasetSummarySelect, toDatasetSummary } from "./dataset-views";
import type { DatasetSummary } from "./dto";
import { newestFirst, olderThan } from "../db/keyset-pages";
import { cursorCodec, parseQueryParams } from "./paging";
import { sharedRead, sharedReadKey } from "./shared-reads";

// Not the statistics or preprocessing JSON: the list shows counts only.
const listSelect = { ...datasetSummarySelect, _count: { select: { runs: true } } } as const;

export const MAX_DATASETS_PAGE = 200;

export const datasetsPageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_DATASETS_PAGE).default(100).describe(`Datasets per page, newest first (at most ${MAX_DATASETS_PAGE})`),
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
});

/** Where the previous page ended: the last dataset's creation time and id. */
const cursors = cursorCodec(z.object({ t: z.string().datetime(), id: z.string().min(1) }));

/** Parses URL search params; a bad value is BAD_INPUT naming the parameter. */
export const parseDatasetsPageQuery = (params: URLSearchParams) => parseQueryParams(datasetsPageQuerySchema, params);

/**
 * One page of the dataset list (the API): keyset-paged on (createdAt, id), so a page costs the
 * same however many datasets a team has and a dataset created meanwhile never shifts the pages.
 */
export async function listDatasetsPage(principal: Principal, query: z.output<typeof datasetsPageQuerySchema>): Promise<{ datasets: DatasetSummary[]; nextCursor: string | null }> {
  const after = query.cursor ? cursors.decode(query.cursor) : null;
  const pastCursor = after ? olderThan("createdAt", { createdAt: new Date(after.t), id: after.id }) : {};
  const rows = await getDb().dataset.findMany({
    where: { ...teamScope(principal), ...pastCursor },
    orderBy: newestFirst("createdAt"),
    select: listSelect,
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? cursors.encode({ t: last.createdAt.toISOString(), id: last.id }) : null;
  return { datasets: page.map((row) => toDatasetSummary(row, row._count.runs)), nextCursor };
}

/**
 * The launch forms' dataset menu: the newest page (a team with more is told so by `more`), plus
 * `includeId` when it is older, so a form opened from an older dataset's page still has it.
 */
export async function listDatasetChoices(principal: Principal, includeId?: string): Promise<{ datasets: DatasetSummary[]; more: boolean }> {
  const { datasets, nextCursor } = await listDatasetsPage(principal, { limit: MAX_DATASETS_PAGE });
  if (includeId && !datasets.some((d) => d.id === includeId)) {
    const row = await getDb().dataset.findFirst({ where: { ...teamScope(principal), id: includeId }, select: listSelect });
    if (row) datasets.push(toDatasetSummary(row, row._count.runs));
  }
  return { datasets, more: nextCursor !== null };
}

/** Ids and names only, newest first: for filter menus, which need neither counts nor statistics. */
export function listDatasetNames(principal: Principal): Promise<{ id: string; name: string }[]> {
  const where = teamScope(principal);
  return sharedRead(sharedReadKey("dataset-names", where), () => getDb().dataset.findMany({ where, orderBy: { createdAt: "desc" }, select: { id: true, name: true } }));
}
