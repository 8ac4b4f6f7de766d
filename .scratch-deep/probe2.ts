import { createRequire } from "node:module";
import path from "node:path";
const require = createRequire(import.meta.url);
const tf = await import("@tensorflow/tfjs");
const wasm = await import("@tensorflow/tfjs-backend-wasm");
const dir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
(wasm as any).setWasmPaths(dir + "/");
const t0 = performance.now();
try { const ok = await tf.setBackend("wasm"); await tf.ready(); console.log("ok", ok, tf.getBackend(), (performance.now()-t0).toFixed(0), "ms threads", (wasm as any).getThreadsCount()); } catch (e) { console.log("fail", String((e as any)?.message ?? e)); }
const a = tf.randomNormal([512, 512]); const b = tf.randomNormal([512, 512]);
const s = performance.now(); for (let i=0;i<10;i++) { const c = tf.matMul(a,b); c.dataSync(); c.dispose(); } console.log(((performance.now()-s)/10).toFixed(2), "ms");
process.exit(0);
