import Link from "next/link";
import { ExperimentsTable } from "../_components/experiments/experiments-table";
import { can } from "@/lib/auth/policy";
import { listExperiments } from "@/lib/server/list-experiments";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function ExperimentsPage() {
  const principal = await requirePagePrincipal("experiment:read");
  const experiments = await listExperiments(principal);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Experiments</h1>
          <div className="sub">Grid and random search, k-fold cross-validation and ablations, fanned out to the workers.</div>
        </div>
        {can(principal.role, "experiment:create") ? <Link className="button" href="/experiments/new">New experiment</Link> : null}
      </div>
      <div className="panel">
        <ExperimentsTable initialExperiments={experiments} mayCreate={can(principal.role, "experiment:create")} />
      </div>
    </>
  );
}
