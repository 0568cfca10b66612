import * as z from "zod";

export const PLATFORMS = ["ios", "android", "web"] as const;

const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as Europe/Paris");

const segmentsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits, _ . : - only"),
  )
  .max(50)
  .describe("Audience segments the app assigns, matched against offer segments.");

const pushTokenSchema = z
  .string()
  .trim()
  .min(8)
  .max(4096)
  .describe("APNs/FCM token for direct push.");

export const consentSchema = z.strictObject({
  location: z.boolean().describe("The user allowed location-based processing."),
  marketing: z.boolean().describe("The user allowed marketing messages (incentives)."),
});

/**
 * A JWS the app's backend signed with the app's server secret, naming its user (`sub`): caps,
 * cooldowns, fatigue and holdouts then count per person across that user's installs.
 */
const userAssertionSchema = z
  .string()
  .min(16)
  .max(4096)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "must be a compact JWS")
  .describe("HS256 JWT from the app's backend: iss=appId, aud=footfall, sub=user id, exp ≤ 10 min");

/** A platform integrity token (Play Integrity on Android, App Attest on iOS) and its nonce. */
const attestationSchema = z
  .strictObject({
    token: z.string().min(16).max(16_384).describe("The token the platform SDK returned"),
    nonce: z
      .string()
      .min(16)
      .max(128)
      .regex(/^[A-Za-z0-9_=-]+$/, "base64url characters only")
      .describe("The nonce / request hash the app passed to the platform SDK"),
  })
  .describe("Optional device integrity proof; offers with requireAttestation need it");

/** `POST /v1/devices` body. */
export const registerDeviceSchema = z.strictObject({
  platform: z.enum(PLATFORMS),
  pushToken: pushTokenSchema.optional(),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 tag such as en-US")
    .optional(),
  timeZone: timeZoneSchema.optional(),
  consent: consentSchema,
  segments: segmentsSchema.optional(),
  userAssertion: userAssertionSchema.optional(),
  attestation: attestationSchema.optional(),
});
export type RegisterDeviceInput = z.infer<typeof registerDeviceSchema>;

