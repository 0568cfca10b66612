/**
 * App Attest verification against a locally generated chain (test/support/app-attest.ts).
 */
import { createHash, X509Certificate } from "node:crypto";
import { encodeCBOR } from "@levischuck/tiny-cbor";
import { beforeAll, describe, expect, it } from "vitest";
import {
  APP_ATTEST_AAGUID,
  APP_ATTEST_NONCE_OID,
  APPLE_APP_ATTEST_ROOT_CA,
  appAttestVerifier,
  certificateExtension,
} from "../../../shared/adapters/attestation/app-attest.ts";
import {
  APP_ID,
  attestation,
  makeCa,
  NONCE,
  NOW,
  newKeys,
  P384,
  type Pki,
  sha256,
} from "../../support/app-attest.ts";

let pki: Pki;
let other: Pki;
const verifier = (p: Pki, environment: "production" | "development" = "production") =>
  appAttestVerifier({ appIds: [APP_ID], environment, roots: [p.rootPem] });
const check = (
  token: string,
  over: { nonce?: string; platform?: "ios" | "android"; nowMs?: number } = {},
  v = verifier(pki),
) =>
  v.verify({
    platform: over.platform ?? "ios",
    token,
    nonce: over.nonce ?? NONCE,
    appId: "app_1",
    nowMs: over.nowMs ?? NOW,
  });

beforeAll(async () => {
  pki = await makeCa("Footfall Test");
  other = await makeCa("Attacker");
});

describe("App Attest verifier", () => {
  it("accepts a well-formed attestation for the app and nonce, in base64 or base64url", async () => {
    const token = await attestation({ pki });
    const verdict = await check(token);
    expect(verdict).toMatchObject({ verified: true });
    // Its replay identity is the key id, whatever the encoding, until the credential cert ends.
    expect(verdict.replay?.key).toMatch(/^app-attest:[0-9a-f]{64}$/);
    expect(verdict.replay?.untilMs).toBe(Math.floor((NOW + 3 * 86_400_000) / 1000) * 1000);
    const url = Buffer.from(token, "base64").toString("base64url");
    expect((await check(url)).replay).toEqual(verdict.replay);
    expect((await check(await attestation({ pki }))).replay?.key).not.toBe(verdict.replay?.key);
  });

  it("refuses another nonce, another app, a used key and the development environment", async () => {
    const token = await attestation({ pki });
    expect(await check(token, { nonce: "b3RoZXItY2hhbGxlbmdlLTI" })).toEqual({
      verified: false,
      reason: "nonce mismatch",
    });
    expect(await check(await attestation({ pki, appId: "ZZZZZ99999.com.example.shop" }))).toEqual({
      verified: false,
      reason: "attestation is for another app",
    });
    expect(await check(await attestation({ pki, counter: 1 }))).toEqual({
      verified: false,
      reason: "counter is not 0",
    });
    const dev = await attestation({ pki, aaguid: APP_ATTEST_AAGUID.development });
    expect(await check(dev)).toEqual({
      verified: false,
      reason: "not a production attestation",
    });
    expect(await check(dev, {}, verifier(pki, "development"))).toMatchObject({ verified: true });
  });

  it("refuses a chain from another root, a forged credential certificate and expired certificates", async () => {
    // The attacker's own CA, however well-formed, is not the configured root.
    expect(await check(await attestation({ pki: other }))).toEqual({
      verified: false,
      reason: "untrusted certificate chain",
    });
    // A credential certificate signed by a key other than the intermediate's.
    const forger = await newKeys(P384);
    expect(await check(await attestation({ pki, signer: forger.privateKey }))).toEqual({
      verified: false,
      reason: "untrusted certificate chain",
    });
    expect(await check(await attestation({ pki, certNotAfter: NOW - 1000 }))).toEqual({
      verified: false,
      reason: "certificate not valid now",
    });
    // Apple's real root does not vouch for a test chain.
    const apple = appAttestVerifier({ appIds: [APP_ID], environment: "production" });
    expect(await check(await attestation({ pki }), {}, apple)).toMatchObject({ verified: false });
  });

  it("refuses authData changed after attestation and a credential id that is not the key's", async () => {
    expect(
      await check(
        await attestation({
          pki,
          tamper: (a) => {
            a[33] = 0;
            a[32] = 0x41;
          },
        }),
      ),
    ).toEqual({ verified: false, reason: "nonce mismatch" });
    expect(
      await check(await attestation({ pki, credentialId: sha256(Buffer.from("other")) })),
    ).toEqual({
      verified: false,
      reason: "credential id is not the key's identifier",
    });
    expect(await check(await attestation({ pki, certNonce: new Uint8Array(32) }))).toEqual({
      verified: false,
      reason: "nonce mismatch",
    });
  });

  it("refuses garbage, other formats and other platforms without throwing", async () => {
    expect(await check("not base64 at all!")).toMatchObject({ verified: false });
    expect(await check(Buffer.from("hello world, not cbor").toString("base64"))).toMatchObject({
      verified: false,
    });
    const packed = Buffer.from(
      encodeCBOR(new Map<string, unknown>([["fmt", "packed"]]) as never),
    ).toString("base64");
    expect(await check(packed)).toEqual({ verified: false, reason: "not an App Attest object" });
    expect(await check(await attestation({ pki }), { platform: "android" })).toEqual({
      verified: false,
      reason: "not an iOS device",
    });
  });

  it("embeds Apple's App Attestation Root CA (fingerprint and subject)", () => {
    const root = new X509Certificate(APPLE_APP_ATTEST_ROOT_CA);
    expect(createHash("sha256").update(root.raw).digest("hex")).toBe(
      "1cb9823ba28ba6ad2d33a006941de2ae4f513ef1d4e831b9f7e0fa7b6242c932",
    );
    expect(root.subject).toContain("CN=Apple App Attestation Root CA");
    expect(root.ca).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
  });

  it("reads an extension by OID from a certificate's DER and nothing else", () => {
    const cert = new X509Certificate(new Uint8Array(pki.intermediateCert.rawData));
    expect(certificateExtension(cert.raw, APP_ATTEST_NONCE_OID)).toBeUndefined();
    // Basic constraints (2.5.29.19) of the intermediate: SEQUENCE { BOOLEAN TRUE, INTEGER 0 }.
    expect(certificateExtension(cert.raw, "2.5.29.19")?.toString("hex")).toBe("30060101ff020100");
  });
});
