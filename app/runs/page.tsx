import Link from "next/link";
import { RunsTable } from "../_components/runs/runs-table";
import { listRuns } from "@/lib/server/list-runs";

export const dynamic = "force-dynamic";

export default async function RunsPage() {
  const runs = await listRuns();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <div className="sub">Every training run: live progress while it runs, test metrics when it is done.</div>
        </div>
        <Link className="button" href="/runs/new">New run</Link>
      </div>
      <div className="panel">
        <RunsTable initialRuns={runs} />
      </div>
    </>
  );
}
