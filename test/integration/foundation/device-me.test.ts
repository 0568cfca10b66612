import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { handler as authorizer } from "../../../functions/device-authorizer.ts";
import { handler as erase } from "../../../functions/device-erase.ts";
import { handler as getMe } from "../../../functions/device-get.ts";
import { handler as register } from "../../../functions/device-register.ts";
import { handler as refresh } from "../../../functions/device-token.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoAppKeyStore } from "../../../shared/adapters/dynamo/app-key-store.ts";
import { systemClock, systemRandom } from "../../../shared/adapters/system.ts";
import type { HttpResult } from "../../../shared/http/types.ts";
import { createAppKey } from "../../../shared/use-cases/app-keys.ts";
import { env } from "../../support/aws.ts";
import { bodyOf, httpEvent, lambdaContext, registrationEvent } from "../../support/http-events.ts";
import { problemPaths } from "../../support/validation.ts";

let appKey: string;
let appId: string;

beforeAll(async () => {
  const appKeys = dynamoAppKeyStore(documentClient, env("CATALOG_TABLE"));
  ({ appKey, appId } = await createAppKey(
    { appKeys, clock: systemClock, random: systemRandom },
    "Device me app",
  ));
});

type Ctx = Record<string, string | number | boolean>;

async function authorize(token: string): Promise<Ctx> {
  const result = await authorizer(
    { type: "REQUEST", headers: { authorization: `Bearer ${token}` } } as never,
    lambdaContext,
  );
  return (result.context ?? {}) as Ctx;
}

async function registered() {
  const res = await register(
    registrationEvent(appKey, {
      platform: "android",
      pushToken: "fcm-token-secret-0123456789",
      locale: "fr-FR",
      timeZone: "Europe/Paris",
      consent: { location: true, marketing: false },
      segments: ["vip"],
    }),
    lambdaContext,
  );
  expect(res.statusCode).toBe(201);
  return bodyOf<{ token: string; tokenExpiresAt: string; device: { deviceId: string } }>(res);
}

const me = async (ctx: Ctx) =>
  (await getMe(httpEvent({ path: "/v1/devices/me", device: ctx }), lambdaContext)) as HttpResult;

const newToken = async (ctx: Ctx, body?: unknown) =>
  (await refresh(
    httpEvent({
      method: "POST",
      path: "/v1/devices/me/token",
      device: ctx,
      ...(body !== undefined ? { body } : {}),
    }),
    lambdaContext,
  )) as HttpResult;

describe("GET /v1/devices/me", () => {
  it("returns the device's own record with no push token, endpoint or secret", async () => {
    const { token, device } = await registered();
    const res = await me(await authorize(token));
    expect(res.statusCode).toBe(200);
    const body = bodyOf<Record<string, unknown>>(res);
    expect(body).toEqual({
      deviceId: device.deviceId,
      appId,
      platform: "android",
      locale: "fr-FR",
      timeZone: "Europe/Paris",
      consent: { location: true, marketing: false },
      segments: ["vip"],
      trustedSegments: [],
      userAsserted: false,
      attested: false,
      pushRegistered: true,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.body).not.toContain("fcm-token-secret");
  });

  it("answers 401 once the device is erased, even with a still-cached authorizer context", async () => {
    const { token } = await registered();
    const ctx = await authorize(token);
    const erased = await erase(
      httpEvent({ method: "DELETE", path: "/v1/devices/me", device: ctx }),
      lambdaContext,
    );
    expect(erased.statusCode).toBe(204);
    const res = await me(ctx);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.["content-type"]).toBe("application/problem+json");
  });
});

describe("POST /v1/devices/me/token", () => {
  it("issues a fresh token with a later expiry; the old one keeps working until its own expiry", async () => {
    const first = await registered();
    await new Promise((r) => setTimeout(r, 1_100));
    const ctx = await authorize(first.token);
    const res = await newToken(ctx);
    expect(res.statusCode).toBe(200);
    const fresh = bodyOf<{ token: string; tokenExpiresAt: string }>(res);
    expect(fresh.token).not.toBe(first.token);
    expect(Date.parse(fresh.tokenExpiresAt)).toBeGreaterThan(Date.parse(first.tokenExpiresAt));
    const claims = decodeJwt(fresh.token);
    expect(claims.sub).toBe(first.device.deviceId);
    expect((claims.exp ?? 0) * 1000).toBe(Date.parse(fresh.tokenExpiresAt));
    expect(await authorize(fresh.token)).toMatchObject({ deviceId: first.device.deviceId });
    expect(await authorize(first.token)).toMatchObject({ deviceId: first.device.deviceId });
  });

  it("with revokeEarlier, refuses every earlier token from then on and keeps the new one", async () => {
    const first = await registered();
    const ctx = await authorize(first.token);
    const second = bodyOf<{ token: string }>(await newToken(ctx));
    await new Promise((r) => setTimeout(r, 1_100));
    const res = await newToken(ctx, { revokeEarlier: true });
    expect(res.statusCode).toBe(200);
    const third = bodyOf<{ token: string }>(res);
    await expect(authorize(first.token)).rejects.toThrow("Unauthorized");
    await expect(authorize(second.token)).rejects.toThrow("Unauthorized");
    const now = await authorize(third.token);
    expect(now).toMatchObject({ deviceId: first.device.deviceId });
    const record = bodyOf<{ tokensNotBefore: string; version: number }>(await me(now));
    expect(Date.parse(record.tokensNotBefore)).toBe((decodeJwt(third.token).iat ?? 0) * 1000);
    expect(record.version).toBe(2);
  });

  it("refuses an erased device (401) and names a bad body field (400)", async () => {
    const { token } = await registered();
    const ctx = await authorize(token);
    const bad = await newToken(ctx, { revokeEarlier: "yes", extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(problemPaths(bad)).toEqual(["extra", "revokeEarlier"]);
    await erase(
      httpEvent({ method: "DELETE", path: "/v1/devices/me", device: ctx }),
      lambdaContext,
    );
    const refused = await newToken(ctx);
    expect(refused.statusCode).toBe(401);
    expect(refused.body).not.toMatch(/eyJ/);
  });
});
