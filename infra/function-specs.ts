import type { TableId } from "../shared/tables.ts";

/**
 * How much of a table a function may touch. Each level is the narrowest that still works:
 * - `name`: only the env var with the table name (a shared config schema asks for it; no access);
 * - `describe`: `dynamodb:DescribeTable` only (health probes);
 * - `read`: item reads and queries on the table and its indexes;
 * - `readwrite`: reads plus item writes and deletes.
 */
export type TableAccess = "name" | "describe" | "read" | "readwrite";

/** Secrets the functions read at cold start; the env var carries the secret's ARN. */
export type SecretId = "deviceToken" | "pseudonym" | "cursor";

/** Non-HTTP invocation: the source, and where failed batches go (a DLQ per function). */
export type FunctionTrigger = {
  kind: "tableStream";
  table: TableId;
  /** Records per invocation (default 100). */
  batchSize?: number;
  /** Retries of a failing batch before it is split and finally sent to the DLQ (default 10). */
  retryAttempts?: number;
  /** Seconds to wait to fill a batch (default 0: lowest latency). */
  maxBatchingWindowS?: number;
  /** Lambda event filter patterns (e.g. only INSERT events); none means every record. */
  filterPatterns?: Record<string, unknown>[];
};

export interface FunctionSpec {
  /** What the function is for; becomes the Lambda description. */
  description: string;
  /** Default 512 MB: ARM64 Lambda gets proportional CPU, and cold starts shrink with it. */
  memoryMb?: number;
  /** Default 10 s for API functions (API Gateway gives up at 30 s anyway). */
  timeoutS?: number;
  /** Tables the function reads or writes, and how. Anything absent is denied. */
  access: Partial<Record<TableId, TableAccess>>;
  /** Publishes to the incentive topic (sets INCENTIVE_TOPIC_ARN, grants sns:Publish + KMS). */
  publishesIncentives?: boolean;
  /** Reads the incentive topic's attributes only (health probe; no publish). */
  probesIncentiveTopic?: boolean;
  /** Creates/updates/deletes SNS platform endpoints and pushes to them (when ARNs are given). */
  mobilePush?: boolean;
  /** Secrets read at cold start (`*_ARN` env vars + secretsmanager:GetSecretValue). */
  secrets: SecretId[];
  /** Geocodes addresses with the Amazon Location place index (PLACE_INDEX_NAME). */
  geocoding?: boolean;
  /**
   * Reserved concurrency. Leave unset unless a function must be capped or guaranteed: new
   * accounts have a low concurrency quota and reservations can make the deploy fail.
   */
  reservedConcurrency?: number;
  /** Extra plain (non-secret) environment variables. */
  extraEnv?: Record<string, string>;
  /** Exported handler name in the entry file (default `handler`). */
  handler?: string;
  /** Invocation other than the HTTP API (stream consumers); such functions get a DLQ. */
  trigger?: FunctionTrigger;
}

/**
 * One entry per file in functions/: adding a handler means adding its spec here (a test fails
 * otherwise). Permissions, environment and alarms are all derived from these entries.
 */
export const FUNCTION_SPECS: Record<string, FunctionSpec> = {
  health: {
    description: "GET /v1/health: probes DynamoDB and SNS reachability",
    memoryMb: 256,
    timeoutS: 5,
    access: { catalog: "describe" },
    probesIncentiveTopic: true,
    secrets: [],
  },
  "device-register": {
    description: "POST /v1/devices: registers a device for an app key and issues its token",
    access: { catalog: "read", devices: "readwrite" },
    mobilePush: true,
    secrets: ["deviceToken"],
  },
  "device-update": {
    description: "PATCH /v1/devices/me: updates consent, push token, locale, segments",
    access: { catalog: "name", devices: "readwrite" },
    mobilePush: true,
    secrets: ["deviceToken"],
  },
  "device-erase": {
    description: "DELETE /v1/devices/me: erases everything stored for the device",
    timeoutS: 20,
    access: { catalog: "name", devices: "readwrite" },
    mobilePush: true,
    secrets: ["deviceToken"],
  },
  "device-authorizer": {
    description: "HTTP API Lambda authorizer: verifies device tokens",
    timeoutS: 5,
    access: { catalog: "name", devices: "read" },
    secrets: ["deviceToken"],
  },
};

/** Environment variable carrying each secret's ARN; the runtime resolves it at cold start. */
export const SECRET_ARN_ENV: Record<SecretId, string> = {
  deviceToken: "DEVICE_TOKEN_SECRETS_ARN",
  pseudonym: "PSEUDONYM_KEY_ARN",
  cursor: "CURSOR_SECRET_ARN",
};

/** Names of functions invoked asynchronously (stream consumers): each gets a DLQ and an alarm. */
export function asyncFunctionNames(specs: Record<string, FunctionSpec> = FUNCTION_SPECS): string[] {
  return Object.entries(specs)
    .filter(([, spec]) => spec.trigger !== undefined)
    .map(([name]) => name);
}
