import type { RouteEstimator } from "../../use-cases/pickups/pickups.ts";
import { type AwsJsonCallOptions, type AwsJsonRequest, awsJsonCall } from "../aws-json-call.ts";

export type { RouteEstimator };

/** Amazon Location's routes endpoint (`routes.geo.<region>.amazonaws.com`, signing name `geo`). */
export const AMAZON_LOCATION_ROUTES = {
  signingName: "geo",
  hostPrefix: "routes.geo",
  endpointId: "LOCATION",
} as const;

/** Sends one signed request to Amazon Location Routes and answers the parsed JSON. */
export type LocationCall = (request: AwsJsonRequest) => Promise<unknown>;

/**
 * The caller the ping path uses: one attempt (a failed route falls back to the distance-based
 * estimate and is asked again only after the refinement interval), at most 2 s so a slow
 * answer does not hold the ping batch.
 */
export function amazonLocationCall(options: AwsJsonCallOptions = {}): LocationCall {
  return awsJsonCall(AMAZON_LOCATION_ROUTES, { maxAttempts: 1, timeoutMs: 2_000, ...options });
}

/**
 * Amazon Location adapter for `RouteEstimator`: `CalculateRoute` on one route calculator
 * (`POST /routes/v0/calculators/{CalculatorName}/calculate/route`, Amazon Location Service API
 * Reference), departure now, the summary's `DurationSeconds`. Sent through `awsJsonCall` (the
 * SDK's signer and `fetch`) rather than `@aws-sdk/client-location`, whose schemas of every
 * Location operation weigh about 57 KB in the ping function. Errors propagate; the caller falls
 * back to its distance-based estimate.
 */
export function amazonLocationRoutes(call: LocationCall, calculatorName: string): RouteEstimator {
  const path = `/routes/v0/calculators/${encodeURIComponent(calculatorName)}/calculate/route`;
  return {
    async travelTimeS(from, to, mode) {
      const out = (await call({
        path,
        headers: { "content-type": "application/json" },
        body: {
          DeparturePosition: [from.lon, from.lat],
          DestinationPosition: [to.lon, to.lat],
          TravelMode: mode === "car" ? "Car" : "Walking",
          DepartNow: true,
        },
      })) as { Summary?: { DurationSeconds?: unknown } } | null;
      const seconds = out?.Summary?.DurationSeconds;
      if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
        throw new Error("CalculateRoute answered without a duration");
      }
      return seconds;
    },
  };
}
