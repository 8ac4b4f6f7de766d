import "server-only";
import os from "node:os";
import { z } from "zod";
import { recordAudit } from "../auth/audit";
import type { Principal } from "../auth/principal";
import { storeAbLogParts } from "../ab-tests/log-parts";
import { AB_LIMITS, type ImportedAbConfig } from "../ab-tests/spec";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { readServerEnv } from "../env";
import { importAbLogJob } from "../queue/jobs";
import { getQueue } from "./services";
import { spoolMultipart } from "./spool-multipart";

/** The form fields of a log upload; `ratio` is "1,1" or "1:1" (the recorded assignment weights, arms in file order). */
export const importAbLogFieldsSchema = z.object({
  name: z.string().trim().min(1, "give the test a name").max(200).describe("Test name"),
  ratio: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((text, ctx) => {
      if (!text) return null;
      const weights = text.split(/[,:\s]+/).filter(Boolean).map(Number);
      if (weights.some((w) => !(w > 0 && w <= 100)) || weights.length < AB_LIMITS.minArms || weights.length > AB_LIMITS.maxArms) {
        ctx.addIssue({ code: "custom", message: `ratio must be ${AB_LIMITS.minArms} to ${AB_LIMITS.maxArms} positive weights such as "1,1"` });
        return z.NEVER;
      }
      return weights;
    })
    .describe("Recorded assignment ratio, arms in order of first appearance (default: equal)"),
});

/**
 * Accepts an A/B log upload: streams the file to disk (size limit enforced while streaming),
 * checks the form, stores the file's bytes in the database (lib/ab-tests/log-parts.ts: the job may
 * run on another machine) and queues the import job that reads and analyses them. The request does
 * no work that grows with the file beyond moving it; bad rows are reported by the job. A failure
 * before the job is queued leaves nothing behind (the test and its parts are deleted together).
 */
export async function importAbLogUpload(request: Request, principal: Principal, ip?: string): Promise<{ id: string; jobId: string }> {
  const env = readServerEnv();
  const upload = await spoolMultipart(request, { maxFileMb: env.RECLAB_UPLOAD_LIMIT_MB, allowedFiles: ["log"], dir: env.RECLAB_UPLOAD_DIR ?? os.tmpdir() });
  const db = getDb();
  try {
    const fields = importAbLogFieldsSchema.parse(upload.fields);
    const file = upload.files.log;
    if (!file) throw new AppError("BAD_INPUT", "attach the A/B log CSV as field 'log'");
    if (file.bytes === 0) throw new AppError("BAD_INPUT", `${file.originalName} is empty`);
    const config: ImportedAbConfig = { fileName: file.originalName, bytes: file.bytes, ratio: fields.ratio };
    const row = await db.abTest.create({ data: { name: fields.name, source: "imported", config: JSON.stringify(config), teamId: principal.teamId, createdById: principal.userId } });
    try {
      await storeAbLogParts(db, row.id, file.path);
      const payload = importAbLogJob.schema.parse({ abTestId: row.id, owner: { teamId: principal.teamId, createdById: principal.userId } });
      const job = await getQueue().enqueue(importAbLogJob.name, payload, { maxAttempts: 2 });
      await db.abTest.update({ where: { id: row.id }, data: { jobId: job.id } });
      await recordAudit(db, { actor: principal, action: "abtest.import", target: `abtest:${row.id}`, detail: `${file.originalName} (${file.bytes} bytes)`, ip });
      return { id: row.id, jobId: job.id };
    } catch (error) {
      // Cascades to the stored parts.
      await db.abTest.delete({ where: { id: row.id } });
      throw error;
    }
  } finally {
    await upload.cleanup();
  }
}
