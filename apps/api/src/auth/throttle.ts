// Failed authentications per client address, in a fixed window held in memory: after
// `maxFailures` failures within `windowMs` the address is refused (429, Retry-After) until its
// window ends. One API process counts its own; the map is capped at `maxClients` addresses
// (expired windows go first, then the oldest), so a flood of addresses cannot grow it without end.

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  maxClients: number;
}

interface Window {
  start: number;
  failures: number;
}

export class AuthThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly options: ThrottleOptions,
    private readonly now: () => number,
  ) {}

  /** Milliseconds until `client` may try again; 0 when it may now. */
  retryAfterMs(client: string): number {
    const w = this.current(client);
    if (!w || w.failures < this.options.maxFailures) return 0;
    return w.start + this.options.windowMs - this.now();
  }

  /** Count one failed authentication of `client`. */
  fail(client: string): void {
    const w = this.current(client);
    if (w) {
      w.failures += 1;
      return;
    }
    this.windows.set(client, { start: this.now(), failures: 1 });
    if (this.windows.size > this.options.maxClients) this.prune();
  }

  /** The client's window, unless it has ended (then it is forgotten). */
  private current(client: string): Window | undefined {
    const w = this.windows.get(client);
    if (w && this.now() - w.start >= this.options.windowMs) {
      this.windows.delete(client);
      return undefined;
    }
    return w;
  }

  private prune(): void {
    for (const client of [...this.windows.keys()]) this.current(client);
    for (const client of this.windows.keys()) {
      if (this.windows.size <= this.options.maxClients) break;
      this.windows.delete(client);
    }
  }
}
