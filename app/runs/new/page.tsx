import { NewRunForm } from "../../_components/runs/new-run-form";
import { listDatasets } from "@/lib/server/list-datasets";
import { listModelInfos } from "@/lib/server/list-models";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function NewRunPage({ searchParams }: { searchParams: Promise<{ datasetId?: string }> }) {
  const { datasetId } = await searchParams;
  const principal = await requirePagePrincipal("run:create");
  const [datasets, models] = await Promise.all([listDatasets(principal), Promise.resolve(listModelInfos())]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>New run</h1>
          <div className="sub">Pick a dataset and a model; a background worker trains it and evaluates it on the test split.</div>
        </div>
      </div>
      <div className="panel">
        <NewRunForm datasets={datasets} models={models} initialDatasetId={datasetId} />
      </div>
    </>
  );
}
