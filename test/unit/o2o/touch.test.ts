import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JOURNEY_FIELDS } from "../../../shared/domain/journey/log.ts";
import {
  buildChannelReport,
  emptyTouchFunnel,
  type TouchRow,
  touchFunnelFromItem,
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

  it("journey per channel and variant: first vs returning, repeat lift over touches, summed up", () => {
    const j = JOURNEY_FIELDS;
    const item = {
      offerId: "of_1",
      localDay: "2026-11-30",
      claimsTreated: 40,
      claimsHoldout: 20,
      visitsTreated: 12,
      visitsHoldout: 4,
      [j.firstTreated]: 9,
      [j.firstHoldout]: 3,
      [j.repeatInWindowTreated]: 8,
      [j.repeatInWindowHoldout]: 2,
      [j.repeatAfterTreated]: 6,
      [j.repeatAfterHoldout]: "3",
      jNotANumber: "x",
    };
    const email = touchFunnelFromItem(item);
    expect(email.journey).toEqual({
      [j.firstTreated]: 9,
      [j.firstHoldout]: 3,
      [j.repeatInWindowTreated]: 8,
      [j.repeatInWindowHoldout]: 2,
      [j.repeatAfterTreated]: 6,
      [j.repeatAfterHoldout]: 3,
    });
    const rows = [
      row("email", "A", email),
      row("email", "B", {
        sendsTreated: 10,
        sendsHoldout: 10,
        visitsTreated: 2,
        visitsHoldout: 1,
        journey: { [j.firstTreated]: 2, [j.repeatInWindowHoldout]: 1 },
      }),
      row("geofence", "default", { sendsTreated: 0, sendsHoldout: 0 }),
    ];
    const report = buildChannelReport({
      range: { from: "2026-11-01", to: "2026-11-30" },
      offerId: null,
      rows,
      offers: new Map(),
    });
    const a = report.rows.find((r) => r.channel === "email" && r.variant === "A");
    expect(a?.journey.attributedVisits).toEqual({
      treated: { first: 9, returning: 3 },
      holdout: { first: 3, returning: 1 },
    });
    expect(a?.journey.repeatWithinWindow.treated).toEqual({ n: 40, repeaters: 8 });
    expect(a?.journey.repeatWithinWindow.holdout).toEqual({ n: 20, repeaters: 2 });
    expect(a?.journey.repeatWithinWindow.lift.absoluteLift).toBeCloseTo(8 / 40 - 2 / 20, 12);
    expect(a?.journey.repeatAfterWindow.lift.absoluteLift).toBeCloseTo(6 / 40 - 3 / 20, 12);
    const b = report.rows.find((r) => r.variant === "B");
    expect(b?.journey.attributedVisits.treated).toEqual({ first: 2, returning: 0 });
    expect(b?.journey.repeatWithinWindow.holdout).toEqual({ n: 10, repeaters: 1 });
    // The channel is the sum of its variants; across offers too.
    const channel = report.channels.find((c) => c.channel === "email");
    expect(channel?.journey.repeatWithinWindow.treated).toEqual({ n: 50, repeaters: 8 });
    expect(channel?.journey.repeatWithinWindow.holdout).toEqual({ n: 30, repeaters: 3 });
    expect(channel?.journey.attributedVisits.treated).toEqual({ first: 11, returning: 3 });
    expect(report.acrossOffers?.find((c) => c.channel === "email")?.journey).toEqual(
      channel?.journey,
    );
    // No touches: no rate, no lift.
    const none = report.rows.find((r) => r.channel === "geofence");
    expect(none?.journey.repeatAfterWindow.lift.absoluteLift).toBeNull();
    expect(report.totals.journey.repeatAfterWindow.treated).toEqual({ n: 50, repeaters: 6 });
    // Counts never exceed their bounds: first ≤ attributed visits, repeaters ≤ touches.
    const odd = buildChannelReport({
      range: { from: "2026-11-01", to: "2026-11-30" },
      offerId: null,
      rows: [
        row("sms", "A", {
          claimsTreated: 2,
          visitsTreated: 1,
          journey: { [j.firstTreated]: 4, [j.repeatAfterTreated]: 7 },
        }),
      ],
      offers: new Map(),
    });
    expect(odd.totals.journey.attributedVisits.treated).toEqual({ first: 1, returning: 0 });
    expect(odd.totals.journey.repeatAfterWindow.treated).toEqual({ n: 2, repeaters: 2 });
  });
});
