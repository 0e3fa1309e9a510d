import type { ResolvedEmulatorOptions } from "./resolve-options";
import { Random } from "./random";

/** What the fault injector decided for one request. */
export type FaultDecision =
  | { readonly kind: "none" }
  | { readonly kind: "throttle"; readonly retryAfterSeconds: number }
  | { readonly kind: "transient"; readonly status: 500 | 503 }
  | { readonly kind: "drop"; readonly when: "before" | "after" };

/** A token bucket that refills `rate` tokens a second, holding at most one second's worth. */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly clock: () => number,
  ) {
    this.tokens = rate;
    this.last = clock();
  }

  /** Takes a token, or says how many seconds until one is there. */
  take(): number {
    const now = this.clock();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.rate;
  }
}

/** Seeded latency, throttling, transient errors and dropped connections. */
export class FaultInjector {
  private readonly random: Random;
  private readonly readBucket: TokenBucket | undefined;
  private readonly writeBucket: TokenBucket | undefined;

  constructor(
    private readonly faults: ResolvedEmulatorOptions["faults"],
    clock: () => number = () => performance.now(),
  ) {
    this.random = new Random(faults.seed);
    this.readBucket =
      faults.readRateLimit === undefined ? undefined : new TokenBucket(faults.readRateLimit, clock);
    this.writeBucket =
      faults.writeRateLimit === undefined
        ? undefined
        : new TokenBucket(faults.writeRateLimit, clock);
  }

  latencyMs(): number {
    const l = this.faults.latencyMs;
    return typeof l === "number" ? l : this.random.between(l[0], l[1]);
  }

  /** Decides the fate of one request; rate limits apply to SCIM calls only. */
  decide(kind: "read" | "write" | "token"): FaultDecision {
    const bucket =
      kind === "read" ? this.readBucket : kind === "write" ? this.writeBucket : undefined;
    if (bucket) {
      const wait = bucket.take();
      // Retry-After carries whole seconds (RFC 9110 §10.2.3).
      if (wait > 0) return { kind: "throttle", retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
    }
    if (this.faults.dropConnectionRate > 0 && this.random.next() < this.faults.dropConnectionRate)
      return { kind: "drop", when: this.random.next() < 0.5 ? "before" : "after" };
    if (this.faults.transientErrorRate > 0 && this.random.next() < this.faults.transientErrorRate)
      return { kind: "transient", status: this.random.next() < 0.5 ? 500 : 503 };
    return { kind: "none" };
  }
}
