/**
 * Keeps the first `n` items in `compare` order out of a stream of any length, in O(n) memory
 * (amortized O(log n) per item: the buffer is sorted and cut each time it doubles).
 */
export class BestOf<T> {
  readonly #n: number;
  readonly #compare: (a: T, b: T) => number;
  #items: T[] = [];

  constructor(n: number, compare: (a: T, b: T) => number) {
    this.#n = n;
    this.#compare = compare;
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length >= 2 * this.#n + 64) this.#cut();
  }

  /** The kept items, in order. */
  result(): T[] {
    this.#cut();
    return this.#items;
  }

  #cut(): void {
    this.#items.sort(this.#compare);
    if (this.#items.length > this.#n) this.#items.length = this.#n;
  }
}
