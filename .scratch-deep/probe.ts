import { createRequire } from "node:module";
import path from "node:path";
const require = createRequire(import.meta.url);
const tf = await import("@tensorflow/tfjs");
const wasm = await import("@tensorflow/tfjs-backend-wasm");
const dir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
console.log(dir, Object.keys(wasm).slice(0,20));
console.log("simd", await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"), "mt", await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
(wasm as any).setWasmPaths(dir + "/");
const t0 = performance.now();
const ok = await tf.setBackend("wasm");
await tf.ready();
console.log("ok", ok, tf.getBackend(), (performance.now()-t0).toFixed(0), "ms threads", (wasm as any).getThreadsCount());
const a = tf.randomNormal([512, 512]); const b = tf.randomNormal([512, 512]);
for (const [name, f] of [["plain", () => tf.matMul(a, b)], ["tA", () => tf.matMul(a, b, true, false)], ["tB", () => tf.matMul(a, b, false, true)]] as const) {
  f().dispose();
  const s = performance.now(); for (let i=0;i<10;i++) { const c = f(); c.dataSync(); c.dispose(); } console.log(name, ((performance.now()-s)/10).toFixed(2), "ms");
}
try { const e = tf.variable(tf.randomNormal([100, 8])); const g = tf.grad((x: any) => tf.gather(x, tf.tensor1d([1,2,3],"int32")).sum())(e); console.log(g.shape); } catch (err) { console.log("gather grad err", String(err).slice(0,200)); }
process.exit(0);
