import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoPickupStore } from "../adapters/dynamo/pickup-store.ts";
import { amazonLocationCall, amazonLocationRoutes } from "../adapters/location/route-calculator.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tableNames, tableVars } from "../config/table-vars.ts";
import {
  DEFAULT_PICKUP_RULES,
  DEFAULT_ROUTE_REFINEMENT,
  type PickupRules,
} from "../domain/pickup/pickup.ts";
import { zoneIds } from "../domain/zone.ts";
import { type PickupDeps, type TrackDeps, trackPickups } from "../use-cases/pickups/pickups.ts";
import type { PickupTracker } from "../use-cases/pings/ingest-pings.ts";
import type { ZoneMatcher } from "../use-cases/pings/zone-matcher.ts";

export const pickupConfigSchema = z.object({
  ...tableVars("catalog", "devices", "incentives"),
  PICKUP_NEARBY_MINUTES: configVars
    .integer(1, 60, DEFAULT_PICKUP_RULES.nearbyThresholdS / 60)
    .describe("Default `nearby` threshold of a pickup (minutes of estimated travel)"),
  PICKUP_NO_SHOW_MINUTES: configVars
    .integer(5, 7 * 24 * 60, DEFAULT_PICKUP_RULES.noShowAfterS / 60)
    .describe("Minutes after the promised time without an arrival before a pickup is a no-show"),
  PICKUP_ROUTE_FACTOR: z.coerce
    .number()
    .min(1)
    .max(3)
    .default(DEFAULT_PICKUP_RULES.routeFactor)
    .describe("Road over straight-line distance used by the arrival estimate"),
  PICKUP_ROUTE_CALCULATOR: z
    .string()
    .trim()
    .regex(/^[-._\w]{1,100}$/, "must be an Amazon Location route calculator name")
    .optional()
    .describe(
      "Amazon Location route calculator refining arrival estimates near the nearby threshold " +
        "(CalculateRoute); absent: distance-based estimates only",
    ),
  PICKUP_ROUTE_EVERY_SECONDS: z.coerce
    .number()
    .int()
    .min(15)
    .max(3600)
    .default(DEFAULT_ROUTE_REFINEMENT.everyS)
    .describe("At most one route calculation per pickup this often"),
});

/** Pickup rules from validated config. */
export function pickupRulesFrom(config: z.output<typeof pickupConfigSchema>): PickupRules {
  return {
    ...DEFAULT_PICKUP_RULES,
    nearbyThresholdS: config.PICKUP_NEARBY_MINUTES * 60,
    noShowAfterS: config.PICKUP_NO_SHOW_MINUTES * 60,
    routeFactor: config.PICKUP_ROUTE_FACTOR,
  };
}

/** Pickup use-case dependencies, built once per cold start. */
export function pickupDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): PickupDeps {
  const config = readConfig(pickupConfigSchema, env);
  const tables = tableNames(config);
  return {
    pickups: dynamoPickupStore(documentClient, tables),
    stores: dynamoCatalogStore(documentClient, tables.catalog),
    clock: systemClock,
    random: systemRandom,
    rules: pickupRulesFrom(config),
    attachTokenTtlS: 24 * 3600,
  };
}

/**
 * The ping path's pickup tracker, sharing the ping function's cached zone matcher for store
 * geometry; undefined when the function is given no incentives table (no pickups then).
 */
export function pickupTrackerFromEnv(
  matcher: Pick<ZoneMatcher, "zonesById">,
  env: Record<string, string | undefined> = process.env,
): PickupTracker | undefined {
  if (!env.INCENTIVES_TABLE) return undefined;
  const config = readConfig(pickupConfigSchema, env);
  const deps: TrackDeps = {
    ...pickupDepsFromEnv(env),
    geometry: matcher,
    ...(config.PICKUP_ROUTE_CALCULATOR
      ? {
          routes: amazonLocationRoutes(amazonLocationCall({ env }), config.PICKUP_ROUTE_CALCULATOR),
          routeRefinement: {
            ...DEFAULT_ROUTE_REFINEMENT,
            everyS: config.PICKUP_ROUTE_EVERY_SECONDS,
          },
        }
      : {}),
  };
  return {
    track: (device, pings) =>
      trackPickups(deps, device, pings, zoneIds.footprint, (p) => p.bayZoneIds ?? []),
  };
}
