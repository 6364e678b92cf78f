// Bounded samples of a stream a round scans: a uniform reservoir, and the best by a score.
import type { Rng } from '@curio/random';

/** A uniform sample of at most `size` items (reservoir sampling: every item equally likely). */
export class Reservoir<T> {
  readonly items: T[] = [];
  private seen = 0;

  constructor(
    private readonly size: number,
    private readonly rng: Rng,
  ) {}

  offer(item: T): void {
    this.seen++;
    if (this.items.length < this.size) this.items.push(item);
    else if (this.size > 0) {
      const j = this.rng.int(this.seen);
      if (j < this.size) this.items[j] = item;
    }
  }
}

/** The `size` items with the highest scores (ties: the earlier item), best first. */
export class Best<T> {
  private entries: { item: T; score: number; order: number }[] = [];
  private count = 0;

  constructor(private readonly size: number) {}

  offer(item: T, score: number): void {
    if (this.size <= 0) return;
    this.entries.push({ item, score, order: this.count++ });
    if (this.entries.length >= 2 * this.size) this.trim();
  }

  get items(): T[] {
    this.trim();
    return this.entries.map((e) => e.item);
  }

  private trim(): void {
    this.entries.sort((a, b) => b.score - a.score || a.order - b.order);
    this.entries.length = Math.min(this.entries.length, this.size);
  }
}
