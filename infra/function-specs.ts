import type { TableId } from "../shared/tables.ts";

/**
 * How much of a table a function may touch. Each level is the narrowest that still works:
 * - `name`: only the env var with the table name (a shared config schema asks for it; no access);
 * - `describe`: `dynamodb:DescribeTable` only (health probes);
 * - `read`: item reads and queries on the table and its indexes;
 * - `readwrite`: reads plus item writes and deletes.
 */
export type TableAccess = "name" | "describe" | "read" | "readwrite";

/**
 * Secrets the functions read; the env var carries the secret's ARN. `attestation` is read on use
 * through Powertools Parameters with a cache max age (rotation applies without a cold start);
 * the others at cold start.
 */
export type SecretId = "deviceToken" | "pseudonym" | "cursor" | "attestation";

/**
 * A scheduled function (EventBridge rule → asynchronous invocation). AWS cannot schedule more
 * often than once a minute; the local runner (scripts/local/scheduler.ts) invokes the same
 * handler every `localIntervalS` so local runs settle in seconds.
 */
export type ScheduleTrigger = {
  kind: "schedule";
  /** Minutes between invocations in AWS (rate expression). */
  rateMinutes: number;
  /** Seconds between invocations in the local runner. */
  localIntervalS: number;
};

/** Non-HTTP invocation: the source, and where failed batches go (a DLQ per function). */
export type FunctionTrigger = ScheduleTrigger | TableStreamTrigger;

/** A DynamoDB stream event source mapping. */
export type TableStreamTrigger = {
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
  /** Env var receiving the DLQ URL, for functions that also park records there themselves. */
  dlqUrlEnv?: string;
};

/**
 * Event source mapping settings a stream trigger leaves out: the CDK app and the local stream
 * poller (scripts/local/stream-poller.ts) both read them from here, so `npm start` delivers
 * batches exactly as the deployed mapping does.
 */
export const STREAM_MAPPING_DEFAULTS = {
  batchSize: 100,
  retryAttempts: 10,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  maxRecordAgeS: 24 * 3_600,
} as const;

/** A stream trigger with every setting resolved (what the event source mapping is given). */
export type StreamMapping = Required<
  Pick<Extract<FunctionTrigger, { kind: "tableStream" }>, "table" | "batchSize" | "retryAttempts">
> & {
  filterPatterns: Record<string, unknown>[];
  bisectBatchOnError: boolean;
  reportBatchItemFailures: boolean;
  maxRecordAgeS: number;
};

/** The resolved event source mapping of a stream-triggered function. */
export function streamMapping(
  trigger: Extract<FunctionTrigger, { kind: "tableStream" }>,
): StreamMapping {
  return {
    table: trigger.table,
    batchSize: trigger.batchSize ?? STREAM_MAPPING_DEFAULTS.batchSize,
    retryAttempts: trigger.retryAttempts ?? STREAM_MAPPING_DEFAULTS.retryAttempts,
    filterPatterns: trigger.filterPatterns ?? [],
    bisectBatchOnError: STREAM_MAPPING_DEFAULTS.bisectBatchOnError,
    reportBatchItemFailures: STREAM_MAPPING_DEFAULTS.reportBatchItemFailures,
    maxRecordAgeS: STREAM_MAPPING_DEFAULTS.maxRecordAgeS,
  };
}

/**
 * SNS mobile push, effective only when platform application ARNs are given as context:
 * - `manage`: create, update and delete a device's platform endpoint (registration, erasure);
 * - `publish`: send to existing device endpoints only.
 */
export type MobilePushAccess = "manage" | "publish";

/** The largest minified bundle a function may ship, when it needs more than the default. */
export interface BundleBudget {
  kb: number;
  /** Which dependencies need the room; reviewed like any other exception. */
  reason: string;
}

