/**
 * The columns the runs list filters and shows, copied out of a run's config when the run is
 * created (and by migration 0005 for older rows), so listing never parses configs.
 */
export function runListColumns(config: Record<string, unknown>): { splitKind: string | null; baseRunId: string | null } {
  const split = config.split as { kind?: unknown } | undefined;
  const rerank = config.rerank as { baseRunId?: unknown } | undefined;
  return {
    splitKind: typeof split?.kind === "string" ? split.kind : null,
    baseRunId: typeof rerank?.baseRunId === "string" ? rerank.baseRunId : null,
  };
}
