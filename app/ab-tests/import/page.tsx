import { ImportAbLogForm } from "../../_components/ab-tests/import-ab-log-form";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function ImportAbLogPage() {
  await requirePagePrincipal("abtest:create");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Import an A/B log</h1>
          <div className="sub">A real test&apos;s log gets the same analysis and review page as a simulated one.</div>
        </div>
      </div>
      <div className="panel">
        <ImportAbLogForm />
      </div>
    </>
  );
}
