/**
 * express-rate-limit's Store over the data layer's shared counters (store/rate-limits.ts): with PostgreSQL
 * (XBORDER_DATABASE_URL) every API process behind the load balancer counts against one budget per identity and
 * per client address, instead of N budgets in N processes' memory.
 */
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import type { RateLimitRepository } from '../store';

/** expired windows are deleted by every this many increments of one limiter (any process may do it) */
const SWEEP_EVERY = 500;

export class SharedRateLimitStore implements Store {
  /** counted in the database: a key incremented here counts in every other process too */
  readonly localKeys = false;
  private windowMs = 60_000;
  private increments = 0;

  constructor(
    private readonly counters: RateLimitRepository,
    readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const w = await this.counters.get(this.prefix + key, this.now());
    return w && { totalHits: w.hits, resetTime: new Date(w.resetAt) };
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = this.now();
    if (++this.increments % SWEEP_EVERY === 0) this.counters.sweep(now).catch(() => undefined); // housekeeping: the next sweep retries
    const w = await this.counters.hit(this.prefix + key, this.windowMs, now);
    return { totalHits: w.hits, resetTime: new Date(w.resetAt) };
  }

  decrement(key: string): Promise<void> {
    return this.counters.decrement(this.prefix + key, this.now());
  }

  resetKey(key: string): Promise<void> {
    return this.counters.reset(this.prefix + key);
  }
}
