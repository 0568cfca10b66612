import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  audienceKeys,
  audiencesOf,
  audienceUploadSchema,
} from "../../../shared/domain/audience.ts";
import { isTargeted } from "../../../shared/domain/decision/decide.ts";

describe("audience keys", () => {
  it("round-trip merchant and audience, whatever the merchant id holds (even #)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/),
        (merchantId, audience) => {
          const { sk } = audienceKeys.membership("PERSON#p", merchantId, audience);
          expect(audienceKeys.parse(sk)).toEqual([merchantId, audience]);
        },
      ),
    );
  });
});

describe("audiencesOf", () => {
  it("groups memberships by merchant and drops lapsed ones (TTL deletes late)", () => {
    const now = 1_800_000_000_000;
    const got = audiencesOf(
      [
        { merchantId: "m1", audience: "vip", expiresAtMs: now + 1 },
        { merchantId: "m1", audience: "gold", expiresAtMs: now },
        { merchantId: "m2", audience: "vip", expiresAtMs: now - 86_400_000 },
        { merchantId: "m2", audience: "new", expiresAtMs: now + 86_400_000 },
      ],
      now,
    );
    expect([...got].map(([m, s]) => [m, [...s]])).toEqual([
      ["m1", ["vip"]],
      ["m2", ["new"]],
    ]);
  });

  it("an audience opens only its merchant's offer, never the device's own claim", () => {
    const offer = { segments: ["vip"] };
    const device = { segments: ["vip"] };
    const audiences = audiencesOf(
      [{ merchantId: "m2", audience: "vip", expiresAtMs: Number.MAX_SAFE_INTEGER }],
      0,
    );
    expect(isTargeted(offer, device, audiences.get("m1"))).toBe(false);
    expect(isTargeted(offer, device, audiences.get("m2"))).toBe(true);
  });
});

describe("upload schema", () => {
  it("defaults to add for 90 days and refuses unknown members", () => {
    expect(audienceUploadSchema.parse({ deviceIds: [`dev_${"a".repeat(22)}`] })).toMatchObject({
      operation: "add",
      expiresInDays: 90,
    });
    expect(
      audienceUploadSchema.safeParse({ deviceIds: [`dev_${"a".repeat(22)}`], __proto__x: 1 })
        .success,
    ).toBe(false);
  });
});
