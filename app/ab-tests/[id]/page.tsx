import { notFound } from "next/navigation";
import { AbTestView } from "../../_components/ab-tests/ab-test-view";
import { ExportMenu } from "../../_components/reports/export-menu";
import { can } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import { getAbTestOrThrow } from "@/lib/server/ab-tests";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { mayShareReports } from "@/lib/server/sharing-setting";

export const dynamic = "force-dynamic";

export default async function AbTestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("abtest:read");
  const test = await getAbTestOrThrow(id, principal).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const exportMenu = <ExportMenu target={{ kind: "ab-test", abTestId: id }} mayShare={await mayShareReports(principal)} />;
  return <AbTestView initial={test} mayDelete={can(principal.role, "abtest:delete")} exportMenu={exportMenu} />;
}
