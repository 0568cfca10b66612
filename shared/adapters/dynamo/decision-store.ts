import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { BUDGET_SLICES, pickSlice, sliceHash, sliceShare } from "../../domain/budget-slices.ts";
import {
  COUNTER_FIELDS,
  type ConversionRecord,
  conversionItem,
  conversionKeys,
  isOnlineTouch,
} from "../../domain/conversion.ts";
import type { OfferCounters } from "../../domain/decision/decide.ts";
import {
  capCounterKeys,
  deviceCounterKeys,
  type Incentive,
  incentiveKeys,
} from "../../domain/incentive.ts";
import { mergeTouchBumps, type TouchBump, touchKeys } from "../../domain/o2o/touch.ts";
import type {
  AttributionItem,
  AttributionMark,
  CounterBump,
  DecisionStore,
  ExposureInput,
  ExposureOutcome,
  GrantChoice,
  GrantOutcome,
  GrantPlan,
  WebCodeInput,
} from "../../use-cases/ports/decision-store.ts";
import type { JourneyWrite } from "../../use-cases/ports/journey-store.ts";
import { batchGetAll } from "./batch.ts";
import { type BudgetUse, budgetKeys, foldBudgetItems, readBudgetUse } from "./budget-counter.ts";
import { journeyPut } from "./journey-store.ts";
import { profileLiveCheck } from "./visit-store.ts";

export type { AttributionItem, CounterBump, DecisionStore, GrantChoice, GrantOutcome, GrantPlan };

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * The grant's check on the device profile: it must exist and not be under erasure (a token cached
 * by the authorizer can outlive the device), and, when an incentive or holdout is recorded, the
 * device must still consent to marketing as stored now (the authorizer's copy may be a minute
 * old). `ALL_OLD` tells the two failures apart.
 */
function grantProfileCheck(table: string, deviceId: string, needsConsent: boolean): TransactItem {
  const check = profileLiveCheck(table, deviceId).ConditionCheck;
  return {
    ConditionCheck: {
      ...check,
      ...(needsConsent
        ? {
            ConditionExpression: `${check.ConditionExpression} AND consent.marketing = :consent`,
            ExpressionAttributeValues: { ":consent": true },
          }
        : {}),
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
}

/** How long an expired code is kept (answering 410) before TTL removes it. */
export const CODE_GRACE_S = 7 * 86_400;

export interface DecisionTables {
  devices: string;
  incentives: string;
  conversions: string;
}

/** Touch counter updates: the offer's partition and the merchant's (report across offers). */
export function touchCounterUpdates(bump: TouchBump, table: string): TransactItem[] {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ":m": bump.merchantId,
    ":o": bump.offerId,
    ":c": bump.channel,
    ":v": bump.variant,
    ":d": bump.localDay,
  };
  const adds: string[] = [];
  Object.entries(bump.fields).forEach(([field, n], i) => {
    names[`#f${i}`] = field;
    values[`:n${i}`] = n;
    adds.push(`#f${i} :n${i}`);
  });
  const expression = `SET merchantId = :m, offerId = :o, channel = :c, variant = :v, localDay = :d ADD ${adds.join(", ")}`;
  return [
    touchKeys.offer(bump.merchantId, bump.offerId, bump.localDay, bump.channel, bump.variant),
    touchKeys.merchant(bump.merchantId, bump.localDay, bump.offerId, bump.channel, bump.variant),
  ].map((Key) => ({
    Update: {
      TableName: table,
      Key,
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  }));
}

/** The idempotency claim of a decision, in `partition` (a device's, or a person's). */
export function claimKey(partition: string, eventKey: string) {
  return { pk: partition, sk: `CLAIM#${eventKey}` };
}

const attributionKey = (
  deviceId: string,
  merchantId: string,
  grantedAt: number,
  incentiveId: string,
) => ({
  pk: `DEVICE#${deviceId}`,
  sk: `ATTR#${merchantId}#${String(grantedAt).padStart(15, "0")}#${incentiveId}`,
});

function counterUpdates(bump: CounterBump, table: string): TransactItem[] {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ":m": bump.merchantId,
    ":o": bump.offerId,
    ":s": bump.storeId,
    ":d": bump.localDay,
  };
  const adds: string[] = [];
  Object.entries(bump.fields).forEach(([field, n], i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = n;
    adds.push(`#f${i} :v${i}`);
  });
  const expression = `SET merchantId = :m, offerId = :o, storeId = :s, localDay = :d ADD ${adds.join(", ")}`;
  return [
    conversionKeys.offerCounters(bump.merchantId, bump.offerId, bump.storeId, bump.localDay),
    conversionKeys.storeCounters(bump.merchantId, bump.storeId, bump.localDay, bump.offerId),
  ].map((Key) => ({
    Update: {
      TableName: table,
      Key,
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  }));
}

/** Merges bumps of the same counters so one transaction never touches an item twice. */
export function mergeBumps(bumps: CounterBump[]): CounterBump[] {
  const merged = new Map<string, CounterBump>();
  for (const b of bumps) {
    const key = `${b.merchantId}|${b.offerId}|${b.storeId}|${b.localDay}`;
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...b, fields: { ...b.fields } });
    else
      for (const [f, n] of Object.entries(b.fields))
        existing.fields[f] = (existing.fields[f] ?? 0) + n;
  }
  return [...merged.values()];
}

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

