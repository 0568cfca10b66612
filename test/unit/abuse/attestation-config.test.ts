/**
 * The attestation port as configured from its secret: per-platform dispatch, a configuration read
 * again through its loader (rotation without a deploy), and failures that leave devices
 * unattested instead of failing registration.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exportPKCS8, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { configuredAttestation } from "../../../shared/adapters/attestation/configured.ts";
import { deviceDepsFromEnv } from "../../../shared/wiring/device-deps.ts";
import { APP_ID, attestation, makeCa, NONCE, NOW } from "../../support/app-attest.ts";

const RECORDED = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "play-integrity-verdict.json"), "utf8"),
);
const VERDICT_AT = Number(RECORDED.tokenPayloadExternal.requestDetails.timestampMillis);
const ANDROID_NONCE = RECORDED.tokenPayloadExternal.requestDetails.nonce as string;

let serviceAccount: Record<string, string>;
beforeAll(async () => {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  serviceAccount = {
    client_email: "attest@example-project.iam.gserviceaccount.com",
    private_key: await exportPKCS8(privateKey),
    token_uri: "https://oauth2.googleapis.com/token",
  };
});

/** Google's token endpoint and decodeIntegrityToken, answering the recorded verdict. */
const google = () =>
  vi.fn(async (url: string, _init: RequestInit) =>
    url.endsWith("/token")
      ? new Response(JSON.stringify({ access_token: "ya29.t", expires_in: 3600 }))
      : new Response(JSON.stringify(RECORDED)),
  );

const input = (
  platform: "ios" | "android" | "web",
  token: string,
  nonce: string,
  nowMs: number,
) => ({
  platform,
  token,
  nonce,
  appId: "app_1",
  nowMs,
});

describe("configured attestation", () => {
  it("sends Android to Play Integrity and iOS to App Attest; unconfigured platforms verify nothing", async () => {
    const fetch = google();
    const verifier = configuredAttestation(
      async () => ({
        playIntegrity: { packageName: "com.example.shop", serviceAccount },
        appAttest: { appIds: [APP_ID], environment: "production" },
      }),
      fetch,
    );
    expect(
      await verifier.verify(
        input("android", "integrity-token-1", ANDROID_NONCE, VERDICT_AT + 1000),
      ),
    ).toMatchObject({ verified: true });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      "https://oauth2.googleapis.com/token",
      "https://playintegrity.googleapis.com/v1/com.example.shop:decodeIntegrityToken",
    ]);
    // A test chain is not Apple's: the iOS verifier (with Apple's root) was the one asked.
    const pki = await makeCa("Footfall Test");
    expect(await verifier.verify(input("ios", await attestation({ pki }), NONCE, NOW))).toEqual({
      verified: false,
      reason: "untrusted certificate chain",
    });
    expect(await verifier.verify(input("web", "x".repeat(20), NONCE, NOW))).toEqual({
      verified: false,
      reason: "attestation is not configured for web",
    });
  });

  it("picks up a changed configuration from its loader (rotation without a deploy)", async () => {
    let current: unknown = {};
    const fetch = google();
    const verifier = configuredAttestation(async () => current, fetch);
    const android = input("android", "integrity-token-1", ANDROID_NONCE, VERDICT_AT + 1000);
    expect(await verifier.verify(android)).toEqual({
      verified: false,
      reason: "attestation is not configured for android",
    });
    current = { playIntegrity: { packageName: "com.example.shop", serviceAccount } };
    expect(await verifier.verify(android)).toMatchObject({ verified: true });
    // A JSON string (the plain local variable) works the same.
    const fromString = configuredAttestation(async () => JSON.stringify(current), fetch);
    expect(await fromString.verify(android)).toMatchObject({ verified: true });
  });

  it("an unreadable or invalid configuration verifies nothing and never throws", async () => {
    const down = configuredAttestation(async () => {
      throw new Error("AccessDeniedException");
    }, google());
    expect(await down.verify(input("ios", "x".repeat(20), NONCE, NOW))).toEqual({
      verified: false,
      reason: "attestation configuration unavailable",
    });
    for (const bad of [
      { appAttest: { appIds: ["com.example.shop"] } },
      { playIntegrity: { packageName: "com.example.shop" } },
      { unknown: true },
      "{not json",
    ]) {
      const verifier = configuredAttestation(async () => bad, google());
      expect(await verifier.verify(input("ios", "x".repeat(20), NONCE, NOW))).toEqual({
        verified: false,
        reason: "attestation configuration invalid",
      });
    }
  });

  it("is wired only when a configuration or its secret ARN is set", () => {
    const base = {
      DEVICES_TABLE: "d",
      CATALOG_TABLE: "c",
      DEVICE_TOKEN_SECRETS: "s".repeat(43),
    };
    expect(deviceDepsFromEnv(base).attestation).toBeUndefined();
    expect(deviceDepsFromEnv({ ...base, ATTESTATION_CONFIG: "{}" }).attestation).toBeDefined();
    expect(
      deviceDepsFromEnv({
        ...base,
        ATTESTATION_CONFIG_ARN:
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:attest-AbCdEf",
      }).attestation,
    ).toBeDefined();
  });
});
