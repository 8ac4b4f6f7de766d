import Link from "next/link";
import { notFound } from "next/navigation";
import { BeyondTable, ExposureSection, GroupSection, MissingFacts, Verdicts } from "../../_components/bias/bias-report-view";
import { GroupBySelect } from "../../_components/bias/group-by-select";
import { ExportMenu } from "../../_components/reports/export-menu";
import { AppError } from "@/lib/errors";
import { compareBiasQuerySchema, getBiasComparison } from "@/lib/server/get-bias-report";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { mayShareReports } from "@/lib/server/sharing-setting";

export const dynamic = "force-dynamic";

export default async function CompareBiasPage({ searchParams }: { searchParams: Promise<{ runs?: string; groupBy?: string }> }) {
  const principal = await requirePagePrincipal("report:read");
  const parsed = compareBiasQuerySchema.safeParse(await searchParams);
  let message = parsed.success ? null : parsed.error.issues[0]?.message ?? "choose 2 to 4 runs";
  let reports = null;
  if (parsed.success) {
    try {
      reports = (await getBiasComparison(parsed.data, principal)).reports;
    } catch (error) {
      if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
      if (!(error instanceof AppError && error.code === "BAD_INPUT")) throw error;
      message = error.message;
    }
  }
  const mayShare = await mayShareReports(principal);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Bias and diversity, side by side</h1>
          <div className="sub"><Link href="/compare">compare runs</Link></div>
        </div>
        {reports ? <GroupBySelect options={reports[0].groupOptions.filter((o) => reports.every((r) => r.groupOptions.includes(o)))} value={reports[0].groupBy} /> : null}
      </div>
      {message ? <div className="alert error" data-testid="bias-error">{message}</div> : null}
      {reports ? (
        <>
          <div className="panel"><h2>Beyond accuracy</h2><BeyondTable reports={reports} /></div>
          <div className="grid two">
            {reports.map((r) => (
              <div className="panel" key={r.runId} style={{ minWidth: 0 }}>
                <div className="page-head" style={{ marginBottom: 8 }}>
                  <h2><Link href={`/runs/${r.runId}/bias`}>{r.runName}</Link> · {r.modelName}</h2>
                  {/* One report per run: the bias report kind covers a single run. */}
                  <ExportMenu target={{ kind: "bias", runId: r.runId }} mayShare={mayShare} label="Export this report" />
                </div>
                <MissingFacts report={r} />
                <Verdicts report={r} />
                <h3 style={{ marginTop: 12 }}>Accuracy by user group</h3>
                <GroupSection report={r} />
                <h3 style={{ marginTop: 12 }}>Exposure</h3>
                <ExposureSection report={r} />
              </div>
            ))}
          </div>
        </>
      ) : null}
    </>
  );
}
