import { describe, expect, it } from "vitest";
import {
  generateDevKey,
  mintMerchantToken,
  verifyMerchantToken,
} from "../../../scripts/local/dev-jwt.ts";

describe("local JWT authorizer", () => {
  it("accepts its own tokens and carries merchant and groups", async () => {
    const key = await generateDevKey();
    const claims = await verifyMerchantToken(
      key,
      await mintMerchantToken(key, { merchantId: "m1", role: "pos" }),
    );
    expect(claims).toMatchObject({ "custom:merchantId": "m1", "cognito:groups": ["pos"] });
  });

  it("rejects a JWT signed by another key, for another audience, or expired", async () => {
    const key = await generateDevKey();
    const other = await generateDevKey();
    const foreign = await mintMerchantToken(other, { merchantId: "m1", role: "merchant-admin" });
    expect(await verifyMerchantToken(key, foreign)).toBeUndefined();
    const wrongAud = await mintMerchantToken(key, {
      merchantId: "m1",
      role: "pos",
      audience: "other",
    });
    expect(await verifyMerchantToken(key, wrongAud)).toBeUndefined();
    const expired = await mintMerchantToken(key, {
      merchantId: "m1",
      role: "pos",
      nowSeconds: Math.floor(Date.now() / 1000) - 7200,
      ttlSeconds: 60,
    });
    expect(await verifyMerchantToken(key, expired)).toBeUndefined();
  });
});
