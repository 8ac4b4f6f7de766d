// Hostile inputs that RecLab already answered well when it was attacked (issue "Abuse-proof by
// construction"): a representative set kept here so they stay answered. Each case asserts the
// status, the user-facing message, and that nothing was written.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as compare from "@/app/api/compare/route";
import * as datasets from "@/app/api/datasets/route";
import * as dataset from "@/app/api/datasets/[id]/route";
import * as interactions from "@/app/api/datasets/[id]/interactions/route";
import * as experiments from "@/app/api/experiments/route";
import * as login from "@/app/api/auth/login/route";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import * as tokens from "@/app/api/tokens/route";
import * as invites from "@/app/api/users/invites/route";
import { call, setDefaultToken, tokenFor, uploadForm, useDatabase, type CallInit } from "./support/api";
import { createTestDatabase, type TestDatabase } from "./support/databases";

const U_DATA = "1\t10\t5\t881250949\n1\t20\t3\t881250950\n2\t10\t4\t881250951\n2\t30\t2\t881250952\n";
const CSV_OPTIONS = JSON.stringify({ csv: { delimiter: ",", hasHeader: false, columns: { user: "0", item: "1" } } });

type Handler = (request: Request, context: { params: Promise<any> }) => Promise<Response>;
interface HostileCase {
  label: string;
  handler: Handler;
  init: () => CallInit<any>;
  status: number;
  message: RegExp;
}

const upload = (format: string, name: string, content: string | Uint8Array<ArrayBuffer>, options?: string): CallInit<any> => ({
  method: "POST",
  body: uploadForm({ name: "hostile", format, ...(options ? { options } : {}) }, { ratings: { name, content } }),
});
const post = (json: unknown): CallInit<any> => ({ method: "POST", json });
const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

