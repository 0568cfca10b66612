import { logger } from "../logger.ts";
import type { ZoneEventSink } from "../use-cases/pings/ingest-pings.ts";

/**
 * The chain that consumes zone events (incentive decisions, conversion log). Until those steps are
 * wired, events are logged by kind and count only (no device id, no coordinates).
 */
export function zoneEventSinkFromEnv(): ZoneEventSink {
  return {
    async handle(_device, events) {
      logger.info("zone events", { count: events.length, types: events.map((e) => e.type) });
      return { incentives: [] };
    },
  };
}
