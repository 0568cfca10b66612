import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { handler as authorizer } from "../../../functions/device-authorizer.ts";
import { handler as erase } from "../../../functions/device-erase.ts";
import { handler as register } from "../../../functions/device-register.ts";
import { handler as update } from "../../../functions/device-update.ts";
import { DEVICE_TOKEN_AUDIENCE, DEVICE_TOKEN_ISSUER } from "../../../shared/auth/device-token.ts";
import { createTestAppKey } from "../../support/app-keys.ts";
import { env } from "../../support/aws.ts";
import { bodyOf, httpEvent, lambdaContext, registrationEvent } from "../../support/http-events.ts";
import { problemPaths } from "../../support/validation.ts";

let appKey: string;

beforeAll(async () => {
  ({ appKey } = await createTestAppKey("Test app"));
});

async function authorize(token: string) {
  const result = await authorizer(
    { type: "REQUEST", headers: { authorization: `Bearer ${token}` } } as never,
    lambdaContext,
  );
  return result.context ?? {};
}

async function registerDevice(body: Record<string, unknown> = {}) {
  return await register(registrationEvent(appKey, body), lambdaContext);
}

describe("device lifecycle", () => {
  it("registers, updates consent, erases, and then refuses the token", async () => {
    const res = await registerDevice({ timeZone: "Europe/Paris", segments: ["vip", "vip"] });
    expect(res.statusCode).toBe(201);
    const { token, device } = bodyOf<{
      token: string;
      device: { deviceId: string; segments: string[] };
    }>(res);
    expect(device.segments).toEqual(["vip"]);

    const ctx = await authorize(token);
    expect(ctx).toMatchObject({
      deviceId: device.deviceId,
      consentMarketing: true,
      timeZone: "Europe/Paris",
    });

    const patched = await update(
      httpEvent({
        method: "PATCH",
        path: "/v1/devices/me",
        body: { consent: { marketing: false } },
        device: ctx,
      }),
      lambdaContext,
    );
    expect(patched.statusCode).toBe(200);
    expect(bodyOf(patched).consent).toEqual({ location: true, marketing: false });
    expect(await authorize(token)).toMatchObject({ consentMarketing: false });

    const erased = await erase(
      httpEvent({ method: "DELETE", path: "/v1/devices/me", device: ctx }),
      lambdaContext,
    );
    expect(erased.statusCode).toBe(204);
    await expect(authorize(token)).rejects.toThrow("Unauthorized");
  });

  it("refuses registration without a valid app key", async () => {
    const res = await register(registrationEvent("ffk_wrong"), lambdaContext);
    expect(res.statusCode).toBe(401);
  });

  it("names every invalid field", async () => {
    const res = await registerDevice({ platform: "symbian", timeZone: "Mars/Olympus", extra: 1 });
    expect(res.statusCode).toBe(400);
    expect(problemPaths(res)).toEqual(["extra", "platform", "timeZone"]);
  });

  it("refuses forged, expired and wrong-audience device tokens", async () => {
    const { device } = bodyOf<{ device: { deviceId: string } }>(await registerDevice());
    const now = Math.floor(Date.now() / 1000);
    const sign = (secret: string, aud: string, exp: number) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer(DEVICE_TOKEN_ISSUER)
        .setAudience(aud)
        .setSubject(device.deviceId)
        .setIssuedAt(now - 100)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const secret = env("DEVICE_TOKEN_SECRETS").split(",")[0] ?? "";
    await expect(
      authorize(await sign(secret, DEVICE_TOKEN_AUDIENCE, now + 60)),
    ).resolves.toMatchObject({
      deviceId: device.deviceId,
    });
    await expect(
      authorize(await sign("f".repeat(43), DEVICE_TOKEN_AUDIENCE, now + 60)),
    ).rejects.toThrow("Unauthorized");
    await expect(authorize(await sign(secret, DEVICE_TOKEN_AUDIENCE, now - 10))).rejects.toThrow(
      "Unauthorized",
    );
    await expect(authorize(await sign(secret, "footfall-api", now + 60))).rejects.toThrow(
      "Unauthorized",
    );
  });
});
