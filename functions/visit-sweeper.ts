import { lambdaHandler } from "../shared/lambda-handler.ts";
import { logger } from "../shared/logger.ts";
import { count, countOutcome } from "../shared/metrics.ts";
import { type SweepResult, sweepDueVisits } from "../shared/use-cases/pings/sweep-visits.ts";
import { zoneEventSinkFromEnv } from "../shared/wiring/event-sink-deps.ts";
import { sweepDepsFromEnv } from "../shared/wiring/sweep-deps.ts";

const deps = sweepDepsFromEnv(
  zoneEventSinkFromEnv(process.env, (outcome, n) => countOutcome(outcome, n ?? 1)),
);
deps.onExit = (exit) =>
  logger.info("visit exited", {
    cause: "silent_device_sweep",
    reason: exit.reason,
    zoneId: exit.zoneId,
    kind: exit.kind,
    storeId: exit.storeId,
    durationS: exit.durationS,
    dwelled: exit.dwelled,
  });

/**
 * Scheduled (EventBridge, every minute): closes the visits of devices gone silent inside a zone
 * and hands on outboxes a crash left behind, reading only the due devices (sparse index).
 */
export const handler = lambdaHandler<unknown, SweepResult>().handler(async () => {
  const result = await sweepDueVisits(deps);
  count("SweepItemsRead", result.itemsRead);
  count("SweepExits", result.exits);
  count("SweepEventsHandedOn", result.handedOn);
  logger.info("visit sweep", { ...result });
  return result;
});
