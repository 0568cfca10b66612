import * as z from "zod";
import { configVars } from "../config/read-config.ts";
import { MAX_FUTURE_SKEW_MS, MAX_PING_AGE_MS } from "../domain/ping.ts";
import { resolveVisitRules, type VisitRules } from "../domain/visit/rules.ts";

/** Visit-rule settings: the ping path and the sweeper read the same ones. */
export const visitConfigShape = {
  VISIT_EXIT_TIMEOUT_SECONDS: configVars.seconds(900),
  VISIT_HYSTERESIS_M: configVars.number(25),
  VISIT_MIN_ACCURACY_FLOOR_M: configVars.number(50),
  VISIT_DRIVE_BY_SPEED_MPS: configVars.number(7),
  VISIT_TELEPORT_SPEED_KMH: configVars.number(300),
};

const visitConfigSchema = z.object(visitConfigShape);

/**
 * The visit rules from validated config. The API rejects pings beyond its time window; the
 * reducer applies the same bounds.
 */
export function visitRulesFrom(config: z.output<typeof visitConfigSchema>): VisitRules {
  return resolveVisitRules({
    exitTimeoutS: config.VISIT_EXIT_TIMEOUT_SECONDS,
    hysteresisM: config.VISIT_HYSTERESIS_M,
    minAccuracyFloorM: config.VISIT_MIN_ACCURACY_FLOOR_M,
    driveBySpeedMps: config.VISIT_DRIVE_BY_SPEED_MPS,
    teleportSpeedKmh: config.VISIT_TELEPORT_SPEED_KMH,
    maxFutureSkewS: MAX_FUTURE_SKEW_MS / 1000,
    maxPingAgeS: MAX_PING_AGE_MS / 1000,
  });
}
