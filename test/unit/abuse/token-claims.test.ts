import { describe, expect, it } from "vitest";
import {
  generateDevKey,
  mintMerchantToken,
  verifyMerchantToken,
} from "../../../scripts/local/dev-jwt.ts";
import {
  IAT_SKEW_SECONDS,
  merchantPrincipal,
  parseGroupsClaim,
} from "../../../shared/auth/principal.ts";
import { UnauthorizedError } from "../../../shared/errors.ts";
import { httpEvent, merchantClaims } from "../../support/http-events.ts";

const NOW = 1_780_000_000;

function principalOf(claims: Record<string, unknown>) {
  const event = httpEvent({ jwtClaims: {} });
  (event.requestContext.authorizer as { jwt: { claims: Record<string, unknown> } }).jwt.claims =
    claims;
  return merchantPrincipal(event, NOW);
}

const base = (role: string): Record<string, unknown> => ({
  ...merchantClaims("m1", role),
  iat: String(NOW),
});

describe("cognito:groups as the HTTP API JWT authorizer delivers it", () => {
  it("splits the bracketed form on single spaces only", () => {
    expect(parseGroupsClaim("[pos merchant-admin]")).toEqual(["pos", "merchant-admin"]);
    expect(parseGroupsClaim("[pos]")).toEqual(["pos"]);
    expect(parseGroupsClaim("[]")).toEqual([]);
    expect(parseGroupsClaim(["pos", "merchant-admin"])).toEqual(["pos", "merchant-admin"]);
  });

  it("never splits on commas: a group named 'pos,merchant-admin' grants nothing", () => {
    expect(parseGroupsClaim("[pos,merchant-admin]")).toEqual(["pos,merchant-admin"]);
    expect(principalOf({ ...base("x"), "cognito:groups": "[pos,merchant-admin]" }).roles).toEqual(
      [],
    );
    expect(principalOf({ ...base("x"), "cognito:groups": ["pos,merchant-admin"] }).roles).toEqual(
      [],
    );
    // Neighbours: a bare (unbracketed) string, a padded name, and odd punctuation.
    expect(principalOf({ ...base("x"), "cognito:groups": "merchant-admin" }).roles).toEqual([]);
    expect(principalOf({ ...base("x"), "cognito:groups": "pos, merchant-admin" }).roles).toEqual(
      [],
    );
    expect(principalOf({ ...base("x"), "cognito:groups": "[ pos]" }).roles).toEqual(["pos"]);
    expect(principalOf({ ...base("x"), "cognito:groups": "[pos] [merchant-admin]" }).roles).toEqual(
      [],
    );
    expect(principalOf({ ...base("x"), "cognito:groups": ["POS"] }).roles).toEqual([]);
  });

  it("ignores the unprefixed groups and merchantId claims", () => {
    const { "cognito:groups": _g, "custom:merchantId": _m, ...rest } = base("pos");
    expect(
      principalOf({ ...rest, "custom:merchantId": "m1", groups: "[merchant-admin]" }).roles,
    ).toEqual([]);
    expect(() => principalOf({ ...rest, merchantId: "m1", "cognito:groups": "[pos]" })).toThrow(
      UnauthorizedError,
    );
  });
});

describe("token_use and iat", () => {
  it("accepts only ID tokens", () => {
    expect(principalOf(base("pos")).roles).toEqual(["pos"]);
    expect(() => principalOf({ ...base("pos"), token_use: "access" })).toThrow(UnauthorizedError);
    const { token_use: _t, ...noUse } = base("pos");
    expect(() => principalOf(noUse)).toThrow(UnauthorizedError);
  });

  it("accepts iat up to the skew in the future, as a number or a string, and nothing later", () => {
    expect(principalOf({ ...base("pos"), iat: NOW + IAT_SKEW_SECONDS }).roles).toEqual(["pos"]);
    expect(principalOf({ ...base("pos"), iat: String(NOW + IAT_SKEW_SECONDS) }).roles).toEqual([
      "pos",
    ]);
    expect(() => principalOf({ ...base("pos"), iat: NOW + IAT_SKEW_SECONDS + 1 })).toThrow(
      UnauthorizedError,
    );
    expect(() => principalOf({ ...base("pos"), iat: "soon" })).toThrow(UnauthorizedError);
    const { iat: _i, ...noIat } = base("pos");
    expect(() => principalOf(noIat)).toThrow(UnauthorizedError);
  });

  it("the local JWT authorizer refuses a future iat and mints a new identity per token", async () => {
    const key = await generateDevKey();
    const future = await mintMerchantToken(key, {
      merchantId: "m1",
      role: "pos",
      nowSeconds: NOW,
      issuedAt: NOW + IAT_SKEW_SECONDS + 1,
    });
    expect(await verifyMerchantToken(key, future, NOW)).toBeUndefined();
    const skewed = await mintMerchantToken(key, {
      merchantId: "m1",
      role: "pos",
      nowSeconds: NOW,
      issuedAt: NOW + IAT_SKEW_SECONDS,
    });
    expect(await verifyMerchantToken(key, skewed, NOW)).toBeDefined();
    const a = await verifyMerchantToken(
      key,
      await mintMerchantToken(key, { merchantId: "m1", role: "pos" }),
    );
    const b = await verifyMerchantToken(
      key,
      await mintMerchantToken(key, { merchantId: "m1", role: "pos" }),
    );
    expect(a?.sub).toMatch(/^pos@m1#/);
    expect(a?.sub).not.toBe(b?.sub);
  });
});
