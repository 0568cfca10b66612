/** Port: RateLimiter (implemented by shared/adapters/dynamo/rate-limiter.ts). */

/**
 * Port: fixed-window counters. `take` counts one event for `key` in the window starting at
 * `windowStart` unless `limit` are already counted (one conditional update: exact under any
 * concurrency).
 */
export interface RateLimiter {
  take(key: string, limit: number, windowStart: number, expiresAt: number): Promise<boolean>;
}
