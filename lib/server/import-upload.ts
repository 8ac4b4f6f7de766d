import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { importFormatSchema, csvOptionsSchema } from "../datasets/import";
import { describeCleaning } from "../datasets/cleaning-summary";
import { preprocessOptionsSchema } from "../datasets/preprocess";
import { recordAudit } from "../auth/audit";
import type { Principal } from "../auth/principal";
import { getDb, getDbHandle } from "../db/client";
import { AppError } from "../errors";
import { readServerEnv } from "../env";
import type { ImportJob } from "../storage/import-uploaded-dataset";
import { runImportProcess } from "./run-import-process";
import { spoolMultipart } from "./spool-multipart";

const FILE_FIELDS = ["ratings", "items", "users"] as const;

/** The non-file form fields of an upload; `options` is a JSON document. */
export const uploadFieldsSchema = z.object({
  name: z.string().trim().min(1, "give the dataset a name").max(200),
  format: importFormatSchema,
  options: z
    .string()
    .default("{}")
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "options must be a JSON object" });
        return z.NEVER;
      }
    })
    .pipe(
      z.object({
        csv: csvOptionsSchema.optional(),
        preprocess: preprocessOptionsSchema.optional(),
        personalData: z
          .boolean()
          .default(false)
          .describe("The data is about people: user ids are replaced by salted hashes (a salt per dataset) at import"),
        dropFreeText: z.boolean().default(false).describe("Drop free-text item fields (descriptions, review text)"),
      }),
    ),
});

/**
 * Imports an uploaded dataset: streams the files to disk, then parses, preprocesses and stores
 * them in a child process (one transaction) that is killed if the request is aborted. Any error
 * leaves no dataset behind, and the spooled files are removed whatever happens.
 */
export async function importUpload(request: Request, principal: Principal, ip?: string): Promise<{ id: string; report: unknown; cleaning: string[] }> {
  const env = readServerEnv();
  const upload = await spoolMultipart(request, {
    maxFileMb: env.RECLAB_UPLOAD_LIMIT_MB,
    allowedFiles: FILE_FIELDS,
    dir: env.RECLAB_UPLOAD_DIR,
  });
  try {
    const fields = uploadFieldsSchema.parse(upload.fields);
    // A file input left empty arrives as a nameless, empty part: that is "no file", not an empty one.
    for (const [field, file] of Object.entries(upload.files)) if (file.bytes === 0 && (file.originalName === "" || file.originalName === field)) delete upload.files[field];
    const ratings = upload.files.ratings;
    if (!ratings) throw new AppError("BAD_INPUT", "attach the interactions file as field 'ratings'");
    for (const [field, file] of Object.entries(upload.files)) {
      if (file.bytes === 0) throw new AppError("BAD_INPUT", `the file is empty: '${file.originalName}' (${field === "ratings" ? "interactions" : field}) has no content`, { field });
    }
    const job: ImportJob = {
      name: fields.name,
      input: {
        format: fields.format,
        files: { ratings: ratings.path, items: upload.files.items?.path, users: upload.files.users?.path },
        csv: fields.options.csv,
        preprocess: fields.options.preprocess,
        pseudonymiseUsers: fields.options.personalData ? { salt: randomBytes(16).toString("hex") } : undefined,
        limits: { maxRows: env.RECLAB_UPLOAD_MAX_ROWS, maxBytes: Math.floor(env.RECLAB_UPLOAD_MAX_TEXT_MB * 1024 * 1024) },
      },
      personalData: fields.options.personalData,
      dropFreeText: fields.options.dropFreeText,
      files: Object.fromEntries(Object.entries(upload.files).map(([k, f]) => [k, { name: f.originalName, bytes: f.bytes }])),
      teamId: principal.teamId,
      createdById: principal.userId,
    };
    const { id, report, interactions } = await runImportProcess(job, { databaseUrl: getDbHandle().url, signal: request.signal });
    await recordAudit(getDb(), { actor: principal, action: "dataset.upload", target: `dataset:${id}`, detail: `${fields.name} (${fields.format}, ${interactions} interactions)`, ip });
    return { id, report, cleaning: describeCleaning(fields.options.preprocess, report) };
  } finally {
    await upload.cleanup();
  }
}
