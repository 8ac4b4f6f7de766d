/**
 * The runs list's filters as URL search params (shareable): what the page reads, the filter bar
 * writes and GET /api/runs receives. Defaults are left out of the URL.
 */
export interface RunsListFilters {
  scope?: "mine" | "team";
  experiment?: string;
  dataset?: string;
  model?: string;
  split?: string;
  status?: string;
  sort?: string;
  order?: "asc" | "desc";
  limit?: number;
}

export const FILTER_KEYS = ["scope", "experiment", "dataset", "model", "split", "status", "sort", "order", "limit"] as const;

export function filtersToParams(filters: RunsListFilters, cursor?: string | null): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  if (cursor) params.set("cursor", cursor);
  return params;
}

export function filtersFromParams(params: Record<string, string | string[] | undefined>): RunsListFilters {
  const filters: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params[key];
    const single = Array.isArray(value) ? value[0] : value;
    if (single) filters[key] = single;
  }
  return filters as RunsListFilters;
}
