import Link from "next/link";
import { notFound } from "next/navigation";
import { UserPicker } from "../../../../_components/runs/user-picker";
import { AppError } from "@/lib/errors";
import type { DrillItem } from "@/lib/fairness/drill-down";
import { EXPLAIN_BUDGET_SECONDS, EXPLAINED_USERS } from "@/lib/fairness/explanations";
import { listRerankers } from "@/lib/fairness/registry";
import { drillDownQuerySchema, getUserDrillDown } from "@/lib/server/get-user-drill-down";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

function ItemName({ item }: { item: DrillItem }) {
  return (
    <>
      {item.title ?? `item ${item.id}`}
      {item.genres.length > 0 ? <span className="muted"> · {item.genres.join(", ")}</span> : null}
    </>
  );
}

export default async function RunUserPage({ params, searchParams }: { params: Promise<{ id: string; user: string }>; searchParams: Promise<Record<string, string>> }) {
  const [{ id, user: rawUser }, search] = await Promise.all([params, searchParams]);
  const user = decodeURIComponent(rawUser);
  const principal = await requirePagePrincipal("run:inspect-user");
  const parsed = drillDownQuerySchema.safeParse(search);
  const query = parsed.success ? parsed.data : drillDownQuerySchema.parse({});
  let view;
  try {
    view = await getUserDrillDown(id, user, principal, query);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND" && error.message.startsWith("run ")) notFound();
    if (error instanceof AppError) {
      return (
        <>
          <div className="page-head"><div><h1>User {user}</h1><div className="sub"><Link href={`/runs/${id}`}>back to the run</Link></div></div></div>
          <UserPicker runId={id} value={user} />
          <div className="alert error" data-testid="drill-error">{error.message}</div>
        </>
      );
    }
    throw error;
  }
  const rerankers = listRerankers();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>User {view.user}</h1>
          <div className="sub">
            <Link href={`/runs/${id}`}>{view.runName}</Link> · <Link href={`/runs/${id}/bias`}>bias report</Link>
          </div>
        </div>
        <UserPicker runId={id} value={user} />
      </div>
      {view.explanations === "unavailable" ? (
        <div className="alert" data-testid="explanations-unavailable">Explanations are unavailable for this run (it was trained before they were stored, or explaining failed).</div>
      ) : view.explanations === "not-explained" ? (
        <div className="alert" data-testid="explanations-capped">This user was not explained: runs explain their first {EXPLAINED_USERS.toLocaleString("en")} evaluated test users only, within {EXPLAIN_BUDGET_SECONDS} s.</div>
      ) : null}
      <div className="grid two">
        <section className="panel">
          <h2>Top {view.recommendations.length} and why</h2>
          <p className="muted">Reasons are the run&apos;s own model, stored at training for the first {EXPLAINED_USERS.toLocaleString("en")} evaluated test users (top 10, 3 reasons each).</p>
          <ol className="sentences" data-testid="recommendations">
            {view.recommendations.map((r) => (
              <li key={r.index}>
                <strong><ItemName item={r} /></strong>
                {r.sentence ? <div data-testid="reason">{r.sentence}</div> : null}
              </li>
            ))}
          </ol>
        </section>
        <section className="panel">
          <h2>Training history ({view.historyCount.toLocaleString("en")} items{view.historyCount > view.history.length ? `, first ${view.history.length} shown` : ""})</h2>
          <ul className="sentences" data-testid="history">
            {view.history.map((h) => (
              <li key={h.index}><ItemName item={h} /></li>
            ))}
          </ul>
        </section>
      </div>
      <section className="panel">
        <h2>What a re-ranker changed</h2>
        <form method="get" className="actions" data-testid="rerank-form">
          <label htmlFor="drill-reranker">Re-ranker</label>
          <select id="drill-reranker" name="rerankerId" defaultValue={query.rerankerId ?? rerankers[0]?.id}>
            {rerankers.map((r) => (
              <option key={r.id} value={r.id}>{r.displayName}</option>
            ))}
          </select>
          <label htmlFor="drill-lambda">λ</label>
          <input id="drill-lambda" name="lambda" type="number" min={0} max={1} step={0.05} defaultValue={query.lambda} />
          <button type="submit">Re-rank</button>
        </form>
        {view.rerank ? (
          <div className="grid two" data-testid="rerank-diff">
            <div>
              <h3>Base list</h3>
              <ol className="sentences">
                {view.recommendations.map((r) => (
                  <li key={r.index} className={view.rerank!.left.some((l) => l.index === r.index) ? "tone-worse" : undefined}>
                    <ItemName item={r} />
                    {view.rerank!.left.some((l) => l.index === r.index) ? " (left)" : ""}
                  </li>
                ))}
              </ol>
            </div>
            <div>
              <h3>{rerankers.find((r) => r.id === view.rerank!.rerankerId)?.displayName} λ = {view.rerank.lambda}</h3>
              <ol className="sentences">
                {view.rerank.items.map((r) => (
                  <li key={r.index} className={r.entered ? "tone-better" : undefined}>
                    <ItemName item={r} />
                    {r.entered ? " (entered)" : ""}
                  </li>
                ))}
              </ol>
            </div>
          </div>
        ) : (
          <p className="muted">Pick a re-ranker and λ: this user&apos;s stored candidates are re-ranked on request.</p>
        )}
      </section>
    </>
  );
}
