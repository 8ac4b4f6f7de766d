import Link from "next/link";
import { RunsList } from "./_components/runs/runs-list";
import { EmptyState } from "./_components/ui/empty-state";
import { Stat } from "./_components/ui/stat";
import { getOverviewStats } from "@/lib/server/overview-stats";
import { listRunsPage, parseRunsListQuery } from "@/lib/server/runs-list";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { can } from "@/lib/auth/policy";
import { ViewerHome } from "./_components/ab-tests/viewer-home";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const principal = await requirePagePrincipal("run:read");
  // Product managers come to review: A/B tests and reports, not the analysts' run tables.
  if (principal.role === "viewer") return <ViewerHome principal={principal} />;
  // The recent runs are the team's, as the counts above them are (the runs list's default for analysts is their own).
  const [stats, recent] = await Promise.all([getOverviewStats(principal), listRunsPage(principal, parseRunsListQuery(new URLSearchParams({ limit: "10", scope: "team" })))]);
  const mayCreate = can(principal.role, "run:create");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <div className="sub" data-testid="overview-intro">
            {mayCreate
              ? "Import interaction data, train recommenders in background workers, compare what they learn."
              : "Read what the team's recommenders learned: run results, comparisons, bias reports and model cards."}
          </div>
        </div>
        {mayCreate ? (
          <div className="actions">
            <Link className="button secondary" href="/datasets">Import a dataset</Link>
            <Link className="button" href="/runs/new">New run</Link>
          </div>
        ) : null}
      </div>
      <div className="stats">
        <Stat label="Datasets" value={stats.datasets} />
        <Stat label="Runs" value={stats.runs} />
        <Stat label="Active runs" value={stats.active} />
        <Stat label="Succeeded" value={stats.succeeded} />
      </div>
      <div className="panel">
        <h2>Recent runs</h2>
        {recent.items.length === 0 ? <EmptyState kind="runs" mayCreate={mayCreate} /> : <RunsList initial={recent} filters={{ limit: 10, scope: "team" }} />}
      </div>
    </>
  );
}
