import { describe, expect, it } from "vitest";
import { solveImplicitRows } from "@/lib/models/als";
import { easeDefinition } from "@/lib/models/ease";
import { addGram, primalWeights } from "@/lib/models/ease/solvers";
import { allocMatrix, invertSpdInPlace, WASM_MIN_ORDER } from "@/lib/models/linalg/cholesky";
import { LinalgInterrupted } from "@/lib/models/linalg/interrupt";
import { buildCsr } from "@/lib/datasets/csr";
import { Rng } from "@/lib/util/rng";
import { allUsers, tinyTrainingData } from "../fixtures";

/** Dense Gauss-Jordan inverse: the textbook reference EASE's closed form is checked against. */
function denseInverse(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a), inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    const p = m[c * n + c];
    for (let k = 0; k < n; k++) {
      m[c * n + k] /= p;
      inv[c * n + k] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let k = 0; k < n; k++) {
        m[r * n + k] -= f * m[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return inv;
}

describe("EASE", () => {
  it.each(["primal", "dual"] as const)("matches B = I − P·diag(1/diag P) from a dense inverse (%s solver)", async (solver) => {
    // 12 users × 9 items (dual is used by auto here too); the ridge keeps it well conditioned.
    const data = tinyTrainingData("implicit");
    const { numUsers: nu, numItems: ni, train } = data;
    const lambda = 2;
    const g = new Float64Array(ni * ni);
    for (let u = 0; u < nu; u++) {
      for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) {
        for (let q = train.indptr[u]; q < train.indptr[u + 1]; q++) g[train.indices[p] * ni + train.indices[q]] += 1;
      }
    }
    for (let i = 0; i < ni; i++) g[i * ni + i] += lambda;
    const inv = denseInverse(g, ni);
    const b = new Float64Array(ni * ni);
    for (let i = 0; i < ni; i++) for (let j = 0; j < ni; j++) b[i * ni + j] = i === j ? 0 : -inv[i * ni + j] / inv[j * ni + j];

    const model = easeDefinition.create(easeDefinition.paramsSchema.parse({ lambda, solver, lambdaSearch: "off" }), nu, ni);
    await model.fit(data, { seed: 1 });
    const out = new Float32Array(nu * ni);
    model.score(allUsers(nu), out);
    for (let u = 0; u < nu; u++) {
      for (let j = 0; j < ni; j++) {
        let expected = 0;
        for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) expected += b[train.indices[p] * ni + j];
        expect(out[u * ni + j]).toBeCloseTo(expected, 5);
      }
    }
  });
});

