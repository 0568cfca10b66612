/** Port: ImportJobs (implemented by shared/adapters/dynamo/import-jobs.ts). */
import type {
  ImportChunk,
  ImportJob,
  ImportProgress,
  ImportResult,
} from "../../domain/catalog/import-job.ts";
import type { StoreInput } from "../../domain/catalog/store.ts";

/** A job already submitted under the same idempotency key. */
export interface KeyedJob {
  jobId: string;
  bodyHash: string;
  expiresAt: number;
}

/**
 * Port: import jobs, their stored features (chunks), progress with the worker's lease, and
 * per-feature results.
 */
export interface ImportJobs {
  /**
   * Stores the chunks, then the job, its progress and its idempotency item in one transaction.
   * Returns the job that already holds the key (unexpired) instead, writing nothing more.
   */
  submit(
    job: ImportJob,
    chunks: readonly ImportChunk[],
    keyExpiresAt: number,
    now: number,
  ): Promise<{ jobId: string; existing?: KeyedJob | undefined }>;
  findByKey(merchantId: string, key: string): Promise<KeyedJob | undefined>;
  get(merchantId: string, jobId: string): Promise<ImportJob | undefined>;
  progress(jobId: string): Promise<ImportProgress | undefined>;
  /** Takes the job for `owner` until `until` unless another owner's lease is still running. */
  claim(
    jobId: string,
    owner: string,
    now: number,
    until: number,
  ): Promise<ImportProgress | undefined>;
  chunk(jobId: string, n: number): Promise<{ from: number; stores: StoreInput[] }>;
  /** Records a chunk's results and moves progress on, only if `owner` still holds the lease. */
  completeChunk(
    jobId: string,
    n: number,
    owner: string,
    results: readonly ImportResult[],
    counts: { created: number; updated: number; unchanged: number },
  ): Promise<void>;
  setPhase(jobId: string, owner: string, phase: ImportProgress["phase"]): Promise<void>;
  finish(
    merchantId: string,
    jobId: string,
    status: "succeeded" | "failed",
    finishedAt: string,
    errors?: { errors: ImportJob["errors"]; errorCount: number },
  ): Promise<void>;
  /** Gives up `owner`'s lease (before handing the job on). */
  release(jobId: string, owner: string): Promise<void>;
  /** Hands the job to a new worker invocation (the stream sees the job item change). */
  wake(merchantId: string, jobId: string): Promise<void>;
  results(jobId: string): Promise<ImportResult[]>;
}
