import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { BUDGET_SLICES } from "../../domain/budget-slices.ts";
import type { ConversionRecord } from "../../domain/conversion.ts";
import type { OfferCounters } from "../../domain/decision/decide.ts";
import { deviceKeys as deviceItemKeys } from "../../domain/device.ts";
import {
  capCounterKeys,
  deviceCounterKeys,
  type Incentive,
  incentiveKeys,
} from "../../domain/incentive.ts";
import type { TouchBump } from "../../domain/o2o/touch.ts";
import type {
  AttributionItem,
  CounterBump,
  DecisionStore,
  ExposureInput,
  ExposureOutcome,
  GrantChoice,
  GrantOutcome,
  GrantPlan,
  VisitInput,
  VisitOutcome,
  WebCodeInput,
} from "../../use-cases/ports/decision-store.ts";
import type { StoredJourney } from "../../use-cases/ports/journey-store.ts";
import type { OutboxClear } from "../../use-cases/ports/visit-store.ts";
import { batchGetAll } from "./batch.ts";
import { type BudgetUse, budgetKeys, foldBudgetItems, readBudgetUse } from "./budget-counter.ts";
import {
  type BudgetSlices,
  type ConflictRetry,
  commitWithBudgetSlice,
} from "./budget-slice-commit.ts";
import { writeIf } from "./conditional-write.ts";
import { recordPut, recordPuts } from "./conversion-log.ts";
import { codeEndCounterUpdates, funnelCounterItems, touchCounterItems } from "./counter-updates.ts";
import {
  attributionKey,
  attributionSkFrom,
  budgetSliceUpdate,
  claimKey,
  codeClaimPut,
  type DecisionTables,
  grantItems,
  incentivePut,
} from "./grant-items.ts";
import { grantRefusal } from "./grant-refusal.ts";
import { journeyPut, storedJourney } from "./journey-store.ts";
import { readConsistent } from "./read-consistent.ts";
import { cancellationReasons, type TransactItem } from "./transact.ts";
import { TRANSACT_MAX_ACTIONS } from "./transact-groups.ts";
import { clearOutboxAlone, outboxClearUpdate, profileLiveCheck } from "./visit-store.ts";

export type { AttributionItem, CounterBump, DecisionStore, GrantChoice, GrantOutcome, GrantPlan };

