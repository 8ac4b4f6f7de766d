import { expect, it } from "vitest";

// fused-ops.test.ts again with tf.matMul on XNNPACK (RECLAB_TF_MATMUL=wasm, set before anything
// loads the backend; this file has its own module registry): where the native matMul is built,
// causal attention and the full-softmax loss take transpose flags, and this keeps their
// materialised-transpose path tested too.
process.env.RECLAB_TF_MATMUL = "wasm";
await import("./fused-ops.test");
const { nativeMatMulActive } = await import("@/lib/training/native-matmul");

it("runs with the backend's own matMul", () => {
  expect(nativeMatMulActive()).toBe(false);
});
