import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/**
 * Funnel metrics as CloudWatch EMF (namespace `Footfall`, dimension `service`): no API call on the
 * hot path, just a structured log line per invocation. Disabled locally and in tests.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "Footfall",
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "footfall",
});

export type FunnelMetric =
  | "PingsAccepted"
  | "PingsRejected"
  | "PingsFlagged"
  | "ZoneEvents"
  | "IncentivesSent"
  | "IncentivesHeldOut"
  | "IncentivesSuppressed"
  | "Visits"
  | "AttributedVisits"
  | "Redemptions"
  | "SweepItemsRead"
  | "SweepExits"
  | "SweepEventsHandedOn";

/** Adds to a funnel counter (no-op for zero). */
export function count(metric: FunnelMetric, n = 1): void {
  if (n > 0) metrics.addMetric(metric, MetricUnit.Count, n);
}

/**
 * Abuse-resistance signals (same namespace and dimension): attempts refused by the redemption
 * guess limiter per till and per store (the store ceiling is alarmed), and device registrations
 * refused by the registration rate limit.
 */
export type AbuseMetric =
  | "RedemptionTillLockouts"
  | "RedemptionStoreLockouts"
  | "RegistrationsThrottled";

/** Adds to an abuse counter (no-op for zero). */
export function countAbuse(metric: AbuseMetric, n = 1): void {
  if (n > 0) metrics.addMetric(metric, MetricUnit.Count, n);
}

/** Funnel metric of each decision outcome the zone-event sink reports. */
const OUTCOME_METRIC = {
  sent: "IncentivesSent",
  held_out: "IncentivesHeldOut",
  suppressed: "IncentivesSuppressed",
  visit: "Visits",
  attributed: "AttributedVisits",
} as const satisfies Record<string, FunnelMetric>;

/** Counts one decision outcome (the sink's `onOutcome` callback) on its funnel metric. */
export function countOutcome(outcome: keyof typeof OUTCOME_METRIC, n = 1): void {
  count(OUTCOME_METRIC[outcome], n);
}
