/**
 * DynamoDB transactions as the adapters write them: one action's type, and the cancellation
 * reasons of a cancelled `TransactWriteItems` (one per action, in order; DynamoDB API reference,
 * "TransactWriteItems" / `CancellationReasons`).
 */
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";

/** One action of a `TransactWriteItems` request (Put, Update, Delete or ConditionCheck). */
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Why one action of a cancelled transaction failed: `Code` ("None" when it did not) and, with
 * `ReturnValuesOnConditionCheckFailure: "ALL_OLD"`, the item as it was. */
export interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

/**
 * The cancellation reasons of `error` when it is a `TransactionCanceledException` that carries
 * them; undefined for any other error (which the caller rethrows).
 */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if ((error as Error).name !== "TransactionCanceledException") return undefined;
  return (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
}

/**
 * Whether a cancelled transaction lost only a race (`TransactionConflict`: another transaction
 * wrote one of its items at the same instant) and no condition failed: retrying may succeed.
 */
export function isTransactionConflict(reasons: readonly CancellationReason[]): boolean {
  return (
    reasons.some((r) => r.Code === "TransactionConflict") &&
    !reasons.some((r) => r.Code === "ConditionalCheckFailed")
  );
}
