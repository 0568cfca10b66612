/**
 * App Attest adapter for the `AttestationVerifier` port: verifies an iOS attestation object
 * offline, as Apple's "Validating apps that connect to your server" describes (steps 1–9):
 * https://developer.apple.com/documentation/devicecheck/validating-apps-that-connect-to-your-server
 *
 * The attestation object is CBOR `{ fmt: "apple-appattest", attStmt: { x5c, receipt }, authData }`.
 * Nothing is fetched: the chain ends at Apple's App Attestation Root CA, embedded below.
 */
import { createHash, timingSafeEqual, X509Certificate } from "node:crypto";
import { decodePartialCBOR } from "@levischuck/tiny-cbor";
import type { AttestationVerdict, AttestationVerifier } from "../../use-cases/devices.ts";

/**
 * Apple App Attestation Root CA (P-384, valid 2020-03-18 → 2045-03-15), from
 * https://www.apple.com/certificateauthority/Apple_App_Attestation_Root_CA.pem.
 * SHA-256 fingerprint of its DER: `1cb9823ba28ba6ad2d33a006941de2ae4f513ef1d4e831b9f7e0fa7b6242c932`
 * (checked by test/unit/abuse/app-attest.test.ts).
 */
export const APPLE_APP_ATTEST_ROOT_CA = `-----BEGIN CERTIFICATE-----
MIICITCCAaegAwIBAgIQC/O+DvHN0uD7jG5yH2IXmDAKBggqhkjOPQQDAzBSMSYw
JAYDVQQDDB1BcHBsZSBBcHAgQXR0ZXN0YXRpb24gUm9vdCBDQTETMBEGA1UECgwK
QXBwbGUgSW5jLjETMBEGA1UECAwKQ2FsaWZvcm5pYTAeFw0yMDAzMTgxODMyNTNa
Fw00NTAzMTUwMDAwMDBaMFIxJjAkBgNVBAMMHUFwcGxlIEFwcCBBdHRlc3RhdGlv
biBSb290IENBMRMwEQYDVQQKDApBcHBsZSBJbmMuMRMwEQYDVQQIDApDYWxpZm9y
bmlhMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAERTHhmLW07ATaFQIEVwTtT4dyctdh
NbJhFs/Ii2FdCgAHGbpphY3+d8qjuDngIN3WVhQUBHAoMeQ/cLiP1sOUtgjqK9au
Yen1mMEvRq9Sk3Jm5X8U62H+xTD3FE9TgS41o0IwQDAPBgNVHRMBAf8EBTADAQH/
MB0GA1UdDgQWBBSskRBTM72+aEH/pwyp5frq5eWKoTAOBgNVHQ8BAf8EBAMCAQYw
CgYIKoZIzj0EAwMDaAAwZQIwQgFGnByvsiVbpTKwSga0kP0e8EeDS4+sQmTvb7vn
53O5+FRXgeLhpJ06ysC5PrOyAjEAp5U4xDgEgllF7En3VcE3iexZZtKeYnpqtijV
oyFraWVIyd/dganmrduC1bmTBGwD
-----END CERTIFICATE-----`;

/** The credential certificate extension carrying the nonce (Apple, step 4). */
export const APP_ATTEST_NONCE_OID = "1.2.840.113635.100.8.2";

/** authData AAGUIDs: builds signed for the App Store / TestFlight vs. development builds. */
export const APP_ATTEST_AAGUID = {
  production: Buffer.concat([Buffer.from("appattest", "ascii"), Buffer.alloc(7)]),
  development: Buffer.from("appattestdevelop", "ascii"),
} as const;

export interface AppAttestOptions {
  /** `<Team ID>.<bundle id>` of each app whose attestations are accepted (rpIdHash, step 6). */
  appIds: string[];
  /** Which AAGUID is accepted (step 9): `production` unless testing development builds. */
  environment: "production" | "development";
  /** Trust anchors (PEM); default Apple's App Attestation Root CA. Tests pass their own. */
  roots?: string[];
}

const refuse = (reason: string): AttestationVerdict => ({ verified: false, reason });

