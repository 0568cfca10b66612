/**
 * How the simulators print report figures: a share as a percentage ("n/a" when absent), a
 * difference of shares in signed percentage points.
 */

/** `0.137` → `"13.7 %"`; null or undefined → `"n/a"`. */
export const pct = (x: number | null | undefined): string =>
  x == null ? "n/a" : `${(x * 100).toFixed(1)} %`;

/** `0.061` → `"+6.1"`, `-0.027` → `"−2.7"` (percentage points, sign always shown). */
export const pts = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}`;
