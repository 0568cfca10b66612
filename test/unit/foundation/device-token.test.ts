import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  DEVICE_TOKEN_AUDIENCE,
  DEVICE_TOKEN_ISSUER,
  deviceTokenKeys,
  issueDeviceToken,
  verifyDeviceToken,
} from "../../../shared/auth/device-token.ts";
import { UnauthorizedError } from "../../../shared/errors.ts";

const secret = "s".repeat(40);
const keys = deviceTokenKeys(secret, 3600);
const now = 1_800_000_000;

async function forge(
  claims: { aud?: string; iss?: string; sub?: string; exp?: number },
  key = secret,
) {
  return await new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(claims.iss ?? DEVICE_TOKEN_ISSUER)
    .setAudience(claims.aud ?? DEVICE_TOKEN_AUDIENCE)
    .setSubject(claims.sub ?? "dev_1")
    .setIssuedAt(now)
    .setExpirationTime(claims.exp ?? now + 60)
    .sign(new TextEncoder().encode(key));
}

describe("device tokens", () => {
  it("round-trips the device id", async () => {
    const { token } = await issueDeviceToken(keys, "dev_abc", now);
    await expect(verifyDeviceToken(keys, token, now + 10)).resolves.toMatchObject({
      deviceId: "dev_abc",
    });
  });

  it("rejects a token signed with another secret", async () => {
    const token = await forge({}, "x".repeat(40));
    await expect(verifyDeviceToken(keys, token, now)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("rejects an expired token, saying it expired and when", async () => {
    const { token, expiresAt } = await issueDeviceToken(keys, "dev_abc", now);
    expect(expiresAt).toBe(now + 3600);
    const refusal = verifyDeviceToken(keys, token, now + 3601);
    await expect(refusal).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(refusal).rejects.toThrow(
      `The device token expired at ${new Date(expiresAt * 1000).toISOString()}; ` +
        "register the device again (POST /v1/devices).",
    );
    // At its `exp` second it is already expired (RFC 7519 §4.1.4: on or after).
    await expect(verifyDeviceToken(keys, token, now + 3600)).rejects.toThrow(/expired at/);
    await expect(verifyDeviceToken(keys, token, now + 3599)).resolves.toMatchObject({
      deviceId: "dev_abc",
    });
  });

  it("says expired only for a token it signed for itself: a forged, foreign or alien expired one is just invalid", async () => {
    const invalid = "The device token is invalid or expired.";
    const past = { exp: now - 60 };
    for (const token of [
      await forge(past, "x".repeat(40)),
      await forge({ ...past, aud: "footfall-api" }),
      await forge({ ...past, iss: "someone" }),
    ]) {
      await expect(verifyDeviceToken(keys, token, now)).rejects.toThrow(invalid);
    }
    await expect(verifyDeviceToken(keys, await forge(past), now)).rejects.toThrow(/expired at/);
  });

  it("rejects a wrong audience and a wrong issuer", async () => {
    await expect(
      verifyDeviceToken(keys, await forge({ aud: "footfall-api" }), now),
    ).rejects.toThrow(UnauthorizedError);
    await expect(verifyDeviceToken(keys, await forge({ iss: "someone" }), now)).rejects.toThrow(
      UnauthorizedError,
    );
  });

  it("rejects a tampered payload and an unsigned token", async () => {
    const { token } = await issueDeviceToken(keys, "dev_abc", now);
    const [h, , s] = token.split(".");
    const payload = Buffer.from(
      JSON.stringify({
        iss: DEVICE_TOKEN_ISSUER,
        aud: DEVICE_TOKEN_AUDIENCE,
        sub: "dev_other",
        exp: now + 60,
      }),
    ).toString("base64url");
    await expect(verifyDeviceToken(keys, `${h}.${payload}.${s}`, now)).rejects.toThrow(
      UnauthorizedError,
    );
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    await expect(verifyDeviceToken(keys, none, now)).rejects.toThrow(UnauthorizedError);
  });

  it("keeps verifying tokens signed with the previous secret during rotation", async () => {
    const old = await issueDeviceToken(keys, "dev_old", now);
    const rotated = deviceTokenKeys(`${"n".repeat(40)},${secret}`, 3600);
    await expect(verifyDeviceToken(rotated, old.token, now)).resolves.toMatchObject({
      deviceId: "dev_old",
    });
    const fresh = await issueDeviceToken(rotated, "dev_new", now);
    await expect(verifyDeviceToken(keys, fresh.token, now)).rejects.toThrow(UnauthorizedError);
  });
});
