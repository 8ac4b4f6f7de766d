/** Rows an export reads per query: large enough to amortise the round trip, small enough to hold. */
export const EXPORT_PAGE_SIZE = 500;

/**
 * Reads a table newest first in keyset pages: `fetchPage(after, take)` returns up to `take` rows
 * that sort after `after` (null: from the start). Yields each non-empty page; stops at a short one.
 * A row written meanwhile never shifts a page, as an OFFSET would.
 */
export async function* keysetPages<Row>(fetchPage: (after: Row | null, take: number) => Promise<Row[]>, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<Row[]> {
  let after: Row | null = null;
  for (;;) {
    const page = await fetchPage(after, pageSize);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1];
  }
}

/** Prisma `orderBy` for newest first on `field`; the id breaks ties between rows of the same millisecond. */
export function newestFirst<K extends string>(field: K) {
  return [{ [field]: "desc" as const } as Record<K, "desc">, { id: "desc" as const }];
}

/** Prisma `where` for rows strictly after (older than) `after` in (time desc, id desc) order. */
export function olderThan<K extends string>(field: K, after: { id: string } & Record<K, Date>) {
  return { OR: [{ [field]: { lt: after[field] } }, { [field]: after[field], id: { lt: after.id } }] };
}