export interface FunctionSpec {
  /** What the function is for; becomes the Lambda description. */
  description: string;
  /** Ships the built dashboard (scripts/build-dashboard.ts) beside the bundle, in `dashboard/`. */
  dashboardAssets?: boolean;
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
  /** SNS platform endpoints of devices (when platform application ARNs are given). */
  mobilePush?: MobilePushAccess;
  /** Secrets the function reads (`*_ARN` env vars + secretsmanager:GetSecretValue on each). */
  secrets: SecretId[];
  /** Geocodes addresses with the Amazon Location place index (PLACE_INDEX_NAME). */
  geocoding?: boolean;
  /**
   * Refines pickup arrival estimates with the Amazon Location route calculator named by the
   * `pickupRouteCalculator` context (PICKUP_ROUTE_CALCULATOR + geo:CalculateRoute on it alone);
   * nothing is granted when the context names none.
   */
  routeCalculation?: boolean;
  /**
   * Reserved concurrency. Leave unset unless a function must be capped or guaranteed: new
   * accounts have a low concurrency quota and reservations can make the deploy fail.
   */
  reservedConcurrency?: number;
  /** Extra plain (non-secret) environment variables. */
  extraEnv?: Record<string, string>;
  /** Errors per 5 minutes that raise the alarm (default 1: any error pages). */
  errorAlarmThreshold?: number;
  /** Exported handler name in the entry file (default `handler`). */
  handler?: string;
  /** Invocation other than the HTTP API (stream consumers); such functions get a DLQ. */
  trigger?: FunctionTrigger;
  /**
   * Computes geofence covers (a zone's polygon or circle → H3 cells, domain/geometry/cover.ts),
   * the one thing that needs h3-js (about 210 KB). Only these functions may bundle it and carry
   * GEO_BUDGET; every other function locates points with the numeric port and is held to
   * DEFAULT_BUNDLE_BUDGET_KB (the benchmark's bundle table reads this flag too).
   */
  computesCovers?: boolean;
  /** Bundle size budget above DEFAULT_BUNDLE_BUDGET_KB, with the reason. */
  bundleBudget?: BundleBudget;
}

/** Minified bundle budget of a function: cold start time grows with the code loaded. */
export const DEFAULT_BUNDLE_BUDGET_KB = 500;

// Budgets above the default, by what the function's code needs (sizes measured minified).
/**
 * Functions that compute zone covers (`computesCovers`): catalog writes index zones, and put
 * them back when a write fails, so every catalog writer computes covers.
 */
const GEO_BUDGET: BundleBudget = {
  kb: 1000,
  reason:
    "Computes geofence covers (zone polygons and circles to H3 cells) with h3-js (about 210 KB, " +
    "an emscripten build); @photostructure/tz-lookup (about 70 KB, the world's time zone map) " +
    "derives the time zone of stores written.",
};

/** Pickup routes: stores in the catalog, pickups in incentives, references on device profiles. */
function pickupFunction(description: string): FunctionSpec {
  return {
    description,
    access: { catalog: "read", devices: "readwrite", incentives: "readwrite" },
    secrets: [],
  };
}

/** Catalog reads: the catalog's config also names the geo index table and the cursor key. */
function catalogReader(description: string): FunctionSpec {
  return {
    description,
    access: { catalog: "read" },
    secrets: ["cursor"],
  };
}

/** Offer routes answering with the derived state: budget counters in the incentives table. */
function withBudgetRead(spec: FunctionSpec): FunctionSpec {
  return { ...spec, access: { ...spec.access, incentives: "read" } };
}

/** Catalog writes: items and zone heads in the catalog, cells in the geo index. */
function catalogWriter(
  description: string,
  extra: Pick<FunctionSpec, "geocoding" | "memoryMb" | "timeoutS"> = {},
): FunctionSpec {
  return {
    description,
    access: { catalog: "readwrite", geoIndex: "readwrite" },
    secrets: ["cursor"],
    computesCovers: true,
    bundleBudget: GEO_BUDGET,
    ...extra,
  };
}

/** Claim links: links live in the catalog beside the offers they belong to. */
function linkFunction(description: string, catalog: "read" | "readwrite"): FunctionSpec {
  return { description, access: { catalog }, secrets: [] };
}

/**
 * A report over the counters: offers and stores (catalog), the conversion log and the
 * incentives' budget counters, read only; `cursor` for a paginated one.
 */
function reportReader(description: string, secrets: FunctionSpec["secrets"] = []): FunctionSpec {
  return {
    description,
    access: { catalog: "read", conversions: "read", incentives: "read" },
    secrets,
  };
}

/**
 * What deciding an incentive outside the ping path needs (claims, exposures, cross-sells on
 * pickup arrival, the visit sweeper), as for a geofence trigger: offers (catalog), device counters and claims, the
 * incentive, the conversion log, with person pseudonyms.
 */
const DECIDES: Pick<FunctionSpec, "access" | "secrets"> = {
  access: {
    catalog: "read",
    devices: "readwrite",
    incentives: "readwrite",
    conversions: "readwrite",
  },
  secrets: ["pseudonym"],
};

/** Claims and exposures from links: decided like geofence triggers. */
function onlineTouch(description: string): FunctionSpec {
  return { description, ...DECIDES };
}

