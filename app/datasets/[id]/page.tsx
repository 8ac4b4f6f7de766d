import Link from "next/link";
import { notFound } from "next/navigation";
import { DatasetCharts } from "../../_components/datasets/dataset-charts";
import { DeleteDatasetButton } from "../../_components/datasets/delete-dataset-button";
import { RunsList } from "../../_components/runs/runs-list";
import { EmptyState } from "../../_components/ui/empty-state";
import { Stat } from "../../_components/ui/stat";
import { AppError } from "@/lib/errors";
import { getDatasetOrThrow } from "@/lib/server/get-dataset-or-throw";
import { listRunsPage, parseRunsListQuery } from "@/lib/server/runs-list";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { can } from "@/lib/auth/policy";

export const dynamic = "force-dynamic";

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("dataset:read");
  const dataset = await getDatasetOrThrow(id, principal).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const runs = await listRunsPage(principal, parseRunsListQuery(new URLSearchParams({ dataset: id, scope: "team" })));
  const { stats } = dataset;
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="dataset-name">{dataset.name}</h1>
          <div className="sub">
            {dataset.source} · {dataset.feedback} feedback · imported {new Date(dataset.createdAt).toLocaleString("en-GB")}
            {dataset.personalData ? <> · <span className="tag" title="User ids were pseudonymised at import with a per-dataset salt">personal data</span></> : null}
            {" · "}<Link href={`/datasets/${dataset.id}/sheet`} data-testid="data-sheet-link">data sheet</Link>
          </div>
        </div>
        <div className="actions">
          {can(principal.role, "dataset:delete") ? <DeleteDatasetButton id={dataset.id} name={dataset.name} /> : null}
          {can(principal.role, "run:create") ? <Link className="button" href={`/runs/new?datasetId=${dataset.id}`}>Train a model</Link> : null}
        </div>
      </div>
      <div className="stats" data-testid="dataset-stats">
        <Stat label="Users" value={stats.numUsers} />
        <Stat label="Items" value={stats.numItems} />
        <Stat label="Interactions" value={stats.numInteractions} />
        <Stat label="Sparsity" value={`${(stats.sparsity * 100).toFixed(2)}%`} />
        <Stat label="Per user (median)" value={stats.userActivity.median} />
        <Stat label="Per item (median)" value={stats.itemActivity.median} />
        {stats.rating ? <Stat label="Mean rating" value={stats.rating.mean.toFixed(2)} /> : null}
      </div>
      {dataset.cleaning.length > 0 ? (
        <section className="panel" data-testid="dataset-cleaning">
          <h2>Cleaning at import</h2>
          <ul className="sentences">{dataset.cleaning.map((line) => <li key={line}>{line}</li>)}</ul>
        </section>
      ) : null}
      <DatasetCharts stats={stats} />
      {stats.userAttributes && stats.userAttributes.length > 0 ? (
        <section className="panel">
          <h2>User attributes</h2>
          <table className="data">
            <thead><tr><th>Attribute</th><th className="num">Distinct</th><th className="num">Missing</th><th>Most common</th></tr></thead>
            <tbody>
              {stats.userAttributes.map((a) => (
                <tr key={a.name}>
                  <td>{a.name}</td>
                  <td className="num">{a.distinct}</td>
                  <td className="num">{a.missing}</td>
                  <td>{a.top.slice(0, 6).map((t) => <span key={t.value} className="tag">{t.value}: {t.count}</span>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section className="panel">
        <h2>Runs on this dataset</h2>
        {runs.items.length === 0 ? <EmptyState kind="runs" mayCreate={can(principal.role, "run:create")} /> : <RunsList initial={runs} filters={{ dataset: dataset.id, scope: "team" }} />}
      </section>
    </>
  );
}
