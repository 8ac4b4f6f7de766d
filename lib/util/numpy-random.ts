/**
 * The uniform doubles NumPy's `np.random.default_rng(seed).random(n)` returns, bit for bit:
 * SeedSequence entropy mixing (numpy/random/bit_generator.pyx) seeds a PCG64 generator
 * (XSL-RR output, 128-bit LCG; numpy/random/src/pcg64), and each double is the top 53 bits of
 * one 64-bit output. Used to reproduce splits made in Python with that recipe row for row.
 * BigInt arithmetic: about 1 µs per number, fine for the ~10⁵–10⁶ keys of a split.
 */

const MASK32 = 0xffffffffn;
const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;
const INIT_A = 0x43b0d7e5n, MULT_A = 0x931e8875n, INIT_B = 0x8b51f9ddn, MULT_B = 0x58f38dedn;
const MIX_MULT_L = 0xca01f9ddn, MIX_MULT_R = 0x4973f715n;
const POOL_SIZE = 4;
const PCG_MULTIPLIER = 0x2360ed051fc65da44385df649fccf645n;

/** SeedSequence(seed).generate_state(words, uint32) for a non-negative integer seed. */
export function seedSequenceState(seed: number, words: number): bigint[] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`NumPy seeds are non-negative integers, got ${seed}`);
  // The seed as little-endian 32-bit words (at least one).
  const entropy: bigint[] = [];
  let rest = BigInt(seed);
  do {
    entropy.push(rest & MASK32);
    rest >>= 32n;
  } while (rest > 0n);

  let hashConst = INIT_A;
  const hashmix = (value: bigint): bigint => {
    value ^= hashConst;
    hashConst = (hashConst * MULT_A) & MASK32;
    value = (value * hashConst) & MASK32;
    return value ^ (value >> 16n);
  };
  const mix = (x: bigint, y: bigint): bigint => {
    const r = (MIX_MULT_L * x - MIX_MULT_R * y) & MASK32;
    return r ^ (r >> 16n);
  };
  const pool = Array.from({ length: POOL_SIZE }, (_, i) => hashmix(i < entropy.length ? entropy[i] : 0n));
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }

  let constB = INIT_B;
  return Array.from({ length: words }, (_, i) => {
    let value = pool[i % POOL_SIZE] ^ constB;
    constB = (constB * MULT_B) & MASK32;
    value = (value * constB) & MASK32;
    return value ^ (value >> 16n);
  });
}

/** `np.random.default_rng(seed).random(n)`. */
export function numpyUniforms(seed: number, n: number): Float64Array {
  const w = seedSequenceState(seed, 8); // generate_state(4, uint64): pairs of uint32, little-endian
  const u64 = (k: number) => w[2 * k] | (w[2 * k + 1] << 32n);
  const initState = (u64(0) << 64n) | u64(1);
  const initSeq = (u64(2) << 64n) | u64(3);
  const inc = ((initSeq << 1n) | 1n) & MASK128;
  let state = 0n;
  state = (state * PCG_MULTIPLIER + inc) & MASK128;
  state = (state + initState) & MASK128;
  state = (state * PCG_MULTIPLIER + inc) & MASK128;

  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    state = (state * PCG_MULTIPLIER + inc) & MASK128;
    const xored = ((state >> 64n) ^ state) & MASK64;
    const rot = state >> 122n;
    const output = ((xored >> rot) | (xored << ((64n - rot) & 63n))) & MASK64;
    out[i] = Number(output >> 11n) / 9007199254740992;
  }
  return out;
}
