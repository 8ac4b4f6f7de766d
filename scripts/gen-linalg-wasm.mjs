// Generates lib/models/linalg/wasm-bytes.ts: the WebAssembly SIMD dot-product kernel (float32 and
// float64 variants) as embedded bytes, so the app needs no WebAssembly toolchain at run time.
// Re-run after editing the template below: `npm run gen:linalg-wasm` (wabt 1.0.39 is a devDependency:
// only this generator uses it, nothing at test or run time). WABT_MODULE points at another install.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

/**
 * gemm_nt_<T>(c, ldc, a, lda, b, ldb, rows, cols, k, mode, lower): for r < rows, q < cols,
 *   d = Σ_{t<k} A[r][t]·B[q][t]   (A row r at a + r·lda, B row q at b + q·ldb; byte pointers,
 *   element strides), written as mode 0: C += d, 1: C −= d, 2: C = −d, 3: C = d, where
 *   C[r][q] is at c + r·ldc; when lower ≥ 0 only entries with q ≤ r + lower are touched.
 * Tiles of 2 rows × 4 columns, 8 SIMD accumulators over t; lanes are summed ((l0+l1)+(l2+l3))
 * and a scalar tail adds t ≥ k rounded down to the vector width, so each entry's rounding is a
 * fixed function of its own operands and k (not of the tile or the caller's row split).
 * Rows/columns past the edge of a partial tile repeat the last valid one (never read out of
 * bounds) and are not written.
 */
function kernel(T) {
  const S = T === "f32" ? 4 : 8; // element bytes
  const W = 16 / S; // lanes
  const V = `${T}x${W}`;
  const shift = T === "f32" ? 2 : 3;
  const lanes = (v) => {
    const l = Array.from({ length: W }, (_, i) => `(${V}.extract_lane ${i} (local.get ${v}))`);
    return W === 4 ? `(${T}.add (${T}.add ${l[0]} ${l[1]}) (${T}.add ${l[2]} ${l[3]}))` : `(${T}.add ${l[0]} ${l[1]})`;
  };
  const accs = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) accs.push([i, j]);
  const body = [];
  for (const [i, j] of accs) {
    body.push(`(local.set $v${i}${j} (${V}.add (local.get $v${i}${j}) (${V}.mul (local.get $x${i}) (local.get $y${j}))))`);
  }
  const tail = accs.map(
    ([i, j]) =>
      `(local.set $s${i}${j} (${T}.add (local.get $s${i}${j}) (${T}.mul (${T}.load (i32.add (local.get $pa${i}) (local.get $o))) (${T}.load (i32.add (local.get $pb${j}) (local.get $o))))))`,
  );
  const stores = accs.map(([i, j]) => {
    const addr = `(i32.add (local.get $c) (i32.shl (i32.add (i32.mul (i32.add (local.get $r) (i32.const ${i})) (local.get $ldc)) (i32.add (local.get $q) (i32.const ${j}))) (i32.const ${shift})))`;
    const cond = `(i32.and (i32.and (i32.lt_u (i32.add (local.get $r) (i32.const ${i})) (local.get $rows)) (i32.lt_u (i32.add (local.get $q) (i32.const ${j})) (local.get $cols))) (i32.or (i32.lt_s (local.get $lower) (i32.const 0)) (i32.le_s (i32.add (local.get $q) (i32.const ${j})) (i32.add (i32.add (local.get $r) (i32.const ${i})) (local.get $lower)))))`;
    const d = `(local.get $s${i}${j})`;
    return `(if ${cond} (then (local.set $addr ${addr})
      (if (i32.eq (local.get $mode) (i32.const 0)) (then (${T}.store (local.get $addr) (${T}.add (${T}.load (local.get $addr)) ${d}))))
      (if (i32.eq (local.get $mode) (i32.const 1)) (then (${T}.store (local.get $addr) (${T}.sub (${T}.load (local.get $addr)) ${d}))))
      (if (i32.eq (local.get $mode) (i32.const 2)) (then (${T}.store (local.get $addr) (${T}.neg ${d}))))
      (if (i32.eq (local.get $mode) (i32.const 3)) (then (${T}.store (local.get $addr) ${d})))))`;
  });
  const vdecl = accs.map(([i, j]) => `(local $v${i}${j} v128)`).join(" ");
  const sdecl = accs.map(([i, j]) => `(local $s${i}${j} ${T})`).join(" ");
  const clampRow = (dst, base, idx, limit, ld) =>
    `(local.set ${dst} (if (result i32) (i32.lt_u ${idx} ${limit}) (then (i32.add ${base} (i32.shl ${ld} (i32.const ${shift})))) (else ${base})))`;
  return `
  (func (export "gemm_nt_${T}") (param $c i32) (param $ldc i32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
        (param $rows i32) (param $cols i32) (param $k i32) (param $mode i32) (param $lower i32)
    (local $r i32) (local $q i32) (local $qEnd i32) (local $o i32) (local $kv i32) (local $kb i32) (local $addr i32)
    (local $pa0 i32) (local $pa1 i32) (local $pb0 i32) (local $pb1 i32) (local $pb2 i32) (local $pb3 i32)
    (local $x0 v128) (local $x1 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    ${vdecl} ${sdecl}
    (local.set $kv (i32.shl (i32.and (local.get $k) (i32.const ${-W})) (i32.const ${shift})))
    (local.set $kb (i32.shl (local.get $k) (i32.const ${shift})))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $pa0 (i32.add (local.get $a) (i32.shl (i32.mul (local.get $r) (local.get $lda)) (i32.const ${shift}))))
      ${clampRow("$pa1", "(local.get $pa0)", "(i32.add (local.get $r) (i32.const 1))", "(local.get $rows)", "(local.get $lda)")}
      (local.set $qEnd (local.get $cols))
      (if (i32.ge_s (local.get $lower) (i32.const 0)) (then
        (if (i32.lt_s (i32.add (i32.add (local.get $r) (local.get $lower)) (i32.const 2)) (local.get $qEnd))
          (then (local.set $qEnd (i32.add (i32.add (local.get $r) (local.get $lower)) (i32.const 2)))))))
      (local.set $q (i32.const 0))
      (block $qdone (loop $qloop
        (br_if $qdone (i32.ge_s (local.get $q) (local.get $qEnd)))
        (local.set $pb0 (i32.add (local.get $b) (i32.shl (i32.mul (local.get $q) (local.get $ldb)) (i32.const ${shift}))))
        ${clampRow("$pb1", "(local.get $pb0)", "(i32.add (local.get $q) (i32.const 1))", "(local.get $cols)", "(local.get $ldb)")}
        ${clampRow("$pb2", "(local.get $pb1)", "(i32.add (local.get $q) (i32.const 2))", "(local.get $cols)", "(local.get $ldb)")}
        ${clampRow("$pb3", "(local.get $pb2)", "(i32.add (local.get $q) (i32.const 3))", "(local.get $cols)", "(local.get $ldb)")}
        ${accs.map(([i, j]) => `(local.set $v${i}${j} (v128.const i64x2 0 0))`).join(" ")}
        (local.set $o (i32.const 0))
        (block $tdone (loop $tloop
          (br_if $tdone (i32.ge_u (local.get $o) (local.get $kv)))
          (local.set $x0 (v128.load (i32.add (local.get $pa0) (local.get $o))))
          (local.set $x1 (v128.load (i32.add (local.get $pa1) (local.get $o))))
          (local.set $y0 (v128.load (i32.add (local.get $pb0) (local.get $o))))
          (local.set $y1 (v128.load (i32.add (local.get $pb1) (local.get $o))))
          (local.set $y2 (v128.load (i32.add (local.get $pb2) (local.get $o))))
          (local.set $y3 (v128.load (i32.add (local.get $pb3) (local.get $o))))
          ${body.join("\n          ")}
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br $tloop)))
        ${accs.map(([i, j]) => `(local.set $s${i}${j} ${lanes(`$v${i}${j}`)})`).join("\n        ")}
        (block $udone (loop $uloop
          (br_if $udone (i32.ge_u (local.get $o) (local.get $kb)))
          ${tail.join("\n          ")}
          (local.set $o (i32.add (local.get $o) (i32.const ${S})))
          (br $uloop)))
        ${stores.join("\n        ")}
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $qloop)))
      (local.set $r (i32.add (local.get $r) (i32.const 2)))
      (br $rloop)))
  )`;
}

