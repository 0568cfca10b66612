/**
 * Deterministic holdout assignment. A device is held out of an offer when its hash bucket for
 * that (device, offer) pair falls below the offer's holdout share, so the assignment is stable
 * across retries, Lambda instances and deployments (no stored coin flips), and independent
 * between offers (the same devices are not always the control group).
 */
import { createHash } from "node:crypto";
import { ValidationError } from "../../errors.ts";

/** Buckets per offer: basis points, so holdout shares are honoured to 0.01 %. */
export const HOLDOUT_BUCKETS = 10_000;

/** Upper bound of an offer's holdout share in percent. */
export const MAX_HOLDOUT_PERCENT = 50;

/**
 * Stable bucket in [0, 10000) for a (device, offer) pair from SHA-256. Changing this function
 * reshuffles every running experiment, which is why a golden value is pinned in the tests.
 * 48 bits of the digest modulo 10000 have a bias below 1e-10.
 */
export function holdoutBucket(deviceId: string, offerId: string): number {
  // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
  const digest = createHash("sha256").update(`footfall-holdout\u0000${offerId}\u0000${deviceId}`);
  return digest.digest().readUIntBE(0, 6) % HOLDOUT_BUCKETS;
}

/**
 * Whether the device is in the offer's control group. `holdoutPercent` is 0–50 (fractions
 * allowed); 0 never holds out. Monotone: a device held out at p % is held out at any q ≥ p.
 */
export function isHeldOut(deviceId: string, offerId: string, holdoutPercent: number): boolean {
  if (
    !Number.isFinite(holdoutPercent) ||
    holdoutPercent < 0 ||
    holdoutPercent > MAX_HOLDOUT_PERCENT
  ) {
    throw ValidationError.field("holdoutPercent", `must be between 0 and ${MAX_HOLDOUT_PERCENT}`);
  }
  // Rounded to whole basis points so 0.07 % is 7 buckets, not 7.000000000000001.
  return holdoutBucket(deviceId, offerId) < Math.round(holdoutPercent * (HOLDOUT_BUCKETS / 100));
}
