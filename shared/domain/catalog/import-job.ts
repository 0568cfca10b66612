/**
 * Store imports as jobs: `POST /v1/stores:import` validates the body's shape, stores the
 * features in chunks and answers 202; a worker writes and indexes them chunk by chunk, so a
 * 5,000-store file never meets API Gateway's 30 s and a crash never leaves half an import.
 *
 * Limits that shape the design (AWS quotas, 2026):
 * - API Gateway HTTP API: 10 MB payload, 30 s integration timeout; Lambda synchronous
 *   invocation: 6 MB request payload — hence IMPORT_MAX_BODY_BYTES = 6 MB.
 * - DynamoDB: 400 KB per item — features are kept gzip-compressed in chunk items of at most
 *   MAX_CHUNK_STORED_BYTES; TransactWriteItems: 100 actions.
 * - Lambda: 15 min per invocation — the worker stops starting chunks WORKER_RESERVE_MS before
 *   its deadline and wakes itself up again (the job item's `wake` counter, via the stream).
 */
import { createHash } from "node:crypto";
import { STORE_ID_PREFIX } from "./common.ts";
import type { StoreInput } from "./store.ts";

/** Features per chunk at most: one chunk is one unit of progress (and of redo after a crash). */
export const MAX_CHUNK_FEATURES = 250;
/** Raw JSON bytes gathered into one chunk before compression. */
export const MAX_CHUNK_RAW_BYTES = 1_000_000;
/** Compressed bytes a chunk item may hold (DynamoDB items are at most 400 KB). */
export const MAX_CHUNK_STORED_BYTES = 350_000;
/** Time the worker keeps in hand before its deadline: it never starts a chunk it cannot finish. */
export const WORKER_RESERVE_MS = 60_000;
/** How long a worker's claim on a job lasts; a crashed worker's job is taken over after it. */
export const IMPORT_LEASE_MS = 2 * 60_000;
/** How long an `Idempotency-Key` (or a body's hash) names the same job. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;
/** Validation problems kept on a failed job (the rest are counted). */
export const MAX_JOB_ERRORS = 1_000;

export const IMPORT_JOB_PREFIX = "imp";

export type ImportJobStatus = "queued" | "running" | "succeeded" | "failed";
export type ImportPhase = "validate" | "write" | "done";
/** What the import did to a feature's store. */
export type ImportOutcome = "created" | "updated" | "unchanged";

/** The job as submitted (the job item). */
export interface ImportJob {
  merchantId: string;
  jobId: string;
  status: "queued" | "succeeded" | "failed";
  total: number;
  chunkCount: number;
  idempotencyKey: string;
  bodyHash: string;
  createdAt: string;
  finishedAt?: string | undefined;
  /** Bumped to hand the job to a fresh worker invocation (continuation or repair). */
  wake: number;
  errors?: { index?: number | undefined; path: string; reason: string }[] | undefined;
  errorCount?: number | undefined;
}

/** Where the worker is (the progress item; also holds the worker's lease). */
export interface ImportProgress {
  phase: ImportPhase;
  nextChunk: number;
  created: number;
  updated: number;
  unchanged: number;
  leaseOwner?: string | undefined;
  leaseUntil?: number | undefined;
  startedAt?: string | undefined;
  updatedAt?: string | undefined;
}

/** One feature's result: its index in the file, its store and what happened. */
export interface ImportResult {
  index: number;
  storeId: string;
  externalRef?: string | undefined;
  outcome: ImportOutcome;
}

/** Features of one chunk: their file indexes start at `from`. */
export interface ImportChunk {
  n: number;
  from: number;
  stores: StoreInput[];
}

/** Splits validated inputs into chunks of at most MAX_CHUNK_FEATURES / MAX_CHUNK_RAW_BYTES. */
export function planChunks(stores: readonly StoreInput[]): ImportChunk[] {
  const chunks: ImportChunk[] = [];
  let current: StoreInput[] = [];
  let bytes = 0;
  let from = 0;
  stores.forEach((store, index) => {
    const size = JSON.stringify(store).length;
    if (
      current.length > 0 &&
      (current.length >= MAX_CHUNK_FEATURES || bytes + size > MAX_CHUNK_RAW_BYTES)
    ) {
      chunks.push({ n: chunks.length, from, stores: current });
      current = [];
      bytes = 0;
      from = index;
    }
    current.push(store);
    bytes += size;
  });
  if (current.length > 0) chunks.push({ n: chunks.length, from, stores: current });
  return chunks;
}

/**
 * The id of the store a feature without a store code becomes: derived from the job and the
 * feature's index, so a chunk redone after a crash finds the store it already wrote instead of
 * creating a second one.
 */
export function importedStoreId(jobId: string, index: number): string {
  const digest = createHash("sha256").update(`${jobId}\n${index}`).digest("base64url");
  return `${STORE_ID_PREFIX}_${digest.slice(0, 22)}`;
}

/** SHA-256 of the request body: the implicit idempotency key when the client sends none. */
export function bodyHashOf(body: string): string {
  return createHash("sha256").update(body).digest("base64url");
}

/** The job as the API shows it: status, progress, counts and per-feature results. */
export function importJobView(
  job: ImportJob,
  progress: ImportProgress | undefined,
  results: ImportResult[] | undefined,
) {
  const status: ImportJobStatus =
    job.status !== "queued" ? job.status : progress?.startedAt ? "running" : "queued";
  const processed =
    (progress?.created ?? 0) + (progress?.updated ?? 0) + (progress?.unchanged ?? 0);
  return {
    jobId: job.jobId,
    status,
    phase: progress?.phase ?? "validate",
    total: job.total,
    processed,
    created: progress?.created ?? 0,
    updated: progress?.updated ?? 0,
    unchanged: progress?.unchanged ?? 0,
    failed: job.status === "failed" ? job.total : 0,
    createdAt: job.createdAt,
    updatedAt: progress?.updatedAt ?? job.createdAt,
    finishedAt: job.finishedAt ?? null,
    ...(job.errors ? { errors: job.errors, errorCount: job.errorCount ?? job.errors.length } : {}),
    results: results ?? [],
  };
}

export type ImportJobView = ReturnType<typeof importJobView>;
