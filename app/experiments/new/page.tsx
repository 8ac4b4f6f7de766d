import { NewestDatasetsNote } from "../../_components/datasets/newest-datasets-note";
import { NewExperimentForm } from "../../_components/experiments/new-experiment-form";
import { listDatasetChoices } from "@/lib/server/list-datasets";
import { listModelInfos } from "@/lib/server/list-models";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function NewExperimentPage({ searchParams }: { searchParams: Promise<{ datasetId?: string }> }) {
  const { datasetId } = await searchParams;
  const principal = await requirePagePrincipal("experiment:create");
  const { datasets, more } = await listDatasetChoices(principal, datasetId);
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
        <NewestDatasetsNote more={more} />
      </div>
    </>
  );
}
