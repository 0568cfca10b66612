/**
 * Section 4: US dollars per million pings on AWS at list prices (us-east-1, first tiers, no free
 * tier), from what the ingest run measured and counted: HTTP API requests per batch of 50,
 * Lambda GB-seconds from measured CPU time (stretched to the configured memory's CPU share) plus
 * the measured wait on the database, DynamoDB units the engine reported for the counted
 * requests, SNS publishes for the incentives granted, and CloudWatch Logs for the bytes logged.
 */
import type { IngestRow } from "./ingest/child.ts";

/** A list price with where and when it was read. */
export interface Price {
  usd: number | null;
  /** The price as the source states it. */
  display: string;
  unit: string;
  sources: string[];
  read: string;
  note?: string;
}

const READ = "2026-11-24";

/** List prices used by the model. */
export const PRICES = {
  httpApiRequest: {
    display: "US$1.00 per million requests",
    usd: 1.0 / 1e6,
    unit: "per HTTP API request (US$1.00 per million, first 300 million a month, us-east-1; metered in 512 KB increments)",
    sources: [
      "https://aws.amazon.com/api-gateway/pricing/",
      "https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html",
    ],
    read: READ,
  },
  lambdaRequest: {
    display: "US$0.20 per million requests",
    usd: 0.2 / 1e6,
    unit: "per Lambda invocation (US$0.20 per million, x86 and Arm)",
    sources: [
      "https://aws.amazon.com/lambda/pricing/",
      "https://git.mcrn.ar/mariano/lambda_local_runner/src/commit/957e45b8adae23ce50b966346229585b5df18b4d/docs/lambdas-md/lambda-13-cost.md?display=rendered",
    ],
    read: READ,
  },
  lambdaArmGbSecond: {
    display: "US$0.0000133334 per GB-second",
    usd: 0.0000133334,
    unit: "per GB-second on Arm (first 7.5 billion GB-s a month, us-east-1)",
    sources: [
      "https://aws.amazon.com/lambda/pricing/",
      "https://cloudchipr.com/blog/aws-lambda-pricing",
    ],
    read: READ,
  },
  dynamoReadUnit: {
    display: "US$0.125 per million RRU",
    usd: 0.125 / 1e6,
    unit: "per on-demand read request unit (US$0.125 per million, us-east-1, after the November 2024 price cut)",
    sources: [
      "https://aws.amazon.com/dynamodb/pricing/on-demand/",
      "https://airbyte.com/data-engineering-resources/dynamodb-pricing",
    ],
    read: READ,
  },
  dynamoWriteUnit: {
    display: "US$0.625 per million WRU",
    usd: 0.625 / 1e6,
    unit: "per on-demand write request unit (US$0.625 per million, us-east-1)",
    sources: [
      "https://aws.amazon.com/dynamodb/pricing/on-demand/",
      "https://airbyte.com/data-engineering-resources/dynamodb-pricing",
    ],
    read: READ,
  },
  snsPublish: {
    display: "US$0.50 per million publishes",
    usd: 0.5 / 1e6,
    unit: "per SNS standard topic publish (US$0.50 per million); mobile push deliveries are another US$0.50 per million",
    sources: [
      "https://aws.amazon.com/sns/pricing/",
      "https://www.factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols/",
    ],
    read: READ,
  },
  cloudWatchLogsGb: {
    display: "US$0.50 per GB",
    usd: 0.5,
    unit: "per GB of CloudWatch Logs ingested (standard class)",
    sources: [
      "https://aws.amazon.com/cloudwatch/pricing/",
      "https://go-cloud.io/aws-api-gateway-pricing",
    ],
    read: READ,
  },
  amazonLocationPositionEvaluated: {
    display: "not found",
    usd: null,
    unit: "per device position evaluated against a geofence collection (BatchEvaluateGeofences: up to 10 positions per request)",
    sources: [
      "https://docs.aws.amazon.com/location/latest/developerguide/geofence-price.html",
      "https://aws.amazon.com/location/pricing/",
    ],
    read: READ,
    note:
      "The documentation confirms the unit (every position evaluated is billed, volume-tiered) but no source " +
      "found gave the unit price: the official page renders its rate table dynamically. Not priced here.",
  },
} satisfies Record<string, Price>;

/** Lambda's CPU share: at 1,769 MB a function has one vCPU, proportionally less below. */
export const ONE_VCPU_MB = 1769;
/** Where the 1,769 MB figure comes from. */
export const ONE_VCPU_SOURCE =
  "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html";
