/**
 * Merchant audiences over the local HTTP API: trusted segments come from the merchant (by the
 * app's user ids or by device ids), never from the phone, and count only for that merchant.
 */
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { uniqueId } from "../support/aws.ts";
import { pingNear, registerDevice, userAssertion } from "../support/device-api.ts";
import { call, useTestServer } from "../support/local-server.ts";
import {
  createCircleStore,
  createOffer,
  liveOfferBody,
  roleHeaders,
} from "../support/merchant-api.ts";

const server = useTestServer();

const assertion = (userId: string) => userAssertion(server, userId);

/** A place no other test uses: trigger zones are global. */
function site() {
  return { lat: -40 + randomInt(0, 20_000) / 1000, lon: 140 + randomInt(0, 30_000) / 1000 };
}

const admin = async (merchantId: string) => await roleHeaders(server, merchantId, "merchant-admin");

/** A store and a live offer for segment `vip` (no caps: each device may get one). */
async function vipOffer(merchantId: string, at: { lat: number; lon: number }) {
  const storeId = await createCircleStore(server, merchantId, {
    name: "VIP lounge",
    at,
    radiusM: 40,
  });
  await createOffer(
    server,
    merchantId,
    liveOfferBody([storeId], {
      name: "VIP night",
      message: { title: "For our VIPs", body: "A glass on the house" },
      segments: ["vip"],
    }),
  );
}

const register = (extra: Record<string, unknown> = {}) => registerDevice(server, extra);

/** Pings once next to `at`; returns how many codes the response carried. */
const trigger = async (token: string, at: { lat: number; lon: number }) =>
  (await pingNear(server, token, at)).length;

const upload = async (
  merchantId: string,
  audience: string,
  body: unknown,
  headers?: Record<string, string>,
) =>
  await call(`${server.url}/v1/audiences/${audience}/members`, {
    method: "POST",
    headers: headers ?? (await admin(merchantId)),
    body,
  });

describe("merchant audiences", () => {
  it("a person the merchant uploads receives its segment offer; removed, no longer", async () => {
    const merchantId = uniqueId("m");
    const at = site();
    await vipOffer(merchantId, at);
    const userId = `shopper-${randomInt(1e9)}`;
    // Asserted by the app, but in no audience yet: nothing.
    expect(
      await trigger((await register({ userAssertion: await assertion(userId) })).token, at),
    ).toBe(0);
    const added = await upload(merchantId, "vip", {
      appId: server.appId,
      userIds: [userId, userId],
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body).toMatchObject({ audience: "vip", operation: "add", people: 1, devices: 0 });
    const days = (Date.parse(added.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    expect(JSON.stringify(added.body)).not.toContain(userId);
    // Every install of that person now qualifies.
    expect(
      await trigger((await register({ userAssertion: await assertion(userId) })).token, at),
    ).toBe(1);
    const removed = await upload(merchantId, "vip", {
      operation: "remove",
      appId: server.appId,
      userIds: [userId],
    });
    expect(removed.status).toBe(200);
    expect(removed.body.expiresAt).toBeUndefined();
    expect(
      await trigger((await register({ userAssertion: await assertion(userId) })).token, at),
    ).toBe(0);
  });

  it("by device id too; the phone's own claim still counts for nothing", async () => {
    const merchantId = uniqueId("m");
    const at = site();
    await vipOffer(merchantId, at);
    const claimed = await register({ segments: ["vip"] });
    expect(await trigger(claimed.token, at)).toBe(0);
    const known = await register();
    const res = await upload(merchantId, "vip", { deviceIds: [known.deviceId] });
    expect(res.body).toMatchObject({ people: 0, devices: 1 });
    expect(await trigger(known.token, at)).toBe(1);
  });

  it("is tenant-isolated: another merchant's audience of the same name unlocks nothing here", async () => {
    const merchantA = uniqueId("m");
    const merchantB = uniqueId("m");
    const at = site();
    await vipOffer(merchantA, at);
    const userId = `shopper-${randomInt(1e9)}`;
    const device = await register({ userAssertion: await assertion(userId) });
    expect(
      (
        await upload(merchantB, "vip", {
          appId: server.appId,
          userIds: [userId],
          deviceIds: [device.deviceId],
        })
      ).status,
    ).toBe(200);
    expect(await trigger(device.token, at)).toBe(0);
    // The body cannot choose the merchant either.
    const smuggled = await upload(merchantB, "vip", {
      merchantId: merchantA,
      appId: server.appId,
      userIds: [userId],
    });
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.errors[0].path).toBe("merchantId");
  });

  it("refuses bad uploads with problem+json naming the field, and other roles", async () => {
    const merchantId = uniqueId("m");
    const cases: [string, unknown, number, string][] = [
      ["vip", { userIds: ["u1"] }, 400, "appId"],
      ["vip", {}, 400, "userIds"],
      ["vip", { deviceIds: ["not-a-device"] }, 400, "deviceIds/0"],
      ["vip", { appId: server.appId, userIds: [""] }, 400, "userIds/0"],
      ["vip", { deviceIds: [`dev_${"a".repeat(22)}`], expiresInDays: 401 }, 400, "expiresInDays"],
      ["vip", { deviceIds: [`dev_${"a".repeat(22)}`], operation: "replace" }, 400, "operation"],
      [
        "vip",
        { appId: server.appId, userIds: Array.from({ length: 1001 }, (_, i) => `u${i}`) },
        400,
        "userIds",
      ],
      [
        "vip",
        {
          appId: server.appId,
          userIds: Array.from({ length: 600 }, (_, i) => `u${i}`),
          deviceIds: Array.from({ length: 401 }, (_, i) => `dev_${String(i).padStart(22, "0")}`),
        },
        400,
        "deviceIds",
      ],
      ["vip%20club", { deviceIds: [`dev_${"a".repeat(22)}`] }, 400, "audience"],
      ["v".repeat(65), { deviceIds: [`dev_${"a".repeat(22)}`] }, 400, "audience"],
    ];
    for (const [audience, body, status, path] of cases) {
      const res = await upload(merchantId, audience, body);
      expect(res.status, `${audience} ${JSON.stringify(body).slice(0, 80)}`).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    // Past the body limit: 413 before any parsing.
    const huge = await upload(merchantId, "vip", {
      deviceIds: [`dev_${"a".repeat(22)}`],
      padding: "x".repeat(256 * 1024),
    });
    expect(huge.status).toBe(413);
    const pos = await upload(
      merchantId,
      "vip",
      { deviceIds: [`dev_${"a".repeat(22)}`] },
      await roleHeaders(server, merchantId, "pos"),
    );
    expect(pos.status).toBe(403);
    const anonymous = await upload(merchantId, "vip", { deviceIds: [`dev_${"a".repeat(22)}`] }, {});
    expect(anonymous.status).toBe(401);
  });

  it("takes the documented maximum, 1,000 members in one upload", async () => {
    const merchantId = uniqueId("m");
    const res = await upload(merchantId, "big", {
      appId: server.appId,
      userIds: Array.from({ length: 500 }, (_, i) => `bulk-${i}`),
      deviceIds: Array.from({ length: 500 }, (_, i) => `dev_${String(i).padStart(22, "0")}`),
      expiresInDays: 1,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ people: 500, devices: 500 });
    const days = (Date.parse(res.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(0.99);
    expect(days).toBeLessThanOrEqual(1);
  });
});
