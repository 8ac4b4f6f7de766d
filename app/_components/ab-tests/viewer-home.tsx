import Link from "next/link";
import type { Principal } from "@/lib/auth/principal";
import { listAbTests } from "@/lib/server/ab-tests";
import { listRuns } from "@/lib/server/list-runs";
import { AbTestsTable } from "./ab-tests-table";

/**
 * The home page of viewers (product managers): the A/B tests to review, and the reports they can
 * open — each finished run's model card and bias report — instead of the analysts' run tables.
 */
export async function ViewerHome({ principal }: { principal: Principal }) {
  // The 20 newest finished runs that stand for a result (not an experiment's trials or folds), asked of the database.
  const [{ abTests, total }, finished] = await Promise.all([
    listAbTests(principal, { limit: 20, offset: 0 }),
    listRuns(principal, { status: "SUCCEEDED", excludeRoles: ["trial", "fold"], limit: 20 }),
  ]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>A/B tests and reports</h1>
          <div className="sub">Review what the recommenders did online, and the reports behind them.</div>
        </div>
      </div>
      <div className="panel">
        <h2>A/B tests</h2>
        <AbTestsTable initial={abTests} limit={20} />
        {total > abTests.length ? <p><Link href="/ab-tests">All {total} A/B tests</Link></p> : null}
      </div>
      <div className="panel" data-testid="viewer-reports">
        <h2>Reports</h2>
        {finished.length === 0 ? (
          <div className="empty">No finished runs yet.</div>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr><th>Model</th><th>Dataset</th><th>Reports</th></tr>
              </thead>
              <tbody>
                {finished.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>{r.datasetName}</td>
                    <td>
                      <Link href={`/runs/${r.id}/card`}>Model card</Link> · <Link href={`/runs/${r.id}/bias`}>Bias report</Link> ·{" "}
                      <Link href={`/datasets/${r.datasetId}/sheet`}>Data sheet</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
