import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildChannelReport,
  emptyTouchFunnel,
  type TouchRow,
} from "../../../shared/domain/o2o/channel-report.ts";
import {
  channelSchema,
  LINK_TOKEN_PATTERN,
  linkInputSchema,
  linkState,
  linkTokenHash,
  newLinkToken,
} from "../../../shared/domain/o2o/link.ts";
import { assignVariant, lastTouch } from "../../../shared/domain/o2o/touch.ts";

const HOUR = 3_600_000;

describe("claim links", () => {
  it("tokens carry 192 random bits in 32 base64url characters; the lookup keys on their hash", () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const t = newLinkToken((n) => new Uint8Array(randomBytes(n)));
      expect(t).toMatch(LINK_TOKEN_PATTERN);
      tokens.add(t);
    }
    expect(tokens.size).toBe(1000);
    const t = newLinkToken(() => new Uint8Array(24).fill(7));
    expect(linkTokenHash(t)).not.toContain(t);
    expect(linkTokenHash(t)).toBe(linkTokenHash(t));
  });

  it("channels: the standard ones and the merchant's labels; geofence is reserved", () => {
    for (const c of ["email", "sms", "social", "web", "display", "in-app", "qr", "partner-blog"])
      expect(channelSchema.safeParse(c).success).toBe(true);
    for (const c of ["geofence", "", "E-mail", "a b", "x".repeat(33)])
      expect(channelSchema.safeParse(c).success).toBe(false);
    expect(linkInputSchema.safeParse({ channel: "email", variant: "A", extra: 1 }).success).toBe(
      false,
    );
  });

  it("state: paused, expired at expiresAt exactly, else active", () => {
    const at = Date.parse("2026-11-30T12:00:00Z");
    expect(linkState({ status: "active" }, at)).toBe("active");
    expect(linkState({ status: "paused" }, at)).toBe("paused");
    expect(linkState({ status: "active", expiresAt: "2026-11-30T12:00:00.000Z" }, at)).toBe(
      "expired",
    );
    expect(linkState({ status: "active", expiresAt: "2026-11-30T12:00:00.001Z" }, at)).toBe(
      "active",
    );
  });
});

describe("message variants", () => {
  const variants = [{ variantId: "A" }, { variantId: "B" }, { variantId: "C" }];
  it("stable per person and offer, roughly uniform, none without variants", () => {
    expect(assignVariant("person:x", "of_1", undefined)).toBeUndefined();
    expect(assignVariant("person:x", "of_1", [])).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), fc.string(), (unit, offer) => {
        expect(assignVariant(unit, offer, variants)).toBe(assignVariant(unit, offer, variants));
      }),
    );
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const v = assignVariant(`dev-${i}`, "of_1", variants)?.variantId ?? "";
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    for (const v of ["A", "B", "C"]) {
      expect(counts.get(v)).toBeGreaterThan(1800);
      expect(counts.get(v)).toBeLessThan(2200);
    }
  });
});