/**
 * Minimal DER reader: the header of the TLV at `offset` (tag byte, content start and end).
 * Definite lengths only, as DER requires. Throws on truncation.
 */
function tlv(der: Uint8Array, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset];
  let len = der[offset + 1];
  if (tag === undefined || len === undefined) throw new Error("truncated DER");
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error("unsupported DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (der[start + i] ?? 0);
    start += n;
  }
  const end = start + len;
  if (end > der.length) throw new Error("truncated DER");
  return { tag, start, end };
}

/** Children of a constructed DER value. */
function children(der: Uint8Array, start: number, end: number) {
  const out: { tag: number; start: number; end: number }[] = [];
  for (let at = start; at < end; ) {
    const child = tlv(der, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** DER encoding of an OBJECT IDENTIFIER's content octets (for comparison). */
function oidContent(oid: string): Buffer {
  const parts = oid.split(".").map(Number);
  const bytes = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const part of parts.slice(2)) {
    const groups = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) {
      groups.unshift((v & 0x7f) | 0x80);
    }
    bytes.push(...groups);
  }
  return Buffer.from(bytes);
}

/**
 * The value (extnValue content) of a certificate extension, or undefined. Walks
 * Certificate → tbsCertificate → [3] extensions → Extension { extnID, critical?, extnValue }.
 */
export function certificateExtension(certDer: Uint8Array, oid: string): Buffer | undefined {
  const cert = tlv(certDer, 0);
  const [tbs] = children(certDer, cert.start, cert.end);
  if (!tbs) return undefined;
  const wanted = oidContent(oid);
  for (const field of children(certDer, tbs.start, tbs.end)) {
    if (field.tag !== 0xa3) continue;
    const seq = tlv(certDer, field.start);
    for (const ext of children(certDer, seq.start, seq.end)) {
      const parts = children(certDer, ext.start, ext.end);
      const id = parts[0];
      const value = parts[parts.length - 1];
      if (!id || !value || id.tag !== 0x06 || value.tag !== 0x04) continue;
      if (wanted.equals(Buffer.from(certDer.subarray(id.start, id.end)))) {
        return Buffer.from(certDer.subarray(value.start, value.end));
      }
    }
  }
  return undefined;
}

/**
 * The nonce inside Apple's extension: `SEQUENCE { [1] EXPLICIT OCTET STRING nonce }`.
 */
function nonceOf(extension: Buffer): Buffer | undefined {
  const seq = tlv(extension, 0);
  for (const item of children(extension, seq.start, seq.end)) {
    if (item.tag !== 0xa1) continue;
    const octets = tlv(extension, item.start);
    if (octets.tag === 0x04) return extension.subarray(octets.start, octets.end);
  }
  return undefined;
}

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const equal = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `token` as base64 or base64url (what `attestKey` returns, encoded by the app). */
function decodeToken(token: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return undefined;
  return Buffer.from(token.replaceAll("-", "+").replaceAll("_", "/"), "base64");
}

function field(map: unknown, key: string): unknown {
  return map instanceof Map ? map.get(key) : undefined;
}

function validAt(cert: X509Certificate, nowMs: number): boolean {
  return Date.parse(cert.validFrom) <= nowMs && nowMs <= Date.parse(cert.validTo);
}

/**
 * Verifies iOS attestation objects (`token`: the object `DCAppAttestService.attestKey` returned,
 * base64). The app passes `SHA-256(UTF-8 nonce)` as `clientDataHash`; the registration's
 * `attestation.nonce` is that nonce. Checks, in Apple's order: the x5c chain (credential
 * certificate ← intermediate ← a trusted root, each valid now); the nonce extension equals
 * SHA-256(authData ‖ clientDataHash); the credential id is SHA-256 of the credential public key
 * (the key identifier); rpIdHash = SHA-256(`<Team ID>.<bundle id>`) of a configured app; the sign
 * counter is 0; the AAGUID matches the environment. Any failure is `verified: false` with the
 * reason; the receipt (for fraud-risk metrics) is not evaluated. Other platforms are not verified.
 */
export function appAttestVerifier(options: AppAttestOptions): AttestationVerifier {
  const roots = (options.roots ?? [APPLE_APP_ATTEST_ROOT_CA]).map(
    (pem) => new X509Certificate(pem),
  );
  const rpIdHashes = options.appIds.map((appId) => sha256(Buffer.from(appId, "utf8")));
  const aaguid = APP_ATTEST_AAGUID[options.environment];
  return {
    async verify({ platform, token, nonce, nowMs }) {
      if (platform !== "ios") return refuse("not an iOS device");
      const bytes = decodeToken(token);
      if (!bytes) return refuse("attestation is not base64");
      let object: unknown;
      try {
        object = decodePartialCBOR(new Uint8Array(bytes), 0)[0];
      } catch {
        return refuse("attestation is not CBOR");
      }
      if (field(object, "fmt") !== "apple-appattest") return refuse("not an App Attest object");
      const x5c = field(field(object, "attStmt"), "x5c");
      const authData = field(object, "authData");
      if (!Array.isArray(x5c) || x5c.length < 2 || !(authData instanceof Uint8Array)) {
        return refuse("malformed attestation statement");
      }
      // Step 1: the certificate chain.
      let credCert: X509Certificate;
      let intermediate: X509Certificate;
      try {
        credCert = new X509Certificate(x5c[0] as Uint8Array);
        intermediate = new X509Certificate(x5c[1] as Uint8Array);
      } catch {
        return refuse("malformed certificate");
      }
      const anchor = roots.find(
        (root) => intermediate.checkIssued(root) && intermediate.verify(root.publicKey),
      );
      if (!anchor || !intermediate.ca) return refuse("untrusted certificate chain");
      if (!(credCert.checkIssued(intermediate) && credCert.verify(intermediate.publicKey))) {
        return refuse("untrusted certificate chain");
      }
      if (![credCert, intermediate, anchor].every((c) => validAt(c, nowMs))) {
        return refuse("certificate not valid now");
      }
      // Steps 2–4: nonce = SHA-256(authData ‖ clientDataHash) in the credential certificate.
      const clientDataHash = sha256(Buffer.from(nonce, "utf8"));
      const expectedNonce = sha256(authData, clientDataHash);
      let certNonce: Buffer | undefined;
      try {
        const ext = certificateExtension(credCert.raw, APP_ATTEST_NONCE_OID);
        certNonce = ext ? nonceOf(ext) : undefined;
      } catch {
        certNonce = undefined;
      }
      if (!certNonce || !equal(certNonce, expectedNonce)) return refuse("nonce mismatch");
      // authData: rpIdHash(32) flags(1) signCount(4) aaguid(16) credIdLen(2) credId(len) …
      if (authData.length < 55) return refuse("authenticator data too short");
      const data = Buffer.from(authData);
      const credIdLength = data.readUInt16BE(53);
      const credentialId = data.subarray(55, 55 + credIdLength);
      // Step 5: the key identifier is SHA-256 of the uncompressed EC public key (0x04 ‖ X ‖ Y).
      const jwk = credCert.publicKey.export({ format: "jwk" });
      if (jwk.kty !== "EC" || !jwk.x || !jwk.y) return refuse("credential key is not EC");
      const point = Buffer.concat([
        Buffer.from([4]),
        Buffer.from(jwk.x, "base64url"),
        Buffer.from(jwk.y, "base64url"),
      ]);
      // Step 6: the app.
      const rpIdHash = data.subarray(0, 32);
      if (!rpIdHashes.some((hash) => equal(hash, rpIdHash)))
        return refuse("attestation is for another app");
      // Step 7: a fresh key has signed nothing yet.
      if (data.readUInt32BE(33) !== 0) return refuse("counter is not 0");
      // Step 8: environment.
      if (!equal(data.subarray(37, 53), aaguid))
        return refuse(`not a ${options.environment} attestation`);
      // Step 9: the credential id is the key identifier.
      if (credentialId.length !== 32 || !equal(credentialId, sha256(point))) {
        return refuse("credential id is not the key's identifier");
      }
      // The same object verifies again until the credential certificate expires.
      return {
        verified: true,
        replay: {
          key: `app-attest:${credentialId.toString("hex")}`,
          untilMs: Date.parse(credCert.validTo),
        },
      };
    },
  };
}
