import "server-only";
import type { z } from "zod";
import { recordAudit } from "../auth/audit";
import type { Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { generateSyntheticJob } from "../queue/jobs";
import { createSyntheticSchema, parseCreateSynthetic } from "../storage/create-synthetic-dataset";
import { getQueue } from "./services";

/**
 * Validates the generator options against their limits and queues the generation for a worker;
 * the request does no work that grows with the options. Follow it at GET /api/jobs/:id.
 */
export async function enqueueSyntheticDataset(input: unknown, principal: Principal, ip?: string): Promise<{ jobId: string; status: "QUEUED" }> {
  const { name, options }: z.infer<typeof createSyntheticSchema> = parseCreateSynthetic(input);
  const payload = generateSyntheticJob.schema.parse({ name, options, owner: { teamId: principal.teamId, createdById: principal.userId } });
  const job = await getQueue().enqueue(generateSyntheticJob.name, payload);
  await recordAudit(getDb(), { actor: principal, action: "dataset.generate", target: `job:${job.id}`, detail: `${options.numUsers} users x ${options.numItems} items`, ip });
  return { jobId: job.id, status: "QUEUED" };
}
