import { describe, expect, it } from "vitest";
import type { IssuedCode } from "../../../shared/adapters/dynamo/redemption-store.ts";
import {
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  TooManyRequestsError,
} from "../../../shared/errors.ts";
import {
  attemptWindow,
  type RedemptionDeps,
  redeemCode,
  UNKNOWN_DEVICE,
} from "../../../shared/use-cases/redemptions.ts";
import { MemoryCatalog } from "../../support/memory/catalog.ts";
import { MemoryRedemptions } from "../../support/memory/redemption-store.ts";
import { A, B, counterRandom, fixedClock, OFFER, principal, S1, S2, S3 } from "./fakes.ts";

// 23:30 UTC is already the next day in Paris: the counters take the store's local day.
const NOW = Date.parse("2026-05-01T23:30:00Z");
const CODE = "ABCDEFGHJK";

function issued(patch: Partial<IssuedCode> = {}): IssuedCode {
  return {
    incentiveId: "inc_1",
    merchantId: A,
    offerId: OFFER,
    storeId: S1,
    storeIds: [S1, S2],
    code: CODE,
    codeKind: "unique",
    status: "issued",
    expiresAtMs: NOW + 3_600_000,
    title: "10 % off",
    deviceRef: "ref_abc",
    ...patch,
  };
}

function setup(maxFailures = 3) {
  const redemptions = new MemoryRedemptions();
  redemptions.addCode(issued());
  const catalog = new MemoryCatalog();
  for (const s of [S1, S2, S3]) catalog.addStore(A, s);
  catalog.addStore(B, S1);
  const clock = fixedClock(NOW);
  const deps: RedemptionDeps = {
    redemptions,
    catalog,
    clock,
    random: counterRandom(),
    limits: { maxFailures, maxStoreFailures: 100, windowMs: 15 * 60_000 },
    retentionDays: 400,
  };
  return { deps, redemptions, catalog, clock };
}

const pos = principal(A, "pos");

