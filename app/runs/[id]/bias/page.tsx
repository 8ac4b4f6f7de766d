import Link from "next/link";
import { notFound } from "next/navigation";
import { BeyondTable, ExposureSection, GroupSection, MissingFacts, Verdicts } from "../../../_components/bias/bias-report-view";
import { GroupBySelect } from "../../../_components/bias/group-by-select";
import { ExportMenu } from "../../../_components/reports/export-menu";
import { UserPicker } from "../../../_components/runs/user-picker";
import { can } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import { datasetIsPersonal } from "@/lib/server/get-user-drill-down";
import { getBiasReport } from "@/lib/server/get-bias-report";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { mayShareReports } from "@/lib/server/sharing-setting";

export const dynamic = "force-dynamic";

export default async function RunBiasPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ groupBy?: string }> }) {
  const [{ id }, { groupBy }] = await Promise.all([params, searchParams]);
  const principal = await requirePagePrincipal("report:read");
  let report;
  try {
    report = await getBiasReport(id, principal, groupBy ? { groupBy } : {});
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    if (error instanceof AppError && error.code === "BAD_INPUT") {
      return (
        <>
          <div className="page-head"><div><h1>Bias and diversity report</h1><div className="sub"><Link href={`/runs/${id}`}>back to the run</Link></div></div></div>
          <div className="alert error" data-testid="bias-error">{error.message}</div>
        </>
      );
    }
    throw error;
  }
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Bias and diversity report</h1>
          <div className="sub">
            <Link href={`/runs/${id}`}>{report.runName}</Link> · {report.modelName} · <Link href={`/runs/${id}/card`}>model card</Link> ·{" "}
            <Link href={`/datasets/${report.datasetId}/sheet`}>data sheet</Link>
          </div>
        </div>
        <div className="actions">
          <GroupBySelect options={report.groupOptions} value={report.groupBy} />
          <ExportMenu target={{ kind: "bias", runId: id }} mayShare={await mayShareReports(principal)} />
        </div>
      </div>
      {can(principal.role, "run:inspect-user") ? (
        <div className="panel">
          <h2>One user&apos;s recommendations and why</h2>
          <UserPicker runId={id} personal={await datasetIsPersonal(report.datasetId)} />
        </div>
      ) : null}
      <MissingFacts report={report} />
      <div className="panel"><h2>In words</h2><Verdicts report={report} /></div>
      <div className="panel"><h2>Accuracy by user group{report.groupBy ? ` (${report.groupBy})` : ""}</h2><GroupSection report={report} /></div>
      <div className="panel"><h2>Exposure of item groups</h2><ExposureSection report={report} /></div>
      <div className="panel"><h2>Beyond accuracy</h2><BeyondTable reports={[report]} /></div>
    </>
  );
}
