/**
 * The actions of a grant transaction, each with the role it plays, so a cancellation reason
 * (one per action, in order) names what refused the grant: the device profile, an idempotency
 * claim, a cap, the budget slice or the unique code. The budget slice is chosen per attempt
 * (`commitWithBudgetSlice`); `grantItems` holds its place in the transaction.
 */
import { deviceKeys } from "../../domain/device.ts";
import { capCounterKeys, type Incentive, incentiveKeys } from "../../domain/incentive.ts";
import type {
  AttributionItem,
  GrantChoice,
  GrantPlan,
} from "../../use-cases/ports/decision-store.ts";
import { recordPuts } from "./conversion-log.ts";
import { funnelCounterItems, touchCounterItems } from "./counter-updates.ts";
import type { TransactItem } from "./transact.ts";
import { profileLiveCheck } from "./visit-store.ts";

/** How long an expired code is kept (answering 410) before TTL removes it. */
export const CODE_GRACE_S = 7 * 86_400;

/** The tables a decision writes to. */
export interface DecisionTables {
  devices: string;
  incentives: string;
  conversions: string;
}

/** The idempotency claim of a decision, in `partition` (a device's, or a person's). */
export function claimKey(partition: string, eventKey: string) {
  return { pk: partition, sk: `CLAIM#${eventKey}` };
}

/**
 * Where a merchant's attribution handles granted at or after `grantedAt` (epoch ms) start in a
 * device partition: the time is zero-padded to 15 digits so sort keys order by it.
 */
export const attributionSkFrom = (merchantId: string, grantedAt: number) =>
  `ATTR#${merchantId}#${String(grantedAt).padStart(15, "0")}`;

/** Key of an attribution handle: in the device's partition, sorted by merchant and grant time. */
export const attributionKey = (
  deviceId: string,
  merchantId: string,
  grantedAt: number,
  incentiveId: string,
) => ({
  pk: deviceKeys.partition(deviceId),
  sk: `${attributionSkFrom(merchantId, grantedAt)}#${incentiveId}`,
});

/**
 * The grant's check on the device profile: it must exist and not be under erasure (a token cached
 * by the authorizer can outlive the device), and, when an incentive or holdout is recorded, the
 * device must still consent to marketing as stored now (the authorizer's copy may be a minute
 * old). `ALL_OLD` tells the two failures apart.
 */
