// TEMPORARY dev micro-benchmark (deleted before hand-off).
import { scoreAllItems } from "../../lib/models/shared/factors";
const nu = 943, ni = 1682, dim = 64;
const p = Float32Array.from({ length: nu * dim }, () => Math.random());
const q = Float32Array.from({ length: ni * dim }, () => Math.random());
const bias = new Float32Array(ni);
const out = new Float32Array(256 * ni);
function blocked(users: Int32Array, out: Float32Array) {
  const tail4 = users.length - (users.length % 4);
  let r = 0;
  for (; r < tail4; r += 4) {
    const a = users[r] * dim, b = users[r + 1] * dim, c = users[r + 2] * dim, d = users[r + 3] * dim;
    for (let i = 0; i < ni; i++) {
      const qi = i * dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let f = 0; f < dim; f++) {
        const x = q[qi + f];
        s0 += p[a + f] * x; s1 += p[b + f] * x; s2 += p[c + f] * x; s3 += p[d + f] * x;
      }
      const bi = bias[i];
      out[r * ni + i] = s0 + bi; out[(r + 1) * ni + i] = s1 + bi; out[(r + 2) * ni + i] = s2 + bi; out[(r + 3) * ni + i] = s3 + bi;
    }
  }
}
function b42(users: Int32Array, out: Float32Array) {
  const tail4 = users.length - (users.length % 4);
  for (let r = 0; r < tail4; r += 4) {
    const a = users[r] * dim, b = users[r + 1] * dim, c = users[r + 2] * dim, d = users[r + 3] * dim;
    for (let i = 0; i < ni; i += 2) {
      const qi = i * dim, qj = qi + dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let f = 0; f < dim; f++) {
        const x = q[qi + f], y = q[qj + f];
        const pa = p[a + f], pb = p[b + f], pc = p[c + f], pd = p[d + f];
        s0 += pa * x; s1 += pb * x; s2 += pc * x; s3 += pd * x;
        t0 += pa * y; t1 += pb * y; t2 += pc * y; t3 += pd * y;
      }
      out[r * ni + i] = s0; out[(r + 1) * ni + i] = s1; out[(r + 2) * ni + i] = s2; out[(r + 3) * ni + i] = s3;
      out[r * ni + i + 1] = t0; out[(r + 1) * ni + i + 1] = t1; out[(r + 2) * ni + i + 1] = t2; out[(r + 3) * ni + i + 1] = t3;
    }
  }
}
for (const [name, fn] of [["b42", b42], ["lib", (u: Int32Array, o: Float32Array) => scoreAllItems({ dim, numItems: ni, userFactors: p, itemFactors: q, itemBias: bias }, u, o)], ["blocked4", blocked]] as const) {
  for (let rep = 0; rep < 3; rep++) {
    const t = performance.now();
    for (let s = 0; s < nu; s += 256) { const u = Int32Array.from({ length: Math.min(256, nu - s) }, (_, k) => s + k); fn(u, out); }
    console.log(name, (performance.now() - t).toFixed(1), "ms");
  }
}
