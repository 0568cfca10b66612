/**
 * Budget exactness at a high grant rate: many devices granting from one offer at once, with the
 * budget on one item (slices: 1, as before slicing) and on the shipped slices. Every grant goes
 * through the real grant transaction on DynamoDB Local; DynamoDB's transaction conflicts, which
 * DynamoDB Local never raises, are emulated on the items transactions hold in flight, and counted.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { readBudgetUse } from "../../../shared/adapters/dynamo/budget-counter.ts";
import {
  type DecisionStoreOptions,
  dynamoDecisionStore,
  type GrantOutcome,
  type GrantPlan,
} from "../../../shared/adapters/dynamo/decision-store.ts";
import { BUDGET_SLICES } from "../../../shared/domain/budget-slices.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import { incentiveKeys } from "../../../shared/domain/incentive.ts";
import { env, testClients, uniqueId } from "../../support/aws.ts";
import { putItem } from "../../support/fixtures.ts";
import { withTransactionConflicts } from "../../support/transaction-conflicts.ts";

const { doc } = testClients();
const tables = () => ({
  devices: env("DEVICES_TABLE"),
  incentives: env("INCENTIVES_TABLE"),
  conversions: env("CONVERSIONS_TABLE"),
});

async function devices(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => uniqueId("dev"));
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids.slice(i, i + 50).map((deviceId) =>
        doc.send(
          new PutCommand({
            TableName: env("DEVICES_TABLE"),
            Item: {
              ...deviceKeys.profile(deviceId),
              deviceId,
              consent: { location: true, marketing: true },
            },
          }),
        ),
      ),
    );
  }
  return ids;
}

function plan(
  deviceId: string,
  merchantId: string,
  offerId: string,
  storeId: string,
  maxIncentives: number | undefined,
  now: number,
): GrantPlan {
  const incentiveId = uniqueId("inc");
  return {
    deviceId,
    eventKeys: [`${incentiveId}:entered`],
    claimExpiresAt: Math.ceil(now / 1000) + 86_400,
    now,
    choice: {
      incentive: {
        incentiveId,
        merchantId,
        offerId,
        storeId,
        deviceId,
        outcome: "sent",
        status: "pending",
        code: "STATIC10",
        codeKind: "static",
        title: "10 % off",
        body: "Today only",
        triggerType: "entered",
        zoneId: `zone_${storeId}`,
        grantedAt: now,
        expiresAtMs: now + 86_400_000,
        attributionWindowHours: 24,
      },
      offerDay: "2026-11-30",
      deviceDay: "2026-11-30",
      caps: { perDevicePerDay: 1 },
      maxIncentives,
      fatigueCapPerDay: 3,
      storeIds: [storeId],
      storeTimeZone: "Europe/Paris",
      deviceRef: `ref_${deviceId}`,
      counterExpiresAt: Math.ceil(now / 1000) + 3 * 86_400,
      offerTotalExpiresAt: Math.ceil(now / 1000) + 30 * 86_400,
    },
    records: [],
    // A national offer: each grant counts on the report counters of one of 40 stores.
    counters: [
      {
        merchantId,
        offerId,
        storeId,
        localDay: "2026-11-30",
        fields: { sent: 1 },
      },
    ],
    recordExpiresAt: Math.ceil(now / 1000) + 86_400,
  };
}

interface Run {
  outcomes: (GrantOutcome | "error")[];
  /** Every thrown grant attempt, redelivered or not, as `name: message`. */
  failures: string[];
  conflicts: number;
  granted: number;
  refusedBudget: number;
  errors: number;
  stored: number;
  grantsPerS: number;
}

