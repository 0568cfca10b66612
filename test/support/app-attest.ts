/**
 * A locally generated App Attest certificate chain shaped like Apple's (P-384 root and
 * intermediate CAs, P-256 credential key, nonce extension 1.2.840.113635.100.8.2) and attestation
 * objects built on it, so every check of the verifier can be made to fail one at a time.
 */
import "reflect-metadata";
import { createHash, webcrypto } from "node:crypto";
import { encodeCBOR } from "@levischuck/tiny-cbor";
import * as x509 from "@peculiar/x509";
import {
  APP_ATTEST_AAGUID,
  APP_ATTEST_NONCE_OID,
} from "../../shared/adapters/attestation/app-attest.ts";

x509.cryptoProvider.set(webcrypto as never);
export const APP_ID = "ABCDE12345.com.example.shop";
export const NONCE = "c2VydmVyLWNoYWxsZW5nZS0x";
/** The instant the chains are built around (valid from a day before to three days after). */
export const NOW = Date.now();
const DAY = 86_400_000;

export const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

export const P384 = { name: "ECDSA", namedCurve: "P-384" } as const;
const P256 = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN384 = { name: "ECDSA", hash: "SHA-384" } as const;
const SIGN256 = { name: "ECDSA", hash: "SHA-256" } as const;

type Keys = webcrypto.CryptoKeyPair;
export const newKeys = async (alg: typeof P384 | typeof P256) =>
  (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as Keys;

export interface Pki {
  rootPem: string;
  root: Keys;
  intermediate: Keys;
  intermediateCert: x509.X509Certificate;
}

export async function makeCa(name: string): Promise<Pki> {
  const root = await newKeys(P384);
  const rootCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${name} Root CA, O=Test`,
    notBefore: new Date(NOW - 365 * DAY),
    notAfter: new Date(NOW + 3650 * DAY),
    keys: root,
    signingAlgorithm: SIGN384,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const intermediate = await newKeys(P384);
  const intermediateCert = await x509.X509CertificateGenerator.create({
    serialNumber: "02",
    subject: `CN=${name} Attestation CA 1, O=Test`,
    issuer: rootCert.subject,
    notBefore: new Date(NOW - 30 * DAY),
    notAfter: new Date(NOW + 365 * DAY),
    signingKey: root.privateKey,
    publicKey: intermediate.publicKey,
    signingAlgorithm: SIGN384,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  return { rootPem: rootCert.toString("pem"), root, intermediate, intermediateCert };
}

/** DER `SEQUENCE { [1] EXPLICIT OCTET STRING nonce }` (32-byte nonce). */
function nonceExtension(nonce: Uint8Array): Uint8Array {
  return Uint8Array.from([0x30, 0x24, 0xa1, 0x22, 0x04, 0x20, ...nonce]);
}

export interface Build {
  pki: Pki;
  appId?: string;
  nonce?: string;
  counter?: number;
  aaguid?: Uint8Array;
  /** Replace the credential id (default: SHA-256 of the credential key). */
  credentialId?: Uint8Array;
  /** Sign the credential certificate with this key instead of the intermediate's. */
  signer?: webcrypto.CryptoKey;
  certNotAfter?: number;
  /** Nonce to put in the certificate instead of the right one. */
  certNonce?: Uint8Array;
  /** Change authData after the certificate was made. */
  tamper?: (authData: Uint8Array) => void;
}

export async function attestation(b: Build): Promise<string> {
  const cred = await newKeys(P256);
  const raw = new Uint8Array(await webcrypto.subtle.exportKey("raw", cred.publicKey));
  const keyId = sha256(raw);
  const credentialId = b.credentialId ?? keyId;
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(b.counter ?? 0);
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(credentialId.length);
  const authData = new Uint8Array(
    Buffer.concat([
      sha256(Buffer.from(b.appId ?? APP_ID)),
      Buffer.from([0x40]),
      counter,
      b.aaguid ?? APP_ATTEST_AAGUID.production,
      idLength,
      credentialId,
      Buffer.from([0xa5, 0x01, 0x02]), // the start of a COSE key; not read by the verifier
    ]),
  );
  const clientDataHash = sha256(Buffer.from(b.nonce ?? NONCE, "utf8"));
  const nonce = b.certNonce ?? sha256(authData, clientDataHash);
  const credCert = await x509.X509CertificateGenerator.create({
    serialNumber: "03",
    subject: `CN=${Buffer.from(keyId).toString("hex")}, OU=AAA Certification, O=Test`,
    issuer: b.pki.intermediateCert.subject,
    notBefore: new Date(NOW - DAY),
    notAfter: new Date(b.certNotAfter ?? NOW + 3 * DAY),
    signingKey: b.signer ?? b.pki.intermediate.privateKey,
    publicKey: cred.publicKey,
    signingAlgorithm: SIGN256,
    extensions: [new x509.Extension(APP_ATTEST_NONCE_OID, false, nonceExtension(nonce))],
  });
  b.tamper?.(authData);
  const object = encodeCBOR(
    new Map<string, unknown>([
      ["fmt", "apple-appattest"],
      [
        "attStmt",
        new Map<string, unknown>([
          [
            "x5c",
            [new Uint8Array(credCert.rawData), new Uint8Array(b.pki.intermediateCert.rawData)],
          ],
          ["receipt", new Uint8Array([1, 2, 3])],
        ]),
      ],
      ["authData", authData],
    ]) as never,
  );
  return Buffer.from(object).toString("base64");
}
