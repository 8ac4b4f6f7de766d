import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { ReportView } from "../../_components/reports/report-view";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { buildReport } from "@/lib/server/build-report";
import { openShareLink, sharePrincipal } from "@/lib/server/share-links";

// Public: no session is read or needed. The layout renders this page without the app's shell.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Shared report · RecLab", robots: { index: false, follow: false } };

/**
 * A report shared by link: exactly the one report the link names, read as a viewer of the link's
 * team. Unknown, expired and revoked links, and every link while sharing is off, are the same 404.
 */
export default async function SharedReportPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await openShareLink(getDb(), token);
  if (!link) notFound();
  const doc = await buildReport(link.target, sharePrincipal(link)).catch((error: unknown) => {
    // The report's run or dataset was deleted since the link was made.
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  // The report's <style> needs this request's CSP nonce (set by the web server's front), or the policy blocks it.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <>
      <p className="shared-banner" data-testid="shared-banner">Read-only report shared from RecLab.</p>
      <ReportView doc={doc} nonce={nonce} />
    </>
  );
}