const CASES: HostileCase[] = [
  // Uploads
  { label: "non-numeric rating", handler: datasets.POST, init: () => upload("movielens-100k", "u.data", "1\t2\tabc\t881250949\n"), status: 400, message: /^line 1: rating 'abc' is not a number/ },
  { label: "missing item column", handler: datasets.POST, init: () => upload("movielens-100k", "u.data", "1\n"), status: 400, message: /^line 1: expected 4 fields separated by tab, found 1$/ },
  { label: "2,000 columns", handler: datasets.POST, init: () => upload("csv", "w.csv", `${Array.from({ length: 2000 }, (_, i) => i).join(",")}\n`, CSV_OPTIONS), status: 400, message: /^line 1: 2000 columns; at most 1000 are accepted$/ },
  { label: "gzip bomb of zeros (binary)", handler: datasets.POST, init: () => upload("csv", "z.csv.gz", Uint8Array.from(gzipSync(Buffer.alloc(20_000_000))), CSV_OPTIONS), status: 400, message: /not text \(it looks binary\)/ },
  { label: "truncated gzip", handler: datasets.POST, init: () => upload("csv", "t.csv.gz", Uint8Array.from(gzipSync(Buffer.from("1,2\n".repeat(100_000))).subarray(0, 200)), CSV_OPTIONS), status: 400, message: /not valid gzip \(it is damaged or truncated\)/ },
  { label: "empty file", handler: datasets.POST, init: () => upload("movielens-100k", "u.data", ""), status: 400, message: /^the file is empty: 'u.data' \(interactions\) has no content$/ },
  { label: "NUL bytes", handler: datasets.POST, init: () => upload("movielens-100k", "u.data", "1\t2\t3\u0000\t4\n"), status: 400, message: /not text \(it looks binary\)/ },
  { label: "unknown format", handler: datasets.POST, init: () => upload("excel", "u.data", U_DATA), status: 400, message: /^format: Invalid enum value\. Expected .*received 'excel'$/ },
  { label: "options that are not JSON", handler: datasets.POST, init: () => upload("csv", "a.csv", "1,2\n", "{not json"), status: 400, message: /^options: options must be a JSON object$/ },
  { label: "__proto__ in the options", handler: datasets.POST, init: () => upload("csv", "a.csv", "1,2\n", '{"__proto__":{"polluted":true},"csv":{"delimiter":",","hasHeader":false,"columns":{"user":"0","item":"1"}}}'), status: 201, message: /^$/ },
  { label: "an unexpected file field", handler: datasets.POST, init: () => ({ method: "POST", body: uploadForm({ name: "x", format: "movielens-100k" }, { ratings: { name: "u.data", content: U_DATA }, evil: { name: "x", content: "y" } }) }), status: 400, message: /unexpected file field 'evil'/ },
  { label: "a large unexpected file field, cut off mid-part", handler: datasets.POST, init: () => ({ method: "POST", body: uploadForm({ name: "x", format: "movielens-100k" }, { evil: { name: "x", content: "y".repeat(4 * 1024 * 1024) }, ratings: { name: "u.data", content: U_DATA } }) }), status: 400, message: /^unexpected file field 'evil'; expected ratings, items, users$/ },
  { label: "not multipart", handler: datasets.POST, init: () => post({ name: "x" }), status: 400, message: /^send the upload as multipart\/form-data$/ },
  // JSON bodies
  { label: "5,000-deep JSON", handler: runs.POST, init: () => post(nested(5000)), status: 400, message: /^the request body must be a JSON object, not an array$/ },
  { label: "a 2 MB JSON body to the public sign-in route", handler: login.POST, init: () => post({ email: "a@b.c", password: "x", padding: "x".repeat(2 * 1024 * 1024) }), status: 413, message: /^the request body is larger than 1 MB$/ },
  { label: "malformed JSON", handler: runs.POST, init: () => post("{\"datasetId\":"), status: 400, message: /not valid JSON/ },
  { label: "__proto__ keys in a run config", handler: runs.POST, init: () => post(JSON.parse('{"datasetId":"nope","config":{"modelId":"pop","__proto__":{"admin":true}}}')), status: 404, message: /^dataset nope does not exist$/ },
  { label: "unknown model", handler: runs.POST, init: () => post({ datasetId: "DATASET", config: { modelId: "gpt-9" } }), status: 404, message: /^unknown model "gpt-9"; available: pop, / },
  { label: "a hyperparameter of the wrong type", handler: runs.POST, init: () => post({ datasetId: "DATASET", config: { modelId: "bpr", params: { factors: "many" } } }), status: 400, message: /^Factors: 'many' is not a number$/ },
  { label: "K of zero", handler: runs.POST, init: () => post({ datasetId: "DATASET", config: { modelId: "pop", ks: [0] } }), status: 400, message: /^Cut-offs K, value 1: number must be greater than or equal to 1$/ },
  { label: "a split ratio that does not add up", handler: runs.POST, init: () => post({ datasetId: "DATASET", config: { modelId: "pop", split: { kind: "random", ratios: [0.9, 0.9, 0.9], seed: 1 } } }), status: 400, message: /^Split ratios: train, validation and test ratios must add up to 1$/ },
  { label: "an experiment with an empty grid", handler: experiments.POST, init: () => post({ datasetId: "DATASET", spec: { kind: "grid", base: { modelId: "bpr" }, space: { factors: { values: [] } } } }), status: 400, message: /^Base configuration is required/ },
  { label: "sign-in with a 10 kB password", handler: login.POST, init: () => post({ email: "a@b.c", password: "x".repeat(10_000) }), status: 400, message: /^password: String must contain at most 256 character\(s\)$/ },
  { label: "an API token minting tokens", handler: tokens.POST, init: () => post({ name: "t", role: "admin" }), status: 403, message: /^API tokens cannot create more tokens; sign in to do that$/ },
  { label: "an invitation to a malformed email", handler: invites.POST, init: () => post({ email: "not an email", role: "viewer" }), status: 400, message: /^email: enter a valid email address$/ },
  // Queries and ids
  { label: "an id that is a path", handler: dataset.GET, init: () => ({ params: { id: "../../etc/passwd" } }), status: 404, message: /^dataset \.\.\/\.\.\/etc\/passwd does not exist$/ },
  { label: "a page of a million rows", handler: interactions.GET, init: () => ({ url: "http://localhost/api/datasets/DATASET/interactions?limit=1000000", params: { id: "DATASET" } }), status: 400, message: /^limit: Number must be less than or equal to 500$/ },
  { label: "a negative offset", handler: interactions.GET, init: () => ({ url: "http://localhost/api/datasets/DATASET/interactions?offset=-5", params: { id: "DATASET" } }), status: 400, message: /^offset: Number must be greater than or equal to 0$/ },
  { label: "a comparison of one run", handler: compare.GET, init: () => ({ url: "http://localhost/api/compare?runs=only-one" }), status: 400, message: /^runs: select at least two runs to compare$/ },
  { label: "a run that does not exist", handler: run.GET, init: () => ({ params: { id: "x".repeat(5000) } }), status: 404, message: /^run x+ does not exist$/ },
];

describe("hostile inputs that already had a clear answer", () => {
  let database: TestDatabase;
  let datasetId: string;

  /** Row counts of every table a hostile request could write to. */
  const fingerprint = async () => {
    const db = database.handle.db;
    return [await db.dataset.count(), await db.run.count(), await db.experiment.count(), await db.job.count(), await db.apiToken.count(), await db.invite.count()];
  };
  const withDataset = (init: CallInit<any>): CallInit<any> => {
    const text = JSON.stringify(init).replaceAll("DATASET", datasetId);
    const replaced = JSON.parse(text) as CallInit<any>;
    return { ...init, url: replaced.url, params: replaced.params, json: init.json === undefined ? undefined : typeof init.json === "string" ? init.json : JSON.parse(JSON.stringify(init.json).replaceAll("DATASET", datasetId)) };
  };

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    useDatabase(database.handle);
    setDefaultToken(await tokenFor(database.handle.db, "admin"));
    const created = await call(datasets.POST, upload("movielens-100k", "u.data", U_DATA));
    expect(created.status).toBe(201);
    datasetId = created.body.id;
  });
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  for (const c of CASES) {
    it(c.label, async () => {
      const before = await fingerprint();
      const response = await call(c.handler, withDataset(c.init()));
      expect(response.status, JSON.stringify(response.body)?.slice(0, 300)).toBe(c.status);
      if (c.status >= 400) {
        expect(response.body.error.message).toMatch(c.message);
        expect(response.body.error.message).not.toMatch(/prisma|at \/|node_modules|\.ts:\d+/i);
        expect(await fingerprint()).toEqual(before);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });
  }
});