/**
 * Consumers of the incentives table stream that publish to SNS (the incentive topic and mobile
 * push): 25 records a batch, 8 retries before a batch is split and dead-lettered.
 */
function incentivesStreamPublisher(
  description: string,
  consumer: Pick<FunctionSpec, "access" | "secrets"> & {
    filterPatterns: Record<string, unknown>[];
    dlqUrlEnv?: string;
  },
): FunctionSpec {
  const { access, secrets, ...stream } = consumer;
  return {
    description,
    timeoutS: 60,
    access,
    publishesIncentives: true,
    mobilePush: "publish",
    secrets,
    trigger: {
      kind: "tableStream",
      table: "incentives",
      batchSize: 25,
      retryAttempts: 8,
      ...stream,
    },
  };
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
  "route-fallback": {
    description: "$default route: problem+json 404, or 405 with Allow, for unmatched requests",
    memoryMb: 256,
    timeoutS: 5,
    access: {},
    secrets: [],
  },
  openapi: {
    description: "GET /v1/openapi.json: the OpenAPI document of the API",
    memoryMb: 256,
    timeoutS: 5,
    access: {},
    secrets: [],
    // Serves the checked-in docs/openapi.json (about 90 KB bundled): within the default budget.
  },

  // Devices
  "device-register": {
    description: "POST /v1/devices: registers a device for an app key and issues its token",
    access: { catalog: "read", devices: "readwrite" },
    mobilePush: "manage",
    // pseudonym: derives app server secrets (user assertions) and person/address pseudonyms;
    // attestation: Play Integrity service account and App Attest app ids (the only reader).
    secrets: ["deviceToken", "pseudonym", "attestation"],
    // The attestation secret is read again after 5 minutes: a rotated key applies without a deploy.
    extraEnv: { ATTESTATION_CONFIG_MAX_AGE_SECONDS: "300" },
  },
  "device-get": {
    description: "GET /v1/devices/me: the calling device's own record",
    access: { catalog: "name", devices: "read" },
    secrets: ["deviceToken"],
  },
  "device-token": {
    description:
      "POST /v1/devices/me/token: issues a fresh device token, optionally revoking earlier ones",
    access: { catalog: "name", devices: "readwrite" },
    secrets: ["deviceToken"],
  },
  "device-update": {
    description: "PATCH /v1/devices/me: updates consent, push token, locale, segments",
    access: { catalog: "name", devices: "readwrite" },
    mobilePush: "manage",
    secrets: ["deviceToken"],
  },
  "device-erase": {
    description: "DELETE /v1/devices/me: erases everything stored for the device",
    timeoutS: 20,
    access: { catalog: "name", devices: "readwrite", incentives: "readwrite" },
    mobilePush: "manage",
    secrets: ["deviceToken"],
  },
  "device-authorizer": {
    description: "HTTP API Lambda authorizer: verifies device tokens",
    timeoutS: 5,
    access: { catalog: "name", devices: "read" },
    secrets: ["deviceToken"],
    // A refused token is thrown as `Unauthorized` (API Gateway answers 401), so some are normal.
    errorAlarmThreshold: 100,
    // Within the default budget since bundles carry Lambda's environment credential chain
    // instead of the SDK's default one (BUNDLE_ALIAS in infra/bundle-settings.ts).
  },

  // Pings: zone matching, visit state, incentive decisions (written to the outbox, not sent)
  "ping-ingest": {
    description: "POST /v1/pings: matches pings to zones, tracks visits, decides incentives",
    memoryMb: 1024,
    access: {
      geoIndex: "read",
      catalog: "read",
      devices: "readwrite",
      incentives: "readwrite",
      conversions: "readwrite",
    },
    // deviceToken: POST /v1/pings is authenticated by the function (route auth `deviceByFunction`).
    secrets: ["deviceToken", "pseudonym"],
    routeCalculation: true,
    // No covers (points are located with the numeric latLngToCell port). Within the default
    // budget since Amazon Location and Secrets Manager are called through the SDK's signer and
    // fetch (shared/adapters/aws-json-call.ts) instead of their full clients.
  },

  "offers-nearby": {
    description: "GET /v1/offers/nearby: live offers of stores near the device",
    // devices: the visit history an offer targeting journey stages is shown by.
    access: { catalog: "read", geoIndex: "read", incentives: "read", devices: "read" },
    secrets: [],
  },

  // The sweeper: outboxes a crash left behind, and visits of devices gone silent in a zone
  "visit-sweeper": {
    description:
      "Every minute: hands on stranded outbox events and closes visits of silent devices (due index only)",
    memoryMb: 1024,
    timeoutS: 50,
    // Hands stranded events on to the decision, like a ping batch.
    ...DECIDES,
    // Overlapping sweeps are safe (versioned saves, one decision per event), so no reservation.
    trigger: { kind: "schedule", rateMinutes: 1, localIntervalS: 5 },
  },

  // Incentives: the outbox stream consumer that publishes to SNS
  "incentive-publisher": incentivesStreamPublisher(
    "Incentives table stream: publishes pending incentives to SNS and mobile push; logs expired codes",
    {
      access: { devices: "read", incentives: "readwrite", conversions: "readwrite" },
      secrets: ["pseudonym"],
      // Newly pending incentives, and unredeemed codes removed by TTL (logged as `expired`).
      filterPatterns: [
        {
          eventName: ["INSERT", "MODIFY"],
          dynamodb: { NewImage: { entity: { S: ["incentive"] }, status: { S: ["pending"] } } },
        },
        {
          eventName: ["REMOVE"],
          userIdentity: { type: ["Service"], principalId: ["dynamodb.amazonaws.com"] },
          dynamodb: { OldImage: { entity: { S: ["code"] }, status: { S: ["issued"] } } },
        },
      ],
      dlqUrlEnv: "INCENTIVE_DLQ_URL",
    },
  ),

  // Catalog: stores and offers (zones are indexed on write)
  "store-create": catalogWriter("POST /v1/stores: creates a store (geocodes an address)", {
    geocoding: true,
  }),
  "store-list": catalogReader("GET /v1/stores: the merchant's stores, paginated"),
  "store-import": catalogWriter(
    "POST /v1/stores:import: validates up to 5,000 stores and stores them as an import job",
    { memoryMb: 1769, timeoutS: 29 },
  ),
  // Writes too: a stalled job (its worker died) is woken up when it is read.
  "store-import-get": catalogWriter("GET /v1/store-imports/{jobId}: an import job's progress"),
  "store-import-worker": {
    ...catalogWriter(
      "Catalog table stream: runs queued store import jobs chunk by chunk (resumable)",
      // Lambda's maximum; the worker stops starting chunks a minute before and wakes itself.
      { memoryMb: 1769, timeoutS: 900 },
    ),
    trigger: {
      kind: "tableStream",
      table: "catalog",
      batchSize: 1,
      retryAttempts: 5,
      filterPatterns: [
        {
          eventName: ["INSERT", "MODIFY"],
          dynamodb: { NewImage: { entity: { S: ["importJob"] }, status: { S: ["queued"] } } },
        },
      ],
    },
  },
  "store-get": catalogReader("GET /v1/stores/{storeId}: one store"),
  "store-update": catalogWriter(
    "PUT /v1/stores/{storeId}: replaces a store (If-Match), re-indexes zones",
    {
      geocoding: true,
    },
  ),
  "store-patch": catalogWriter(
    "PATCH /v1/stores/{storeId}: JSON Merge Patch of a store, re-indexes zones",
    { geocoding: true },
  ),
  "store-delete": catalogWriter("DELETE /v1/stores/{storeId}: removes a store and its zones"),
  // Pickup orders (pickups live in the incentives table; device references on the profile)
  "pickup-create": pickupFunction(
    "POST /v1/pickups: creates a pickup order, returns its attach token",
  ),
  "pickup-get": pickupFunction("GET /v1/pickups/{pickupId}: one pickup order"),
  "pickup-staff": pickupFunction(
    "POST /v1/pickups/{pickupId}/ready|complete|cancel: staff actions",
  ),
  "pickup-publisher": {
    ...incentivesStreamPublisher(
      "Incentives table stream: publishes pickup order events (pickup.*), the shopper's ready push, and decides cross-sells on arrival",
      {
        // The cross-sell on arrival is decided like a geofence send.
        ...DECIDES,
        // Saved pickups with events to publish; the outbox is cleared after publishing.
        filterPatterns: [
          {
            eventName: ["INSERT", "MODIFY"],
            dynamodb: { NewImage: { entity: { S: ["pickup"] }, outboxPending: { BOOL: [true] } } },
          },
        ],
      },
    ),
  },
  "pickup-board": pickupFunction("GET /v1/stores/{storeId}/pickups: the store's pickup board"),
  "device-pickups": pickupFunction(
    "/v1/devices/me/pickups: attach a pickup order, read it, manual arrival",
  ),
  "merchant-settings-get": {
    description: "GET /v1/merchant/settings: the merchant's settings (default quiet hours)",
    access: { catalog: "read" },
    secrets: [],
  },
  "audience-members": {
    description:
      "POST /v1/audiences/{audience}/members: a merchant uploads trusted segment memberships",
    // Memberships live in the devices table beside the person and device counters they gate.
    access: { devices: "readwrite" },
    // pseudonym: user ids become the person pseudonyms registration derives; never stored raw.
    secrets: ["pseudonym"],
  },
  "merchant-settings-put": {
    description: "PUT /v1/merchant/settings: replaces the merchant's settings",
    access: { catalog: "readwrite" },
    secrets: [],
  },
  "offer-create": withBudgetRead(
    catalogWriter("POST /v1/offers: creates an offer and indexes its zones"),
  ),
  "offer-list": withBudgetRead(catalogReader("GET /v1/offers: the merchant's offers, paginated")),
  "offer-get": withBudgetRead(catalogReader("GET /v1/offers/{offerId}: one offer")),
  "offer-update": withBudgetRead(
    catalogWriter("PUT /v1/offers/{offerId}: replaces an offer (If-Match), re-indexes zones"),
  ),
  "offer-patch": withBudgetRead(
    catalogWriter("PATCH /v1/offers/{offerId}: JSON Merge Patch of an offer, re-indexes zones"),
  ),
  "offer-delete": catalogWriter("DELETE /v1/offers/{offerId}: removes an offer and its zones"),
  "offer-pause": withBudgetRead(
    catalogWriter("POST /v1/offers/{offerId}/pause: takes its zones off the index"),
  ),
  "offer-resume": withBudgetRead(
    catalogWriter("POST /v1/offers/{offerId}/resume: indexes its zones again"),
  ),

  // Redemptions (POS) and reporting (marketing)
  "redemption-create": {
    description: "POST /v1/redemptions: redeems an incentive code at the till",
    access: { catalog: "read", incentives: "readwrite", conversions: "readwrite" },
    secrets: [],
  },
  "conversions-list": reportReader("GET /v1/conversions: the footfall conversion log, paginated", [
    "cursor",
  ]),
  "report-offer": reportReader("GET /v1/reports/offers/{offerId}: funnel and lift of one offer"),
  "report-offers": reportReader("GET /v1/reports/offers: every offer of a period side by side"),

  // Online to offline: claim links, claims, exposures and the channel report
  "link-create": linkFunction(
    "POST /v1/offers/{offerId}/links: a claim link per channel and variant",
    "readwrite",
  ),
  "link-list": linkFunction("GET /v1/offers/{offerId}/links: the offer's claim links", "read"),
  "link-update": linkFunction(
    "PATCH /v1/offers/{offerId}/links/{linkId}: pause, resume or re-date a link",
    "readwrite",
  ),
  "claim-create": onlineTouch(
    "POST /v1/claims: a device claims a link (holdout, code, budget, caps, consent)",
  ),
  "claim-web": onlineTouch("POST /v1/claims/web: a web page claims a link without a device"),
  "exposure-create": onlineTouch(
    "POST /v1/exposures: the app reports an in-app exposure (randomized once per person)",
  ),
  "report-channels": {
    description:
      "GET /v1/reports/channels: claims, exposures, visits and lift by channel and variant",
    access: { catalog: "read", conversions: "read" },
    secrets: [],
  },
  dashboard: {
    description: "GET /dashboard: the marketing dashboard's static files, with a strict CSP",
    access: {},
    secrets: [],
    memoryMb: 256,
    dashboardAssets: true,
  },
  "report-store": reportReader(
    "GET /v1/reports/stores/{storeId} (and /pickups) and /v1/reports/journey: store visits, " +
      "pickup metrics, visitor journey",
  ),
};

/** Environment variable carrying each secret's ARN; the runtime resolves it at cold start. */
export const SECRET_ARN_ENV: Record<SecretId, string> = {
  deviceToken: "DEVICE_TOKEN_SECRETS_ARN",
  pseudonym: "PSEUDONYM_KEY_ARN",
  cursor: "CURSOR_SECRET_ARN",
  attestation: "ATTESTATION_CONFIG_ARN",
};

/** Names of functions invoked asynchronously (stream consumers): each gets a DLQ and an alarm. */
export function asyncFunctionNames(specs: Record<string, FunctionSpec> = FUNCTION_SPECS): string[] {
  return Object.entries(specs)
    .filter(([, spec]) => spec.trigger !== undefined)
    .map(([name]) => name);
}