/** `grants` grants from distinct devices, all in flight at once, against one offer. */
async function burst(
  grants: number,
  maxIncentives: number | undefined,
  options: DecisionStoreOptions,
  setup?: (offerId: string) => Promise<void>,
  redeliveries = 0,
): Promise<Run> {
  let conflicts = 0;
  const failures: string[] = [];
  const { client } = withTransactionConflicts(doc);
  const store = dynamoDecisionStore(client, tables(), {
    ...options,
    onTransactionConflict: () => {
      conflicts += 1;
    },
  });
  const merchantId = uniqueId("m");
  const offerId = uniqueId("offer");
  await setup?.(offerId);
  const ids = await devices(grants);
  const now = Date.now();
  const started = performance.now();
  const outcomes = await Promise.all(
    ids.map(async (deviceId, i) => {
      // As the incentive sink does: read the counters, then grant.
      await store.readCounters(deviceId, [{ offerId, offerDay: "2026-11-30" }], "2026-11-30");
      const attempt = () =>
        store
          .grant(plan(deviceId, merchantId, offerId, `store_${i % 40}`, maxIncentives, now))
          .catch((error: unknown) => {
            failures.push(
              error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            );
            return "error" as const;
          });
      // A grant still conflicting after its retries throws; the device's outbox hands the event
      // on again (next batch or the sweeper), which `redeliveries` models.
      let outcome = await attempt();
      for (let r = 0; outcome === "error" && r < redeliveries; r++) outcome = await attempt();
      return outcome;
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const use = await readBudgetUse(doc, tables().incentives, [offerId], {
    consistent: true,
    slices: options.budgetSlices ?? BUDGET_SLICES,
  });
  const granted = outcomes.filter((o) => o !== "error" && o.kind === "committed").length;
  return {
    outcomes,
    failures,
    conflicts,
    granted,
    refusedBudget: outcomes.filter(
      (o) => o !== "error" && o.kind === "rejected" && o.reason === "budget",
    ).length,
    errors: outcomes.filter((o) => o === "error").length,
    stored: use.get(offerId)?.total ?? 0,
    grantsPerS: granted / elapsedS,
  };
}

/** Only transaction conflicts may throw (the outbox redelivers them); anything else is a fault. */
function expectOnlyConflictsThrown(run: Run): void {
  expect(run.failures.filter((f) => !f.includes("TransactionConflict"))).toEqual([]);
}

/** A burst in which no grant failed, with exactly these counts. */
function expectExactRun(
  run: Run,
  counts: Partial<Pick<Run, "granted" | "refusedBudget" | "stored">>,
) {
  expectOnlyConflictsThrown(run);
  expect(run.errors).toBe(0);
  expect(run).toMatchObject(counts);
}

// Liveness under the emulated conflicts is the first case's (shipped retries); the others test
// exactness and borrowing, with retries enough that a starved event loop cannot exhaust them.
const GRANTS = 80;
const BUDGET = 60;

describe("budget slices under a high grant rate", () => {
  it("grants exactly the budget from 80 devices at once, counting conflicts with one budget item and with slices", async () => {
    const single = await burst(GRANTS, BUDGET, { budgetSlices: 1 });
    const sliced = await burst(GRANTS, BUDGET, {});
    const figures = { single, sliced };
    for (const [name, run] of Object.entries(figures)) {
      console.info(
        `budget ${name}: granted ${run.granted}, refused (budget) ${run.refusedBudget}, errors ${run.errors}, stored ${run.stored}, transaction conflicts ${run.conflicts}, ${run.grantsPerS.toFixed(0)} grants/s`,
      );
      // Never over budget, and what is stored is what was granted.
      expectOnlyConflictsThrown(run);
      expect(run.stored).toBe(run.granted);
      expect(run.granted).toBeLessThanOrEqual(BUDGET);
      expect(run.granted + run.refusedBudget + run.errors).toBe(GRANTS);
    }
    // With slices exactly the budget goes out; a grant that still conflicts after its retries
    // is thrown (the device posts again), which slices make rarer than one budget item does.
    expect(sliced.errors).toBeLessThanOrEqual(Math.max(1, single.errors));
    expect(sliced.granted).toBe(BUDGET);
    // Every other grant is refused for budget, or (rarely) still conflicting after its retries.
    expect(sliced.refusedBudget + sliced.errors).toBe(GRANTS - BUDGET);
    // One budget item in every transaction is what conflicts: slices take most conflicts away.
    expect(sliced.conflicts).toBeLessThan(single.conflicts);
  }, 150_000);

  it("refuses no grant while budget remains on any slice (budget = grants: every grant borrows if its slice is full)", async () => {
    const run = await burst(80, 80, { conflictRetries: 40 }, undefined, 3);
    expectExactRun(run, { refusedBudget: 0, granted: 80, stored: 80 });
  });

  it("counts the pre-slice budget item: 100 already sent of 150 leaves exactly 50", async () => {
    const run = await burst(
      80,
      150,
      { conflictRetries: 40 },
      async (offerId) => {
        await putItem("INCENTIVES_TABLE", { ...incentiveKeys.budget(offerId), sent: 100, offerId });
      },
      3,
    );
    expectExactRun(run, { granted: 50, refusedBudget: 30, stored: 150 });
  });

  it("counts every grant of an offer without a budget over the slices", async () => {
    const run = await burst(60, undefined, { conflictRetries: 40 }, undefined, 3);
    expectExactRun(run, { granted: 60, stored: 60 });
  });
});
