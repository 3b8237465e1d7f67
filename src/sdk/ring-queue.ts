/**
 * A bounded FIFO on a circular array: push and take are O(1) per item, with no shifting of the
 * remaining items. The array grows by doubling up to `capacity`, so a large maxQueueSize costs
 * memory only when it is used.
 */
export class RingQueue<T> {
  readonly capacity: number;
  #buf: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(capacity: number, initialSlots = 1024) {
    this.capacity = capacity;
    this.#buf = new Array<T | undefined>(Math.min(capacity, initialSlots));
  }

  get size(): number {
    return this.#size;
  }

  /** Adds at the tail; false when the queue holds `capacity` items. */
  push(item: T): boolean {
    if (this.#size >= this.capacity) return false;
    if (this.#size === this.#buf.length) this.#grow();
    this.#buf[(this.#head + this.#size) % this.#buf.length] = item;
    this.#size++;
    return true;
  }

  /** Removes and returns up to `max` items from the head, oldest first. */
  take(max: number): T[] {
    const n = Math.min(max, this.#size);
    const out = new Array<T>(n);
    const buf = this.#buf;
    for (let i = 0; i < n; i++) {
      out[i] = buf[this.#head] as T;
      buf[this.#head] = undefined;
      this.#head = (this.#head + 1) % buf.length;
    }
    this.#size -= n;
    return out;
  }

  #grow(): void {
    const old = this.#buf;
    const next = new Array<T | undefined>(Math.min(this.capacity, Math.max(1, old.length * 2)));
    for (let i = 0; i < this.#size; i++) next[i] = old[(this.#head + i) % old.length];
    this.#buf = next;
    this.#head = 0;
  }
}
