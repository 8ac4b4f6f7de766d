import { NewExperimentForm } from "../../_components/experiments/new-experiment-form";
import { listDatasets } from "@/lib/server/list-datasets";
import { listModelInfos } from "@/lib/server/list-models";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function NewExperimentPage({ searchParams }: { searchParams: Promise<{ datasetId?: string }> }) {
  const { datasetId } = await searchParams;
  const principal = await requirePagePrincipal("experiment:create");
  const datasets = await listDatasets(principal);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>New experiment</h1>
          <div className="sub">Each trial is its own job: start more workers and trials run in parallel.</div>
        </div>
      </div>
      <div className="panel">
        <NewExperimentForm datasets={datasets} models={listModelInfos()} initialDatasetId={datasetId} />
      </div>
    </>
  );
}
