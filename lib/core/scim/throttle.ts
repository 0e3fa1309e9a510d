import { setTimeout as sleep } from "node:timers/promises";

/**
 * Spaces calls evenly at `perSecond`: each caller reserves the next free slot and waits for it,
 * so a steady stream never exceeds the server's limit and never bursts into 429s.
 */
export class RateLimiter {
  private nextSlot = 0;
  private readonly interval: number;

  constructor(
    perSecond: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.interval = 1000 / perSecond;
  }

  async acquire(): Promise<void> {
    const now = this.clock();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.interval;
    if (slot > now) await sleep(slot - now);
  }

  /** Pushes every later slot back, after the server said to slow down (429 + Retry-After). */
  pause(ms: number): void {
    this.nextSlot = Math.max(this.nextSlot, this.clock() + ms);
  }
}

/** At most `limit` holders at once; the others queue in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
