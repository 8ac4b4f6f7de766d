import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { importDataset, importFormatSchema, csvOptionsSchema } from "../datasets/import";
import { preprocessOptionsSchema } from "../datasets/preprocess";
import { computeStats } from "../datasets/stats";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { readServerEnv } from "../env";
import { saveDataset } from "../storage/dataset-repository";
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
        pseudonymiseUsers: z.boolean().default(false).describe("Replace user ids by salted hashes at import"),
      }),
    ),
});

/**
 * Imports an uploaded dataset: streams the files to disk, parses and preprocesses them, and
 * stores the result in one transaction. Any error leaves no dataset behind.
 */
export async function importUpload(request: Request): Promise<{ id: string; report: unknown }> {
  const env = readServerEnv();
  const upload = await spoolMultipart(request, {
    maxFileMb: env.RECLAB_UPLOAD_LIMIT_MB,
    allowedFiles: FILE_FIELDS,
    dir: env.RECLAB_UPLOAD_DIR,
  });
  try {
    const fields = uploadFieldsSchema.parse(upload.fields);
    const ratings = upload.files.ratings;
    if (!ratings) throw new AppError("BAD_INPUT", "attach the interactions file as field 'ratings'");
    const { dataset, report } = await importDataset({
      format: fields.format,
      files: { ratings: ratings.path, items: upload.files.items?.path, users: upload.files.users?.path },
      csv: fields.options.csv,
      preprocess: fields.options.preprocess,
      pseudonymiseUsers: fields.options.pseudonymiseUsers ? { salt: randomBytes(16).toString("hex") } : undefined,
    });
    const { id } = await saveDataset(getDb(), {
      name: fields.name,
      source: fields.format,
      dataset,
      stats: computeStats(dataset),
      preprocessing: {
        options: fields.options.preprocess ?? {},
        pseudonymisedUsers: fields.options.pseudonymiseUsers,
        files: Object.fromEntries(Object.entries(upload.files).map(([k, f]) => [k, { name: f.originalName, bytes: f.bytes }])),
        report,
      },
    });
    return { id, report };
  } finally {
    await upload.cleanup();
  }
}