/** `PATCH /v1/devices/me` body: any subset; `pushToken: null` removes the token. */
export const updateDeviceSchema = z
  .strictObject({
    pushToken: pushTokenSchema.nullable().optional(),
    locale: registerDeviceSchema.shape.locale,
    timeZone: timeZoneSchema.optional(),
    consent: z.strictObject({ location: z.boolean(), marketing: z.boolean() }).partial().optional(),
    segments: segmentsSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "at least one field is required");
export type UpdateDeviceInput = z.infer<typeof updateDeviceSchema>;

/** A registered device as stored. Holds no location. */
export interface Device {
  deviceId: string;
  appId: string;
  platform: (typeof PLATFORMS)[number];
  pushToken?: string | undefined;
  pushEndpointArn?: string | undefined;
  locale?: string | undefined;
  timeZone?: string | undefined;
  consent: { location: boolean; marketing: boolean };
  /** Segments the device declared about itself (untrusted: see `trustedSegments`). */
  segments: string[];
  /**
   * Keyed pseudonym of the app's user (HMAC of app id + user id) when the app's backend asserted
   * one; caps and holdouts count per person then. The raw user id is never stored.
   */
  personRef?: string | undefined;
  /** Segments the app's backend assigned in its signed assertion (trusted for targeting). */
  trustedSegments?: string[] | undefined;
  /** Whether a platform attestation was verified at registration. */
  attested?: boolean | undefined;
  /**
   * Active pickup orders attached to the device (`merchantId|pickupId`, a string set maintained
   * by the pickup use cases): read by the authorizer, so pings of a device without one skip
   * pickup processing at no cost.
   */
  pickupRefs?: Set<string> | string[] | undefined;
  /** Optimistic-lock version, bumped on every write. */
  version: number;
  /**
   * Epoch seconds: device tokens issued (`iat`) before this are refused. Set by a token refresh
   * with `revokeEarlier` (a leaked token); absent = every unexpired token of the device works.
   */
  tokensNotBefore?: number | undefined;
  /**
   * Epoch ms at which erasure started. From then on no write may create anything for the device
   * (every creating write checks the profile in the same transaction); the profile goes last.
   */
  erasingAt?: number | undefined;
  createdAt: string;
  updatedAt: string;
}

/** Applies a validated patch; pure so the rule "null removes the push token" lives in one place. */
export function applyDevicePatch(device: Device, patch: UpdateDeviceInput, nowIso: string): Device {
  const next: Device = { ...device, updatedAt: nowIso, version: device.version + 1 };
  if (patch.pushToken !== undefined) {
    next.pushToken = patch.pushToken ?? undefined;
    if (patch.pushToken === null || patch.pushToken !== device.pushToken) {
      next.pushEndpointArn = patch.pushToken === null ? undefined : device.pushEndpointArn;
    }
  }
  if (patch.locale !== undefined) next.locale = patch.locale;
  if (patch.timeZone !== undefined) next.timeZone = patch.timeZone;
  if (patch.consent) next.consent = { ...device.consent, ...patch.consent };
  if (patch.segments) next.segments = [...new Set(patch.segments)];
  return next;
}

/** `POST /v1/devices/me/token` body (optional). */
export const refreshTokenSchema = z.strictObject({
  revokeEarlier: z
    .boolean()
    .default(false)
    .describe(
      "Also revoke every token of this device issued before the new one (e.g. a leaked token)",
    ),
});
export type RefreshTokenInput = z.infer<typeof refreshTokenSchema>;

/**
 * The view of a device returned to its app (`GET /v1/devices/me`): what it registered and what it
 * consented to. Never the push token, the SNS endpoint or token-signing material.
 */
export function deviceView(device: Device) {
  return {
    deviceId: device.deviceId,
    appId: device.appId,
    platform: device.platform,
    locale: device.locale,
    timeZone: device.timeZone,
    consent: device.consent,
    segments: device.segments,
    trustedSegments: device.trustedSegments ?? [],
    userAsserted: device.personRef !== undefined,
    attested: device.attested === true,
    pushRegistered: device.pushToken !== undefined,
    ...(device.tokensNotBefore !== undefined
      ? { tokensNotBefore: new Date(device.tokensNotBefore * 1000).toISOString() }
      : {}),
    version: device.version,
    createdAt: device.createdAt,
    updatedAt: device.updatedAt,
  };
}

/**
 * Partitions of the sparse `due` index (devices table): a visit item carries `dueShard`/`dueAt`
 * only while it has an outbox to hand on or open visits that a silence would time out. Spreading
 * due items over shards keeps any one index partition far below its write limit (1,000 WCU/s).
 */
export const DUE_SHARDS = 16;

/** FNV-1a (32-bit) of a string: a stable, well-spread shard choice with no crypto dependency. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Key shapes of everything stored under one device, so erasure is one partition. */
export const deviceKeys = {
  partition: (deviceId: string) => `DEVICE#${deviceId}`,
  profile: (deviceId: string) => ({ pk: `DEVICE#${deviceId}`, sk: "PROFILE" }),
  visits: (deviceId: string) => ({ pk: `DEVICE#${deviceId}`, sk: "VISITS" }),
  /**
   * The sort-key range `PROFILE` ≤ sk ≤ `VISITS` of a device partition: exactly the profile and
   * the visit state, so ONE strongly consistent Query reads both (the ping path's only read).
   * Every other item of the partition sorts before it (`ATTR#`, `AUD#`, `CLAIM#`, `CNT#`,
   * `JOURNEY#`); a new sort key must too (test/unit/foundation/device-keys.test.ts).
   */
  profileToVisits: { from: "PROFILE", to: "VISITS" } as const,
  /** The device's visit history at one merchant (journey stages; see domain/journey). */
  journey: (deviceId: string, merchantId: string) => ({
    pk: `DEVICE#${deviceId}`,
    sk: `JOURNEY#${merchantId}`,
  }),
  /** The device id back from a partition key (`DEVICE#<id>`). */
  deviceIdOf: (pk: string) => pk.slice("DEVICE#".length),
  /** Partition of the `due` index a device's visit item goes to (`DUE#0`…`DUE#15`). */
  dueShard: (deviceId: string) => `DUE#${fnv1a(deviceId) % DUE_SHARDS}`,
  /** Every partition of the `due` index, for the sweeper. */
  dueShards: () => Array.from({ length: DUE_SHARDS }, (_, i) => `DUE#${i}`),
};