export function grantProfileCheck(
  table: string,
  deviceId: string,
  needsConsent: boolean,
): TransactItem {
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

/**
 * One grant's increment of budget slice `slice` of an offer (incentives table), bounded by the
 * slice's share (`sent < share`) when the offer has a budget.
 */
export function budgetSliceUpdate(
  table: string,
  offerId: string,
  slice: number,
  share: number | undefined,
): TransactItem {
  return {
    Update: {
      TableName: table,
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
  };
}

/** The incentive item, written once (`expiresAt`: epoch seconds when TTL may remove it). */
export function incentivePut(table: string, inc: Incentive, retainUntil: number): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: {
        ...incentiveKeys.incentive(inc.incentiveId),
        entity: "incentive",
        ...inc,
        expiresAt: retainUntil,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/**
 * The claim of a unique code (merchant-wide: a code taken by another incentive fails the
 * transaction), with what redemption needs: the offer's stores, the device reference, the time
 * zone its expiry is counted in. Removed by TTL `CODE_GRACE_S` after the code expires (410 until
 * then); the removal is what logs `expired` for codes never redeemed.
 */
export function codeClaimPut(
  table: string,
  inc: Incentive,
  code: string,
  holder: { storeIds: string[]; deviceRef: string; storeTimeZone: string },
): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: {
        ...incentiveKeys.codeClaim(inc.merchantId, code),
        entity: "code",
        incentiveId: inc.incentiveId,
        merchantId: inc.merchantId,
        offerId: inc.offerId,
        storeId: inc.storeId,
        storeIds: holder.storeIds,
        code: inc.code,
        codeKind: "unique",
        status: "issued",
        expiresAtMs: inc.expiresAtMs,
        title: inc.title,
        deviceRef: holder.deviceRef,
        timeZone: holder.storeTimeZone,
        ...(inc.touch ? { touch: inc.touch } : {}),
        expiresAt: Math.ceil((inc.expiresAtMs ?? inc.grantedAt) / 1000) + CODE_GRACE_S,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** What each action of a grant transaction guards or writes. */
export type GrantRole =
  | "profile"
  | "claim"
  | "offerTotal"
  | "offerDay"
  | "fatigue"
  | "budget"
  | "incentive"
  | "code"
  | "attribution"
  | "record"
  | "counter"
  /** The batch's outbox clear, last (it refuses nothing: a moved visit item is dropped). */
  | "outbox";

/** A grant transaction: its actions and, at the same index, the role of each. */
export interface GrantTransaction {
  items: TransactItem[];
  roles: GrantRole[];
}

/**
 * The per-device cap counters a grant increments: the offer's total (with the lifetime cap and
 * the cooldown as conditions), the offer's day, and the daily fatigue counter when it applies.
 */
function capUpdates(
  table: string,
  capOwner: string,
  now: number,
  choice: GrantChoice,
): [GrantRole, TransactItem][] {
  const inc = choice.incentive;
  const totalConds: string[] = [];
  const totalValues: Record<string, unknown> = {
    ":one": 1,
    ":now": now,
    ":exp": choice.offerTotalExpiresAt,
  };
  if (choice.caps.perDeviceTotal !== undefined) {
    totalConds.push("(attribute_not_exists(#total) OR #total < :capTotal)");
    totalValues[":capTotal"] = choice.caps.perDeviceTotal;
  }
  if (choice.caps.cooldownMinutes !== undefined) {
    totalConds.push("(attribute_not_exists(lastSentAt) OR lastSentAt <= :cutoff)");
    totalValues[":cutoff"] = now - choice.caps.cooldownMinutes * 60_000;
  }
  const out: [GrantRole, TransactItem][] = [
    [
      "offerTotal",
      {
        Update: {
          TableName: table,
          Key: capCounterKeys.offerTotal(capOwner, inc.offerId),
          UpdateExpression: "ADD #total :one SET lastSentAt = :now, expiresAt = :exp",
          ExpressionAttributeNames: { "#total": "total" },
          ExpressionAttributeValues: totalValues,
          ...(totalConds.length > 0 ? { ConditionExpression: totalConds.join(" AND ") } : {}),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
    ],
  ];
  const dayCap = choice.caps.perDevicePerDay;
  out.push([
    "offerDay",
    {
      Update: {
        TableName: table,
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
    },
  ]);
  if (choice.fatigueCapPerDay !== undefined) {
    out.push([
      "fatigue",
      {
        Update: {
          TableName: table,
          Key: capCounterKeys.fatigueDay(capOwner, choice.deviceDay),
          UpdateExpression: "ADD n :one SET expiresAt = :exp",
          ConditionExpression: "attribute_not_exists(n) OR n < :cap",
          ExpressionAttributeValues: {
            ":one": 1,
            ":cap": choice.fatigueCapPerDay,
            ":exp": choice.counterExpiresAt,
          },
        },
      },
    ]);
  }
  return out;
}

/**
 * The attribution handle of a grant (devices table): what a later visit needs to attribute
 * itself, kept as long as the incentive item (erasure finds the device's incentives here).
 */
function attributionPut(
  table: string,
  deviceId: string,
  choice: GrantChoice,
  retainUntil: number,
): TransactItem {
  const inc = choice.incentive;
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
  return {
    Put: {
      TableName: table,
      Item: {
        ...attributionKey(deviceId, inc.merchantId, inc.grantedAt, inc.incentiveId),
        ...attribution,
        expiresAt: retainUntil,
      },
    },
  };
}

/**
 * Every action of a grant, in order: the profile check, one claim per event, and with a choice
 * the cap counters, the budget slice (a placeholder on slice 0 when sent), the incentive, its
 * unique code and attribution handle; then log records, report counters and touch counters.
 */
export function grantItems(tables: DecisionTables, plan: GrantPlan): GrantTransaction {
  const tx: GrantTransaction = { items: [], roles: [] };
  const push = (role: GrantRole, item: TransactItem) => {
    tx.roles.push(role);
    tx.items.push(item);
  };
  const choice = plan.choice;
  push("profile", grantProfileCheck(tables.devices, plan.deviceId, choice !== undefined));
  const capOwner = plan.capPartition ?? deviceKeys.partition(plan.deviceId);
  const claimOwner = plan.claimPartition ?? deviceKeys.partition(plan.deviceId);
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
    for (const [role, item] of capUpdates(tables.devices, capOwner, plan.now, choice)) {
      push(role, item);
    }
    if (inc.outcome === "sent") {
      push("budget", budgetSliceUpdate(tables.incentives, inc.offerId, 0, undefined));
    }
    const retainUntil = Math.ceil(
      (Math.max(inc.expiresAtMs ?? 0, inc.grantedAt + inc.attributionWindowHours * 3_600_000) +
        30 * 86_400_000) /
        1000,
    );
    push("incentive", incentivePut(tables.incentives, inc, retainUntil));
    if (inc.outcome === "sent" && inc.codeKind === "unique" && inc.code) {
      push("code", codeClaimPut(tables.incentives, inc, inc.code, choice));
    }
    push("attribution", attributionPut(tables.devices, plan.deviceId, choice, retainUntil));
  }
  for (const item of recordPuts(tables.conversions, plan.records, plan.recordExpiresAt)) {
    push("record", item);
  }
  for (const item of [
    ...funnelCounterItems(plan.counters, tables.conversions),
    ...touchCounterItems(plan.touchCounters ?? [], tables.conversions),
  ]) {
    push("counter", item);
  }
  return tx;
}