describe("EASE primal fit on the WebAssembly path", () => {
  // 600 users × 240 items, ~20 non-integer values each: G is above WASM_MIN_ORDER, so primalWeights
  // allocates it in a WebAssembly workspace and inverts it with the SIMD kernels.
  const numUsers = 600, n = 240, lambda = 30;
  const rng = new Rng(17);
  const rows: number[] = [], cols: number[] = [], vals: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    const taken = new Set<number>();
    while (taken.size < 20) taken.add(Math.min(n - 1, Math.floor(n * rng.next() ** 2)));
    for (const i of taken) rows.push(u), cols.push(i), vals.push(1 + rng.int(5) / 4);
  }
  const x = buildCsr(numUsers, n, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals));

  /** B through the plain-array (JavaScript kernel) path, as EASE computed it before the WebAssembly one. */
  async function javascriptWeights(): Promise<Float64Array> {
    const g = allocMatrix(n, "float64", false, { wasm: false });
    addGram(x, g, n);
    for (let i = 0; i < n; i++) g[i * n + i] += lambda;
    await invertSpdInPlace(g, n);
    const b = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -g[i * n + j] / g[j * n + j];
    return b;
  }

  it.each([
    ["WebAssembly / native", true],
    ["JavaScript", false],
  ] as const)("stops at the blocked step whose check says so (%s path), the matrix left part-way", async (_label, wasm) => {
    const gram = () => {
      const g = allocMatrix(n, "float64", false, { wasm });
      addGram(x, g, n);
      for (let i = 0; i < n; i++) g[i * n + i] += lambda;
      return g;
    };
    let checks = 0;
    await expect(invertSpdInPlace(gram(), n, { blockSize: 32, interrupted: async () => ++checks >= 5 })).rejects.toBeInstanceOf(LinalgInterrupted);
    expect(checks).toBe(5);
    // Uninterrupted, every step looks (blocks of 32 over 240: 7 factor steps of two parts, the
    // panel and the trailing update; 7 triangular-inverse steps; 8 Gram steps).
    let all = 0;
    await invertSpdInPlace(gram(), n, { blockSize: 32, interrupted: async () => (all++, false) });
    expect(all).toBe(29);
  });

  it("EASE fitted with a cancel check that says stop has nothing fitted", async () => {
    const model = easeDefinition.create(easeDefinition.paramsSchema.parse({ lambdaSearch: "off" }), numUsers, n);
    const data = { numUsers, numItems: n, feedback: "implicit" as const, train: x, trainTable: { users: new Int32Array(0), items: new Int32Array(0), ratings: new Float32Array(0), timestamps: new Float64Array(0) } };
    await model.fit(data, { seed: 1, interrupted: async () => true });
    expect(() => model.score(Int32Array.of(0), new Float32Array(n))).toThrow(/not fitted|fit/i);
    await model.fit(data, { seed: 1, interrupted: async () => false });
    const out = new Float32Array(n);
    model.score(Int32Array.of(0), out);
    expect(out.some((v) => v !== 0)).toBe(true);
  });

  it("sums XᵀX item-major exactly as the user-major scatter did", () => {
    const userMajor = new Float64Array(n * n);
    for (let u = 0; u < numUsers; u++) {
      for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
        for (let q = x.indptr[u]; q < x.indptr[u + 1]; q++) userMajor[x.indices[p] * n + x.indices[q]] += x.values[p] * x.values[q];
      }
    }
    const itemMajor = new Float64Array(n * n);
    addGram(x, itemMajor, n);
    expect(itemMajor).toEqual(userMajor);
  });

  it.each([
    ["float64", 1e-6],
    ["float32", 1e-4],
  ] as const)("gives the JavaScript path's B (%s storage), bit-identical for 1 and 2 threads", async (precision, tolerance) => {
    expect(n).toBeGreaterThanOrEqual(WASM_MIN_ORDER);
    const reference = await javascriptWeights();
    const one = await primalWeights(x, lambda, precision, { threads: 1 });
    const two = await primalWeights(x, lambda, precision, { threads: 2 });
    expect(Buffer.from(two.buffer, two.byteOffset, two.byteLength).equals(Buffer.from(one.buffer, one.byteOffset, one.byteLength))).toBe(true);
    let worst = 0, scale = 0;
    for (let e = 0; e < n * n; e++) {
      worst = Math.max(worst, Math.abs(one[e] - reference[e]));
      scale = Math.max(scale, Math.abs(reference[e]));
    }
    expect(scale).toBeGreaterThan(0);
    expect(worst / scale).toBeLessThan(tolerance);
  });
});

describe("ALS conjugate-gradient row solve", () => {
  it("with as many CG steps as factors, matches the exact ridge solve of one row", () => {
    const f = 6, numItems = 30, alpha = 3, reg = 0.7;
    const rng = new Rng(5);
    const items = Float32Array.from({ length: numItems * f }, () => rng.normal() * 0.5);
    const observed = Int32Array.from([2, 5, 11, 17, 29]);
    const rows = buildCsr(1, numItems, new Int32Array(observed.length), observed, Float32Array.from([1, 1, 2, 1, 1]));
    // Exact: (YᵀY + λI + Σ α r y yᵀ) x = Σ (1 + α r) y.
    const a = new Float64Array(f * f), b = new Float64Array(f);
    for (let j = 0; j < numItems; j++) for (let s = 0; s < f; s++) for (let t = 0; t < f; t++) a[s * f + t] += items[j * f + s] * items[j * f + t];
    for (let s = 0; s < f; s++) a[s * f + s] += reg;
    observed.forEach((j, q) => {
      const w = alpha * rows.values[q];
      for (let s = 0; s < f; s++) {
        b[s] += (1 + w) * items[j * f + s];
        for (let t = 0; t < f; t++) a[s * f + t] += w * items[j * f + s] * items[j * f + t];
      }
    });
    const inv = denseInverse(a, f);
    const exact = Array.from({ length: f }, (_, s) => inv.slice(s * f, (s + 1) * f).reduce((acc, v, t) => acc + v * b[t], 0));

    const x = Float32Array.from({ length: f }, () => rng.normal() * 0.01); // warm start anywhere
    solveImplicitRows(x, items, rows, { dim: f, regularization: reg, alpha, cgSteps: f });
    for (let s = 0; s < f; s++) expect(x[s]).toBeCloseTo(exact[s], 4);

    // Three warm-started steps per sweep converge to it over sweeps.
    const y = new Float32Array(f);
    for (let sweep = 0; sweep < 4; sweep++) solveImplicitRows(y, items, rows, { dim: f, regularization: reg, alpha, cgSteps: 3 });
    for (let s = 0; s < f; s++) expect(y[s]).toBeCloseTo(exact[s], 3);
  });
});
