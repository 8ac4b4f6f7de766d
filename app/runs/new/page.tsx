import { NewestDatasetsNote } from "../../_components/datasets/newest-datasets-note";
import { NewRunForm } from "../../_components/runs/new-run-form";
import { runPrefill } from "@/lib/experiments/run-prefill";
import { getRunOrThrow } from "@/lib/server/get-run-or-throw";
import { listDatasetChoices } from "@/lib/server/list-datasets";
import { listModelInfos } from "@/lib/server/list-models";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function NewRunPage({ searchParams }: { searchParams: Promise<{ datasetId?: string; from?: string }> }) {
  const { datasetId, from } = await searchParams;
  const principal = await requirePagePrincipal("run:create");
  // "Re-run" on a run page: the form starts from that run's dataset, model, parameters and split.
  const source = from ? await getRunOrThrow(from, principal).catch(() => null) : null;
  const prefill = source ? runPrefill(source) : null;
  const { datasets, more } = await listDatasetChoices(principal, datasetId ?? prefill?.datasetId);
  const models = listModelInfos();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{source ? `Re-run ${source.name}` : "New run"}</h1>
          <div className="sub">Pick a dataset and a model; a background worker trains it and evaluates it on the test split.</div>
        </div>
      </div>
      <div className="panel">
        <NewRunForm datasets={datasets} models={models} initialDatasetId={datasetId} prefill={prefill ?? undefined} />
        <NewestDatasetsNote more={more} />
      </div>
    </>
  );
}
