import "server-only";
import { z } from "zod";
import { setupSchema, updateUserSchema } from "../auth/accounts";
import { createTokenSchema } from "../auth/api-tokens";
import { acceptInviteSchema, createInviteSchema } from "../auth/invites";
import { loginSchema } from "../auth/login";
import { POLICY, type Action } from "../auth/policy";
import { SESSION_COOKIE } from "../auth/sessions";
import { launchExperimentSchema } from "../experiments/experiment-spec";
import { compareQuerySchema } from "../server/compare-runs";
import { biasQuerySchema, compareBiasQuerySchema } from "../server/get-bias-report";
import { drillDownQuerySchema } from "../server/get-user-drill-down";
import { datasetRowsQuerySchema } from "../server/get-dataset-rows";
import { uploadFieldsSchema } from "../server/import-upload";
import { launchRunSchema } from "../server/launch-run";
import { runsListQuerySchema } from "../server/runs-list";
import { datasetsPageQuerySchema } from "../server/list-datasets";
import { rerankSweepSchema, rerankVariantSchema } from "../server/rerank-sweeps";
import { runTimingsQuerySchema } from "../server/run-timings";
import { SYNTHETIC_LIMITS } from "../datasets/synthetic";
import { exportQuerySchema } from "../reports/report-target";
import { createShareLinkSchema } from "../server/share-links";
import { sharingSettingSchema } from "../server/sharing-setting";
import { createSyntheticSchema } from "../storage/create-synthetic-dataset";
import { cancelRequestSchema } from "../tracking/cancel-request";
import { formatCount } from "../util/format";
import { REPORT_SCHEMA_VERSION } from "../reports/document";
import { RECLAB_VERSION } from "../version";
import { toJsonSchema, type JsonSchema } from "./zod-json-schema";
import { AB_LIMITS, createAbTestSchema, planAbTestSchema } from "../ab-tests/spec";
import { listAbTestsQuerySchema } from "../server/ab-tests";
import { importAbLogFieldsSchema } from "../server/import-ab-log-upload";

type Method = "get" | "post" | "put" | "patch" | "delete";

interface Operation {
  method: Method;
  path: string;
  summary: string;
  /** Policy action the route enforces ("public": no account needed). */
  action: Action;
  tag: string;
  query?: z.AnyZodObject;
  body?: z.ZodTypeAny;
  /** The JSON body may be left out (every field has a default). */
  bodyOptional?: boolean;
  /** A multipart upload instead of a JSON body. */
  multipart?: JsonSchema;
  created?: boolean;
  /** Queued as a job: 202 with { jobId }, followed at GET /api/jobs/{id}. */
  accepted?: boolean;
  /** The success body is CSV, not JSON. */
  csv?: boolean;
  /** The success body is a file download in one of these media types. */
  files?: string[];
}

const id = z.object({ id: z.string() });
const byDataset = z.object({ datasetId: z.string().min(1).optional().describe("Only those of this dataset") });