/** DynamoDB bills a batch-get key that finds nothing like a read of a small item. */
export const MISSING_KEY_SOURCE =
  "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html";

/**
 * Memory of ping-ingest (the ping path's one function: it verifies the device token itself) and
 * of the device authorizer (the other device routes), from the infra specs when available.
 */
export interface FunctionMemory {
  pingIngestMb: number;
  authorizerMb: number;
  source: string;
}

/** One cost line in US dollars per million pings. */
export interface CostLine {
  item: string;
  usdPerMillionPings: number;
  basis: string;
}

/** The model's answer for one ingest scenario. */
export interface CostEstimate {
  scenario: string;
  totalUsdPerMillionPings: number;
  lines: CostLine[];
}

/** Billed milliseconds of one invocation: CPU work at the function's CPU share plus waiting. */
export function billedMs(cpuMs: number, ioWaitMs: number, memoryMb: number): number {
  return Math.ceil(cpuMs * Math.max(1, ONE_VCPU_MB / memoryMb) + ioWaitMs);
}

/**
 * US$ per million pings for one measured scenario. `POST /v1/pings` has no Lambda authorizer:
 * ping-ingest verifies the device token and reads the profile with the visit state, so the
 * measured row already holds the whole device check (one invocation per batch).
 */
export function costPerMillionPings(
  row: IngestRow,
  memory: FunctionMemory,
  pingsPerBatch: number,
): CostEstimate {
  const pings = 1e6;
  const batches = pings / pingsPerBatch;
  const pingMs = billedMs(row.cpuMsPerBatch.mean, row.ioWaitMsPerBatch, memory.pingIngestMb);
  const gbSeconds = batches * (pingMs / 1000) * (memory.pingIngestMb / 1024);
  const readUnits = row.dynamoReadUnitsPerPing * pings;
  const writeUnits = row.dynamoWriteUnitsPerPing * pings;
  const logBytes = batches * row.logBytesPerBatch;
  const lines: CostLine[] = [
    {
      item: "API Gateway HTTP API",
      usdPerMillionPings: batches * PRICES.httpApiRequest.usd,
      basis: `${batches.toLocaleString("en-US")} requests (batches of ${pingsPerBatch})`,
    },
    {
      item: "Lambda requests",
      usdPerMillionPings: batches * PRICES.lambdaRequest.usd,
      basis: `${batches.toLocaleString("en-US")} invocations of ping-ingest (no authorizer on the ping route)`,
    },
    {
      item: "Lambda duration (Arm)",
      usdPerMillionPings: gbSeconds * PRICES.lambdaArmGbSecond.usd,
      basis:
        `${gbSeconds.toFixed(1)} GB-s: ping-ingest ${pingMs} ms billed at ${memory.pingIngestMb} MB ` +
        `(${row.cpuMsPerBatch.mean.toFixed(1)} ms CPU × ${Math.max(1, ONE_VCPU_MB / memory.pingIngestMb).toFixed(2)} + ` +
        `${row.ioWaitMsPerBatch.toFixed(1)} ms waiting; token check and profile read included)`,
    },
    {
      item: "DynamoDB reads (on-demand)",
      usdPerMillionPings: readUnits * PRICES.dynamoReadUnit.usd,
      basis: `${Math.round(readUnits).toLocaleString("en-US")} read request units`,
    },
    {
      item: "DynamoDB writes (on-demand)",
      usdPerMillionPings: writeUnits * PRICES.dynamoWriteUnit.usd,
      basis: `${Math.round(writeUnits).toLocaleString("en-US")} write request units`,
    },
    {
      item: "SNS (incentive topic)",
      usdPerMillionPings: row.snsPublishesPerPing * pings * PRICES.snsPublish.usd,
      basis: `${Math.round(row.snsPublishesPerPing * pings).toLocaleString("en-US")} publishes (one per incentive granted)`,
    },
    {
      item: "CloudWatch Logs",
      usdPerMillionPings: (logBytes / 2 ** 30) * PRICES.cloudWatchLogsGb.usd,
      basis: `${(logBytes / 2 ** 20).toFixed(1)} MiB of handler logs and EMF metrics`,
    },
  ];
  return {
    scenario: `${Math.round(row.inZoneShare * 100)}% in zone, ${row.cache} cache`,
    totalUsdPerMillionPings: lines.reduce((s, l) => s + l.usdPerMillionPings, 0),
    lines,
  };
}
