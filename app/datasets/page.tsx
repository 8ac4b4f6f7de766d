import Link from "next/link";
import { SyntheticButton } from "../_components/datasets/synthetic-button";
import { UploadForm } from "../_components/datasets/upload-form";
import { EmptyState } from "../_components/ui/empty-state";
import { can } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import { listDatasetsPage, parseDatasetsPageQuery } from "@/lib/server/list-datasets";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

/** A page of the list at a time (?cursor= from "Older datasets"), as the API pages it. */
async function datasetsPage(principal: Awaited<ReturnType<typeof requirePagePrincipal>>, cursor: string | undefined) {
  try {
    return { ...(await listDatasetsPage(principal, parseDatasetsPageQuery(new URLSearchParams(cursor ? { cursor } : {})))), stale: false };
  } catch (error) {
    if (!(error instanceof AppError) || !cursor) throw error;
    return { ...(await listDatasetsPage(principal, parseDatasetsPageQuery(new URLSearchParams()))), stale: true };
  }
}

export default async function DatasetsPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const { cursor } = await searchParams;
  const principal = await requirePagePrincipal("dataset:read");
  const { datasets, nextCursor, stale } = await datasetsPage(principal, cursor);
  const mayCreate = can(principal.role, "dataset:create");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Datasets</h1>
          <div className="sub">Interaction data to train and evaluate on. Imports are all-or-nothing: a bad file leaves this list unchanged.</div>
        </div>
        {mayCreate ? <SyntheticButton /> : null}
      </div>
      <div className="panel">
        {stale ? <div className="alert error" role="alert">That page link is not one this list gave out; here are the newest datasets.</div> : null}
        {datasets.length === 0 ? (
          <EmptyState kind="datasets" mayCreate={mayCreate} />
        ) : (
          <table className="data" data-testid="datasets-table">
            <thead>
              <tr>
                <th>Name</th><th>Source</th><th>Feedback</th>
                <th className="num">Users</th><th className="num">Items</th><th className="num">Interactions</th><th className="num">Sparsity</th><th className="num">Runs</th><th>Imported</th>
              </tr>
            </thead>
            <tbody>
              {datasets.map((d) => (
                <tr key={d.id}>
                  <td><Link href={`/datasets/${d.id}`}>{d.name}</Link></td>
                  <td>{d.source}</td>
                  <td>{d.feedback}</td>
                  <td className="num">{d.numUsers.toLocaleString("en-US")}</td>
                  <td className="num">{d.numItems.toLocaleString("en-US")}</td>
                  <td className="num">{d.numInteractions.toLocaleString("en-US")}</td>
                  <td className="num">{(d.sparsity * 100).toFixed(2)}%</td>
                  <td className="num">{d.runCount}</td>
                  <td className="muted">{new Date(d.createdAt).toLocaleString("en-GB")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cursor || nextCursor ? (
          <div className="actions" style={{ marginTop: 10 }} data-testid="datasets-pager">
            {cursor ? <Link className="button secondary" href="/datasets">Newest datasets</Link> : null}
            {nextCursor ? <Link className="button secondary" href={`/datasets?cursor=${nextCursor}`}>Older datasets →</Link> : null}
          </div>
        ) : null}
      </div>
      {mayCreate ? (
        <div className="panel">
          <h2>Import a dataset</h2>
          <UploadForm />
        </div>
      ) : null}
    </>
  );
}
