/** Routes a mobile app calls with its device token about where it is: pings, nearby offers. */
import * as z from "zod";
import { MAX_PINGS_PER_BATCH, pingSchema } from "../../domain/ping.ts";
import { nearbyOffersSchema, pingResultSchema } from "../../openapi/device-views.ts";
import { nearbyQuerySchema } from "../../use-cases/nearby-offers.ts";
import { defineRoute } from "../route-contract.ts";
import { DEVICE_WRITE_PROBLEMS, problems } from "./common.ts";

/** Both location routes answer 403 to a device without location consent. */
const NO_LOCATION_CONSENT = {
  403: { description: "The device has not consented to location use" },
};

/** The batch as documented: each ping in full (the handler validates them one by one). */
const pingBatchDocument = z
  .object({ pings: z.array(pingSchema).min(1).max(MAX_PINGS_PER_BATCH) })
  .describe(
    `1–${MAX_PINGS_PER_BATCH} pings. Each is checked on its own: a bad ping is reported by ` +
      "index in `rejected` and the others are processed.",
  );

export const ingestPingsRoute = defineRoute({
  method: "POST",
  path: "/v1/pings",
  fn: "ping-ingest",
  // Verified by ping-ingest itself: the profile read rides on the visit-state read it does anyway.
  auth: "deviceByFunction",
  rateLimit: 5000,
  operationId: "postPings",
  tag: "devices",
  summary: "Post a batch of location pings",
  description:
    "Pings too inaccurate, too fast (drive-by), impossible (teleport), flagged mock, stale or " +
    "from the future never trigger. Geofence events and any incentive they caused come back.",
  bodyLimit: 64 * 1024,
  request: { body: pingBatchDocument },
  responses: {
    202: { description: "Processed", schema: pingResultSchema },
    ...problems(...DEVICE_WRITE_PROBLEMS),
    ...NO_LOCATION_CONSENT,
  },
});

export const nearbyOffersRoute = defineRoute({
  method: "GET",
  path: "/v1/offers/nearby",
  fn: "offers-nearby",
  auth: "device",
  rateLimit: 500,
  operationId: "getNearbyOffers",
  tag: "devices",
  summary: "Live offers of stores nearby, nearest first",
  description:
    "Offers that could fire now (active, in schedule, budget left, segments matching) of " +
    "stores within `radiusM`, one entry per offer at its nearest store.",
  request: { query: nearbyQuerySchema },
  responses: {
    200: { description: "Nearby offers", schema: nearbyOffersSchema },
    ...problems(400, 401),
    ...NO_LOCATION_CONSENT,
  },
});
