import Link from "next/link";
import { ComparePicker } from "../_components/experiments/compare-picker";
import { CompareView } from "../_components/experiments/compare-view";
import { ExportMenu } from "../_components/reports/export-menu";
import { Term } from "../_components/ui/term";
import { AppError } from "@/lib/errors";
import { compareQuerySchema, compareRuns } from "@/lib/server/compare-runs";
import { getRunOrThrow } from "@/lib/server/get-run-or-throw";
import { listRuns } from "@/lib/server/list-runs";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { mayShareReports } from "@/lib/server/sharing-setting";

export const dynamic = "force-dynamic";

const METRICS = ["ndcg@10", "recall@10", "hit@10", "map@10", "mrr@10", "precision@10"];

export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const principal = await requirePagePrincipal("run:read");
  const params = await searchParams;
  const parsed = compareQuerySchema.safeParse({ runs: params.runs ?? "", metric: params.metric, split: params.split });
  let content;
  let exportMenu = null;
  const single = params.runs && !params.runs.includes(",") ? params.runs.trim() : null;
  const pickFor = single ? await getRunOrThrow(single, principal).catch(() => undefined) : undefined;
  if (pickFor) {
    const others = (await listRuns(principal, { datasetId: pickFor.datasetId, status: "SUCCEEDED" })).filter((r) => r.id !== pickFor.id && r.metrics);
    content = <ComparePicker base={pickFor} candidates={others} />;
  } else if (!params.runs?.trim()) {
    content = <div className="panel muted" data-testid="compare-empty">Nothing to compare yet: tick two or more finished runs on the <Link href="/runs">runs page</Link> (or trials on an experiment&apos;s page) and press Compare.</div>;
  } else if (!parsed.success) {
    content = <div className="alert error" role="alert">{parsed.error.issues[0].message}. Pick runs on the <Link href="/runs">runs page</Link> and press Compare.</div>;
  } else {
    try {
      content = <CompareView view={await compareRuns(parsed.data, principal)} />;
      exportMenu = <ExportMenu target={{ kind: "comparison", runIds: parsed.data.runs }} mayShare={await mayShareReports(principal)} />;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      content = <div className="alert error" role="alert">{error.message}</div>;
    }
  }
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Compare runs</h1>
          <div className="sub">
            Across experiments: the metric table, intervals, curves and paired significance tests.
            {parsed.success && parsed.data.runs.length <= 4 ? <> <Link href={`/compare/bias?runs=${parsed.data.runs.join(",")}`}>Bias and diversity side by side</Link></> : null}
          </div>
        </div>
        <div className="actions">
          <form method="get" className="actions">
            <input type="hidden" name="runs" value={params.runs ?? ""} />
            <label htmlFor="compare-metric">Metric</label>
            <select id="compare-metric" name="metric" defaultValue={parsed.success ? parsed.data.metric : "ndcg@10"} style={{ width: 140 }}>
              {METRICS.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
            <select aria-label="Split" name="split" defaultValue={params.split ?? "auto"} style={{ width: 140 }}>
              <option value="auto">auto split</option>
              <option value="test">test</option>
              <option value="validation">validation</option>
            </select>
            <button type="submit" className="secondary">Show</button>
            <Term id="auto-split">What is auto split?</Term>
          </form>
          {exportMenu}
        </div>
      </div>
      {content}
    </>
  );
}
