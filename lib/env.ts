import { z } from "zod";
import { parseTrustProxy } from "./server/client-address";

/** Environment variables, validated once. The README's table lists the same variables. */
const booleanFlag = z
  .enum(["0", "1", "true", "false"])
  .transform((v) => v === "1" || v === "true");

const sharedSchema = z.object({
  DATABASE_URL: z.string().optional().describe("Database URL; default file:./data/reclab.db (SQLite)"),
  REDIS_URL: z
    .string()
    .url()
    .optional()
    .describe("Redis URL (redis://host:6379/0): selects the BullMQ job queue; unset = the database queue"),
  RECLAB_REDIS_PREFIX: z.string().min(1).default("reclab").describe("Prefix of RecLab's keys in Redis"),
});

const workerSchema = sharedSchema.extend({
  RECLAB_LEASE_MS: z.coerce.number().int().min(1000).default(60_000).describe("Job lease; a worker silent this long loses its job"),
  RECLAB_POLL_MS: z.coerce.number().int().min(50).default(1000).describe("How often an idle worker polls the queue"),
  RECLAB_MIGRATE_ON_START: booleanFlag.default("true").describe("Apply pending migrations when a worker starts"),
  RECLAB_SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(25_000)
    .describe("After SIGTERM, how long a running job may take to reach its next epoch boundary before the worker releases it anyway"),
  RECLAB_WORKER_NICE: z.coerce
    .number()
    .int()
    .min(0)
    .max(19)
    .default(10)
    .describe("CPU priority workers and upload imports lower themselves to at start (Unix nice, 0 = unchanged): on a machine shared with the web server, background work yields the CPU to requests"),
  RECLAB_WORKER_SCHED: z
    .enum(["idle", "normal"])
    .default("idle")
    .describe("Linux scheduling policy of workers and upload imports: idle (SCHED_IDLE: only CPU time no other process wants, so requests never wait behind training) or normal (only RECLAB_WORKER_NICE applies)"),
});

const serverSchema = sharedSchema.extend({
  HOST: z.string().optional().describe("Address the web server binds to (npm start sets 127.0.0.1 by default)"),
  RECLAB_SINGLE_USER: z
    .enum(["auto", "0", "1"])
    .default("auto")
    .describe("Single-user mode (no sign-in, you are admin): auto = on only when HOST is a loopback address"),
  RECLAB_SECURE_COOKIES: z.enum(["auto", "0", "1"]).default("auto").describe("Secure cookies: auto = when the request came over HTTPS (as a trusted proxy reports it)"),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `TRUST_PROXY: ${(error as Error).message}` });
        return z.NEVER;
      }
    })
    .describe("Proxies whose forwarding headers count: comma-separated addresses/CIDRs, or a hop count; unset = none"),
  ADMIN_EMAIL: z.string().optional().describe("Creates this admin on an empty database"),
  ADMIN_PASSWORD: z.string().optional().describe("Password of ADMIN_EMAIL (at least 10 characters)"),
  RECLAB_UPLOAD_LIMIT_MB: z.coerce.number().positive().default(200).describe("Largest accepted upload, in MB"),
  RECLAB_UPLOAD_MAX_ROWS: z.coerce.number().int().positive().default(50_000_000).describe("Most interactions one import may hold"),
  RECLAB_UPLOAD_MAX_TEXT_MB: z.coerce.number().positive().default(4096).describe("Most text one file may expand to after gzip decompression, in MB"),
  RECLAB_UPLOAD_DIR: z.string().optional().describe("Where uploads are spooled while they are imported (default: OS temp dir)"),
  RECLAB_LIST_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(1_000)
    .describe("How long the runs list serves one read to every reader polling it, in ms; 0 = read per request"),
  RECLAB_COMPRESS_DYNAMIC: booleanFlag.default("false").describe("gzip pages and JSON too (static chunks always are)"),
  RECLAB_METRICS_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe("Bearer token Prometheus must send to read /metrics; unset = /metrics answers loopback and TRUST_PROXY peers only"),
});

export type WorkerEnv = z.infer<typeof workerSchema>;
export type ServerEnv = z.infer<typeof serverSchema>;

export function readWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return workerSchema.parse(source);
}

/** The variables that select and configure the job queue (shared by web server and workers). */
export function readQueueEnv(source: NodeJS.ProcessEnv = process.env): z.infer<typeof sharedSchema> {
  return sharedSchema.parse(source);
}

export function readServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  return serverSchema.parse(source);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Single-user mode is never on by accident for a server reachable from other machines. */
export function isSingleUserMode(env: ServerEnv = readServerEnv()): boolean {
  if (env.RECLAB_SINGLE_USER === "1") return true;
  if (env.RECLAB_SINGLE_USER === "0") return false;
  return env.HOST !== undefined && LOOPBACK.has(env.HOST);
}
