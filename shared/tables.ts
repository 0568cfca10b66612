/**
 * The single source of truth for Footfall's DynamoDB tables: key schemas, indexes, TTL attributes
 * and streams. The CDK stack, the local runner and the tests all create tables from this list, so
 * what runs locally is what deploys.
 */

export type AttributeType = "S" | "N";

export interface KeyAttribute {
  name: string;
  type: AttributeType;
}

export interface GlobalIndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** KEYS_ONLY keeps index storage small where the base item is fetched anyway. */
  projection: "ALL" | "KEYS_ONLY";
}

export interface TableDefinition {
  /** Logical id used for CDK construct ids and environment variable names. */
  id: TableId;
  /** Environment variable carrying the physical table name into functions. */
  envVar: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalIndexes: GlobalIndexDefinition[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB TTL removes expired items. */
  ttlAttribute?: string;
  stream?: "NEW_IMAGE" | "NEW_AND_OLD_IMAGES";
  description: string;
}

export type TableId = "catalog" | "geoIndex" | "devices" | "incentives" | "conversions";

const pk: KeyAttribute = { name: "pk", type: "S" };
const sk: KeyAttribute = { name: "sk", type: "S" };
/** The generic key of the single-table designs: partition `pk`, sort `sk` (both strings). */
const pkSk = { partitionKey: pk, sortKey: sk };
/** The overloaded index of the single-table designs (`gsi1pk`/`gsi1sk`, all attributes). */
const gsi1: GlobalIndexDefinition = {
  indexName: "gsi1",
  partitionKey: { name: "gsi1pk", type: "S" },
  sortKey: { name: "gsi1sk", type: "S" },
  projection: "ALL",
};

export const TABLES: Record<TableId, TableDefinition> = {
  catalog: {
    id: "catalog",
    envVar: "CATALOG_TABLE",
    ...pkSk,
    globalIndexes: [gsi1],
    // Import jobs are processed from this stream (filtered to queued jobs).
    stream: "NEW_IMAGE",
    description: "Merchants, stores, offers, zone heads, app keys and store import jobs.",
  },
  geoIndex: {
    id: "geoIndex",
    envVar: "GEO_INDEX_TABLE",
    partitionKey: { name: "cell", type: "S" },
    globalIndexes: [],
    description: "One item per H3 cell; one attribute per zone covering it (compact geometry).",
  },
  devices: {
    id: "devices",
    envVar: "DEVICES_TABLE",
    ...pkSk,
    globalIndexes: [
      {
        // Sparse: only visit items with an outbox to hand on or open visits carry these
        // attributes, so the sweeper reads exactly the devices that are due, never the table.
        indexName: "due",
        partitionKey: { name: "dueShard", type: "S" },
        sortKey: { name: "dueAt", type: "N" },
        projection: "KEYS_ONLY",
      },
    ],
    ttlAttribute: "expiresAt",
    description: "Device profiles, visit state and per-device counters; erased in one call.",
  },
  incentives: {
    id: "incentives",
    envVar: "INCENTIVES_TABLE",
    ...pkSk,
    globalIndexes: [gsi1],
    ttlAttribute: "expiresAt",
    stream: "NEW_AND_OLD_IMAGES",
    description: "Incentives (outbox for SNS delivery), redemption codes and budget counters.",
  },
  conversions: {
    id: "conversions",
    envVar: "CONVERSIONS_TABLE",
    ...pkSk,
    globalIndexes: [gsi1],
    ttlAttribute: "expiresAt",
    description: "Footfall conversion log (append-only) and report counters.",
  },
};

export const TABLE_LIST: TableDefinition[] = Object.values(TABLES);
