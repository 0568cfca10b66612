import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { describe, expect, it, vi } from "vitest";
import {
  MAX_VERDICT_AGE_MS,
  playIntegrityVerifier,
  serviceAccountAccessToken,
} from "../../../shared/adapters/attestation/play-integrity.ts";

/** A decodeIntegrityToken answer as Google documents it (recorded shape, our package). */
const RECORDED = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "play-integrity-verdict.json"), "utf8"),
);
const AT = 1_780_000_000_000;
const NONCE = "bm9uY2UtZm9yLXJlZ2lzdHJhdGlvbi0x";

function verdict(patch: (v: typeof RECORDED) => void = () => {}) {
  const v = structuredClone(RECORDED);
  patch(v);
  return v;
}

function verifierAnswering(body: unknown, status = 200) {
  const fetch = vi.fn(
    async (_url: string, _init: RequestInit) => new Response(JSON.stringify(body), { status }),
  );
  const verifier = playIntegrityVerifier({
    packageName: "com.example.shop",
    accessToken: async () => "ya29.token",
    fetch,
  });
  const check = (
    over: Partial<{ platform: "android" | "ios"; nonce: string; nowMs: number }> = {},
  ) =>
    verifier.verify({
      platform: "android",
      token: "integrity-token-from-the-sdk",
      nonce: NONCE,
      appId: "app_1",
      nowMs: AT + 10_000,
      ...over,
    });
  return { fetch, check };
}

describe("Play Integrity verifier", () => {
  it("accepts the recorded verdict and calls decodeIntegrityToken with the token", async () => {
    const { fetch, check } = verifierAnswering(RECORDED);
    expect(await check()).toEqual({
      verified: true,
      replay: {
        key: "play-integrity:integrity-token-from-the-sdk",
        untilMs: AT + MAX_VERDICT_AGE_MS,
      },
    });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe(
      "https://playintegrity.googleapis.com/v1/com.example.shop:decodeIntegrityToken",
    );
    expect((init?.headers as Record<string, string> | undefined)?.authorization).toBe(
      "Bearer ya29.token",
    );
    expect(JSON.parse(String(init?.body))).toEqual({
      integrity_token: "integrity-token-from-the-sdk",
    });
  });

  it("refuses every verdict that does not hold, with the reason", async () => {
    const cases: [
      unknown,
      string,
      Parameters<ReturnType<typeof verifierAnswering>["check"]>[0]?,
    ][] = [
      [
        verdict((v) => {
          v.tokenPayloadExternal.appIntegrity.appRecognitionVerdict = "UNRECOGNIZED_VERSION";
        }),
        "app UNRECOGNIZED_VERSION",
      ],
      [
        verdict((v) => {
          v.tokenPayloadExternal.deviceIntegrity.deviceRecognitionVerdict = [
            "MEETS_BASIC_INTEGRITY",
          ];
        }),
        "device integrity not met",
      ],
      [
        verdict((v) => {
          v.tokenPayloadExternal.deviceIntegrity = {};
        }),
        "device integrity not met",
      ],
      [
        verdict((v) => {
          v.tokenPayloadExternal.requestDetails.requestPackageName = "com.evil";
        }),
        "token is for another package",
      ],
      [RECORDED, "nonce mismatch", { nonce: "another-nonce-000000" }],
      [RECORDED, "stale verdict", { nowMs: AT + MAX_VERDICT_AGE_MS + 1 }],
      [RECORDED, "stale verdict", { nowMs: AT - 61_000 }],
      [{ unexpected: true }, "malformed verdict"],
      [RECORDED, "not an Android device", { platform: "ios" }],
    ];
    for (const [body, reason, over] of cases) {
      const { check } = verifierAnswering(body);
      expect(await check(over), reason).toEqual({ verified: false, reason });
    }
    const { check } = verifierAnswering({ error: { code: 400 } }, 400);
    expect(await check()).toEqual({ verified: false, reason: "decodeIntegrityToken answered 400" });
    // The boundary: exactly the maximum age is still fresh.
    expect(
      await verifierAnswering(RECORDED).check({ nowMs: AT + MAX_VERDICT_AGE_MS }),
    ).toMatchObject({ verified: true });
  });

  it("standard requests carry requestHash instead of nonce", async () => {
    const standard = verdict((v) => {
      v.tokenPayloadExternal.requestDetails.nonce = undefined;
      v.tokenPayloadExternal.requestDetails.requestHash = NONCE;
    });
    expect(await verifierAnswering(standard).check()).toMatchObject({ verified: true });
  });
});

describe("service account access token", () => {
  it("signs an RS256 JWT bearer grant for the playintegrity scope and caches the token", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const credentials = JSON.stringify({
      client_email: "verifier@project.iam.gserviceaccount.com",
      private_key: await exportPKCS8(privateKey),
      token_uri: "https://oauth2.googleapis.com/token",
    });
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      const form = new URLSearchParams(String(init.body));
      expect(form.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
      const { payload } = await jwtVerify(form.get("assertion") ?? "", publicKey, {
        issuer: "verifier@project.iam.gserviceaccount.com",
        audience: "https://oauth2.googleapis.com/token",
      });
      expect(payload.scope).toBe("https://www.googleapis.com/auth/playintegrity");
      return new Response(JSON.stringify({ access_token: "ya29.abc", expires_in: 3600 }));
    });
    let now = Date.now();
    const token = serviceAccountAccessToken(credentials, fetch, () => now);
    expect(await token()).toBe("ya29.abc");
    expect(await token()).toBe("ya29.abc");
    expect(fetch).toHaveBeenCalledTimes(1);
    now += 3_600_000;
    await token();
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
