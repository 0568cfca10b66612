import type { DevicePrincipal } from "../../shared/auth/principal.ts";
import type { ZoneEvent } from "../../shared/domain/visit/types.ts";
import type { SinkResult, ZoneEventSink } from "../../shared/use-cases/pings/ingest-pings.ts";

/** Keeps every event in memory (tests). */
export function recordingSink(): ZoneEventSink & {
  events: { device: DevicePrincipal; event: ZoneEvent }[];
} {
  const events: { device: DevicePrincipal; event: ZoneEvent }[] = [];
  return {
    events,
    async handle(device, batch): Promise<SinkResult> {
      for (const event of batch) events.push({ device, event });
      return { incentives: [] };
    },
  };
}
