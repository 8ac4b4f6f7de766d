// TEMPORARY dev script (deleted before hand-off).
import { readFileSync } from "node:fs";
import { buildCsr } from "../../lib/datasets/csr";
import { Rng } from "../../lib/util/rng";
import { getModelDefinition } from "../../lib/models/registry";
import { trainModel } from "../../lib/training/train-model";
import { evaluateRanking } from "../../lib/metrics/evaluate";

const lines = readFileSync("/work/shared/data/ml-100k/u.data", "utf8").trim().split("\n");
const n = lines.length;
const U = new Int32Array(n), I = new Int32Array(n), R = new Float32Array(n);
const um = new Map<string, number>(), im = new Map<string, number>();
lines.forEach((l, t) => { const [u, i, r] = l.split("\t"); U[t] = um.get(u) ?? (um.set(u, um.size), um.size - 1); I[t] = im.get(i) ?? (im.set(i, im.size), im.size - 1); R[t] = +r; });
const nu = um.size, ni = im.size;
const rng = new Rng(42);
const byUser = buildCsr(nu, ni, U, Int32Array.from({ length: n }, (_, t) => t));
const part = new Int8Array(n);
for (let u = 0; u < nu; u++) {
  const rows = byUser.indices.slice(byUser.indptr[u], byUser.indptr[u + 1]); rng.shuffle(rows);
  const m = rows.length, ntr = Math.round(m * 0.8), nva = Math.round(m * 0.1);
  rows.forEach((row, k) => (part[row] = k < ntr ? 0 : k < ntr + nva ? 1 : 2));
}
const pick = (p: number, explicit: boolean) => {
  const idx = [...Array(n).keys()].filter((t) => part[t] === p);
  const u = Int32Array.from(idx, (t) => U[t]), i = Int32Array.from(idx, (t) => I[t]);
  const r = Float32Array.from(idx, (t) => (explicit ? R[t] : 1));
  return { table: { users: u, items: i, ratings: r, timestamps: new Float64Array(idx.length) }, csr: buildCsr(nu, ni, u, i, r) };
};
const [id, json] = [process.argv[2], process.argv[3] ?? "{}"];
const def = getModelDefinition(id);
const explicit = def.feedback === "explicit";
const tr = pick(0, explicit), va = pick(1, explicit), te = pick(2, explicit);
const params = def.paramsSchema.parse(JSON.parse(json));
const evalEvery = Number(process.argv[4] ?? 1);
const res = await trainModel({
  definition: def, params, seed: 42, evalEvery, patience: Number(process.argv[5] ?? 5),
  data: { numUsers: nu, numItems: ni, feedback: explicit ? "explicit" : "implicit", train: tr.csr, trainTable: tr.table },
  validation: { truth: va.csr, exclude: [tr.csr] },
  onEpoch: (p) => { if (p.metrics["ndcg@10"] !== undefined) console.log(p.epoch, p.loss?.toFixed(4), p.metrics["ndcg@10"].toFixed(4), p.metrics.rmse?.toFixed(4) ?? "", p.elapsedSeconds.toFixed(2)); },
});
const ev = evaluateRanking((u, o) => res.model.score(u, o), { numItems: ni, truth: te.csr, exclude: [tr.csr, va.csr], ks: [10] });
const toBest = res.history.find((h) => h.epoch === res.bestEpoch)!.elapsedSeconds;
console.log(id, json, "bestVal", res.history.find((h) => h.epoch === res.bestEpoch)!.metrics["ndcg@10"]?.toFixed(4), "best", res.bestEpoch, "run", res.epochsRun, "fit", res.fitSeconds.toFixed(2), "toBest", toBest.toFixed(2), "eval", ev.seconds.toFixed(3), "test ndcg@10", ev.summary["ndcg@10"].toFixed(4), "hit", ev.summary["hit@10"].toFixed(4));
