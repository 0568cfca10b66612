/**
 * Play Integrity adapter for the `AttestationVerifier` port: decodes an integrity token through
 * Google's server API and judges the verdict. Reference:
 * https://developer.android.com/google/play/integrity/verdicts (request details, app integrity,
 * device integrity) and the `v1.decodeIntegrityToken` REST method.
 */
import { importPKCS8, SignJWT } from "jose";
import * as z from "zod";
import type { AttestationVerifier } from "../../use-cases/devices.ts";

/** How old a verdict may be (its requestDetails.timestampMillis) when registration checks it. */
export const MAX_VERDICT_AGE_MS = 5 * 60_000;

const verdictSchema = z.object({
  tokenPayloadExternal: z.object({
    requestDetails: z.object({
      requestPackageName: z.string(),
      timestampMillis: z.coerce.number(),
      nonce: z.string().optional(),
      requestHash: z.string().optional(),
    }),
    appIntegrity: z.object({ appRecognitionVerdict: z.string() }),
    deviceIntegrity: z.object({
      deviceRecognitionVerdict: z.array(z.string()).optional(),
    }),
  }),
});

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface PlayIntegrityOptions {
  /** The Android application id the tokens must be for. */
  packageName: string;
  /** An OAuth 2 access token with the `playintegrity` scope. */
  accessToken: () => Promise<string>;
  fetch: Fetch;
  maxAgeMs?: number;
}

/**
 * Verifies Android tokens: decodes them with `decodeIntegrityToken`, then requires the package
 * name, the nonce (classic requests) or request hash (standard requests) the app sent, a verdict
 * at most `maxAgeMs` old (clock skew of 1 minute into the future), `PLAY_RECOGNIZED` and
 * `MEETS_DEVICE_INTEGRITY`. A failed decode (4xx/5xx, malformed answer) is `verified: false`
 * with the reason: registration goes on unattested. Other platforms are not verified here.
 */
export function playIntegrityVerifier(options: PlayIntegrityOptions): AttestationVerifier {
  const maxAge = options.maxAgeMs ?? MAX_VERDICT_AGE_MS;
  return {
    async verify({ platform, token, nonce, nowMs }) {
      if (platform !== "android") return { verified: false, reason: "not an Android device" };
      const res = await options.fetch(
        `https://playintegrity.googleapis.com/v1/${encodeURIComponent(options.packageName)}:decodeIntegrityToken`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${await options.accessToken()}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({ integrity_token: token }),
        },
      );
      if (!res.ok)
        return { verified: false, reason: `decodeIntegrityToken answered ${res.status}` };
      const parsed = verdictSchema.safeParse(await res.json().catch(() => undefined));
      if (!parsed.success) return { verified: false, reason: "malformed verdict" };
      const { requestDetails, appIntegrity, deviceIntegrity } = parsed.data.tokenPayloadExternal;
      if (requestDetails.requestPackageName !== options.packageName) {
        return { verified: false, reason: "token is for another package" };
      }
      if ((requestDetails.nonce ?? requestDetails.requestHash) !== nonce) {
        return { verified: false, reason: "nonce mismatch" };
      }
      const age = nowMs - requestDetails.timestampMillis;
      if (!(age <= maxAge && age >= -60_000)) return { verified: false, reason: "stale verdict" };
      if (appIntegrity.appRecognitionVerdict !== "PLAY_RECOGNIZED") {
        return { verified: false, reason: `app ${appIntegrity.appRecognitionVerdict}` };
      }
      if (!(deviceIntegrity.deviceRecognitionVerdict ?? []).includes("MEETS_DEVICE_INTEGRITY")) {
        return { verified: false, reason: "device integrity not met" };
      }
      // The same token verifies again until the verdict is too old.
      return {
        verified: true,
        replay: {
          key: `play-integrity:${token}`,
          untilMs: requestDetails.timestampMillis + maxAge,
        },
      };
    },
  };
}

const serviceAccountSchema = z.object({
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  token_uri: z.string().url().default("https://oauth2.googleapis.com/token"),
});

/**
 * OAuth 2 access tokens for a Google service account (JWT bearer grant, RFC 7523), cached until a
 * minute before they expire. `credentialsJson` is the service account key file's content.
 */
export function serviceAccountAccessToken(
  credentialsJson: string,
  fetchFn: Fetch,
  now: () => number = Date.now,
): () => Promise<string> {
  const account = serviceAccountSchema.parse(JSON.parse(credentialsJson));
  let cached: { token: string; until: number } | undefined;
  return async () => {
    if (cached && now() < cached.until) return cached.token;
    const iat = Math.floor(now() / 1000);
    const assertion = await new SignJWT({
      scope: "https://www.googleapis.com/auth/playintegrity",
    })
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(account.client_email)
      .setAudience(account.token_uri)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(await importPKCS8(account.private_key, "RS256"));
    const res = await fetchFn(account.token_uri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion,
      }).toString(),
    });
    if (!res.ok) throw new Error(`service account token request answered ${res.status}`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new Error("service account token response has no access_token");
    cached = { token: body.access_token, until: now() + ((body.expires_in ?? 3600) - 60) * 1000 };
    return body.access_token;
  };
}
