import { NewestDatasetsNote } from "../../_components/datasets/newest-datasets-note";
import { NewAbTestForm } from "../../_components/ab-tests/new-ab-test-form";
import { AB_LIMITS, createAbTestSchema, runArmSchema } from "@/lib/ab-tests/spec";
import { BANDIT_KINDS, banditParamsSchemas } from "@/lib/models/bandits";
import { simulatorConfigSchema } from "@/lib/simulation/environment";
import { listDatasetChoices } from "@/lib/server/list-datasets";
import { listRuns } from "@/lib/server/list-runs";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { describeFields } from "@/lib/util/zod-fields";

export const dynamic = "force-dynamic";

const SIZE_FIELDS = ["users", "sessionsPerUser", "slateSize", "seed"];

export default async function NewAbTestPage() {
  const principal = await requirePagePrincipal("abtest:create");
  // The newest 500 finished runs (listRuns' cap) are the arms on offer.
  const [{ datasets, more }, runs] = await Promise.all([listDatasetChoices(principal), listRuns(principal, { status: "SUCCEEDED" })]);
  const finished = runs.map((r) => ({ id: r.id, name: r.name, datasetId: r.datasetId, modelName: r.modelName, variant: r.variantOf !== null }));
  const sizeFields = describeFields(createAbTestSchema.innerType()).filter((f) => SIZE_FIELDS.includes(f.name));
  const epsilon = describeFields(runArmSchema).find((f) => f.name === "epsilon")!;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>New simulated A/B test</h1>
          <div className="sub">Users of the dataset visit a simulated shop; each is assigned to one arm, sees its slates, clicks, dwells and comes back — or not.</div>
        </div>
      </div>
      <div className="panel">
        <NewAbTestForm
          datasets={datasets}
          runs={finished}
          sizeFields={sizeFields}
          simulatorFields={describeFields(simulatorConfigSchema)}
          bandits={BANDIT_KINDS.map((kind) => ({ kind, params: describeFields(banditParamsSchemas[kind]) }))}
          armFields={{ epsilon }}
          limits={{ minArms: AB_LIMITS.minArms, maxArms: AB_LIMITS.maxArms }}
        />
        <NewestDatasetsNote more={more} />
      </div>
    </>
  );
}
