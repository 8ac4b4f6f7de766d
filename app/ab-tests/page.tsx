import Link from "next/link";
import { AbTestsTable } from "../_components/ab-tests/ab-tests-table";
import { can } from "@/lib/auth/policy";
import { listAbTests } from "@/lib/server/ab-tests";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function AbTestsPage() {
  const principal = await requirePagePrincipal("abtest:read");
  const { abTests } = await listAbTests(principal, { limit: 50, offset: 0 });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>A/B tests</h1>
          <div className="sub">Recommenders compared online: simulated on a dataset&apos;s users, or imported from a real test&apos;s log.</div>
        </div>
        {can(principal.role, "abtest:create") ? (
          <div className="actions">
            <Link className="button secondary" href="/ab-tests/import">Import log</Link>
            <Link className="button" href="/ab-tests/new">New simulated test</Link>
          </div>
        ) : null}
      </div>
      <div className="panel">
        <AbTestsTable initial={abTests} />
      </div>
    </>
  );
}
