/**
 * Commits a transaction that may spend one unit of an offer's budget, counted on
 * `BUDGET_SLICES` items (domain/budget-slices.ts): each attempt puts the increment on the slice
 * `pickSlice` chooses (from the incentive's hash, skipping slices known to be full) under
 * `sent < share`. A full slice sends the next attempt to another slice with room, after a
 * strongly consistent read of the slices, so the sum is exact and no grant is refused while any
 * slice has room. A transaction cancelled by `TransactionConflict` (another grant wrote one of
 * its items at the same instant) is retried after a full-jitter backoff on the next slice, up
 * to `conflictRetries` times, then thrown.
 */

import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { pickSlice, sliceHash, sliceShare } from "../../domain/budget-slices.ts";
import type { BudgetUse } from "./budget-counter.ts";
import { budgetSliceUpdate } from "./grant-items.ts";
import {
  type CancellationReason,
  cancellationReasons,
  isTransactionConflict,
  type TransactItem,
} from "./transact.ts";

/** Budget use of offers as this instance knows it, and a fresh (consistent) read of it. */
export interface BudgetSlices {
  slices: number;
  /** The table of the budget slices (incentives). */
  table: string;
  /** The last use read for the offer, if any: its pre-slice count never changes. */
  known(offerId: string): BudgetUse | undefined;
  /** Reads the offer's use now (strongly consistent) and remembers it. */
  read(offerId: string): Promise<BudgetUse>;
}

/** How conflicts are retried; the defaults are what ships. */
export interface ConflictRetry {
  /** Retries of a transaction cancelled by `TransactionConflict`. */
  conflictRetries: number;
  /** Called on every transaction cancelled by `TransactionConflict` (a metric). */
  onTransactionConflict?: (() => void) | undefined;
  /** Waits between conflict retries. */
  sleep: (ms: number) => Promise<void>;
}

/** A transaction to commit and where in it the budget increment goes. */
export interface SlicedTransaction {
  items: TransactItem[];
  /** The budget increment: its index in `items` (a placeholder there), the offer and its budget
   * (`max` undefined: unlimited, counted without condition). Absent: nothing spends budget. */
  budget?: { index: number; offerId: string; max: number | undefined } | undefined;
  /** What picks the first slice (the incentive id): grants spread over the slices. */
  seed: string;
}

/**
 * How the commit ended: `committed`; `budget` when no slice has room; or `refused` by the
 * first failed condition other than the budget's (`index` in `items`, with every reason and
 * the original error, which the caller rethrows when the refusal is not one it names).
 */
export type SlicedCommitResult =
  | { kind: "committed" }
  | { kind: "budget" }
  | { kind: "refused"; index: number; reasons: CancellationReason[]; error: unknown };

/**
 * Commits `tx`, choosing its budget slice per attempt, borrowing from another slice when one is
 * full and retrying transaction conflicts (see the module comment). Errors other than a
 * cancellation with a failed condition or a conflict are thrown as they are.
 */
export async function commitWithBudgetSlice(
  client: DynamoDBDocumentClient,
  budget: BudgetSlices,
  retry: ConflictRetry,
  tx: SlicedTransaction,
): Promise<SlicedCommitResult> {
  const { items } = tx;
  const spend = tx.budget;
  const offerId = spend?.offerId ?? "";
  const max = spend?.max;
  const slices = budget.slices;
  // Shares depend on the pre-slice count: read it before the first sliced grant of an offer.
  let use = spend
    ? (budget.known(offerId) ?? (max !== undefined ? await budget.read(offerId) : undefined))
    : undefined;
  const full = new Set<number>();
  let start = sliceHash(tx.seed);
  let conflicts = 0;
  let budgetMisses = 0;
  for (;;) {
    let slice = -1;
    if (spend) {
      const picked = pickSlice({
        max,
        preSliced: use?.preSliced ?? 0,
        sent: use?.sent ?? [],
        slices,
        start,
        full,
      });
      if (picked === undefined) return { kind: "budget" };
      slice = picked;
      items[spend.index] = budgetSliceUpdate(
        budget.table,
        offerId,
        slice,
        max !== undefined ? sliceShare(max, use?.preSliced ?? 0, slices, slice) : undefined,
      );
    }
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return { kind: "committed" };
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (isTransactionConflict(reasons)) {
        conflicts += 1;
        retry.onTransactionConflict?.();
        if (conflicts > retry.conflictRetries) throw error;
        // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter").
        await retry.sleep(Math.random() * Math.min(500, 20 * 2 ** conflicts));
        start = slice + 1;
        continue;
      }
      const failed = reasons.findIndex((r) => r.Code === "ConditionalCheckFailed");
      if (failed === -1) throw error;
      if (spend && failed === spend.index) {
        // This slice is spent: borrow from another one with room, as read now. Each miss
        // finds one more slice full, so this ends after at most `slices` + 1 misses.
        budgetMisses += 1;
        if (budgetMisses > slices + 1) return { kind: "budget" };
        use = await budget.read(offerId);
        full.clear();
        full.add(slice);
        start = slice + 1;
        continue;
      }
      return { kind: "refused", index: failed, reasons, error };
    }
  }
}
