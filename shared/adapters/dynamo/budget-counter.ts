import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BUDGET_SLICES } from "../../domain/budget-slices.ts";
import { incentiveKeys } from "../../domain/incentive.ts";
import { batchGetAll } from "./batch.ts";

/**
 * An offer's budget use as stored: the pre-slice counter (`OFFER#id / BUDGET`, written before
 * budgets were sliced and never since) and one counter per slice (`OFFER#id#BUDGET#k / BUDGET`).
 */
export interface BudgetUse {
  preSliced: number;
  /** Incentives counted per slice, index = slice. */
  sent: number[];
  /** preSliced + Σ sent: incentives sent over the offer's life. */
  total: number;
}

/** Every key of an offer's budget: the pre-slice item first, then the slices. */
export function budgetKeys(
  offerId: string,
  slices: number = BUDGET_SLICES,
): { pk: string; sk: string }[] {
  return [
    incentiveKeys.budget(offerId),
    ...Array.from({ length: slices }, (_, k) => incentiveKeys.budgetSlice(offerId, k)),
  ];
}

const SLICE_PK = /^OFFER#(.+)#BUDGET#(\d+)$/;

/**
 * Folds budget items (any offers, any order) into one `BudgetUse` per offer id. Items whose key
 * is no budget key are ignored; a negative or non-numeric `sent` counts as 0.
 */
export function foldBudgetItems(
  items: readonly Record<string, unknown>[],
  slices: number = BUDGET_SLICES,
): Map<string, BudgetUse> {
  const out = new Map<string, BudgetUse>();
  const use = (offerId: string) => {
    let u = out.get(offerId);
    if (!u) {
      u = { preSliced: 0, sent: Array.from({ length: slices }, () => 0), total: 0 };
      out.set(offerId, u);
    }
    return u;
  };
  for (const item of items) {
    if (item.sk !== "BUDGET") continue;
    const pk = String(item.pk);
    const raw = Number(item.sent ?? 0);
    const sent = Number.isFinite(raw) && raw > 0 ? raw : 0;
    const slice = SLICE_PK.exec(pk);
    if (slice) {
      const u = use(slice[1] as string);
      const k = Number(slice[2]);
      if (k < slices) u.sent[k] = sent;
      u.total += sent;
    } else if (pk.startsWith("OFFER#")) {
      const u = use(pk.slice("OFFER#".length));
      u.preSliced = sent;
      u.total += sent;
    }
  }
  return out;
}

/**
 * Reads the budget use of several offers in one batched read (chunked by the shared helper).
 * Offers with no budget item at all are absent from the map (none sent).
 *
 * @param consistent strongly consistent reads (the grant path); eventually consistent otherwise
 */
export async function readBudgetUse(
  client: DynamoDBDocumentClient,
  table: string,
  offerIds: readonly string[],
  options: { consistent?: boolean; slices?: number } = {},
): Promise<Map<string, BudgetUse>> {
  const slices = options.slices ?? BUDGET_SLICES;
  const ids = [...new Set(offerIds)];
  if (ids.length === 0) return new Map();
  const found = await batchGetAll(client, {
    [table]: {
      Keys: ids.flatMap((id) => budgetKeys(id, slices)),
      ProjectionExpression: "#pk, #sk, #sent",
      ExpressionAttributeNames: { "#pk": "pk", "#sk": "sk", "#sent": "sent" },
      ...(options.consistent ? { ConsistentRead: true } : {}),
    },
  });
  return foldBudgetItems(found[table] ?? [], slices);
}
