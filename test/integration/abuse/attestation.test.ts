/**
 * Device integrity on DynamoDB Local: a Play Integrity verdict (recorded shape, mocked transport)
 * marks a registered device attested, the device authorizer hands that on, and an offer with
 * `requireAttestation` reaches only attested devices.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { appAttestVerifier } from "../../../shared/adapters/attestation/app-attest.ts";
import { playIntegrityVerifier } from "../../../shared/adapters/attestation/play-integrity.ts";
import { authorizeDevice, registerDevice } from "../../../shared/use-cases/devices.ts";
import { ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { deviceDepsFromEnv } from "../../../shared/wiring/device-deps.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import { APP_ID, attestation, NONCE as IOS_NONCE, makeCa } from "../../support/app-attest.ts";
import { offset, registeredDevice, seedStoreAndOffer } from "../../support/fixtures.ts";
import { startTestServer } from "../../support/local-server.ts";

const RECORDED = JSON.parse(
  readFileSync(
    join(import.meta.dirname, "../../unit/abuse/fixtures/play-integrity-verdict.json"),
    "utf8",
  ),
);
const NONCE = RECORDED.tokenPayloadExternal.requestDetails.nonce as string;
const VERDICT_AT = Number(RECORDED.tokenPayloadExternal.requestDetails.timestampMillis);

describe("attestation at registration", () => {
  it("marks the device attested only when the verdict holds", async () => {
    const server = await startTestServer();
    try {
      const fetch = vi.fn(async () => new Response(JSON.stringify(RECORDED)));
      const deps = {
        ...deviceDepsFromEnv(),
        clock: { now: () => VERDICT_AT + 30_000 },
        attestation: playIntegrityVerifier({
          packageName: "com.example.shop",
          accessToken: async () => "ya29.token",
          fetch,
        }),
      };
      const input = {
        platform: "android" as const,
        consent: { location: true, marketing: true },
      };
      const good = await registerDevice(deps, server.appKey, {
        ...input,
        attestation: { token: "integrity-token-000000", nonce: NONCE },
      });
      expect(good.device.attested).toBe(true);
      expect(fetch).toHaveBeenCalledTimes(1);
      const principal = await authorizeDevice(deps, good.token);
      expect(principal.attested).toBe(true);
      // The same token and nonce again within the verdict's life: a replay, not attested.
      const replayed = await registerDevice(deps, server.appKey, {
        ...input,
        attestation: { token: "integrity-token-000000", nonce: NONCE },
      });
      expect(replayed.device.attested).toBe(false);
      // A replayed nonce of another registration, or no attestation: registered, not attested.
      const wrongNonce = await registerDevice(deps, server.appKey, {
        ...input,
        attestation: { token: "integrity-token-000000", nonce: "another-nonce-0000" },
      });
      expect(wrongNonce.device.attested).toBe(false);
      const none = await registerDevice(deps, server.appKey, input);
      expect(none.device.attested).toBe(false);
      expect((await authorizeDevice(deps, none.token)).attested).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe("App Attest at registration", () => {
  it("marks an iOS device attested only for a valid attestation object of the app and nonce", async () => {
    const server = await startTestServer();
    try {
      const pki = await makeCa("Footfall Test");
      const deps = {
        ...deviceDepsFromEnv(),
        attestation: appAttestVerifier({
          appIds: [APP_ID],
          environment: "production",
          roots: [pki.rootPem],
        }),
      };
      const input = { platform: "ios" as const, consent: { location: true, marketing: true } };
      const token = await attestation({ pki });
      const good = await registerDevice(deps, server.appKey, {
        ...input,
        attestation: { token, nonce: IOS_NONCE },
      });
      expect(good.device.attested).toBe(true);
      expect((await authorizeDevice(deps, good.token)).attested).toBe(true);
      // The same proof again (a farm replaying one genuine attestation): registered, unattested.
      const again = await registerDevice(deps, server.appKey, {
        ...input,
        attestation: { token, nonce: IOS_NONCE },
      });
      expect(again.device.attested).toBe(false);
      // Also when re-encoded as base64url: the proof is the key, not the string.
      const reencoded = await registerDevice(deps, server.appKey, {
        ...input,
        attestation: {
          token: Buffer.from(token, "base64").toString("base64url"),
          nonce: IOS_NONCE,
        },
      });
      expect(reencoded.device.attested).toBe(false);
      // A fresh attestation (another key) still attests.
      const fresh = await registerDevice(deps, server.appKey, {
        ...input,
        attestation: { token: await attestation({ pki }), nonce: IOS_NONCE },
      });
      expect(fresh.device.attested).toBe(true);
      // The same object with another nonce, or from the attacker's own CA: registered, unattested.
      const replayed = await registerDevice(deps, server.appKey, {
        ...input,
        attestation: { token, nonce: "b3RoZXItY2hhbGxlbmdlLTI" },
      });
      expect(replayed.device.attested).toBe(false);
      const forged = await registerDevice(deps, server.appKey, {
        ...input,
        attestation: {
          token: await attestation({ pki: await makeCa("Attacker") }),
          nonce: IOS_NONCE,
        },
      });
      expect(forged.device.attested).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe("requireAttestation", () => {
  it("sends only to attested devices", async () => {
    // 11:00 UTC (midday in Paris, outside quiet hours) of the latest day it has passed.
    const noon = new Date();
    noon.setUTCHours(11, 0, 0, 0);
    const now = noon.getTime() > Date.now() ? noon.getTime() - 86_400_000 : noon.getTime();
    const { location } = await seedStoreAndOffer({
      offer: {
        requireAttestation: true,
        validFrom: new Date(now - 3 * 86_400_000).toISOString(),
      },
    });
    const deps = { ...pingDepsFromEnv(zoneEventSinkFromEnv()), clock: { now: () => now } };
    const ping = { ...offset(location, 100, 0), accuracyM: 10, timestamp: now - 1000, speedMps: 1 };
    const plain = await ingestPings(deps, await registeredDevice(), [ping]);
    expect(plain.incentives).toEqual([]);
    const attested = await ingestPings(deps, await registeredDevice({ attested: true }), [ping]);
    expect(attested.incentives).toHaveLength(1);
  });
});