export function moduleText() {
  return `(module
  (import "env" "memory" (memory 1 65536 shared))
  ${kernel("f32")}
  ${kernel("f64")}
)`;
}

function loadWabt(specifier) {
  try {
    return createRequire(import.meta.url)(specifier);
  } catch {
    console.error(`gen-linalg-wasm: cannot load "${specifier}". Run `npm ci` (wabt@1.0.39 is a devDependency) or set WABT_MODULE to another install.`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wabtInit = loadWabt(process.env.WABT_MODULE ?? "wabt");
  const wabt = await wabtInit();
  const mod = wabt.parseWat("linalg.wat", moduleText(), { simd: true, threads: true });
  // (wabt.js validate() ignores the threads feature; WebAssembly.Module validates when loaded and in the unit test.)
  const { buffer } = mod.toBinary({});
  const out = fileURLToPath(new URL("../lib/models/linalg/wasm-bytes.ts", import.meta.url));
  const b64 = Buffer.from(buffer).toString("base64");
  writeFileSync(
    out,
    `// Generated by scripts/gen-linalg-wasm.mjs — do not edit; edit the template there and re-run it.\n` +
      `// WebAssembly SIMD kernels gemm_nt_f32 / gemm_nt_f64 (${buffer.length} bytes).\n` +
      `export const LINALG_WASM_BASE64 =\n  ${JSON.stringify(b64)};\n`,
  );
  console.log(`wrote ${out} (${buffer.length} bytes)`);
}
