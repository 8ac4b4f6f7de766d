/**
 * Fixed-capacity selection of the K largest (index, value) pairs with a binary min-heap over
 * preallocated typed arrays: O(n log K), no allocation per push. Ties go to the lower index, so
 * the result does not depend on the order of the pushes.
 */
export class TopK {
  private readonly indices: Int32Array;
  private readonly values: Float32Array;
  private size = 0;

  constructor(readonly capacity: number) {
    this.indices = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  get length(): number {
    return this.size;
  }

  push(index: number, rawValue: number): void {
    if (this.capacity === 0) return;
    const value = Math.fround(rawValue); // compare values as the heap stores them
    if (this.size < this.capacity) {
      let at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!this.isWorse(index, value, this.indices[parent], this.values[parent])) break;
        this.indices[at] = this.indices[parent];
        this.values[at] = this.values[parent];
        at = parent;
      }
      this.indices[at] = index;
      this.values[at] = value;
    } else if (this.isWorse(this.indices[0], this.values[0], index, value)) {
      this.siftDownFromRoot(index, value);
    }
  }

  /**
   * Writes the kept pairs, largest value first, into `outIndices`/`outValues` from `offset`, and
   * empties the heap. Returns how many were written.
   */
  drainDescending(outIndices: Int32Array, outValues: Float32Array, offset: number): number {
    const n = this.size;
    for (let w = n - 1; w >= 0; w--) {
      outIndices[offset + w] = this.indices[0];
      outValues[offset + w] = this.values[0];
      const lastIndex = this.indices[this.size - 1];
      const lastValue = this.values[this.size - 1];
      this.size--;
      if (this.size > 0) this.siftDownFromRoot(lastIndex, lastValue);
    }
    return n;
  }

  /** Whether (aIndex, aValue) ranks below (bIndex, bValue): smaller value, or equal and higher index. */
  private isWorse(aIndex: number, aValue: number, bIndex: number, bValue: number): boolean {
    return aValue < bValue || (aValue === bValue && aIndex > bIndex);
  }

  private siftDownFromRoot(index: number, value: number): void {
    const n = this.size;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= n) break;
      const right = left + 1;
      const child =
        right < n && this.isWorse(this.indices[right], this.values[right], this.indices[left], this.values[left]) ? right : left;
      if (!this.isWorse(this.indices[child], this.values[child], index, value)) break;
      this.indices[at] = this.indices[child];
      this.values[at] = this.values[child];
      at = child;
    }
    this.indices[at] = index;
    this.values[at] = value;
  }
}
