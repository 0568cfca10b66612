import type { DevicePrincipal } from "../../auth/principal.ts";
import type { ZoneEvent } from "../../domain/visit/types.ts";
import type { SinkResult, ZoneEventSink } from "./ingest-pings.ts";

/** Fans events out to several sinks in order; incentives of all are returned together. */
export function compositeSink(sinks: ZoneEventSink[]): ZoneEventSink {
  return {
    async handle(device, events, nowMs) {
      const incentives: unknown[] = [];
      for (const sink of sinks)
        incentives.push(...(await sink.handle(device, events, nowMs)).incentives);
      return { incentives };
    },
  };
}

/** Keeps every event in memory (tests and local inspection). */
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