/** Cap of the per-instance memo of budget use (offers seen by this instance). */
const BUDGET_MEMO_MAX = 5_000;

const isConflict = (reasons: { Code?: string }[]) =>
  reasons.some((r) => r.Code === "TransactionConflict") &&
  !reasons.some((r) => r.Code === "ConditionalCheckFailed");

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
  /** One grant's increment of budget slice `slice`, bounded by its share when budgeted. */
  const budgetUpdate = (
    offerId: string,
    slice: number,
    share: number | undefined,
  ): TransactItem => ({
    Update: {
      TableName: tables.incentives,
      Key: incentiveKeys.budgetSlice(offerId, slice),
      UpdateExpression: "ADD sent :one SET offerId = :o",
      ExpressionAttributeValues: {
        ":one": 1,
        ":o": offerId,
        ...(share !== undefined ? { ":share": share } : {}),
      },
      ...(share !== undefined
        ? { ConditionExpression: "attribute_not_exists(sent) OR sent < :share" }
        : {}),
    },
  });
  return {
    async readCounters(
      deviceId: string,
      offers: { offerId: string; offerDay: string }[],
      deviceDay: string,
      partition: string = `DEVICE#${deviceId}`,
    ): Promise<{ perOffer: Map<string, OfferCounters>; deviceToday: number; deviceDay: string }> {
      const deviceKeys = [
        capCounterKeys.fatigueDay(partition, deviceDay),
        ...offers.flatMap((o) => [
          capCounterKeys.offerTotal(partition, o.offerId),
          capCounterKeys.offerDay(partition, o.offerId, o.offerDay),
        ]),
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
      for (const item of out[tables.devices] ?? []) bySk.set(String(item.sk), item);
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
      return { perOffer, deviceToday: Number(fatigue?.n ?? 0), deviceDay };
    },

    async grant(plan: GrantPlan): Promise<GrantOutcome> {
      const items: TransactItem[] = [];
      const roles: string[] = [];
      const push = (role: string, item: TransactItem) => {
        roles.push(role);
        items.push(item);
      };
      const choice = plan.choice;
      push("profile", grantProfileCheck(tables.devices, plan.deviceId, choice !== undefined));
      const capOwner = plan.capPartition ?? `DEVICE#${plan.deviceId}`;
      const claimOwner = plan.claimPartition ?? `DEVICE#${plan.deviceId}`;
      for (const eventKey of plan.eventKeys) {
        push("claim", {
          Put: {
            TableName: tables.devices,
            Item: {
              ...claimKey(claimOwner, eventKey),
              incentiveId: choice?.incentive.incentiveId,
              outcome: choice?.incentive.outcome ?? "suppressed",
              decidedAt: plan.now,
              expiresAt: plan.claimExpiresAt,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        });
      }
      if (choice) {
        const inc = choice.incentive;
        const totalConds: string[] = [];
        const totalValues: Record<string, unknown> = {
          ":one": 1,
          ":now": plan.now,
          ":exp": choice.offerTotalExpiresAt,
        };
        if (choice.caps.perDeviceTotal !== undefined) {
          totalConds.push("(attribute_not_exists(#total) OR #total < :capTotal)");
          totalValues[":capTotal"] = choice.caps.perDeviceTotal;
        }
        if (choice.caps.cooldownMinutes !== undefined) {
          totalConds.push("(attribute_not_exists(lastSentAt) OR lastSentAt <= :cutoff)");
          totalValues[":cutoff"] = plan.now - choice.caps.cooldownMinutes * 60_000;
        }
        push("offerTotal", {
          Update: {
            TableName: tables.devices,
            Key: capCounterKeys.offerTotal(capOwner, inc.offerId),
            UpdateExpression: "ADD #total :one SET lastSentAt = :now, expiresAt = :exp",
            ExpressionAttributeNames: { "#total": "total" },
            ExpressionAttributeValues: totalValues,
            ...(totalConds.length > 0 ? { ConditionExpression: totalConds.join(" AND ") } : {}),
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        });
        const dayCap = choice.caps.perDevicePerDay;
        push("offerDay", {
          Update: {
            TableName: tables.devices,
            Key: capCounterKeys.offerDay(capOwner, inc.offerId, choice.offerDay),
            UpdateExpression: "ADD n :one SET expiresAt = :exp",
            ExpressionAttributeValues: {
              ":one": 1,
              ":exp": choice.counterExpiresAt,
              ...(dayCap !== undefined ? { ":cap": dayCap } : {}),
            },
            ...(dayCap !== undefined
              ? { ConditionExpression: "attribute_not_exists(n) OR n < :cap" }
              : {}),
          },
        });
        if (choice.fatigueCapPerDay !== undefined) {
          push("fatigue", {
            Update: {
              TableName: tables.devices,
              Key: capCounterKeys.fatigueDay(capOwner, choice.deviceDay),
              UpdateExpression: "ADD n :one SET expiresAt = :exp",
              ConditionExpression: "attribute_not_exists(n) OR n < :cap",
              ExpressionAttributeValues: {
                ":one": 1,
                ":cap": choice.fatigueCapPerDay,
                ":exp": choice.counterExpiresAt,
              },
            },
          });
        }
        // The budget slice is chosen per attempt (below); this is its place in the transaction.
        if (inc.outcome === "sent") push("budget", budgetUpdate(inc.offerId, 0, undefined));
        const retainUntil = Math.ceil(
          (Math.max(inc.expiresAtMs ?? 0, inc.grantedAt + inc.attributionWindowHours * 3_600_000) +
            30 * 86_400_000) /
            1000,
        );
        push("incentive", {
          Put: {
            TableName: tables.incentives,
            Item: {
              ...incentiveKeys.incentive(inc.incentiveId),
              entity: "incentive",
              ...inc,
              expiresAt: retainUntil,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        });
        if (inc.outcome === "sent" && inc.codeKind === "unique" && inc.code) {
          push("code", {
            Put: {
              TableName: tables.incentives,
              Item: {
                ...incentiveKeys.codeClaim(inc.merchantId, inc.code),
                entity: "code",
                incentiveId: inc.incentiveId,
                merchantId: inc.merchantId,
                offerId: inc.offerId,
                storeId: inc.storeId,
                storeIds: choice.storeIds,
                code: inc.code,
                codeKind: "unique",
                status: "issued",
                expiresAtMs: inc.expiresAtMs,
                title: inc.title,
                deviceRef: choice.deviceRef,
                timeZone: choice.storeTimeZone,
                ...(inc.touch ? { touch: inc.touch } : {}),
                // Removed by TTL a week after the code expires (410 until then); the removal is
                // what logs `expired` for codes never redeemed.
                expiresAt: Math.ceil((inc.expiresAtMs ?? inc.grantedAt) / 1000) + CODE_GRACE_S,
              },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          });
        }
        const attribution: AttributionItem = {
          incentiveId: inc.incentiveId,
          merchantId: inc.merchantId,
          offerId: inc.offerId,
          storeIds: choice.storeIds,
          outcome: inc.outcome,
          grantedAt: inc.grantedAt,
          windowEndsAt: inc.grantedAt + inc.attributionWindowHours * 3_600_000,
          ...(inc.touch && inc.touch.kind !== "web_claim"
            ? {
                touch: {
                  kind: inc.touch.kind,
                  channel: inc.touch.channel,
                  variant: inc.touch.variant,
                  ...(inc.touch.linkId ? { linkId: inc.touch.linkId } : {}),
                },
              }
            : {}),
        };
        push("attribution", {
          Put: {
            TableName: tables.devices,
            Item: {
              ...attributionKey(plan.deviceId, inc.merchantId, inc.grantedAt, inc.incentiveId),
              ...attribution,
              // Kept as long as the incentive item: erasure finds the device's incentives here.
              expiresAt: retainUntil,
            },
          },
        });
      }
      for (const record of plan.records) {
        push("record", {
          Put: {
            TableName: tables.conversions,
            Item: conversionItem(record, plan.recordExpiresAt),
          },
        });
      }
      for (const bump of mergeBumps(plan.counters)) {
        for (const item of counterUpdates(bump, tables.conversions)) push("counter", item);
      }
      for (const bump of mergeTouchBumps(plan.touchCounters ?? [])) {
        for (const item of touchCounterUpdates(bump, tables.conversions)) push("counter", item);
      }
      const budgetIndex = roles.indexOf("budget");
      const offerId = choice?.incentive.offerId ?? "";
      const max = choice?.maxIncentives;
      // Shares depend on the pre-slice count: read it before the first sliced grant of an offer.
      let use =
        budgetIndex >= 0
          ? (budgetMemo.get(offerId) ?? (max !== undefined ? await readBudget(offerId) : undefined))
          : undefined;
      const full = new Set<number>();
      let start = sliceHash(choice?.incentive.incentiveId ?? plan.deviceId);
      let conflicts = 0;
      let budgetMisses = 0;
      for (;;) {
        let slice = -1;
        if (budgetIndex >= 0) {
          const picked = pickSlice({
            max,
            preSliced: use?.preSliced ?? 0,
            sent: use?.sent ?? [],
            slices,
            start,
            full,
          });
          if (picked === undefined) return { kind: "rejected", reason: "budget" };
          slice = picked;
          items[budgetIndex] = budgetUpdate(
            offerId,
            slice,
            max !== undefined ? sliceShare(max, use?.preSliced ?? 0, slices, slice) : undefined,
          );
        }
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return { kind: "committed" };
        } catch (error) {
          const reasons = (
            error as { CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[] }
          ).CancellationReasons;
          if ((error as Error).name !== "TransactionCanceledException" || !reasons) throw error;
          if (isConflict(reasons)) {
            conflicts += 1;
            options.onTransactionConflict?.();
            if (conflicts > conflictRetries) throw error;
            // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter").
            await sleep(Math.random() * Math.min(500, 20 * 2 ** conflicts));
            start = slice + 1;
            continue;
          }
          const failed = reasons.findIndex((r) => r.Code === "ConditionalCheckFailed");
          if (failed === -1) throw error;
          const role = roles[failed];
          if (role === "budget") {
            // This slice is spent: borrow from another one with room, as read now. Each miss
            // finds one more slice full, so this ends after at most `slices` + 1 misses.
            budgetMisses += 1;
            if (budgetMisses > slices + 1) return { kind: "rejected", reason: "budget" };
            use = await readBudget(offerId);
            full.clear();
            full.add(slice);
            start = slice + 1;
            continue;
          }
          if (role === "profile") {
            const profile = reasons[failed]?.Item;
            return !profile || profile.erasingAt !== undefined
              ? { kind: "erased" }
              : { kind: "rejected", reason: "no_consent" };
          }
          if (role === "claim") {
            const key = plan.eventKeys[failed - 1];
            const claim = key
              ? await client.send(
                  new GetCommand({
                    TableName: tables.devices,
                    Key: claimKey(plan.claimPartition ?? `DEVICE#${plan.deviceId}`, key),
                    ConsistentRead: true,
                  }),
                )
              : undefined;
            return {
              kind: "duplicate",
              incentiveId: claim?.Item?.incentiveId as string | undefined,
            };
          }
          if (role === "offerTotal") {
            const old = reasons[failed]?.Item;
            const cap = choice?.caps.perDeviceTotal;
            const total = Number((old?.total as number | undefined) ?? 0);
            return {
              kind: "rejected",
              reason: cap !== undefined && total >= cap ? "cap_total" : "cooldown",
            };
          }
          if (role === "offerDay") return { kind: "rejected", reason: "cap_day" };
          if (role === "fatigue") return { kind: "rejected", reason: "fatigue" };
          if (role === "code") return { kind: "rejected", reason: "code_taken" };
          throw error;
        }
      }
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
      for (const record of input.records) {
        items.push({
          Put: {
            TableName: tables.conversions,
            Item: conversionItem(record, input.recordExpiresAt),
          },
        });
      }
      for (const bump of mergeTouchBumps(input.touchCounters))
        items.push(...touchCounterUpdates(bump, tables.conversions));
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return { kind: "committed" };
      } catch (error) {
        if ((error as Error).name !== "TransactionCanceledException") throw error;
        const reasons = (error as { CancellationReasons?: { Code?: string }[] })
          .CancellationReasons;
        if (reasons?.[0]?.Code === "ConditionalCheckFailed") return { kind: "erased" };
        if (reasons?.[1]?.Code !== "ConditionalCheckFailed") throw error;
        const claim = await client.send(
          new GetCommand({
            TableName: tables.devices,
            Key: claimKey(input.claimPartition, input.eventKey),
            ConsistentRead: true,
          }),
        );
        return {
          kind: "duplicate",
          incentiveId: claim.Item?.incentiveId as string | undefined,
          outcome: claim.Item?.outcome as string | undefined,
        };
      }
    },

    /**
     * A code for a claim from a web page (no device, no person): budget, incentive, code, log
     * record and touch counters in one transaction. `budget` when the offer's budget is spent.
     */
    async grantWebCode(input: WebCodeInput): Promise<"committed" | "budget" | "code_taken"> {
      const inc = input.incentive;
      const max = input.maxIncentives;
      const retainUntil = Math.ceil(((inc.expiresAtMs ?? inc.grantedAt) + 30 * 86_400_000) / 1000);
      const items: TransactItem[] = [
        // The budget slice is chosen per attempt, as for device grants.
        budgetUpdate(inc.offerId, 0, undefined),
        {
          Put: {
            TableName: tables.incentives,
            Item: {
              ...incentiveKeys.incentive(inc.incentiveId),
              entity: "incentive",
              ...inc,
              expiresAt: retainUntil,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        {
          Put: {
            TableName: tables.incentives,
            Item: {
              ...incentiveKeys.codeClaim(inc.merchantId, inc.code ?? ""),
              entity: "code",
              incentiveId: inc.incentiveId,
              merchantId: inc.merchantId,
              offerId: inc.offerId,
              storeId: inc.storeId,
              storeIds: input.storeIds,
              code: inc.code,
              codeKind: "unique",
              status: "issued",
              expiresAtMs: inc.expiresAtMs,
              title: inc.title,
              deviceRef: input.deviceRef,
              timeZone: input.storeTimeZone,
              ...(inc.touch ? { touch: inc.touch } : {}),
              expiresAt: Math.ceil((inc.expiresAtMs ?? inc.grantedAt) / 1000) + CODE_GRACE_S,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
      ];
      for (const record of input.records) {
        items.push({
          Put: {
            TableName: tables.conversions,
            Item: conversionItem(record, input.recordExpiresAt),
          },
        });
      }
      for (const bump of mergeTouchBumps(input.touchCounters))
        items.push(...touchCounterUpdates(bump, tables.conversions));
      const offerId = inc.offerId;
      let use =
        budgetMemo.get(offerId) ?? (max !== undefined ? await readBudget(offerId) : undefined);
      const full = new Set<number>();
      let start = sliceHash(inc.incentiveId);
      let conflicts = 0;
      let budgetMisses = 0;
      for (;;) {
        const slice = pickSlice({
          max,
          preSliced: use?.preSliced ?? 0,
          sent: use?.sent ?? [],
          slices,
          start,
          full,
        });
        if (slice === undefined) return "budget";
        items[0] = budgetUpdate(
          offerId,
          slice,
          max !== undefined ? sliceShare(max, use?.preSliced ?? 0, slices, slice) : undefined,
        );
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return "committed";
        } catch (error) {
          if ((error as Error).name !== "TransactionCanceledException") throw error;
          const reasons =
            (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
          if (isConflict(reasons)) {
            conflicts += 1;
            options.onTransactionConflict?.();
            if (conflicts > conflictRetries) throw error;
            await sleep(Math.random() * Math.min(500, 20 * 2 ** conflicts));
            start = slice + 1;
            continue;
          }
          if (reasons[0]?.Code === "ConditionalCheckFailed") {
            // This slice is spent: borrow from another with room, as read now.
            budgetMisses += 1;
            if (budgetMisses > slices + 1) return "budget";
            use = await readBudget(offerId);
            full.clear();
            full.add(slice);
            start = slice + 1;
            continue;
          }
          if (reasons[2]?.Code === "ConditionalCheckFailed") return "code_taken";
          throw error;
        }
      }
    },

    /** Touch counters and a log record outside any decision (suppressed claims, repeat exposures). */
    async logTouch(
      records: ConversionRecord[],
      bumps: TouchBump[],
      recordExpiresAt: number,
    ): Promise<void> {
      const items: TransactItem[] = [];
      for (const record of records) {
        items.push({
          Put: { TableName: tables.conversions, Item: conversionItem(record, recordExpiresAt) },
        });
      }
      for (const bump of mergeTouchBumps(bumps))
        items.push(...touchCounterUpdates(bump, tables.conversions));
      if (items.length > 0) await client.send(new TransactWriteCommand({ TransactItems: items }));
    },

    /** The idempotency claim `eventKey` in `partition`, if decided (consistent read). */
    async getClaim(
      partition: string,
      eventKey: string,
    ): Promise<{ incentiveId?: string; outcome?: string } | undefined> {
      const out = await client.send(
        new GetCommand({
          TableName: tables.devices,
          Key: claimKey(partition, eventKey),
          ConsistentRead: true,
        }),
      );
      return out.Item as { incentiveId?: string; outcome?: string } | undefined;
    },

    async getIncentive(incentiveId: string): Promise<Incentive | undefined> {
      const out = await client.send(
        new GetCommand({
          TableName: tables.incentives,
          Key: incentiveKeys.incentive(incentiveId),
          ConsistentRead: true,
        }),
      );
      return out.Item as Incentive | undefined;
    },

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
            ":pk": `DEVICE#${deviceId}`,
            ":from": `ATTR#${merchantId}#${String(Math.max(0, since)).padStart(15, "0")}`,
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
    async recordVisit(input: {
      deviceId: string;
      eventKey: string;
      claimExpiresAt: number;
      now: number;
      records: ConversionRecord[];
      counters: CounterBump[];
      touchCounters?: TouchBump[] | undefined;
      attributed: AttributionItem[];
      recordExpiresAt: number;
      journey?: JourneyWrite | undefined;
      marks?: AttributionMark[] | undefined;
    }): Promise<"committed" | "duplicate" | "erased" | "conflict"> {
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
      for (const record of input.records) {
        items.push({
          Put: {
            TableName: tables.conversions,
            Item: conversionItem(record, input.recordExpiresAt),
          },
        });
      }
      for (const bump of mergeBumps(input.counters))
        items.push(...counterUpdates(bump, tables.conversions));
      for (const bump of mergeTouchBumps(input.touchCounters ?? []))
        items.push(...touchCounterUpdates(bump, tables.conversions));
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return "committed";
      } catch (error) {
        if ((error as Error).name === "TransactionCanceledException") {
          const reasons = (error as { CancellationReasons?: { Code?: string }[] })
            .CancellationReasons;
          if (reasons?.[0]?.Code === "ConditionalCheckFailed") return "erased";
          // The claim taken: a replay. Anything else (the history or a handle moved, a
          // transaction conflict) is worth reading again and retrying.
          if (reasons?.[1]?.Code === "ConditionalCheckFailed") return "duplicate";
          return "conflict";
        }
        throw error;
      }
    },

    /**
     * Logs an unredeemed code's expiry once: the record's condition makes a redelivered stream
     * record a no-op, and the counter moves in the same transaction.
     */
    async recordExpired(record: ConversionRecord, recordExpiresAt: number): Promise<boolean> {
      const items: TransactItem[] = [
        {
          Put: {
            TableName: tables.conversions,
            Item: conversionItem(record, recordExpiresAt),
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        ...counterUpdates(
          {
            merchantId: record.merchantId,
            offerId: record.offerId ?? "-",
            storeId: record.storeId,
            localDay: record.localDay,
            fields: {
              [isOnlineTouch(record.touch) ? COUNTER_FIELDS.onlineExpired : COUNTER_FIELDS.expired]:
                1,
            },
          },
          tables.conversions,
        ),
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
      try {
        await client.send(
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
        return true;
      } catch (error) {
        if ((error as Error).name === "ConditionalCheckFailedException") return false;
        throw error;
      }
    },
  };
}