/** Every route under app/api (tests/integration/openapi.test.ts fails when one is missing). */
export const OPERATIONS: Operation[] = [
  { method: "get", path: "/api/health", summary: "Liveness plus database reachability", action: "public", tag: "system" },
  { method: "get", path: "/api/ready", summary: "Readiness: the database answers and every migration is applied (503 with the failing check otherwise). Prometheus metrics are at /metrics on the web front, outside the API", action: "public", tag: "system" },
  { method: "get", path: "/api/openapi.json", summary: "This document", action: "public", tag: "system" },
  { method: "get", path: "/api/reports/schema.json", summary: "JSON Schema of report documents (the JSON export of every report), versioned by schemaVersion", action: "public", tag: "system" },
  { method: "get", path: "/api/models", summary: "The model registry with each model's paper and hyperparameters", action: "model:read", tag: "models" },

  {
    method: "get",
    path: "/api/datasets",
    summary: "One page of the datasets you may see, newest first: { datasets, nextCursor } (pass nextCursor as ?cursor= for the next page; null on the last). A bad parameter is 400 naming it.",
    action: "dataset:read",
    tag: "datasets",
    query: datasetsPageQuerySchema,
  },
  {
    method: "post",
    path: "/api/datasets",
    summary: "Import an upload (multipart/form-data: name, format, options JSON, files ratings / items / users)",
    action: "dataset:create",
    tag: "datasets",
    created: true,
    multipart: (() => {
      const fields = toJsonSchema(uploadFieldsSchema) as { properties: Record<string, JsonSchema>; required?: string[] };
      const file = { type: "string", format: "binary" };
      return {
        type: "object",
        properties: { ...fields.properties, ratings: { ...file, description: "Interactions file" }, items: { ...file, description: "Item metadata (optional)" }, users: { ...file, description: "User attributes (optional)" } },
        required: [...(fields.required ?? []), "ratings"],
      };
    })(),
  },
  {
    method: "post",
    path: "/api/datasets/synthetic",
    summary: `Queue the generation of a synthetic dataset with known ground truth; follow it at /api/jobs/{id}. Limits: ${formatCount(SYNTHETIC_LIMITS.maxUsers)} users, ${formatCount(SYNTHETIC_LIMITS.maxItems)} items, ${formatCount(SYNTHETIC_LIMITS.maxInteractionsPerUser)} interactions per user, ${formatCount(SYNTHETIC_LIMITS.maxInteractions)} expected interactions, ${formatCount(SYNTHETIC_LIMITS.maxItemScores)} item scores (interactions x items)`,
    action: "dataset:create",
    tag: "datasets",
    body: createSyntheticSchema,
    accepted: true,
  },
  { method: "get", path: "/api/datasets/{id}", summary: "A dataset with its statistics", action: "dataset:read", tag: "datasets" },
  { method: "delete", path: "/api/datasets/{id}", summary: "Delete a dataset and everything derived from it", action: "dataset:delete", tag: "datasets" },
  { method: "get", path: "/api/datasets/{id}/interactions", summary: "Raw interaction rows, paged", action: "dataset:read-raw", tag: "datasets", query: datasetRowsQuerySchema },

  { method: "get", path: "/api/jobs/{id}", summary: "A background job of your team: status, progress (0..1), message with ETA, error, result ({ datasetId } when a generation is done)", action: "job:read", tag: "jobs" },
  { method: "get", path: "/api/queue", summary: "What each busy worker runs, and the place in the queue of your team's waiting runs and jobs (other teams' jobs stay anonymous)", action: "job:read", tag: "jobs" },
  { method: "post", path: "/api/jobs/{id}/cancel", summary: "Cancel a queued job at once, or stop a running one at its next progress report", action: "job:cancel", tag: "jobs" },

  {
    method: "get",
    path: "/api/runs",
    summary:
      "One page of the runs list: standalone runs and one folded row per experiment ({ type: 'experiment', totalRuns, statusCounts, best }), or an experiment's runs with ?experiment=. Filters, sort and paging are applied on the server; returns { items, nextCursor }. A bad parameter is 400 naming it.",
    action: "run:read",
    tag: "runs",
    query: runsListQuerySchema,
  },
  { method: "post", path: "/api/runs", summary: "Launch a run (queued for a worker)", action: "run:create", tag: "runs", body: launchRunSchema, created: true },
  {
    method: "get",
    path: "/api/runs/timings",
    summary: "Seconds per epoch that earlier runs of a model on a dataset measured, next to the cost model's estimate for their parameters (the launch form's time estimate is calibrated with them)",
    action: "run:read",
    tag: "runs",
    query: runTimingsQuerySchema,
  },
  { method: "get", path: "/api/runs/export", summary: "Runs with their test metrics as CSV", action: "run:export", tag: "runs", query: byDataset, csv: true },
  { method: "get", path: "/api/runs/{id}", summary: "Run status, progress, resolved config and final metrics", action: "run:read", tag: "runs" },
  {
    method: "post",
    path: "/api/runs/{id}/cancel",
    summary: "Cancel a queued run at once, or stop a running one within one training batch; it keeps its learning curve and best epoch, and with evaluateBest that epoch's test metrics",
    action: "run:cancel",
    tag: "runs",
    body: cancelRequestSchema,
    bodyOptional: true,
  },
  {
    method: "get",
    path: "/api/runs/{id}/history",
    summary: "Learning curves (validation metrics, loss) by epoch",
    action: "run:read",
    tag: "runs",
    query: z.object({ maxPoints: z.number().int().min(2).max(5000).default(500).describe("Downsample each series to at most this many points") }),
  },
  {
    method: "get",
    path: "/api/runs/{id}/baseline",
    summary: "The run beside the strongest simple baseline (the best ItemKNN or EASE run on its dataset, same split first) with the paired significance sentence, or the baseline to launch when there is none",
    action: "run:read",
    tag: "runs",
  },
  {
    method: "get",
    path: "/api/runs/{id}/rerank-sweeps",
    summary: "Re-ranking of a finished run: whether it can be re-ranked (else why: re-run it to enable re-ranking), the re-rankers, stored λ trade-off curves and saved variant runs",
    action: "run:read",
    tag: "runs",
  },
  {
    method: "post",
    path: "/api/runs/{id}/rerank-sweeps",
    summary: "Queue a λ sweep of one re-ranker over the run's stored candidates (MMR, calibrated, xQuAD, popularity penalty, exposure constraint); λ outside [0, 1] is a 400. Follow it at GET /api/jobs/{jobId}",
    action: "run:rerank",
    tag: "runs",
    body: rerankSweepSchema,
    accepted: true,
  },
  {
    method: "post",
    path: "/api/runs/{id}/variants",
    summary: "Save one re-ranked point (re-ranker, λ) as a variant run with test and per-user metrics, listed and compared like any run",
    action: "run:rerank",
    tag: "runs",
    body: rerankVariantSchema,
    created: true,
  },
  { method: "get", path: "/api/compare", summary: "Compare runs: metric table, bootstrap CIs, curves; paired t-test and Wilcoxon (Holm-corrected) only for pairs on the same dataset, split and users, else the reason", action: "run:read", tag: "experiments", query: compareQuerySchema },
  { method: "get", path: "/api/runs/{id}/bias", summary: "Bias and diversity report: per-group metrics with bootstrap CIs, gaps with permutation p-values (Holm), exposure vs relevance, verdicts", action: "report:read", tag: "runs", query: biasQuerySchema },
  {
    method: "get",
    path: "/api/runs/{id}/users/{user}",
    summary: "One test user of a finished run (user id as stored, pseudonymised for personal data): training history, top-K with the stored reasons, and optionally a re-ranker's list with the items that entered or left",
    action: "run:inspect-user",
    tag: "runs",
    query: drillDownQuerySchema,
  },
  { method: "get", path: "/api/compare/bias", summary: "Bias and diversity reports of 2 to 4 runs side by side, grouped the same way", action: "report:read", tag: "experiments", query: compareBiasQuerySchema },

  {
    method: "get",
    path: "/api/reports/export",
    summary: "One report as a file (Content-Disposition: attachment): a run, an experiment, a comparison of 2 to 12 runs, a dataset's data sheet or a run's bias and diversity report, as self-contained HTML, PDF, CSV (a zip when it has several tables) or JSON. Other teams' ids are 404",
    action: "report:export",
    tag: "reports",
    query: exportQuerySchema.innerType(),
    files: ["text/html", "application/pdf", "text/csv", "application/zip", "application/json"],
  },
  { method: "get", path: "/api/reports/shares", summary: "The team's read-only share links (admins: every team's), newest first, with status; never any part of a token", action: "report:share", tag: "reports" },
  {
    method: "post",
    path: "/api/reports/shares",
    summary: "Create a read-only share link to one report, valid 1 hour to 90 days (default 7 days). Returns { url, path, expiresAt, link }; the token in the URL is shown only here. 409 while an admin has turned sharing off",
    action: "report:share",
    tag: "reports",
    body: createShareLinkSchema,
    created: true,
  },
  { method: "delete", path: "/api/reports/shares/{id}", summary: "Revoke a share link at once (its page answers 404 from then on)", action: "report:share", tag: "reports" },
  { method: "get", path: "/api/admin/sharing", summary: "Whether read-only share links are allowed ({ enabled })", action: "sharing:manage", tag: "admin" },
  { method: "put", path: "/api/admin/sharing", summary: "Turn report sharing on or off; off refuses new links and makes every existing link answer 404 (it works again when turned back on, unless expired or revoked)", action: "sharing:manage", tag: "admin", body: sharingSettingSchema },

  { method: "get", path: "/api/experiments", summary: "List experiments with progress (i/N, ETA, best so far)", action: "experiment:read", tag: "experiments", query: byDataset },
  { method: "post", path: "/api/experiments", summary: "Plan and queue a grid search, random search, k-fold cross-validation or ablation study", action: "experiment:create", tag: "experiments", body: launchExperimentSchema, created: true },
  { method: "get", path: "/api/experiments/{id}", summary: "An experiment: progress, runs with validation and test metrics kept apart, final result", action: "experiment:read", tag: "experiments" },
  { method: "post", path: "/api/experiments/{id}/cancel", summary: "Cancel: queued runs at once, running ones at their next epoch boundary", action: "experiment:cancel", tag: "experiments" },

  { method: "get", path: "/api/ab-tests", summary: "List A/B tests, newest first: source, arms, status, headline verdict ({ abTests, total, nextOffset })", action: "abtest:read", tag: "ab-tests", query: listAbTestsQuerySchema },
  {
    method: "post",
    path: "/api/ab-tests",
    summary: `Create a simulated A/B test on a dataset: ${AB_LIMITS.minArms} to ${AB_LIMITS.maxArms} arms, each a finished run of that dataset (re-ranked variants included) or a bandit policy; at most ${formatCount(AB_LIMITS.maxUsers)} users, ${AB_LIMITS.maxSessionsPerUser} sessions per user, ${formatCount(AB_LIMITS.maxVisits)} visits, ${AB_LIMITS.maxSlateSize} items per slate. Returns { id, jobId }; follow it at /api/jobs/{jobId}`,
    action: "abtest:create",
    tag: "ab-tests",
    body: createAbTestSchema,
    accepted: true,
  },
  {
    method: "post",
    path: "/api/ab-tests/import",
    summary: "Import an A/B log CSV (multipart/form-data: name, ratio, file log with columns user, arm, timestamp, impressions, clicks, dwell_seconds, conversion). Returns { id, jobId }; a bad row fails the job with its line and field and nothing is stored",
    action: "abtest:create",
    tag: "ab-tests",
    accepted: true,
    multipart: (() => {
      const fields = toJsonSchema(importAbLogFieldsSchema) as { properties: Record<string, JsonSchema>; required?: string[] };
      return { type: "object", properties: { ...fields.properties, log: { type: "string", format: "binary", description: "The A/B log (CSV with a header row)" } }, required: [...(fields.required ?? []), "log"] };
    })(),
  },
  { method: "post", path: "/api/ab-tests/plan", summary: "Power / MDE planner: users per arm needed to detect a relative lift of a rate (closed form)", action: "abtest:read", tag: "ab-tests", body: planAbTestSchema },
  { method: "get", path: "/api/ab-tests/{id}", summary: "An A/B test: status and progress, then per-metric values, lifts with CIs, Holm-adjusted p-values, SRM check, verdict, CTR by position, off-policy estimates and the simulator's assumptions", action: "abtest:read", tag: "ab-tests" },
  { method: "delete", path: "/api/ab-tests/{id}", summary: "Delete an A/B test (a running one is cancelled first)", action: "abtest:delete", tag: "ab-tests" },

  { method: "post", path: "/api/auth/setup", summary: "First run only: create the first admin account and sign in", action: "public", tag: "auth", body: setupSchema },
  {
    method: "post",
    path: "/api/auth/login",
    summary: "Sign in with email and password; sets the session cookies and returns `notice`: failed attempts since the last sign-in, or null. 429 with the wait while sign-in is backing off",
    action: "public",
    tag: "auth",
    body: loginSchema,
  },
  {
    method: "post",
    path: "/api/auth/logout",
    summary: "End this session, or every session of the account (everywhere=1), optionally revoking its API tokens too (tokens=1)",
    action: "account:read",
    tag: "auth",
    query: z.object({
      everywhere: z.enum(["1"]).optional().describe("1: end every session of the account (API tokens keep working)"),
      tokens: z.enum(["1"]).optional().describe("With everywhere=1: also revoke every API token of the account"),
    }),
  },
  { method: "get", path: "/api/auth/me", summary: "Who the caller is (email, role, team, how they authenticated)", action: "account:read", tag: "auth" },
  { method: "post", path: "/api/auth/invites/accept", summary: "Accept an invitation: set a password, create the account, sign in", action: "public", tag: "auth", body: acceptInviteSchema },
  { method: "get", path: "/api/tokens", summary: "Your API tokens", action: "token:manage", tag: "auth" },
  { method: "post", path: "/api/tokens", summary: "Create an API token (the secret is shown once)", action: "token:manage", tag: "auth", body: createTokenSchema, created: true },
  { method: "delete", path: "/api/tokens/{id}", summary: "Revoke an API token at once", action: "token:manage", tag: "auth" },
  { method: "get", path: "/api/users", summary: "Every account (admins only)", action: "user:manage", tag: "admin" },
  { method: "patch", path: "/api/users/{id}", summary: "Change an account's role or team, or disable it (admins only)", action: "user:manage", tag: "admin", body: updateUserSchema },
  { method: "post", path: "/api/users/{id}/unlock", summary: "Let an account sign in again at once after failed attempts (admins only)", action: "user:unlock", tag: "admin" },
  { method: "post", path: "/api/users/invites", summary: "Invite someone by email with a role; returns the link token once", action: "user:manage", tag: "admin", body: createInviteSchema, created: true },
  { method: "get", path: "/api/audit", summary: "The audit log, newest first (admins only)", action: "audit:read", tag: "admin" },
  { method: "get", path: "/api/audit/export", summary: "The audit log as CSV (admins only)", action: "audit:read", tag: "admin", csv: true },
];

