import { notFound } from "next/navigation";
import { ExperimentView } from "../../_components/experiments/experiment-view";
import { ExportMenu } from "../../_components/reports/export-menu";
import { can } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import { getExperimentOrThrow } from "@/lib/server/get-experiment-or-throw";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { mayShareReports } from "@/lib/server/sharing-setting";

export const dynamic = "force-dynamic";

export default async function ExperimentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("experiment:read");
  const experiment = await getExperimentOrThrow(id, principal).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const exportMenu = <ExportMenu target={{ kind: "experiment", experimentId: id }} mayShare={await mayShareReports(principal)} />;
  return <ExperimentView initialExperiment={experiment} actions={exportMenu} mayCancel={can(principal.role, "experiment:cancel")} />;
}
