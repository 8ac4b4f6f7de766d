"use client";
import { DeleteButton } from "../ui/delete-button";

interface Deleted {
  deletedRuns: number;
  deletedMetricPoints: number;
  deletedArtifacts: number;
  deletedBlobs: number;
  deletedAbTests: number;
}

export function DeleteDatasetButton({ id, name }: { id: string; name: string }) {
  return (
    <DeleteButton<Deleted>
      url={`/api/datasets/${id}`}
      confirm={`Delete "${name}" and every run and A/B test made from it? This cannot be undone.`}
      then="/datasets"
      report={(deleted) =>
        `Deleted "${name}" and everything derived from it: ${deleted.deletedRuns} runs, ${deleted.deletedMetricPoints} learning-curve points, ${deleted.deletedArtifacts} artefacts (models, per-user metrics), ${deleted.deletedBlobs} data blocks, ${deleted.deletedAbTests} A/B tests.`
      }
    />
  );
}
