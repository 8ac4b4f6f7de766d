// CONTRACT STUB — replaced by the report assemblers. Keep the exported names and shapes.
import "server-only";
import type { Principal } from "../auth/principal";
import type { ReportDocument, ReportTarget } from "../reports/document";

/**
 * Reads the stored facts a report needs (scoped to the principal's team; NotFound otherwise)
 * and assembles the document. Bounded: a comparison takes at most MAX_COMPARED_RUNS runs.
 */
export async function buildReport(_target: ReportTarget, _principal: Principal): Promise<ReportDocument> {
  throw new Error("not implemented");
}
