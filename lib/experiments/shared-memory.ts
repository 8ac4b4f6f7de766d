type Typed = Float32Array | Float64Array | Int32Array | Uint8Array | Uint32Array | Int8Array | Int16Array | Uint16Array;

function isTyped(value: unknown): value is Typed {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** A copy of `a` backed by a SharedArrayBuffer (postMessage then shares it instead of copying). */
function shared<T extends Typed>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}

/**
 * `value` with every typed array inside plain objects and arrays moved into shared memory, so
 * several worker threads read one copy. Typed arrays seen twice stay one shared copy.
 */
export function toShared<T>(value: T, seen = new Map<Typed, Typed>()): T {
  if (isTyped(value)) {
    let copy = seen.get(value);
    if (!copy) seen.set(value, (copy = shared(value)));
    return copy as T;
  }
  if (Array.isArray(value)) return value.map((v) => toShared(v, seen)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toShared(v, seen);
    return out as T;
  }
  return value;
}
