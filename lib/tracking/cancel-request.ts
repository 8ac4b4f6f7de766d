import { z } from "zod";

/**
 * What the user asked for when cancelling a running run, stored as a run artefact by the cancel
 * route and read by the worker once training has stopped: whether to evaluate the kept best
 * epoch on the held-out part (its test metrics then stay with the cancelled run).
 */
export const CANCEL_REQUEST_ARTIFACT = "cancel-request";

export const cancelRequestSchema = z
  .object({
    evaluateBest: z.boolean().default(false).describe("Evaluate the best finished epoch on test before stopping (its metrics are kept with the cancelled run)"),
  })
  .strict();

export type CancelRequest = z.output<typeof cancelRequestSchema>;

export function encodeCancelRequest(request: CancelRequest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(request));
}

/** The stored request; a missing or unreadable one means "just stop". */
export function decodeCancelRequest(bytes: Uint8Array | null): CancelRequest {
  if (!bytes) return { evaluateBest: false };
  try {
    const parsed = cancelRequestSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : { evaluateBest: false };
  } catch {
    return { evaluateBest: false };
  }
}