async function failure(p: Promise<unknown>) {
  return (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as Error | undefined;
}

describe("redeeming a unique code", () => {
  it("redeems once, logs `redeemed` on the store's local day, and answers the offer title", async () => {
    const { deps, redemptions } = setup();
    const out = await redeemCode(deps, pos, { code: "abcd-efgh jk", storeId: S2 });
    expect(out).toEqual({
      offerId: OFFER,
      title: "10 % off",
      incentiveId: "inc_1",
      redeemedAt: new Date(NOW).toISOString(),
      storeId: S2,
      codeKind: "unique",
    });
    expect(redemptions.writes).toHaveLength(1);
    const write = redemptions.writes[0];
    expect(write?.record).toMatchObject({
      eventId: "redeem:inc_1",
      type: "redeemed",
      merchantId: A,
      offerId: OFFER,
      storeId: S2,
      deviceRef: "ref_abc",
      localDay: "2026-05-02",
      group: "treated",
    });
    expect(write?.recordExpiresAt).toBe(Math.ceil(NOW / 1000) + 400 * 86_400);
    const again = await failure(redeemCode(deps, pos, { code: CODE, storeId: S1 }));
    expect(again).toBeInstanceOf(ConflictError);
  });

  it("exactly one of two interleaved redemptions wins; the other gets 409", async () => {
    const { deps, redemptions } = setup();
    const results = await Promise.allSettled([
      redeemCode(deps, pos, { code: CODE, storeId: S1 }),
      redeemCode(deps, principal(A, "pos", "till-2"), { code: CODE, storeId: S2 }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(redemptions.writes).toHaveLength(1);
  });

  it("a competitor between read and write turns into 409, not a second redemption", async () => {
    const { deps, redemptions } = setup();
    redemptions.beforeRedeem = () => {
      const c = redemptions.codes.get(`${A}|${CODE}`);
      if (c) c.status = "redeemed";
      redemptions.beforeRedeem = undefined;
    };
    expect(await failure(redeemCode(deps, pos, { code: CODE, storeId: S1 }))).toBeInstanceOf(
      ConflictError,
    );
    expect(redemptions.writes).toHaveLength(0);
  });

  it("expired → 410, another merchant → 404, a store the offer does not list → 404", async () => {
    const { deps, clock } = setup(100);
    const wrongStore = await failure(redeemCode(deps, pos, { code: CODE, storeId: S3 }));
    expect(wrongStore).toBeInstanceOf(NotFoundError);
    expect((wrongStore as NotFoundError).issues?.[0]?.path).toBe("storeId");
    const otherMerchant = await failure(
      redeemCode(deps, principal(B, "pos"), { code: CODE, storeId: S1 }),
    );
    expect(otherMerchant).toBeInstanceOf(NotFoundError);
    expect((otherMerchant as NotFoundError).issues?.[0]?.path).toBe("code");
    clock.set(NOW + 3_600_000);
    expect(await failure(redeemCode(deps, pos, { code: CODE, storeId: S1 }))).toBeInstanceOf(
      GoneError,
    );
  });

  it("only the pos role may redeem", async () => {
    const { deps } = setup();
    for (const role of ["marketing-analyst", "merchant-admin"] as const) {
      expect(
        await failure(redeemCode(deps, principal(A, role), { code: CODE, storeId: S1 })),
      ).toBeInstanceOf(ForbiddenError);
    }
  });
});

describe("guessing", () => {
  it("guessed codes get 404 until the threshold, then 429 with the time left, even for a real code", async () => {
    const { deps, redemptions, clock } = setup(3);
    for (const guess of ["2222222222", "3333333333", "not-a-code"]) {
      expect(await failure(redeemCode(deps, pos, { code: guess, storeId: S1 }))).toBeInstanceOf(
        NotFoundError,
      );
    }
    const blocked = await failure(redeemCode(deps, pos, { code: CODE, storeId: S1 }));
    expect(blocked).toBeInstanceOf(TooManyRequestsError);
    const window = attemptWindow(NOW, 15 * 60_000);
    expect((blocked as TooManyRequestsError).extensions?.retryAfterSeconds).toBe(
      (window.end - NOW) / 1000,
    );
    expect(redemptions.writes).toHaveLength(0);
    // Another till is not blocked; the next window starts afresh.
    await expect(
      redeemCode(deps, principal(A, "pos", "till-2"), { code: CODE, storeId: S1 }),
    ).resolves.toMatchObject({ incentiveId: "inc_1" });
    clock.set(window.end);
    expect(await failure(redeemCode(deps, pos, { code: CODE, storeId: S1 }))).toBeInstanceOf(
      ConflictError,
    );
  });

  it("409 and 410 do not count as failed attempts", async () => {
    const { deps, redemptions } = setup(1);
    redemptions.addCode(issued({ code: "BBBBBBBBBB", status: "redeemed", incentiveId: "inc_2" }));
    redemptions.addCode(issued({ code: "CCCCCCCCCC", expiresAtMs: NOW - 1, incentiveId: "inc_3" }));
    for (let i = 0; i < 3; i++) {
      expect(
        await failure(redeemCode(deps, pos, { code: "BBBBBBBBBB", storeId: S1 })),
      ).toBeInstanceOf(ConflictError);
      expect(
        await failure(redeemCode(deps, pos, { code: "CCCCCCCCCC", storeId: S1 })),
      ).toBeInstanceOf(GoneError);
    }
    await expect(redeemCode(deps, pos, { code: CODE, storeId: S1 })).resolves.toBeDefined();
  });
});

describe("static codes", () => {
  function withStatic() {
    const ctx = setup(10);
    ctx.catalog.addOffer(A, "of_static00001", {
      storeIds: [S1],
      message: { title: "Free coffee", body: "b" },
      redemption: { codeKind: "static", staticCode: "COFFEE-2026", expiresAfterHours: 24 },
      validTo: "2026-05-10T00:00:00.000Z",
    });
    return ctx;
  }

  it("are found through the catalog, reusable, and logged without a device", async () => {
    const { deps, redemptions } = withStatic();
    for (const typed of ["coffee 2026", "COFFEE-2026"]) {
      const out = await redeemCode(deps, pos, { code: typed, storeId: S1 });
      expect(out).toMatchObject({
        offerId: "of_static00001",
        title: "Free coffee",
        incentiveId: null,
        codeKind: "static",
      });
    }
    expect(redemptions.writes).toHaveLength(2);
    expect(redemptions.writes[0]?.record).toMatchObject({
      type: "redeemed",
      deviceRef: UNKNOWN_DEVICE,
      offerId: "of_static00001",
      storeId: S1,
    });
    expect(redemptions.writes[0]?.record.eventId).not.toBe(redemptions.writes[1]?.record.eventId);
  });

  it("at a store the offer does not list → 404; after validTo + expiresAfterHours → 410", async () => {
    const { deps, clock } = withStatic();
    expect(
      await failure(redeemCode(deps, pos, { code: "COFFEE-2026", storeId: S2 })),
    ).toBeInstanceOf(NotFoundError);
    clock.set(Date.parse("2026-05-11T00:00:00Z"));
    expect(
      await failure(redeemCode(deps, pos, { code: "COFFEE-2026", storeId: S1 })),
    ).toBeInstanceOf(GoneError);
    // Merchant B has no such static code.
    expect(
      await failure(redeemCode(deps, principal(B, "pos"), { code: "COFFEE-2026", storeId: S1 })),
    ).toBeInstanceOf(NotFoundError);
  });
});