function parameters(op: Operation): JsonSchema[] {
  const params: JsonSchema[] = [];
  for (const name of op.path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? []) {
    params.push({ name, in: "path", required: true, schema: toJsonSchema(id.shape.id) });
  }
  if (op.query) {
    for (const [name, field] of Object.entries(op.query.shape as Record<string, z.ZodTypeAny>)) {
      params.push({ name, in: "query", required: !field.isOptional(), schema: toJsonSchema(field), ...(field.description ? { description: field.description } : {}) });
    }
  }
  return params;
}

function operation(op: Operation): JsonSchema {
  const errors = (codes: string[]) => Object.fromEntries(codes.map((c) => [c, { $ref: `#/components/responses/Error` }]));
  const allowed = POLICY[op.action];
  return {
    summary: op.summary,
    tags: [op.tag],
    operationId: `${op.method}${op.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    "x-reclab-action": op.action,
    description: allowed === "public" ? "No account needed." : `Roles: ${(allowed as readonly string[]).join(", ")} (policy action ${op.action}).`,
    ...(allowed === "public" ? { security: [] } : {}),
    parameters: parameters(op),
    ...(op.body
      ? { requestBody: { required: !op.bodyOptional, content: { "application/json": { schema: toJsonSchema(op.body) } } } }
      : op.multipart
        ? { requestBody: { required: true, content: { "multipart/form-data": { schema: op.multipart } } } }
        : {}),
    responses: {
      [op.created ? "201" : op.accepted ? "202" : "200"]: {
        description: op.created ? "Created" : op.accepted ? "Accepted: queued as a job ({ jobId })" : "OK",
        content: op.files
          ? Object.fromEntries(op.files.map((type) => [type, { schema: { type: "string", format: "binary" } }]))
          : op.csv
            ? { "text/csv": { schema: { type: "string" } } }
            : { "application/json": { schema: { type: "object" } } },
      },
      ...errors(["400", ...(allowed === "public" ? [] : ["401", "403"]), ...(op.path.includes("{") ? ["404"] : []), ...(op.path.endsWith("/cancel") ? ["409"] : [])]),
    },
  };
}

/** The OpenAPI 3.1 document of the REST API, generated from the schemas the handlers parse. */
export function buildOpenApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: "3.1.0",
    info: {
      title: "RecLab API",
      version: RECLAB_VERSION,
      description: "Recommender-system experiments end to end: datasets, runs, experiments (search, cross-validation, ablation), comparisons, A/B tests and reports. Errors are `{ error: { code, message, details? } }`.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { session: [] }],
    tags: ["system", "models", "datasets", "jobs", "runs", "experiments", "ab-tests", "reports", "auth", "admin"].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token: 'Authorization: Bearer <token>'" },
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "Browser session (mutations also need the CSRF header)" },
      },
      schemas: {
        // The JSON export of reports, published beside this document (lib/reports/schema.ts).
        ReportDocument: { $ref: "/api/reports/schema.json", description: `A RecLab report document, schema version ${REPORT_SCHEMA_VERSION}` },
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string", enum: ["BAD_INPUT", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "TOO_LARGE", "TOO_MANY_REQUESTS", "UNAVAILABLE", "INTERNAL"] },
                message: { type: "string", description: "What went wrong, written for the user" },
                details: { type: "object" },
              },
            },
          },
        },
      },
      responses: { Error: { description: "An error the caller can act on", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } },
    },
  };
}
