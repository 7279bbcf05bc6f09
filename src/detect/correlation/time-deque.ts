// Items kept in event-time order, oldest first. Events mostly arrive in order, so an insert is a push
// and expiry pops from the front; a slightly late event is placed by walking back from the newest.
// The front is a moving index (compacted now and then) so popping is O(1) without Array.shift.

export interface Timed {
  /** Event time, ms. */
  t: number;
  /** Arrival number: orders events with the same time as they arrived. */
  s: number;
}

export class TimeDeque<T extends Timed> {
  private items: T[] = [];
  private head = 0;

  constructor(items: readonly T[] = []) {
    for (const x of items) this.insert(x);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  first(): T | undefined {
    return this.items[this.head];
  }

  last(): T | undefined {
    return this.size > 0 ? this.items[this.items.length - 1] : undefined;
  }

  insert(x: T): void {
    let i = this.items.length;
    while (i > this.head && before(x, this.items[i - 1]!)) i--;
    if (i === this.items.length) this.items.push(x);
    else this.items.splice(i, 0, x);
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const x = this.items[this.head]!;
    this.head++;
    this.compact();
    return x;
  }

  /** Drops every item older than cutoff, calling onDrop for each. */
  pruneBefore(cutoff: number, onDrop?: (x: T) => void): void {
    while (this.size > 0 && this.items[this.head]!.t < cutoff) {
      const x = this.items[this.head]!;
      this.head++;
      onDrop?.(x);
    }
    this.compact();
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }

  /** Newest first. */
  *newest(): IterableIterator<T> {
    for (let i = this.items.length - 1; i >= this.head; i--) yield this.items[i]!;
  }

  toArray(): T[] {
    return this.items.slice(this.head);
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.t < b.t || (a.t === b.t && a.s < b.s);
}
