import Link from "next/link";
import { RunsTable } from "../_components/runs/runs-table";
import { can } from "@/lib/auth/policy";
import { listRuns } from "@/lib/server/list-runs";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function RunsPage() {
  const principal = await requirePagePrincipal("run:read");
  const runs = await listRuns(principal);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <div className="sub">Every training run: live progress while it runs, test metrics when it is done.</div>
        </div>
        {can(principal.role, "run:create") ? <Link className="button" href="/runs/new">New run</Link> : null}
      </div>
      <div className="panel">
        <RunsTable initialRuns={runs} />
      </div>
    </>
  );
}