/** Tuning of the decision store; the defaults are what ships. */
export interface DecisionStoreOptions {
  /** Budget slices per offer (domain/budget-slices.ts); 1 = one budget item per offer. */
  budgetSlices?: number;
  /** Retries of a grant transaction cancelled by `TransactionConflict` (default 10). */
  conflictRetries?: number;
  /** Called on every grant transaction cancelled by `TransactionConflict` (a metric). */
  onTransactionConflict?: () => void;
  /** Waits between conflict retries (tests inject a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Appends the outbox clear to a transaction as its last action when there is room for it (at
 * most `TRANSACT_MAX_ACTIONS`); whether it was appended.
 */
function carryOutboxClear(
  items: TransactItem[],
  table: string,
  clear: OutboxClear | undefined,
): boolean {
  if (!clear || items.length >= TRANSACT_MAX_ACTIONS) return false;
  items.push(outboxClearUpdate(table, clear));
  return true;
}

/** Cap of the per-instance memo of budget use (offers seen by this instance). */
const BUDGET_MEMO_MAX = 5_000;

/**
 * DynamoDB side of incentive decisions: reads the counters `decide` needs, then commits a grant
 * (claims, caps, budget, incentive, code, attribution handle, log records, report counters) in
 * one transaction whose conditions are the invariants: no device over its caps, no offer over its
 * budget, no event decided twice.
 *
 * The budget is counted on `BUDGET_SLICES` items (domain/budget-slices.ts): a grant increments
 * the slice its incentive id hashes to under `sent < share`; a full slice sends it to another
 * slice with room (after a strongly consistent read of the slices), so the sum is exact and no
 * grant is refused while any slice has room. A transaction cancelled by `TransactionConflict`
 * (another grant wrote one of its items at the same instant) is retried after a full-jitter
 * backoff on the next slice, up to `conflictRetries` times, then thrown.
 */
export function dynamoDecisionStore(
  client: DynamoDBDocumentClient,
  tables: DecisionTables,
  options: DecisionStoreOptions = {},
): DecisionStore {
  const slices = options.budgetSlices ?? BUDGET_SLICES;
  const conflictRetries = options.conflictRetries ?? 10;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  // Last budget use read per offer: its pre-slice count never changes, and its slice counts
  // let the first attempt skip slices already full.
  const budgetMemo = new Map<string, BudgetUse>();
  const remember = (use: Map<string, BudgetUse>, offerIds: readonly string[]) => {
    if (budgetMemo.size > BUDGET_MEMO_MAX) budgetMemo.clear();
    for (const id of offerIds) {
      budgetMemo.set(id, use.get(id) ?? { preSliced: 0, sent: [], total: 0 });
    }
  };
  const readBudget = async (offerId: string): Promise<BudgetUse> => {
    const use = await readBudgetUse(client, tables.incentives, [offerId], {
      consistent: true,
      slices,
    });
    remember(use, [offerId]);
    return budgetMemo.get(offerId) as BudgetUse;
  };
  const budget: BudgetSlices = {
    slices,
    table: tables.incentives,
    known: (offerId) => budgetMemo.get(offerId),
    read: readBudget,
  };
  const retry: ConflictRetry = {
    conflictRetries,
    onTransactionConflict: options.onTransactionConflict,
    sleep,
  };
  /** The idempotency claim `eventKey` in `partition`, as stored (consistent read). */
  const readClaim = (partition: string, eventKey: string) =>
    readConsistent(client, tables.devices, claimKey(partition, eventKey));
  return {
    async readCounters(
      deviceId: string,
      offers: { offerId: string; offerDay: string }[],
      deviceDay: string,
      partition: string = deviceItemKeys.partition(deviceId),
      also?: { journeys: { merchantIds: string[]; nowMs: number } },
    ): ReturnType<DecisionStore["readCounters"]> {
      const journeyMerchants = [...new Set(also?.journeys.merchantIds ?? [])];
      const deviceKeys = [
        capCounterKeys.fatigueDay(partition, deviceDay),
        ...offers.flatMap((o) => [
          capCounterKeys.offerTotal(partition, o.offerId),
          capCounterKeys.offerDay(partition, o.offerId, o.offerDay),
        ]),
        // Histories the visits of the same batch will need: one request less per visit.
        ...journeyMerchants.map((m) => deviceItemKeys.journey(deviceId, m)),
      ];
      const offerIds = [...new Set(offers.map((o) => o.offerId))];
      const budgetItemKeys = offerIds.flatMap((id) => budgetKeys(id, slices));
      // Every key is read (unprocessed keys retried): a counter left unread would look like 0.
      const out = await batchGetAll(client, {
        [tables.devices]: { Keys: deviceKeys, ConsistentRead: true },
        ...(budgetItemKeys.length > 0
          ? { [tables.incentives]: { Keys: budgetItemKeys, ConsistentRead: true } }
          : {}),
      });
      const bySk = new Map<string, Record<string, unknown>>();
      const byKey = new Map<string, Record<string, unknown>>();
      for (const item of out[tables.devices] ?? []) {
        bySk.set(String(item.sk), item);
        byKey.set(`${item.pk}|${item.sk}`, item);
      }
      const use = foldBudgetItems(out[tables.incentives] ?? [], slices);
      remember(use, offerIds);
      const budget = new Map([...use].map(([id, u]) => [id, u.total]));
      const perOffer = new Map<string, OfferCounters>();
      for (const o of offers) {
        const total = bySk.get(capCounterKeys.offerTotal(partition, o.offerId).sk);
        const day = bySk.get(capCounterKeys.offerDay(partition, o.offerId, o.offerDay).sk);
        perOffer.set(o.offerId, {
          today: Number(day?.n ?? 0),
          day: o.offerDay,
          total: Number(total?.total ?? 0),
          ...(total?.lastSentAt !== undefined ? { lastSentAt: Number(total.lastSentAt) } : {}),
          sentCount: budget.get(o.offerId) ?? 0,
        });
      }
      const fatigue = bySk.get(capCounterKeys.fatigueDay(partition, deviceDay).sk);
      const counters = { perOffer, deviceToday: Number(fatigue?.n ?? 0), deviceDay };
      if (!also) return counters;
      const journeys = new Map<string, StoredJourney>();
      for (const m of journeyMerchants) {
        const key = deviceItemKeys.journey(deviceId, m);
        journeys.set(m, storedJourney(byKey.get(`${key.pk}|${key.sk}`), also.journeys.nowMs));
      }
      return { ...counters, journeys };
    },

    async grant(plan: GrantPlan): Promise<GrantOutcome> {
      const tx = grantItems(tables, plan);
      const inc = plan.choice?.incentive;
      const budgetIndex = tx.roles.indexOf("budget");
      const carried = carryOutboxClear(tx.items, tables.devices, plan.outboxClear);
      if (carried) tx.roles.push("outbox");
      const commit = () =>
        commitWithBudgetSlice(client, budget, retry, {
          items: tx.items,
          budget:
            budgetIndex >= 0 && inc
              ? { index: budgetIndex, offerId: inc.offerId, max: plan.choice?.maxIncentives }
              : undefined,
          seed: inc?.incentiveId ?? plan.deviceId,
        });
      let result = await commit();
      if (result.kind === "refused" && tx.roles[result.index] === "outbox") {
        // A later save moved the visit item (it carries the outbox on): grant without the clear.
        tx.items.pop();
        tx.roles.pop();
        result = await commit();
      }
      if (result.kind === "committed") {
        if (plan.outboxClear && !carried)
          await clearOutboxAlone(client, tables.devices, plan.outboxClear);
        return result;
      }
      if (result.kind === "budget") return { kind: "rejected", reason: "budget" };
      const outcome = await grantRefusal(
        plan,
        tx.roles[result.index],
        result.index,
        result.reasons[result.index],
        (eventKey) =>
          readClaim(plan.claimPartition ?? deviceItemKeys.partition(plan.deviceId), eventKey),
      );
      if (outcome === undefined) throw result.error;
      return outcome;
    },

    /**
     * Commits the first exposure of a person to a link: the idempotency claim (in the person's
     * partition), the attribution handle, its log record and touch counters, all or nothing. A
     * second exposure finds the claim and changes nothing (`duplicate`, with the first decision).
     */
    async recordExposure(input: ExposureInput): Promise<ExposureOutcome> {
      const items: TransactItem[] = [
        {
          ConditionCheck: {
            ...profileLiveCheck(tables.devices, input.deviceId).ConditionCheck,
          },
        },
        {
          Put: {
            TableName: tables.devices,
            Item: {
              ...claimKey(input.claimPartition, input.eventKey),
              incentiveId: input.handle.incentiveId,
              outcome: input.handle.outcome,
              decidedAt: input.handle.grantedAt,
              expiresAt: input.claimExpiresAt,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        {
          Put: {
            TableName: tables.devices,
            Item: {
              ...attributionKey(
                input.deviceId,
                input.handle.merchantId,
                input.handle.grantedAt,
                input.handle.incentiveId,
              ),
              ...input.handle,
              expiresAt: input.handleExpiresAt,
            },
          },
        },
      ];
      items.push(...recordPuts(tables.conversions, input.records, input.recordExpiresAt));
      items.push(...touchCounterItems(input.touchCounters, tables.conversions));
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return { kind: "committed" };
      } catch (error) {
        if ((error as Error).name !== "TransactionCanceledException") throw error;
        const reasons = (error as { CancellationReasons?: { Code?: string }[] })
          .CancellationReasons;
        if (reasons?.[0]?.Code === "ConditionalCheckFailed") return { kind: "erased" };
        if (reasons?.[1]?.Code !== "ConditionalCheckFailed") throw error;
        const claim = await readClaim(input.claimPartition, input.eventKey);
        return {
          kind: "duplicate",
          incentiveId: claim?.incentiveId as string | undefined,
          outcome: claim?.outcome as string | undefined,
        };
      }
    },

    /**
     * A code for a claim from a web page (no device, no person): budget, incentive, code, log
     * record and touch counters in one transaction. `budget` when the offer's budget is spent.
     */
    async grantWebCode(input: WebCodeInput): Promise<"committed" | "budget" | "code_taken"> {
      const inc = input.incentive;
      const retainUntil = Math.ceil(((inc.expiresAtMs ?? inc.grantedAt) + 30 * 86_400_000) / 1000);
      const items: TransactItem[] = [
        // The budget slice is chosen per attempt, as for device grants.
        budgetSliceUpdate(tables.incentives, inc.offerId, 0, undefined),
        incentivePut(tables.incentives, inc, retainUntil),
        codeClaimPut(tables.incentives, inc, inc.code ?? "", input),
        ...recordPuts(tables.conversions, input.records, input.recordExpiresAt),
      ];
      items.push(...touchCounterItems(input.touchCounters, tables.conversions));
      const result = await commitWithBudgetSlice(client, budget, retry, {
        items,
        budget: { index: 0, offerId: inc.offerId, max: input.maxIncentives },
        seed: inc.incentiveId,
      });
      if (result.kind !== "refused") return result.kind;
      if (result.reasons[2]?.Code === "ConditionalCheckFailed") return "code_taken";
      throw result.error;
    },

    /** Touch counters and a log record outside any decision (suppressed claims, repeat exposures). */
    async logTouch(
      records: ConversionRecord[],
      bumps: TouchBump[],
      recordExpiresAt: number,
    ): Promise<void> {
      const items: TransactItem[] = [];
      items.push(...recordPuts(tables.conversions, records, recordExpiresAt));
      items.push(...touchCounterItems(bumps, tables.conversions));
      if (items.length > 0) await client.send(new TransactWriteCommand({ TransactItems: items }));
    },

    /** The idempotency claim `eventKey` in `partition`, if decided (consistent read). */
    getClaim: readClaim,

    getIncentive: (incentiveId: string) =>
      readConsistent(client, tables.incentives, incentiveKeys.incentive(incentiveId)) as Promise<
        Incentive | undefined
      >,

    /** Open attribution handles of a device for one merchant granted after `since`. */
    async openAttributions(
      deviceId: string,
      merchantId: string,
      since: number,
    ): Promise<AttributionItem[]> {
      const out = await client.send(
        new QueryCommand({
          TableName: tables.devices,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: {
            ":pk": deviceItemKeys.partition(deviceId),
            ":from": attributionSkFrom(merchantId, Math.max(0, since)),
            ":to": `ATTR#${merchantId}#~`,
          },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []) as AttributionItem[];
    },

    /**
     * Commits a visit: its claim (idempotency), log records, counters and the attribution handles
     * it consumes, all or nothing.
     */
    async recordVisit(input: VisitInput): Promise<VisitOutcome> {
      const items: TransactItem[] = [
        profileLiveCheck(tables.devices, input.deviceId),
        {
          Put: {
            TableName: tables.devices,
            Item: {
              ...deviceCounterKeys.claim(input.deviceId, input.eventKey),
              outcome: "visit",
              decidedAt: input.now,
              expiresAt: input.claimExpiresAt,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
      ];
      // The history goes third, so a cancellation names it at index 2.
      if (input.journey) items.push(journeyPut(tables.devices, input.deviceId, input.journey));
      for (const a of input.attributed) {
        items.push({
          Update: {
            TableName: tables.devices,
            Key: attributionKey(input.deviceId, a.merchantId, a.grantedAt, a.incentiveId),
            UpdateExpression: "SET attributedAt = :now",
            ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(attributedAt)",
            ExpressionAttributeValues: { ":now": input.now },
          },
        });
      }
      for (const { item: a, field } of input.marks ?? []) {
        items.push({
          Update: {
            TableName: tables.devices,
            Key: attributionKey(input.deviceId, a.merchantId, a.grantedAt, a.incentiveId),
            UpdateExpression: "SET #f = :now",
            ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(#f)",
            ExpressionAttributeNames: { "#f": field },
            ExpressionAttributeValues: { ":now": input.now },
          },
        });
      }
      items.push(...recordPuts(tables.conversions, input.records, input.recordExpiresAt));
      items.push(...funnelCounterItems(input.counters, tables.conversions));
      items.push(...touchCounterItems(input.touchCounters ?? [], tables.conversions));
      let carried = carryOutboxClear(items, tables.devices, input.outboxClear);
      for (;;) {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          if (input.outboxClear && !carried) {
            await clearOutboxAlone(client, tables.devices, input.outboxClear);
          }
          return "committed";
        } catch (error) {
          const reasons = cancellationReasons(error);
          if (!reasons) throw error;
          if (reasons[0]?.Code === "ConditionalCheckFailed") return "erased";
          // The claim taken: a replay.
          if (reasons[1]?.Code === "ConditionalCheckFailed") return "duplicate";
          const failed = reasons.findIndex((r) => r.Code === "ConditionalCheckFailed");
          if (carried && failed === items.length - 1) {
            // Only the clear failed: a later save moved the visit item and carries the outbox
            // on. The visit commits without it.
            items.pop();
            carried = false;
            continue;
          }
          // Anything else (the history or a handle moved, a transaction conflict) is worth
          // reading again and retrying.
          return "conflict";
        }
      }
    },

    /**
     * Logs an unredeemed code's expiry once: the record's condition makes a redelivered stream
     * record a no-op, and the counter moves in the same transaction.
     */
    async recordExpired(record: ConversionRecord, recordExpiresAt: number): Promise<boolean> {
      const items: TransactItem[] = [
        recordPut(tables.conversions, record, recordExpiresAt, { once: true }),
        ...codeEndCounterUpdates(record, "expired", tables.conversions),
      ];
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if ((error as Error).name === "TransactionCanceledException") return false;
        throw error;
      }
    },

    /** Delivery bookkeeping: pending → sent/failed, only from pending (a redelivery changes nothing). */
    async markDelivery(
      incentiveId: string,
      status: "sent" | "failed" | "withheld",
      at: number,
      detail?: string,
    ) {
      return writeIf(
        client,
        new UpdateCommand({
          TableName: tables.incentives,
          Key: incentiveKeys.incentive(incentiveId),
          UpdateExpression:
            status === "sent"
              ? "SET #s = :s, sentAt = :at ADD attempts :one"
              : status === "failed"
                ? "SET #s = :s, lastError = :err ADD attempts :one"
                : "SET #s = :s, withheldReason = :err",
          ConditionExpression: "#s = :pending",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: {
            ":s": status,
            ":pending": "pending",
            ...(status === "withheld" ? {} : { ":one": 1 }),
            ...(status === "sent" ? { ":at": at } : { ":err": detail ?? status }),
          },
        }),
      );
    },
  };
}