describe("last touch within the window", () => {
  const h = (id: string, grantedAt: number, windowH: number, stores = ["st_a"]) => ({
    incentiveId: id,
    grantedAt,
    windowEndsAt: grantedAt + windowH * HOUR,
    storeIds: stores,
  });

  it("credits the most recent touch whose window covers the visit at one of its stores", () => {
    const touches = [h("email", 0, 48), h("social", 10 * HOUR, 24), h("late", 30 * HOUR, 24)];
    expect(lastTouch(touches, { at: 20 * HOUR, storeId: "st_a" })?.incentiveId).toBe("social");
    // At 35 h social's window (to 34 h) is over; late (30 h) is the last covering touch.
    expect(lastTouch(touches, { at: 35 * HOUR, storeId: "st_a" })?.incentiveId).toBe("late");
    expect(lastTouch(touches, { at: 60 * HOUR, storeId: "st_a" })).toBeUndefined();
    expect(lastTouch(touches, { at: 20 * HOUR, storeId: "st_b" })).toBeUndefined();
    // A touch after the visit never gets it; window ends are inclusive.
    expect(lastTouch([h("x", 5, 1)], { at: 4, storeId: "st_a" })).toBeUndefined();
    expect(lastTouch([h("x", 0, 1)], { at: HOUR, storeId: "st_a" })?.incentiveId).toBe("x");
  });

  it("property: the credited touch covers the visit and no covering touch is later", () => {
    const arb = fc.array(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 4 }),
        at: fc.integer({ min: 0, max: 100 }),
        w: fc.integer({ min: 1, max: 50 }),
        store: fc.constantFrom("st_a", "st_b"),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 150 }), (list, visitAt) => {
        const touches = list.map((t) => h(t.id, t.at * HOUR, t.w, [t.store]));
        const visit = { at: visitAt * HOUR, storeId: "st_a" };
        const covering = touches.filter(
          (t) =>
            t.grantedAt <= visit.at && visit.at <= t.windowEndsAt && t.storeIds.includes("st_a"),
        );
        const got = lastTouch(touches, visit);
        if (covering.length === 0) return got === undefined;
        return (
          got !== undefined &&
          covering.includes(got) &&
          covering.every((t) => t.grantedAt <= got.grantedAt)
        );
      }),
    );
  });
});

describe("channel report", () => {
  const row = (
    channel: string,
    variant: string,
    f: Partial<ReturnType<typeof emptyTouchFunnel>>,
  ): TouchRow => ({
    offerId: "of_1",
    localDay: "2026-11-30",
    channel,
    variant,
    funnel: { ...emptyTouchFunnel(), ...f },
  });

  it("rows, channels, variants and the total add up; variants are compared pairwise", () => {
    const rows = [
      row("email", "A", {
        claimsTreated: 400,
        claimsHoldout: 100,
        visitsTreated: 120,
        visitsHoldout: 10,
      }),
      row("email", "B", {
        claimsTreated: 400,
        claimsHoldout: 100,
        visitsTreated: 60,
        visitsHoldout: 11,
      }),
      row("social", "A", {
        claimsTreated: 200,
        claimsHoldout: 50,
        visitsTreated: 50,
        visitsHoldout: 5,
        credited: 7,
        redemptions: 3,
        webClaims: 2,
      }),
    ];
    const report = buildChannelReport({
      range: { from: "2026-11-01", to: "2026-11-30" },
      offerId: "of_1",
      rows,
      offers: new Map([
        [
          "of_1",
          {
            name: "Offer",
            costs: { currency: "EUR", costPerSendMinor: 10, incentiveValueMinor: 200 },
          },
        ],
      ]),
    });
    expect(report.rows).toHaveLength(3);
    expect(report.totals.touches).toEqual({ treated: 1000, holdout: 250 });
    expect(report.totals.visits).toEqual({ treated: 230, holdout: 26 });
    const email = report.channels.find((c) => c.channel === "email");
    expect(email?.claims).toEqual({ treated: 800, holdout: 200 });
    const a = report.variants.find((v) => v.variant === "A");
    expect(a?.visits).toEqual({ treated: 170, holdout: 15 });
    expect(report.variantComparison).toHaveLength(1);
    const cmp = report.variantComparison[0];
    expect(cmp?.aTreated).toEqual({ n: 600, visits: 170 });
    expect(cmp?.bTreated).toEqual({ n: 400, visits: 60 });
    expect(cmp?.difference).toBeCloseTo(170 / 600 - 60 / 400, 12);
    expect(cmp?.better).toBe("A");
    expect(report.totals.money?.spend).toBe("106.00"); // 1000 × 0.10 + 3 × 2.00
    expect(report.rows[0]?.lift.absolute).toBeCloseTo(120 / 400 - 10 / 100, 12);
  });
});
