import { describe, expect, it } from "vitest";
import { patchMe, registerDevice } from "../support/device-api.ts";
import { call, useTestServer } from "../support/local-server.ts";

const server = useTestServer();

describe("local HTTP server", () => {
  it("reports DynamoDB and SNS healthy", async () => {
    const res = await call(`${server.url}/v1/health`);
    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({ dynamodb: { status: "ok" }, sns: { status: "ok" } });
  });

  it("registers a device, patches consent, erases it, then answers 401", async () => {
    const reg = await registerDevice(server);
    const auth = { authorization: `Bearer ${reg.token}` };
    const patched = await patchMe(server, auth, { consent: { location: false } });
    expect(patched.status).toBe(200);
    expect(patched.body.consent).toEqual({ location: false, marketing: true });
    expect(
      (await call(`${server.url}/v1/devices/me`, { method: "DELETE", headers: auth })).status,
    ).toBe(204);
    const after = await patchMe(server, auth, { consent: { location: true } });
    expect(after.status).toBe(401);
    expect(after.headers.get("content-type")).toBe("application/problem+json");
  });

  it("reads its own record and refreshes its token through the local server", async () => {
    const reg = await call(`${server.url}/v1/devices`, {
      method: "POST",
      headers: { "x-app-key": server.appKey },
      body: {
        platform: "ios",
        timeZone: "Asia/Tokyo",
        consent: { location: true, marketing: true },
      },
    });
    expect(reg.status).toBe(201);
    const auth = { authorization: `Bearer ${reg.body.token}` };
    const mine = await call(`${server.url}/v1/devices/me`, { headers: auth });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      deviceId: reg.body.device.deviceId,
      platform: "ios",
      timeZone: "Asia/Tokyo",
      pushRegistered: false,
    });
    const fresh = await call(`${server.url}/v1/devices/me/token`, {
      method: "POST",
      headers: auth,
    });
    expect(fresh.status).toBe(200);
    expect(typeof fresh.body.token).toBe("string");
    const again = await call(`${server.url}/v1/devices/me`, {
      headers: { authorization: `Bearer ${fresh.body.token}` },
    });
    expect(again.body.deviceId).toBe(reg.body.device.deviceId);
    // Erased: the refresh is refused, whichever token asks.
    expect(
      (await call(`${server.url}/v1/devices/me`, { method: "DELETE", headers: auth })).status,
    ).toBe(204);
    const refused = await call(`${server.url}/v1/devices/me/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${fresh.body.token}` },
    });
    expect(refused.status).toBe(401);
  });

  it("answers a malformed percent-escape in a path id 400 naming the parameter", async () => {
    const token = await server.token("m_escape", "merchant-admin");
    for (const raw of ["%", "%zz", "%E0%A4%A"]) {
      const res = await call(`${server.url}/v1/stores/${raw}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.errors[0].path).toBe("storeId");
    }
    const wellFormed = await call(`${server.url}/v1/stores/st_%41`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(wellFormed.status).toBe(404);
  });

  it("answers malformed JSON 400, a 2 MB body 413 and a wrong content type 415", async () => {
    const post = (init: { headers?: Record<string, string>; rawBody: string }) =>
      call(`${server.url}/v1/devices`, {
        method: "POST",
        headers: {
          "x-app-key": server.appKey,
          "content-type": "application/json",
          ...init.headers,
        },
        rawBody: init.rawBody,
      });
    const malformed = await post({ rawBody: '{"platform": "ios",' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toBe("application/problem+json");
    const huge = await post({
      rawBody: JSON.stringify({ platform: "ios", pad: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    const text = await post({ headers: { "content-type": "text/plain" }, rawBody: "{}" });
    expect(text.status).toBe(415);
    expect(text.body.status).toBe(415);
  });

  it("answers 401 without a device token and 404 for unknown routes", async () => {
    expect((await call(`${server.url}/v1/devices/me`, { method: "DELETE" })).status).toBe(401);
    expect((await call(`${server.url}/v1/nope`)).status).toBe(404);
  });
});
