"""numpy's side of scripts/bench-linalg.ts: EASE's closed form exactly as refs/ref_ranking.py
writes it (G = (X.T @ X).toarray() as float64, G += lam I, P = inv(G), B = -P / diag(P), zero
diagonal), on the interaction matrix the TypeScript side wrote, so both invert the same Gram
matrix. Prints one JSON line with the timings and writes sampled rows of B for the accuracy check.

With meta "inverse": "scipy-inplace" the inverse is scipy.linalg.inv(G, overwrite_a=True) — the
same formula and LAPACK family (getrf + getri) holding one n x n matrix instead of np.linalg.inv's
four, for sizes where those four do not fit in RAM (27,000 items in float32 was OOM-killed at 24 GB).

usage: python3 bench-linalg-numpy.py DIR   (DIR/meta.json, indptr.i32, indices.i32)
"""
import json, os, sys, time
import numpy as np
import scipy.sparse as sp

d = sys.argv[1]
meta = json.load(open(os.path.join(d, "meta.json")))
nu, ni, lam = meta["users"], meta["items"], meta["lambda"]
dtype = np.float64 if meta.get("numpyDtype", "float64") == "float64" else np.float32
indptr = np.fromfile(os.path.join(d, "indptr.i32"), dtype=np.int32)
indices = np.fromfile(os.path.join(d, "indices.i32"), dtype=np.int32)
X = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(nu, ni))

inplace = meta.get("inverse", "numpy") == "scipy-inplace"
t0 = time.time()
S = X.T @ X; del X
G = S.toarray().astype(dtype, copy=False); del S
G[np.diag_indices(ni)] += lam
t1 = time.time()
if inplace:
    import scipy.linalg
    P = scipy.linalg.inv(G, overwrite_a=True, check_finite=False)
else:
    P = np.linalg.inv(G)
t2 = time.time()
del G
# B = -P / diag(P) with a zero diagonal, computed in place to hold two n x n matrices at most.
dg = np.diag(P).copy(); P /= -dg; np.fill_diagonal(P, 0); B = P
t3 = time.time()
rows = np.array(meta["sampleRows"], dtype=np.int64)
B[rows].astype(np.float64).tofile(os.path.join(d, "numpy-rows.f64"))
cfg = np.show_config(mode="dicts") if "mode" in np.show_config.__code__.co_varnames else {}
blas = cfg.get("Build Dependencies", {}).get("blas", {}) if isinstance(cfg, dict) else {}
print(json.dumps({
    "gram_s": t1 - t0, "inv_s": t2 - t1, "b_s": t3 - t2, "solve_s": t3 - t1, "fit_s": t3 - t0,
    "numpy": np.__version__, "blas": f"{blas.get('name', '?')} {blas.get('version', '')}".strip(),
    "dtype": np.dtype(dtype).name, "inverse": "scipy.linalg.inv(overwrite_a)" if inplace else "np.linalg.inv",
}))
