/**
 * Budget slices: an offer's budget counter spread over several items so that a national offer
 * granting hundreds of incentives per second does not write one item in every grant transaction
 * (one DynamoDB partition takes at most 1,000 WCU/s, a transactional write of a small item costs
 * 2 WCU, and concurrent transactions on one item cancel each other with `TransactionConflict`;
 * DynamoDB Developer Guide, "Service quotas" and "Transaction conflict handling").
 *
 * Exactness: the budget left when slicing began (`budget.maxIncentives` minus the pre-slice
 * counter, which is never written again) is divided into fixed shares, one per slice, that add
 * up to it exactly. A grant increments one slice under the condition `sent < share`, so the sum
 * of all slices can never pass the budget. A grant whose slice is full borrows from another
 * slice that still has room, so no grant is refused while budget remains anywhere.
 *
 * Pure: no I/O, no clock, no randomness; the adapter chooses the first slice from a hash.
 */

/**
 * Slices per offer. Fixed for every offer: shares depend on it, so changing it would move the
 * shares under offers already granting. Eight items on eight partition keys take about
 * 8 × 500 transactional grants/s before any one partition's write limit.
 */
export const BUDGET_SLICES = 8;

/**
 * The share of slice `k` (0-based) of `slices`: the budget left over the pre-slice count,
 * divided as evenly as possible (the first `remainder` slices carry one more).
 * Σ over k of `sliceShare(max, preSliced, slices, k)` = max(0, max − preSliced).
 *
 * @param max `budget.maxIncentives` (≥ 0)
 * @param preSliced incentives counted on the single budget item before slicing (≥ 0)
 * @param slices number of slices (≥ 1)
 * @param k slice index, 0 ≤ k < slices
 * @throws RangeError when `slices` < 1 or `k` is outside [0, slices)
 */
export function sliceShare(max: number, preSliced: number, slices: number, k: number): number {
  if (!Number.isInteger(slices) || slices < 1) throw new RangeError("slices must be ≥ 1");
  if (!Number.isInteger(k) || k < 0 || k >= slices) throw new RangeError("slice out of range");
  const left = Math.max(0, Math.floor(max) - Math.max(0, Math.floor(preSliced)));
  return Math.floor(left / slices) + (k < left % slices ? 1 : 0);
}

/**
 * The slice a grant tries: the first one with room starting at `start` (mod `slices`), skipping
 * those known full; `undefined` when every slice is at its share (the budget is spent).
 *
 * @param sent incentives counted per slice (missing entries read as 0)
 * @param full slices a grant found full since it last read the counters
 */
export function pickSlice(input: {
  max: number | undefined;
  preSliced: number;
  sent: readonly number[];
  slices: number;
  start: number;
  full?: ReadonlySet<number>;
}): number | undefined {
  const { slices } = input;
  const first = ((Math.floor(input.start) % slices) + slices) % slices;
  for (let i = 0; i < slices; i += 1) {
    const k = (first + i) % slices;
    if (input.full?.has(k)) continue;
    if (input.max === undefined) return k;
    if ((input.sent[k] ?? 0) < sliceShare(input.max, input.preSliced, slices, k)) return k;
  }
  return undefined;
}

/** FNV-1a (32-bit) of a string: spreads grants over slices by their incentive id. */
export function sliceHash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
