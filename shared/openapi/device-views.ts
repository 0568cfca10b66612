/**
 * Zod descriptions of what the device API returns: the device's own record, its tokens, what a
 * batch of pings did and the offers nearby. The route table (infra/routes.ts) names them per
 * status; the OpenAPI document and the end-to-end contract checks are generated from them.
 */
import * as z from "zod";
import { versionedShape } from "./common-views.ts";

/** `GET /v1/devices/me`: the device's own record as its app sees it (no push token, no secrets). */
export const deviceViewSchema = z
  .object({
    deviceId: z.string().describe("dev_…"),
    appId: z.string(),
    platform: z.enum(["ios", "android", "web"]),
    locale: z.string().optional(),
    timeZone: z.string().optional().describe("IANA zone; quiet hours and fatigue days use it"),
    consent: z.object({ location: z.boolean(), marketing: z.boolean() }),
    segments: z.array(z.string()).describe("Segments the device declared itself"),
    trustedSegments: z
      .array(z.string())
      .describe("Segments the app's backend vouched for (user assertion)"),
    userAsserted: z.boolean().describe("An app user assertion was verified at registration"),
    attested: z.boolean().describe("A platform attestation was verified at registration"),
    pushRegistered: z.boolean().describe("Whether a push token is registered (never returned)"),
    tokensNotBefore: z.iso
      .datetime()
      .optional()
      .describe("Tokens issued before this instant are revoked"),
    ...versionedShape,
  })
  .describe("A device");

/** `POST /v1/devices/me/token` answer. */
export const deviceTokenSchema = z
  .object({
    token: z.string().describe("Device bearer token (JWT, HS256)"),
    tokenExpiresAt: z.iso.datetime(),
  })
  .describe("A fresh device token");

/** `POST /v1/devices` answer: the new device and its first token. */
export const registeredDeviceSchema = z
  .object({
    device: deviceViewSchema,
    token: z.string().describe("Device bearer token (JWT, HS256): `Authorization: Bearer …`"),
    tokenExpiresAt: z.iso.datetime(),
  })
  .describe("A registered device with its token");

/** `POST /v1/pings` answer (202): what was accepted, refused per index, and what it caused. */
export const pingResultSchema = z
  .object({
    accepted: z.number().int().min(0).describe("Pings processed"),
    rejected: z
      .array(
        z.object({
          index: z.number().int().min(0).describe("Index of the ping in `pings`"),
          field: z.string().describe("Offending field, e.g. accuracyM"),
          reason: z.string(),
        }),
      )
      .describe("Pings refused, each naming its index and field; the others were processed"),
    events: z.array(
      z.object({
        type: z.enum(["entered", "dwelled", "exited"]),
        kind: z.enum(["footprint", "trigger"]).describe("Store footprint (visit) or trigger zone"),
        storeId: z.string(),
        offerId: z.string().optional(),
        at: z.iso.datetime(),
      }),
    ),
    incentives: z.array(z.unknown()).describe("Incentives sent as a result of this batch"),
  })
  .describe("What a batch of pings did");

/** `GET /v1/offers/nearby` answer. */
export const nearbyOffersSchema = z
  .object({
    offers: z.array(
      z.object({
        offerId: z.string(),
        storeId: z.string(),
        storeName: z.string(),
        title: z.string(),
        body: z.string(),
        deepLink: z.string().optional(),
        distanceM: z.number().min(0).describe("Metres to the store's point"),
        validTo: z.string(),
      }),
    ),
  })
  .describe("Live offers of stores nearby, nearest first");
