import type { ModelState } from "../models/types";
import type { HistoryEntry } from "./train-model";

/**
 * A training checkpoint: everything needed to resume a run after a lost worker at the epoch
 * after `epoch` and end with the same result as an uninterrupted run — the model's state
 * (optimizer moments included for tfjs models, under "optimizer/" arrays), and the trainer's
 * early-stopping bookkeeping and best-epoch snapshot.
 */
export interface Checkpoint {
  /** The last completed epoch (1-based). */
  epoch: number;
  /** The model's `save()` after that epoch. */
  model: ModelState;
  trainer: {
    best: number | null;
    bestEpoch: number;
    evaluationsSinceBest: number;
    /** The best epoch's state when it differs from `model` (restoreBest); optimizer arrays dropped. */
    bestState: ModelState | null;
    history: HistoryEntry[];
    elapsedSeconds: number;
    /** Training had already ended (early stop) at this epoch: resume goes straight to the end. */
    finished: boolean;
    /** Threads the fit ran on; the resumed fit uses the same count (absent in older checkpoints). */
    threads?: number;
  };
}

/** Where the trainer reads and writes checkpoints (the worker backs it with run artefacts). */
export interface CheckpointHook {
  /** The latest checkpoint of this run, or null to start at epoch 1. */
  load(): Promise<Checkpoint | null>;
  save(checkpoint: Checkpoint): Promise<void>;
}

/** Artefact kind under which the worker stores a run's latest checkpoint. */
export const CHECKPOINT_ARTIFACT = "checkpoint";

const MAGIC = 0x52434b31; // "RCK1"

interface ArrayMeta {
  state: "model" | "best";
  name: string;
  dtype: "float32" | "int32";
  offset: number;
  length: number;
}

/**
 * Binary form: u32 magic, u32 header length, UTF-8 JSON header, then the typed arrays, each
 * 4-byte aligned. JSON keeps the small parts readable; arrays stay raw.
 */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const arrays: ArrayMeta[] = [];
  const payload: (Float32Array | Int32Array)[] = [];
  let offset = 0;
  const collect = (which: "model" | "best", state: ModelState | null) => {
    if (!state) return;
    for (const [name, a] of Object.entries(state.arrays)) {
      arrays.push({ state: which, name, dtype: a instanceof Int32Array ? "int32" : "float32", offset, length: a.length });
      payload.push(a);
      offset += a.length * 4;
    }
  };
  collect("model", c.model);
  collect("best", c.trainer.bestState);
  const header = {
    epoch: c.epoch,
    modelJson: c.model.json,
    bestJson: c.trainer.bestState?.json ?? null,
    trainer: { ...c.trainer, bestState: undefined },
    arrays,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const headerPadded = Math.ceil(headerBytes.length / 4) * 4;
  const out = new Uint8Array(8 + headerPadded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  const base = 8 + headerPadded;
  arrays.forEach((meta, i) => out.set(new Uint8Array(payload[i].buffer, payload[i].byteOffset, payload[i].byteLength), base + meta.offset));
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const copy = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
  if (copy.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error("not a RecLab checkpoint");
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(copy.subarray(8, 8 + headerLength))) as {
    epoch: number;
    modelJson: Record<string, unknown>;
    bestJson: Record<string, unknown> | null;
    trainer: Omit<Checkpoint["trainer"], "bestState">;
    arrays: ArrayMeta[];
  };
  const base = copy.byteOffset + 8 + Math.ceil(headerLength / 4) * 4;
  const model: ModelState = { json: header.modelJson, arrays: {} };
  const best: ModelState | null = header.bestJson ? { json: header.bestJson, arrays: {} } : null;
  for (const meta of header.arrays) {
    const start = base + meta.offset;
    // Copies, so the decoded state does not pin (or alias) the artefact's buffer.
    const array = meta.dtype === "int32" ? new Int32Array(copy.buffer, start, meta.length).slice() : new Float32Array(copy.buffer, start, meta.length).slice();
    const target = meta.state === "model" ? model : best;
    if (target) target.arrays[meta.name] = array;
  }
  return { epoch: header.epoch, model, trainer: { ...header.trainer, bestState: best } };
}
