/** Counts of requests the emulator answered, for tests and benchmarks. */
export interface EmulatorCounters {
  /** Every request, admin routes excepted. */
  total: number;
  /** By method and route template, e.g. `GET /Users`, `PUT /Users/{id}`, `POST /v1/token`. */
  byRoute: Record<string, number>;
  /** By HTTP status answered ("dropped" for a dropped connection). */
  byStatus: Record<string, number>;
  /** Requests answered 429 by the rate limits. */
  throttled: number;
  /** Requests answered 500/503 by fault injection. */
  injectedErrors: number;
  /** Connections dropped by fault injection. */
  dropped: number;
}

export function emptyCounters(): EmulatorCounters {
  return { total: 0, byRoute: {}, byStatus: {}, throttled: 0, injectedErrors: 0, dropped: 0 };
}

export function countRequest(c: EmulatorCounters, route: string, status: number | "dropped"): void {
  c.total += 1;
  c.byRoute[route] = (c.byRoute[route] ?? 0) + 1;
  c.byStatus[String(status)] = (c.byStatus[String(status)] ?? 0) + 1;
}

/** Told of each request counted: its route template and the status answered. */
export type RequestListener = (route: string, status: number | "dropped") => void;

/** The request counts since the start or the last reset, and the listeners told of each one. */
export class RequestLog {
  private counts: EmulatorCounters = emptyCounters();
  private readonly listeners = new Set<RequestListener>();

  /** The live counts (not a copy). */
  get current(): EmulatorCounters {
    return this.counts;
  }

  reset(): void {
    this.counts = emptyCounters();
  }

  /** Counts one request as answered (or dropped), then tells every listener. */
  answered(route: string, status: number | "dropped"): void {
    countRequest(this.counts, route, status);
    for (const listener of this.listeners) listener(route, status);
  }

  /** Counts one injected fault; the request itself is counted by `answered`. */
  fault(kind: "throttled" | "injectedErrors" | "dropped"): void {
    this.counts[kind] += 1;
  }

  /** Adds a listener; the function returned removes it. */
  listen(listener: RequestListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
