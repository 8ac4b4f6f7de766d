import "server-only";
import { scoresUnseenUsers } from "../experiments/cold-start";
import { listModels } from "../models/registry";
import { describeFields, type FieldSpec } from "../util/zod-fields";
import type { PaperReference } from "../models/types";

export interface ModelInfo {
  id: string;
  displayName: string;
  summary: string;
  paper: PaperReference | null;
  feedback: string;
  input: string;
  training: string;
  params: FieldSpec[];
  /** Whether it can run a user cold-start split (scores users unseen in training). */
  scoresUnseenUsers: boolean;
}

/** The model registry as the UI and API present it. */
export function listModelInfos(): ModelInfo[] {
  return listModels().map((m) => ({
    id: m.id,
    displayName: m.displayName,
    summary: m.summary,
    paper: m.paper ?? null,
    feedback: m.feedback,
    input: m.input,
    training: m.training,
    params: describeFields(m.paramsSchema),
    scoresUnseenUsers: scoresUnseenUsers(m),
  }));
}
