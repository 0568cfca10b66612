import { CalculateRouteCommand, type LocationClient } from "@aws-sdk/client-location";
import type { RouteEstimator } from "../../use-cases/pickups/pickups.ts";

export type { RouteEstimator };

/**
 * Amazon Location adapter for `RouteEstimator` (`CalculateRoute` on one route calculator):
 * departure now, the summary's `DurationSeconds`. Errors propagate; the caller falls back to
 * its distance-based estimate.
 */
export function amazonLocationRoutes(
  client: LocationClient,
  calculatorName: string,
): RouteEstimator {
  return {
    async travelTimeS(from, to, mode) {
      const out = await client.send(
        new CalculateRouteCommand({
          CalculatorName: calculatorName,
          DeparturePosition: [from.lon, from.lat],
          DestinationPosition: [to.lon, to.lat],
          TravelMode: mode === "car" ? "Car" : "Walking",
          DepartNow: true,
        }),
      );
      const seconds = out.Summary?.DurationSeconds;
      if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
        throw new Error("CalculateRoute answered without a duration");
      }
      return seconds;
    },
  };
}
