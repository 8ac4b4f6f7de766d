import Link from "next/link";
import { RunsList } from "../_components/runs/runs-list";
import { filtersFromParams, filtersToParams } from "../_components/runs/runs-list-query";
import { can } from "@/lib/auth/policy";
import { teamScope } from "@/lib/auth/principal";
import { SPLIT_KIND_LABELS, SPLIT_KINDS } from "@/lib/datasets/splits";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { listModels } from "@/lib/models/registry";
import { listDatasetNames } from "@/lib/server/list-datasets";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { listRunsPage, parseRunsListQuery } from "@/lib/server/runs-list";

export const dynamic = "force-dynamic";

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requirePagePrincipal("run:read");
  const requested = filtersFromParams(await searchParams);
  let filters = requested;
  let problem: string | null = null;
  let query;
  try {
    query = parseRunsListQuery(filtersToParams(requested));
  } catch (error) {
    // A hand-edited URL with a bad value: say which, and list with the defaults.
    problem = error instanceof AppError ? error.message : String(error);
    filters = {};
    query = parseRunsListQuery(new URLSearchParams());
  }
  if (!filters.scope) filters = { ...filters, scope: can(principal.role, "run:create") ? "mine" : "team" };
  const [page, datasets, experiment] = await Promise.all([
    listRunsPage(principal, { ...query, scope: filters.scope }),
    listDatasetNames(principal),
    filters.experiment ? getDb().experiment.findFirst({ where: { id: filters.experiment, ...teamScope(principal) }, select: { name: true } }) : null,
  ]);
  const options = {
    datasets,
    models: listModels().map((m) => ({ id: m.id, name: m.displayName })),
    splits: SPLIT_KINDS.map((k) => ({ id: k, name: SPLIT_KIND_LABELS[k] })),
    experimentName: experiment?.name ?? null,
  };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <div className="sub">Your runs and experiments (one row each; expand for its trials): live progress while they run, metrics when done.</div>
        </div>
        {can(principal.role, "run:create") ? <Link className="button" href="/runs/new">New run</Link> : null}
      </div>
      <div className="panel">
        {problem ? <div className="alert warn" role="alert">Filter ignored: {problem}</div> : null}
        <RunsList initial={page} filters={filters} options={options} urlSync />
      </div>
    </>
  );
}
